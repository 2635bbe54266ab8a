"""Parse a package size ("4 l", "6x200 ml", "dozen") into grams, millilitres or units."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from core.normaliser.numbers import UnreadableNumber, read_number
from core.normaliser.units import AMBIGUOUS_UNITS, BaseUnit, unit_info

_NUMBER = r"\d[\d.,]*"
# A package under 0.1 g or over a tonne (or 1000 L, or a million units) is a typo; a huge one
# would also overflow the exact arithmetic below.
SMALLEST_SIZE, LARGEST_SIZE = Decimal("0.1"), Decimal(1_000_000)
_SIZE = re.compile(
    rf"^(?:(?P<count>\d+)\s*[x×]\s*)?(?P<each>{_NUMBER})?\s*(?P<unit>[^\W\d_][^\d]*?)\.?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ParsedSize:
    """A package size: `count` packs of `each` base units, or the reason it was rejected."""

    raw: str
    status: Literal["ok", "rejected"]
    reason: str | None = None
    count: int = 1
    each: Decimal | None = None
    unit: BaseUnit | None = None
    total: Decimal | None = None


def parse_size(text: str) -> ParsedSize:
    """Read a package size, or reject it with a reason when it is unclear."""
    clean = re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()
    if not clean or clean.upper() == "N/A":
        return ParsedSize(text, "rejected", "no size given")
    match = _SIZE.match(clean)
    if match is None:
        return ParsedSize(
            text,
            "rejected",
            "no unit" if re.fullmatch(r"[\d.,\s]+", clean) else "unrecognised size",
        )
    word = match.group("unit").strip().lower()
    if word in AMBIGUOUS_UNITS:
        return ParsedSize(text, "rejected", f"ambiguous unit {word!r} (weight or volume?)")
    info = unit_info(word)
    if info is None:
        return ParsedSize(text, "rejected", f"unknown unit {word!r}")
    _, base, factor = info
    try:
        amount = read_number(match.group("each")) if match.group("each") else Decimal(1)
    except UnreadableNumber as error:
        return ParsedSize(text, "rejected", str(error))
    count = int(match.group("count") or 1) if len(match.group("count") or "") <= 4 else 0
    if amount <= 0 or count <= 0:
        return ParsedSize(text, "rejected", "a size of zero or an implausible pack count")
    if not SMALLEST_SIZE <= amount * factor * count <= LARGEST_SIZE:
        return ParsedSize(text, "rejected", "an implausible size: under 0.1 g or over a tonne")
    each = _plain(amount * factor)
    return ParsedSize(text, "ok", count=count, each=each, unit=base, total=_plain(each * count))


def _plain(value: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent notation (4000, not 4E+3)."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
