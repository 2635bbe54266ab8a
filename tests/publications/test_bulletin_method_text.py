"""The bulletin's method sentences come from the preset and family the figures were computed
with: the ppne preset's month is weekly x 4,345, not the nfb's 4,33."""

from pathlib import Path

import pandas as pd
from test_bulletin import make_costs

from publications.bulletin import write_bulletin


def bulletin_text(costs: pd.DataFrame, out: Path) -> str:
    files = write_bulletin(costs, out, headline_region=str(costs["region_code"].iloc[0]))
    return files.html.read_text(encoding="utf-8")


def test_the_ppne_presets_method_is_written_from_its_factors(tmp_path: Path) -> None:
    costs = make_costs().assign(preset="ppne", family="male_19_50,female_19_50,female_4_8")
    html = bulletin_text(costs, tmp_path)
    assert "coût hebdomadaire × 4,345" in html
    assert "× 4,33 ;" not in html
    # Three people, seven days: the weekly cost ÷ 21 per person per day.
    assert "coût hebdomadaire ÷ 21" in html
    assert "Famille de référence de trois personnes" in html


def test_without_a_recorded_method_the_nfb_family_of_four_is_written(tmp_path: Path) -> None:
    html = bulletin_text(make_costs(), tmp_path)
    assert "coût hebdomadaire × 4,33 ;" in html
    assert "coût hebdomadaire ÷ 28" in html
    assert "Famille de référence de quatre personnes" in html
