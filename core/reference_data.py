"""Load the reference basket shipped with the project (items, groups, weekly quantities)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import pandas as pd

REFERENCE_DIR = resources.files("core") / "data" / "reference_basket"


@dataclass(frozen=True)
class BasketDefinition:
    """A basket as three frames: items, age-sex groups and weekly quantities."""

    items: pd.DataFrame
    groups: pd.DataFrame
    quantities: pd.DataFrame


def load_reference_items() -> pd.DataFrame:
    """Return the reference basket's items with their purchase specifications."""
    with (REFERENCE_DIR / "items.csv").open(encoding="utf-8") as handle:
        return pd.read_csv(
            handle, keep_default_na=False, na_values={"size_min": [""], "size_max": [""]}
        )
