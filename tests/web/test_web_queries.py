"""The caseload and the audit log are read in a fixed number of SQL statements, however many
clients or audit rows there are: an N+1 (a query per row) would make this test fail."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
import records_factories
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.engine import Engine
from web_helpers import account, sign_in

from api.app import create_app
from core.db import session_scope
from core.models import AuditEvent


@contextmanager
def counted() -> Iterator[list[str]]:
    """The SQL statements run while the block runs, on any engine."""
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        statements.append(statement)

    event.listen(Engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(Engine, "before_cursor_execute", count)


def add_clients(db_url: str, how_many: int) -> None:
    """Files of alima, each with a consent and an audit row naming her (as reading leaves)."""
    with session_scope(db_url) as session:
        for _ in range(how_many):
            person = records_factories.make_client(session)
            records_factories.make_consent(session, person, "services")
            session.flush()
            session.add(
                AuditEvent(
                    at=datetime.now(UTC),
                    organisation_id=person.organisation_id,
                    action="read",
                    record_type="client",
                    record_id=person.id,
                    client_id=person.id,
                    source="test",
                )
            )
        session.commit()


def statements_for(client: TestClient, path: str, rows: int) -> int:
    """How many SQL statements one page takes (asked once before: no first-time work), once
    it shows at least `rows` rows."""
    assert client.get(path).status_code == 200
    with counted() as statements:
        answer = client.get(path)
    assert answer.status_code == 200
    assert answer.text.count("<tr") > rows
    return len(statements)


@pytest.mark.parametrize(
    ("path", "role"),
    [("/app/clients", "dietitian"), ("/app/privacy/audit", "privacy_officer")],
)
def test_a_page_takes_as_many_statements_for_3_rows_as_for_40(
    db_url: str, path: str, role: str
) -> None:
    client = TestClient(create_app())
    sign_in(client, account(db_url, role, f"{role}@alima.example"))
    add_clients(db_url, 3)
    few = statements_for(client, path, 3)
    add_clients(db_url, 37)
    many = statements_for(client, path, 40)
    assert few == many
    # The session, the organisation, the rows, the audit row: a handful, not one per row.
    assert many <= 10
