"""The results of bench/run.py as a Markdown report, with each target and whether it
was met in this run."""

from __future__ import annotations

CASES = ["200", "304", "gzip 200"]
THROUGHPUT_TARGETS = {"200": 0.4, "304": 0.5}
P99_TARGET_MS = 20


def render(results: dict, command: str) -> str:
    m = results["machine"]
    lines = [
        "# Benchmark results",
        "",
        f"`{command}` on {m['date']}: {m['machine']}; {m['system']}.",
        "",
        *_serving(results["serving"]),
        *_builds(results["builds"]),
        *_rebuild(results["rebuild"], results["edit_to_served"]),
        *_peer(results.get("peer")),
    ]
    return "\n".join(lines) + "\n"


def _mark(ok: bool) -> str:
    return "met" if ok else "**not met**"


def _serving(serving: dict) -> list[str]:
    lines = [
        "## Serving the 1,000-premiere catalogue (wrk -t2 -c32, medians of interleaved runs)",
        "",
        "| path | case | nginx req/s | service req/s | ratio | target | p50 ms | p99 ms "
        "| nginx p99 ms |",
        "| --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |",
    ]
    for path, cases in serving["service"].items():
        for case in CASES:
            ours, theirs = cases[case], serving["nginx"][path][case]
            ratio = ours["rps"] / theirs["rps"]
            goal = THROUGHPUT_TARGETS.get(case)
            target = f">= {goal}x: {_mark(ratio >= goal)}" if goal else "-"
            p99 = f"{ours['p99']:.2f}" + ("" if ours["p99"] < P99_TARGET_MS else " (over 20)")
            lines.append(
                f"| {path} | {case} | {theirs['rps']:,.0f} | {ours['rps']:,.0f} | {ratio:.2f}x "
                f"| {target} | {ours['p50']:.2f} | {p99} | {theirs['p99']:.2f} |"
            )
    return [*lines, ""]


def _builds(builds: dict) -> list[str]:
    sizes = list(builds)
    stages = list(builds[sizes[0]]["stages"])
    lines = [
        "## Cold build, by stage (seconds; a fresh process per size)",
        "",
        "| stage | " + " | ".join(f"{int(s):,} premieres" for s in sizes) + " |",
        "| --- |" + " ---: |" * len(sizes),
    ]
    for stage in stages:
        cells = " | ".join(f"{builds[s]['stages'][stage]:.3f}" for s in sizes)
        lines.append(f"| {stage} | {cells} |")
    lines.append(
        "| **total** | " + " | ".join(f"**{builds[s]['total']:.2f}**" for s in sizes) + " |"
    )
    lines.append(
        "| peak memory (MB) | " + " | ".join(f"{builds[s]['peak_mb']:.0f}" for s in sizes) + " |"
    )
    lines.append(
        "| peak memory of the forked reader (MB) | "
        + " | ".join(f"{builds[s].get('child_peak_mb', 0):.0f}" for s in sizes)
        + " |"
    )
    lines.append(
        "| peak memory of both together (summed PSS sampled 4 times a second, MB) | "
        + " | ".join(f"{builds[s].get('tree_peak_mb', 0):.0f}" for s in sizes)
        + " |"
    )
    lines.append(
        "| CPU time the memory sampler took (s) | "
        + " | ".join(f"{builds[s].get('sampler_cpu_s', 0):.2f}" for s in sizes)
        + " |"
    )
    lines.append("")
    goals = {"10000": (2, None), "100000": (20, 1024)}
    for size, (seconds, megabytes) in goals.items():
        found = builds.get(size) or builds.get(int(size))
        if found is None:
            continue
        line = f"- {int(size):,} premieres: <= {seconds} s: {_mark(found['total'] <= seconds)}"
        if megabytes is not None:  # the higher of this process's peak and both together
            used = max(found["peak_mb"], found.get("tree_peak_mb", 0))
            line += f"; <= {megabytes} MB: {_mark(used <= megabytes)}"
        lines.append(line)
    return [*lines, ""]


def _rebuild(rebuild: dict, latency: dict) -> list[str]:
    return [
        "## Edits (10,000 premieres, through the real publisher and SQLite history)",
        "",
        "| figure | measured | target | |",
        "| --- | ---: | --- | --- |",
        f"| cold publish (load, history, all documents) | {rebuild['cold_publish']:.2f} s | - | |",
        f"| rebuild after editing one premiere | {rebuild['rebuild']:.3f} s | <= 0.5 s "
        f"| {_mark(rebuild['rebuild'] <= 0.5)} |",
        f"| scheduler tick, nothing changed | {rebuild['tick'] * 1e6:.1f} µs | <= 1 ms "
        f"| {_mark(rebuild['tick'] <= 0.001)} |",
        f"| edit to served, 1,000 premieres, default refresh (median / worst) "
        f"| {latency['median']:.2f} / {latency['max']:.2f} s | <= 2 s "
        f"| {_mark(latency['max'] <= 2)} |",
        "",
    ]


def _peer(found: dict | None) -> list[str]:
    if not found:
        return ["## Peer", "", "yaml2ics could not be installed; no peer figure.", ""]
    ratio = found["yaml2ics"] / found["ours"]
    return [
        "## Peer: yaml2ics on the same premieres (whole process, YAML in, iCalendar out)",
        "",
        f"{found['events']:,} events: yaml2ics {found['yaml2ics']:.2f} s, premiere feeds "
        f"{found['ours']:.2f} s (load, validate, history, calendar): **{ratio:.1f}x** faster.",
        "",
    ]
