"""stored alerts: price-spike alerts written by `ppne compute`, read by /v1/alerts

Issue 15: the alerts are stored when costs are computed, so reading them refits nothing.

Revision ID: 0018
Revises: 0016
Create Date: 2026-11-30 09:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('storedpricealert',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
    sa.Column('level', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('entity', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('region', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('item', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('basket_version', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('method', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('months', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('band', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_storedpricealert')),
    sa.UniqueConstraint('period', 'level', 'entity', 'item', name=op.f('uq_storedpricealert_period_level_entity_item'))
    )
    with op.batch_alter_table('storedpricealert', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_storedpricealert_period'), ['period'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('storedpricealert', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_storedpricealert_period'))
    op.drop_table('storedpricealert')
