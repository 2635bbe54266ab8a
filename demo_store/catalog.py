"""The demo catalogue: two or three branded products generated for every reference basket item."""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from core.reference_data import load_reference_items

BRANDS = (
    "Sans Nom",
    "Selection",
    "Compliments",
    "Irresistibles",
    "Président's Choice",
    "Great Value",
    "Naturel",
)
# Store brands sell below the national average, premium lines above it.
BRAND_PRICE_FACTOR = {
    "Sans Nom": 0.84,
    "Selection": 0.88,
    "Great Value": 0.86,
    "Compliments": 0.95,
    "Président's Choice": 1.04,
    "Irresistibles": 1.10,
    "Naturel": 1.16,
}
# Shelf price ranges in early 2024, in dollars per kg (g), per litre (mL) or per unit.
PRICE_RANGE_BY_CATEGORY = {
    ("grain_products", "g"): (2.60, 6.50),
    ("grain_products", "unit"): (2.80, 4.50),
    ("dairy", "mL"): (1.50, 1.75),
    ("dairy", "g"): (5.50, 18.00),
    ("animal_protein", "g"): (8.00, 19.00),
    ("animal_protein", "unit"): (0.32, 0.42),
    ("animal_protein", "mL"): (2.50, 4.00),
    ("plant_protein", "g"): (3.00, 9.00),
    ("plant_protein", "mL"): (2.50, 4.50),
    ("vegetables", "g"): (1.40, 5.00),
    ("vegetables", "mL"): (2.50, 4.50),
    ("vegetables", "unit"): (1.50, 3.50),
    ("fruits", "g"): (1.60, 6.00),
    ("fruits", "mL"): (2.00, 4.50),
    ("fruits", "unit"): (0.40, 1.50),
    ("fats", "mL"): (5.00, 11.00),
    ("fats", "g"): (8.00, 14.00),
}
DEFAULT_PRICE_RANGE = {"g": (3.00, 10.00), "mL": (2.00, 6.00), "unit": (0.50, 4.00)}
# Pack sizes grocers actually sell, per unit of measure.
COMMON_SIZES = {
    "g": (100, 150, 200, 227, 250, 300, 340, 400, 454, 500, 540, 600, 675, 700, 750, 800, 900,
          907, 1000, 1200, 1360, 1500, 1814, 2000, 2270, 2500, 3000, 4000, 5000),
    "mL": (200, 250, 341, 473, 500, 750, 900, 946, 1000, 1500, 1750, 2000, 2630, 3000, 4000),
    "unit": (1, 2, 4, 6, 8, 10, 12, 15, 18, 24, 30),
}  # fmt: skip
CENT = Decimal("0.01")


@dataclass(frozen=True)
class DemoProduct:
    """A product the demo chains sell; item_code is the truth tests match against."""

    sku: str
    gtin13: str
    item_code: str
    name: str
    brand: str
    size: Decimal
    size_unit: str
    base_price: Decimal


def stable_digest(*parts: object) -> int:
    """Return a process-independent integer digest of the parts (Python's hash() is salted)."""
    text = "|".join(str(part) for part in parts)
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def gtin13_check_digit(body: str) -> str:
    """Return the check digit completing a 12-digit GTIN-13 body."""
    total = sum(int(digit) * (3 if index % 2 else 1) for index, digit in enumerate(body))
    return str((10 - total % 10) % 10)


def size_text(size: Decimal, unit: str) -> str:
    """Format a pack size as a label shows it: "900 g", "4 L", "12 unités"."""
    if unit == "unit":
        return f"{size:f} unité" if size == 1 else f"{size:f} unités"
    if size >= 1000 and size % 1000 == 0:
        return f"{size / 1000:f} {'kg' if unit == 'g' else 'L'}"
    return f"{size:f} {unit}"


def _as_decimal(value: object) -> Decimal | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
        return None
    number = Decimal(str(value))
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number


def _pack_sizes(row: dict[Any, Any], count: int, rng: random.Random) -> list[Decimal]:
    purchase = _as_decimal(row["purchase_size"])
    assert purchase is not None, f"item {row['code']} has no purchase size"
    low = _as_decimal(row.get("size_min")) or purchase
    high = _as_decimal(row.get("size_max")) or purchase
    others = [
        Decimal(size)
        for size in COMMON_SIZES.get(str(row["purchase_unit"]), ())
        if low <= size <= high and size != purchase
    ]
    rng.shuffle(others)
    # When the range allows one size only, brands differ but sizes repeat.
    return [purchase, *(others[i] if i < len(others) else purchase for i in range(count - 1))]


def _products_for_item(row: dict[Any, Any], seed: int) -> list[DemoProduct]:
    code = str(row["code"])
    shape = random.Random(stable_digest("shape", code))
    count = shape.choice((2, 3))
    brands = shape.sample(BRANDS, count)
    sizes = _pack_sizes(row, count, shape)
    unit = str(row["purchase_unit"])
    low, high = PRICE_RANGE_BY_CATEGORY.get((str(row["category"]), unit), DEFAULT_PRICE_RANGE[unit])
    purchase = sizes[0]
    per_base = random.Random(stable_digest("price", seed, code)).uniform(low, high)
    item_price = per_base * float(purchase if unit == "unit" else purchase / 1000)
    number = stable_digest("sku", code) % 10**7
    products = []
    for index, (brand, size) in enumerate(zip(brands, sizes, strict=True)):
        sku = f"{number:07d}{index + 1:02d}"
        body = f"062{sku}"
        # Bigger packs cost less per gram: price grows slower than size.
        price = item_price * BRAND_PRICE_FACTOR[brand] * float(size / purchase) ** 0.9
        products.append(
            DemoProduct(
                sku=sku,
                gtin13=body + gtin13_check_digit(body),
                item_code=code,
                name=f"{row['name_fr']} {brand} {size_text(size, str(row['purchase_unit']))}",
                brand=brand,
                size=size,
                size_unit=str(row["purchase_unit"]),
                base_price=Decimal(str(price)).quantize(CENT, ROUND_HALF_UP),
            )
        )
    return products


@lru_cache(maxsize=8)
def build_catalog(seed: int) -> tuple[DemoProduct, ...]:
    """Generate the catalogue for a seed from the reference basket's current items."""
    items = load_reference_items()
    products = [
        product
        for row in items.to_dict(orient="records")
        for product in _products_for_item(row, seed)
    ]
    skus = [product.sku for product in products]
    if len(set(skus)) != len(skus):
        raise RuntimeError("two demo products share a SKU: change the SKU digest")
    return tuple(products)


@lru_cache(maxsize=8)
def products_by_sku(seed: int) -> dict[str, DemoProduct]:
    """Return the catalogue for a seed keyed by SKU."""
    return {product.sku: product for product in build_catalog(seed)}
