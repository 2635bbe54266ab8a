"""Figures people can quote: status and reason beside every cost, territories without a
store, PPNE rounds formed from months, money as two-decimal strings, refusals in one line."""

import json
from decimal import ROUND_HALF_UP, Decimal

import pytest
from factories import seed_two_stores_in_lachine, shipped_region
from fastapi.testclient import TestClient
from sqlmodel import select
from typer.testing import CliRunner

from api.app import create_app
from cli.main import app
from core.db import session_scope
from core.errors import InvalidInput, NoData
from core.models import Store
from core.settings import get_settings
from services.households import household_cost
from services.protocol import costing_protocol

runner = CliRunner()
MEMBERS = "M:40,F:39,M:14,F:9"


def cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_a_territory_without_a_store_answers_with_its_parents_prices(client: TestClient) -> None:
    lachine = client.get("/v1/costs", params={"region": "lachine", "period": "2026-09"}).json()
    body = client.get("/v1/costs", params={"region": "montreal-est", "period": "2026-09"}).json()
    assert body["status"] == "imputed"
    assert body["source_region"] == "montreal-cma"
    assert body["imputed_share"] == 1.0
    assert "no eligible store in this region" in body["reason"]
    # Montréal-Est's parent holds only Lachine's stores: the same prices, the same figure.
    assert body["weekly_cost"] == lachine["weekly_cost"]
    # The province rests on Lachine's two stores alone, and says so.
    quebec = client.get("/v1/costs", params={"region": "quebec", "period": "2026-09"}).json()
    assert quebec["status"] == "warning"
    assert "its 2 stores all lie in lachine" in quebec["reason"]


def test_a_round_is_the_mean_of_its_three_months(client: TestClient) -> None:
    months = [
        client.get("/v1/costs", params={"region": "lachine", "period": p}).json()
        for p in ("2026-07", "2026-08", "2026-09")
    ]
    quarter = client.get("/v1/costs", params={"region": "lachine", "period": "2026-Q3"}).json()
    # Stored monthly costs are to the cent; their mean is rounded again to the cent.
    mean = sum(Decimal(m["weekly_cost"]) for m in months) / 3
    assert Decimal(quarter["weekly_cost"]) == pytest.approx(cents(mean), abs=Decimal("0.01"))
    assert quarter["months"] == ["2026-07", "2026-08", "2026-09"]
    named = client.get("/v1/costs", params={"region": "lachine", "period": "juillet 2026"})
    assert named.json()["weekly_cost"] == quarter["weekly_cost"]


def test_the_ppne_example_answers_with_a_flagged_figure(client: TestClient) -> None:
    # October only of the October round (2026-Q4), in a territory without a store.
    body = client.get("/v1/costs", params={"region": "montreal-est", "period": "2026-Q4"})
    assert body.status_code == 200
    answer = body.json()
    assert answer["status"] == "imputed"
    assert answer["reason"].startswith("1 of 3 months priced (2026-10)")
    assert answer["weekly_cost"].count(".") == 1 and len(answer["weekly_cost"].split(".")[1]) == 2
    cli = runner.invoke(
        app,
        [
            *("cost", "household", "--members", MEMBERS, "--period", "2026-Q4"),
            *("--region", "montreal-est", "--json"),
        ],
    )
    assert cli.exit_code == 0, cli.output
    household = json.loads(cli.output)
    assert (household["status"], household["source_region"]) == ("imputed", "montreal-cma")
    assert (household["currency"], household["period"]) == ("CAD", "2026-Q4")
    assert len(household["weekly"].split(".")[1]) == 2


def test_trends_by_round_and_change_since_the_base(client: TestClient) -> None:
    response = client.get(
        "/v1/trends", params={"region": "lachine", "from": "2026-Q1", "base": "2026-Q1"}
    )
    assert response.status_code == 200, response.text
    series = response.json()["series"]
    assert [point["period"] for point in series] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert series[0]["change_base"] == 0.0
    assert series[-1]["status"] == "warning"  # October alone
    # October's prices jump by 60 %: the round rises with them.
    assert series[-1]["change_base"] > 50


