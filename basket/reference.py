"""Derive a reference basket's groups and weekly quantities from Canada's Food Guide (2007)."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from core.errors import InvalidInput
from core.reference_data import PPNE_CATEGORIES, PURCHASE_UNITS

CFG_FOOD_GROUPS = ("vegetables_fruit", "grain_products", "milk_alternatives", "meat_alternatives")
# The amount bases a group carries servings for: the four CFG food groups, the daily oil
# and fat amount, and three project conventions for the categories the guide does not size.
AMOUNT_BASES = (*CFG_FOOD_GROUPS, "oils_fats", "sugars", "infant_formula", "baby_cereal")
# Items outside the CFG food groups (cfg_food_group "none") take their amount from their category.
# Pregnancy adds 2 servings a day, breastfeeding 3 (CFG 2007). The guide leaves the food
# group open and gives "fruit and yogurt" and "toast and milk" as examples; we follow them.
PREGNANCY_EXTRA_SERVINGS: Mapping[str, float] = {"vegetables_fruit": 1, "milk_alternatives": 1}
BREASTFEEDING_EXTRA_SERVINGS: Mapping[str, float] = {
    "vegetables_fruit": 1,
    "grain_products": 1,
    "milk_alternatives": 1,
}
# The guide's daily fat is 30 to 45 mL, one 30 mL "serving" in the sizes table: 1 or 1.5.
OILS_FATS_SERVINGS = {"min": 1.0, "max": 1.5}
# Project assumption: free sugars at 5 % of energy (WHO 2015), with energy proxied by the
# guide's servings (about 120 kcal each): 120 x 0.05 / 4 kcal per gram = 1.5 g per serving.
SUGARS_GRAMS_PER_SERVING = 1.5
# Project assumption for an infant of 6 to 11 months: one day's formula (750 mL prepared)
# and two 15 g servings of dry iron-fortified cereal a day.
INFANT_SERVINGS = {"infant_formula": 1.0, "baby_cereal": 2.0}

PROJECT_SERVING_SIZES = pd.DataFrame(
    {
        "food_group": ["sugars", "infant_formula", "baby_cereal"],
        "food_kind": [
            "sugars, 1 g (project convention)",
            "infant formula, prepared, per day (project convention)",
            "baby cereal, dry (project convention)",
        ],
        "serving_amount": [1.0, 750.0, 15.0],
        "serving_unit": ["g", "mL", "g"],
        "note": [
            "a group's sugars servings are grams of sugars a day",
            "prepared formula for an infant of 6 to 11 months",
            "two servings a day for an infant of 6 to 11 months",
        ],
    }
)

GROUP_COLUMNS = ["code", "sex", "age_min", "age_max", "state", "label_fr", "label_en"]
SERVING_COLUMNS = [f"servings_{basis}" for basis in AMOUNT_BASES]
ITEM_COLUMNS = ["code", "name_fr", "name_en", "category", "purchase_size", "purchase_unit"]
QUANTITY_COLUMNS = ["item_code", "group_code", "weekly_amount"]

_PERSON_LABELS = {
    # (sex, CFG age band): (French, English) nouns for the labels
    ("F", "child"): ("Fille", "Girl"),
    ("M", "child"): ("Garçon", "Boy"),
    ("F", "teen"): ("Adolescente", "Female teen"),
    ("M", "teen"): ("Adolescent", "Male teen"),
    ("F", "adult"): ("Femme", "Woman"),
    ("M", "adult"): ("Homme", "Man"),
}


def _age_label(age_min: int, age_max: int | None) -> tuple[str, str]:
    if age_max is None:
        return f"de {age_min} ans et plus", f"{age_min} years and over"
    return f"de {age_min} à {age_max} ans", f"{age_min} to {age_max} years"


def _age_band(age_min: int) -> str:
    if age_min < 14:
        return "child"
    return "teen" if age_min < 19 else "adult"


def derive_groups(servings_per_day: pd.DataFrame, bound: str = "max") -> pd.DataFrame:
    """Derive the basket's age-sex groups and their servings a day from the CFG table.

    Input columns (cfg2007_servings_per_day.csv): group_code, sex (F, M or any), age_min,
    age_max (empty for "and over"), and <food_group>_min / <food_group>_max for the four CFG
    food groups. ``bound`` picks which end of a min-max range is used ("max" by default: an
    adequate-energy basket).

    Output columns: code, sex (F, M, or A for the infant), age_min, age_max (nullable Int64),
    state (none, pregnant, breastfeeding), label_fr, label_en, then servings_<basis> for each
    of AMOUNT_BASES (CFG servings a day; oils_fats in 30 mL daily amounts; sugars in grams a
    day; infant_formula and baby_cereal in the project's conventional servings a day).
    """
    if bound not in OILS_FATS_SERVINGS:
        raise InvalidInput(f"bound {bound!r}: expected 'min' or 'max'")
    rows: list[dict[str, object]] = []
    for cfg in servings_per_day.to_dict("records"):
        sexes = ["F", "M"] if cfg["sex"] == "any" else [str(cfg["sex"])]
        age_min = int(cfg["age_min"])
        age_max = None if pd.isna(cfg["age_max"]) else int(cfg["age_max"])
        suffix = f"{age_min}_{age_max}" if age_max is not None else f"{age_min}_plus"
        for sex in sexes:
            noun_fr, noun_en = _PERSON_LABELS[(sex, _age_band(age_min))]
            ages_fr, ages_en = _age_label(age_min, age_max)
            row: dict[str, object] = {
                "code": f"{'female' if sex == 'F' else 'male'}_{suffix}",
                "sex": sex,
                "age_min": age_min,
                "age_max": age_max,
                "state": "none",
                "label_fr": f"{noun_fr} {ages_fr}",
                "label_en": f"{noun_en}, {ages_en}",
            }
            for group in CFG_FOOD_GROUPS:
                row[f"servings_{group}"] = float(cfg[f"{group}_{bound}"])
            rows.append(row)
    by_code = {str(row["code"]): row for row in rows}
    for state, extra, label_fr, label_en in (
        ("pregnant", PREGNANCY_EXTRA_SERVINGS, "enceinte", "Pregnant"),
        ("breastfeeding", BREASTFEEDING_EXTRA_SERVINGS, "qui allaite", "Breastfeeding"),
    ):
        for base_code in ("female_14_18", "female_19_50"):
            if base_code not in by_code:
                raise InvalidInput(f"CFG servings: group {base_code!r} is missing")
            base = by_code[base_code]
            noun_fr = "Adolescente" if base_code == "female_14_18" else "Femme"
            noun_en = "teen" if base_code == "female_14_18" else "woman"
            ages_fr, ages_en = _age_label(int(str(base["age_min"])), int(str(base["age_max"])))
            row = {
                **base,
                "code": base_code.replace("female", state),
                "state": state,
                "label_fr": f"{noun_fr} {label_fr} {ages_fr}",
                "label_en": f"{label_en} {noun_en}, {ages_en}",
            }
            for group, servings in extra.items():
                row[f"servings_{group}"] = float(str(row[f"servings_{group}"])) + servings
            rows.append(row)
    # Age 1: the guide starts at 2 years and Health Canada's guidance for 12 to 24 months
    # ("Nutrition for Healthy Term Infants") gives family foods, not amounts: the 2-3 years'
    # servings are the closest published amounts (project choice, docs/reference_basket.md).
    if "female_2_3" not in by_code:
        raise InvalidInput("CFG servings: group 'female_2_3' is missing")
    rows.append(
        {
            **by_code["female_2_3"],
            "code": "child_1",
            "sex": "A",
            "age_min": 1,
            "age_max": 1,
            "label_fr": "Enfant de 1 an",
            "label_en": "Child, 1 year",
        }
    )
    for row in rows:
        row["servings_oils_fats"] = OILS_FATS_SERVINGS[bound]
        cfg_total = sum(float(str(row[f"servings_{group}"])) for group in CFG_FOOD_GROUPS)
        row["servings_sugars"] = cfg_total * SUGARS_GRAMS_PER_SERVING
        row["servings_infant_formula"] = 0.0
        row["servings_baby_cereal"] = 0.0
    # The guide starts at 2 years; the infant group exists only for the infant categories.
    infant: dict[str, object] = {
        "code": "infant_6_11",
        "sex": "A",
        "age_min": 0,
        "age_max": 0,
        "state": "none",
        "label_fr": "Nourrisson de 6 à 11 mois",
        "label_en": "Infant, 6 to 11 months",
    }
    infant.update({column: 0.0 for column in SERVING_COLUMNS})
    infant.update({f"servings_{basis}": value for basis, value in INFANT_SERVINGS.items()})
    rows.append(infant)
    # Under 6 months: breast milk or formula only (Health Canada, birth to six months). The
    # basket prices formula, one day's 750 mL prepared (intake runs about 750-900 mL at 4-6
    # months); PPNE_INFANT_FEEDING=breast_milk costs the group at 0 $ instead.
    newborn = {
        **infant,
        "code": "infant_0_5",
        "label_fr": "Nourrisson de 0 à 5 mois",
        "label_en": "Infant, 0 to 5 months",
        **{f"servings_{basis}": 0.0 for basis in INFANT_SERVINGS},
        "servings_infant_formula": 1.0,
    }
    rows.append(newborn)
    groups = pd.DataFrame(rows, columns=GROUP_COLUMNS + SERVING_COLUMNS)
    groups["age_min"] = groups["age_min"].astype("int64")
    groups["age_max"] = groups["age_max"].astype("Int64")
    return groups


def amount_basis(items: pd.DataFrame) -> pd.Series:
    """Return, per item, the group column its servings come from (cfg_food_group or category)."""
    basis = items["cfg_food_group"].where(items["cfg_food_group"] != "none", items["category"])
    return basis.astype(str)


def derive_weekly_quantities(
    items: pd.DataFrame,
    groups: pd.DataFrame,
    serving_sizes: pd.DataFrame,
    serving_conversions: pd.DataFrame,
) -> pd.DataFrame:
    """Derive what one person of each group buys of each item in a week.

    Input columns:
      items: code, category, cfg_food_group, share, serving_kind, edible_yield, purchase_unit;
      groups: code and servings_<basis> (see derive_groups);
      serving_sizes: food_kind, serving_amount (cfg2007_serving_sizes.csv; the project's
        conventions in PROJECT_SERVING_SIZES are added here);
      serving_conversions: item_code, amount_per_serving_unit, amount_unit,
        grams_per_purchase_unit (empty unless the item is bought by the unit).

    weekly_amount = servings a day x 7 x share x serving_amount x amount_per_serving_unit
    [/ grams_per_purchase_unit] / edible_yield.

    Output columns: item_code, group_code, weekly_amount (float, in the item's purchase
    unit), one row for every item and group, zeros explicit, items then groups in input order.
    """
    _check_derivation_inputs(items, groups, serving_sizes, serving_conversions)
    sizes = pd.concat([serving_sizes, PROJECT_SERVING_SIZES], ignore_index=True)
    serving_amount = sizes.set_index("food_kind")["serving_amount"].astype(float)
    conversions = serving_conversions.set_index("item_code")
    per_serving: list[float] = []
    for item in items.to_dict("records"):
        conversion = conversions.loc[item["code"]]
        amount = float(serving_amount[item["serving_kind"]]) * float(
            conversion["amount_per_serving_unit"]
        )
        grams_per_unit = conversion["grams_per_purchase_unit"]
        if not pd.isna(grams_per_unit) and str(grams_per_unit) != "":
            amount /= float(grams_per_unit)
        per_serving.append(amount / float(item["edible_yield"]))
    bases = amount_basis(items)
    rows = []
    for item_code, basis, share, amount in zip(
        items["code"], bases, items["share"].astype(float), per_serving, strict=True
    ):
        servings = groups[f"servings_{basis}"].astype(float)
        for group_code, daily in zip(groups["code"], servings, strict=True):
            rows.append((item_code, group_code, daily * 7 * share * amount))
    return pd.DataFrame(rows, columns=QUANTITY_COLUMNS).astype({"weekly_amount": "float64"})


def _check_derivation_inputs(
    items: pd.DataFrame,
    groups: pd.DataFrame,
    serving_sizes: pd.DataFrame,
    serving_conversions: pd.DataFrame,
) -> None:
    """Raise InvalidInput when the derivation data are inconsistent, naming the item."""
    known_kinds = set(serving_sizes["food_kind"]) | set(PROJECT_SERVING_SIZES["food_kind"])
    conversions = serving_conversions.set_index("item_code")
    for item, basis in zip(items.to_dict("records"), amount_basis(items), strict=True):
        code = item["code"]
        if basis not in AMOUNT_BASES:
            raise InvalidInput(f"item {code!r}, column cfg_food_group: unknown basis {basis!r}")
        if item["serving_kind"] not in known_kinds:
            raise InvalidInput(
                f"item {code!r}, column serving_kind: {item['serving_kind']!r} is not a food_kind"
            )
        edible_yield = float(item["edible_yield"])
        if not 0 < edible_yield <= 1:
            raise InvalidInput(f"item {code!r}, column edible_yield: {edible_yield} not in (0, 1]")
        if code not in conversions.index:
            raise InvalidInput(f"item {code!r}: no row in the serving conversions")
        conversion = conversions.loc[code]
        by_unit = not pd.isna(conversion["grams_per_purchase_unit"]) and str(
            conversion["grams_per_purchase_unit"]
        ) not in ("", "nan")
        expected_unit = "g" if by_unit else item["purchase_unit"]
        if conversion["amount_unit"] != expected_unit:
            raise InvalidInput(
                f"item {code!r}, column amount_unit: {conversion['amount_unit']!r}, "
                f"expected {expected_unit!r}"
            )
    missing = {f"servings_{basis}" for basis in amount_basis(items)} - set(groups.columns)
    if missing:
        raise InvalidInput(f"groups: missing columns {sorted(missing)}")
    shares = items.assign(basis=amount_basis(items)).groupby("basis")["share"].sum()
    for basis, total in shares.items():
        if not math.isclose(float(total), 1.0, abs_tol=1e-9):
            raise InvalidInput(f"shares of {basis!r} sum to {float(total):.4f}, expected 1")


def round_weekly_amounts(quantities: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """Round weekly_amount to 1 decimal for g and mL items, 3 for items bought by the unit.

    Input: quantities (item_code, group_code, weekly_amount) and items (code, purchase_unit).
    Output: the same columns, rounded.
    """
    unit = quantities["item_code"].map(items.set_index("code")["purchase_unit"])
    rounded = quantities.copy()
    by_unit = unit == "unit"
    rounded.loc[by_unit, "weekly_amount"] = quantities.loc[by_unit, "weekly_amount"].round(3)
    rounded.loc[~by_unit, "weekly_amount"] = quantities.loc[~by_unit, "weekly_amount"].round(1)
    return rounded


def validate_definition(
    items: pd.DataFrame, groups: pd.DataFrame, quantities: pd.DataFrame
) -> None:
    """Raise InvalidInput unless items, groups and quantities form a complete basket.

    Input columns: items (code, name_fr, name_en, category, purchase_size, purchase_unit),
    groups (code), quantities (item_code, group_code, weekly_amount). Checks: no duplicate
    item or group codes, known categories and purchase units, a non-negative quantity for
    every item and group and none for unknown ones.
    """
    for name, frame, columns in (
        ("items", items, ITEM_COLUMNS),
        ("groups", groups, ["code"]),
        ("quantities", quantities, QUANTITY_COLUMNS),
    ):
        missing = [column for column in columns if column not in frame.columns]
        if missing:
            raise InvalidInput(f"{name}: missing columns {missing}")
    for name, codes in (("item", items["code"]), ("group", groups["code"])):
        duplicated = codes[codes.duplicated()]
        if not duplicated.empty:
            raise InvalidInput(f"duplicate {name} code {duplicated.iloc[0]!r}")
    for item in items.to_dict("records"):
        if item["category"] not in PPNE_CATEGORIES:
            raise InvalidInput(
                f"item {item['code']!r}, column category: unknown category {item['category']!r}"
            )
        if item["purchase_unit"] not in PURCHASE_UNITS:
            raise InvalidInput(
                f"item {item['code']!r}, column purchase_unit: {item['purchase_unit']!r} "
                f"is not one of {', '.join(PURCHASE_UNITS)}"
            )
    item_codes, group_codes = set(items["code"]), set(groups["code"])
    seen: set[tuple[str, str]] = set()
    for row in quantities.to_dict("records"):
        item_code, group_code = row["item_code"], row["group_code"]
        where = f"item {item_code!r}, group {group_code!r}, column weekly_amount"
        if item_code not in item_codes:
            raise InvalidInput(f"{where}: unknown item")
        if group_code not in group_codes:
            raise InvalidInput(f"{where}: unknown group")
        if (item_code, group_code) in seen:
            raise InvalidInput(f"{where}: more than one quantity")
        seen.add((item_code, group_code))
        amount = pd.to_numeric(row["weekly_amount"], errors="coerce")
        if pd.isna(amount):
            raise InvalidInput(f"{where}: missing or not a number")
        if amount < 0:
            raise InvalidInput(f"{where}: negative amount {amount}")
    for item_code in items["code"]:
        for group_code in groups["code"]:
            if (item_code, group_code) not in seen:
                raise InvalidInput(
                    f"item {item_code!r}, group {group_code!r}: no weekly quantity "
                    "(write 0 explicitly)"
                )
