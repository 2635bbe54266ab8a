"""Who is calling: the bearer token read once per request, and one check per permission.

Every records route declares what it requires with `requires(Permission.X)`; the route matrix
test (tests/api/test_records_access_matrix.py) reads that declaration from the route table, so
a route without one fails it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from api.deps import SessionDep
from core.errors import Forbidden, Unauthorized
from services.access.actor import Actor
from services.access.roles import Permission
from services.access.tokens import actor_for_token

# auto_error=False: a missing token is answered by our own 401 body, like every other error.
bearer = OAuth2PasswordBearer(tokenUrl="/v1/auth/token", auto_error=False)


def client_address(request: Request) -> str:
    """The caller's address as the audit log records it."""
    return request.client.host if request.client else "unknown"


def current_actor(
    request: Request, session: SessionDep, token: Annotated[str | None, Depends(bearer)]
) -> Actor:
    """Return the signed-in caller, or raise Unauthorized (401)."""
    if not token:
        raise Unauthorized("sign in first: send 'Authorization: Bearer <token>'")
    return actor_for_token(session, token, client_address(request))


ActorDep = Annotated[Actor, Depends(current_actor)]


def requires(permission: Permission) -> Any:
    """A dependency giving the caller if some role of hers grants `permission`, else 403.

    Which organisation and program a record belongs to is checked by the use case, which
    answers 404 for another organisation's records.
    """

    def dependency(actor: ActorDep) -> Actor:
        if not actor.has(permission):
            raise Forbidden(f"your role does not allow {permission.value}")
        return actor

    dependency.permission = permission  # type: ignore[attr-defined]
    return Depends(dependency)


def permission_of(call: Any) -> Permission | None:
    """The permission a dependency made by `requires` checks, or None for any other."""
    return getattr(call, "permission", None)
