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
