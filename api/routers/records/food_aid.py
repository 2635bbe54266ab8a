"""Food aid (dépannage): visits, the items given and their value, frequency rules."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from api.access import requires
from api.deps import SessionDep
from api.errors import ERROR_RESPONSES
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.food_aid import (
    PROGRAM,
    Eligibility,
    RuleIn,
    RuleOut,
    VisitIn,
    VisitOut,
    eligibility,
    list_visits,
    read_rule,
    read_visit,
    record_visit,
    set_rule,
)

router = APIRouter(prefix="/v1/records", tags=["records: food aid"], responses=ERROR_RESPONSES)


@router.put("/food-aid/rule")
def put_rule(
    body: RuleIn,
    session: SessionDep,
    actor: Annotated[Actor, requires(Permission.PROGRAMS_MANAGE)],
    org: Annotated[str | None, Query(description="Organisation slug")] = None,
) -> RuleOut:
    """Put a visit-frequency rule in force for a program (the previous one stops)."""
    return set_rule(session, actor, body, org)


@router.get("/food-aid/rule")
def get_rule(
    session: SessionDep,
    actor: Annotated[Actor, requires(Permission.SERVICES_WRITE)],
    program: str = PROGRAM,
    org: Annotated[str | None, Query(description="Organisation slug")] = None,
) -> RuleOut | None:
    """The visit-frequency rule in force for a program (null: none)."""
    return read_rule(session, actor, program, org)


@router.get("/clients/{client_id}/food-aid/eligibility")
def get_eligibility(
    client_id: int,
    session: SessionDep,
    actor: Annotated[Actor, requires(Permission.SERVICES_WRITE)],
    on: date | None = None,
    program: str = PROGRAM,
) -> Eligibility:
    """Whether she may come on a day, and where to refer her if not."""
    return eligibility(session, actor, client_id, on, program)


@router.post("/clients/{client_id}/food-aid/visits", status_code=201)
def post_visit(
    client_id: int,
    body: VisitIn,
    session: SessionDep,
    actor: Annotated[Actor, requires(Permission.SERVICES_WRITE)],
) -> VisitOut:
    """Record a visit and the items given (refused with 422 over a "refuse" rule)."""
    return record_visit(session, actor, client_id, body)


@router.get("/clients/{client_id}/food-aid/visits")
def get_visits(
    client_id: int, session: SessionDep, actor: Annotated[Actor, requires(Permission.CLIENTS_READ)]
) -> list[VisitOut]:
    """A household's visits, latest first."""
    return list_visits(session, actor, client_id)


@router.get("/food-aid/visits/{visit_id}")
def get_visit(
    visit_id: int, session: SessionDep, actor: Annotated[Actor, requires(Permission.CLIENTS_READ)]
) -> VisitOut:
    """One visit and its value."""
    return read_visit(session, actor, visit_id)
