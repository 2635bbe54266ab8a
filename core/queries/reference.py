"""The public tables besides observations: stores, basket items, age-sex groups, basket
versions, regions and computed costs, each a select and its typed columns (French and English
names side by side)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select

from core.models import AgeSexGroup, BasketCost, BasketItem, BasketVersion, Region, Store

_REGION = Region.__table__
_PARENT = Region.__table__.alias("parent")
_VERSION = BasketVersion.__table__
_ITEM = BasketItem.__table__
_STORE = Store.__table__
_GROUP = AgeSexGroup.__table__
_COST = BasketCost.__table__


@dataclass(frozen=True)
class ReferenceTable:
    """A public table: its columns with their Table Schema type, its key and its select."""

    columns: dict[str, str]
    key: tuple[str, ...]
    statement: Select[Any]


REFERENCE_TABLES: dict[str, ReferenceTable] = {
    "stores": ReferenceTable(
        {"code": "string", "name": "string", "chain": "string", "banner": "string",
         "kind": "string", "region": "string", "address": "string", "postal_code": "string"},
        ("code",),
        select(_STORE.c.code, _STORE.c.name, _STORE.c.chain, _STORE.c.banner, _STORE.c.kind,
               _REGION.c.code, _STORE.c.address, _STORE.c.postal_code)
        .join(_REGION, _REGION.c.id == _STORE.c.region_id)
        .order_by(_STORE.c.code),
    ),
    "items": ReferenceTable(
        {"version": "string", "code": "string", "name_fr": "string", "name_en": "string",
         "category": "string", "purchase_size": "number", "purchase_unit": "string"},
        ("version", "code"),
        select(_VERSION.c.code, _ITEM.c.code, _ITEM.c.name_fr, _ITEM.c.name_en,
               _ITEM.c.category, _ITEM.c.purchase_size, _ITEM.c.purchase_unit)
        .join(_VERSION, _VERSION.c.id == _ITEM.c.version_id)
        .order_by(_VERSION.c.code, _ITEM.c.code),
    ),
    "groups": ReferenceTable(
        {"code": "string", "label_fr": "string", "label_en": "string", "sex": "string",
         "age_min": "integer", "age_max": "integer", "state": "string"},
        ("code",),
        select(_GROUP.c.code, _GROUP.c.label_fr, _GROUP.c.label_en, _GROUP.c.sex,
               _GROUP.c.age_min, _GROUP.c.age_max, _GROUP.c.state)
        .order_by(_GROUP.c.code),
    ),
    "basket-versions": ReferenceTable(
        {"code": "string", "name": "string", "source": "string", "effective_from": "date",
         "effective_to": "date"},
        ("code",),
        select(_VERSION.c.code, _VERSION.c.name, _VERSION.c.source, _VERSION.c.effective_from,
               _VERSION.c.effective_to)
        .order_by(_VERSION.c.code),
    ),
    "regions": ReferenceTable(
        {"code": "string", "name": "string", "level": "string", "parent": "string"},
        ("code",),
        select(_REGION.c.code, _REGION.c.name, _REGION.c.level, _PARENT.c.code)
        .outerjoin(_PARENT, _PARENT.c.id == _REGION.c.parent_id)
        .order_by(_REGION.c.code),
    ),
    "costs": ReferenceTable(
        {"version": "string", "region": "string", "period": "string", "scope": "string",
         "preset": "string", "weekly_cost": "decimal", "monthly_cost": "decimal",
         "stores_priced": "integer", "items_priced": "integer", "items_total": "integer",
         "imputed_share": "number", "status": "string", "warning": "string",
         "computed_at": "datetime"},
        ("version", "region", "period", "scope"),
        select(_VERSION.c.code, _REGION.c.code, _COST.c.period, _COST.c.scope, _COST.c.preset,
               _COST.c.weekly_cost, _COST.c.monthly_cost, _COST.c.stores_priced,
               _COST.c.items_priced, _COST.c.items_total, _COST.c.imputed_share,
               _COST.c.status, _COST.c.warning, _COST.c.computed_at)
        .join(_VERSION, _VERSION.c.id == _COST.c.version_id)
        .join(_REGION, _REGION.c.id == _COST.c.region_id)
        .order_by(_VERSION.c.code, _REGION.c.code, _COST.c.period, _COST.c.scope),
    ),
}  # fmt: skip
