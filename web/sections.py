"""The sections of the web app and the permission that opens each to a role.

Each section links to its screens; one without screens yet would say so ("à venir") rather
than show anything made up.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.access.actor import Actor
from services.access.roles import Permission
from web.i18n import N_


@dataclass(frozen=True)
class Section:
    """A part of the app: its address, its name and what it is for, and who may open it."""

    slug: str
    title: str
    summary: str
    permissions: tuple[Permission, ...]
    # Where its screens are, once built (else the section's "coming soon" page).
    href: str | None = None

    def open_to(self, actor: Actor) -> bool:
        """Whether some role of hers opens this section (one of its permissions is enough)."""
        return any(actor.has(permission) for permission in self.permissions)


P = Permission
SECTIONS = (
    Section(
        "clients",
        N_("Clients"),
        N_("Caseload, client search, intake with consent, the client file."),
        (P.CLIENTS_READ,),
        "/app/clients",
    ),
    Section(
        "coupons",
        N_("Coupons"),
        N_("Coupon allocations and their value at the basket prices of the territory."),
        (P.COUPONS_ALLOCATE, P.COUPONS_DISTRIBUTE),
        "/app/clients",
    ),
    Section(
        "programs",
        N_("Programs and group sessions"),
        N_("Programs, group sessions and attendance, community activities."),
        (P.PROGRAMS_MANAGE, P.ACTIVITIES_WRITE),
        "/app/programs",
    ),
    Section(
        "reports",
        N_("Reports"),
        N_("Outputs report for any period, with CSV and XLSX download."),
        (P.REPORTS_READ,),
        "/app/reports",
    ),
    Section(
        "satisfaction",
        N_("Satisfaction surveys"),
        N_("Satisfaction surveys and their results."),
        (P.SATISFACTION_READ, P.SATISFACTION_RECORD),
        "/app/satisfaction",
    ),
    Section(
        "accounts",
        N_("Staff accounts"),
        N_("Staff accounts of your organisation."),
        (P.USERS_MANAGE,),
        "/app/staff",
    ),
    Section(
        "surveys",
        N_("Price surveys"),
        N_("Upload a price survey sheet and read its validation report."),
        (P.SURVEYS_UPLOAD,),
        "/app/surveys",
    ),
    Section(
        "deliveries",
        N_("Deliveries"),
        N_("Meals on wheels: plan the day's runs, the drivers' sheets, outcomes, follow-ups."),
        # Coordinators plan the day; a volunteer driver is sent to her own run.
        (P.DELIVERIES_READ,),
        "/app/deliveries",
    ),
    Section(
        "privacy",
        N_("Privacy"),
        N_("Audit log, access requests, client data export, retention, incidents."),
        (P.AUDIT_READ, P.PRIVACY_MANAGE),
        "/app/privacy",
    ),
    # Le Sésame's operations: coordinators of an organisation running the program.
    Section(
        "boxes",
        N_("Produce boxes"),
        N_("Weekly box offers, orders, and each box's value beside its price."),
        (P.PROGRAMS_MANAGE,),
        "/app/boxes",
    ),
    Section(
        "kitchens",
        N_("Collective kitchens"),
        N_("Kitchen sessions, participants, recipes and the cost per portion."),
        (P.PROGRAMS_MANAGE,),
        "/app/kitchens",
    ),
    Section(
        "food-aid",
        N_("Food aid"),
        N_("Visits and the items given, under the program's frequency rule."),
        (P.PROGRAMS_MANAGE,),
        "/app/food-aid",
    ),
    Section(
        "volunteers",
        N_("Volunteers and shifts"),
        N_("Availability, shifts on routes, kitchens and the café, substitutes, hours."),
        (P.PROGRAMS_MANAGE,),
        "/app/volunteers",
    ),
)
BY_SLUG = {section.slug: section for section in SECTIONS}

ROLE_NAMES = {
    "admin": N_("Administrator"),
    "coordinator": N_("Coordinator"),
    "dietitian": N_("Dietitian"),
    "volunteer": N_("Volunteer"),
    "analyst": N_("Analyst"),
    "privacy_officer": N_("Privacy officer"),
}


def sections_for(actor: Actor) -> list[Section]:
    """The sections her roles open, in the app's order."""
    return [section for section in SECTIONS if section.open_to(actor)]
