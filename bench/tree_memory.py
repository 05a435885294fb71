"""Peak memory of a process and its children together, sampled from outside.

A process's own peak RSS (``getrusage``) cannot tell what a build costs when part of
it runs in a forked child: the two share pages copy-on-write, so adding their peaks
counts shared pages twice, and the two peaks need not happen at the same time. This
samples the proportional set size (PSS: private pages, plus shared pages divided among
the processes sharing them) of the process and all its descendants four times a
second, and prints the highest sum seen, in MB, and the CPU seconds sampling took,
once its standard input closes or the process ends. Linux only.

    python bench/tree_memory.py PID
"""

from __future__ import annotations

import os
import select
import sys
import time

INTERVAL = 0.25  # reading a big process's PSS walks its page tables: keep it rare


def children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as listing:
                found += [int(child) for child in listing.read().split()]
    except OSError:  # the process ended while we looked
        pass
    return found


def tree(pid: int) -> list[int]:
    """``pid`` and its descendants, but for this sampler (the watched build starts it)."""
    pids, index, me = [pid], 0, os.getpid()
    while index < len(pids):
        pids += [child for child in children(pids[index]) if child != me]
        index += 1
    return pids


def pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def main() -> None:
    watched = int(sys.argv[1])
    peak = 0
    while _alive(watched):
        peak = max(peak, sum(pss_kb(pid) for pid in tree(watched)))
        if select.select([sys.stdin], [], [], INTERVAL)[0]:  # told to stop
            break
    print(f"{peak / 1024:.1f} {time.process_time():.3f}", flush=True)


def _alive(pid: int) -> bool:
    """False once the process has ended (gone, or a zombie not yet reaped)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


if __name__ == "__main__":
    main()
