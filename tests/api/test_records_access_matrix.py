"""Every records route x every caller: anonymous, each role, another organisation.

The routes come from the application's route table, so a new route is in the matrix the day
it is added; a route that declares no permission, or whose path parameters or request body
the matrix does not know, fails here until its rule is written down.

Expected answers: anonymous 401; a role of the record's organisation 2xx when its
permissions include the route's, else 403; a user of the other organisation holding every
role there 404 on a route naming a record (nothing reveals that the record exists), and 2xx
on a route that acts in her own organisation.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
import records_factories
from database_copies import copy_database, seal_for_copies
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.access import permission_of
from api.app import create_app
from core.basket_definitions import ensure_reference_basket
from core.db import session_scope
from core.models import (
    AccessRequest,
    BoxOffer,
    BoxOrder,
    ClientContact,
    ConfidentialityIncident,
    CouponAllocation,
    CouponKind,
    DeliveryFollowup,
    DeliveryRoute,
    DeliveryRun,
    DeliveryStop,
    Distribution,
    Enrolment,
    FoodAidVisit,
    GroupSession,
    Infant,
    KitchenSession,
    MealPlan,
    Membership,
    NutritionAssessment,
    OrganisationActivity,
    Pregnancy,
    Program,
    Referral,
    SatisfactionQuestion,
    SatisfactionSurvey,
    ServiceEvent,
    User,
    Volunteer,
    VolunteerShift,
    WeightCheck,
)
from core.regions import ensure_regions
from services.access.roles import ROLE_PERMISSIONS, Permission, Role
from services.access.tokens import issue_token
from services.records.coupon_kinds import ensure_coupon_kinds

RECORDS_PREFIX = "/v1/records/"


def records_routes() -> list[Any]:
    """The records routes of the application's route table (what each included router holds).

    FastAPI keeps an included router as one entry whose routes are its effective contexts;
    both kinds carry the path, methods and dependencies read here.
    """
    found = []
    for entry in create_app().routes:
        routes = (
            entry.effective_route_contexts()
            if hasattr(entry, "effective_route_contexts")
            else [entry]
        )
        found.extend(route for route in routes if isinstance(getattr(route, "path", None), str))
    return [route for route in found if route.path.startswith(RECORDS_PREFIX)]


def route_permissions(route: Any) -> list[Permission]:
    """Every permission a route's dependencies check, however deep."""
    found: list[Permission] = []
    pending = list(route.dependant.dependencies)
    while pending:
        dependant = pending.pop()
        permission = permission_of(dependant.call)
        if permission is not None:
            found.append(permission)
        pending.extend(dependant.dependencies)
    return found


ROUTES = [
    pytest.param(route, id=f"{sorted(route.methods)[0]} {route.path}") for route in records_routes()
]


def test_there_are_records_routes_and_each_declares_one_permission() -> None:
    routes = records_routes()
    assert len(routes) >= 60  # clients, care, coupons, reports, privacy
    undeclared = [route.path for route in routes if len(route_permissions(route)) != 1]
    assert not undeclared, f"records routes without exactly one requires(...): {undeclared}"


# ---- the callers -------------------------------------------------------------------------


def _account(session: Session, email: str, grants: list[tuple[str, Role]]) -> dict[str, str]:
    """An account with those roles and a token; no password (the matrix never signs in)."""
    user = User(email=email, password_hash="!unusable")
    session.add(user)
    session.flush()
    for slug, role in grants:
        owner = records_factories.organisation(session, slug)
        session.add(Membership(user_id=user.id, organisation_id=owner.id, role=role.value))
    token, _row = issue_token(session, user, days=1)
    return {"Authorization": f"Bearer {token}"}


def callers(db_url: str) -> dict[str, dict[str, str]]:
    """Headers per caller: anonymous, each role of alima, and sesame's everything."""
    with session_scope(db_url) as session:
        headers = {"anonymous": {}}
        for role in Role:
            headers[role.value] = _account(session, f"{role.value}@alima.test", [("alima", role)])
        headers["other_organisation"] = _account(
            session, "all@sesame.test", [("sesame", role) for role in Role]
        )
        session.commit()
    return headers


# ---- a fresh world of alima records for each call ------------------------------------------


