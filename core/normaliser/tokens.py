"""Split price text into tokens: amounts, bare numbers, role words, units and marks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from core.normaliser.currencies import (
    DOLLAR_CURRENCIES,
    ENGLISH_PREFIXES,
    WHOLE_UNIT_CURRENCIES,
    find_currency_marks,
)
from core.normaliser.numbers import NUMBER_RE, UnreadableNumber, read_number
from core.normaliser.units import unit_info

# Articles that may open a French price without changing it ("le 2,99 $"); "à partir de" is
# a starting price and is refused as a range before this applies.
_LEADING_ARTICLES = frozenset({"le", "la", "les", "à"})
# Word -> role in the layout; words not listed make the string unreadable.
_ROLES: dict[str, str] = {
    **dict.fromkeys(
        ("was", "reg", "regular", "régulier", "régulière", "rég", "avant", "ord"), "WAS"
    ),
    **dict.fromkeys(
        ("now", "maintenant", "sale", "solde", "soldé", "spécial", "special", "promo"), "NOW"
    ),
    **dict.fromkeys(("member", "members", "membre", "membres", "card", "carte"), "MEMBER"),
    "nonmember": "NONMEMBER",
    **dict.fromkeys(("for", "pour"), "FOR"),
    **dict.fromkeys(("per", "par", "la", "le"), "PER"),
    **dict.fromkeys(("to", "à", "au"), "TO"),
    **dict.fromkeys(
        (
            "price",
            "prices",
            "prix",
            "our",
            "notre",
            "nos",
            "with",
            "avec",
            "only",
            "seulement",
            "tax",
            "taxes",
            "incl",
            "included",
            "inc",
            "ttc",
            "tx",
            "the",
        ),
        "",
    ),
}
_IGNORED_MARKS = set(":*()!,.#")
_TOKEN = re.compile(r"(?P<word>[^\W\d_]+)|(?P<cent>¢)|(?P<mark>\S)")


@dataclass
class Token:
    """One piece of the text: an amount, a bare number, a role word, a unit or a mark."""

    symbol: str  # "A", "N", "/", "-", "U", "?", or a role from _ROLES
    text: str
    value: Decimal | None = None
    unit: str | None = None
    marks: list[str] = field(default_factory=list)


def tokenise(text: str, currency: str, *, has_marks: bool) -> list[Token]:
    """Split text into tokens, joining each number to the currency marks around it."""
    marks = {m.start: m for m in find_currency_marks(text)}
    pieces: list[Token] = []
    position = 0
    while position < len(text):
        if text[position] == " ":
            position += 1
        elif position in marks:
            mark = marks[position]
            pieces.append(Token("$", mark.text))
            position = mark.end
        elif number := NUMBER_RE.match(text, position):
            pieces.append(Token("N", number.group(0).strip()))
            position = number.end()
        else:
            match = _TOKEN.match(text, position)
            assert match is not None  # the pattern accepts any non-space character
            pieces.append(_word_token(match))
            position = match.end()
    return _attach_currencies(pieces, currency, has_marks=has_marks)


def _word_token(match: re.Match[str]) -> Token:
    """Classify a word or punctuation mark."""
    word = match.group(0)
    lower = word.lower()
    if match.group("cent"):
        return Token("¢", word)
    if match.group("mark"):
        if word == "/":
            return Token("/", word)
        if word in "-–—":
            return Token("-", word)
        if word == "@":
            return Token("FOR", word)
        return Token("" if word in _IGNORED_MARKS else "?", word)
    if lower in _ROLES:
        return Token(_ROLES[lower], word)
    if info := unit_info(lower):
        return Token("U", word, unit=info[0])
    return Token("?", word)


def _attach_currencies(pieces: list[Token], currency: str, *, has_marks: bool) -> list[Token]:
    """Turn numbers next to a currency mark (or a ¢) into amounts; drop empty tokens."""
    pieces = _merge_marks(_drop_leading_article([p for p in pieces if p.symbol != ""]))
    tokens: list[Token] = []
    used: set[int] = set()
    for i, piece in enumerate(pieces):
        if piece.symbol != "N":
            continue
        before = pieces[i - 1] if i > 0 else None
        after = pieces[i + 1] if i + 1 < len(pieces) else None
        if after is not None and after.symbol == "¢":
            if currency not in DOLLAR_CURRENCIES:
                raise UnreadableNumber("cents sign with a currency that is not a dollar")
            piece.symbol, piece.value = "A", read_number(piece.text, second_opinion=True) / 100
            used.add(i + 1)
            continue
        if before is not None and before.symbol == "$":
            piece.marks.append(before.text)
            used.add(i - 1)
        if after is not None and after.symbol == "$":
            piece.marks.append(after.text)
            used.add(i + 1)
        english = before is not None and before.symbol == "$" and before.text in ENGLISH_PREFIXES
        whole = currency in WHOLE_UNIT_CURRENCIES
        if piece.marks or not has_marks:
            # With no currency mark anywhere, a lone number is read in the default currency.
            piece.value = read_number(
                piece.text, english=english, whole_units=whole, second_opinion=True
            )
            piece.symbol = "A" if piece.marks else "N"
        else:
            piece.value = read_number(piece.text)
    for i, piece in enumerate(pieces):
        if i in used:
            continue
        if piece.symbol in ("$", "¢"):
            piece.symbol = "?"  # a currency mark with no number beside it
        tokens.append(piece)
    return tokens


def _drop_leading_article(pieces: list[Token]) -> list[Token]:
    """Drop "le", "la", "à"... before a number or a currency mark: they do not change the price."""
    if (
        len(pieces) > 1
        and pieces[0].text.lower() in _LEADING_ARTICLES
        and pieces[1].symbol in ("N", "$")
    ):
        return pieces[1:]
    return pieces


def _merge_marks(pieces: list[Token]) -> list[Token]:
    """Join marks side by side ("$ CAD"): parse_price has already checked that they agree."""
    merged: list[Token] = []
    for piece in pieces:
        if piece.symbol == "$" and merged and merged[-1].symbol == "$":
            merged[-1] = Token("$", f"{merged[-1].text} {piece.text}")
        else:
            merged.append(piece)
    return merged
