"""one observation hash: crawled and imported prices share core.observations' recipe

Crawls hashed store|sku|day|kind|price, imports store|chain|sku|day|kind|price|currency|
price_per|available with the day in the row's zone and the price as written, so a crawled and an
imported copy of one price were two rows. Every priceobservation.content_hash is recomputed with
core.observations.content_hash (UTC day, canonical price text), and observationsource rows follow
their observation. Where two rows now share a hash, the first stored (lowest id) keeps it as is;
the others are kept too, with status 'duplicate' and a distinct hash "<hash prefix>:dup:<id>"
(never deleted). Batches of 2,000 rows, in SQL both SQLite and PostgreSQL run.

The recipe is imported, not copied: a later change of it comes with its own recompute
migration, which runs after this one on any database.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 00:00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from alembic import op

from core.observations.identity import content_hash

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 2000
CHUNK = 500  # parameters per IN list
HASH_WIDTH = 64
SOURCE_COLUMNS = (
    "content_hash", "import_id", "source_file", "sheet", "row_number", "surveyor", "brand",
    "regular_price",
)  # fmt: skip


def upgrade() -> None:
    connection = op.get_bind()
    after = 0
    while True:
        rows = connection.execute(
            sa.text(
                "SELECT o.id, s.code, p.chain, p.sku, o.observed_at, o.price_kind, o.price,"
                " o.currency, o.price_per, o.available, o.content_hash"
                " FROM priceobservation o JOIN store s ON s.id = o.store_id"
                " JOIN storeproduct p ON p.id = o.store_product_id"
                " WHERE o.id > :after ORDER BY o.id LIMIT :limit"
            ),
            {"after": after, "limit": BATCH},
        ).all()
        if not rows:
            return
        _rehash(connection, rows)
        after = rows[-1][0]


def downgrade() -> None:
    # The old hashes are not kept; rows stay as they are (duplicates stay marked).
    pass


def _recipe(row: Any) -> str:
    _, code, chain, sku, observed_at, kind, price, currency, price_per, available, _ = row
    if isinstance(observed_at, str):  # SQLite hands back its text, in UTC
        observed_at = datetime.fromisoformat(observed_at)
    if observed_at.tzinfo is None:
        observed_at = observed_at.replace(tzinfo=UTC)
    return content_hash(
        code, chain, sku, observed_at, kind, Decimal(str(price)), currency, price_per,
        bool(available),
    )  # fmt: skip


def _duplicate_hash(digest: str, row_id: int) -> str:
    suffix = f":dup:{row_id}"
    return digest[: HASH_WIDTH - len(suffix)] + suffix


def _holders(connection: sa.Connection, hashes: list[str]) -> dict[str, int]:
    """Return which row holds each of these hashes now."""
    found: dict[str, int] = {}
    for start in range(0, len(hashes), CHUNK):
        for row_id, digest in connection.execute(
            sa.text("SELECT id, content_hash FROM priceobservation WHERE content_hash IN :hashes")
            .bindparams(sa.bindparam("hashes", expanding=True)),
            {"hashes": hashes[start : start + CHUNK]},
        ):
            found[digest] = row_id
    return found


def _rehash(connection: sa.Connection, rows: list[Any]) -> None:
    """Give a batch of rows (ascending ids) their new hashes, first stored row first."""
    wanted = {row[0]: _recipe(row) for row in rows}
    current = {row[0]: row[10] for row in rows}
    holders = _holders(connection, sorted(set(wanted.values())))
    for digest, holder in holders.items():
        current.setdefault(holder, digest)
    moves: list[dict[str, Any]] = []

    def move(row_id: int, target: str, status: str | None) -> None:
        if holders.get(current[row_id]) == row_id:
            del holders[current[row_id]]
        moves.append({"id": row_id, "old": current[row_id], "new": target, "status": status})
        current[row_id] = target

    for row_id, digest in wanted.items():
        if current[row_id] == digest:
            holders[digest] = row_id
            continue
        holder = holders.get(digest)
        if holder is not None and holder < row_id:
            move(row_id, _duplicate_hash(digest, row_id), "duplicate")
            continue
        if holder is not None:
            # A later row holds this hash under an old recipe: park it until its turn comes.
            move(holder, f"0008:parked:{holder}", None)
        move(row_id, digest, None)
        holders[digest] = row_id
    if moves:
        _apply(connection, moves)


def _apply(connection: sa.Connection, moves: list[dict[str, Any]]) -> None:
    """Run the moves in order; provenance rows leave their old hash and follow to the new one."""
    first: dict[int, str] = {}
    for change in moves:
        first.setdefault(change["id"], change["old"])
    final = {first[change["id"]]: change["new"] for change in moves}  # the last move wins
    olds = sorted(first.values())
    sources: list[dict[str, Any]] = []
    for start in range(0, len(olds), CHUNK):
        chunk = olds[start : start + CHUNK]
        expanding = sa.bindparam("hashes", expanding=True)
        sources += [
            dict(row._mapping)
            for row in connection.execute(
                sa.text(
                    f"SELECT {', '.join(SOURCE_COLUMNS)} FROM observationsource"
                    " WHERE content_hash IN :hashes"
                ).bindparams(expanding),
                {"hashes": chunk},
            )
        ]
        connection.execute(
            sa.text("DELETE FROM observationsource WHERE content_hash IN :hashes").bindparams(
                expanding
            ),
            {"hashes": chunk},
        )
    connection.execute(
        sa.text(
            "UPDATE priceobservation SET content_hash = :new,"
            " status = COALESCE(CAST(:status AS VARCHAR(16)), status) WHERE id = :id"
        ),
        moves,
    )
    if sources:
        for source in sources:
            source["content_hash"] = final[source["content_hash"]]
        connection.execute(
            sa.text(
                f"INSERT INTO observationsource ({', '.join(SOURCE_COLUMNS)})"
                f" VALUES ({', '.join(':' + name for name in SOURCE_COLUMNS)})"
            ),
            sources,
        )