def build_world(session: Session) -> dict[str, Any]:
    """One record of every kind in alima; returns their ids by path parameter name."""
    ensure_regions(session)  # coupon values and budgets are taken in the client's region
    prenatal = records_factories.program(session, "alima", "prenatal")
    client = records_factories.make_client(
        session,
        postal_code="H1L 2A3",
        household_members="F:30,M:32",
        monthly_income=Decimal(2500),
        monthly_rent=Decimal(900),
    )
    other = records_factories.make_client(session)
    for purpose in ("services", "statistics"):
        records_factories.make_consent(session, client, purpose)
    sharing = records_factories.make_consent(session, client, "sharing", resource="CLSC")
    today = date.today()

    def add(row: Any) -> int:
        session.add(row)
        session.flush()
        return int(row.id)

    ids = {
        "client_id": int(client.id),  # type: ignore[arg-type]
        "target_id": int(other.id),  # type: ignore[arg-type]
        "consent_id": int(sharing.id),  # type: ignore[arg-type]
        "contact_id": add(ClientContact(client_id=client.id, kind="emergency", name="Contact")),
        "enrolment_id": add(
            Enrolment(client_id=client.id, program_id=prenatal.id, starts_on=today)
        ),
        "event_id": add(
            ServiceEvent(
                client_id=client.id,
                program_id=prenatal.id,
                kind="individual_consultation",
                occurred_on=today,
            )
        ),
        "session_id": add(GroupSession(program_id=prenatal.id, title="Atelier", held_on=today)),
        "referral_id": add(Referral(client_id=client.id, resource="CLSC", referred_on=today)),
        "pregnancy_id": add(Pregnancy(client_id=client.id, expected_on=today + timedelta(90))),
        "infant_id": add(Infant(client_id=client.id, birth_date=today - timedelta(30))),
        "assessment_id": add(
            NutritionAssessment(client_id=client.id, program_id=prenatal.id, assessed_on=today)
        ),
        "weight_id": add(
            WeightCheck(
                client_id=client.id,
                program_id=prenatal.id,
                measured_on=today,
                weight_kg=Decimal("70.5"),
            )
        ),
        "activity_id": add(
            OrganisationActivity(
                organisation_id=prenatal.organisation_id,
                kind="training",
                title="Formation",
                held_on=today,
            )
        ),
        "survey_id": add(
            SatisfactionSurvey(
                program_id=prenatal.id,
                title="Satisfaction",
                opens_on=today,
                closes_on=today + timedelta(30),
            )
        ),
        "request_id": add(
            AccessRequest(
                organisation_id=prenatal.organisation_id,
                kind="access",
                requester="Cliente",
                received_on=today,
                due_on=today + timedelta(30),
            )
        ),
        "incident_id": add(
            ConfidentialityIncident(
                organisation_id=prenatal.organisation_id,
                information_concerned="Nom",
                circumstances="Courriel mal adressé",
                discovered_on=today,
            )
        ),
        "distribution_id": add(
            Distribution(client_id=client.id, program_id=prenatal.id, distributed_on=today)
        ),
    }
    ensure_coupon_kinds(session)
    kind = session.exec(select(CouponKind).where(CouponKind.code == "milk_4l")).one()
    ids["allocation_id"] = add(
        CouponAllocation(client_id=client.id, coupon_kind_id=kind.id, per_week=1, starts_on=today)
    )
    ids["question_id"] = add(
        SatisfactionQuestion(
            survey_id=ids["survey_id"], position=1, kind="scale_1_5", text_fr="Q", text_en="Q"
        )
    )
    ids["weight_check_id"] = ids["weight_id"]
    ids.update(meals_world(session, int(client.id or 0), prenatal.organisation_id))
    ids.update(sesame_operations(session, client.id, prenatal, today))
    session.commit()
    return ids


