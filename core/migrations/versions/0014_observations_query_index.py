"""observations query index: product, store and time, for /v1/observations filters

The researchers' API filters observations by the products matched to an item, the stores of a
region and a time range. One index on (store_product_id, store_id, observed_at) finds those
rows directly; the index on store_id alone reads every price of the region's stores.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 05:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_priceobservation_product_store_observed",
        "priceobservation",
        ["store_product_id", "store_id", "observed_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_priceobservation_product_store_observed", table_name="priceobservation")
