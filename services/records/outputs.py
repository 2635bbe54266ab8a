"""The outputs report for funders ("extrants"): clients served, services, coupons, referrals,
and the organisation's activities, by period and optionally by program, territory or age band.

Columns, in this order, whatever the data (a funder's spreadsheet reads them by position):
    dimension, clients, new_clients, continuing_clients, services_<kind> for each kind of
    SERVICE_KINDS, services_total, group_attendance, coupons_given, coupons_value, referrals
and for the activities (a second sheet in XLSX, a second block in CSV, `activities` in JSON):
    activity_kind, activities, participants, readers, downloads
and Le Sésame's operations: the `sesame` object in JSON (services/records/outputs_sesame.py).
Rules:
- Law 25: only clients with a `statistics` consent in force on the period's last day count;
  others are in no figure, only their number (`excluded_without_consent`, suppressed if small).
- A client counts once in `clients` however many services she had ("unduplicated"); she is
  new when her first service or enrolment ever falls in the period, continuing otherwise.
- Every client figure is suppressed by services/records/suppression.py; `coupons_value`
  is hidden wherever `coupons_given` is. Activities are not about clients: not suppressed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session, col, func, select

from core.errors import N_, InvalidInput
from core.models import (
    Attendance,
    Client,
    Distribution,
    DistributionLine,
    Enrolment,
    GroupSession,
    Program,
    Referral,
    Region,
    ServiceEvent,
)
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.activities import ActivitiesSection, activities_section
from services.records.audit import audit
from services.records.consents import active_consent
from services.records.outputs_sesame import SesameSection, sesame_section
from services.records.report_periods import period_bounds
from services.records.scope import organisation_for
from services.records.suppression import suppress_count, suppress_table

SERVICE_KINDS = (
    "intake",
    "individual_consultation",
    "phone_follow_up",
    "home_visit",
    "group_attendance",
    "referral",
    "distribution",
)
COLUMNS = (
    "dimension",
    "clients",
    "new_clients",
    "continuing_clients",
    *(f"services_{kind}" for kind in SERVICE_KINDS),
    "services_total",
    "group_attendance",
    "coupons_given",
    "coupons_value",
    "referrals",
)
DIMENSIONS = ("program", "territory", "age")
AGE_BANDS = ("moins de 18 ans", "18-24", "25-34", "35-44", "45-64", "65 ans et plus", "inconnu")
UNKNOWN = "inconnu"
NO_PROGRAM = "sans programme"
TOTAL = "Total"


class OutputsReport(BaseModel):
    """The report as published: suppressed cells are None and listed in `suppressed`."""

    organisation: str
    period_from: str
    period_to: str
    starts_on: date
    ends_on: date
    by: str | None
    threshold: int
    rounded_to_5: bool
    columns: list[str]
    rows: list[dict[str, Any]]
    suppressed: list[dict[str, str]]
    excluded_without_consent: int | None
    activities: ActivitiesSection
    sesame: SesameSection


def age_band(birth_date: date | None, on: date) -> str:
    """The age band of someone born on `birth_date`, on `on`."""
    if birth_date is None:
        return UNKNOWN
    age = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    for limit, band in ((18, AGE_BANDS[0]), (25, "18-24"), (35, "25-34"), (45, "35-44")):
        if age < limit:
            return band
    return "45-64" if age < 65 else AGE_BANDS[5]


@dataclass
class _Row:
    """The raw counts of one row (a program, a territory, an age band, or the total)."""

    clients: set[int] = field(default_factory=set)
    services: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SERVICE_KINDS, 0))
    attendance: int = 0
    coupons: int = 0
    value: Decimal = Decimal(0)
    referrals: int = 0


def outputs_report(
    session: Session,
    actor: Actor,
    organisation: str | None,
    period_from: str,
    period_to: str,
    *,
    by: str | None = None,
    threshold: int,
    round5: bool = False,
) -> OutputsReport:
    """Build the suppressed outputs report of an organisation (REPORTS_READ), audited once."""
    if by is not None and by not in DIMENSIONS:
        raise InvalidInput(
            N_("--by must be one of %(dimensions)s"), dimensions=", ".join(DIMENSIONS)
        )
    if threshold < 1:
        raise InvalidInput(N_("the suppression threshold must be at least 1"))
    owner = organisation_for(session, actor, Permission.REPORTS_READ, organisation)
    assert owner.id is not None
    starts_on, ends_on = period_bounds(period_from, period_to)
    facts = _facts(session, owner.id, starts_on, ends_on)
    served = {fact[0] for fact in facts}
    counted = {
        client_id
        for client_id in served
        if active_consent(session, client_id, "statistics", on=ends_on) is not None
    }
    first_seen = _first_seen(session, counted)
    new = {client_id for client_id in counted if first_seen.get(client_id, starts_on) >= starts_on}
    labels = _row_labels(session, owner.id, by, counted, ends_on)
    rows: dict[str, _Row] = {label: _Row() for label in labels["order"]}
    total = _Row()
    for client_id, kind, program_id, amount, value, on in facts:
        if client_id not in counted:
            continue
        label = _label(labels, by, client_id, program_id, on)
        for row in (rows.setdefault(label, _Row()), total) if by else (total,):
            _add(row, client_id, kind, amount, value)
    report_rows = _suppressed_rows(rows if by else {TOTAL: total}, total, new, threshold, round5)
    audit(
        session, actor, "report", "outputs_report", organisation_id=owner.id,
        detail=f"{period_from}..{period_to} by={by or '-'} clients={len(counted)}",
    )  # fmt: skip
    session.commit()
    return OutputsReport(
        organisation=owner.slug,
        period_from=period_from,
        period_to=period_to,
        starts_on=starts_on,
        ends_on=ends_on,
        by=by,
        threshold=threshold,
        rounded_to_5=round5,
        columns=list(COLUMNS),
        rows=report_rows[0],
        suppressed=report_rows[1],
        excluded_without_consent=suppress_count(len(served - counted), threshold),
        activities=activities_section(session, owner.id, starts_on, ends_on),
        sesame=sesame_section(session, owner.id, starts_on, ends_on, threshold),
    )


# One fact: client, what ("service:<kind>", "attendance", "coupons", "referral"), program,
# how many, value, day.
Fact = tuple[int, str, int | None, int, Decimal, date]


def _facts(session: Session, organisation_id: int, starts_on: date, ends_on: date) -> list[Fact]:
    """Every service of the organisation's clients in the period, as facts."""
    mine = Client.organisation_id == organisation_id
    facts: list[Fact] = []
    events = session.exec(
        select(ServiceEvent.client_id, ServiceEvent.kind, ServiceEvent.program_id)
        .join(Client, col(Client.id) == ServiceEvent.client_id)
        .where(mine, col(ServiceEvent.occurred_on).between(starts_on, ends_on))
    ).all()
    facts += [(c, f"service:{k}", p, 1, Decimal(0), starts_on) for c, k, p in events]
    present = session.exec(
        select(Attendance.client_id, GroupSession.program_id)
        .join(GroupSession, col(GroupSession.id) == Attendance.group_session_id)
        .join(Client, col(Client.id) == Attendance.client_id)
        .where(mine, col(Attendance.present), col(GroupSession.held_on).between(starts_on, ends_on))
    ).all()
    facts += [(c, "attendance", p, 1, Decimal(0), starts_on) for c, p in present]
    lines = session.exec(
        select(
            Distribution.client_id,
            Distribution.program_id,
            DistributionLine.count,
            col(DistributionLine.value),
        )
        .join(Distribution, col(Distribution.id) == DistributionLine.distribution_id)
        .join(Client, col(Client.id) == Distribution.client_id)
        .where(mine, col(Distribution.distributed_on).between(starts_on, ends_on))
    ).all()
    facts += [(c, "coupons", p, n, v or Decimal(0), starts_on) for c, p, n, v in lines]
    referrals = session.exec(
        select(col(Referral.client_id), col(Referral.referred_on))
        .join(Client, col(Client.id) == Referral.client_id)
        .where(mine, col(Referral.referred_on).between(starts_on, ends_on))
    ).all()
    facts += [(c, "referral", None, 1, Decimal(0), on) for c, on in referrals]
    return facts


