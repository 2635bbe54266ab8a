"""Food aid (dépannage): households' visits, what they were given, and how often they may come.

A frequency rule is data, per program: at most `max_visits` visits in any `window_days` days
(the visit's day and the days before it). When a household has reached it, the rule's action
says what happens: "refuse" (the visit is not recorded, the refusal is audited and the answer
names the resource to refer her to) or "flag" (the visit is recorded, flagged, and a referral
to that resource is made if asked). Items given are valued at her territory's basket prices.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from pydantic import BaseModel, Field
from sqlmodel import Session, col, select

from core.errors import N_, InvalidInput
from core.models import Client, FoodAidItem, FoodAidRule, FoodAidVisit, Region
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.audit import audit
from services.records.basket_values import check_items, client_basis, value_items
from services.records.boxes import FoodItemIn
from services.records.care_scope import check_choice, program_code, program_of
from services.records.coupon_values import cents
from services.records.referrals import refer
from services.records.scope import client_for, client_record_for, organisation_for

PROGRAM = "food_aid"
ACTIONS = ("refuse", "flag")


class RuleIn(BaseModel):
    """A visit-frequency rule of a program: at most `max_visits` in any `window_days` days."""

    program: str = Field(default=PROGRAM, description="Program code (food_aid)")
    max_visits: int = Field(gt=0, le=100)
    window_days: int = Field(default=30, gt=0, le=366)
    action: str = Field(default="refuse", description="refuse or flag")
    referral_resource: str | None = Field(default=None, max_length=200)


class RuleOut(RuleIn):
    """The rule in force for the food-aid program."""

    rule_id: int


class Eligibility(BaseModel):
    """Whether a household may come on a day under the rule, and if not, where to refer her."""

    client_id: int
    on: date
    allowed: bool
    visits_in_window: int
    rule: RuleOut | None
    next_allowed_on: date | None
    suggested_referral: str | None


class VisitIn(BaseModel):
    """A food-aid visit and the items given; `refer`: make the suggested referral if flagged."""

    program: str = Field(default=PROGRAM, description="Program code (food_aid)")
    visited_on: date | None = Field(default=None, description="Today when absent")
    items: list[FoodItemIn] = Field(min_length=1)
    refer: bool = False


class VisitItemOut(FoodItemIn):
    """An item given and its value (None: no price)."""

    value: Decimal | None
    price_status: str


class VisitOut(BaseModel):
    """A visit, its value at her territory's prices, and whether it went over the rule."""

    visit_id: int
    client_id: int
    visited_on: date
    flagged: bool
    referral_id: int | None
    suggested_referral: str | None
    region: str | None
    period: str | None
    total_value: Decimal | None
    price_status: str
    items: list[VisitItemOut]


def active_rule(session: Session, program_id: int) -> FoodAidRule | None:
    """A program's frequency rule in force (the latest set), if any."""
    return session.exec(
        select(FoodAidRule)
        .where(FoodAidRule.program_id == program_id, FoodAidRule.active)
        .order_by(FoodAidRule.id.desc())  # type: ignore[union-attr]
    ).first()


def _rule_out(session: Session, rule: FoodAidRule) -> RuleOut:
    assert rule.id is not None
    return RuleOut(
        rule_id=rule.id,
        program=program_code(session, rule.program_id),
        max_visits=rule.max_visits,
        window_days=rule.window_days,
        action=rule.action,
        referral_resource=rule.referral_resource,
    )


def set_rule(session: Session, actor: Actor, rule: RuleIn, org: str | None = None) -> RuleOut:
    """Put a frequency rule in force for food aid; the previous one stops (kept, inactive)."""
    organisation = organisation_for(session, actor, Permission.PROGRAMS_MANAGE, org)
    assert organisation.id is not None
    check_choice(rule.action, ACTIONS, "action")
    program = program_of(session, organisation.id, rule.program)
    assert program.id is not None
    for old in session.exec(
        select(FoodAidRule).where(FoodAidRule.program_id == program.id, FoodAidRule.active)
    ).all():
        old.active = False
        session.add(old)
    row = FoodAidRule(
        organisation_id=organisation.id,
        program_id=program.id,
        **rule.model_dump(exclude={"program"}),
    )
    session.add(row)
    session.flush()
    audit(
        session, actor, "create", "food_aid_rule", record_id=row.id, organisation_id=organisation.id
    )
    session.commit()
    return _rule_out(session, row)


def read_rule(
    session: Session, actor: Actor, program: str = PROGRAM, org: str | None = None
) -> RuleOut | None:
    """The frequency rule in force for a program of her organisation (None: no rule)."""
    organisation = organisation_for(session, actor, Permission.SERVICES_WRITE, org)
    assert organisation.id is not None
    chosen = program_of(session, organisation.id, program)
    assert chosen.id is not None
    rule = active_rule(session, chosen.id)
    return _rule_out(session, rule) if rule else None


def _eligibility(session: Session, client: Client, program_id: int, on: date) -> Eligibility:
    assert client.id is not None
    rule = active_rule(session, program_id)
    if rule is None:
        return Eligibility(
            client_id=client.id,
            on=on,
            allowed=True,
            visits_in_window=0,
            rule=None,
            next_allowed_on=None,
            suggested_referral=None,
        )
    first_day = on - timedelta(days=rule.window_days - 1)
    days = sorted(
        session.exec(
            select(col(FoodAidVisit.visited_on)).where(
                FoodAidVisit.client_id == client.id,
                FoodAidVisit.program_id == program_id,
                FoodAidVisit.visited_on >= first_day,
                FoodAidVisit.visited_on <= on,
            )
        ).all()
    )
    allowed = len(days) < rule.max_visits
    # She may come again once enough of the visits in the window have left it.
    leaving = days[len(days) - rule.max_visits] if not allowed else None
    return Eligibility(
        client_id=client.id,
        on=on,
        allowed=allowed,
        visits_in_window=len(days),
        rule=_rule_out(session, rule),
        next_allowed_on=leaving + timedelta(days=rule.window_days) if leaving else None,
        suggested_referral=None if allowed else rule.referral_resource,
    )


