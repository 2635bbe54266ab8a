"""Derive the reference basket from the shipped CFG 2007 tables and write its derived CSVs."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from basket.reference import (
    derive_groups,
    derive_weekly_quantities,
    round_weekly_amounts,
    validate_definition,
)
from core.reference_data import (
    BasketDefinition,
    load_cfg_serving_sizes,
    load_cfg_servings,
    load_reference_items,
    load_serving_conversions,
)

SHIPPED_DIR = Path(__file__).resolve().parents[1] / "core" / "data" / "reference_basket"


def derive_reference_basket() -> BasketDefinition:
    """Derive the reference basket (quantities rounded as shipped) from the shipped tables."""
    items = load_reference_items()
    groups = derive_groups(load_cfg_servings())
    quantities = derive_weekly_quantities(
        items, groups, load_cfg_serving_sizes(), load_serving_conversions()
    )
    quantities = round_weekly_amounts(quantities, items)
    validate_definition(items, groups, quantities)
    return BasketDefinition(items, groups, quantities)


def render_csv(frame: pd.DataFrame) -> str:
    """Return a frame as the CSV text shipped in core/data (Unix line ends, no index)."""
    return frame.to_csv(index=False, lineterminator="\n")


def derive_and_write(target_dir: Path) -> BasketDefinition:
    """Derive the reference basket and write groups.csv and quantities.csv into target_dir."""
    definition = derive_reference_basket()
    target_dir.mkdir(parents=True, exist_ok=True)
    (target_dir / "groups.csv").write_text(render_csv(definition.groups), encoding="utf-8")
    (target_dir / "quantities.csv").write_text(render_csv(definition.quantities), encoding="utf-8")
    return definition


def main(argv: list[str] | None = None) -> int:
    """Write the derived files into the folder given, or over the shipped ones."""
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else SHIPPED_DIR
    definition = derive_and_write(target)
    print(
        f"{len(definition.items)} items, {len(definition.groups)} groups, "
        f"{len(definition.quantities)} quantities written to {target}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
