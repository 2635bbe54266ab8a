"""Migration 0008 gives old rows core's one hash, keeping the first copy of a price as is."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from decimal import Decimal

from alembic import command
from sqlalchemy import insert
from sqlmodel import select

from core.db import dispose_engines, session_scope
from core.migrate import alembic_config, upgrade
from core.models import (
    DataImport,
    ObservationSource,
    PriceObservation,
    Region,
    Store,
    StoreProduct,
)
from core.observations import content_hash

NOON = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


def old_crawl_hash(store: str, sku: str, kind: str, price: str) -> str:
    key = "|".join((store, sku, NOON.date().isoformat(), kind, price))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def old_import_hash(store: str, chain: str, sku: str, kind: str, price: str) -> str:
    day = NOON.date().isoformat()
    key = "|".join((store, chain, sku, day, kind, price, "CAD", "unit", "1"))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def observation(store: Store, product: StoreProduct, price: str, digest: str, **extra: object):  # type: ignore[no-untyped-def]
    # Values, not a model: the model has columns later migrations add (0012's flags).
    return dict(
        store_id=store.id,
        store_product_id=product.id,
        price=Decimal(price),
        observed_at=NOON,
        source_url="https://example.test",
        collector="demo",
        method="json-ld",
        raw_price_text=price,
        content_hash=digest,
        collected_at=NOON,
        currency="CAD",
        price_per="unit",
        price_kind="regular",
        multibuy_quantity=1,
        available=True,
        status="ok",
        **extra,
    )


def add_old(session, values: dict) -> None:  # type: ignore[no-untyped-def]
    session.execute(insert(PriceObservation.__table__).values(**values))


def test_0008_keeps_the_first_copy_and_marks_the_others_duplicate(db_url: str) -> None:
    command.downgrade(alembic_config(db_url), "0007")
    with session_scope(db_url) as session:
        # Columns, not the model: the model has columns later migrations add (0017's name_en).
        regions = Region.__table__.c
        session.execute(
            insert(Region.__table__).values(code="lachine", name="Lachine", level="borough")
        )
        lachine = session.execute(select(regions.id).where(regions.code == "lachine")).scalar_one()
        store = Store(
            code="maxi-lachine",
            chain="loblaw",
            banner="Maxi",
            name="Maxi Lachine",
            region_id=lachine,
        )
        milk = StoreProduct(chain="loblaw", sku="123", name="Lait 4 L")
        bread = StoreProduct(chain="loblaw", sku="456", name="Pain")
        run = DataImport(kind="csv", source_file="f.csv")
        session.add_all([store, milk, bread, run])
        session.flush()
        # Crawled first (old crawl recipe), then the same price imported twice: once with
        # the importer's old recipe (which matches the new one here), once written "3.490".
        add_old(
            session,
            observation(
                store, milk, "3.49", old_crawl_hash("maxi-lachine", "123", "regular", "3.49")
            ),
        )
        session.flush()
        imported = old_import_hash("maxi-lachine", "loblaw", "123", "regular", "3.49")
        add_old(session, observation(store, milk, "3.49", imported))
        session.flush()
        written = old_import_hash("maxi-lachine", "loblaw", "123", "regular", "3.490")
        add_old(session, observation(store, milk, "3.490", written))
        session.flush()
        add_old(
            session,
            observation(
                store, bread, "2.99", old_crawl_hash("maxi-lachine", "456", "regular", "2.99")
            ),
        )
        session.flush()
        session.add(
            ObservationSource(
                content_hash=imported, import_id=run.id, source_file="f.csv", row_number=2
            )
        )
        session.commit()
    dispose_engines()

    upgrade(db_url)

    milk_hash = content_hash(
        "maxi-lachine", "loblaw", "123", NOON, "regular", "3.49", "CAD", "unit", True
    )
    bread_hash = content_hash(
        "maxi-lachine", "loblaw", "456", NOON, "regular", "2.99", "CAD", "unit", True
    )
    with session_scope(db_url) as session:
        rows = session.exec(select(PriceObservation).order_by(PriceObservation.id)).all()
        assert [(row.content_hash, row.status) for row in rows] == [
            (milk_hash, "ok"),
            (milk_hash[: 64 - len(f":dup:{rows[1].id}")] + f":dup:{rows[1].id}", "duplicate"),
            (milk_hash[: 64 - len(f":dup:{rows[2].id}")] + f":dup:{rows[2].id}", "duplicate"),
            (bread_hash, "ok"),
        ]
        # The import's provenance follows its row, now marked duplicate.
        [source] = session.exec(select(ObservationSource)).all()
        assert source.content_hash == rows[1].content_hash
