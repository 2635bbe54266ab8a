"""bench/storage.py: bytes per stored observation, from the database's own size."""

from __future__ import annotations

from bench.storage import bytes_per_row


def test_bytes_per_row_counts_the_rows_and_sizes_the_table_within_the_database(
    db_url: str,
) -> None:
    stored, table, whole = bytes_per_row(db_url, 2_000)
    assert stored == 2_000
    # A row holds a 64-character hash, a URL and five index entries: well over 100 bytes.
    assert 100 * stored < table <= whole
