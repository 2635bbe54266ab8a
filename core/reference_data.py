"""Load the reference basket shipped with the project, and an organisation's own basket table."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import pandas as pd

from core.errors import InvalidInput

DATA_DIR = resources.files("core") / "data"
REFERENCE_DIR = DATA_DIR / "reference_basket"

PPNE_CATEGORIES = (
    "fruits",
    "vegetables",
    "grain_products",
    "dairy",
    "starchy_foods",
    "animal_protein",
    "plant_protein",
    "sugars",
    "fats",
    "infant_formula",
    "baby_cereal",
)
# Their French names, for tables and publications.
CATEGORY_NAMES_FR = {
    "fruits": "Fruits",
    "vegetables": "Légumes",
    "grain_products": "Produits céréaliers",
    "dairy": "Produits laitiers",
    "starchy_foods": "Féculents",
    "animal_protein": "Protéines animales",
    "plant_protein": "Protéines végétales",
    "sugars": "Sucres",
    "fats": "Matières grasses",
    "infant_formula": "Préparations pour nourrissons",
    "baby_cereal": "Céréales pour bébés",
}
PURCHASE_UNITS = ("g", "mL", "unit")
ITEM_COLUMNS = [
    "code",
    "name_fr",
    "name_en",
    "category",
    "cfg_food_group",
    "share",
    "serving_kind",
    "edible_yield",
    "purchase_size",
    "purchase_unit",
    "keywords",
    "excluded_words",
    "size_min",
    "size_max",
]
REQUIRED_TABLE_COLUMNS = [
    "code",
    "name_fr",
    "name_en",
    "category",
    "purchase_size",
    "purchase_unit",
]
GROUP_COLUMNS = ["code", "sex", "age_min", "age_max", "state", "label_fr", "label_en"]


@dataclass(frozen=True)
class BasketDefinition:
    """A basket as three frames: items, age-sex groups and weekly quantities."""

    items: pd.DataFrame
    groups: pd.DataFrame
    quantities: pd.DataFrame


def _read_shipped_csv(folder: Traversable, name: str, **kwargs: Any) -> pd.DataFrame:
    with (folder / name).open(encoding="utf-8") as handle:
        return pd.read_csv(handle, **kwargs)


def load_reference_items() -> pd.DataFrame:
    """Return the reference basket's items with their purchase specifications."""
    # Empty keywords stay "" rather than NaN; only the size bounds may be missing.
    return _read_shipped_csv(
        REFERENCE_DIR,
        "items.csv",
        keep_default_na=False,
        na_values={"size_min": [""], "size_max": [""]},
    )


def load_serving_conversions() -> pd.DataFrame:
    """Return, per reference item, the amount bought per unit of its CFG serving."""
    return _read_shipped_csv(
        REFERENCE_DIR,
        "serving_conversions.csv",
        keep_default_na=False,
        na_values={"grams_per_purchase_unit": [""]},
    )


def load_cfg_servings() -> pd.DataFrame:
    """Return Canada's Food Guide (2007) servings per day by age and sex, as min and max."""
    servings = _read_shipped_csv(
        DATA_DIR, "cfg2007_servings_per_day.csv", keep_default_na=False, na_values={"age_max": [""]}
    )
    servings["age_max"] = servings["age_max"].astype("Int64")
    return servings


def load_cfg_serving_sizes() -> pd.DataFrame:
    """Return Canada's Food Guide (2007) serving sizes per kind of food."""
    return _read_shipped_csv(DATA_DIR, "cfg2007_serving_sizes.csv", keep_default_na=False)


def load_reference_groups() -> pd.DataFrame:
    """Return the reference basket's age-sex groups with the servings a day they were given."""
    groups = _read_shipped_csv(
        REFERENCE_DIR, "groups.csv", keep_default_na=False, na_values={"age_max": [""]}
    )
    groups["age_max"] = groups["age_max"].astype("Int64")
    return groups


def load_reference_basket() -> BasketDefinition:
    """Return the shipped reference basket: items, groups and weekly quantities."""
    quantities = _read_shipped_csv(REFERENCE_DIR, "quantities.csv", keep_default_na=False)
    return BasketDefinition(load_reference_items(), load_reference_groups(), quantities)


