"""The command line starts without the heavy libraries, and lists its lazily loaded commands."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("scrapy", "twisted", "matplotlib", "weasyprint")


def test_importing_the_command_line_loads_no_heavy_library() -> None:
    code = f"import sys, cli.main; print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


def test_the_benchmarks_load_when_listed() -> None:
    ppne = Path(sys.executable).with_name("ppne")
    done = subprocess.run(
        [str(ppne), "bench", "--help"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    for command in ("engine", "import", "collectors"):
        assert f" {command} " in done.stdout
