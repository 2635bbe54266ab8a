"""Small-cell suppression of a table of counts, so a published report exposes no one.

The table is read with its margins, as an extended (rows + 1) x (columns + 1) matrix: the
last column holds the row totals, the last row the column totals, the corner the grand
total. Each row and each column of that matrix is a "line" whose cells add up (its total is
one of its cells).

1. Primary suppression: every cell from 1 to threshold - 1, totals included. A 0 stays 0:
   common practice (Statistics Canada, the Institut de la statistique du Québec) shows zeros,
   which say that nobody is in a cell and so point at no one, and funders need them.
2. Complementary suppression: a line with exactly one suppressed cell would give it away
   (total minus the others), so the next-smallest non-zero cell of that line is suppressed
   too. Two per line is not always enough: a suppressed cell that is the only link between
   two groups of suppressed cells (a bridge of the graph whose vertices are the lines and
   whose edges are the suppressed cells) can still be solved for. Such a cell gets a
   companion in its row as well, and both rules repeat until stable.
   When every suppressed cell lies on a cycle of that graph, adding 1 and taking 1 in turn
   around the cycle gives another table with the same published cells and totals, and no
   suppressed cell is 0 (zeros are never suppressed) so that table is valid: the value
   cannot be derived. tests/services/records/test_suppression.py builds that second table.
3. Optional rounding to base 5 of the published cells (deterministic, half up), as
   Statistics Canada does with census counts (it rounds at random; this does not).

Suppressed cells are None here; CSV and XLSX show them as "x" (Statistics Canada's symbol).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

SUPPRESSED = "x"

Cell = tuple[int, int]


@dataclass(frozen=True)
class SuppressedTable:
    """A table as it may be published: None where a cell is suppressed."""

    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    grand_total: int | None
    # (row, column) of the suppressed cells of the extended matrix (margins at index
    # len(rows) / len(columns)), row by row.
    suppressed: list[Cell] = field(default_factory=list)


def extended_matrix(
    cells: Sequence[Sequence[int]],
    row_totals: Sequence[int] | None = None,
    column_totals: Sequence[int] | None = None,
    grand_total: int | None = None,
) -> list[list[int]]:
    """The cells with their margins: given ones (when a client counts once in a total but in
    several rows, the total is not the sum), or the sums."""
    width = len(cells[0]) if cells else len(column_totals or [])
    rows = [list(row) for row in cells]
    rights = list(row_totals) if row_totals is not None else [sum(row) for row in rows]
    bottoms = (
        list(column_totals)
        if column_totals is not None
        else [sum(row[j] for row in rows) for j in range(width)]
    )
    corner = grand_total if grand_total is not None else sum(bottoms)
    return [*([*row, right] for row, right in zip(rows, rights, strict=True)), [*bottoms, corner]]


def suppression_pattern(matrix: Sequence[Sequence[int]], threshold: int) -> set[Cell]:
    """The cells of an extended matrix to suppress: primary, then complementary until stable."""
    if not matrix or not matrix[0]:
        return set()
    if any(value < 0 for row in matrix for value in row):
        raise ValueError("counts cannot be negative")
    height, width = len(matrix), len(matrix[0])
    hidden = {(i, j) for i in range(height) for j in range(width) if 0 < matrix[i][j] < threshold}
    lines = [[(i, j) for j in range(width)] for i in range(height)]
    lines += [[(i, j) for i in range(height)] for j in range(width)]
    while True:
        before = len(hidden)
        for line in lines:
            if sum(cell in hidden for cell in line) == 1:
                _hide_next_smallest(matrix, hidden, line)
        if len(hidden) == before:
            bridge = _first_bridge(hidden)
            if bridge is None:
                return hidden
            # A companion in its row, then (if the row has none left) in its column.
            row_line = [(bridge[0], j) for j in range(width)]
            column_line = [(i, bridge[1]) for i in range(height)]
            if not _hide_next_smallest(matrix, hidden, row_line) and not _hide_next_smallest(
                matrix, hidden, column_line
            ):
                # Both lines are all suppressed: widen to every line that has a suppressed
                # cell. Once all of those are, the suppressed cells are a whole component
                # of the table's non-zero cells, which has no bridge (cutting one would
                # make its value 0), so this ends.
                touched = [line for line in lines if any(c in hidden for c in line)]
                widened = [cell for line in touched for cell in line]
                if not _hide_next_smallest(matrix, hidden, widened):
                    return hidden  # only when the margins are not the sums


def _hide_next_smallest(
    matrix: Sequence[Sequence[int]], hidden: set[Cell], line: list[Cell]
) -> bool:
    """Suppress the smallest non-zero cell of `line` not yet suppressed; False if none."""
    candidates = [cell for cell in line if cell not in hidden and matrix[cell[0]][cell[1]] > 0]
    if not candidates:
        return False
    # Smallest first: it costs the least information; ties go to the first in the line.
    hidden.add(min(candidates, key=lambda cell: matrix[cell[0]][cell[1]]))
    return True


def _first_bridge(hidden: set[Cell]) -> Cell | None:
    """A suppressed cell whose row and column are joined by no other path of suppressed
    cells (the graph's vertices are rows and columns), or None."""
    ordered = sorted(hidden)
    for cell in ordered:
        rest = [other for other in ordered if other != cell]
        if not _connected(rest, ("r", cell[0]), ("c", cell[1])):
            return cell
    return None


def _connected(edges: list[Cell], start: tuple[str, int], goal: tuple[str, int]) -> bool:
    neighbours: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for i, j in edges:
        neighbours.setdefault(("r", i), []).append(("c", j))
        neighbours.setdefault(("c", j), []).append(("r", i))
    seen, frontier = {start}, [start]
    while frontier:
        vertex = frontier.pop()
        if vertex == goal:
            return True
        for following in neighbours.get(vertex, []):
            if following not in seen:
                seen.add(following)
                frontier.append(following)
    return False


def round_to_5(value: int) -> int:
    """Round to the nearest multiple of 5, halves up (deterministic, unlike StatCan's)."""
    return (value + 2) // 5 * 5


def suppress_table(
    cells: Sequence[Sequence[int]],
    threshold: int,
    *,
    row_totals: Sequence[int] | None = None,
    column_totals: Sequence[int] | None = None,
    grand_total: int | None = None,
    round5: bool = False,
) -> SuppressedTable:
    """Suppress the small cells of a table and the cells that would give them away.

    Args:
        cells: the counts, rows x columns.
        threshold: the smallest count shown (settings.suppression_threshold, 5 by default).
        row_totals, column_totals, grand_total: the margins, when they are not the sums.
        round5: round the cells left shown to base 5 (totals rounded on their own, so they
            may no longer add up, as in Statistics Canada's tables).
    """
    matrix = extended_matrix(cells, row_totals, column_totals, grand_total)
    hidden = suppression_pattern(matrix, threshold)
    shown: list[list[int | None]] = [
        [
            None if (i, j) in hidden else (round_to_5(value) if round5 else value)
            for j, value in enumerate(row)
        ]
        for i, row in enumerate(matrix)
    ]
    return SuppressedTable(
        cells=[row[:-1] for row in shown[:-1]],
        row_totals=[row[-1] for row in shown[:-1]],
        column_totals=shown[-1][:-1],
        grand_total=shown[-1][-1],
        suppressed=sorted(hidden),
    )


def suppress_count(value: int, threshold: int) -> int | None:
    """One count on its own (no margin can reveal it): None from 1 to threshold - 1."""
    return None if 0 < value < threshold else value


def shown(value: int | float | None) -> str:
    """A cell as CSV and XLSX show it: "x" when suppressed."""
    return SUPPRESSED if value is None else str(value)
