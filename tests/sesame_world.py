"""Le Sésame for the operations tests: regions, basket, prices by hand, actors, clients."""

from __future__ import annotations

import itertools
from decimal import ROUND_HALF_UP, Decimal

import factories
import records_factories
from sqlmodel import Session, select

from core.basket_definitions import ensure_reference_basket
from core.models import AuditEvent, BasketItem, Client, ItemRegionPrice
from core.regions import ensure_regions
from services.access.actor import Actor, load_actor
from services.access.organisations import ensure_organisations
from services.access.users import create_user

CENT = Decimal("0.01")


def set_up(session: Session) -> None:
    """Regions, the reference basket and the shipped organisations."""
    ensure_regions(session)
    ensure_reference_basket(session)
    records_factories.organisation(session, "sesame")
    session.commit()


_numbers = itertools.count(1)


def actor(session: Session, role: str, organisation: str = "sesame") -> Actor:
    """A new account with `role` in `organisation`, as the use cases see her."""
    ensure_organisations(session)
    email = f"{role}-ops-{next(_numbers)}@{organisation}.example"
    user = create_user(session, email, "a long test password", organisation=organisation, role=role)
    session.commit()
    return load_actor(session, user, "test")


def coordinator(session: Session, organisation: str = "sesame") -> Actor:
    """A coordinator of Le Sésame (or of another organisation)."""
    return actor(session, "coordinator", organisation)


def client_in(session: Session, region: str | None = "mercier-est", org: str = "sesame") -> Client:
    """A client of `org` living in `region` (None: no territory)."""
    territory = factories.shipped_region(session, region).id if region else None
    client = records_factories.make_client(session, org, territory_id=territory)
    session.commit()
    return client


def put_prices(
    session: Session, region: str, period: str, prices: dict[str, str], stores: int = 8
) -> None:
    """Store regional prices of reference items, by item code, observed in `stores` stores."""
    version = ensure_reference_basket(session)
    region_id = factories.shipped_region(session, region).id
    for code, price in prices.items():
        item = session.exec(
            select(BasketItem).where(BasketItem.version_id == version.id, BasketItem.code == code)
        ).one()
        session.add(
            ItemRegionPrice(
                version_id=version.id,
                region_id=region_id,
                item_id=item.id,
                period=period,
                price=Decimal(price),
                stores=stores,
                imputation="observed",
            )
        )
    session.commit()


def by_hand(lines: list[tuple[int | str, int | str, str]]) -> Decimal:
    """Sum of quantity / purchase size x price, to the cent at the end."""
    total = sum(
        (Decimal(quantity) / Decimal(size) * Decimal(price) for quantity, size, price in lines),
        Decimal(0),
    )
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


def audits(session: Session, record_type: str | None = None) -> list[AuditEvent]:
    """The audit rows, oldest first (of one record type when given)."""
    query = select(AuditEvent).order_by(AuditEvent.id)  # type: ignore[arg-type]
    if record_type is not None:
        query = query.where(AuditEvent.record_type == record_type)
    return list(session.exec(query).all())
