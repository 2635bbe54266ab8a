"""What a coupon is worth: its basket items at the regional prices of a region and period."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlmodel import Session, select

from core.basket_versions import first_month
from core.errors import NoData
from core.models import BasketItem, Client, ItemRegionPrice, Organisation, Region
from core.queries.basket import version_for_period
from core.regions import region_by_code
from publications.formatting import format_money
from services.records.coupon_kinds import Kind

# Weakest last: a figure is as good as the weakest price it rests on.
STATUSES = ("observed", "few_stores", "imputed", "missing")
# Where a client has no territory, her organisation's home region prices her coupons. There is
# no column for it on Organisation (migration 0009), so it is kept here; "montreal" otherwise.
DEFAULT_REGIONS = {"alima": "montreal", "sesame": "mercier-est"}
FALLBACK_REGION = "montreal"
MILLS = Decimal("0.001")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class PriceBasis:
    """The prices a value is taken from: region (and why that one), period, basket version."""

    region_id: int
    region_code: str
    region_source: str  # territory (the client's) or default (her organisation's)
    period: str | None  # None: the region has no price at or before the month
    version_id: int | None
    version_code: str | None


@dataclass(frozen=True)
class ItemPrice:
    """A basket item's regional price for one purchase size, and how it was obtained."""

    purchase_size: Decimal
    price: Decimal | None
    stores: int
    imputation: str


@dataclass(frozen=True)
class KindValue:
    """One coupon's value (exact, unrounded), the weakest status of its prices, and why."""

    unit_value: Decimal | None
    status: str
    reason: str | None


def weakest(statuses: Iterable[str]) -> str:
    """Return the weakest of some statuses (observed < few_stores < imputed < missing)."""
    found = list(statuses)
    return max(found, key=STATUSES.index) if found else "missing"


def pricing_region(session: Session, client: Client) -> tuple[Region, str]:
    """Return the region that prices a client's coupons, and "territory" or "default"."""
    if client.territory_id is not None:
        region = session.get(Region, client.territory_id)
        if region is not None:
            return region, "territory"
    return default_region(session, client.organisation_id), "default"


def default_region(session: Session, organisation_id: int) -> Region:
    """Return an organisation's home region, which prices clients with no territory."""
    organisation = session.get(Organisation, organisation_id)
    slug = organisation.slug if organisation else ""
    return region_by_code(session, DEFAULT_REGIONS.get(slug, FALLBACK_REGION))


def region_source(session: Session, client: Client, region_id: int | None) -> str:
    """Say why a stored region priced a client's coupons: "territory" or "default".

    Not stored (no column in migration 0009): a region that is her organisation's default
    and not her territory today was the fallback; any other was a territory of hers.
    """
    if region_id is None or region_id == client.territory_id:
        return "territory" if region_id is not None else "default"
    return (
        "default"
        if default_region(session, client.organisation_id).id == region_id
        else "territory"
    )


def pricing_basis(
    session: Session, region: Region, source: str, month: str, period: str | None = None
) -> PriceBasis:
    """Return the basis for a month: the version in effect, and its latest priced period.

    The period is the latest at or before `month` where the region has a price, a quarter
    counting from its first month; or `period` itself when given (the household's costs').
    """
    assert region.id is not None
    try:
        version = version_for_period(session, period or month)
    except NoData:
        return PriceBasis(region.id, region.code, source, None, None, None)
    assert version.id is not None
    periods = session.exec(
        select(ItemRegionPrice.period)
        .where(
            ItemRegionPrice.version_id == version.id,
            ItemRegionPrice.region_id == region.id,
            ItemRegionPrice.price.is_not(None),  # type: ignore[union-attr]
        )
        .distinct()
    ).all()
    usable = [p for p in periods if (p == period if period else first_month(p) <= month)]
    chosen = max(usable, key=lambda p: (first_month(p), p)) if usable else None
    return PriceBasis(region.id, region.code, source, chosen, version.id, version.code)


def item_prices(session: Session, basis: PriceBasis) -> dict[str, ItemPrice]:
    """Return, by item code, the basket items of the basis' version with their regional price."""
    if basis.version_id is None:
        return {}
    items = session.exec(select(BasketItem).where(BasketItem.version_id == basis.version_id)).all()
    rows = (
        session.exec(
            select(ItemRegionPrice).where(
                ItemRegionPrice.version_id == basis.version_id,
                ItemRegionPrice.region_id == basis.region_id,
                ItemRegionPrice.period == basis.period,
            )
        ).all()
        if basis.period
        else []
    )
    by_item = {row.item_id: row for row in rows}
    prices = {}
    for item in items:
        row = by_item.get(item.id) if item.id is not None else None
        prices[item.code] = ItemPrice(
            purchase_size=Decimal(item.purchase_size),
            price=Decimal(row.price) if row is not None and row.price is not None else None,
            stores=row.stores if row is not None else 0,
            imputation=row.imputation if row is not None else "missing",
        )
    return prices


def price_status(price: ItemPrice, minimum_stores: int) -> str:
    """Return observed, few_stores, imputed or missing for one regional price."""
    if price.price is None or price.imputation == "missing":
        return "missing"
    if price.imputation != "observed":  # carried_forward or parent (basket/imputation.py)
        return "imputed"
    return "observed" if price.stores >= minimum_stores else "few_stores"


def kind_value(kind: Kind, prices: dict[str, ItemPrice], minimum_stores: int) -> KindValue:
    """Return one coupon's value: the sum over its items of quantity / purchase size x price.

    A kind with no basket item, or an item without a price, has no value (None), never 0.
    """
    if not kind.items:
        return KindValue(None, "missing", "no basket item for this coupon kind")
    total, statuses = Decimal(0), []
    for item in kind.items:
        price = prices.get(item.item_code)
        if price is None:
            return KindValue(None, "missing", f"{item.item_code} is not in the basket version")
        status = price_status(price, minimum_stores)
        if status == "missing":
            return KindValue(None, "missing", f"no price for {item.item_code}")
        assert price.price is not None
        total += item.quantity / price.purchase_size * price.price
        statuses.append(status)
    return KindValue(total, weakest(statuses), None)


def line_value(unit_value: Decimal | None, count: int) -> Decimal | None:
    """Return `count` coupons' value to the cent (None when a coupon has no value)."""
    if unit_value is None:
        return None
    return (unit_value * count).quantize(CENT, rounding=ROUND_HALF_UP)


def stored_unit_value(unit_value: Decimal | None) -> Decimal | None:
    """Return a coupon's value as stored: to the tenth of a cent."""
    return None if unit_value is None else unit_value.quantize(MILLS, rounding=ROUND_HALF_UP)


def sum_known(values: Iterable[Decimal | None]) -> Decimal | None:
    """Return the sum of the known values; None when none is known."""
    known = [v for v in values if v is not None]
    return sum(known, Decimal(0)).quantize(CENT) if known else None


def money_display(amount: Decimal | None) -> str | None:
    """Return an amount the Quebec way ("12,34 $"), or None when there is none."""
    return None if amount is None else format_money(float(amount))


def cents(amount: Decimal | None) -> Decimal | None:
    """Return an amount to the cent, half up (None stays None)."""
    return None if amount is None else amount.quantize(CENT, rounding=ROUND_HALF_UP)
