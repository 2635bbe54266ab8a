"""Observations kept but not costed: duplicates of another source's price, and outliers."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from sqlmodel import Session

from core.observations.flags import flagged_observations_frame


@dataclass(frozen=True)
class FlaggedObservation:
    """One observation marked duplicate or outlier, with what it was judged by."""

    observation_id: int
    status: str  # duplicate or outlier
    store: str
    product: str
    price: Decimal
    price_per: str
    price_kind: str
    observed_at: str  # ISO 8601, UTC
    collector: str
    source_url: str
    duplicate_of: int | None  # the first copy a duplicate repeats
    judged_median: Decimal | None  # the median, per purchase size, an outlier was judged by

    @property
    def reason(self) -> str:
        """Say in one line why the observation is not costed."""
        if self.status == "duplicate":
            if self.duplicate_of is None:
                return "repeats another observation (marked before links were kept)"
            return f"repeats observation {self.duplicate_of} from another source"
        if self.judged_median is None:
            return "outlier (no median recorded)"
        return f"outlier against the median {self.judged_median} $ per purchase size"


def flagged_observations(session: Session) -> list[FlaggedObservation]:
    """Return every observation marked duplicate or outlier, oldest first."""
    frame = flagged_observations_frame(session)
    return [
        FlaggedObservation(
            observation_id=int(row["observation_id"]),
            status=str(row["status"]),
            store=str(row["store"]),
            product=str(row["product"]),
            price=Decimal(str(row["price"])),
            price_per=str(row["price_per"]),
            price_kind=str(row["price_kind"]),
            observed_at=pd.Timestamp(row["observed_at"]).isoformat(),
            collector=str(row["collector"]),
            source_url=str(row["source_url"]),
            duplicate_of=None if pd.isna(row["duplicate_of"]) else int(row["duplicate_of"]),
            judged_median=(
                None if pd.isna(row["judged_median"]) else Decimal(str(row["judged_median"]))
            ),
        )
        for row in frame.to_dict("records")
    ]