def _first_seen(session: Session, clients: set[int]) -> dict[int, date]:
    """The day of each client's first service or enrolment, ever."""
    if not clients:
        return {}
    first: dict[int, date] = {}
    queries = (
        (col(ServiceEvent.client_id), col(ServiceEvent.occurred_on)),
        (col(Enrolment.client_id), col(Enrolment.starts_on)),
        (col(Distribution.client_id), col(Distribution.distributed_on)),
        (col(Referral.client_id), col(Referral.referred_on)),
    )
    for client_column, day in queries:
        rows = session.exec(
            select(client_column, func.min(day))
            .where(client_column.in_(clients))
            .group_by(client_column)
        ).all()
        for client_id, earliest in rows:
            if client_id not in first or earliest < first[client_id]:
                first[client_id] = earliest
    attended = session.exec(
        select(col(Attendance.client_id), func.min(GroupSession.held_on))
        .join(GroupSession, col(GroupSession.id) == Attendance.group_session_id)
        .where(col(Attendance.client_id).in_(clients), col(Attendance.present))
        .group_by(col(Attendance.client_id))
    ).all()
    for client_id, earliest in attended:
        if client_id not in first or earliest < first[client_id]:
            first[client_id] = earliest
    return first


def _row_labels(
    session: Session, organisation_id: int, by: str | None, clients: set[int], ends_on: date
) -> dict[str, Any]:
    """The rows of the dimension in their stable order, and what puts a fact in each."""
    if by is None:
        return {"order": []}
    if by == "program":
        programs = session.exec(
            select(Program)
            .where(Program.organisation_id == organisation_id)
            .order_by(col(Program.id))
        ).all()
        enrolments = session.exec(
            select(Enrolment)
            .where(col(Enrolment.client_id).in_(clients))
            .order_by(col(Enrolment.id))
        ).all()
        return {
            "order": [program.name_fr for program in programs],
            "program": {program.id: program.name_fr for program in programs},
            "enrolments": enrolments,
        }
    people = session.exec(
        select(col(Client.id), col(Client.birth_date), col(Region.name))
        .join(Region, col(Region.id) == Client.territory_id, isouter=True)
        .where(col(Client.id).in_(clients))
    ).all()
    if by == "territory":
        names = {client_id: name or UNKNOWN for client_id, _, name in people}
        known = sorted(set(names.values()) - {UNKNOWN})
        return {"order": [*known, UNKNOWN], "client": names}
    bands = {client_id: age_band(born, ends_on) for client_id, born, _ in people}
    return {"order": list(AGE_BANDS), "client": bands}


