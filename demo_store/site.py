"""Serve the demo store website on 127.0.0.1 from a stdlib threading HTTP server."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from core.errors import PpneError
from core.settings import get_settings
from demo_store.catalog import build_catalog, products_by_sku
from demo_store.pages import index_page, product_page, store_page
from demo_store.prices import offer_for, periods_until
from demo_store.stores import STORES, STORES_BY_CODE

HOST = "127.0.0.1"
STORE_PATH = re.compile(r"^/(?P<period>\d{4}-\d{2})/stores/(?P<store>[a-z0-9-]+)/$")
PRODUCT_PATH = re.compile(
    r"^/(?P<period>\d{4}-\d{2})/stores/(?P<store>[a-z0-9-]+)/products/(?P<sku>[0-9]+)$"
)
ROBOTS = "User-agent: *\nAllow: /\n"


@dataclass(frozen=True)
class DemoStoreSite:
    """A running demo site: where it answers and which months it serves."""

    url: str
    seed: int
    periods_available: tuple[str, ...]


def render(path: str, seed: int, base_url: str) -> tuple[int, str, str] | None:
    """Return (status, content type, body) for a path, or None when nothing lives there."""
    path = path.split("?", 1)[0]
    periods = periods_until()
    if path == "/robots.txt":
        return 200, "text/plain; charset=utf-8", ROBOTS
    if path in ("/", "/index.html"):
        return 200, "text/html; charset=utf-8", index_page(STORES, periods[-1])
    match = STORE_PATH.match(path) or PRODUCT_PATH.match(path)
    if match is None or match["period"] not in periods or match["store"] not in STORES_BY_CODE:
        return None
    store = STORES_BY_CODE[match["store"]]
    if "sku" not in match.groupdict():
        return (
            200,
            "text/html; charset=utf-8",
            store_page(store, match["period"], build_catalog(seed)),
        )
    product = products_by_sku(seed).get(match["sku"])
    if product is None:
        return None
    offer = offer_for(store.code, product.sku, match["period"], seed)
    page = product_page(product, store, offer, match["period"], base_url + path)
    return 200, "text/html; charset=utf-8", page


def _handler_for(seed: int) -> type[BaseHTTPRequestHandler]:
    class DemoStoreHandler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            host, port = self.server.server_address[:2]  # type: ignore[index,str-unpack]
            try:
                answer = render(self.path, seed, f"http://{host}:{port}")
            except PpneError:
                answer = None
            status, content_type, text = answer or (404, "text/plain; charset=utf-8", "404\n")
            body = text.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            # A crawl makes thousands of requests; logging each would drown the output.
            pass

    return DemoStoreHandler


def make_server(port: int = 0, seed: int | None = None) -> ThreadingHTTPServer:
    """Bind the demo site to 127.0.0.1 (port 0 picks a free one) without serving yet."""
    seed = get_settings().demo_seed if seed is None else seed
    build_catalog(seed)  # build once before the first request rather than inside it
    server = ThreadingHTTPServer((HOST, port), _handler_for(seed))
    server.daemon_threads = True
    return server


@contextmanager
def serve_demo_store(port: int = 0, seed: int | None = None) -> Iterator[DemoStoreSite]:
    """Serve the demo site in a background thread for the duration of the block."""
    seed = get_settings().demo_seed if seed is None else seed
    server = make_server(port, seed)
    thread = threading.Thread(target=server.serve_forever, name="demo-store", daemon=True)
    thread.start()
    try:
        host, bound_port = server.server_address[:2]
        yield DemoStoreSite(f"http://{host!s}:{bound_port}", seed, tuple(periods_until()))
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
