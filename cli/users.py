"""The `ppne users` commands: accounts, roles and API tokens."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from cli.database import open_session
from core.errors import InvalidInput

users_app = typer.Typer(help="Accounts, roles and API tokens.", no_args_is_help=True)
console = Console()


def _password_from_stdin() -> str:
    """Read the password from standard input: typed at a hidden prompt, or piped in."""
    if sys.stdin.isatty():
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        return str(password)
    # Piped in: the first line, without its line ending (never echoed, never logged).
    line = sys.stdin.readline()
    if not line:
        raise InvalidInput("no password on standard input")
    return line.rstrip("\r\n")


@users_app.command("create")
def create_command(
    email: str = typer.Argument(..., help="The person's email, used to sign in."),
    org: str = typer.Option(..., "--org", help="Organisation slug, e.g. alima or sesame."),
    role: str = typer.Option(
        ...,
        "--role",
        help="admin, coordinator, dietitian, volunteer, analyst or privacy_officer.",
    ),
    program: str | None = typer.Option(None, "--program", help="Limit the role to a program."),
    name: str = typer.Option("", "--name", help="Name shown to colleagues."),
) -> None:
    """Create an account (password read from standard input), or give an account a new role."""
    from services.access.users import create_user

    password = _password_from_stdin()
    with open_session() as session:
        user = create_user(
            session, email, password, organisation=org, role=role, program=program,
            display_name=name,
        )  # fmt: skip
        console.print(f"{user.email}: {role} of {org}" + (f" ({program})" if program else ""))


@users_app.command("list")
def list_command(
    org: str | None = typer.Option(None, "--org", help="Only this organisation's accounts."),
) -> None:
    """List the accounts and their roles."""
    from rich.table import Table

    from services.access.users import list_users

    with open_session() as session:
        users = list_users(session, org)
    table = Table(title=f"Accounts ({len(users)})")
    for header in ("email", "active", "roles"):
        table.add_column(header)
    for user in users:
        roles = ", ".join(
            f"{m.role}@{m.organisation}" + (f"/{m.program}" if m.program else "")
            for m in user.memberships
        )
        table.add_row(user.email, "yes" if user.active else "no", roles)
    console.print(table)


@users_app.command("disable")
def disable_command(email: str = typer.Argument(..., help="The account to disable.")) -> None:
    """Disable an account and revoke its tokens; its history stays."""
    from services.access.users import disable_user

    with open_session() as session:
        revoked = disable_user(session, email)
    console.print(f"{email} disabled; {revoked} tokens revoked")


@users_app.command("token")
def token_command(
    email: str = typer.Argument(..., help="The account the token signs in."),
    days: int | None = typer.Option(None, "--days", min=1, max=366, help="Days it is valid."),
) -> None:
    """Print a new API token for an account, as the last line (shown only this once)."""
    from core.settings import get_settings
    from services.access.users import new_token

    lifetime = days or get_settings().token_days
    with open_session() as session:
        token = new_token(session, email, days=lifetime)
    console.print(f"token for {email}, valid {lifetime} days (shown once):")
    # Plain print: rich would wrap a long token across lines.
    print(token)
