"""The `ppne matches` commands: review fuzzy suggestions, approve or reject them."""

from __future__ import annotations

import typer
from rich.console import Console

from cli.database import open_session

# The use cases (pandas, SQLAlchemy) load inside the commands, so `ppne --help` starts fast.

matches_app = typer.Typer(help="Review product-to-basket-item matches.", no_args_is_help=True)
console = Console()


@matches_app.command("review")
def review_command(
    status: str = typer.Option("suggested", "--status", help="suggested, approved or rejected"),
    suggest: bool = typer.Option(
        False, "--suggest", help="First match new products and queue fresh suggestions."
    ),
) -> None:
    """List the matches awaiting review, best score first."""
    from rich.table import Table

    from services.matches import review_queue, suggest_matches

    with open_session() as session:
        if suggest:
            console.print(f"{suggest_matches(session).suggestions} new suggestions")
        queue = review_queue(session, status)
    table = Table(title=f"Product matches: {status} ({len(queue)})")
    for header in ("id", "chain", "product", "size", "basket item", "score"):
        table.add_column(header, justify="right" if header in ("id", "score") else "left")
    for match in queue:
        size = f"{match.size:f} {match.size_unit}".replace(".0000", "") if match.size else ""
        score = f"{match.score:.0f}" if match.score is not None else ""
        table.add_row(str(match.match_id), match.chain, match.product, size,
                      f"{match.item_code} ({match.item_name})", score)  # fmt: skip
    console.print(table)


@matches_app.command("approve")
def approve_command(match_id: int = typer.Argument(..., help="Match id from `review`.")) -> None:
    """Approve a match: the product's prices now count for the basket item."""
    from services.matches import decide

    with open_session() as session:
        decide(session, match_id, "approved")
    console.print(f"match {match_id} approved")


@matches_app.command("reject")
def reject_command(match_id: int = typer.Argument(..., help="Match id from `review`.")) -> None:
    """Reject a match: the product is never suggested for that item again."""
    from services.matches import decide

    with open_session() as session:
        decide(session, match_id, "rejected")
    console.print(f"match {match_id} rejected")