def _read_table(path: Path) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Read an organisation's table and its optional group descriptions, all as text."""
    if not path.exists():
        raise InvalidInput(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        groups_path = path.with_name(f"{path.stem}_groups.csv")
        groups = (
            pd.read_csv(groups_path, dtype=str, keep_default_na=False)
            if groups_path.exists()
            else None
        )
        return table, groups
    if suffix == ".xlsx":
        sheets = pd.read_excel(path, sheet_name=None, dtype=str)
        names = list(sheets)
        table = sheets[names[0]].fillna("")
        groups = sheets["groups"].fillna("") if "groups" in sheets else None
        return table, groups
    raise InvalidInput(f"{path}: expected a .csv or .xlsx file, not {suffix!r}")


def _number(text: object, where: str, *, required: bool = True) -> float | None:
    value = str(text).strip()
    if value == "":
        if required:
            raise InvalidInput(f"{where}: missing value")
        return None
    try:
        return float(value)
    except ValueError:
        raise InvalidInput(f"{where}: {value!r} is not a number") from None


def _described_groups(groups: pd.DataFrame, source: str) -> pd.DataFrame:
    missing = [column for column in GROUP_COLUMNS if column not in groups.columns]
    if missing:
        raise InvalidInput(f"{source}: missing group columns {missing}")
    rows = []
    for index, row in enumerate(groups.to_dict("records")):
        where = f"{source}, row {index + 2}"
        if row["sex"] not in ("F", "M", "A"):
            raise InvalidInput(f"{where}, column sex: {row['sex']!r} is not F, M or A")
        if row["state"] not in ("none", "pregnant", "breastfeeding"):
            raise InvalidInput(f"{where}, column state: unknown state {row['state']!r}")
        age_min = _number(row["age_min"], f"{where}, column age_min")
        age_max = _number(row["age_max"], f"{where}, column age_max", required=False)
        rows.append(
            {
                **{column: row[column] for column in GROUP_COLUMNS},
                "age_min": int(age_min or 0),
                "age_max": None if age_max is None else int(age_max),
            }
        )
    described = pd.DataFrame(rows, columns=GROUP_COLUMNS)
    described["age_max"] = described["age_max"].astype("Int64")
    return described


def load_definition_table(path: Path) -> BasketDefinition:
    """Load an organisation's basket table (CSV or XLSX) as a basket definition.

    One row per item with the columns code, name_fr, name_en, category, purchase_size,
    purchase_unit (and optionally keywords, excluded_words, size_min, size_max), plus one
    column per group code holding that group's weekly amount in the item's purchase unit.
    Group codes are those of the reference basket, or described (GROUP_COLUMNS) in a sheet
    named "groups" of the workbook or in a file "<name>_groups.csv" next to the CSV.

    Raises:
        InvalidInput: a column, row or value is missing or wrong; the message says where.
    """
    path = Path(path)
    table, described = _read_table(path)
    table.columns = [str(column).strip() for column in table.columns]
    missing = [column for column in REQUIRED_TABLE_COLUMNS if column not in table.columns]
    if missing:
        raise InvalidInput(f"{path.name}: missing columns {missing}")
    reference_groups = load_reference_groups()[GROUP_COLUMNS]
    known = reference_groups
    if described is not None:
        extra = _described_groups(described, f"{path.name} groups")
        known = pd.concat(
            [reference_groups[~reference_groups["code"].isin(extra["code"])], extra],
            ignore_index=True,
        )
    group_codes = [column for column in table.columns if column not in ITEM_COLUMNS]
    for column in group_codes:
        if column not in set(known["code"]):
            raise InvalidInput(
                f"{path.name}, column {column!r}: not an item column and not a known group code"
            )
    if not group_codes:
        raise InvalidInput(f"{path.name}: no group columns with weekly amounts")

    items, quantities = [], []
    seen: dict[str, int] = {}
    for index, row in enumerate(table.to_dict("records")):
        line = index + 2  # the header is line 1
        where = f"{path.name}, row {line}"
        code = str(row["code"]).strip()
        if code == "":
            raise InvalidInput(f"{where}, column code: missing item code")
        if code in seen:
            raise InvalidInput(f"{where}, column code: duplicate code {code!r} (row {seen[code]})")
        seen[code] = line
        if row["category"] not in PPNE_CATEGORIES:
            raise InvalidInput(f"{where}, column category: unknown category {row['category']!r}")
        if row["purchase_unit"] not in PURCHASE_UNITS:
            raise InvalidInput(
                f"{where}, column purchase_unit: {row['purchase_unit']!r} is not one of "
                f"{', '.join(PURCHASE_UNITS)}"
            )
        size = _number(row["purchase_size"], f"{where}, column purchase_size")
        if size is None or size <= 0:
            raise InvalidInput(f"{where}, column purchase_size: must be positive")
        items.append(
            {
                "code": code,
                "name_fr": row["name_fr"],
                "name_en": row["name_en"],
                "category": row["category"],
                "purchase_size": size,
                "purchase_unit": row["purchase_unit"],
                "keywords": row.get("keywords", ""),
                "excluded_words": row.get("excluded_words", ""),
                "size_min": _number(
                    row.get("size_min", ""), f"{where}, column size_min", required=False
                ),
                "size_max": _number(
                    row.get("size_max", ""), f"{where}, column size_max", required=False
                ),
            }
        )
        for group_code in group_codes:
            amount = _number(row[group_code], f"{where}, column {group_code!r}")
            if amount is None or amount < 0:
                raise InvalidInput(f"{where}, column {group_code!r}: negative weekly amount")
            quantities.append(
                {"item_code": code, "group_code": group_code, "weekly_amount": amount}
            )
    if not items:
        raise InvalidInput(f"{path.name}: no item rows")
    groups = known[known["code"].isin(group_codes)].reset_index(drop=True)
    return BasketDefinition(
        pd.DataFrame(items),
        groups,
        pd.DataFrame(quantities, columns=["item_code", "group_code", "weekly_amount"]),
    )
