"""API tokens: random, shown once, stored as SHA-256, with an expiry and a revocation."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, select

from core.errors import N_, Unauthorized
from core.models import ApiToken, User
from core.models.base import utc_now
from services.access.actor import Actor, load_actor

PREFIX = "ppne_"
# Writing last_used_at on every request would make each read a write: once in a while is enough.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def token_digest(token: str) -> str:
    """Return the SHA-256 hex digest stored for a token (tokens are random: no salt needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, user: User, *, days: int, name: str = "") -> tuple[str, ApiToken]:
    """Create a token valid `days` days; return it in clear (shown once) and its row."""
    assert user.id is not None
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=user.id,
        token_hash=token_digest(token),
        name=name,
        expires_at=utc_now() + timedelta(days=days),
    )
    session.add(row)
    session.flush()
    return token, row


def actor_for_token(
    session: Session, token: str, source: str, now: datetime | None = None
) -> Actor:
    """Return the actor a bearer token signs in, or raise Unauthorized saying why not."""
    return load_actor(session, user_for_token(session, token, now), source)


def user_for_token(session: Session, token: str, now: datetime | None = None) -> User:
    """Return the active user a bearer token signs in, or raise Unauthorized saying why not
    (its last use noted, to the resolution above)."""
    now = now or utc_now()
    row = session.exec(select(ApiToken).where(ApiToken.token_hash == token_digest(token))).first()
    if row is None:
        raise Unauthorized(N_("unknown token"))
    if row.revoked_at is not None:
        raise Unauthorized(N_("this token was revoked"))
    if row.expires_at <= now:
        raise Unauthorized(N_("this token has expired: sign in again"))
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        raise Unauthorized(N_("this account is disabled"))
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION:
        row.last_used_at = now
        session.add(row)
        session.commit()
    return user


def revoke_token(session: Session, token: str) -> bool:
    """Revoke one token; return whether it was live."""
    row = session.exec(select(ApiToken).where(ApiToken.token_hash == token_digest(token))).first()
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = utc_now()
    session.add(row)
    session.commit()
    return True


def revoke_user_tokens(session: Session, user_id: int) -> int:
    """Revoke every live token of a user; return how many."""
    rows = session.exec(
        select(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))  # type: ignore[union-attr]
    ).all()
    now = utc_now()
    for row in rows:
        row.revoked_at = now
        session.add(row)
    return len(rows)
