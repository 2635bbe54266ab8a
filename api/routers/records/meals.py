"""Meals on wheels under /v1/records: plans, routes, the day's runs, sheets, outcomes, follow-ups.

Coordinators manage plans (clients:write) and plan the day (services:write); drivers
(deliveries:read) see only their own runs' sheets and record what happened at their stops.
Another organisation's records answer 404.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from api.access import requires
from api.deps import SessionDep
from api.errors import ERROR_RESPONSES
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.meals.kitchen import KitchenCount, kitchen_count
from services.records.meals.outcomes import (
    FollowupView,
    OutcomeInput,
    OutcomeView,
    Step,
    close_followup,
    escalate,
    list_followups,
    record_outcome,
)
from services.records.meals.plans import (
    PlanChange,
    PlanInput,
    PlanView,
    RouteInput,
    RouteView,
    create_plan,
    create_route,
    list_plans,
    list_routes,
    update_plan,
)
from services.records.meals.runs import DayPlan, RunView, list_runs, plan_day, reorder_run
from services.records.meals.sheets import RouteSheet, route_sheet, sheet_pdf

router = APIRouter(
    prefix="/v1/records", tags=["records: meals on wheels"], responses=ERROR_RESPONSES
)
PlanWriter = Annotated[Actor, requires(Permission.CLIENTS_WRITE)]
PlanReader = Annotated[Actor, requires(Permission.CLIENTS_READ)]
Planner = Annotated[Actor, requires(Permission.SERVICES_WRITE)]
Driver = Annotated[Actor, requires(Permission.DELIVERIES_READ)]
Org = Annotated[str | None, Query(description="Organisation slug")]


class PlanDayInput(BaseModel):
    """Which day to plan, and how."""

    run_date: date
    replan: bool = Field(default=False, description="Plan again a day already planned")
    resolve_hand_ordered: bool = Field(
        default=False, description="Re-solve the runs ordered by hand too"
    )
    method: Literal["solve", "default"] = "solve"


class OrderInput(BaseModel):
    """A run's stop ids in the order wanted."""

    stop_ids: list[int]
    save_as_default: bool = False


class EscalateInput(BaseModel):
    """The escalation step just done."""

    step: Step


class CloseInput(BaseModel):
    """What was done."""

    resolution: str = Field(min_length=1, max_length=500)


@router.post("/clients/{client_id}/meal-plans", status_code=201)
def add_plan(actor: PlanWriter, session: SessionDep, client_id: int, body: PlanInput) -> PlanView:
    """Add a meal plan (coordinates from the postal code unless given)."""
    return create_plan(session, actor, client_id, body)


@router.get("/clients/{client_id}/meal-plans")
def plans(actor: PlanReader, session: SessionDep, client_id: int) -> list[PlanView]:
    """A client's meal plans."""
    return list_plans(session, actor, client_id)


@router.patch("/meal-plans/{plan_id}")
def change_plan(actor: PlanWriter, session: SessionDep, plan_id: int, body: PlanChange) -> PlanView:
    """Change a plan: its end and reason, diet, route and default position..."""
    return update_plan(session, actor, plan_id, body)


@router.post("/delivery-routes", status_code=201)
def add_route(actor: Planner, session: SessionDep, body: RouteInput, org: Org = None) -> RouteView:
    """Add a delivery route."""
    return create_route(session, actor, body, org)


@router.get("/delivery-routes")
def routes(actor: Planner, session: SessionDep, org: Org = None) -> list[RouteView]:
    """The organisation's routes."""
    return list_routes(session, actor, org)


@router.post("/delivery-runs/plan")
def plan(actor: Planner, session: SessionDep, body: PlanDayInput, org: Org = None) -> DayPlan:
    """Build the day's runs from the plans due that day (VROOM, or the routes' default order)."""
    return plan_day(
        session,
        actor,
        body.run_date,
        org,
        replan=body.replan,
        resolve_hand_ordered=body.resolve_hand_ordered,
        method=body.method,
    )


@router.get("/delivery-runs")
def runs(actor: Driver, session: SessionDep, run_date: date, org: Org = None) -> list[RunView]:
    """The day's runs: all of them for a coordinator, her own for a driver."""
    return list_runs(session, actor, run_date, org)


@router.put("/delivery-runs/{run_id}/order")
def reorder(actor: Planner, session: SessionDep, run_id: int, body: OrderInput) -> RunView:
    """Put a run's stops in a hand-chosen order, kept through re-planning."""
    return reorder_run(session, actor, run_id, body.stop_ids, save_as_default=body.save_as_default)


@router.get("/delivery-runs/{run_id}/sheet")
def sheet(actor: Driver, session: SessionDep, run_id: int) -> RouteSheet:
    """The route sheet: order, address, door notes, diet, allergies, meals, phone."""
    return route_sheet(session, actor, run_id)


@router.get(
    "/delivery-runs/{run_id}/sheet.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
)
def sheet_as_pdf(actor: Driver, session: SessionDep, run_id: int) -> Response:
    """The route sheet as a printable PDF (French)."""
    content = sheet_pdf(route_sheet(session, actor, run_id))
    headers = {"Content-Disposition": f'inline; filename="feuille-de-route-{run_id}.pdf"'}
    return Response(content, media_type="application/pdf", headers=headers)


@router.post("/delivery-stops/{stop_id}/outcome")
def outcome(actor: Driver, session: SessionDep, stop_id: int, body: OutcomeInput) -> OutcomeView:
    """Record what happened at a stop of one's run; a no-answer opens a follow-up."""
    return record_outcome(session, actor, stop_id, body)


@router.get("/kitchen-count")
def kitchen(actor: Driver, session: SessionDep, run_date: date, org: Org = None) -> KitchenCount:
    """The day's meals by diet, texture and hot or frozen (counts only)."""
    return kitchen_count(session, actor, run_date, org)


@router.get("/delivery-followups")
def followups(
    actor: Planner, session: SessionDep, org: Org = None, open_only: bool = True
) -> list[FollowupView]:
    """Safety follow-ups after a no-answer (the open ones by default)."""
    return list_followups(session, actor, org, open_only=open_only)


@router.post("/delivery-followups/{followup_id}/escalate")
def escalate_followup(
    actor: Planner, session: SessionDep, followup_id: int, body: EscalateInput
) -> FollowupView:
    """Record an escalation step: client_called, office_told, emergency_contact_called."""
    return escalate(session, actor, followup_id, body.step)


@router.post("/delivery-followups/{followup_id}/close")
def close(actor: Planner, session: SessionDep, followup_id: int, body: CloseInput) -> FollowupView:
    """Close a follow-up with what was done."""
    return close_followup(session, actor, followup_id, body.resolution)
