"""Keep a price another source repeats: status duplicate, a link to the first copy, never lost.

The content hash (identity.py) makes one row of the same store, product, UTC day, kind and
price, so a crawl and an import of one price used to leave a single row and drop the other
silently. A repeat from another source is now kept, marked `duplicate`, with duplicate_of
pointing at the first copy. Its hash is the first copy's prefix and a tag of its source, so
running the same import or crawl again stores nothing new: the marking is idempotent.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Table, select
from sqlalchemy.engine import Connection

from core.models import PriceObservation
from core.observations.bulk import insert_tuples
from core.observations.rows import OBSERVATION_COLUMNS

OBSERVATIONS: Table = PriceObservation.__table__  # type: ignore[attr-defined]
DUPLICATE = "duplicate"
DUPLICATE_COLUMNS = (*OBSERVATION_COLUMNS, "duplicate_of")
HASH_WIDTH = 64
TAG_WIDTH = 16
CHUNK = 500  # parameters per IN list
_AT = {name: OBSERVATION_COLUMNS.index(name) for name in OBSERVATION_COLUMNS}


def source_of(collector: str, method: str, source_url: str) -> tuple[str, str, str]:
    """Return what tells two sources apart: collector, method and where in the source.

    The URL's fragment is the line or sheet cell of a file: the same price twice in one file
    is one source repeating itself. A web page is known by its path and query, not its host:
    the same spider crawling the same site again (the demo site on another port) is a re-run.
    """
    parts = urlsplit(source_url)
    if parts.scheme in ("http", "https"):
        return collector, method, parts.path + (f"?{parts.query}" if parts.query else "")
    return collector, method, source_url.split("#", 1)[0]


def repeat_hash(digest: str, source: tuple[str, str, str]) -> str:
    """Return the hash a repeat is stored under: the first copy's prefix, a tag of the source."""
    tag = hashlib.sha256("|".join(source).encode("utf-8")).hexdigest()[:TAG_WIDTH]
    suffix = f":dup:{tag}"
    return digest[: HASH_WIDTH - len(suffix)] + suffix


def keep_repeats(connection: Connection, rows: Sequence[tuple[Any, ...]]) -> int:
    """Insert, marked duplicate, the rows whose hash an observation of another source holds.

    Args:
        rows: observation tuples in OBSERVATION_COLUMNS order, ids already resolved, some
            of which were just refused by the content-hash key.

    Returns:
        how many repeats were stored (none on a second run of the same source).
    """
    holders = _holders(connection, sorted({row[_AT["content_hash"]] for row in rows}))
    repeats: list[tuple[Any, ...]] = []
    for row in rows:
        holder = holders.get(row[_AT["content_hash"]])
        if holder is None:
            continue
        holder_id, holder_source = holder
        source = source_of(row[_AT["collector"]], row[_AT["method"]], row[_AT["source_url"]])
        if source == holder_source:
            continue  # the same source again: a re-run, nothing new
        repeat = list(row)
        repeat[_AT["content_hash"]] = repeat_hash(row[_AT["content_hash"]], source)
        repeat[_AT["status"]] = DUPLICATE
        repeats.append((*repeat, holder_id))
    return insert_tuples(connection, OBSERVATIONS, DUPLICATE_COLUMNS, repeats, ("content_hash",))


def _holders(
    connection: Connection, hashes: list[str]
) -> dict[str, tuple[int, tuple[str, str, str]]]:
    """Return, per hash, the id and source of the observation holding it."""
    found: dict[str, tuple[int, tuple[str, str, str]]] = {}
    table = OBSERVATIONS.c
    for start in range(0, len(hashes), CHUNK):
        for row_id, digest, collector, method, url in connection.execute(
            select(table.id, table.content_hash, table.collector, table.method, table.source_url)
            .where(table.content_hash.in_(hashes[start : start + CHUNK]))
        ):  # fmt: skip
            found[digest] = (int(row_id), source_of(collector, method, url))
    return found