def meals_world(session: Session, client_id: int, organisation_id: int) -> dict[str, int]:
    """Meals on wheels in alima for the matrix: a plan due every day, a route, today's run
    driven by the volunteer account (a driver reads only her own runs), a stop, a follow-up."""
    program = session.exec(
        select(Program).where(
            Program.organisation_id == organisation_id, Program.code == "meals_on_wheels"
        )
    ).first()
    if program is None:
        program = Program(
            organisation_id=organisation_id,
            code="meals_on_wheels",
            name_fr="Popote roulante",
            name_en="Meals on wheels",
        )
        session.add(program)
        session.flush()
    driver = session.exec(select(User).where(User.email == "volunteer@alima.test")).first()
    route = DeliveryRoute(
        organisation_id=organisation_id,
        name="Route",
        depot_latitude=45.59,
        depot_longitude=-73.54,
        driver_id=driver.id if driver else None,
    )
    session.add(route)
    session.flush()
    plan = MealPlan(
        client_id=client_id,
        program_id=int(program.id or 0),
        weekdays="1,2,3,4,5,6,7",
        starts_on=date.today(),
        latitude=45.6,
        longitude=-73.53,
        route_id=route.id,
    )
    run = DeliveryRun(
        organisation_id=organisation_id,
        route_id=route.id,
        run_date=date.today(),
        driver_id=route.driver_id,
    )
    session.add_all([plan, run])
    session.flush()
    stop = DeliveryStop(
        run_id=int(run.id or 0), plan_id=int(plan.id or 0), client_id=client_id, position=1, meals=1
    )
    session.add(stop)
    session.flush()
    followup = DeliveryFollowup(
        organisation_id=organisation_id, stop_id=int(stop.id or 0), client_id=client_id
    )
    session.add(followup)
    session.flush()
    found = {"plan_id": plan.id, "route_id": route.id, "run_id": run.id, "stop_id": stop.id}
    return {name: int(value or 0) for name, value in {**found, "followup_id": followup.id}.items()}


def sesame_operations(session: Session, client_id: Any, program: Any, today: date) -> dict:
    """Le Sésame's operations records, in alima (any program of hers will do)."""
    ensure_reference_basket(session)  # box, recipe and food-aid items are basket items
    org = program.organisation_id

    def add(row: Any) -> int:
        session.add(row)
        session.flush()
        return int(row.id)

    offer = add(
        BoxOffer(
            organisation_id=org, program_id=program.id, week_of=today, name="B", price=Decimal(10)
        )
    )
    return {
        "offer_id": offer,
        "order_id": add(BoxOrder(box_offer_id=offer, client_id=client_id, ordered_on=today)),
        "kitchen_session_id": add(
            KitchenSession(organisation_id=org, program_id=program.id, held_on=today, place="L")
        ),
        "visit_id": add(FoodAidVisit(client_id=client_id, program_id=program.id, visited_on=today)),
        "volunteer_id": add(Volunteer(organisation_id=org, name="Bénévole")),
        "shift_id": add(
            VolunteerShift(
                organisation_id=org,
                program_id=program.id,
                kind="cafe",
                shift_on=today,
                starts_at=time(9),
                ends_at=time(12),
            )
        ),
    }


# ---- what each route is sent --------------------------------------------------------------

