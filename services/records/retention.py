"""Retention (Law 25 s. 23): once a file is closed long enough, destroy or anonymise it.

A closed file is due when `closed_on` plus the retention months of its rule is on or before
today. The rule is the longest of the programs she was enrolled in (a tie goes to
"anonymise", which keeps the counts); with no enrolment, the longest of her organisation's
programs. A file merged into another follows the one it was merged into and is left alone;
an anonymised file is never due again.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Literal

from pydantic import BaseModel
from sqlmodel import Session, col, select

from core.models import Client, Enrolment, Organisation, Program
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.anonymise import anonymise_file
from services.records.audit import audit
from services.records.client_rows import delete_file_rows, file_row_ids
from services.records.scope import organisation_for

Action = Literal["destroy", "anonymise"]


class RetentionDecision(BaseModel):
    """What happens to one file, and why."""

    client_id: int
    file_number: str
    closed_on: date
    due_on: date
    action: Action
    program: str
    retention_months: int
    reason: str


class RetentionReport(BaseModel):
    """The files due on `today` and, once run, the rows touched."""

    organisation: str
    today: date
    dry_run: bool
    decisions: list[RetentionDecision]
    rows: dict[str, int]


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day if it has fewer days."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _longest(programs: list[Program]) -> Program:
    # Longest first; on a tie "anonymise" (keeps the counts) before "destroy".
    return max(programs, key=lambda p: (p.retention_months, p.retention_action == "anonymise"))


def due_files(session: Session, organisation: Organisation, today: date) -> list[RetentionDecision]:
    """The organisation's closed files whose retention has run out on `today`."""
    programs = session.exec(select(Program).where(Program.organisation_id == organisation.id)).all()
    if not programs:
        return []
    by_id = {program.id: program for program in programs}
    clients = session.exec(
        select(Client)
        .where(
            Client.organisation_id == organisation.id,
            Client.status == "closed",
            col(Client.closed_on).is_not(None),
            col(Client.anonymised_at).is_(None),
            col(Client.merged_into_id).is_(None),
        )
        .order_by(col(Client.closed_on), col(Client.id))
    ).all()
    decisions = []
    for client in clients:
        assert client.id is not None and client.closed_on is not None
        enrolled = session.exec(
            select(Enrolment.program_id).where(Enrolment.client_id == client.id)
        ).all()
        mine = [by_id[pid] for pid in set(enrolled) if pid in by_id]
        rule = _longest(mine or list(programs))
        due_on = add_months(client.closed_on, rule.retention_months)
        if due_on > today:
            continue
        whose = "programme suivi" if mine else "aucun programme: règle la plus longue"
        decisions.append(
            RetentionDecision(
                client_id=client.id,
                file_number=client.file_number,
                closed_on=client.closed_on,
                due_on=due_on,
                action="destroy" if rule.retention_action == "destroy" else "anonymise",
                program=rule.code,
                retention_months=rule.retention_months,
                reason=(
                    f"fermé le {client.closed_on.isoformat()}, {whose} {rule.code} "
                    f"({rule.retention_months} mois), échu le {due_on.isoformat()}"
                ),
            )
        )
    return decisions


def preview_retention(
    session: Session, actor: Actor, *, organisation: str | None = None, today: date | None = None
) -> RetentionReport:
    """What a run would do on `today`, changing nothing but one "read" audit row."""
    org = organisation_for(session, actor, Permission.PRIVACY_MANAGE, organisation)
    today = today or date.today()
    decisions = due_files(session, org, today)
    audit(
        session,
        actor,
        "read",
        "retention_preview",
        organisation_id=org.id,
        detail=f"{len(decisions)} files due on {today.isoformat()}",
    )
    session.commit()
    return RetentionReport(
        organisation=org.slug, today=today, dry_run=True, decisions=decisions, rows={}
    )


def run_retention(
    session: Session, actor: Actor, *, organisation: str | None = None, today: date | None = None
) -> RetentionReport:
    """Destroy or anonymise every file due on `today`, in one transaction.

    Destroy deletes her client row and every row reaching it (children first); anonymise
    blanks what names her (services/records/anonymise.py). Each file leaves one audit row,
    "purge" or "anonymise", with her id as a number and no name; the audit rows about her
    stay, having no foreign key.
    """
    org = organisation_for(session, actor, Permission.PRIVACY_MANAGE, organisation)
    today = today or date.today()
    decisions = due_files(session, org, today)
    totals: dict[str, int] = {}
    for decision in decisions:
        found = file_row_ids(session, decision.client_id)
        if decision.action == "destroy":
            counts = delete_file_rows(session, found)
        else:
            counts = anonymise_file(session, found)
        for table, count in counts.items():
            totals[table] = totals.get(table, 0) + count
        audit(
            session,
            actor,
            "purge" if decision.action == "destroy" else "anonymise",
            "client",
            record_id=decision.client_id,
            client_id=decision.client_id,
            organisation_id=org.id,
            detail=(
                f"retention {decision.program} {decision.retention_months} mois, "
                f"fermé le {decision.closed_on.isoformat()}; "
                + ", ".join(f"{t} {n}" for t, n in sorted(counts.items()))
            ),
        )
    session.commit()
    # The ORM's copies of the rows changed by SQL statements above are stale now.
    session.expire_all()
    return RetentionReport(
        organisation=org.slug, today=today, dry_run=False, decisions=decisions, rows=totals
    )
