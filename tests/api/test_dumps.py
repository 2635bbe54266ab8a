"""`ppne publish dump` writes a Data Package that frictionless accepts; /v1/dumps serves it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
from fastapi.testclient import TestClient
from frictionless import validate
from observations_world import build_world
from typer.testing import CliRunner

from api.app import create_app
from cli.main import app as cli


def test_a_dump_is_a_valid_data_package_served_by_the_api(db_url: str, tmp_path: Path) -> None:
    world = build_world(db_url, rows=25)
    client = TestClient(create_app())
    assert client.get("/v1/dumps").json() == []
    assert client.get("/v1/dumps/latest/observations.csv").status_code == 404

    out = tmp_path / "out" / "dumps"  # where the API looks (PPNE_OUT_DIR/dumps)
    result = CliRunner().invoke(cli, ["publish", "dump", "--out", str(out)])
    assert result.exit_code == 0, result.output
    (folder,) = out.iterdir()

    report = validate(folder / "datapackage.json")
    assert report.valid, report.flatten(["type", "note"])
    package = json.loads((folder / "datapackage.json").read_text())
    assert {r["name"] for r in package["resources"]} == {
        "observations", "costs", "stores", "items", "regions"
    }  # fmt: skip
    observations = next(r for r in package["resources"] if r["name"] == "observations")
    assert observations["schema"]["primaryKey"] == ["id"]
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    rows = list(csv.DictReader(io.StringIO((folder / "observations.csv").read_text("utf-8-sig"))))
    assert sorted(int(row["id"]) for row in rows) == sorted(r["id"] for r in world)
    assert pq.read_table(folder / "observations.parquet").num_rows == len(world)

    listed = client.get("/v1/dumps").json()
    assert listed[0]["name"] == folder.name
    assert listed[0]["files"]["observations.csv"] == (folder / "observations.csv").stat().st_size
    served = client.get(listed[0]["latest_urls"]["observations.parquet"])
    assert served.status_code == 200
    assert served.content == (folder / "observations.parquet").read_bytes()
    assert client.get("/v1/dumps/latest/..%2Fsecret.csv").status_code in (404, 422)

    # The validation can fail: a store code no store has breaks a foreign key.
    text = (folder / "observations.csv").read_text("utf-8-sig")
    (folder / "observations.csv").write_text(text.replace(",la-1,", ",nowhere,"), "utf-8-sig")
    assert not validate(folder / "datapackage.json").valid
