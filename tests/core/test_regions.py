"""The shipped region hierarchy loads once, parents first."""

import pytest
from sqlmodel import select

from core.db import session_scope
from core.errors import RegionNotFound
from core.models import Region
from core.regions import ensure_regions, region_by_code


def test_regions_load_with_parents_and_are_not_duplicated(db_url: str) -> None:
    with session_scope(db_url) as session:
        added = ensure_regions(session)
        session.commit()
        assert added > 5
        assert ensure_regions(session) == 0
        mercier_est = region_by_code(session, "mercier-est")
        parent = session.get(Region, mercier_est.parent_id)
        assert parent is not None and parent.code == "mercier-hochelaga-maisonneuve"
        assert len(session.exec(select(Region)).all()) == added


def test_unknown_region_is_a_domain_error(db_url: str) -> None:
    with session_scope(db_url) as session, pytest.raises(RegionNotFound, match="atlantis"):
        region_by_code(session, "atlantis")
