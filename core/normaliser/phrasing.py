"""Read French shelf and flyer phrasing: a price for a size, with its equivalent, or approximate.

"4,99 $ pour 500 g", "2,50 $ les 454 g, soit 5,51 $ le kg", "6,49 $/kg ou 2,94 $/lb",
"5,49$/kg ou 4,98$ pour 0,908 kg", "3,99$ (pour 0,9 kg)", "11,99 $ le melon (environ 2 kg)".
Only what parse_price refuses comes here, so no reading it gave before changes. Every clause
must be read whole; an equivalent is accepted only when it agrees with the price within the
rounding of both figures, else the phrase is refused with both figures; an approximate
weight is kept apart and never becomes the size.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from core.normaliser.numbers import UnreadableNumber, read_number
from core.normaliser.units import PER_KG, PER_L, unit_info

FOUR_PLACES = Decimal("0.0001")
_NUMBER = r"\d+(?:[.,]\d+)?"
# The price of one clause: an amount with a currency mark, French or English side.
_PRICE = rf"(?:{_NUMBER}\s*\$|\$\s*{_NUMBER})"
_FOR_SIZE = re.compile(
    rf"(?P<price>{_PRICE})\s+(?:pour|les)\s+(?P<qty>{_NUMBER})\s*(?P<unit>[^\W\d_]+)",
    re.IGNORECASE,
)
_PER_BASIS = re.compile(
    rf"(?P<price>{_PRICE})\s*(?:/|le\s+|la\s+|par\s+)\s*(?P<unit>[^\W\d_]+)", re.IGNORECASE
)
_EACH = re.compile(
    rf"(?P<price>{_PRICE})\s+(?:le\s+|la\s+|l['’]\s*)(?P<noun>[^\W\d_]+(?:[\s-][^\W\d_]+){{0,3}})",
    re.IGNORECASE,
)
_SIZE = re.compile(rf"pour\s+(?P<qty>{_NUMBER})\s*(?P<unit>[^\W\d_]+)", re.IGNORECASE)
_APPROXIMATE = re.compile(
    rf"(?:environ|env\.|approx\.?|approximativement|~)\s*(?P<qty>{_NUMBER})\s*(?P<unit>[^\W\d_]+)",
    re.IGNORECASE,
)
_WHOLE = re.compile(r"(?P<head>[^()]+?)\s*(?:\((?P<paren>[^()]+)\))?\s*\.?")
_HEAD_JOIN = re.compile(r"\s*(?:,\s*soit\b|\bsoit\b|,?\s*\bou\b)\s*", re.IGNORECASE)
# A separating comma has a space after it; a decimal comma ("2,4 kg") has none.
_PAREN_JOIN = re.compile(r"\s*(?:,\s*soit\b|\bsoit\b|,\s+)\s*", re.IGNORECASE)
_SIGNALS = re.compile(r"\b(?:pour|les|soit|ou|environ|le|la|l['’])\b|\(", re.IGNORECASE)


@dataclass(frozen=True)
class Clause:
    """One clause: a price for a quantity of a base unit (g, mL or unit), or a size alone."""

    amount: Decimal | None  # None: a size without a price ("pour 0,9 kg")
    quantity: Decimal  # in the base unit
    base: str  # g, mL or unit
    stated: str  # as written, for reasons
    approximate: bool = False
    per_basis: bool = False  # "/kg", "le kg": a unit price rather than a package price


class Refused(Exception):
    """The phrase follows the grammar but cannot be read without a guess."""


def read_phrasing(text: str) -> tuple[list[Clause], list[Clause]] | None:
    """Return (main clauses, parenthesised clauses), or None when the text is not this grammar.

    Raises:
        Refused: the grammar fits but a clause is unreadable.
    """
    if not _SIGNALS.search(text):
        return None
    whole = _WHOLE.fullmatch(text.strip())
    if whole is None:
        return None
    head = [_clause(part) for part in _HEAD_JOIN.split(whole["head"])]
    paren = [_clause(part) for part in _PAREN_JOIN.split(whole["paren"] or "") if part]
    if any(c is None for c in head + paren):
        return None
    return [c for c in head if c], [c for c in paren if c]


def _clause(text: str) -> Clause | None:
    """Read one clause, or None when it is not one of the forms."""
    text = text.strip()
    if match := _FOR_SIZE.fullmatch(text):
        quantity, base = _quantity(match["qty"], match["unit"])
        return Clause(_amount(match["price"]), quantity, base, text)
    if (match := _PER_BASIS.fullmatch(text)) and unit_info(match["unit"]) is not None:
        quantity, base = _quantity("1", match["unit"])
        return Clause(_amount(match["price"]), quantity, base, text, per_basis=True)
    if (match := _EACH.fullmatch(text)) and unit_info(match["noun"].split()[0]) is None:
        return Clause(_amount(match["price"]), Decimal(1), "unit", text)
    if match := _SIZE.fullmatch(text):
        quantity, base = _quantity(match["qty"], match["unit"])
        return Clause(None, quantity, base, text)
    if match := _APPROXIMATE.fullmatch(text):
        quantity, base = _quantity(match["qty"], match["unit"])
        return Clause(None, quantity, base, text, approximate=True)
    if re.fullmatch(_PRICE, text):
        return Clause(_amount(text), Decimal(1), "unit", text)
    return None


def _amount(text: str) -> Decimal:
    """Return the amount of a price clause ("4,99 $", "$4.99")."""
    digits = re.search(_NUMBER, text)
    assert digits is not None  # the clause patterns hold a number
    try:
        return read_number(digits.group(0), second_opinion=True)
    except UnreadableNumber as error:
        raise Refused(str(error)) from error


def _quantity(number: str, unit: str) -> tuple[Decimal, str]:
    """Return a quantity in its base unit (g, mL), or refuse an unknown or counted unit."""
    info = unit_info(unit)
    if info is None:
        raise Refused(f"unknown unit {unit!r}")
    _, base, factor = info
    if base == "unit":
        raise Refused(f"a count ({unit!r}) where a weight or volume is expected")
    if re.fullmatch(r"[1-9]\d*[.,]\d{3}", number):
        # "1,000 kg": a thousands separator or a decimal one? Either reading is a guess.
        raise Refused(f"{number!r} may be a thousand or a decimal: ambiguous quantity")
    try:
        value = read_number(number)
    except UnreadableNumber as error:
        raise Refused(str(error)) from error
    if value <= 0:
        raise Refused(f"a quantity of {number} {unit}")
    return value * factor, base


def per_base(clause: Clause) -> tuple[Decimal, Decimal]:
    """Return the lowest and highest price per base unit the clause's rounding allows."""
    assert clause.amount is not None
    exponent = clause.amount.as_tuple().exponent
    half = Decimal(1).scaleb(min(int(exponent), -2)) / 2  # "2 $" is read to the cent
    return (clause.amount - half) / clause.quantity, (clause.amount + half) / clause.quantity


