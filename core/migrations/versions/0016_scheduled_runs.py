"""scheduled runs: what each run of a scheduled job did (crawl, compute, publish)

Issue 17: collection on a schedule, every run recorded with its outcome.

Revision ID: 0016
Revises: 0014
Create Date: 2026-11-30 05:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0016'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('scheduledrun',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('trigger', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('step', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('collection_run_id', sa.Integer(), nullable=True),
    sa.Column('observations_stored', sa.Integer(), nullable=True),
    sa.Column('costs_stored', sa.Integer(), nullable=True),
    sa.Column('published', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('message', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.ForeignKeyConstraint(['collection_run_id'], ['collectionrun.id'], name=op.f('fk_scheduledrun_collection_run_id_collectionrun')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scheduledrun'))
    )
    with op.batch_alter_table('scheduledrun', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scheduledrun_job'), ['job'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('scheduledrun', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scheduledrun_job'))
    op.drop_table('scheduledrun')
