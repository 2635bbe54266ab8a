"""Sign-in with an email and password, rate-limited per account and per address."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from core.errors import N_, TooManyRequests, Unauthorized
from core.models import LoginAttempt, User
from core.models.base import utc_now
from services.access.passwords import decoy_hash, verify_password
from services.access.tokens import issue_token

# One address may try several accounts (a shared office computer), not without limit.
ADDRESS_FACTOR = 5


def _failures(session: Session, since: datetime, **where: str) -> int:
    column = LoginAttempt.email if "email" in where else LoginAttempt.source
    value = where.get("email") or where.get("source")
    return session.exec(
        select(func.count())
        .select_from(LoginAttempt)
        .where(column == value, LoginAttempt.at >= since, LoginAttempt.succeeded.is_(False))  # type: ignore[attr-defined]
    ).one()


def sign_in(
    session: Session,
    email: str,
    password: str,
    *,
    source: str,
    token_days: int,
    max_failures: int,
    window_minutes: int,
) -> tuple[str, int]:
    """Check a password and issue a token; return it and its lifetime in seconds.

    Raises:
        TooManyRequests: too many failures for this account or address in the window.
        Unauthorized: wrong email or password, or a disabled account (one message for all,
            so a refusal does not tell whether the account exists).
    """
    email = email.strip().lower()[:254]
    source = source[:64]
    since = utc_now() - timedelta(minutes=window_minutes)
    if (
        _failures(session, since, email=email) >= max_failures
        or _failures(session, since, source=source) >= max_failures * ADDRESS_FACTOR
    ):
        raise TooManyRequests(
            N_("too many failed sign-ins: try again in %(window_minutes)s minutes"),
            window_minutes=window_minutes,
        )
    user = session.exec(select(User).where(User.email == email)).first()
    matches = verify_password(password, user.password_hash if user else decoy_hash())
    succeeded = bool(user and user.active and matches)
    session.add(LoginAttempt(email=email, succeeded=succeeded, source=source))
    if not succeeded or user is None:
        session.commit()
        raise Unauthorized(N_("wrong email or password"))
    token, _row = issue_token(session, user, days=token_days, name="sign-in")
    session.commit()
    return token, token_days * 86400
