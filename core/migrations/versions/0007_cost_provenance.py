"""cost provenance: each stored cost names the reference family that produced it

basketcost.family keeps the group codes the computation summed (comma-separated), beside the
basket version and preset already stored, so readers show what produced a figure rather than
today's settings. Costs computed earlier keep NULL: nothing recorded which family they used.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 23:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('basketcost', schema=None) as batch_op:
        batch_op.add_column(sa.Column('family', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('basketcost', schema=None) as batch_op:
        batch_op.drop_column('family')
