"""Pages from Jinja2 templates, one environment per language with its catalogue installed."""

from __future__ import annotations

from functools import cache, partial
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from web import i18n
from web.session import CSRF_FIELD, Visitor, apply_cookies


@cache
def environment(language: str) -> Environment:
    """The template environment of a language: its gettext, and money and numbers its way."""
    env = Environment(
        loader=PackageLoader("web", "templates"),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # newstyle: %(name)s placeholders are filled and escaped by gettext itself.
    env.install_gettext_translations(i18n.translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        money=partial(i18n.money, language=language),
        number=partial(i18n.number, language=language),
        percent=partial(i18n.percent, language=language),
        change=partial(i18n.change, language=language),
        month=partial(i18n.month, language=language),
    )
    env.globals.update(
        html_lang=i18n.html_lang(language),
        language=language,
        other_languages=[
            (code, i18n.language_name(code), i18n.html_lang(code))
            for code in i18n.LANGUAGES
            if code != language
        ],
        csrf_field=CSRF_FIELD,
    )
    return env


def render(
    request: Request, visitor: Visitor, template: str, status: int = 200, **context: Any
) -> HTMLResponse:
    """Render a page for the visitor, in her language, with her cookies set."""
    page = environment(visitor.language).get_template(template)
    html = page.render(request=request, visitor=visitor, path=request.url.path, **context)
    response = HTMLResponse(html, status_code=status)
    apply_cookies(request, response, visitor)
    return response
