"""drop foodcpi: the food CPI is read from the imported reference series

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 21:16:53.221852
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nothing ever wrote to foodcpi: `ppne import statcan` stores table 18-10-0004-01 as
    # referenceseries (kind "index") and referencevalue rows, which core.queries.cpi now reads.
    with op.batch_alter_table('foodcpi', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_foodcpi_period'))

    op.drop_table('foodcpi')


def downgrade() -> None:
    # The table as revision 0002 created it.
    op.create_table('foodcpi',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('geo', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_foodcpi')),
    sa.UniqueConstraint('geo', 'period', name=op.f('uq_foodcpi_geo_period'))
    )
    with op.batch_alter_table('foodcpi', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_foodcpi_period'), ['period'], unique=False)
