"""observation flags: a duplicate links to the observation it repeats, an outlier keeps its median

Issue 11. The `duplicate` and `outlier` statuses existed but were never written by the
writer or the engine. priceobservation.duplicate_of points at the first stored copy of a
price another source repeats (same store, product, price, day); judged_median is the median
of comparable prices (same item and period, per purchase size) an outlier was judged
against at the last costing. Both are NULL on every existing row: rows 0008 marked duplicate
keep their status, without a link.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 05:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('priceobservation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('duplicate_of', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('judged_median', sa.Numeric(precision=12, scale=3), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_priceobservation_duplicate_of_priceobservation'),
            'priceobservation', ['duplicate_of'], ['id'],
        )  # fmt: skip


def downgrade() -> None:
    with op.batch_alter_table('priceobservation', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_priceobservation_duplicate_of_priceobservation'), type_='foreignkey'
        )
        batch_op.drop_column('judged_median')
        batch_op.drop_column('duplicate_of')
