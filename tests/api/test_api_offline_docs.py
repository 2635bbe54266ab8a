"""Swagger UI and ReDoc are served by the API itself: no asset comes from the internet."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from api.app import create_app

ASSET = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")
JS_URL = re.compile(r"""['"]([^'"]+\.js)['"]""")


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_pages_use_only_local_assets_that_answer(page: str) -> None:
    client = TestClient(create_app())
    html = client.get(page)
    assert html.status_code == 200
    assets = ASSET.findall(html.text) + JS_URL.findall(html.text)
    scripts = [url for url in assets if url.endswith(".js")]
    assert scripts, f"{page} loads no script"
    for url in assets:
        assert url.startswith("/") and not url.startswith("//"), f"{page} loads {url}"
        answer = client.get(url)
        assert answer.status_code == 200, url
    for url in scripts:
        answer = client.get(url)
        assert "javascript" in answer.headers["content-type"]
        assert len(answer.content) > 100_000  # the bundle itself, not a stub
    assert "http://" not in html.text and "https://" not in html.text
    assert client.get("/openapi.json").status_code == 200
