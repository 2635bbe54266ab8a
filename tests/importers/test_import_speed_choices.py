"""The importer's speed choices: a reading process only with an idle core; the gate's memo."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from core.observations import gate
from importers import base, worker
from importers.base import run_import
from importers.generic_csv import GenericCsvImporter, Mapping
from importers.sample import write_sample_csv, write_sample_mapping


@pytest.mark.parametrize(
    ("idle_share", "cores", "free"),
    [(1.0, 2, True), (0.75, 2, True), (0.6, 2, False), (0.0, 2, False), (0.4, 4, True),
     (0.3, 4, False)],
)  # fmt: skip
def test_a_core_is_free_while_one_and_a_half_sit_idle(
    monkeypatch: pytest.MonkeyPatch, idle_share: float, cores: int, free: bool
) -> None:
    # Two readings of /proc/stat, 1,000 ticks apart, idle_share of them idle.
    readings = iter([(5_000, 20_000), (5_000 + int(1_000 * idle_share), 21_000)])
    monkeypatch.setattr(worker, "_cpu_times", lambda: next(readings))
    monkeypatch.setattr(worker.os, "cpu_count", lambda: cores)
    assert worker.core_free(sample_seconds=0) is free


@pytest.mark.parametrize(
    ("load", "cores", "free"), [(0.3, 2, True), (1.5, 2, False), (2.5, 4, True)]
)
def test_without_proc_stat_a_core_is_free_while_the_load_leaves_one_unused(
    monkeypatch: pytest.MonkeyPatch, load: float, cores: int, free: bool
) -> None:
    monkeypatch.setattr(worker, "_cpu_times", lambda: None)
    monkeypatch.setattr(worker.os, "getloadavg", lambda: (load, load, load))
    monkeypatch.setattr(worker.os, "cpu_count", lambda: cores)
    assert worker.core_free() is free


def test_the_machine_cpu_times_are_read_where_proc_stat_exists() -> None:
    found = worker._cpu_times()
    if not Path("/proc/stat").exists():
        assert found is None
        return
    assert found is not None
    idle, total = found
    assert 0 <= idle <= total


def test_a_busy_machine_imports_in_one_process(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(base, "core_free", lambda: False)
    source = write_sample_csv(tmp_path / "sample.csv", 2_500)
    mapping = Mapping.load(write_sample_mapping(tmp_path / "sample.toml"))
    summary = run_import(GenericCsvImporter(source, mapping), url=db_url, batch_size=1_000)
    assert summary.reading_worker is False
    assert summary.imported == 2_500


def test_the_gate_memo_never_lets_a_refused_equal_value_through() -> None:
    assert gate.value_refusal(Decimal("3.50")) is None
    assert Decimal("3.5") in gate._STORABLE
    # Equal to a remembered price, yet refused: negative zero, a zero while available.
    assert gate.value_refusal(Decimal("0")) is not None
    assert gate.value_refusal(Decimal("-0"), positive=False) is not None
    assert gate.value_refusal(Decimal("0"), positive=False) is None
    assert Decimal("0") not in gate._STORABLE
    # Too many decimals is refused every time, never remembered.
    for _ in range(2):
        assert "4 decimals" in (gate.value_refusal(Decimal("3.4999")) or "")
    assert gate.value_refusal(Decimal("NaN")) == "price NaN is not a finite number"
