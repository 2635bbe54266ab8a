"""The strings the web app shows, extracted from its code and templates as gettext sees them.

`make messages` and the catalogue test use this: a msgid in the code or a template that a
catalogue lacks (or leaves untranslated) is found here. The use cases' error messages, marked
N_() in services/ (core/errors.py), are shown on pages too: they are extracted with them.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir

ROOT = Path(__file__).resolve().parent
METHODS = [("**.py", "python"), ("templates/**.html", "jinja2")]
SERVICES = ROOT.parent / "services"


def extracted() -> Catalog:
    """Every translatable string of the web app, with where it appears."""
    catalogue = Catalog(project="ppne", charset="utf-8")
    found = extract_from_dir(ROOT, METHODS, options_map={"templates/**.html": {"trimmed": "true"}})
    for filename, lineno, message, comments, context in found:
        catalogue.add(
            message, None, [(f"web/{filename}", lineno)], auto_comments=comments, context=context
        )
    for filename, lineno, message, comments, context in extract_from_dir(
        SERVICES, [("**.py", "python")]
    ):
        catalogue.add(
            message,
            None,
            [(f"services/{filename}", lineno)],
            auto_comments=comments,
            context=context,
        )
    return catalogue


def missing(language_catalogue: Catalog, source: Catalog) -> list[str]:
    """The msgids of `source` that `language_catalogue` lacks or leaves untranslated."""
    gaps = []
    for message in source:
        if not message.id:
            continue
        found = language_catalogue.get(message.id, context=message.context)
        if (
            found is None
            or not found.string
            or (isinstance(found.string, tuple) and not all(found.string))
        ):
            gaps.append(message.id if isinstance(message.id, str) else message.id[0])
    return gaps