Request = dict[str, Any]
# (method, path) -> the request an allowed caller sends (json, params, data, files), built from
# the world's ids. GET and DELETE routes need no entry unless they take required parameters.
TODAY = date.today().isoformat()
_intakes = itertools.count()
R = "/v1/records"
ITEMS = [{"item_code": "carrots", "quantity": 1000}]
EXAMPLES: dict[tuple[str, str], Callable[[dict[str, Any]], Request]] = {
    ("POST", f"{R}/activities"): lambda w: {
        "json": {"kind": "training", "title": "Formation", "held_on": TODAY}
    },
    ("PATCH", f"{R}/activities/{{activity_id}}"): lambda w: {"json": {"participants": 12}},
    ("GET", f"{R}/clients/duplicates"): lambda w: {
        "params": {"first_name": "Prénom", "last_name": "Nom"}
    },
    # A new birth date each time: the same person twice would rightly answer 409.
    ("POST", f"{R}/clients"): lambda w: {
        "json": {
            "first_name": "Zoé",
            "last_name": "Unique",
            "birth_date": (date(1990, 1, 1) + timedelta(next(_intakes))).isoformat(),
        }
    },
    ("PATCH", f"{R}/clients/{{client_id}}"): lambda w: {"json": {"phone": "514-555-0101"}},
    ("POST", f"{R}/clients/{{client_id}}/status"): lambda w: {
        "json": {"status": "paused", "reason": "hospitalisation"}
    },
    ("POST", f"{R}/clients/{{client_id}}/pauses"): lambda w: {"json": {"starts_on": TODAY}},
    ("POST", f"{R}/clients/{{client_id}}/contacts"): lambda w: {
        "json": {"kind": "emergency", "name": "Sœur"}
    },
    ("POST", f"{R}/clients/{{client_id}}/consents"): lambda w: {
        "json": {"purpose": "reminders", "text_version": "2026-01"}
    },
    ("POST", f"{R}/clients/{{client_id}}/consents/{{consent_id}}/withdraw"): lambda w: {"json": {}},
    ("POST", f"{R}/clients/{{client_id}}/enrolments"): lambda w: {"json": {"program": "postnatal"}},
    ("POST", f"{R}/clients/{{client_id}}/enrolments/{{enrolment_id}}/end"): lambda w: {
        "json": {"reason": "accouchement"}
    },
    ("POST", f"{R}/clients/{{client_id}}/merge-into/{{target_id}}"): lambda w: {},
    ("POST", f"{R}/clients/{{client_id}}/assessments"): lambda w: {
        "json": {"program": "prenatal", "calories_kcal": 2400}
    },
    ("PATCH", f"{R}/assessments/{{assessment_id}}"): lambda w: {"json": {"protein_g": 90}},
    ("POST", f"{R}/clients/{{client_id}}/weights"): lambda w: {
        "json": {"program": "prenatal", "weight_kg": "71.2"}
    },
    ("PATCH", f"{R}/weights/{{weight_check_id}}"): lambda w: {"json": {"weight_kg": "71.0"}},
    ("PUT", f"{R}/clients/{{client_id}}/allocation"): lambda w: {
        "json": {"starts_on": TODAY, "lines": [{"kind": "eggs_dozen", "per_week": 1}]}
    },
    ("POST", f"{R}/clients/{{client_id}}/distributions"): lambda w: {
        "json": {"program": "prenatal", "lines": [{"kind": "milk_4l", "count": 2}]}
    },
    ("POST", f"{R}/clients/{{client_id}}/events"): lambda w: {
        "json": {"kind": "phone_follow_up", "program": "prenatal"}
    },
    ("PATCH", f"{R}/events/{{event_id}}"): lambda w: {"json": {"duration_minutes": 30}},
    ("POST", f"{R}/group-sessions"): lambda w: {
        "json": {"program": w["own_program"], "title": "Atelier", "held_on": TODAY}
    },
    ("PATCH", f"{R}/group-sessions/{{session_id}}"): lambda w: {"json": {"capacity": 15}},
    ("POST", f"{R}/group-sessions/{{session_id}}/attendance"): lambda w: {
        "json": {"client_id": w["client_id"]}
    },
    ("POST", f"{R}/clients/{{client_id}}/pregnancies"): lambda w: {
        "json": {"expected_on": (date.today() + timedelta(120)).isoformat()}
    },
    ("PATCH", f"{R}/pregnancies/{{pregnancy_id}}"): lambda w: {
        "json": {"outcome": "live_birth", "outcome_on": TODAY}
    },
    ("POST", f"{R}/clients/{{client_id}}/infants"): lambda w: {"json": {"birth_date": TODAY}},
    ("PATCH", f"{R}/infants/{{infant_id}}"): lambda w: {"json": {"feeding": "breast"}},
    ("POST", f"{R}/access-requests"): lambda w: {
        "json": {"kind": "access", "requester": "Cliente", "received_on": TODAY}
    },
    ("PATCH", f"{R}/access-requests/{{request_id}}"): lambda w: {"json": {"answered_on": TODAY}},
    ("POST", f"{R}/incidents"): lambda w: {
        "json": {
            "information_concerned": "Nom",
            "circumstances": "Courriel mal adressé",
            "discovered_on": TODAY,
        }
    },
    ("PATCH", f"{R}/incidents/{{incident_id}}"): lambda w: {"json": {"people_affected": 1}},
    ("POST", f"{R}/retention/preview"): lambda w: {"json": {}},
    ("POST", f"{R}/retention/run"): lambda w: {"json": {}},
    ("POST", f"{R}/clients/{{client_id}}/referrals"): lambda w: {"json": {"resource": "CLSC"}},
    ("GET", f"{R}/reports/outputs"): lambda w: {"params": {"from": TODAY[:7], "to": TODAY[:7]}},
    ("POST", f"{R}/satisfaction-surveys"): lambda w: {
        "json": {
            "program": w["own_program"],
            "title": "Satisfaction",
            "opens_on": TODAY,
            "closes_on": TODAY,
        }
    },
    ("POST", f"{R}/satisfaction-surveys/{{survey_id}}/responses"): lambda w: {
        "json": {"answers": [{"question_id": w["question_id"], "score": 4}]}
    },
    # Meals on wheels.
    ("POST", f"{R}/clients/{{client_id}}/meal-plans"): lambda w: {
        "json": {"weekdays": [1, 2, 3, 4, 5], "starts_on": TODAY}
    },
    ("PATCH", f"{R}/meal-plans/{{plan_id}}"): lambda w: {"json": {"door_notes": "Sonner"}},
    ("POST", f"{R}/delivery-routes"): lambda w: {
        "json": {"name": "Route", "depot_latitude": 45.59, "depot_longitude": -73.54}
    },
    ("POST", f"{R}/delivery-runs/plan"): lambda w: {"json": {"run_date": TODAY}},
    ("GET", f"{R}/delivery-runs"): lambda w: {"params": {"run_date": TODAY}},
    ("GET", f"{R}/kitchen-count"): lambda w: {"params": {"run_date": TODAY}},
    ("PUT", f"{R}/delivery-runs/{{run_id}}/order"): lambda w: {
        "json": {"stop_ids": [w["stop_id"]]}
    },
    ("POST", f"{R}/delivery-stops/{{stop_id}}/outcome"): lambda w: {
        "json": {"outcome": "delivered"}
    },
    ("POST", f"{R}/delivery-followups/{{followup_id}}/escalate"): lambda w: {
        "json": {"step": "client_called"}
    },
    ("POST", f"{R}/delivery-followups/{{followup_id}}/close"): lambda w: {
        "json": {"resolution": "Rejointe par téléphone"}
    },
    **{
        ("POST", f"{R}/box-offers"): lambda w: {
            "json": {
                "program": w["own_program"],
                "week_of": TODAY,
                "name": "Boîte",
                "price": "10",
                "items": ITEMS,
            }
        },
        ("POST", f"{R}/box-offers/{{offer_id}}/orders"): lambda w: {
            "json": {"client_id": w["client_id"]}
        },
        ("POST", f"{R}/box-orders/{{order_id}}/status"): lambda w: {
            "json": {"status": "collected"}
        },
        ("POST", f"{R}/kitchen-sessions"): lambda w: {
            "json": {
                "program": w["own_program"],
                "held_on": TODAY,
                "place": "Local",
                "items": ITEMS,
            }
        },
        ("POST", f"{R}/kitchen-sessions/{{kitchen_session_id}}/portions"): lambda w: {
            "json": {"portions": 10}
        },
        ("POST", f"{R}/kitchen-sessions/{{kitchen_session_id}}/participants"): lambda w: {
            "json": {"client_id": w["client_id"]}
        },
        ("PUT", f"{R}/food-aid/rule"): lambda w: {
            "json": {"program": w["own_program"], "max_visits": 3}
        },
        ("GET", f"{R}/clients/{{client_id}}/food-aid/eligibility"): lambda w: {
            "params": {"program": w["own_program"]}
        },
        ("POST", f"{R}/clients/{{client_id}}/food-aid/visits"): lambda w: {
            "json": {"program": w["own_program"], "items": ITEMS}
        },
        ("POST", f"{R}/volunteers"): lambda w: {"json": {"name": "Bénévole"}},
        ("PUT", f"{R}/volunteers/{{volunteer_id}}/availability"): lambda w: {"json": []},
        ("POST", f"{R}/shifts"): lambda w: {
            "json": {
                "program": w["own_program"],
                "kind": "cafe",
                "shift_on": TODAY,
                "starts_at": "09:00",
                "ends_at": "12:00",
            }
        },
        ("GET", f"{R}/food-aid/rule"): lambda w: {"params": {"program": w["own_program"]}},
        ("GET", f"{R}/kitchen-sessions"): lambda w: {
            "params": {"starts_on": TODAY, "ends_on": TODAY}
        },
        ("GET", f"{R}/shifts"): lambda w: {"params": {"starts_on": TODAY, "ends_on": TODAY}},
        ("GET", f"{R}/shifts/mine"): lambda w: {"params": {"starts_on": TODAY, "ends_on": TODAY}},
        ("POST", f"{R}/shifts/{{shift_id}}/substitution"): lambda w: {
            "json": {"reason": "malade", "volunteer_id": w["volunteer_id"]}
        },
        ("POST", f"{R}/shifts/{{shift_id}}/close"): lambda w: {"json": {"status": "done"}},
    },
}
# Routes answering 2xx to the other organisation even though they name no alima record are the
# default; routes listed here answer 404 to her although their path names no record (their
# body or query does).
OTHER_ORGANISATION_404: set[tuple[str, str]] = set()


