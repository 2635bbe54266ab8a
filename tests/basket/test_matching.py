"""Product names and sizes against item specifications."""

import math

import pandas as pd

from basket.matching import match_products, name_meets_specification, size_in_range


def test_terms_are_whole_words_without_case_or_accents() -> None:
    assert name_meets_specification("LAIT 2 % Natrel 4 L", "lait;2 %", "chocolat")
    assert not name_meets_specification("Laitue romaine", "lait", "")
    assert name_meets_specification("Petits pois surgelés", "petits pois;surgelé|surgelés", "")
    assert not name_meets_specification("Lait au chocolat 2 %", "lait;2 %", "chocolat")
    assert name_meets_specification("Oeufs gros", "œufs", "")
    assert name_meets_specification("Riz complet", "riz;brun|complet", "")
    assert not name_meets_specification("Anything", "", "")


def test_size_must_be_in_range_and_in_the_same_unit() -> None:
    assert size_in_range(900.0, "g", "g", 675.0, 1125.0)
    assert not size_in_range(500.0, "g", "g", 675.0, 1125.0)
    assert not size_in_range(900.0, "mL", "g", 675.0, 1125.0)
    assert size_in_range(900.0, "g", "g", math.nan, math.nan)


def test_match_products_returns_each_qualifying_pair() -> None:
    products = pd.DataFrame(
        {
            "product_id": [1, 2, 3],
            "name": ["Spaghetti Sans Nom 900 g", "Spaghetti 250 g", "Lait 2 % 4 L"],
            "size": [900.0, 250.0, None],
            "size_unit": ["g", "g", "mL"],
        }
    )
    items = pd.DataFrame(
        {
            "item_id": [7, 8],
            "keywords": ["spaghetti", "lait;2 %"],
            "excluded_words": ["", ""],
            "size_min": [675.0, None],
            "size_max": [1125.0, None],
            "purchase_unit": ["g", "mL"],
        }
    )
    result = match_products(products, items)
    assert result.values.tolist() == [[1, 7]]
