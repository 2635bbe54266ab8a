"""`ppne records` and `ppne audit` against a real migrated database, as the operator."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from privacy_files import audit_rows, file_tables, full_file
from typer.testing import CliRunner

from cli.main import app
from core.db import session_scope
from core.errors import InvalidInput
from core.models import Client

runner = CliRunner()


def _invoke(*args: str) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


def test_export_by_file_number_writes_json_and_csv(db_url: str, tmp_path: Path) -> None:
    with session_scope(db_url) as session:
        full_file(session, file_number="A-2020-017", first_name="Amélie")
        session.commit()
    out = tmp_path / "exports"
    output = _invoke("records", "export", "A-2020-017", "--org", "alima", "--out", str(out))
    [folder] = list(out.iterdir())
    assert str(folder.name) in output.replace("\n", "")
    data = json.loads((folder / "export.json").read_text(encoding="utf-8"))
    assert data["tables"]["client"][0]["first_name"] == "Amélie"
    assert {path.stem for path in folder.glob("*.csv")} == file_tables() | {"auditevent"}
    with session_scope(db_url) as session:
        [event] = audit_rows(session)
    assert (event.action, event.user_id) == ("export", None)
    assert event.source.startswith("cli:")  # the operator, by her login


def test_purge_dry_run_then_run(db_url: str) -> None:
    with session_scope(db_url) as session:
        old = full_file(session, "sesame", "food_aid", status="closed", closed_on=date(2020, 5, 1))
        kept = full_file(
            session, "sesame", "food_aid", status="closed", closed_on=date(2026, 10, 1)
        )
        session.commit()
        old_id, old_number, kept_id = old.id, old.file_number, kept.id

    preview = _invoke("records", "purge", "--org", "sesame", "--dry-run", "--today", "2026-11-30")
    assert old_number in preview and "destroy" in preview and "would be" in preview
    with session_scope(db_url) as session:
        assert session.get(Client, old_id) is not None

    done = _invoke("records", "purge", "--org", "sesame", "--today", "2026-11-30")
    assert "1 files were destroyed" in done
    with session_scope(db_url) as session:
        assert session.get(Client, old_id) is None and session.get(Client, kept_id) is not None
        actions = [(r.action, r.client_id) for r in audit_rows(session)]
    assert actions == [("read", None), ("purge", old_id)]


def test_purge_refuses_a_bad_date(db_url: str) -> None:
    result = runner.invoke(app, ["records", "purge", "--org", "sesame", "--today", "30/11/2026"])
    assert isinstance(result.exception, InvalidInput)


def test_requests_add_list_answer(db_url: str) -> None:
    with session_scope(db_url) as session:
        full_file(session, file_number="A-7")
        session.commit()
    added = _invoke(
        "records", "requests", "add", "access", "Marie B.", "--org", "alima",
        "--received", "2026-10-01", "--client", "A-7",
    )  # fmt: skip
    assert "due 2026-10-31" in added
    listed = _invoke("records", "requests", "list", "--org", "alima", "--open")
    assert "Marie B." in listed and "OVERDUE" in listed
    answered = _invoke("records", "requests", "answer", "2", "--on", "2026-11-05")
    assert "answered on 2026-11-05 (late)" in answered


def test_incidents_add_and_list(db_url: str) -> None:
    with session_scope(db_url) as session:
        full_file(session)
        session.commit()
    added = _invoke(
        "records", "incidents", "add", "--org", "alima", "--information", "Noms de 3 clientes",
        "--circumstances", "Courriel au mauvais destinataire", "--discovered", "2026-11-02",
        "--people", "3", "--serious-risk",
    )  # fmt: skip
    assert "incident 1 recorded" in added and "owed" in added
    listed = _invoke("records", "incidents", "list", "--org", "alima")
    assert "Noms de 3 clientes" in listed and "OWED" in listed
    bad = runner.invoke(
        app,
        ["records", "incidents", "add", "--org", "alima", "--information", "x",
         "--circumstances", "y", "--discovered", "hier"],
    )  # fmt: skip
    assert isinstance(bad.exception, InvalidInput) and "discovered_on" in str(bad.exception)


@pytest.mark.parametrize(
    ("filters", "shown", "hidden"),
    [
        ((), ["export", "A-9"], []),
        (("--action", "read"), ["read"], ["A-9"]),
        (("--client", "A-9"), ["A-9"], []),
    ],
)
def test_audit_lists_the_log_with_filters(
    db_url: str, tmp_path: Path, filters: tuple[str, ...], shown: list[str], hidden: list[str]
) -> None:
    with session_scope(db_url) as session:
        full_file(session, file_number="A-9")
        session.commit()
    _invoke("records", "export", "A-9", "--org", "alima", "--out", str(tmp_path))
    _invoke("records", "requests", "list", "--org", "alima")
    output = _invoke("audit", *filters)
    for text in shown:
        assert text in output
    for text in hidden:
        assert text not in output
