"""HTML pages of the demo site, each carrying schema.org JSON-LD as grocers' sites do."""

from __future__ import annotations

import json
from decimal import Decimal
from html import escape

from demo_store.catalog import DemoProduct
from demo_store.prices import DemoOffer
from demo_store.stores import DemoStore

UNIT_CODES = {"g": "GRM", "mL": "MLT", "unit": "C62"}


def french_price(amount: Decimal) -> str:
    """Format a price as Quebec labels show it: "3,49 $"."""
    return f"{amount:.2f}".replace(".", ",") + "\u00a0$"


def _json_ld(data: dict[str, object]) -> str:
    # "</" inside a script block would end it early.
    text = json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{text}\n</script>'


def _page(title: str, head: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>{head}</head>\n<body>\n{body}\n</body></html>\n"
    )


def store_json_ld(store: DemoStore) -> dict[str, object]:
    """Describe a store as a schema.org GroceryStore."""
    return {
        "@context": "https://schema.org",
        "@type": "GroceryStore",
        "identifier": store.code,
        "name": store.name,
        "brand": {"@type": "Brand", "name": store.banner},
        "parentOrganization": {
            "@type": "Organization",
            "identifier": store.chain,
            "name": store.chain_name,
        },
        "address": {
            "@type": "PostalAddress",
            "streetAddress": store.street_address,
            "postalCode": store.postal_code,
            "addressLocality": store.locality,
            "addressRegion": "QC",
            "addressCountry": "CA",
        },
        "containedInPlace": {
            "@type": "Place",
            "identifier": store.region_code,
            "name": store.region_name,
        },
        "additionalProperty": [
            {"@type": "PropertyValue", "name": "storeKind", "value": store.kind}
        ],
    }


def index_page(stores: tuple[DemoStore, ...], period: str) -> str:
    """Render the home page linking to every store for the given month."""
    links = "\n".join(
        f'<li><a class="store" href="/{period}/stores/{store.code}/">{escape(store.name)}</a></li>'
        for store in stores
    )
    return _page("Épiceries démo", "", f"<h1>Épiceries démo</h1>\n<ul>\n{links}\n</ul>")


def store_page(store: DemoStore, period: str, products: tuple[DemoProduct, ...]) -> str:
    """Render a store's page for a month, linking to every product it sells."""
    links = "\n".join(
        f'<li><a class="product" href="/{period}/stores/{store.code}/products/{product.sku}">'
        f"{escape(product.name)}</a></li>"
        for product in products
    )
    body = (
        f"<h1>{escape(store.name)}</h1>\n<p>{escape(store.street_address)}, "
        f"{escape(store.locality)} {escape(store.postal_code)}</p>\n"
        f"<h2>Circulaire {period}</h2>\n<ul>\n{links}\n</ul>"
    )
    return _page(store.name, _json_ld(store_json_ld(store)), body)


def product_json_ld(
    product: DemoProduct, store: DemoStore, offer: DemoOffer, period: str, url: str
) -> dict[str, object]:
    """Describe a product and its offer in a store as schema.org Product and Offer."""
    shown = offer.sale_price if offer.sale_price is not None else offer.regular_price
    availability = "InStock" if offer.available else "OutOfStock"
    offer_data: dict[str, object] = {
        "@type": "Offer",
        "url": url,
        "price": f"{shown:.2f}",
        "priceCurrency": "CAD",
        "availability": f"https://schema.org/{availability}",
        "validFrom": f"{period}-01",
        "seller": {"@type": "GroceryStore", "identifier": store.code, "name": store.name},
    }
    if offer.sale_price is not None:
        offer_data["priceSpecification"] = [
            {
                "@type": "UnitPriceSpecification",
                "priceType": "https://schema.org/StrikethroughPrice",
                "price": f"{offer.regular_price:.2f}",
                "priceCurrency": "CAD",
            }
        ]
    return {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.name,
        "sku": product.sku,
        "gtin13": product.gtin13,
        "brand": {"@type": "Brand", "name": product.brand},
        "size": {
            "@type": "QuantitativeValue",
            "value": f"{product.size:f}",
            "unitCode": UNIT_CODES[product.size_unit],
            "unitText": product.size_unit,
        },
        "offers": offer_data,
    }


def product_page(
    product: DemoProduct, store: DemoStore, offer: DemoOffer, period: str, url: str
) -> str:
    """Render a product page of a store for a month."""
    if offer.sale_price is not None:
        price_html = (
            f'<p class="price sale">{french_price(offer.sale_price)} '
            f'<del class="regular">{french_price(offer.regular_price)}</del> (en solde)</p>'
        )
    else:
        price_html = f'<p class="price">{french_price(offer.regular_price)}</p>'
    stock = "En stock" if offer.available else "Rupture de stock"
    body = (
        f"<h1>{escape(product.name)}</h1>\n<p>Marque : {escape(product.brand)}</p>\n"
        f'{price_html}\n<p class="stock">{stock}</p>\n'
        f'<p><a href="/{period}/stores/{store.code}/">{escape(store.name)}</a></p>'
    )
    data = product_json_ld(product, store, offer, period, url)
    return _page(product.name, _json_ld(data), body)
