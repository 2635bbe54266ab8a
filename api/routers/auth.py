"""Sign in for a token (OAuth2 password flow), see who you are, sign out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, Field

from api.access import ActorDep, bearer, client_address
from api.deps import SessionDep, SettingsDep
from api.errors import ERROR_RESPONSES
from services.access.signin import sign_in
from services.access.tokens import revoke_token

router = APIRouter(prefix="/v1/auth", tags=["auth"], responses=ERROR_RESPONSES)


class TokenAnswer(BaseModel):
    """A bearer token: send it as 'Authorization: Bearer <access_token>'."""

    access_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="Seconds until the token expires")


class GrantAnswer(BaseModel):
    """One role of the caller."""

    organisation_id: int
    role: str
    program_id: int | None


class MeAnswer(BaseModel):
    """The signed-in caller and her roles."""

    email: str
    grants: list[GrantAnswer]


@router.post("/token")
def token(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
) -> TokenAnswer:
    """Exchange an email (as `username`) and password for a token; 429 after repeated failures."""
    access_token, lifetime = sign_in(
        session,
        form.username,
        form.password,
        source=client_address(request),
        token_days=settings.token_days,
        max_failures=settings.login_max_failures,
        window_minutes=settings.login_window_minutes,
    )
    return TokenAnswer(access_token=access_token, expires_in=lifetime)


@router.get("/me")
def me(actor: ActorDep) -> MeAnswer:
    """Who the token belongs to, and her roles."""
    return MeAnswer(
        email=actor.email,
        grants=[
            GrantAnswer(
                organisation_id=g.organisation_id, role=g.role.value, program_id=g.program_id
            )
            for g in actor.grants
        ],
    )


@router.delete("/token", status_code=204)
def sign_out(
    actor: ActorDep, session: SessionDep, token: Annotated[str | None, Depends(bearer)]
) -> None:
    """Revoke the token this request came with."""
    assert token is not None  # ActorDep refused the request otherwise
    revoke_token(session, token)
