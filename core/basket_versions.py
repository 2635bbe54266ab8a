"""Basket versions in effect over time; a change of version is a recorded break in the series."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, select

from core.basket_definitions import save_definition
from core.errors import InvalidInput
from core.models import BasketVersion, SeriesBreak
from core.reference_data import BasketDefinition


def record_version_change(
    session: Session, version: BasketVersion, effective_from: date, reason: str
) -> SeriesBreak:
    """Put a version in effect from a date, close the one before, and record the break."""
    previous = session.exec(
        select(BasketVersion)
        .where(BasketVersion.id != version.id, BasketVersion.effective_to.is_(None))  # type: ignore[union-attr]
        .order_by(BasketVersion.id.desc())  # type: ignore[union-attr]
    ).first()
    if (
        previous is not None
        and previous.effective_from
        and previous.effective_from >= effective_from
    ):
        raise InvalidInput(
            f"version {version.code} cannot start on {effective_from}: "
            f"{previous.code} starts on {previous.effective_from}"
        )
    if previous is not None:
        previous.effective_to = effective_from - timedelta(days=1)
        session.add(previous)
    version.effective_from = effective_from
    version.effective_to = None
    session.add(version)
    session.flush()
    assert version.id is not None
    series_break = SeriesBreak(
        version_id=version.id,
        previous_version_id=previous.id if previous else None,
        effective_from=effective_from,
        reason=reason,
    )
    session.add(series_break)
    session.flush()
    return series_break


def month_span(version: BasketVersion) -> tuple[str | None, str | None]:
    """Return the first and last months (YYYY-MM) a version covers; None: open-ended."""
    first = version.effective_from.strftime("%Y-%m") if version.effective_from else None
    last = version.effective_to.strftime("%Y-%m") if version.effective_to else None
    return first, last


def first_month(period: str) -> str:
    """Return the first month (YYYY-MM) of a period written YYYY-MM or YYYY-Qn."""
    year, _, rest = period.partition("-")
    if rest.startswith("Q") and rest[1:].isdigit():
        return f"{year}-{(int(rest[1:]) - 1) * 3 + 1:02d}"
    return period[:7]


def version_covers(version: BasketVersion, period: str) -> bool:
    """Tell whether a version is in effect for a period (month or quarter).

    A quarter belongs to the version in effect on its first month, as a month does.
    """
    first, last = month_span(version)
    month = first_month(period)
    return (first is None or month >= first) and (last is None or month <= last)


def versions_in_effect(session: Session) -> list[BasketVersion]:
    """Return the versions with effective dates, oldest first; the newest alone if none has."""
    versions = list(session.exec(select(BasketVersion).order_by(BasketVersion.id)))  # type: ignore[arg-type]
    # A version closed by a change keeps its months even without a start date.
    dated = [v for v in versions if v.effective_from is not None or v.effective_to is not None]
    if dated:
        return sorted(dated, key=lambda v: v.effective_from or date.min)
    return versions[-1:]


def series_breaks(session: Session) -> list[SeriesBreak]:
    """Return every recorded break, oldest first."""
    return list(session.exec(select(SeriesBreak).order_by(SeriesBreak.effective_from)))  # type: ignore[arg-type]


def save_new_version(
    session: Session,
    definition: BasketDefinition,
    code: str,
    name: str,
    source: str,
    effective_from: date,
    reason: str,
) -> BasketVersion:
    """Store a validated definition as the version in effect from a date, recording the break."""
    version = save_definition(session, definition, code, name, source, effective_from)
    record_version_change(session, version, effective_from, reason)
    return version
