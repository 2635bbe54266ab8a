"""Passwords: Argon2 hashes through pwdlib, and the few rules a new password must meet."""

from __future__ import annotations

from functools import lru_cache

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from core.errors import N_, InvalidInput

MIN_LENGTH = 12
MAX_LENGTH = 1024  # Argon2 takes any length; this bounds the work one request can ask for


@lru_cache(maxsize=1)
def _hasher() -> PasswordHash:
    # Argon2id with pwdlib's defaults (OWASP's recommended parameters).
    return PasswordHash((Argon2Hasher(),))


def check_new_password(password: str) -> None:
    """Raise InvalidInput saying what is wrong with a password someone wants to set."""
    if len(password) < MIN_LENGTH:
        raise InvalidInput(
            N_("a password needs at least %(minimum)s characters"), minimum=MIN_LENGTH
        )
    if len(password) > MAX_LENGTH:
        raise InvalidInput(N_("a password has at most %(maximum)s characters"), maximum=MAX_LENGTH)
    if password.strip() != password:
        raise InvalidInput(N_("a password cannot start or end with spaces"))


def hash_password(password: str) -> str:
    """Return the Argon2 hash to store for a new password (checked first)."""
    check_new_password(password)
    return _hasher().hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    """Whether `password` matches the stored hash."""
    if len(password) > MAX_LENGTH:
        return False
    return _hasher().verify(password, password_hash)


# Compared against when the email is unknown, so an unknown account takes as long to refuse
# as a wrong password (no timing hint of who has an account).
@lru_cache(maxsize=1)
def decoy_hash() -> str:
    """Return a hash of a random password, computed once."""
    return _hasher().hash("decoy password never given to anyone")
