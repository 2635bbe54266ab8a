"""Parse one price as a store or flyer writes it into exact Decimals, or reject it with a reason."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from core.normaliser.currencies import find_currency_marks, resolve_currency, unsupported_currency
from core.normaliser.numbers import UnreadableNumber
from core.normaliser.phrasing import Refused, read_french_price
from core.normaliser.tokens import Token, tokenise
from core.normaliser.units import PER_KG, PER_L, unit_info

Status = Literal["ok", "rejected"]
FOUR_PLACES = Decimal("0.0001")
MILL = Decimal("0.001")  # the price column's precision
# The price column is NUMERIC(12,3): an amount of ten digits or more cannot be stored as read.
LARGEST_AMOUNT = Decimal("999999999.999")
# A unit price's basis in g, mL or units: below a gram or above 100 kg it is a typo, not a price.
SMALLEST_BASIS, LARGEST_BASIS = Decimal(1), Decimal(100_000)


@dataclass(frozen=True)
class ParsedPrice:
    """A price read from text: an amount and what it buys, or the reason it was rejected."""

    raw: str
    status: Status
    reason: str | None = None
    amount: Decimal | None = None  # one unit; for "2/$5.00" this is 2.50
    total: Decimal | None = None  # what `quantity` units cost together
    currency: str | None = None
    quantity: int = 1
    per_quantity: Decimal | None = None  # the stated basis of a unit price: 100 in "/100 g"
    per_unit: str | None = None  # "g", "kg", "lb", "mL", "L", "unit"
    price_per_kg: Decimal | None = None
    price_per_l: Decimal | None = None
    price_per: Literal["unit", "kg", "L"] = "unit"
    kind: str = "shelf"
    regular_amount: Decimal | None = None  # the "was" price of a sale
    # A size the text states for the price ("4,99 $ pour 500 g"), in g or mL: exact.
    size: Decimal | None = None
    size_unit: str | None = None
    # A size the text gives as approximate ("environ 2 kg"): kept, never used as a size.
    approximate_size: Decimal | None = None
    approximate_unit: str | None = None
    # The equivalent the text states beside the price, cross-checked ("soit 5,51 $ le kg").
    checked_equivalent: str | None = None

    def stored_price(self) -> tuple[Decimal | None, str]:
        """Return (price, price_per) as an observation stores it: per kg or L for a unit price.

        "$3.99/lb" is stored as 8.796 per kg (to the mill, as collectors store it), never as
        3.99 per kg.
        """
        if self.price_per == "kg" and self.price_per_kg is not None:
            return self.price_per_kg.quantize(MILL), "kg"
        if self.price_per == "L" and self.price_per_l is not None:
            return self.price_per_l.quantize(MILL), "L"
        return self.amount, self.price_per


# Whole-text signals that the string is not a price at all. Checked before anything else.
_UNAVAILABLE = re.compile(
    r"\bn\s*/\s*a\b|check store|voir en magasin|not available|no longer available|"
    r"non disponible|indisponible|out of stock|sold out|en rupture|épuisé|unavailable|"
    r"call for price",
    re.IGNORECASE,
)
_SAVING = re.compile(
    r"\b(?:save|saves|saving|savings|économi\w*|epargne\w*|épargne\w*|rabais|off)\b|%",
    re.IGNORECASE,
)
_RANGE = re.compile(
    r"\b(?:entre|between|starting|à partir|a partir|from|dès|as low as|up to|jusqu'?à|"
    r"under|et moins|ou moins|or less|and up|et plus|vanaf|ab|von|från|od|da)\b",
    re.IGNORECASE,
)
_TRAILING_PLUS = re.compile(r"[\d$€£¢]\s*\+")


def parse_price(text: str, *, default_currency: str = "CAD") -> ParsedPrice:
    """Read a price string, or reject it with a reason when any reading would be a guess."""
    clean = _normalise(text)
    if not clean:
        return _reject(text, "empty")
    if _UNAVAILABLE.search(clean):
        return _reject(text, "not a price: marked unavailable", "unavailable")
    if _SAVING.search(clean):
        return _reject(text, "a saving or discount, not a price", "saving")
    if _RANGE.search(clean):
        return _reject(text, "a price range or starting price", "range")
    if _TRAILING_PLUS.search(clean):
        return _reject(text, "a starting price: '+' after an amount means 'and up'", "range")
    if clean.startswith("(") and clean.endswith(")"):
        return _reject(text, "an amount in parentheses: an accounting negative, not a price")
    marks = find_currency_marks(clean)
    currency = (
        resolve_currency({m.code for m in marks}, default_currency) if marks else default_currency
    )
    if currency is None:
        return _reject(text, "currency marks disagree or '$' is not the default currency")
    try:
        tokens = tokenise(clean, currency, has_marks=bool(marks))
        result = _read_layout(text, tokens, currency)
    except UnreadableNumber as error:
        result = _reject(text, str(error))
    # Only what the layouts refuse is tried as French phrasing: no reading changes.
    return result if result.status == "ok" else _french(text, clean, currency, result)


def _french(raw: str, clean: str, currency: str, refused: ParsedPrice) -> ParsedPrice:
    """Read "4,99 $ pour 500 g", "6,49 $/kg ou 2,94 $/lb"... (phrasing.py), else refuse."""
    try:
        reading = read_french_price(clean)
    except Refused as error:
        return _reject(raw, str(error))
    if reading is None:
        return refused
    per_kg = per_l = None
    price_per: Literal["unit", "kg", "L"] = "unit"
    if reading.base == "g":
        per_kg, price_per = (reading.amount * PER_KG / reading.quantity).quantize(FOUR_PLACES), "kg"
    elif reading.base == "mL":
        per_l, price_per = (reading.amount * PER_L / reading.quantity).quantize(FOUR_PLACES), "L"
    weighed = reading.base != "unit"
    approximate = reading.approximate
    return ParsedPrice(
        raw,
        "ok",
        amount=reading.amount,
        total=reading.amount,
        currency=currency,
        per_quantity=reading.quantity if weighed else None,
        per_unit=reading.base if weighed else None,
        price_per_kg=per_kg,
        price_per_l=per_l,
        price_per=price_per,
        kind="unit_price" if reading.per_basis else "shelf",
        size=None if reading.per_basis or not weighed else reading.quantity,
        size_unit=None if reading.per_basis or not weighed else reading.base,
        approximate_size=approximate.quantity if approximate else None,
        approximate_unit=approximate.base if approximate else None,
        checked_equivalent=reading.checked,
    )


def _reject(raw: str, reason: str, kind: str = "unknown") -> ParsedPrice:
    """Return a rejected result: no amount, only the reason."""
    return ParsedPrice(raw, "rejected", reason, kind=kind)


def _normalise(text: str) -> str:
    """Collapse spaces and spell multi-word roles as one word."""
    text = re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip()
    text = re.sub(r"non[-\s]?(?:members?|membres?)", "nonmember", text, flags=re.IGNORECASE)
    return re.sub(r"\bl['’](?=unit)", "", text, flags=re.IGNORECASE)


# Layouts, written over the token symbols. P is the price slot.
_LAYOUTS: list[tuple[str, str]] = [
    ("P", "shelf"),
    ("NOW P|P NOW", "sale"),
    ("WAS R NOW P|NOW P WAS R|P WAS R|WAS R P", "sale"),
    ("P MEMBER|MEMBER P", "member"),
    ("P NONMEMBER|NONMEMBER P", "shelf"),
    ("Q FOR P|Q / P", "multibuy"),
]


def _read_layout(raw: str, tokens: list[Token], currency: str) -> ParsedPrice:
    """Match the token sequence against the known layouts and build the result."""
    unknown = [t.text for t in tokens if t.symbol == "?"]
    if unknown:
        if any(t.symbol == "?" and find_currency_marks(t.text) for t in tokens):
            return _reject(raw, "a currency mark with no amount beside it")
        for word in unknown:
            if mark := unsupported_currency(word):
                return _reject(raw, f"unsupported or ambiguous currency {mark!r}")
        return _reject(raw, f"unexpected text {' '.join(unknown)!r}")
    per_quantity, per_unit, tokens = _split_basis(tokens)
    amounts = [t for t in tokens if t.symbol == "A"]
    if not amounts:
        # Without any currency mark, the single bare number is the price.
        bare = [t for t in tokens if t.symbol == "N"]
        if len(tokens) == 1 and len(bare) == 1:
            bare[0].symbol = "A"
        else:
            reason = (
                "no amount found"
                if not bare
                else "numbers but no currency to tell which is the price"
            )
            return _reject(raw, reason)
    symbols = " ".join(t.symbol for t in tokens)
    if re.search(r"A (?:- |TO )(?:A|N)|N (?:- |TO )A", symbols):
        return _reject(raw, "a price range", "range")
    for pattern, kind in _LAYOUTS:
        for layout in pattern.split("|"):
            if _fits(layout, tokens):
                return _build(raw, layout, tokens, kind, currency, per_quantity, per_unit)
    reason = (
        "several amounts" if sum(t.symbol == "A" for t in tokens) > 1 else "unrecognised layout"
    )
    return _reject(raw, f"{reason}: {symbols}")


def _split_basis(tokens: list[Token]) -> tuple[Decimal | None, str | None, list[Token]]:
    """Take a trailing "/100 g", "la livre" or "/ea" off the tokens and return it."""
    if not tokens or tokens[-1].symbol != "U":
        return None, None, tokens
    unit = tokens[-1].unit
    rest = tokens[:-1]
    quantity = Decimal(1)
    if rest and rest[-1].symbol == "N":
        assert rest[-1].value is not None
        quantity, rest = rest[-1].value, rest[:-1]
        if not rest or rest[-1].symbol not in ("/", "PER"):
            return None, None, tokens  # "$5 2 kg" does not say what the number is
    if rest and rest[-1].symbol in ("/", "PER"):
        rest = rest[:-1]
    elif not rest or rest[-1].symbol != "A":
        return None, None, tokens
    return quantity, unit, rest


def _fits(layout: str, tokens: list[Token]) -> bool:
    """Tell whether tokens follow a layout; P and R are amounts, Q a count."""
    wanted = layout.split()
    if len(wanted) != len(tokens):
        return False
    for want, token in zip(wanted, tokens, strict=True):
        if want in ("P", "R"):
            if token.symbol != "A":
                return False
        elif want == "Q":
            if (
                token.symbol != "N"
                or token.value is None
                or token.value != token.value.to_integral_value()
            ):
                return False
        elif want != token.symbol:
            return False
    return True


def _build(
    raw: str,
    layout: str,
    tokens: list[Token],
    kind: str,
    currency: str,
    per_quantity: Decimal | None,
    per_unit: str | None,
) -> ParsedPrice:
    """Make the ParsedPrice for a matched layout."""
    slots = dict(zip(layout.split(), tokens, strict=True))
    price = slots["P"].value
    assert price is not None
    if price == 0:
        return _reject(raw, "a zero price: a placeholder, not what the item costs")
    regular = slots["R"].value if "R" in slots else None
    if max(price, regular or 0) > LARGEST_AMOUNT:
        return _reject(raw, "an amount of more than 9 integer digits: beyond what can be stored")
    if per_unit is not None and layout.endswith("R"):
        return _reject(
            raw, "a unit basis after the regular price only: the sale price's is a guess"
        )
    if layout == "Q / P" and slots["Q"].value == 1:
        return _reject(raw, "a fraction, not a price: one for a price is written without '1/'")
    if regular is not None and regular <= price:
        return _reject(raw, f"the regular price {regular} is not above the sale price {price}")
    quantity, total = 1, price
    if "Q" in slots:
        assert slots["Q"].value is not None
        quantity = int(slots["Q"].value)
        if not 1 <= quantity <= 100:
            return _reject(raw, f"implausible multi-buy count {quantity}")
        price = _exact_share(total, quantity)
    per_kg = per_l = None
    price_per: Literal["unit", "kg", "L"] = "unit"
    if per_unit is not None and per_quantity is not None:
        info = unit_info(per_unit)
        assert info is not None
        _, base, factor = info
        if per_quantity <= 0:
            return _reject(raw, "a unit price for zero quantity")
        basis = per_quantity * factor
        if not SMALLEST_BASIS <= basis <= LARGEST_BASIS:
            return _reject(raw, f"an implausible basis for a unit price: {per_quantity} {per_unit}")
        if base == "g":
            per_kg, price_per = (price * PER_KG / basis).quantize(FOUR_PLACES), "kg"
        elif base == "mL":
            per_l, price_per = (price * PER_L / basis).quantize(FOUR_PLACES), "L"
        if per_kg == 0 or per_l == 0:
            return _reject(raw, "a unit price that rounds to zero")
        if kind == "shelf" and base != "unit":
            kind = "unit_price"
    elif per_unit is None and any(t.symbol == "U" for t in tokens):
        return _reject(raw, "a unit without a price per it")
    return ParsedPrice(
        raw,
        "ok",
        amount=price,
        total=total,
        currency=currency,
        quantity=quantity,
        per_quantity=per_quantity,
        per_unit=per_unit,
        price_per_kg=per_kg,
        price_per_l=per_l,
        price_per=price_per,
        kind=kind,
        regular_amount=regular,
    )


def _exact_share(total: Decimal, quantity: int) -> Decimal:
    """Return total / quantity exactly, or to four places when it does not divide evenly."""
    share = total / quantity
    return share if share * quantity == total else share.quantize(FOUR_PLACES)