def eligibility(
    session: Session,
    actor: Actor,
    client_id: int,
    on: date | None = None,
    program: str = PROGRAM,
) -> Eligibility:
    """Whether a household may receive food aid from a program on a day (today unless told)."""
    client = client_for(session, actor, client_id, Permission.SERVICES_WRITE)
    chosen = program_of(session, client.organisation_id, program)
    assert chosen.id is not None
    answer = _eligibility(session, client, chosen.id, on or date.today())
    audit(session, actor, "read", "food_aid_eligibility", client=client)
    session.commit()
    return answer


def _visit_out(session: Session, visit: FoodAidVisit, suggested: str | None) -> VisitOut:
    assert visit.id is not None
    items = session.exec(
        select(FoodAidItem)
        .where(FoodAidItem.food_aid_visit_id == visit.id)
        .order_by(FoodAidItem.id)  # type: ignore[arg-type]
    ).all()
    region = session.get(Region, visit.region_id) if visit.region_id else None
    return VisitOut(
        visit_id=visit.id,
        client_id=visit.client_id,
        visited_on=visit.visited_on,
        flagged=visit.flagged,
        referral_id=visit.referral_id,
        suggested_referral=suggested,
        region=region.code if region else None,
        period=visit.period,
        total_value=visit.total_value,
        price_status=visit.price_status,
        items=[
            VisitItemOut(
                item_code=i.item_code,
                quantity=i.quantity,
                value=i.value,
                price_status=i.price_status,
            )
            for i in items
        ],
    )


def record_visit(session: Session, actor: Actor, client_id: int, visit: VisitIn) -> VisitOut:
    """Record a visit and the items given, under the program's frequency rule.

    Raises:
        InvalidInput: the rule is reached and its action is "refuse" (the refusal is audited;
            the message says when she may come again and where to refer her).
    """
    client = client_for(session, actor, client_id, Permission.SERVICES_WRITE)
    on = visit.visited_on or date.today()
    items = check_items(session, ((i.item_code, i.quantity) for i in visit.items))
    program = program_of(session, client.organisation_id, visit.program)
    assert program.id is not None
    check = _eligibility(session, client, program.id, on)
    if not check.allowed and check.rule and check.rule.action == "refuse":
        audit(session, actor, "refuse", "food_aid_visit", client=client, detail="frequency rule")
        session.commit()
        counts = {
            "visits_in_window": check.visits_in_window,
            "window_days": check.rule.window_days,
            "max_visits": check.rule.max_visits,
            "next_allowed_on": check.next_allowed_on,
        }
        if check.suggested_referral:
            raise InvalidInput(
                N_(
                    "frequency rule reached: %(visits_in_window)s visits in %(window_days)s days "
                    "(at most %(max_visits)s); next visit from %(next_allowed_on)s; refer her to "
                    "%(referral)s"
                ),
                referral=check.suggested_referral,
                **counts,
            )
        raise InvalidInput(
            N_(
                "frequency rule reached: %(visits_in_window)s visits in %(window_days)s days "
                "(at most %(max_visits)s); next visit from %(next_allowed_on)s"
            ),
            **counts,
        )
    value = value_items(session, client_basis(session, client, on), items)
    assert program.id is not None and client.id is not None
    row = FoodAidVisit(
        client_id=client.id,
        program_id=program.id,
        visited_on=on,
        staff_id=actor.user_id,
        flagged=not check.allowed,
        food_aid_rule_id=check.rule.rule_id if check.rule and not check.allowed else None,
        region_id=value.basis.region_id,
        period=value.basis.period,
        basket_version_id=value.basis.version_id,
        total_value=value.total,
        price_status=value.status,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    for item in value.items:
        session.add(
            FoodAidItem(
                food_aid_visit_id=row.id,
                item_code=item.item_code,
                quantity=item.quantity,
                value=cents(item.value),
                price_status=item.status,
            )
        )
    audit(session, actor, "create", "food_aid_visit", record_id=row.id, client=client)
    session.commit()
    if row.flagged and visit.refer and check.suggested_referral:
        referral = refer(
            session, actor, client.id, check.suggested_referral, reason="food-aid frequency rule"
        )
        row.referral_id = referral.id
        session.add(row)
        session.commit()
    return _visit_out(session, row, check.suggested_referral)


def read_visit(session: Session, actor: Actor, visit_id: int) -> VisitOut:
    """One visit and its value (404 for another organisation's)."""
    visit, client = client_record_for(
        session, actor, FoodAidVisit, visit_id, Permission.CLIENTS_READ, "food-aid visit"
    )
    audit(session, actor, "read", "food_aid_visit", record_id=visit.id, client=client)
    session.commit()
    return _visit_out(session, visit, None)


def list_visits(session: Session, actor: Actor, client_id: int) -> list[VisitOut]:
    """A household's visits, latest first."""
    client = client_for(session, actor, client_id, Permission.CLIENTS_READ)
    visits = session.exec(
        select(FoodAidVisit)
        .where(FoodAidVisit.client_id == client_id)
        .order_by(FoodAidVisit.visited_on.desc(), FoodAidVisit.id.desc())  # type: ignore[attr-defined,union-attr]
    ).all()
    audit(session, actor, "read", "food_aid_visit_list", client=client, detail=f"{len(visits)}")
    session.commit()
    return [_visit_out(session, v, None) for v in visits]
