"""GET /v1/stores, /v1/items, /v1/groups, /v1/basket-versions: the reference tables, with
French and English names side by side, in every list format."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from api.contract import asked_head
from api.deps import SettingsDep, require_migrated
from api.errors import ERROR_RESPONSES
from api.formats import Format, FormatParam, Separator, SepParam, chosen_format, streamed
from core.queries.reference import REFERENCE_TABLES
from services.reference import reference_chunks, reference_rows

router = APIRouter(tags=["reference"], responses=ERROR_RESPONSES)


class StoreRow(BaseModel):
    code: str
    name: str
    chain: str
    banner: str
    kind: str
    region: str
    address: str | None
    postal_code: str | None


class ItemRow(BaseModel):
    version: str
    code: str
    name_fr: str
    name_en: str
    category: str
    purchase_size: float
    purchase_unit: str


class GroupRow(BaseModel):
    code: str
    label_fr: str
    label_en: str
    sex: str
    age_min: int
    age_max: int | None
    state: str


class BasketVersionRow(BaseModel):
    code: str
    name: str
    source: str
    effective_from: date | None
    effective_to: date | None


class StoreList(BaseModel):
    rows: list[StoreRow]


class ItemList(BaseModel):
    rows: list[ItemRow]


class GroupList(BaseModel):
    rows: list[GroupRow]


class BasketVersionList(BaseModel):
    rows: list[BasketVersionRow]


def _answer(request: Request, url: str, name: str, fmt: Format | None, sep: Separator) -> Response:
    chosen = chosen_format(request, fmt)
    if chosen is Format.json:
        body = json.dumps({"rows": reference_rows(url, name)})
        return Response(body, media_type="application/json")
    columns = REFERENCE_TABLES[name].columns
    chunks = reference_chunks(url, name)
    return streamed(chunks, columns, chosen, name.replace("-", "_"), sep, head=asked_head(request))


def _table_route(name: str, summary: str) -> Callable[..., Response]:
    """Return the route listing one reference table: the same parameters and answer for all."""

    def route(
        request: Request,
        settings: SettingsDep,
        format: FormatParam = None,
        sep: SepParam = Separator.comma,
    ) -> Response:
        require_migrated(settings.database_url)
        return _answer(request, settings.database_url, name, format, sep)

    # Named as the table: the OpenAPI operation ids and the docs read as before.
    route.__name__ = name.replace("-", "_")
    route.__doc__ = summary
    return route


ROUTES: tuple[tuple[str, type[BaseModel], str], ...] = (
    ("stores", StoreList, "List the stores: code, chain, banner, kind and region."),
    (
        "items",
        ItemList,
        "List the basket items of every version, French and English names side by side.",
    ),
    ("groups", GroupList, "List the age-sex groups, French and English labels side by side."),
    (
        "basket-versions",
        BasketVersionList,
        "List the basket versions and the dates each is in effect.",
    ),
)
for table, listing, summary in ROUTES:
    router.add_api_route(f"/v1/{table}", _table_route(table, summary), response_model=listing)
