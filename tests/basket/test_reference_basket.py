"""The reference basket: reproducible derivation, coverage, matching keywords, loaders, storage."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest
from sqlmodel import func, select

from basket import reference
from basket.matching import name_meets_specification
from basket.reference import (
    BREASTFEEDING_EXTRA_SERVINGS,
    PREGNANCY_EXTRA_SERVINGS,
    derive_groups,
    derive_weekly_quantities,
    validate_definition,
)
from core import reference_data
from core.basket_definitions import (
    REFERENCE_VERSION_CODE,
    ensure_reference_basket,
    save_definition,
)
from core.db import session_scope
from core.errors import InvalidInput
from core.models import AgeSexGroup, BasketItem, BasketVersion, WeeklyQuantity
from core.reference_data import (
    BasketDefinition,
    load_cfg_serving_sizes,
    load_cfg_servings,
    load_definition_table,
    load_reference_basket,
    load_reference_items,
    load_serving_conversions,
)
from scripts.derive_reference_basket import derive_and_write

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
SHIPPED = resources.files("core") / "data" / "reference_basket"
BRANDS = [
    "Sans Nom",
    "Selection",
    "Compliments",
    "Irresistibles",
    "Président's Choice",
    "Great Value",
    "Naturel",
]
EXPECTED_GROUPS = [
    *(
        f"{sex}_{ages}"
        for ages in ("2_3", "4_8", "9_13", "14_18", "19_50")
        for sex in ("female", "male")
    ),
    "female_51_plus",
    "male_51_plus",
    "pregnant_14_18",
    "pregnant_19_50",
    "breastfeeding_14_18",
    "breastfeeding_19_50",
    "child_1",
    "infant_6_11",
    "infant_0_5",
]


def fold(text: str) -> str:
    """Lower-case and strip accents, as the matching specification asks."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def size_labels(size: float, unit: str) -> list[str]:
    """Return the ways a label may print a pack size: "900 g", "1 kg", "4 L", "12 unités"."""
    labels = [f"{size:g} {unit}"]
    if unit in ("g", "mL") and size >= 1000:
        labels.append(f"{size / 1000:g} {'kg' if unit == 'g' else 'L'}")
    if unit == "unit":
        labels.append(f"{size:g} unité" if size == 1 else f"{size:g} unités")
    return labels


def reference_definition() -> BasketDefinition:
    return load_reference_basket()


def test_shipped_cfg_tables_are_the_public_transcriptions() -> None:
    if not SHARED_DATA.exists():
        pytest.skip(f"shared reference facts not available: {SHARED_DATA}")
    for name in ("cfg2007_servings_per_day.csv", "cfg2007_serving_sizes.csv"):
        shipped = (resources.files("core") / "data" / name).read_text(encoding="utf-8")
        assert shipped == (SHARED_DATA / name).read_text(encoding="utf-8")


def test_rederiving_reproduces_the_shipped_files(tmp_path: Path) -> None:
    derive_and_write(tmp_path)
    for name in ("groups.csv", "quantities.csv"):
        assert (tmp_path / name).read_text(encoding="utf-8") == (SHIPPED / name).read_text(
            encoding="utf-8"
        ), f"{name} is stale: run python -m scripts.derive_reference_basket"


def test_items_cover_the_eleven_categories_with_purchase_sizes() -> None:
    items = load_reference_items()
    assert list(items.columns) == reference_data.ITEM_COLUMNS
    assert len(items) >= 60
    assert set(items["category"]) == set(reference.PPNE_CATEGORIES)
    assert set(reference_data.CATEGORY_NAMES_FR) == set(reference_data.PPNE_CATEGORIES)
    assert set(items["purchase_unit"]) <= {"g", "mL", "unit"}
    assert (items["purchase_size"] > 0).all()
    assert (items["size_min"] <= items["purchase_size"]).all()
    assert (items["purchase_size"] <= items["size_max"]).all()
    assert ((items["edible_yield"] > 0) & (items["edible_yield"] <= 1)).all()
    kinds = set(load_cfg_serving_sizes()["food_kind"]) | set(
        reference.PROJECT_SERVING_SIZES["food_kind"]
    )
    assert set(items["serving_kind"]) <= kinds
    shares = items.groupby(reference.amount_basis(items))["share"].sum()
    assert all(abs(total - 1) < 1e-9 for total in shares)


