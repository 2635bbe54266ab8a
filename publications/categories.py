"""Food categories named in each language (the engine stores their codes)."""

from __future__ import annotations

from publications.i18n import N_, Language

# Food categories as the basket stores them, with their English name (the catalogue's msgid).
CATEGORY_NAMES = {
    "animal_protein": N_("Animal protein"),
    "dairy": N_("Dairy"),
    "fats": N_("Fats"),
    "fruits": N_("Fruits"),
    "grain_products": N_("Grain products"),
    "plant_protein": N_("Plant protein"),
    "starchy_foods": N_("Starchy foods"),
    "sugars": N_("Sugars"),
    "vegetables": N_("Vegetables"),
}


def category_label(lang: Language, category: str) -> str:
    """Name a food category in the language; an unknown one keeps its code."""
    return lang.gettext(CATEGORY_NAMES[category]) if category in CATEGORY_NAMES else category
