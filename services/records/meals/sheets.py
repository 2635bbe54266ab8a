"""Route sheets for drivers: order, address, door notes, diet, allergies, meals, phone.

A sheet holds those fields and nothing else (a volunteer sees only what the delivery needs:
no birth date, income, notes of the file, clinical record or consent). `SheetStop` is the
whole of it; the PDF is rendered from it alone. Reading a sheet is audited once per client on
it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from jinja2 import Environment, select_autoescape
from pydantic import BaseModel
from sqlmodel import Session, col, select

from core.models import Client, DeliveryRoute, DeliveryStop, MealPlan
from services.access.actor import Actor
from services.records.audit import audit
from services.records.meals.kitchen import TEMPERATURE_FR, TEXTURE_FR
from services.records.meals.visibility import visible_run


class SheetStop(BaseModel):
    """One line of a route sheet: exactly what the driver needs."""

    order: int
    address: str
    door_notes: str
    diet: str
    allergies: str
    meals: int
    phone: str


class RouteSheet(BaseModel):
    """A run's sheet."""

    run_id: int
    run_date: date
    route: str
    stops: list[SheetStop]


def route_sheet(session: Session, actor: Actor, run_id: int) -> RouteSheet:
    """The sheet of a run the actor may see (a coordinator's, or the driver's own)."""
    run = visible_run(session, actor, run_id)
    rows = session.exec(
        select(DeliveryStop, MealPlan, Client)
        .join(MealPlan, col(MealPlan.id) == col(DeliveryStop.plan_id))
        .join(Client, col(Client.id) == col(DeliveryStop.client_id))
        .where(DeliveryStop.run_id == run.id)
        .order_by(col(DeliveryStop.position))
    ).all()
    stops = []
    for stop, plan, client in rows:
        diet = [code for code in plan.diet_codes.split(",") if code]
        diet += [f"texture {TEXTURE_FR.get(plan.texture, plan.texture)}"] * (
            plan.texture != "normal"
        )
        diet.append(TEMPERATURE_FR.get(plan.temperature, plan.temperature))
        address = ", ".join(part for part in (client.address, client.postal_code) if part)
        stops.append(
            SheetStop(
                order=stop.position,
                address=address,
                door_notes=plan.door_notes,
                diet=", ".join(diet),
                allergies=plan.allergens.replace(",", ", "),
                meals=stop.meals,
                phone=client.phone or "",
            )
        )
        audit(session, actor, "read", "route_sheet", record_id=run.id, client=client)
    session.commit()
    route = session.get(DeliveryRoute, run.route_id) if run.route_id else None
    assert run.id is not None
    return RouteSheet(
        run_id=run.id, run_date=run.run_date, route=route.name if route else "", stops=stops
    )


TEMPLATE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Feuille de route</title>
<style>
@page { size: letter landscape; margin: 1.2cm; }
body { font-family: sans-serif; font-size: 11pt; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #444; padding: 4pt; text-align: left; vertical-align: top; }
th { background: #eee; }
td.num { text-align: right; }
</style></head><body>
<h1>Feuille de route — {{ sheet.route }}</h1>
<p>Date : {{ sheet.run_date.isoformat() }} · Tournée n° {{ sheet.run_id }} ·
{{ sheet.stops | length }} arrêts · {{ sheet.stops | sum(attribute="meals") }} repas</p>
<table>
<thead><tr><th>Ordre</th><th>Adresse</th><th>Notes de porte</th><th>Régime</th>
<th>Allergies</th><th>Repas</th><th>Téléphone</th><th>Résultat</th></tr></thead>
<tbody>
{% for stop in sheet.stops %}<tr><td class="num">{{ stop.order }}</td><td>{{ stop.address }}</td>
<td>{{ stop.door_notes }}</td><td>{{ stop.diet }}</td><td>{{ stop.allergies }}</td>
<td class="num">{{ stop.meals }}</td><td>{{ stop.phone }}</td><td></td></tr>
{% endfor %}</tbody></table>
<p>Personne ne répond ? Appelez le bureau tout de suite : un suivi de sécurité est ouvert.</p>
</body></html>
"""


def sheet_html(sheet: RouteSheet) -> str:
    """The sheet as printable French HTML."""
    environment = Environment(autoescape=select_autoescape(default=True))
    return environment.from_string(TEMPLATE).render(sheet=sheet)


def sheet_pdf(sheet: RouteSheet) -> bytes:
    """The sheet as a PDF (WeasyPrint)."""
    from weasyprint import HTML

    return HTML(string=sheet_html(sheet)).write_pdf()


def write_sheets(sheets: list[RouteSheet], folder: Path) -> list[Path]:
    """Write one PDF per sheet into `folder`; returns the files."""
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for sheet in sheets:
        path = folder / f"feuille-de-route-{sheet.run_date.isoformat()}-{sheet.run_id}.pdf"
        path.write_bytes(sheet_pdf(sheet))
        files.append(path)
    return files
