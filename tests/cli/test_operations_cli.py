"""`ppne operations`: a food-aid rule set from the command line, and the operations' outputs."""

from __future__ import annotations

import json
from datetime import date

from sesame_world import client_in, set_up
from sqlmodel import select
from typer.testing import CliRunner

from cli.main import app
from core.db import session_scope
from core.models import AuditEvent, FoodAidRule, FoodAidVisit

runner = CliRunner()


def _invoke(*args: str) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


def test_a_rule_from_the_command_line_and_the_visits_in_the_outputs(db_url: str) -> None:
    with session_scope(db_url) as session:
        set_up(session)
    output = _invoke(
        "operations",
        "food-aid-rule",
        "--org",
        "sesame",
        "--max-visits",
        "2",
        "--referral",
        "Moisson Montréal",
    )
    # Rich folds lines at the terminal's width, which differs between runs.
    flat = " ".join(output.split())
    assert "at most 2 visits in 30 days, refuse; then refer to Moisson Montréal" in flat
    with session_scope(db_url) as session:
        rule = session.exec(select(FoodAidRule)).one()
        client = client_in(session)
        assert client.id is not None
        session.add(
            FoodAidVisit(
                client_id=client.id,
                program_id=rule.program_id,
                visited_on=date(2026, 4, 3),
                flagged=True,
            )
        )
        session.commit()
    answer = json.loads(
        _invoke(
            "operations",
            "outputs",
            "--org",
            "sesame",
            "--from",
            "2026-04-01",
            "--to",
            "2026-04-30",
            "--json",
            "--threshold",
            "1",
        )
    )
    assert (answer["food_aid_visits"], answer["food_aid_flagged"]) == (1, 1)
    assert answer["food_aid_households"] == 1
    hidden = _invoke(
        "operations",
        "outputs",
        "--org",
        "sesame",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-30",
        "--json",
    )
    assert json.loads(hidden)["food_aid_households"] is None  # 1 household: under 5
    with session_scope(db_url) as session:
        reports = session.exec(
            select(AuditEvent).where(AuditEvent.record_type == "operations_outputs")
        ).all()
    assert len(reports) == 2 and all(r.user_id is None for r in reports)