def request_for(method: str, path: str, world: dict[str, Any]) -> tuple[str, Request]:
    """The URL with the world's ids, and what to send."""
    try:
        url = path.format(**world)
    except KeyError as missing:
        raise AssertionError(
            f"{method} {path}: the matrix has no record for {missing}; add it to build_world"
        ) from None
    example = EXAMPLES.get((method, path))
    if example is None and method in ("POST", "PUT", "PATCH"):
        raise AssertionError(f"{method} {path}: add the request it sends to EXAMPLES")
    return url, example(world) if example else {}


SUCCESS = frozenset({200, 201, 204})


def expected(caller: str, permission: Permission, names_a_record: bool) -> frozenset[int]:
    """The statuses a caller may get on a route."""
    if caller == "anonymous":
        return frozenset({401})
    if caller == "other_organisation":
        return frozenset({404}) if names_a_record else SUCCESS
    if permission in ROLE_PERMISSIONS[Role(caller)]:
        return SUCCESS
    return frozenset({403})


@dataclass(frozen=True)
class MatrixWorld:
    """The callers and one world of alima records, built once; each call gets a copy."""

    source: str  # a sealed database (tests/conftest.py seal_for_copies)
    headers: dict[str, dict[str, str]]
    ids: dict[str, Any]


@pytest.fixture(scope="module")
def matrix_world(
    template_database: str,
    postgres_databases: Any,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[MatrixWorld]:
    """Build the callers and the world once for the module, rather than once per call."""
    url, name = copy_database(template_database, postgres_databases, tmp_path_factory.mktemp("m"))
    headers = callers(url)
    with session_scope(url) as session:
        ids = build_world(session)
    try:
        yield MatrixWorld(seal_for_copies(url), headers, ids)
    finally:
        if name is not None:
            postgres_databases.drop(name)


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


@pytest.mark.parametrize("route", ROUTES)
def test_each_caller_gets_the_answer_its_role_allows(
    matrix_world: MatrixWorld, database_copies: Any, client: TestClient, route: Any
) -> None:
    (permission,) = route_permissions(route)
    method = sorted(route.methods)[0]
    names_a_record = "{" in route.path or (method, route.path) in OTHER_ORGANISATION_404
    allowed = {
        caller: expected(caller, permission, names_a_record) for caller in matrix_world.headers
    }
    # Each call meets the world as built. A refusal changes nothing, so the callers to be
    # refused share one copy (a refusal that does not happen fails the test anyway); each
    # caller allowed gets a fresh copy, since her call may change the world.
    refused = [caller for caller, statuses in allowed.items() if statuses.isdisjoint(SUCCESS)]
    admitted = [caller for caller in allowed if caller not in refused]
    wrong: list[str] = []
    for group in [refused, *([caller] for caller in admitted)]:
        if not group:
            continue
        database_copies.use_copy_of(matrix_world.source)
        for caller in group:
            # A program named in a body is one of the caller's own organisation.
            own_program = "food_aid" if caller == "other_organisation" else "prenatal"
            world = {**matrix_world.ids, "own_program": own_program}
            url, request = request_for(method, route.path, world)
            headers = matrix_world.headers[caller]
            answer = client.request(method, url, headers=headers, **request)
            if answer.status_code not in allowed[caller]:
                wrong.append(
                    f"{caller}: {answer.status_code} not in {sorted(allowed[caller])}: "
                    f"{answer.text[:200]}"
                )
    assert not wrong, f"{method} {route.path} ({permission.value}):\n" + "\n".join(wrong)