def test_every_group_exists_including_the_reference_family() -> None:
    groups = load_reference_basket().groups
    assert list(groups["code"]) == EXPECTED_GROUPS
    assert {"male_19_50", "female_19_50", "male_14_18", "female_4_8"} <= set(groups["code"])
    quantities = load_reference_basket().quantities
    assert len(quantities) == len(load_reference_items()) * len(groups)


def test_pregnancy_and_breastfeeding_add_the_documented_servings() -> None:
    definition = reference_definition()
    groups = definition.groups.set_index("code")
    amounts = definition.quantities.pivot(
        index="item_code", columns="group_code", values="weekly_amount"
    )
    for state, extra in (
        ("pregnant", PREGNANCY_EXTRA_SERVINGS),
        ("breastfeeding", BREASTFEEDING_EXTRA_SERVINGS),
    ):
        assert sum(extra.values()) == (2 if state == "pregnant" else 3)
        for group, servings in extra.items():
            column = f"servings_{group}"
            assert (
                groups.loc[f"{state}_19_50", column]
                == groups.loc["female_19_50", column] + servings
            )
        gained = amounts[f"{state}_19_50"] - amounts["female_19_50"]
        assert (gained >= 0).all()
        assert gained["milk_2pct"] > 0 and gained["bananas"] > 0


def test_infant_items_are_explicit_zeros_outside_the_infant_group() -> None:
    quantities = reference_definition().quantities
    infant_items = quantities[
        quantities["item_code"].isin(["infant_formula_powder", "baby_cereal_oat"])
    ]
    adults = infant_items[~infant_items["group_code"].isin(["infant_6_11", "infant_0_5"])]
    assert len(adults) == 2 * (len(EXPECTED_GROUPS) - 2)
    assert (adults["weekly_amount"] == 0).all()
    infant = infant_items[infant_items["group_code"] == "infant_6_11"]
    assert (infant["weekly_amount"] > 0).all()
    # Under 6 months: formula only, no cereal.
    newborn = infant_items[infant_items["group_code"] == "infant_0_5"].set_index("item_code")
    assert newborn.loc["baby_cereal_oat", "weekly_amount"] == 0
    assert newborn.loc["infant_formula_powder", "weekly_amount"] > 0


def test_a_one_year_old_gets_the_two_to_three_year_amounts() -> None:
    quantities = reference_definition().quantities
    by_group = quantities.pivot_table(
        index="item_code", columns="group_code", values="weekly_amount"
    )
    assert (by_group["child_1"] == by_group["female_2_3"]).all()
    assert by_group["child_1"]["milk_2pct"] > 0


def test_each_item_name_matches_its_own_keywords_and_no_other() -> None:
    # The project's matcher (whole words, no case or accents) on demo-store style names.
    items = load_reference_items().to_dict("records")
    problems = []
    for item in items:
        for brand in ["", *BRANDS]:
            for size in size_labels(item["purchase_size"], item["purchase_unit"]):
                product = " ".join(part for part in (item["name_fr"], brand, size) if part)
                if not name_meets_specification(product, item["keywords"], item["excluded_words"]):
                    problems.append(f"{product!r} does not match its own item {item['code']}")
                problems.extend(
                    f"{product!r} ({item['code']}) also matches {other['code']}"
                    for other in items
                    if other["code"] != item["code"]
                    and name_meets_specification(
                        product, other["keywords"], other["excluded_words"]
                    )
                )
    assert problems == []


def test_keywords_stay_clear_of_demo_brands() -> None:
    brands = [fold(brand) for brand in BRANDS]
    for item in load_reference_items().to_dict("records"):
        terms = (item["keywords"] + ";" + item["excluded_words"]).replace("|", ";").split(";")
        for term in filter(None, (fold(term) for term in terms)):
            assert not any(term in brand for brand in brands), (item["code"], term)


