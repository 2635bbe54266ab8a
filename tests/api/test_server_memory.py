"""The server freezes what it built at startup, so full collections stay short."""

from __future__ import annotations

import gc

from fastapi.testclient import TestClient

from api.app import create_app


def test_the_server_freezes_its_startup_objects_and_still_collects_new_garbage() -> None:
    gc.unfreeze()
    try:
        assert gc.get_freeze_count() == 0
        # Entering the client runs the lifespan, as uvicorn does before it takes requests.
        with TestClient(create_app()) as client:
            frozen = gc.get_freeze_count()
            assert frozen > 10_000  # the libraries and the app, out of the collector's walks
            assert client.get("/openapi.json").status_code == 200

            class Cycle:
                pass

            cycle = Cycle()
            cycle.itself = cycle  # type: ignore[attr-defined]
            del cycle
            assert gc.collect() >= 1  # what comes after startup is still collected
    finally:
        gc.unfreeze()