def _label(
    labels: dict[str, Any], by: str | None, client_id: int, program_id: int | None, on: date
) -> str:
    if by != "program":
        return str(labels.get("client", {}).get(client_id, UNKNOWN))
    if program_id is None:  # a referral: the program she was enrolled in that day
        for enrolment in labels["enrolments"]:
            current = enrolment.ends_on is None or enrolment.ends_on >= on
            if enrolment.client_id == client_id and enrolment.starts_on <= on and current:
                program_id = enrolment.program_id
                break
    return str(labels["program"].get(program_id, NO_PROGRAM))


def _add(row: _Row, client_id: int, kind: str, amount: int, value: Decimal) -> None:
    row.clients.add(client_id)
    if kind.startswith("service:"):
        service = kind.removeprefix("service:")
        if service in row.services:
            row.services[service] += 1
    elif kind == "attendance":
        row.attendance += 1
    elif kind == "coupons":
        row.coupons += amount
        row.value += value
    else:
        row.referrals += 1


def _suppressed_rows(
    rows: dict[str, _Row], total: _Row, new: set[int], threshold: int, round5: bool
) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The rows (and the total) with every client figure suppressed, block by block."""
    labels, values = list(rows), list(rows.values())
    single = len(values) == 1 and labels == [TOTAL]
    blocks: dict[str, Any] = {}
    clients = suppress_table(
        [[len(r.clients & new), len(r.clients - new)] for r in values], threshold,
        row_totals=[len(r.clients) for r in values],
        column_totals=[len(total.clients & new), len(total.clients - new)],
        grand_total=len(total.clients), round5=round5,
    )  # fmt: skip
    blocks["clients"] = clients
    services = [f"services_{kind}" for kind in SERVICE_KINDS]
    blocks["services"] = suppress_table(
        [[r.services[kind] for kind in SERVICE_KINDS] for r in values], threshold, round5=round5
    )
    for name, attribute in (
        ("group_attendance", "attendance"),
        ("coupons_given", "coupons"),
        ("referrals", "referrals"),
    ):
        blocks[name] = suppress_table(
            [[getattr(r, attribute)] for r in values], threshold, round5=round5
        )
    shown_rows: list[dict[str, Any]] = []
    for index, label in enumerate([*labels, TOTAL]):
        if single and index == 1:
            break  # no dimension: the one row is the total already

        def cell(block: str, column: int, at: int = index) -> int | None:
            table = blocks[block]
            if at < len(labels):
                return table.cells[at][column] if column >= 0 else table.row_totals[at]
            return table.column_totals[column] if column >= 0 else table.grand_total

        source = values[index] if index < len(labels) else total
        coupons = cell("coupons_given", 0)
        row: dict[str, Any] = {
            "dimension": label,
            "clients": cell("clients", -1),
            "new_clients": cell("clients", 0),
            "continuing_clients": cell("clients", 1),
            **{name: cell("services", j) for j, name in enumerate(services)},
            "services_total": cell("services", -1),
            "group_attendance": cell("group_attendance", 0),
            "coupons_given": coupons,
            "coupons_value": None if coupons is None else float(round(source.value, 2)),
            "referrals": cell("referrals", 0),
        }
        shown_rows.append({column: row[column] for column in COLUMNS})
    suppressed = [
        {"row": row["dimension"], "column": column}
        for row in shown_rows
        for column in COLUMNS[1:]
        if row[column] is None
    ]
    return shown_rows, suppressed
