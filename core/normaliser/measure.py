"""Score the normaliser against strings with known answers: correct, rejected, or wrong."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from core.normaliser.currencies import find_currency_marks, iso_codes_for, resolve_currency
from core.normaliser.prices import ParsedPrice, parse_price


@dataclass(frozen=True)
class WrongAnswer:
    """A string accepted with an amount or currency that differs from the answer."""

    raw: str
    expected_amount: str
    expected_currency: str
    got: ParsedPrice


@dataclass
class Measurement:
    """Counts of correct, rejected and wrong readings, with every wrong one kept for review."""

    correct: int = 0
    rejected: int = 0
    wrong: list[WrongAnswer] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Return how many strings were measured."""
        return self.correct + self.rejected + len(self.wrong)


def measure(rows: Iterable[Mapping[str, str]]) -> Measurement:
    """Parse each row's raw_string and compare with expected_amount and expected_currency.

    A row's currency_hint (text found near the price on the page) sets the default currency
    when it names exactly one currency, as the hint does in price-parser's own tests.
    """
    result = Measurement()
    for row in rows:
        raw = row["raw_string"]
        got = parse_price(raw, default_currency=_hinted_currency(row.get("currency_hint") or ""))
        if got.status != "ok":
            result.rejected += 1
        elif _agrees(got, row.get("expected_amount") or "", row.get("expected_currency") or ""):
            result.correct += 1
        else:
            result.wrong.append(
                WrongAnswer(
                    raw, row.get("expected_amount") or "", row.get("expected_currency") or "", got
                )
            )
    return result


def _hinted_currency(hint: str) -> str:
    """Return the one currency a hint names, else CAD."""
    marks = find_currency_marks(hint)
    return (resolve_currency({m.code for m in marks}, "CAD") if marks else None) or "CAD"


def _agrees(got: ParsedPrice, expected_amount: str, expected_currency: str) -> bool:
    """Tell whether an accepted reading matches the expected amount and currency."""
    try:
        amount = Decimal(expected_amount)
    except InvalidOperation:
        return False  # the answer is "no price": any amount is wrong
    if got.amount != amount:
        return False
    return not expected_currency.strip() or got.currency in iso_codes_for(expected_currency)
