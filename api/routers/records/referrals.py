"""Referrals of a client to complementary resources (sharing needs her consent)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel

from api.access import requires
from api.deps import SessionDep
from api.errors import ERROR_RESPONSES
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.referrals import ReferralAnswer, list_referrals, refer

router = APIRouter(prefix="/v1/records", tags=["records: referrals"], responses=ERROR_RESPONSES)


class ReferralBody(BaseModel):
    """A referral; sharing information needs a sharing consent naming the resource."""

    resource: str
    reason: str | None = None
    referred_on: date | None = None
    shared_information: bool = False


@router.post("/clients/{client_id}/referrals", status_code=201)
def post_referral(
    client_id: int,
    body: ReferralBody,
    session: SessionDep,
    actor: Annotated[Actor, requires(Permission.SERVICES_WRITE)],
) -> ReferralAnswer:
    """Refer a client to a resource."""
    values = body.model_dump()
    return refer(session, actor, client_id, values.pop("resource"), **values)


@router.get("/clients/{client_id}/referrals")
def get_referrals(
    client_id: int, session: SessionDep, actor: Annotated[Actor, requires(Permission.CLIENTS_READ)]
) -> list[ReferralAnswer]:
    """A client's referrals, latest first."""
    return list_referrals(session, actor, client_id)
