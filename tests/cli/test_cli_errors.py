"""Every command-line error is one line in the user's words, with a non-zero exit code."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import services.costing
from cli.main import run

PPNE = Path(sys.executable).with_name("ppne")
CLASS_NAMES = ("NoSuchOption", "BadParameter", "MissingParameter", "UsageError", "ValueError",
               "Error:", "Traceback")  # fmt: skip


def ppne(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run the installed `ppne` in a folder, without the project's database settings."""
    environment = {k: v for k, v in os.environ.items() if k not in ("PPNE_DATABASE_URL",)}
    environment.update(env or {})
    return subprocess.run(
        [str(PPNE), *args], cwd=cwd, env=environment, capture_output=True, text=True, check=False
    )


def one_line(done: subprocess.CompletedProcess) -> str:
    """Return the single line of stderr, failing if there are more or any class name."""
    [line] = done.stderr.strip().splitlines()
    assert not any(name in line for name in CLASS_NAMES), line
    return line


def test_a_missing_schema_is_one_line_and_creates_no_database(tmp_path: Path) -> None:
    done = ppne(tmp_path, "compute")
    assert done.returncode == 1
    assert one_line(done) == (
        "error: no ppne database schema at sqlite:///data/ppne.db: run `ppne db upgrade`"
    )
    assert list(tmp_path.iterdir()) == []


def test_an_empty_database_file_has_no_schema_either(tmp_path: Path) -> None:
    (tmp_path / "empty.db").touch()
    done = ppne(tmp_path, "matches", "review", env={"PPNE_DATABASE_URL": "sqlite:///empty.db"})
    assert done.returncode == 1
    assert one_line(done).startswith("error: no ppne database schema at sqlite:///empty.db")


def test_commands_needing_no_database_run_without_one(tmp_path: Path) -> None:
    done = ppne(tmp_path, "cost", "convert", "--annual", "11286.81", "--persons", "4")
    assert done.returncode == 0, done.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["compute", "--x"], "error: no such option --x (ppne compute --help lists them)"),
        (
            ["compute", "--fro", "2026-01"],
            "error: no such option --fro (did you mean --from or --to?)"
            " (ppne compute --help lists them)",
        ),
        (
            ["collect", "run", "demo", "--limit", "many"],
            "error: invalid value for --limit: ",
        ),
        (["survey", "template"], "error: missing option --period (ppne survey template --help)"),
        (["import", "csv"], "error: missing argument FILE (ppne import csv --help)"),
        (["nosuch"], "error: no such command 'nosuch' (ppne --help lists them)"),
    ],
)
def test_usage_errors_are_one_line(tmp_path: Path, args: list[str], expected: str) -> None:
    done = ppne(tmp_path, *args)
    assert done.returncode == 2
    assert one_line(done).startswith(expected)


def test_an_unknown_region_is_a_one_line_error_and_writes_nothing(
    db_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "bulletin"
    done = ppne(
        tmp_path,
        "publish", "bulletin", "--region", "atlantis", "--out", str(out),
        env={"PPNE_DATABASE_URL": db_url},
    )  # fmt: skip
    assert done.returncode == 1
    assert one_line(done) == "error: unknown region 'atlantis'"
    assert not out.exists()


def test_an_unexpected_failure_is_one_line_without_its_class(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise ValueError("the engine broke\nwith details on a second line")

    monkeypatch.setattr(services.costing, "compute_costs", broken)
    monkeypatch.setattr(sys, "argv", ["ppne", "compute"])
    monkeypatch.delenv("PPNE_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exit_:
        run()
    assert exit_.value.code == 1
    assert capsys.readouterr().err == "error: the engine broke (PPNE_DEBUG=1 shows more)\n"
