"""The ``feeds`` command's exit codes and what it prints."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from feeds.cli import main

SEED = Path(__file__).resolve().parent.parent / "events.yaml"


def test_check_prints_a_summary_and_exits_0_for_a_good_file(capsys):
    assert main(["check", str(SEED)]) == 0
    assert "OK: 2 shows, 2 premieres, 3 news" in capsys.readouterr().out


def test_check_prints_every_problem_and_exits_1_for_a_bad_file(tmp_path, capsys):
    bad = tmp_path / "events.yaml"
    bad.write_text("calendar:\n  nam: x\n", encoding="utf-8")
    assert main(["check", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "events.yaml:2:3" in err and "unknown key 'nam'" in err
    assert "'timezone' is required" in err


def test_check_without_a_path_reads_feeds_events_file(monkeypatch, capsys):
    monkeypatch.setenv("FEEDS_EVENTS_FILE", str(SEED))
    assert main(["check"]) == 0
    assert str(SEED) in capsys.readouterr().out


def test_a_bad_setting_exits_2_naming_the_variable(monkeypatch, capsys):
    monkeypatch.setenv("FEEDS_REFRESH_SECONDS", "soon")
    assert main(["check", str(SEED)]) == 2
    assert "FEEDS_REFRESH_SECONDS" in capsys.readouterr().err


def test_the_installed_command_runs_without_a_traceback(tmp_path):
    bad = tmp_path / "events.yaml"
    bad.write_bytes(b"\xff\xfe")
    result = subprocess.run(
        [sys.executable, "-m", "feeds.cli", "check", str(bad)], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "not UTF-8" in result.stderr and "Traceback" not in result.stderr


def test_build_writes_every_document_and_its_gzip(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FEEDS_EVENTS_FILE", str(SEED))
    monkeypatch.setenv("FEEDS_DATA_DIR", str(tmp_path / "data"))
    assert main(["build", str(tmp_path / "site")]) == 0
    names = sorted(
        p.relative_to(tmp_path / "site").as_posix() for p in (tmp_path / "site").rglob("*")
    )
    assert names == sorted(
        [
            "api",
            "api/events.json",
            "api/events.json.gz",
            "atom.xml",
            "atom.xml.gz",
            "calendar.ics",
            "calendar.ics.gz",
            "feed.json",
            "feed.json.gz",
            "index.html",
            "index.html.gz",
            "rss.xml",
            "rss.xml.gz",
        ]
    )
    assert "wrote 6 documents" in capsys.readouterr().out


def test_build_replaces_an_existing_site_whole(tmp_path, monkeypatch):
    monkeypatch.setenv("FEEDS_EVENTS_FILE", str(SEED))
    monkeypatch.setenv("FEEDS_DATA_DIR", str(tmp_path / "data"))
    site = tmp_path / "site"
    site.mkdir()
    (site / "stale.txt").write_text("old")
    assert main(["build", str(site)]) == 0
    assert not (site / "stale.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "site"]


def test_build_of_a_bad_catalogue_exits_1_and_writes_nothing(tmp_path, monkeypatch, capsys):
    bad = tmp_path / "events.yaml"
    bad.write_text("calendar: [\n", encoding="utf-8")
    monkeypatch.setenv("FEEDS_EVENTS_FILE", str(bad))
    monkeypatch.setenv("FEEDS_DATA_DIR", str(tmp_path / "data"))
    assert main(["build", str(tmp_path / "site")]) == 1
    assert not (tmp_path / "site").exists()
    assert "YAML syntax error" in capsys.readouterr().err


def test_history_lists_each_revision_and_what_changed(tmp_path, monkeypatch, capsys):
    events = tmp_path / "events.yaml"
    events.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("FEEDS_EVENTS_FILE", str(events))
    monkeypatch.setenv("FEEDS_DATA_DIR", str(tmp_path / "data"))
    assert main(["build", str(tmp_path / "site")]) == 0
    events.write_text(events.read_text().replace("date: 2026-01-23", "date: 2026-02-06"))
    assert main(["build", str(tmp_path / "site")]) == 0
    capsys.readouterr()
    assert main(["history", "all-of-us-are-dead-s2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "all-of-us-are-dead-s2"
    assert lines[1].startswith("  #0 ") and "first seen" in lines[1]
    assert lines[2].startswith("  #1 ") and "when: 2026-01-23 -> 2026-02-06" in lines[2]


def test_history_of_an_unknown_premiere_exits_1(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FEEDS_DATA_DIR", str(tmp_path / "data"))
    assert main(["history", "nope"]) == 1
    assert "no history for premiere 'nope'" in capsys.readouterr().err


def test_a_bad_base_url_setting_is_reported_without_its_password(monkeypatch, capsys):
    monkeypatch.setenv("FEEDS_BASE_URL", "ftp://editor:s3cret@premieres.example")
    assert main(["check", str(SEED)]) == 2
    err = capsys.readouterr().err
    assert "FEEDS_BASE_URL" in err and "s3cret" not in err
