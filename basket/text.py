"""Text folding for matching product names: lower case, no accents, single spaces."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Return text in lower case without accents, with runs of spaces made one space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    without_marks = "".join(char for char in decomposed if not unicodedata.combining(char))
    # NFKD turns "œ" into nothing special: spell the ligatures out so "oeufs" finds "œufs".
    spelled = without_marks.replace("œ", "oe").replace("æ", "ae")
    return _SPACES.sub(" ", spelled).strip()
