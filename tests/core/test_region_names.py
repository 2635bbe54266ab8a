"""Regions carry a French and an English name: loaded from the data file, filled by 0017."""

from __future__ import annotations

from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import insert, select

from api.app import create_app
from core.db import dispose_engines, session_scope
from core.migrate import alembic_config, upgrade
from core.models import Region
from core.regions import ensure_regions, region_by_code, region_name_in


def test_shipped_regions_load_their_english_names(db_url: str) -> None:
    with session_scope(db_url) as session:
        ensure_regions(session)
        session.commit()
        quebec = region_by_code(session, "quebec")
        lachine = region_by_code(session, "lachine")
        assert (quebec.name, quebec.name_en) == ("Québec", "Quebec")
        assert region_by_code(session, "montreal-cma").name_en == "Montreal CMA"
        # A borough keeps its official spelling in English: no English name of its own.
        assert lachine.name_en is None
        assert region_name_in(lachine.name, lachine.name_en, "en") == "Lachine"
        assert region_name_in(quebec.name, quebec.name_en, "fr") == "Québec"
        assert region_name_in(quebec.name, quebec.name_en, "en") == "Quebec"


def test_migration_0017_fills_the_english_names_of_an_existing_database(db_url: str) -> None:
    command.downgrade(alembic_config(db_url), "0016")
    with session_scope(db_url) as session:
        # Rows as a database before 0017 holds them: a French name only.
        for code, name in (("quebec", "Québec"), ("montreal", "Montréal"), ("lachine", "Lachine")):
            session.execute(
                insert(Region.__table__).values(code=code, name=name, level="city")  # type: ignore[attr-defined]
            )
        session.commit()
    dispose_engines()

    upgrade(db_url)

    with session_scope(db_url) as session:
        names = dict(session.execute(select(Region.code, Region.name_en)).all())
    assert names == {"quebec": "Quebec", "montreal": "Montreal", "lachine": None}


def test_regions_route_gives_french_and_english_names(db_url: str) -> None:
    with session_scope(db_url) as session:
        ensure_regions(session)
        session.commit()
    regions = {r["code"]: r for r in TestClient(create_app()).get("/v1/regions").json()}
    assert regions["montreal"]["name"] == regions["montreal"]["name_fr"] == "Montréal"
    assert regions["montreal"]["name_en"] == "Montreal"
    assert regions["montreal"]["parent_code"] == "montreal-cma"
    assert regions["lachine"]["name_en"] == regions["lachine"]["name_fr"] == "Lachine"
