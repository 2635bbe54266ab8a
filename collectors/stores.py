"""Store configuration of the spiders, and the search terms that cover the basket items."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import core

ITEMS_CSV = Path(core.__file__).parent / "data" / "reference_basket" / "items.csv"


@dataclass(frozen=True)
class StoreConfig:
    """A store a spider collects: our code, the platform's id for it, banner and region."""

    code: str
    platform_id: str
    banner: str
    name: str
    region_code: str | None
    address: str | None = None
    postal_code: str | None = None
    kind: str = "regular"  # regular or discount, as the costing method samples both

    def item_fields(self, chain: str) -> dict[str, str | None]:
        """Return the PriceItem fields that describe this store."""
        return {
            "store_code": self.code,
            "chain": chain,
            "banner": self.banner,
            "store_name": self.name,
            "region_code": self.region_code,
            "address": self.address,
            "postal_code": self.postal_code,
            "store_kind": self.kind,
        }


@cache
def basket_search_terms(language: str) -> tuple[str, ...]:
    """Return one search term per reference basket item, in French ("fr") or English ("en")."""
    column = "name_fr" if language == "fr" else "name_en"
    with ITEMS_CSV.open(encoding="utf-8") as handle:
        names = [row[column] for row in csv.DictReader(handle)]
    # "Apples, McIntosh" searches better as "Apples McIntosh"; parentheses hold notes.
    terms = (" ".join(name.split("(")[0].replace(",", " ").split()) for name in names)
    return tuple(dict.fromkeys(term for term in terms if term))
