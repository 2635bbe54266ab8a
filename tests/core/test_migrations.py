"""The migrations build the whole schema from nothing, with no drift from the models."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from core.db import get_engine
from core.migrate import current_revision
from core.models import metadata


def test_migrations_create_every_table(migrated_now_url: str) -> None:
    tables = set(inspect(get_engine(migrated_now_url)).get_table_names())
    assert set(metadata.tables) <= tables
    assert current_revision(migrated_now_url) is not None


def test_no_drift_between_models_and_migrations(migrated_now_url: str) -> None:
    with get_engine(migrated_now_url).connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []
