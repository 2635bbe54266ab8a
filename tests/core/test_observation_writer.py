"""core.observations' writer: stores, products and regions resolved, duplicates counted."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlmodel import select

from core.db import get_engine, session_scope
from core.errors import RegionNotFound
from core.models import Store, StoreProduct
from core.observations import ObservationRows, ObservationWriter, ProductFacts, StoreFacts
from core.regions import ensure_regions

NOON = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
STORE = StoreFacts("maxi-lachine", "loblaw", "Maxi Lachine", "lachine", "Maxi", "1 rue A", None)


def rows(dialect: str, store: StoreFacts = STORE, **product: object) -> ObservationRows:
    batch = ObservationRows(dialect)
    facts = {"chain": "loblaw", "sku": "123", "name": "Lait", **product}
    for price in ("3.49", "3.490", "2.99"):  # the first two are one price
        batch.add(
            store,
            ProductFacts(**facts),  # type: ignore[arg-type]
            price=Decimal(price),
            observed_at=NOON,
            raw_price_text=price,
            source_url="https://example.test",
            collector="test",
            method="api",
        )
    return batch


def write(db_url: str, writer: ObservationWriter, batch_of: object) -> tuple[int, int]:
    with get_engine(db_url).begin() as connection:
        counts = writer.write(connection, batch_of(connection.dialect.name))  # type: ignore[operator]
    return counts.stored, counts.duplicates


@pytest.fixture
def regions(db_url: str) -> str:
    with session_scope(db_url) as session:
        ensure_regions(session)
        session.commit()
    return db_url


def test_counts_stored_and_duplicates_and_keeps_existing_details(regions: str) -> None:
    assert write(regions, ObservationWriter(), rows) == (2, 1)
    renamed = StoreFacts("maxi-lachine", "loblaw", "Autre nom", "lachine")
    assert write(regions, ObservationWriter(), lambda d: rows(d, renamed, name="Autre")) == (0, 3)
    with session_scope(regions) as session:
        assert session.exec(select(Store.name, Store.address)).one() == ("Maxi Lachine", "1 rue A")
        assert session.exec(select(StoreProduct.name)).one() == "Lait"


def test_refreshing_writer_updates_names_and_keeps_what_the_crawl_does_not_say(
    regions: str,
) -> None:
    sized = {"size": Decimal(4000), "size_unit": "mL", "brand": "Sans Nom"}
    write(regions, ObservationWriter(), lambda d: rows(d, **sized))
    renamed = StoreFacts("maxi-lachine", "loblaw", "Maxi Lachine 2", "lachine", "Maxi", kind=None)
    write(
        regions, ObservationWriter(refresh_details=True), lambda d: rows(d, renamed, name="Lait 2")
    )
    with session_scope(regions) as session:
        store = session.exec(select(Store)).one()
        assert (store.name, store.address, store.kind) == ("Maxi Lachine 2", "1 rue A", "regular")
        product = session.exec(select(StoreProduct)).one()
        assert (product.name, product.size, product.brand) == ("Lait 2", Decimal(4000), "Sans Nom")


def test_a_tiny_cache_keeps_every_id_of_the_current_batch(regions: str) -> None:
    writer = ObservationWriter(cache_limit=1)
    assert write(regions, writer, rows) == (2, 1)

    def two_products(dialect: str) -> ObservationRows:
        batch, other = rows(dialect), rows(dialect, sku="456")
        batch.rows += other.rows
        batch.products.update(other.products)
        return batch

    assert write(regions, writer, two_products) == (2, 4)
    # The survey's matches read the batch's product ids after the write.
    assert writer.product_id(("loblaw", "123")) != writer.product_id(("loblaw", "456"))


def test_an_unknown_region_is_refused_naming_the_code(regions: str) -> None:
    atlantis = StoreFacts("x", "loblaw", "X", "atlantis")
    with pytest.raises(RegionNotFound, match="'atlantis'"):
        write(regions, ObservationWriter(), lambda d: rows(d, atlantis))
