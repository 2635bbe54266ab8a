"""The researchers' API: basket costs by region and month, with OpenAPI docs at /docs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, FastAPI, Query
from sqlalchemy import text
from sqlmodel import Session

from api.errors import domain_error_handler
from api.schemas import FamilyCost, Health, RegionOut, Trend
from api.surveys import upload_survey
from api.trends import build_trend
from core.db import session_scope
from core.errors import InvalidInput, PpneError
from core.migrate import current_revision
from core.queries.costs import family_cost_row
from core.queries.cpi import CPI_FOOD
from core.queries.geo import regions_frame
from core.settings import get_settings

PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def get_session() -> Iterator[Session]:
    """Give each request its own session, closed at the end."""
    with session_scope() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def health(session: SessionDep) -> Health:
    """Tell whether the API and its database answer."""
    session.execute(text("SELECT 1"))
    return Health(status="ok", database="ok", schema_revision=current_revision())


def costs(
    session: SessionDep,
    region: Annotated[str, Query(description="Region code, e.g. montreal, lachine")] = "montreal",
    period: Annotated[str | None, Query(description="Month YYYY-MM; latest if omitted")] = None,
) -> FamilyCost:
    """Return the reference family's weekly and monthly basket cost in a region and month."""
    if period is not None and not PERIOD.match(period):
        raise InvalidInput(f"period {period!r} is not a month written YYYY-MM")
    cost, found_region, version = family_cost_row(session, region, period)
    return FamilyCost(
        region=found_region.code,
        region_name=found_region.name,
        period=cost.period,
        basket_version=version.code,
        weekly_cost=cost.weekly_cost,
        monthly_cost=cost.monthly_cost,
        stores_priced=cost.stores_priced,
        items_priced=cost.items_priced,
        items_total=cost.items_total,
        imputed_share=cost.imputed_share,
        status=cost.status,
        warning=cost.warning,
        preset=cost.preset,
        family=get_settings().reference_family,
        computed_at=cost.computed_at.isoformat(),
    )


def trends(
    session: SessionDep,
    region: Annotated[str, Query(description="Region code, e.g. montreal, lachine")] = "montreal",
    group: Annotated[str, Query(description='"family" or an age-sex group code')] = "family",
    base: Annotated[
        str | None, Query(description="Period the index equals 100 in; the first by default")
    ] = None,
    period_from: Annotated[str | None, Query(alias="from", description="First period")] = None,
    period_to: Annotated[str | None, Query(alias="to", description="Last period")] = None,
    cpi_product: Annotated[
        str, Query(description="Product of StatCan table 18-10-0004-01 shown beside")
    ] = CPI_FOOD,
) -> Trend:
    """Return a region's cost per period with its changes, index and the food CPI beside it."""
    return build_trend(session, region, group, base, period_from, period_to, cpi_product)


def regions(session: SessionDep) -> list[RegionOut]:
    """List the regions costs are computed for, with their parents."""
    frame = regions_frame(session).astype(object).where(lambda f: f.notna(), None)
    return [RegionOut(**row) for row in frame.to_dict("records")]


def create_app() -> FastAPI:
    """Build the API application."""
    app = FastAPI(
        title="PPNE API",
        summary="Cost of a nutritious food basket in Montreal, by region and month.",
        version="0.1.0",
    )
    app.add_exception_handler(PpneError, domain_error_handler)
    app.get("/health", tags=["service"])(health)
    app.get("/v1/costs", tags=["costs"])(costs)
    app.get("/v1/trends", tags=["costs"])(trends)
    app.get("/v1/regions", tags=["regions"])(regions)
    app.post("/v1/surveys", tags=["surveys"])(upload_survey)
    return app
