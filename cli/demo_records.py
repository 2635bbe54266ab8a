"""The records part of `ppne demo`: the demo accounts (passwords shown once) and clients."""

from __future__ import annotations

from datetime import date

from rich.console import Console
from rich.table import Table

from cli.database import open_session

console = Console()


def demo_records(today: date | None = None) -> None:
    """Add the demo organisations, accounts and fictitious clients; print new passwords once."""
    from core.settings import get_settings
    from services.access.actor import Actor
    from services.records.demo import seed_demo_records

    with open_session() as session:
        result = seed_demo_records(
            session, Actor.command_line(), seed=get_settings().demo_seed, today=today
        )
    added = ", ".join(f"{count} {slug}" for slug, count in result.clients_added.items())
    console.print(
        f"demo records: fictitious clients added: {added}; "
        f"{result.activities_added} activities; {result.coupon_allocations} coupon allocations"
    )
    if result.operations:
        done = ", ".join(
            f"{count} {name.replace('_', ' ')}" for name, count in result.operations.items()
        )
        console.print(f"Le Sésame's operations added: {done}")
    else:
        console.print("Le Sésame's operations exist already (routes, plans, boxes...): unchanged")
    new = result.new_accounts
    if not new:
        console.print(
            f"the {len(result.accounts)} demo accounts exist already; their passwords were "
            "shown when they were created (`ppne users token EMAIL` gives a token)"
        )
        return
    # The only time these passwords exist in clear: nothing stores or logs them.
    table = Table(title="Demo accounts: note the passwords now, they are shown only once")
    # A narrow terminal folds the email and role; the password is never cut.
    table.add_column("email", overflow="fold")
    table.add_column("role", overflow="fold")
    table.add_column("password", no_wrap=True, min_width=22)
    for account in new:
        table.add_row(account.email, account.role, account.password)
    console.print(table)
