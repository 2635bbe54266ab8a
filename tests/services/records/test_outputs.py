"""The outputs report: unduplicated clients, new versus continuing, statistics consent only,
the dimensions, suppression of small cells, activities and publication downloads."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import factories
import pytest
import records_factories
from sqlmodel import Session, select

from core.db import session_scope
from core.errors import Forbidden, InvalidInput, NotFound
from core.models import (
    Attendance,
    AuditEvent,
    Client,
    CouponKind,
    Distribution,
    DistributionLine,
    Enrolment,
    GroupSession,
    OrganisationActivity,
    PublicationDownload,
    Referral,
    ServiceEvent,
)
from services.access.actor import Actor, load_actor
from services.access.users import create_user
from services.records.activities import count_publication_download
from services.records.outputs import OutputsReport, age_band, outputs_report
from services.records.report_periods import period_bounds

OPERATOR = Actor.command_line()


def consenting(session: Session, **overrides: object) -> Client:
    client = records_factories.make_client(session, **overrides)
    records_factories.make_consent(session, client, "statistics")
    return client


def event(session: Session, client: Client, kind: str, on: date, program: str = "prenatal") -> None:
    program_id = records_factories.program(session, "alima", program).id
    assert client.id is not None and program_id is not None
    session.add(ServiceEvent(client_id=client.id, program_id=program_id, kind=kind, occurred_on=on))
    session.flush()


def person(session: Session, role: str) -> Actor:
    """A signed-in user of Alima with `role`."""
    user = create_user(session, f"{role}@alima.example", "a long test password",
                       organisation="alima", role=role)  # fmt: skip
    return load_actor(session, user, "test")


def report(session: Session, by: str | None = None, threshold: int = 1, **kw: Any) -> OutputsReport:
    return outputs_report(session, OPERATOR, "alima", "2026-03", "2026-03", by=by,
                          threshold=threshold, **kw)  # fmt: skip


def test_a_client_with_three_consultations_counts_once(db_url: str) -> None:
    with session_scope(db_url) as session:
        client = consenting(session)
        for day in (3, 10, 17):
            event(session, client, "individual_consultation", date(2026, 3, day))
        other = consenting(session)
        event(session, other, "intake", date(2026, 3, 5))
        event(session, other, "home_visit", date(2026, 4, 1))  # outside the period
        session.commit()
        (total,) = report(session).rows
    assert total["dimension"] == "Total"
    assert total["clients"] == 2
    assert total["services_individual_consultation"] == 3
    assert total["services_intake"] == 1
    assert total["services_home_visit"] == 0
    assert total["services_total"] == 4


def test_a_client_without_statistics_consent_is_left_out_and_counted_apart(db_url: str) -> None:
    with session_scope(db_url) as session:
        kept = consenting(session)
        event(session, kept, "intake", date(2026, 3, 2))
        never = records_factories.make_client(session)
        records_factories.make_consent(session, never, "services")  # not statistics
        event(session, never, "intake", date(2026, 3, 2))
        withdrawn = records_factories.make_client(session)
        records_factories.make_consent(session, withdrawn, "statistics",
                                       withdrawn_on=date(2026, 3, 15))  # fmt: skip
        event(session, withdrawn, "individual_consultation", date(2026, 3, 3))
        session.commit()
        shown = report(session)
        small = report(session, threshold=5)
    assert shown.rows[0]["clients"] == 1
    assert shown.rows[0]["services_individual_consultation"] == 0
    assert shown.excluded_without_consent == 2
    assert small.excluded_without_consent is None  # 2 < 5: suppressed itself


def test_new_versus_continuing(db_url: str) -> None:
    with session_scope(db_url) as session:
        old = consenting(session)
        event(session, old, "intake", date(2025, 11, 4))
        event(session, old, "individual_consultation", date(2026, 3, 4))
        enrolled_before = consenting(session)
        program_id = records_factories.program(session).id
        assert enrolled_before.id is not None and program_id is not None
        session.add(Enrolment(client_id=enrolled_before.id, program_id=program_id,
                              starts_on=date(2026, 2, 20)))  # fmt: skip
        event(session, enrolled_before, "intake", date(2026, 3, 1))
        fresh = consenting(session)
        event(session, fresh, "intake", date(2026, 3, 9))
        session.commit()
        (total,) = report(session).rows
    assert (total["clients"], total["new_clients"], total["continuing_clients"]) == (3, 1, 2)


def test_attendance_coupons_and_referrals(db_url: str) -> None:
    with session_scope(db_url) as session:
        client = consenting(session)
        absent = consenting(session)
        program = records_factories.program(session, "alima", "workshops")
        assert client.id and absent.id and program.id
        group = GroupSession(program_id=program.id, title="Atelier", held_on=date(2026, 3, 12))
        session.add(group)
        session.flush()
        assert group.id
        session.add(Attendance(group_session_id=group.id, client_id=client.id, present=True))
        session.add(Attendance(group_session_id=group.id, client_id=absent.id, present=False))
        prenatal = records_factories.program(session)
        assert prenatal.id
        handed = Distribution(client_id=client.id, program_id=prenatal.id,
                              distributed_on=date(2026, 3, 12))  # fmt: skip
        session.add(handed)
        session.flush()
        assert handed.id
        milk = CouponKind(code="t-milk", name_fr="Lait", name_en="Milk")
        eggs = CouponKind(code="t-eggs", name_fr="Œufs", name_en="Eggs")
        session.add_all([milk, eggs])
        session.flush()
        assert milk.id and eggs.id
        session.add(DistributionLine(distribution_id=handed.id, coupon_kind_id=milk.id, count=4,
                                     value=Decimal("22.40")))  # fmt: skip
        session.add(DistributionLine(distribution_id=handed.id, coupon_kind_id=eggs.id, count=2,
                                     value=Decimal("10.10")))  # fmt: skip
        session.add(Referral(client_id=client.id, resource="CLSC", referred_on=date(2026, 3, 20)))
        session.commit()
        (total,) = report(session).rows
        by_program = {row["dimension"]: row for row in report(session, by="program").rows}
    assert total["clients"] == 1  # present once; the absent one got no service
    assert total["group_attendance"] == 1
    assert (total["coupons_given"], total["coupons_value"]) == (6, 32.5)
    assert total["referrals"] == 1
    assert by_program["Ateliers"]["group_attendance"] == 1
    assert by_program["Suivi prénatal"]["coupons_given"] == 6
    assert by_program["sans programme"]["referrals"] == 1  # not enrolled that day


def test_rows_by_territory_and_age_band_with_suppression(db_url: str) -> None:
    with session_scope(db_url) as session:
        place = factories.make_region(session, name="Mercier-Est")
        for _ in range(6):
            client = consenting(session, territory_id=place.id, birth_date=date(2000, 6, 1))
            event(session, client, "intake", date(2026, 3, 2))
        lone = consenting(session, birth_date=date(2010, 1, 1))  # no territory, under 18
        event(session, lone, "intake", date(2026, 3, 2))
        session.commit()
        territory = report(session, by="territory", threshold=5)
        ages = report(session, by="age", threshold=5)
    rows = {row["dimension"]: row for row in territory.rows}
    assert list(rows) == ["Mercier-Est", "inconnu", "Total"]
    assert rows["Mercier-Est"]["clients"] is None  # complementary: would give "inconnu" away
    assert rows["inconnu"]["clients"] is None
    assert rows["Total"]["clients"] == 7
    assert {"row": "inconnu", "column": "clients"} in territory.suppressed
    assert [row["dimension"] for row in ages.rows][:3] == ["moins de 18 ans", "18-24", "25-34"]
    assert ages.rows[0]["clients"] is None and ages.rows[2]["clients"] is None
    assert ages.rows[1]["clients"] == 0  # zeros are shown


def test_activities_and_publication_downloads(db_url: str) -> None:
    with session_scope(db_url) as session:
        alima = records_factories.organisation(session)
        assert alima.id
        session.add(OrganisationActivity(organisation_id=alima.id, kind="training", title="A",
                                         held_on=date(2026, 3, 3), participants=12))  # fmt: skip
        session.add(OrganisationActivity(organisation_id=alima.id, kind="training", title="B",
                                         held_on=date(2026, 3, 9), participants=8))  # fmt: skip
        session.add(OrganisationActivity(organisation_id=alima.id, kind="media", title="C",
                                         held_on=date(2026, 3, 9), readers=5000))  # fmt: skip
        session.commit()
        count_publication_download(session, "bulletin-2026-02.pdf", on=date(2026, 3, 4))
        count_publication_download(session, "bulletin-2026-02.pdf", on=date(2026, 4, 4))
        with pytest.raises(InvalidInput):
            count_publication_download(session, "  ")
        assert len(session.exec(select(PublicationDownload)).all()) == 2
        rows = {row["activity_kind"]: row for row in report(session, threshold=5).activities.rows}
    assert rows["training"] == {"activity_kind": "training", "activities": 2,
                                "participants": 20, "readers": 0, "downloads": 0}  # fmt: skip
    assert rows["media"]["readers"] == 5000
    assert rows["publication"]["downloads"] == 1


def test_roles_audit_and_periods(db_url: str) -> None:
    with session_scope(db_url) as session:
        alima = records_factories.organisation(session)
        sesame = records_factories.organisation(session, "sesame")
        session.commit()
        assert alima.id and sesame.id
        analyst = person(session, "analyst")
        dietitian = person(session, "dietitian")
        outputs_report(session, analyst, None, "2026-Q1", "2026-Q1", threshold=5)
        with pytest.raises(Forbidden):
            outputs_report(session, dietitian, "alima", "2026-01", "2026-01", threshold=5)
        with pytest.raises(NotFound):
            outputs_report(session, analyst, "sesame", "2026-01", "2026-01", threshold=5)
        audits = session.exec(select(AuditEvent)).all()
    assert [(a.action, a.record_type, a.client_id) for a in audits] == [
        ("report", "outputs_report", None)
    ]
    assert period_bounds("2026-Q1", "2026-02") == (date(2026, 1, 1), date(2026, 2, 28))
    with pytest.raises(InvalidInput):
        period_bounds("2026-13", "2026-12")
    assert age_band(date(2008, 4, 1), date(2026, 3, 31)) == "moins de 18 ans"
    assert age_band(date(1961, 3, 31), date(2026, 3, 31)) == "65 ans et plus"
    assert age_band(None, date(2026, 3, 31)) == "inconnu"
