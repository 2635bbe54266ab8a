"""French and English labels of the operations figures, for the outputs report's files."""

from __future__ import annotations

# Figure key -> (French, English). Keys are the `sesame` section's field names.
OPERATION_LABELS: dict[str, tuple[str, str]] = {
    "boxes": ("Boîtes", "Boxes"),
    "box_orders": ("Commandes de boîtes", "Box orders"),
    "boxes_value": (
        "Valeur des boîtes au prix du panier ($)",
        "Value of the boxes at basket prices ($)",
    ),
    "boxes_price": ("Prix payé pour les boîtes ($)", "Price paid for the boxes ($)"),
    "boxes_saving": (
        "Économie des ménages sur les boîtes ($)",
        "Households' saving on the boxes ($)",
    ),
    "boxes_unvalued": (
        "Boîtes sans valeur (prix manquant)",
        "Boxes without a value (price missing)",
    ),
    "boxes_price_status": ("Statut des prix des boîtes", "Price status of the boxes"),
    "kitchen_sessions": ("Séances de cuisine collective", "Collective kitchen sessions"),
    "kitchen_portions": ("Portions cuisinées", "Portions cooked"),
    "kitchen_participants": (
        "Participants aux cuisines (personnes)",
        "Kitchen participants (people)",
    ),
    "food_aid_visits": ("Visites de dépannage alimentaire", "Food-aid visits"),
    "food_aid_households": ("Ménages aidés (dépannage)", "Households helped (food aid)"),
    "food_aid_flagged": (
        "Visites signalées (règle de fréquence)",
        "Visits flagged (frequency rule)",
    ),
    "food_aid_value": ("Valeur des denrées données ($)", "Value of the food given ($)"),
    "cafe_attendance": ("Présences au café", "Café attendance"),
    "solidarity_meals": ("Repas solidaires", "Solidarity meals"),
    "meals_planned": ("Repas prévus (popote roulante)", "Meals planned (meals on wheels)"),
    "meals_delivered": (
        "Repas livrés (remis ou laissés à la porte)",
        "Meals delivered (handed over or left at the door)",
    ),
    "meals_left_at_door": ("Repas laissés à la porte", "Meals left at the door"),
    "deliveries_no_answer": ("Livraisons sans réponse", "Deliveries with no answer"),
    "delivery_followups_opened": ("Suivis de sécurité ouverts", "Safety follow-ups opened"),
    "meals_clients": ("Personnes ayant reçu des repas", "People who received meals"),
    "volunteer_shifts": ("Quarts de bénévolat", "Volunteer shifts"),
    "volunteer_hours": ("Heures de bénévolat", "Volunteer hours"),
}
SHIFT_KINDS: dict[str, tuple[str, str]] = {
    "route": ("tournées de livraison", "delivery routes"),
    "kitchen": ("cuisines collectives", "collective kitchens"),
    "cafe": ("café", "café"),
    "boxes": ("boîtes", "boxes"),
    "food_aid": ("dépannage alimentaire", "food aid"),
}


def operation_label(figure: str) -> tuple[str, str]:
    """The French and English labels of a figure (volunteer_hours_<kind> included)."""
    if figure in OPERATION_LABELS:
        return OPERATION_LABELS[figure]
    kind = figure.removeprefix("volunteer_hours_")
    french, english = SHIFT_KINDS.get(kind, (kind, kind))
    return f"Heures de bénévolat : {french}", f"Volunteer hours: {english}"
