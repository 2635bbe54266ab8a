"""cost coverage: each stored cost keeps its coverage and where its prices came from

basketcost gains item_share and cost_share (the share of the basket's items and of its cost
priced), source_region_id (the region whose prices a region without a store of its own
borrowed), and its costs become nullable so a withheld figure is stored with its status and
reason but without a figure to quote. Costs computed earlier keep NULL shares.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 05:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('basketcost', schema=None) as batch_op:
        batch_op.add_column(sa.Column('item_share', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('cost_share', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('source_region_id', sa.Integer(), nullable=True))
        batch_op.alter_column('weekly_cost', existing_type=sa.Numeric(12, 3), nullable=True)
        batch_op.alter_column('monthly_cost', existing_type=sa.Numeric(12, 3), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM basketcost WHERE weekly_cost IS NULL")
    with op.batch_alter_table('basketcost', schema=None) as batch_op:
        batch_op.alter_column('monthly_cost', existing_type=sa.Numeric(12, 3), nullable=False)
        batch_op.alter_column('weekly_cost', existing_type=sa.Numeric(12, 3), nullable=False)
        batch_op.drop_column('source_region_id')
        batch_op.drop_column('cost_share')
        batch_op.drop_column('item_share')
