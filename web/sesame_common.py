"""What Le Sésame's operations screens share: the organisation running a program, food typed as
basket items and quantities, and a client found by name or file number.

The pages are for coordinators (programs:manage) of an organisation that runs the screen's
program; the use cases check every record again, audit and commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlmodel import Session, col, select

from core.errors import Forbidden, NotFound
from core.models import BasketItem
from services.access.actor import Actor
from services.access.roles import Permission
from services.access.staff import OrganisationChoice, organisations_for
from services.records.boxes import FoodItemIn
from services.records.client_models import ClientSummary
from services.records.clients import search_clients
from web import i18n
from web.i18n import N_
from web.session import Visitor

# Rows of the items table on a form: enough for a box or a recipe, no script to add more.
ITEM_ROWS = 8
# The basket's purchase units as shown (g and mL are the same in both languages).
UNITS = {"unit": N_("units")}
MAX_PER_PAGE = 200


@dataclass(frozen=True)
class FoodChoice:
    """A basket item offered on the forms: its code, name in her language and unit."""

    code: str
    name: str
    unit: str


def running(
    session: Session, actor: Actor, program: str, slug: str | None
) -> tuple[OrganisationChoice, list[OrganisationChoice]]:
    """The organisation of hers (`slug`, else the first) that runs `program`, and all that do.

    Raises:
        Forbidden: none of her organisations where she manages programs runs it.
        NotFound: `slug` names none of those.
    """
    choices = [
        choice
        for choice in organisations_for(session, actor, Permission.PROGRAMS_MANAGE)
        if program in {code for code, _fr, _en in choice.programs}
    ]
    if not choices:
        raise Forbidden(f"no organisation of yours runs {program}")
    if slug is None:
        return choices[0], choices
    for choice in choices:
        if choice.slug == slug:
            return choice, choices
    raise NotFound(f"no organisation {slug!r}")


def food_choices(session: Session, language: str) -> list[FoodChoice]:
    """The reference basket's items, by name in her language."""
    gettext = i18n.translations(language).gettext
    # Every version's items (the use cases accept any basket's code), the latest name wins.
    items = session.exec(select(BasketItem).order_by(col(BasketItem.version_id))).all()
    found = {
        item.code: FoodChoice(
            item.code,
            item.name_fr if language == "fr" else item.name_en,
            gettext(UNITS.get(item.purchase_unit, item.purchase_unit)),
        )
        for item in items
    }
    return sorted(found.values(), key=lambda choice: choice.name.casefold())


def food_names(choices: Iterable[FoodChoice]) -> dict[str, str]:
    """Item code -> "name (unit)", for the tables: the quantities are in that unit."""
    return {choice.code: f"{choice.name} ({choice.unit})" for choice in choices}


def parse_items(
    form: dict[str, str], known: set[str], errors: dict[str, str], _: Callable[[str], str]
) -> list[FoodItemIn]:
    """The rows item_N / quantity_N filled in; an error per bad row, one if none is."""
    items = []
    for row in range(1, ITEM_ROWS + 1):
        code = form.get(f"item_{row}", "").strip()
        typed = form.get(f"quantity_{row}", "").strip().replace(",", ".")
        if not code and not typed:
            continue
        if code not in known:
            errors[f"item_{row}"] = _("Choose a basket item for row %(row)s.") % {"row": row}
            continue
        try:
            quantity = Decimal(typed)
        except InvalidOperation:
            quantity = Decimal(0)
        if not quantity.is_finite() or quantity <= 0 or quantity > 1_000_000:
            errors[f"quantity_{row}"] = _("Enter a quantity above 0 for row %(row)s.") % {
                "row": row
            }
            continue
        items.append(FoodItemIn(item_code=code, quantity=quantity))
    if not items and not any(key.startswith(("item_", "quantity_")) for key in errors):
        errors["item_1"] = _("List at least one basket item and its quantity.")
    return items


def find_client(
    session: Session,
    actor: Actor,
    organisation: str,
    text: str,
    errors: dict[str, str],
    _: Callable[[str], str],
    field: str = "client",
) -> ClientSummary | None:
    """The one active client whose file number is `text`, or whose name alone matches it."""
    if not text.strip():
        errors[field] = _("Enter the client's name or file number.")
        return None
    found = search_clients(
        session, actor, organisation=organisation, text=text.strip(), status="active", per_page=20
    ).items
    exact = [item for item in found if item.file_number == text.strip()]
    if len(exact) == 1 or len(found) == 1:
        return (exact or found)[0]
    if not found:
        errors[field] = _("No active client matches: check the name or file number.")
    else:
        errors[field] = _("Several clients match: type her file number.")
    return None


def client_names(
    session: Session, actor: Actor, organisation: str, ids: Iterable[int]
) -> dict[int, str]:
    """Each wanted client's "Last, First (file number)", reading her files a page at a time."""
    wanted, page = set(ids), 1
    names: dict[int, str] = {}
    while wanted - names.keys():
        listed = search_clients(
            session, actor, organisation=organisation, page=page, per_page=MAX_PER_PAGE
        )
        for item in listed.items:
            if item.id in wanted:
                names[item.id] = f"{item.last_name}, {item.first_name} ({item.file_number})"
        if page * MAX_PER_PAGE >= listed.total:
            break
        page += 1
    return names


def program_names(organisation: OrganisationChoice, visitor: Visitor) -> dict[str, str]:
    """Program code -> its name in her language."""
    return {
        code: (name_fr if visitor.language == "fr" else name_en)
        for code, name_fr, name_en in organisation.programs
    }


PRICE_STATUSES = {
    "observed": N_("prices observed"),
    "few_stores": N_("prices from few stores"),
    "imputed": N_("some prices imputed"),
    "missing": N_("some prices missing"),
}


def owner_of(
    session: Session, actor: Actor, program: str, organisation_id: int
) -> OrganisationChoice:
    """Her organisation running `program` that owns a record (404 when it is none of those)."""
    for choice in running(session, actor, program, None)[1]:
        if choice.id == organisation_id:
            return choice
    raise NotFound(f"no organisation {organisation_id}")
