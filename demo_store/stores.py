"""The demo stores: banners of three chains in Lachine, Mercier-Est and Pointe-aux-Trembles."""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import NotFound


@dataclass(frozen=True)
class DemoStore:
    """A store of the demo site, with what its GroceryStore page declares."""

    code: str
    name: str
    chain: str
    chain_name: str
    banner: str
    kind: str
    region_code: str
    region_name: str
    street_address: str
    postal_code: str
    locality: str = "Montréal"


STORES = (
    DemoStore("maxi-lachine", "Maxi Lachine", "loblaw", "Loblaw", "Maxi", "discount",
              "lachine", "Lachine", "2925 rue Remembrance", "H8S 1X8"),
    DemoStore("provigo-lachine", "Provigo Lachine", "loblaw", "Loblaw", "Provigo", "regular",
              "lachine", "Lachine", "1480 rue Notre-Dame", "H8S 2E3"),
    DemoStore("iga-lachine", "IGA Lachine", "sobeys", "Sobeys", "IGA", "regular",
              "lachine", "Lachine", "705 32e Avenue", "H8T 3J2"),
    DemoStore("super-c-mercier-est", "Super C Mercier-Est", "metro", "Metro inc.", "Super C",
              "discount", "mercier-est", "Mercier-Est", "7600 rue Sherbrooke Est", "H1L 1A5"),
    DemoStore("metro-mercier-est", "Metro Mercier-Est", "metro", "Metro inc.", "Metro",
              "regular", "mercier-est", "Mercier-Est", "8650 rue Hochelaga", "H1L 2M9"),
    DemoStore("maxi-mercier-est", "Maxi Mercier-Est", "loblaw", "Loblaw", "Maxi", "discount",
              "mercier-est", "Mercier-Est", "9000 rue Sherbrooke Est", "H1L 1E5"),
    DemoStore("iga-pointe-aux-trembles", "IGA Pointe-aux-Trembles", "sobeys", "Sobeys", "IGA",
              "regular", "pointe-aux-trembles", "Pointe-aux-Trembles",
              "12675 rue Sherbrooke Est", "H1A 3W7"),
    DemoStore("metro-pointe-aux-trembles", "Metro Pointe-aux-Trembles", "metro", "Metro inc.",
              "Metro", "regular", "pointe-aux-trembles", "Pointe-aux-Trembles",
              "13155 rue Sherbrooke Est", "H1A 1C2"),
)  # fmt: skip
STORES_BY_CODE = {store.code: store for store in STORES}


def store_by_code(code: str) -> DemoStore:
    """Return the demo store with this code.

    Raises:
        NotFound: no demo store has the code.
    """
    try:
        return STORES_BY_CODE[code]
    except KeyError:
        raise NotFound(f"unknown demo store {code!r}") from None
