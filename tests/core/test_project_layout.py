"""The shape the architecture promises: short modules, one spelling, no leftovers."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ["core", "basket", "collectors", "importers", "services", "api", "publications",
           "demo_store", "cli", "bench", "web"]  # fmt: skip
MAX_LINES = 400


def shipped_modules() -> list[Path]:
    """Return every Python module of the shipped packages, migrations left out."""
    modules = []
    for package in SHIPPED:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                modules.append(path)
    return modules


def test_no_shipped_module_is_over_400_lines() -> None:
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in shipped_modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert too_long == {}


def test_the_normaliser_is_spelled_one_way() -> None:
    # normaliser / normalise, never normalize (str.normalize and unicodedata aside).
    offenders = [
        str(path.relative_to(ROOT))
        for path in shipped_modules()
        if "normaliz" in path.name
        or "normalize_" in path.read_text(encoding="utf-8")
        or '"normalize"' in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_every_module_opens_with_a_docstring() -> None:
    missing = [
        str(path.relative_to(ROOT))
        for path in shipped_modules()
        if path.stat().st_size and not path.read_text(encoding="utf-8").lstrip().startswith('"""')
    ]
    assert missing == []
