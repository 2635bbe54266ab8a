"""A backup restores into an empty database with every row, on SQLite and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import factories
import pytest
from sqlalchemy import create_engine, inspect, text

from core.basket_definitions import ensure_reference_basket
from core.db import dispose_engines, get_engine, session_scope
from core.errors import InvalidInput
from core.migrate import current_revision
from services.backup import back_up, restore


def row_counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {
                table: connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one()
                for table in inspect(connection).get_table_names()
            }
    finally:
        engine.dispose()


def empty_database(postgres_databases: Any, tmp_path: Path) -> str:
    if postgres_databases is None:
        return f"sqlite:///{tmp_path / 'restored.db'}"
    return postgres_databases.create()[1]


def test_a_backup_restores_every_row_into_an_empty_database(
    db_url: str, postgres_databases: Any, tmp_path: Path
) -> None:
    with session_scope(db_url) as session:
        ensure_reference_basket(session)
        factories.make_store(session, code="iga-lachine")
        session.commit()
    before = row_counts(db_url)
    dispose_engines()

    written = back_up(db_url, tmp_path / "ppne.backup")
    assert written.bytes > 0
    assert written.path.stat().st_mode & 0o077 == 0  # client records: the owner's alone
    with pytest.raises(InvalidInput, match="exists already"):
        back_up(db_url, written.path)

    target = empty_database(postgres_databases, tmp_path)
    restore(target, written.path)
    assert row_counts(target) == before
    assert before["basketitem"] > 0 and before["store"] == 1
    assert current_revision(target) == current_revision(db_url)
    dispose_engines()


def test_a_restore_never_goes_into_a_database_with_tables(db_url: str, tmp_path: Path) -> None:
    written = back_up(db_url, tmp_path / "ppne.backup")
    with pytest.raises(InvalidInput, match="restore into an empty one"):
        restore(db_url, written.path)


def test_a_restore_closes_only_the_pool_of_the_database_it_restores_into(
    db_url: str, postgres_databases: Any, tmp_path: Path
) -> None:
    written = back_up(db_url, tmp_path / "ppne.backup")
    source_engine = get_engine(db_url)
    target = empty_database(postgres_databases, tmp_path)
    target_engine = get_engine(target)

    restore(target, written.path)

    assert get_engine(db_url) is source_engine  # another database's pool is left alone
    assert get_engine(target) is not target_engine  # the restored one starts afresh
    dispose_engines()
