"""Small-cell suppression: no small cell shown, and no suppressed cell derivable from totals.

The proof is constructive: for each suppressed cell, another valid table of counts (non-
negative, adding up to the same margins) with the same published cells gives it another value.
"""

from __future__ import annotations

from collections import deque

from hypothesis import given, settings
from hypothesis import strategies as st

from services.records.suppression import (
    extended_matrix,
    round_to_5,
    suppress_count,
    suppress_table,
    suppression_pattern,
)

Cell = tuple[int, int]


def another_table(matrix: list[list[int]], hidden: set[Cell], target: Cell) -> list[list[int]]:
    """A table with the same shown cells and margin relations where `target` differs, found
    by moving 1 around a cycle of suppressed cells through it (fails the test if none)."""
    edges = [cell for cell in hidden if cell != target]
    start, goal = ("r", target[0]), ("c", target[1])
    previous: dict[tuple[str, int], tuple[tuple[str, int], Cell]] = {}
    queue, seen = deque([start]), {start}
    while queue:
        vertex = queue.popleft()
        for i, j in edges:
            for here, there in ((("r", i), ("c", j)), (("c", j), ("r", i))):
                if here == vertex and there not in seen:
                    seen.add(there)
                    previous[there] = (vertex, (i, j))
                    queue.append(there)
    assert goal in seen, f"{target} can be derived from the totals"
    path, vertex = [], goal
    while vertex != start:
        vertex, cell = previous[vertex]
        path.append(cell)
    last_row, last_column = len(matrix) - 1, len(matrix[0]) - 1
    other = [row[:] for row in matrix]
    for step, (i, j) in enumerate([target, *path]):
        # Margins enter their line with the opposite sign: y = -x on them (not the corner).
        sign = -1 if (i == last_row) != (j == last_column) else 1
        other[i][j] += sign * (1 if step % 2 == 0 else -1)
    return other


def assert_valid(table: list[list[int]]) -> None:
    assert all(value >= 0 for row in table for value in row)
    for row in table[:-1]:
        assert sum(row[:-1]) == row[-1]
    for j in range(len(table[0])):
        assert sum(row[j] for row in table[:-1]) == table[-1][j]


tables = st.integers(1, 5).flatmap(
    lambda height: st.integers(1, 5).flatmap(
        lambda width: st.lists(
            st.lists(st.integers(0, 30), min_size=width, max_size=width),
            min_size=height,
            max_size=height,
        )
    )
)


@settings(max_examples=300, deadline=None)
@given(cells=tables, threshold=st.integers(2, 10))
def test_no_suppressed_cell_can_be_derived_from_the_totals(
    cells: list[list[int]], threshold: int
) -> None:
    matrix = extended_matrix(cells)
    hidden = suppression_pattern(matrix, threshold)
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            if 0 < value < threshold:
                assert (i, j) in hidden  # every small cell, totals included
            if value == 0:
                assert (i, j) not in hidden  # zeros are shown
    for target in hidden:
        other = another_table(matrix, hidden, target)
        assert_valid(other)
        assert other[target[0]][target[1]] != matrix[target[0]][target[1]]
        shown_cells = {(i, j) for i in range(len(matrix)) for j in range(len(matrix[0]))} - hidden
        assert all(other[i][j] == matrix[i][j] for i, j in shown_cells)


def test_the_next_smallest_cell_of_the_line_is_suppressed_too() -> None:
    table = suppress_table([[3, 10, 20], [12, 15, 30]], 5)
    # 3 alone in its row would be 33 - 10 - 20: 10, the next smallest, goes with it, and
    # in their columns 12 and 15 so that neither column gives them away.
    assert table.cells == [[None, None, 20], [None, None, 30]]
    assert table.row_totals == [33, 57]
    assert table.column_totals == [15, 25, 50]
    assert table.grand_total == 90
    assert (0, 0) in table.suppressed and (0, 1) in table.suppressed


def test_small_totals_are_suppressed_and_zeros_shown() -> None:
    table = suppress_table([[0, 2], [0, 40]], 5)
    assert table.cells[0][0] == 0 and table.cells[1][0] == 0
    assert table.cells[0][1] is None and table.row_totals[0] is None
    assert table.cells[1][1] is None and table.row_totals[1] is None
    assert table.column_totals == [0, 42] and table.grand_total == 42


def test_a_table_with_nothing_small_is_untouched_and_rounding_is_to_5() -> None:
    table = suppress_table([[10, 12], [7, 30]], 5, round5=True)
    assert table.suppressed == []
    assert table.cells == [[10, 10], [5, 30]]
    assert [round_to_5(v) for v in (0, 2, 3, 7, 8, 12, 13)] == [0, 0, 5, 5, 10, 10, 15]


def test_a_lone_count_is_suppressed_below_the_threshold() -> None:
    assert [suppress_count(v, 5) for v in (0, 1, 4, 5)] == [0, None, None, 5]
