"""Le Sésame's operations: produce boxes, collective kitchens, food aid, volunteers and shifts.

Food is described as basket items (by code) and quantities in the item's purchase unit, as
coupon kinds are, so that it can be valued at the basket prices of a region and period.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import Numeric, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.models.base import quantity_field, timestamp_field, utc_now


class BoxOffer(SQLModel, table=True):
    """A produce box offered for one week: what it holds, and what a client pays for it."""

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    program_id: int = Field(foreign_key="program.id", index=True)
    week_of: date = Field(index=True)  # the Monday of the week
    name: str = Field(max_length=200)
    price: Decimal = Field(sa_type=Numeric(8, 2))
    capacity: int | None = None  # boxes available; None: no limit
    created_at: datetime = timestamp_field(default_factory=utc_now)


class BoxOfferItem(SQLModel, table=True):
    """One basket item in a box offer and its quantity (g, mL or units, as it is bought)."""

    id: int | None = Field(default=None, primary_key=True)
    box_offer_id: int = Field(foreign_key="boxoffer.id", index=True)
    item_code: str = Field(max_length=64)
    quantity: Decimal = quantity_field()


class BoxOrder(SQLModel, table=True):
    """A client's order of boxes of an offer, valued at her territory's prices when ordered."""

    id: int | None = Field(default=None, primary_key=True)
    box_offer_id: int = Field(foreign_key="boxoffer.id", index=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    boxes: int = 1
    fulfilment: str = Field(default="pickup", max_length=16)  # pickup | delivery
    # ordered | collected | delivered | cancelled
    status: str = Field(default="ordered", max_length=16)
    ordered_on: date
    staff_id: int | None = Field(default=None, foreign_key="user.id")
    region_id: int | None = Field(default=None, foreign_key="region.id")
    period: str | None = Field(default=None, max_length=7)
    basket_version_id: int | None = Field(default=None, foreign_key="basketversion.id")
    box_value: Decimal | None = Field(default=None, sa_type=Numeric(12, 2))  # one box
    price_status: str = Field(default="missing", max_length=16)


class KitchenSession(SQLModel, table=True):
    """A collective kitchen: a day, a place, the portions made from its recipe."""

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    program_id: int = Field(foreign_key="program.id", index=True)
    held_on: date = Field(index=True)
    place: str = Field(max_length=200)
    recipe: str = Field(default="", max_length=200)
    # The region whose prices cost the recipe; None: the organisation's home region.
    region_id: int | None = Field(default=None, foreign_key="region.id")
    portions: int | None = None  # made, recorded after the session


class KitchenRecipeItem(SQLModel, table=True):
    """One basket item used by a kitchen session's recipe, and how much of it."""

    id: int | None = Field(default=None, primary_key=True)
    kitchen_session_id: int = Field(foreign_key="kitchensession.id", index=True)
    item_code: str = Field(max_length=64)
    quantity: Decimal = quantity_field()


class KitchenParticipant(SQLModel, table=True):
    """A client cooking at a kitchen session."""

    __table_args__ = (UniqueConstraint("kitchen_session_id", "client_id"),)

    id: int | None = Field(default=None, primary_key=True)
    kitchen_session_id: int = Field(foreign_key="kitchensession.id", index=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    portions_taken: int | None = None


class FoodAidRule(SQLModel, table=True):
    """How often a household may come: at most `max_visits` in any `window_days` days."""

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    program_id: int = Field(foreign_key="program.id", index=True)
    max_visits: int
    window_days: int = 30
    action: str = Field(default="refuse", max_length=16)  # refuse | flag
    referral_resource: str | None = Field(default=None, max_length=200)
    active: bool = True


class FoodAidVisit(SQLModel, table=True):
    """A household's food-aid visit: what it was given, valued at its territory's prices."""

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    program_id: int = Field(foreign_key="program.id", index=True)
    visited_on: date = Field(index=True)
    staff_id: int | None = Field(default=None, foreign_key="user.id")
    # Given over a frequency rule (its action "flag"): which rule, and the referral made.
    flagged: bool = False
    food_aid_rule_id: int | None = Field(default=None, foreign_key="foodaidrule.id")
    referral_id: int | None = Field(default=None, foreign_key="referral.id")
    region_id: int | None = Field(default=None, foreign_key="region.id")
    period: str | None = Field(default=None, max_length=7)
    basket_version_id: int | None = Field(default=None, foreign_key="basketversion.id")
    total_value: Decimal | None = Field(default=None, sa_type=Numeric(12, 2))
    price_status: str = Field(default="missing", max_length=16)


class FoodAidItem(SQLModel, table=True):
    """One basket item given at a food-aid visit, its quantity and value."""

    id: int | None = Field(default=None, primary_key=True)
    food_aid_visit_id: int = Field(foreign_key="foodaidvisit.id", index=True)
    item_code: str = Field(max_length=64)
    quantity: Decimal = quantity_field()
    value: Decimal | None = Field(default=None, sa_type=Numeric(12, 2))
    price_status: str = Field(default="missing", max_length=16)


class Volunteer(SQLModel, table=True):
    """A volunteer of an organisation; `user_id` links her account to see her own shifts."""

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    name: str = Field(max_length=200)
    phone: str | None = Field(default=None, max_length=32)
    active: bool = True


class VolunteerAvailability(SQLModel, table=True):
    """When a volunteer can usually come: a weekday (0 Monday) and hours."""

    id: int | None = Field(default=None, primary_key=True)
    volunteer_id: int = Field(foreign_key="volunteer.id", index=True)
    weekday: int
    starts_at: time
    ends_at: time


class VolunteerShift(SQLModel, table=True):
    """A shift on a route, a kitchen or the café, its volunteer, and who she replaced."""

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    program_id: int = Field(foreign_key="program.id", index=True)
    kind: str = Field(max_length=16)  # route | kitchen | cafe | boxes | food_aid
    shift_on: date = Field(index=True)
    starts_at: time
    ends_at: time
    place: str | None = Field(default=None, max_length=200)
    kitchen_session_id: int | None = Field(default=None, foreign_key="kitchensession.id")
    volunteer_id: int | None = Field(default=None, foreign_key="volunteer.id", index=True)
    # Who was planned before a substitution, and why she could not come.
    replaced_volunteer_id: int | None = Field(default=None, foreign_key="volunteer.id")
    substitution_reason: str | None = Field(default=None, max_length=300)
    status: str = Field(default="planned", max_length=16)  # planned | done | cancelled
    hours: Decimal | None = Field(default=None, sa_type=Numeric(5, 2))  # worked, when done
