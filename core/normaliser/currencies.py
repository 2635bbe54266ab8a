"""Currency marks in price text, mapped to ISO 4217 codes; unknown or ambiguous ones are dropped."""

from __future__ import annotations

import re
from dataclasses import dataclass

from price_parser._currencies import CURRENCY_CODES
from price_parser.parser import extract_currency_symbol

# A bare "$" is resolved to the caller's default currency when that is a dollar.
DOLLAR = "$"
DOLLAR_CURRENCIES = frozenset(
    {
        "CAD",
        "USD",
        "AUD",
        "NZD",
        "SGD",
        "HKD",
        "TWD",
        "MXN",
        "BRL",
        "ARS",
        "CLP",
        "COP",
        "JMD",
        "TTD",
    }
)

# Spellings we are sure of. Marks shared by several currencies ("kr", "Rs", "¥", "£" is kept
# because in practice it is sterling) are absent on purpose: they are rejected, not guessed.
_MARKS: dict[str, str] = {
    "CA$": "CAD",
    "C$": "CAD",
    "CDN$": "CAD",
    "cad": "CAD",  # "3,99 cad": shops type the code in lower case too
    "$CA": "CAD",
    "$CAN": "CAD",
    "US$": "USD",
    "U$S": "USD",
    "A$": "AUD",
    "AU$": "AUD",
    "NZ$": "NZD",
    "S$": "SGD",
    "HK$": "HKD",
    "NT$": "TWD",
    "MX$": "MXN",
    "R$": "BRL",
    "€": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "Euro": "EUR",
    "eur": "EUR",
    "£": "GBP",
    "Kč": "CZK",
    "zł": "PLN",
    "Zł": "PLN",
    "pln": "PLN",
    "руб.": "RUB",
    "руб": "RUB",
    "рублей": "RUB",
    "р.": "RUB",
    "Р": "RUB",
    "₽": "RUB",
    "грн.": "UAH",
    "грн": "UAH",
    "₴": "UAH",
    "Ft": "HUF",
    "Rp": "IDR",
    "₫": "VND",
    "lei": "RON",
    "LEI": "RON",
    "TL": "TRY",
    "₺": "TRY",
    "₪": "ILS",
    "₹": "INR",
    "฿": "THB",
    "лв.": "BGN",
    "лв": "BGN",
    "RM": "MYR",
    "KD": "KWD",
    "원": "KRW",
    "₩": "KRW",
    "円": "JPY",
}
# Currencies whose prices are written without decimals, so "12,000" can only be twelve thousand.
WHOLE_UNIT_CURRENCIES = frozenset({"JPY", "KRW", "VND", "IDR", "HUF", "CLP", "ISK", "PYG", "UGX"})
# Marks that announce the English convention ("$1,299" is one thousand two hundred ...).
ENGLISH_PREFIXES = frozenset({DOLLAR, "CA$", "C$", "US$", "A$", "AU$", "NZ$", "S$", "HK$", "£"})

_SPELLINGS = sorted({*_MARKS, *CURRENCY_CODES, DOLLAR}, key=len, reverse=True)
# Letters may not touch a mark written in letters ("RM50" is fine, "ARM" is not ringgit).
CURRENCY_RE = re.compile(
    "|".join(
        ("(?<![^\\W\\d_])" if s[0].isalpha() else "")
        + re.escape(s)
        + ("(?![^\\W\\d_])" if s[-1].isalpha() else "")
        for s in _SPELLINGS
    )
)


@dataclass(frozen=True)
class CurrencyMark:
    """One currency mark in a text: where it is and what it says."""

    start: int
    end: int
    text: str
    code: str  # ISO code, or "$" for a bare dollar sign


def find_currency_marks(text: str) -> list[CurrencyMark]:
    """Return every currency mark in text, left to right."""
    marks = []
    for match in CURRENCY_RE.finditer(text):
        spelled = match.group(0)
        code = DOLLAR if spelled == DOLLAR else _MARKS.get(spelled, spelled)
        marks.append(CurrencyMark(match.start(), match.end(), spelled, code))
    return marks


def resolve_currency(codes: set[str], default_currency: str) -> str | None:
    """Return the one ISO code that a set of marks names, or None when they disagree."""
    specific = codes - {DOLLAR}
    if DOLLAR in codes:
        # "SGD$4.90" and "NZD $100.70" name the dollar twice; a lone "$" is the local dollar.
        if not specific:
            return default_currency if default_currency in DOLLAR_CURRENCIES else None
        if len(specific) == 1 and next(iter(specific)) in DOLLAR_CURRENCIES:
            return next(iter(specific))
        return None
    if len(specific) == 1:
        return next(iter(specific))
    return None


def unsupported_currency(text: str) -> str | None:
    """Return a currency-looking mark in text that we do not map (price-parser knows many)."""
    mark = extract_currency_symbol(text, None)
    return mark.strip() if mark else None


def iso_codes_for(mark: str) -> frozenset[str]:
    """Return the ISO codes a currency mark as printed may stand for (for measuring only)."""
    mark = mark.strip()
    if mark == DOLLAR:
        return DOLLAR_CURRENCIES
    if mark in _MARKS:
        return frozenset({_MARKS[mark]})
    if mark.upper() in CURRENCY_CODES:
        return frozenset({mark.upper()})
    if mark.strip(DOLLAR).upper() in DOLLAR_CURRENCIES:
        return frozenset({mark.strip(DOLLAR).upper()})  # "CAD$" names the code and the sign
    return frozenset()
