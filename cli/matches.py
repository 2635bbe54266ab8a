"""The `ppne matches` commands: review fuzzy suggestions, approve or reject them."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from cli import jobs

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
    if suggest:
        console.print(f"{jobs.suggest_matches()} new suggestions")
    queue = jobs.review_queue(status)
    table = Table(title=f"Product matches: {status} ({len(queue)})")
    for header in ("id", "chain", "product", "size", "basket item", "score"):
        table.add_column(header, justify="right" if header in ("id", "score") else "left")
    for row in queue.to_dict("records"):
        size = f"{row['size']:f} {row['size_unit']}".replace(".0000", "") if row["size"] else ""
        score = f"{row['score']:.0f}" if row["score"] is not None else ""
        table.add_row(str(row["match_id"]), row["chain"], row["product"], size,
                      f"{row['item_code']} ({row['item_name']})", score)  # fmt: skip
    console.print(table)


@matches_app.command("approve")
def approve_command(match_id: int = typer.Argument(..., help="Match id from `review`.")) -> None:
    """Approve a match: the product's prices now count for the basket item."""
    jobs.decide(match_id, "approved")
    console.print(f"match {match_id} approved")


@matches_app.command("reject")
def reject_command(match_id: int = typer.Argument(..., help="Match id from `review`.")) -> None:
    """Reject a match: the product is never suggested for that item again."""
    jobs.decide(match_id, "rejected")
    console.print(f"match {match_id} rejected")
