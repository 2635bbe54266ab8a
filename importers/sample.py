"""Generated CSV files of any length, for the benchmark and the crash test."""

from __future__ import annotations

import csv
from pathlib import Path

SAMPLE_MAPPING = """\
[columns]
store = "store"
name = "product"
size = "size"
price = "price"
date = "date"

[defaults]
region = "montreal"
"""
PRODUCTS = 5000
SIZES = ("500 g", "1 kg", "2 L", "12 units", "750 mL")


def write_sample_csv(path: Path, rows: int) -> Path:
    """Write `rows` distinct store prices (5,000 products in 7 stores, one day per 5,000 rows)."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["store", "product", "size", "price", "date"])
        for number in range(rows):
            day = number // PRODUCTS
            writer.writerow(
                [
                    f"Store {number % 7}",
                    f"Product {number % PRODUCTS}",
                    SIZES[number % PRODUCTS % len(SIZES)],
                    f"{1 + (number % 997) / 100:.2f}",
                    f"{2000 + day // 336:04d}-{1 + day // 28 % 12:02d}-{1 + day % 28:02d}",
                ]
            )
    return path


def write_sample_mapping(path: Path) -> Path:
    """Write the mapping file of the generated CSV."""
    path.write_text(SAMPLE_MAPPING, encoding="utf-8")
    return path