def agree(first: Clause, second: Clause) -> bool:
    """Tell whether two prices of the same base unit can be roundings of one price per unit."""
    low_a, high_a = per_base(first)
    low_b, high_b = per_base(second)
    return low_a <= high_b and low_b <= high_a


def described(clause: Clause) -> str:
    """Return the clause's price per kg or L, for a reason."""
    assert clause.amount is not None
    per = clause.amount / clause.quantity * (PER_KG if clause.base == "g" else PER_L)
    return f"{clause.stated!r} ({per.quantize(Decimal('0.01'))} $ per {_per_label(clause.base)})"


def _per_label(base: str) -> str:
    return "kg" if base == "g" else "L"


def with_sizes(main: Clause, paren: list[Clause]) -> tuple[Clause, Clause | None, list[Clause]]:
    """Return the main clause with a stated size applied, the approximate size, equivalents.

    Raises:
        Refused: a size for a price that already has one, or two approximate sizes.
    """
    approximate: Clause | None = None
    equivalents: list[Clause] = []
    for clause in paren:
        if clause.amount is not None:
            equivalents.append(clause)
        elif clause.approximate:
            if approximate is not None or main.base != "unit":
                raise Refused("an approximate size where the price already has a size")
            approximate = clause
        else:
            if main.base != "unit" or main.per_basis:
                raise Refused(f"a size {clause.stated!r} for a price that already has one")
            main = replace(main, quantity=clause.quantity, base=clause.base)
    return main, approximate, equivalents


@dataclass(frozen=True)
class Reading:
    """What a French phrase says: the price, what it is for, and what was checked."""

    amount: Decimal
    base: str  # g, mL or unit: what the price is for
    quantity: Decimal  # how much of the base (1 unit, 500 g...)
    per_basis: bool  # a unit price ("/kg") rather than a package with a size
    approximate: Clause | None
    checked: str | None  # the equivalents that agreed


def read_french_price(text: str) -> Reading | None:
    """Read a French phrase into one price, or None when it is not this grammar.

    Raises:
        Refused: with the reason (an equivalent that disagrees names both figures).
    """
    read = read_phrasing(text)
    if read is None:
        return None
    head, paren = read
    main, *equivalents = head
    if main.amount is None or main.approximate:
        return None
    main, approximate, more = with_sizes(main, paren)
    checked = []
    for equivalent in [*equivalents, *more]:
        # An equivalent of a price per item is checked against its approximate weight.
        against = main
        if main.base == "unit" and approximate is not None:
            against = replace(main, quantity=approximate.quantity, base=approximate.base)
        if against.base == "unit" or equivalent.base != against.base:
            raise Refused(
                f"{equivalent.stated!r} is not an equivalent of {main.stated!r}: "
                "another unit, or two prices"
            )
        if not agree(against, equivalent):
            raise Refused(
                f"the stated {described(equivalent)} does not agree with {described(against)}"
            )
        checked.append(equivalent.stated)
    assert main.amount is not None
    return Reading(
        main.amount,
        main.base,
        main.quantity,
        main.per_basis,
        approximate,
        "; ".join(checked) or None,
    )
