"""The short soak (bench/soak.py): the real server under pollers and a writer that
keeps replacing events.yaml, with no 5xx and no torn body."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SOAK = Path(__file__).resolve().parent.parent / "bench" / "soak.py"


def test_a_short_soak_has_no_5xx_and_no_torn_body():
    result = subprocess.run(
        [sys.executable, str(SOAK), "--seconds", "10", "--pollers", "3"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5xx: 0\n" in result.stdout and "torn bodies: 0\n" in result.stdout
    assert "writes: 0 valid" not in result.stdout