def test_derivation_uses_the_documented_formula() -> None:
    items = pd.DataFrame(
        {
            "code": ["bread", "sugar"],
            "category": ["grain_products", "sugars"],
            "cfg_food_group": ["grain_products", "none"],
            "share": [1.0, 1.0],
            "serving_kind": ["bread", "sugars, 1 g (project convention)"],
            "edible_yield": [0.5, 1.0],
            "purchase_unit": ["g", "g"],
        }
    )
    groups = derive_groups(load_cfg_servings())  # child_2_3: 3 grain servings, 10 in all
    conversions = pd.DataFrame(
        {
            "item_code": ["bread", "sugar"],
            "amount_per_serving_unit": [1.0, 1.0],
            "amount_unit": ["g", "g"],
            "grams_per_purchase_unit": [None, None],
        }
    )
    quantities = derive_weekly_quantities(items, groups, load_cfg_serving_sizes(), conversions)
    by_pair = quantities.set_index(["item_code", "group_code"])["weekly_amount"]
    assert by_pair["bread", "female_2_3"] == pytest.approx(3 * 7 * 35 / 0.5)
    assert by_pair["sugar", "male_2_3"] == pytest.approx(10 * 1.5 * 7)
    assert by_pair["bread", "infant_6_11"] == 0
    conversions.loc[0, "amount_unit"] = "mL"
    with pytest.raises(InvalidInput, match="'bread', column amount_unit"):
        derive_weekly_quantities(items, groups, load_cfg_serving_sizes(), conversions)


def test_reference_conversions_cover_every_item() -> None:
    items, conversions = load_reference_items(), load_serving_conversions()
    assert list(conversions["item_code"]) == list(items["code"])
    assert conversions["basis"].str.len().min() > 0


def small_definition() -> BasketDefinition:
    items = pd.DataFrame(
        {
            "code": ["milk", "formula"],
            "name_fr": ["Lait", "Préparation"],
            "name_en": ["Milk", "Formula"],
            "category": ["dairy", "infant_formula"],
            "purchase_size": [4000.0, 900.0],
            "purchase_unit": ["mL", "g"],
        }
    )
    groups = pd.DataFrame({"code": ["female_19_50", "infant_6_11"]})
    quantities = pd.DataFrame(
        {
            "item_code": ["milk", "milk", "formula", "formula"],
            "group_code": ["female_19_50", "infant_6_11", "female_19_50", "infant_6_11"],
            "weekly_amount": [3500.0, 0.0, 0.0, 700.0],
        }
    )
    return BasketDefinition(items, groups, quantities)


def test_validate_definition_accepts_the_reference_basket() -> None:
    definition = reference_definition()
    validate_definition(definition.items, definition.groups, definition.quantities)
    small = small_definition()
    validate_definition(small.items, small.groups, small.quantities)


@pytest.mark.parametrize(
    ("frame", "change", "message"),
    [
        ("quantities", lambda df: df.drop(index=3), r"'formula', group 'infant_6_11': no weekly"),
        (
            "quantities",
            lambda df: df.assign(weekly_amount=[1, -2, 0, 1]),
            r"'milk', group 'infant_6_11'.*negative",
        ),
        (
            "quantities",
            lambda df: df.assign(weekly_amount=[1, None, 0, 1]),
            r"'milk', group 'infant_6_11'.*missing",
        ),
        (
            "items",
            lambda df: df.assign(purchase_unit=["mL", "kg"]),
            r"'formula', column purchase_unit",
        ),
        ("items", lambda df: df.assign(code=["milk", "milk"]), r"duplicate item code 'milk'"),
        (
            "groups",
            lambda df: df.assign(code=["infant_6_11", "infant_6_11"]),
            r"duplicate group code",
        ),
        ("items", lambda df: df.assign(category=["dairy", "candy"]), r"'formula', column category"),
    ],
)
def test_validate_definition_names_what_is_wrong(
    frame: str, change: Callable[[pd.DataFrame], pd.DataFrame], message: str
) -> None:
    definition = small_definition()
    frames = {
        "items": definition.items,
        "groups": definition.groups,
        "quantities": definition.quantities,
    }
    frames[frame] = change(frames[frame].copy())
    with pytest.raises(InvalidInput, match=message):
        validate_definition(frames["items"], frames["groups"], frames["quantities"])


