"""Bulk dumps: observations, costs, stores, items and regions as CSV and Parquet files, with
a Frictionless Data Package (datapackage.json) that describes and validates them."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core.errors import NotFound
from core.queries.observations import COLUMN_TYPES
from core.queries.reference import REFERENCE_TABLES
from services.observations_query import ObservationQuery, observation_chunks
from services.reference import reference_chunks
from services.table_files import Separator, csv_chunks, parquet_chunks

LICENCE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0",
}
SOURCES = [
    {"title": "Store prices collected by ppne (chain websites, surveys, imports)"},
    {
        "title": "Canada's Food Guide (2007) serving sizes and servings per day",
        "path": "https://www.canada.ca/en/health-canada/services/canada-food-guide.html",
    },
    {"title": "Dispensaire diététique de Montréal, nutritious food basket method"},
]
# Table Schema types of the column types the API uses; decimals are numbers with two places.
_SCHEMA_TYPES = {"decimal": "number"}
# Units and meanings a reader needs (Table Schema has no unit keyword: a description and a
# `unit` property, which validators ignore).
_UNITS = {
    "price": "CAD, for the quantity of price_per (unit, kg or L)",
    "weekly_cost": "CAD per week",
    "monthly_cost": "CAD per month",
    "purchase_size": "purchase_unit (g, mL or unit)",
    "imputed_share": "share of the cost, 0 to 1",
}
_FOREIGN_KEYS = {
    "observations": [("store", "stores", "code"), ("region", "regions", "code")],
    "stores": [("region", "regions", "code")],
    "costs": [("region", "regions", "code")],
    "regions": [("parent", "", "code")],
}
_STAMP = re.compile(r"^\d{8}T\d{6}Z$")


@dataclass(frozen=True)
class DumpTable:
    """One table of a dump: its columns, primary key and rows."""

    name: str
    columns: dict[str, str]
    key: tuple[str, ...]
    chunks: Callable[[], Iterable[list[dict[str, Any]]]]


def dump_tables(url: str) -> list[DumpTable]:
    """Return the tables a dump holds, reading nothing yet."""

    def reference(name: str) -> Callable[[], Iterator[list[dict[str, Any]]]]:
        return lambda: reference_chunks(url, name)

    tables = [
        DumpTable(
            "observations",
            COLUMN_TYPES,
            ("id",),
            lambda: observation_chunks(url, ObservationQuery()),
        )
    ]
    for name in ("costs", "stores", "items", "regions"):
        table = REFERENCE_TABLES[name]
        tables.append(DumpTable(name, table.columns, table.key, reference(name)))
    return tables


def _schema(table: DumpTable) -> dict[str, Any]:
    fields = []
    for name, kind in table.columns.items():
        field: dict[str, Any] = {"name": name, "type": _SCHEMA_TYPES.get(kind, kind)}
        if name in _UNITS:
            field["description"] = _UNITS[name]
            field["unit"] = _UNITS[name].split(",")[0]
        if name in table.key:
            field["constraints"] = {"required": True}
        fields.append(field)
    schema: dict[str, Any] = {
        "fields": fields,
        "missingValues": [""],
        "primaryKey": list(table.key),
    }
    keys = _FOREIGN_KEYS.get(table.name)
    if keys:
        schema["foreignKeys"] = [
            {"fields": column, "reference": {"resource": resource, "fields": target}}
            for column, resource, target in keys
        ]
    return schema


def write_dump(url: str, out: Path, now: datetime | None = None) -> Path:
    """Write a dump in a new folder under `out` named by its UTC time; return the folder."""
    now = now or datetime.now(UTC)
    folder = out / now.strftime("%Y%m%dT%H%M%SZ")
    folder.mkdir(parents=True, exist_ok=False)
    resources = []
    for table in dump_tables(url):
        with (folder / f"{table.name}.csv").open("wb") as file:
            for part in csv_chunks(table.chunks(), table.columns, Separator.comma):
                file.write(part)
        with (folder / f"{table.name}.parquet").open("wb") as file:
            for part in parquet_chunks(table.chunks(), table.columns):
                file.write(part)
        resources.append(
            {
                "name": table.name,
                "path": f"{table.name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "dialect": {"delimiter": ",", "header": True},
                "schema": _schema(table),
                # The same rows, typed, for tools that read Parquet.
                "parquet": f"{table.name}.parquet",
            }
        )
    package = {
        "profile": "tabular-data-package",
        "name": "ppne-montreal-food-prices",
        "title": "Montreal nutritious food basket: price observations and costs",
        "version": now.strftime("%Y.%m.%d-%H%M%S"),
        "created": now.isoformat().replace("+00:00", "Z"),
        "licenses": [LICENCE],
        "sources": SOURCES,
        "resources": resources,
    }
    (folder / "datapackage.json").write_text(json.dumps(package, indent=2, ensure_ascii=False))
    return folder


@dataclass(frozen=True)
class DumpListing:
    """A dump on disk: its name (UTC time) and its files with their sizes."""

    name: str
    files: dict[str, int]


def list_dumps(out: Path) -> list[DumpListing]:
    """Return the dumps under `out`, the newest first."""
    if not out.is_dir():
        return []
    found = [
        DumpListing(
            folder.name,
            {file.name: file.stat().st_size for file in sorted(folder.iterdir()) if file.is_file()},
        )
        for folder in out.iterdir()
        if folder.is_dir() and _STAMP.match(folder.name) and (folder / "datapackage.json").exists()
    ]
    return sorted(found, key=lambda dump: dump.name, reverse=True)


def latest_dump_file(out: Path, name: str) -> Path:
    """Return a file of the newest dump.

    Raises:
        NotFound: there is no dump, or the newest has no file of that name.
    """
    dumps = list_dumps(out)
    if not dumps:
        raise NotFound("no dump published yet: run `ppne publish dump`")
    if name not in dumps[0].files:
        raise NotFound(f"the latest dump has no file {name!r}")
    return out / dumps[0].name / name
