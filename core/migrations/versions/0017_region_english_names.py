"""region english names: region.name_en beside the French name

Issue 16: the English editions name regions in English where English usage differs.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The English names of the shipped regions as core/data/regions.csv gives them on this day
# (new databases load them from that file); written out so the migration never changes with
# the file. Regions not listed keep their official spelling in both languages.
ENGLISH_NAMES = {
    "quebec": "Quebec",
    "montreal-cma": "Montreal CMA",
    "montreal": "Montreal",
}


def upgrade() -> None:
    with op.batch_alter_table("region", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("name_en", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True)
        )
    region = sa.table("region", sa.column("code", sa.String), sa.column("name_en", sa.String))
    for code, name_en in ENGLISH_NAMES.items():
        op.execute(region.update().where(region.c.code == code).values(name_en=name_en))


def downgrade() -> None:
    with op.batch_alter_table("region", schema=None) as batch_op:
        batch_op.drop_column("name_en")
