"""What some food is worth: basket items and quantities at the prices of a region and month.

Reuses the coupon valuation (services/records/coupon_values.py): the same region choice (the
client's territory, else her organisation's home region), the same latest priced period of
the basket version in effect, the same price statuses. Boxes, kitchen recipes and food-aid
visits are all "these items, these quantities".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session, select

from basket.protocol import NFB
from core.errors import N_, InvalidInput
from core.models import BasketItem, Client, Region
from services.records.coupon_values import (
    PriceBasis,
    cents,
    default_region,
    item_prices,
    price_status,
    pricing_basis,
    pricing_region,
    weakest,
)


@dataclass(frozen=True)
class ItemValue:
    """One item's quantity and exact value (None when it has no price), and its status."""

    item_code: str
    quantity: Decimal
    value: Decimal | None
    status: str


@dataclass(frozen=True)
class FoodValue:
    """Some food's value to the cent (None unless every item is priced), and on what basis."""

    basis: PriceBasis
    total: Decimal | None
    status: str
    items: list[ItemValue]
    reason: str | None


def value_items(
    session: Session,
    basis: PriceBasis,
    items: Iterable[tuple[str, Decimal]],
    minimum_stores: int = NFB.minimum_stores,
) -> FoodValue:
    """Value items (code, quantity in the purchase unit) at a basis' prices.

    Each is quantity / purchase size x regional price. A total is given only when every
    item has a price: a partial sum would understate the food (never 0 for "unknown").
    """
    prices = item_prices(session, basis)
    valued, reason = [], None
    for code, quantity in items:
        price = prices.get(code)
        if price is None or price.price is None:
            status = "missing"
            value = None
            reason = reason or (
                f"{code} is not in the basket version"
                if price is None
                else f"no price in {basis.period} for {code}"
            )
        else:
            status = price_status(price, minimum_stores)
            value = quantity / price.purchase_size * price.price
        valued.append(ItemValue(code, Decimal(quantity), value, status))
    if not valued:
        return FoodValue(basis, None, "missing", [], "no basket item")
    total = None if reason else cents(sum((v.value or Decimal(0) for v in valued), Decimal(0)))
    return FoodValue(basis, total, weakest(v.status for v in valued), valued, reason)


def client_basis(session: Session, client: Client, on: date) -> PriceBasis:
    """The prices that value food given to a client on a day: her territory's, that month."""
    region, source = pricing_region(session, client)
    return pricing_basis(session, region, source, on.strftime("%Y-%m"))


def region_basis(
    session: Session, organisation_id: int, region_id: int | None, on: date
) -> PriceBasis:
    """The prices of a region (else the organisation's home region) for a day's month."""
    region = session.get(Region, region_id) if region_id is not None else None
    source = "territory"
    if region is None:
        region, source = default_region(session, organisation_id), "default"
    return pricing_basis(session, region, source, on.strftime("%Y-%m"))


def check_items(
    session: Session, items: Iterable[tuple[str, Decimal]]
) -> list[tuple[str, Decimal]]:
    """Return the items, refusing none, a code no basket has, or a quantity not above 0."""
    found = [(code.strip(), Decimal(quantity)) for code, quantity in items]
    if not found:
        raise InvalidInput(N_("list at least one basket item"))
    known = set(session.exec(select(BasketItem.code).distinct()).all())
    for code, quantity in found:
        if code not in known:
            raise InvalidInput(N_("unknown basket item %(code)r"), code=code)
        if quantity <= 0:
            raise InvalidInput(N_("%(code)s: the quantity must be above 0"), code=code)
    return found