def test_coverage_below_the_minimum_is_withheld_everywhere(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_two_stores_in_lachine(db_url)
    # Two items of 75 priced: under the default minimum of 80 %.
    monkeypatch.delenv("PPNE_COVERAGE_WARN_BELOW")
    monkeypatch.delenv("PPNE_COVERAGE_WITHHOLD_BELOW")
    get_settings.cache_clear()
    result = runner.invoke(app, ["compute"])
    assert result.exit_code == 0, result.output
    assert "withheld" in result.output
    body = TestClient(create_app()).get("/v1/costs", params={"region": "lachine"}).json()
    assert body["status"] == "withheld"
    assert body["weekly_cost"] is None and body["monthly_cost"] is None
    assert body["item_share"] == round(2 / 75, 4)
    assert "of the items" in body["reason"] and "below the minimum of 80%" in body["reason"]
    household = runner.invoke(
        app, ["cost", "household", "--members", MEMBERS, "--region", "lachine", "--json"]
    )
    assert json.loads(household.output)["weekly"] is None
    # Readers that cannot show a status (a client's budget) get a refusal with the reason.
    with session_scope(db_url) as session, pytest.raises(NoData, match="is withheld: "):
        household_cost(session, costing_protocol(get_settings()), MEMBERS, "lachine")
    # Nothing to headline: the bulletin refuses rather than quote a withheld figure.
    bulletin = runner.invoke(app, ["publish", "bulletin", "--region", "lachine"])
    assert isinstance(bulletin.exception, NoData)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["cost", "household", "--members", "M:140"], "age 140 is out of range 0 to 120"),
        (["cost", "convert", "--weekly", "-5", "--persons", "2"], "must be a positive amount"),
        (["cost", "convert", "--monthly", "0", "--persons", "2"], "must be a positive amount"),
    ],
)
def test_impossible_input_is_refused_in_one_line(
    db_url: str, arguments: list[str], message: str
) -> None:
    # `ppne` (cli.main.run) prints a domain error as one line "error: ..." and exits 1.
    result = runner.invoke(app, arguments)
    assert isinstance(result.exception, InvalidInput)
    assert message in str(result.exception)
    assert len(str(result.exception).splitlines()) == 1


def test_a_one_year_old_is_costed_from_the_stored_groups(client: TestClient) -> None:
    def weekly(members: str) -> Decimal:
        done = runner.invoke(
            app,
            [
                *("cost", "household", "--members", members, "--region", "lachine"),
                *("--period", "2026-09", "--json"),
            ],
        )
        assert done.exit_code == 0, done.output
        return Decimal(json.loads(done.output)["weekly"])

    # The 1-year-old is costed with the 2-3 years' amounts (basket/reference.py).
    assert weekly("F:30,M:1") == weekly("F:30,M:2")
    assert weekly("F:30,M:1") > weekly("F:30")


def test_a_stores_postal_code_files_it_in_its_territory(db_url: str) -> None:
    # Both stores recorded in the metropolitan area only: their postal codes file one in
    # Montréal-Est (FSA H1B), the other in the city of Montréal (H2X).
    seed_two_stores_in_lachine(db_url)
    with session_scope(db_url) as session:
        montreal = shipped_region(session, "montreal-cma")
        stores = list(session.exec(select(Store).order_by(Store.id)))
        for store, postal_code in zip(stores, ("H1B 2A3", "H2X 1Y4"), strict=True):
            store.region_id, store.postal_code = montreal.id, postal_code
            session.add(store)
        session.commit()
    assert runner.invoke(app, ["compute"]).exit_code == 0
    client = TestClient(create_app())
    east = client.get("/v1/costs", params={"region": "montreal-est", "period": "2026-09"}).json()
    assert (east["stores_priced"], east["source_region"]) == (1, None)
    assert east["status"] == "warning"  # one store, fewer than six
    lachine = client.get("/v1/costs", params={"region": "lachine", "period": "2026-09"}).json()
    assert (lachine["status"], lachine["source_region"]) == ("imputed", "montreal")


def test_rounds_are_indexed_on_the_configured_base_round(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The PPNE reports the change since its base round (PPNE_BASE_PERIOD, 2021-Q4 by
    # default); here the world starts in 2026, so the base is set to 2026-Q2.
    monkeypatch.setenv("PPNE_BASE_PERIOD", "2026-Q2")
    get_settings.cache_clear()
    trend = client.get("/v1/trends", params={"region": "lachine", "from": "2026-Q1"}).json()
    assert trend["base_period"] == "2026-Q2"
    by_period = {point["period"]: point for point in trend["series"]}
    assert by_period["2026-Q2"]["change_base"] == 0.0
    # Without the base round in the series, the first round is the base, as before.
    monkeypatch.setenv("PPNE_BASE_PERIOD", "2021-Q4")
    get_settings.cache_clear()
    again = client.get("/v1/trends", params={"region": "lachine", "from": "2026-Q2"}).json()
    assert again["base_period"] == "2026-Q2"
