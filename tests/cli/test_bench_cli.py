"""`ppne bench collectors` on the real saved responses, and its one-line error without them."""

from __future__ import annotations

from pathlib import Path

from shared_files import realdata
from typer.testing import CliRunner

from cli.main import app

runner = CliRunner()


def test_bench_collectors_prints_a_speed_per_real_file() -> None:
    pages = realdata("pages")
    result = runner.invoke(app, ["bench", "collectors", "--pages", str(pages), "--repeat", "1"])
    assert result.exit_code == 0, result.output
    for platform in ("pcexpress", "sobeys-algolia", "walmart", "html"):
        assert platform in result.output


def test_bench_collectors_without_saved_responses_is_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["bench", "collectors", "--pages", str(tmp_path)])
    assert result.exit_code == 1
    assert f"error: no saved responses under {tmp_path}" in result.output