TABLE = """code,name_fr,name_en,category,purchase_size,purchase_unit,keywords,female_19_50,toddler_1
milk,Lait 2 %,Milk 2%,dairy,4000,mL,lait;2 %,3500,1750
oats,Flocons d'avoine,Rolled oats,grain_products,1000,g,flocons;avoine,200.5,0
"""
TABLE_GROUPS = """code,sex,age_min,age_max,state,label_fr,label_en
toddler_1,A,1,1,none,Bambin de 1 an,"Toddler, 1 year"
"""


def test_load_definition_table_reads_an_organisation_csv(tmp_path: Path) -> None:
    path = tmp_path / "official.csv"
    path.write_text(TABLE, encoding="utf-8")
    (tmp_path / "official_groups.csv").write_text(TABLE_GROUPS, encoding="utf-8")
    definition = load_definition_table(path)
    assert list(definition.items["code"]) == ["milk", "oats"]
    assert list(definition.groups["code"]) == ["female_19_50", "toddler_1"]
    assert len(definition.quantities) == 4
    amounts = definition.quantities.set_index(["item_code", "group_code"])["weekly_amount"]
    assert amounts["oats", "female_19_50"] == 200.5
    validate_definition(definition.items, definition.groups, definition.quantities)


def test_load_definition_table_reads_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "official.xlsx"
    table = pd.read_csv(pd.io.common.StringIO(TABLE))
    with pd.ExcelWriter(path) as writer:
        table.to_excel(writer, sheet_name="items", index=False)
        pd.read_csv(pd.io.common.StringIO(TABLE_GROUPS)).to_excel(
            writer, sheet_name="groups", index=False
        )
    definition = load_definition_table(path)
    assert len(definition.quantities) == 4


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (TABLE.replace("200.5", "-1"), r"row 3, column 'female_19_50'"),
        (TABLE.replace("200.5", "lots"), r"row 3, column 'female_19_50': 'lots' is not a number"),
        (TABLE.replace(",g,", ",kg,"), r"row 3, column purchase_unit"),
        (TABLE.replace("oats,", "milk,", 1), r"row 3, column code: duplicate code 'milk'"),
        (TABLE.replace("toddler_1", "martian"), r"column 'martian': not an item column"),
        (TABLE.replace(",dairy,", ",candy,"), r"row 2, column category"),
    ],
)
def test_load_definition_table_rejects_bad_tables(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(body, encoding="utf-8")
    (tmp_path / "bad_groups.csv").write_text(TABLE_GROUPS, encoding="utf-8")
    with pytest.raises(InvalidInput, match=message):
        load_definition_table(path)


def test_save_definition_is_idempotent(db_url: str) -> None:
    definition = load_reference_basket()
    with session_scope(db_url) as session:
        first = ensure_reference_basket(session)
        session.commit()
        again = ensure_reference_basket(session)
        session.commit()
        assert again.id == first.id and first.code == REFERENCE_VERSION_CODE
        assert "Canada's Food Guide (2007)" in first.source
        count = lambda table: session.exec(select(func.count()).select_from(table)).one()  # noqa: E731
        assert count(BasketVersion) == 1
        assert count(BasketItem) == len(definition.items)
        assert count(AgeSexGroup) == len(definition.groups)
        assert count(WeeklyQuantity) == len(definition.items) * len(definition.groups)
        milk = session.exec(select(BasketItem).where(BasketItem.code == "milk_2pct")).one()
        assert str(milk.purchase_size) in ("4000", "4000.0000")


def test_a_second_version_reuses_the_groups(db_url: str) -> None:
    with session_scope(db_url) as session:
        ensure_reference_basket(session)
        small = small_definition()
        groups = load_reference_basket().groups
        small = BasketDefinition(
            small.items, groups[groups["code"].isin(small.groups["code"])], small.quantities
        )
        version = save_definition(session, small, "org-2024", "Official", "Organisation table")
        session.commit()
        assert version.code == "org-2024"
        assert session.exec(select(func.count()).select_from(BasketVersion)).one() == 2
        assert session.exec(select(func.count()).select_from(AgeSexGroup)).one() == len(groups)
