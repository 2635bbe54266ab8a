"""POST /v1/surveys refuses what is too large, hostile or malformed in one line, never a 500."""

from __future__ import annotations

import gc
import inspect
import io
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterator
from typing import Any

import factories
import pytest
from accounts import bearer
from fastapi.testclient import TestClient
from openpyxl import Workbook

from api.app import create_app
from api.errors import ErrorBody
from api.routers.surveys import upload_survey
from core.basket_definitions import ensure_reference_basket
from core.db import session_scope
from core.errors import TooLarge
from core.settings import get_settings
from services.surveys import import_survey_upload, sent_name

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = "Période,Code du magasin,Code de l'article,Prix ($),Enquêteur·rice,Date (AAAA-MM-JJ)\n"


def xlsx_bytes() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Période", "Prix ($)"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def bomb_bytes(expanded: int = 60_000_000) -> bytes:
    """Return a small zip with the parts of an xlsx whose sheet expands to `expanded` bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<sheetData>" + b" " * expanded)
    return out.getvalue()


@pytest.fixture
def client(db_url: str, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    with session_scope(db_url) as session:
        factories.make_store(session, code="iga-lachine")
        ensure_reference_basket(session)
        session.commit()
    monkeypatch.setenv("PPNE_UPLOAD_MAX_BYTES", "2000000")
    get_settings.cache_clear()
    client = TestClient(create_app())
    client.headers.update(bearer(db_url, "coordinator"))
    yield client
    get_settings.cache_clear()


def refused_line(answer: Any, status: int) -> str:
    assert answer.status_code == status, answer.text
    body = ErrorBody.model_validate(answer.json())
    assert "\n" not in body.detail
    assert tempfile.gettempdir() not in answer.text
    return body.detail


def test_an_upload_over_the_limit_answers_413_in_one_line(client: TestClient) -> None:
    body = HEADER.encode() + b"x" * 3_000_000
    answer = client.post("/v1/surveys", files={"file": ("releve.csv", body, "text/csv")})
    assert "PPNE_UPLOAD_MAX_BYTES" in refused_line(answer, 413)
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_a_body_without_a_length_is_cut_at_the_limit_with_413(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(40):
            yield b"x" * 100_000

    answer = client.post(
        "/v1/surveys",
        content=chunks(),
        headers={"content-type": "multipart/form-data; boundary=b"},
    )
    assert "PPNE_UPLOAD_MAX_BYTES" in refused_line(answer, 413)


def test_the_use_case_counts_the_bytes_it_saves() -> None:
    with pytest.raises(TooLarge, match="1,000 byte limit"):
        import_survey_upload(io.BytesIO(b"x" * 1001), "releve.csv", max_bytes=1000)


def test_a_spreadsheet_bomb_is_refused_quickly_with_422(client: TestClient) -> None:
    bomb = bomb_bytes()
    assert len(bomb) < 200_000
    started = time.perf_counter()
    answer = client.post("/v1/surveys", files={"file": ("releve.xlsx", bomb, XLSX)})
    assert time.perf_counter() - started < 2
    line = refused_line(answer, 422)
    assert line.startswith("releve.xlsx: expands to 60 MB, over the 50 MB limit")


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("releve.xlsx", b"PK\x03\x04 not really", "not an xlsx workbook"),
        ("releve.xlsx", b"just text", "not an xlsx workbook (not a zip archive)"),
        ("releve.csv", bytes(range(256)) * 40, "a binary file, not a CSV sheet"),
    ],
)
def test_malformed_uploads_answer_422_in_one_line(
    client: TestClient, name: str, content: bytes, expected: str
) -> None:
    answer = client.post("/v1/surveys", files={"file": (name, content, "text/csv")})
    assert expected in refused_line(answer, 422)


def test_a_cp1252_sheet_is_read_and_its_rows_checked(client: TestClient) -> None:
    # Bytes that are not UTF-8 are read as cp1252 (importers/encodings.py), so the row is
    # checked like any other: here its store is unknown, and the report says so.
    content = HEADER.encode() + b"2025-01,\xff\xfe\xfa,x,1,Awa,2025-01-01\n"
    answer = client.post("/v1/surveys", files={"file": ("releve.csv", content, "text/csv")})
    assert answer.status_code == 422
    assert "unknown store 'ÿþú'" in answer.text
    assert tempfile.gettempdir() not in answer.text


def test_a_zip_that_is_not_an_xlsx_answers_422(client: TestClient) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    answer = client.post("/v1/surveys", files={"file": ("releve.xlsx", out.getvalue(), XLSX)})
    assert "a zip archive but not an xlsx workbook" in refused_line(answer, 422)


def test_a_truncated_xlsx_answers_422(client: TestClient) -> None:
    whole = xlsx_bytes()
    answer = client.post("/v1/surveys", files={"file": ("releve.xlsx", whole[:-200], XLSX)})
    assert "releve.xlsx" in refused_line(answer, 422)


def test_a_corrupt_part_in_an_xlsx_answers_422(client: TestClient) -> None:
    whole = bytearray(xlsx_bytes())
    # Flip bytes inside the first compressed part: the zip directory stays readable.
    for offset in range(60, 90):
        whole[offset] ^= 0xFF
    answer = client.post("/v1/surveys", files={"file": ("releve.xlsx", bytes(whole), XLSX)})
    assert "releve.xlsx" in refused_line(answer, 422)


def test_an_xlsx_declaring_entities_answers_422(client: TestClient) -> None:
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "xl/worksheets/sheet1.xml":
                data = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + data[38:]
            archive.writestr(entry, data)
    answer = client.post("/v1/surveys", files={"file": ("releve.xlsx", out.getvalue(), XLSX)})
    assert "declares a document type or entities" in refused_line(answer, 422)


def test_a_long_name_with_folders_is_never_a_path_nor_shown_whole(client: TestClient) -> None:
    name = "../../etc/" + "r" * 300 + ".csv"
    answer = client.post("/v1/surveys", files={"file": (name, HEADER.encode(), "text/csv")})
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert report["file"] == "r" * 251 + ".csv"
    assert tempfile.gettempdir() not in answer.text and "/" not in report["file"]


def test_the_report_names_the_sent_file_not_the_server_path(client: TestClient) -> None:
    answer = client.post(
        "/v1/surveys", files={"file": ("C:\\Users\\awa\\releve.csv", HEADER.encode(), "text/csv")}
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["file"] == "releve.csv"
    assert "upload.csv" not in answer.text and tempfile.gettempdir() not in answer.text


@pytest.mark.parametrize(
    ("sent", "kept"),
    [(None, "survey.csv"), ("a/b\\c.xlsx", "c.xlsx"), ("re\x00le\nve.csv", "releve.csv")],
)
def test_sent_names_lose_folders_and_control_characters(sent: str | None, kept: str) -> None:
    assert sent_name(sent) == kept


def test_health_answers_while_an_upload_runs(client: TestClient) -> None:
    # A plain def route runs in the thread pool, never on the event loop.
    assert not inspect.iscoroutinefunction(upload_survey)
    body = HEADER.encode() + b",,,,,\n" * 90_000  # 540 kB of blank lines, under the row limit
    done = threading.Event()
    statuses: list[int] = []

    def upload() -> None:
        answer = client.post("/v1/surveys", files={"file": ("releve.csv", body, "text/csv")})
        statuses.append(answer.status_code)
        done.set()

    # No garbage collection while measuring: a full one in this test process (every test
    # module loaded) pauses all its threads for up to seconds on a busy machine (seen on CI:
    # 1.8 s). The server freezes its own startup objects instead (api/server_memory.py), and
    # tests/api/test_upload_under_load.py measures a real server with its collector on.
    gc.collect()
    gc.disable()
    try:
        worker = threading.Thread(target=upload)
        worker.start()
        slowest = 0.0
        while not done.is_set():
            started = time.perf_counter()
            assert client.get("/health").status_code == 200
            slowest = max(slowest, time.perf_counter() - started)
            time.sleep(0.05)
        worker.join()
    finally:
        gc.enable()
    assert statuses == [200]  # the import ran to its end while /health was called
    assert slowest < 1.0


def test_a_csv_over_the_row_limit_answers_422_from_the_import_child(client: TestClient) -> None:
    body = HEADER.encode() + b",\n" * 100_000  # 200 kB, under the byte limit
    answer = client.post("/v1/surveys", files={"file": ("releve.csv", body, "text/csv")})
    line = refused_line(answer, 422)
    assert line == "releve.csv: over 100,000 lines, the limit for a survey sheet"
