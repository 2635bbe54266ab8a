"""Read one written number ("1 299,00", "$1,299") as an exact Decimal, refusing to guess."""

from __future__ import annotations

import re
from decimal import Decimal

from price_parser import Price

# Loose on purpose: the strict checks below decide, so odd spellings become rejections.
NUMBER_RE = re.compile(r"\.?\d(?:[\d'’]|[.,](?![-–—])|\s(?=\d{3}(?!\d)))*(?:[.,][-–—])?")
_GROUP_MARKS = " '’"


class UnreadableNumber(ValueError):
    """A number whose separators do not say for sure what it is; the message says why."""


def read_number(
    text: str, *, english: bool = False, whole_units: bool = False, second_opinion: bool = False
) -> Decimal:
    """Return the value of a written number, or raise UnreadableNumber.

    Args:
        english: the number follows a mark such as "$" or "£", so a lone comma groups thousands.
        whole_units: the currency has no cents (yen, won...), so a lone separator groups thousands.
        second_opinion: also read the text with price-parser and refuse when the readings differ.
    """
    original = text.strip()
    # "50,-" and "1700." end with a separator that carries no digits.
    text = re.sub(r"[.,][-–—]$", "", original).rstrip(".,")
    value = _read(text, english=english, whole_units=whole_units)
    if second_opinion:
        theirs = Price.fromstring(original).amount
        if theirs is not None and theirs != value:
            raise UnreadableNumber(
                f"{original!r} reads as {value} here but {theirs} to price-parser"
            )
    return value


def _read(text: str, *, english: bool, whole_units: bool) -> Decimal:
    """Return the value of a number without trailing separators."""
    if text.startswith("."):
        if not re.fullmatch(r"\.\d+", text):
            raise UnreadableNumber(f"unreadable number {text!r}")
        return Decimal("0" + text)
    commas, dots = text.count(","), text.count(".")
    if commas and dots:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        group_mark = "." if decimal_mark == "," else ","
        if text.count(decimal_mark) != 1:
            raise UnreadableNumber(f"unreadable number {text!r}")
        whole, fraction = text.split(decimal_mark)
        return _join(_digits(whole, _GROUP_MARKS + group_mark, text), fraction, text)
    if not commas and not dots:
        return _join(_digits(text, _GROUP_MARKS, text), "", text)
    mark = "," if commas else "."
    if commas + dots > 1:
        # "1.144.000": a repeated separator can only group thousands.
        return _join(_digits(text, _GROUP_MARKS + mark, text), "", text)
    whole, fraction = text.split(mark)
    if len(fraction) != 3 or _digits(whole, _GROUP_MARKS, text) == "0":
        return _join(_digits(whole, _GROUP_MARKS, text), fraction, text)
    if whole_units or (english and mark == ","):
        return _join(_digits(text, _GROUP_MARKS + mark, text), "", text)
    raise UnreadableNumber(f"ambiguous decimal separator in {text!r}")


def _digits(whole: str, marks: str, original: str) -> str:
    """Return the digits of a whole part whose thousands groups are well formed."""
    parts = re.split("[" + re.escape(marks) + "]", whole)
    if not all(part.isdigit() for part in parts):
        raise UnreadableNumber(f"unreadable number {original!r}")
    if len(parts) > 1 and (len(parts[0]) > 3 or any(len(p) != 3 for p in parts[1:])):
        raise UnreadableNumber(f"badly grouped digits in {original!r}")
    return "".join(parts)


def _join(whole: str, fraction: str, original: str) -> Decimal:
    """Return whole.fraction as a Decimal."""
    if fraction and not fraction.isdigit():
        raise UnreadableNumber(f"unreadable number {original!r}")
    return Decimal(f"{whole}.{fraction}" if fraction else whole)


# A machine number as sources send it: "3.49", "3,490", "12", with "$" or "CAD" around.
PLAIN_PRICE = re.compile(r"\d+(?:[.,]\d{1,3})?")
CENT = Decimal("0.01")
MILL = Decimal("0.001")


def read_plain_price(text: str) -> Decimal | None:
    """Read a machine price such as "3.490", "$3.49" or "3,49 $"; None when it is not one.

    Unlike parse_price, a third decimal is always decimal ("3.490" is 3.49, from JSON-LD or an
    API field): two decimals unless the third carries information (3.495 per kg).
    """
    cleaned = re.sub(r"[\s\u00a0$]|CAD", "", text, flags=re.IGNORECASE)
    if not PLAIN_PRICE.fullmatch(cleaned):
        return None
    value = Decimal(cleaned.replace(",", "."))
    return value.quantize(CENT) if value == value.quantize(CENT) else value.quantize(MILL)
