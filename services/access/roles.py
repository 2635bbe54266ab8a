"""Roles and the permissions each one grants: least privilege, written down in one table."""

from __future__ import annotations

from enum import StrEnum


class Permission(StrEnum):
    """One thing a route or a use case may require of its caller."""

    CLIENTS_READ = "clients:read"
    CLIENTS_WRITE = "clients:write"
    # Nutrition assessments, weights, restricted notes: dietitians of the record's program.
    CLINICAL_READ = "clinical:read"
    CLINICAL_WRITE = "clinical:write"
    SERVICES_WRITE = "services:write"
    # Income, rent and the household's affordability (given by the client, for her dietitian).
    FINANCES_READ = "finances:read"
    COUPONS_ALLOCATE = "coupons:allocate"
    COUPONS_DISTRIBUTE = "coupons:distribute"
    PROGRAMS_MANAGE = "programs:manage"
    REPORTS_READ = "reports:read"
    ACTIVITIES_WRITE = "activities:write"
    SATISFACTION_MANAGE = "satisfaction:manage"
    SATISFACTION_RECORD = "satisfaction:record"
    SATISFACTION_READ = "satisfaction:read"
    USERS_MANAGE = "users:manage"
    AUDIT_READ = "audit:read"
    PRIVACY_MANAGE = "privacy:manage"
    SURVEYS_UPLOAD = "surveys:upload"
    DELIVERIES_READ = "deliveries:read"


class Role(StrEnum):
    """The roles a membership gives."""

    ADMIN = "admin"
    COORDINATOR = "coordinator"
    DIETITIAN = "dietitian"
    VOLUNTEER = "volunteer"
    ANALYST = "analyst"
    PRIVACY_OFFICER = "privacy_officer"


P = Permission
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    # Runs the organisation's accounts and programs; reads aggregates, not client files.
    Role.ADMIN: frozenset({P.USERS_MANAGE, P.PROGRAMS_MANAGE, P.REPORTS_READ, P.ACTIVITIES_WRITE}),
    Role.COORDINATOR: frozenset(
        {
            P.CLIENTS_READ,
            P.CLIENTS_WRITE,
            P.SERVICES_WRITE,
            P.COUPONS_DISTRIBUTE,
            P.PROGRAMS_MANAGE,
            P.REPORTS_READ,
            P.ACTIVITIES_WRITE,
            P.SATISFACTION_MANAGE,
            P.SATISFACTION_RECORD,
            P.SATISFACTION_READ,
            P.USERS_MANAGE,
            P.SURVEYS_UPLOAD,
            P.DELIVERIES_READ,
        }
    ),
    Role.DIETITIAN: frozenset(
        {
            P.CLIENTS_READ,
            P.CLIENTS_WRITE,
            P.SERVICES_WRITE,
            P.CLINICAL_READ,
            P.CLINICAL_WRITE,
            P.FINANCES_READ,
            P.COUPONS_ALLOCATE,
            P.COUPONS_DISTRIBUTE,
        }
    ),
    # Sees only what a delivery needs (the operations issue adds those routes).
    Role.VOLUNTEER: frozenset({P.DELIVERIES_READ, P.SATISFACTION_RECORD}),
    # Aggregates only, and those suppressed.
    Role.ANALYST: frozenset({P.REPORTS_READ, P.SATISFACTION_READ}),
    Role.PRIVACY_OFFICER: frozenset({P.AUDIT_READ, P.PRIVACY_MANAGE}),
}

# Permissions a membership limited to one program grants for that program's records only.
PROGRAM_SCOPED = frozenset({P.CLINICAL_READ, P.CLINICAL_WRITE})


def parse_role(text: str) -> Role:
    """Return the role named `text`, or raise ValueError listing the roles there are."""
    try:
        return Role(text)
    except ValueError:
        names = ", ".join(role.value for role in Role)
        raise ValueError(f"unknown role {text!r}: use one of {names}") from None
