"""Relations a reader can add up from others, for disclosure control's audit (``disclosure``, R21).

The audit propagates ranges over each relation on its own, so it misses what only a combination of
relations gives. The one the site's tables make is a cross-table's grouped columns: where a total is the
sum of some columns (a year's Good or better, its Outstanding plus its Good), each column the sum of the
same rows' cells (a year's Good, its teams' Good), and each row has a total of just those cells (a team's
Good or better), the total is the sum of the rows' totals: a year's Good or better is its teams'. A reader
who knows the year's and every other team's (from their shares) knows the last team's, though every grade
column has a cell withheld; so the audit is given that relation too.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import islice, product
from typing import Hashable, Iterable, Sequence

Key = Hashable
MAX_CHOICES = 64  # ways of picking the rows of one grid tried, at most (the site's grids have one)


def transposed(relations: Iterable[tuple[Key, Sequence[Key]]]) -> list[tuple[Key, tuple[Key, ...]]]:
    """Every ``total == sum(row totals)`` that follows from ``total == sum(columns)``, each column the sum of its
    cells, and each row's cells (one in each column) summing to the row's total; none already given."""
    relations = [(total, tuple(parts)) for total, parts in relations]
    given = {(total, frozenset(parts)) for total, parts in relations}
    as_total: dict[Key, list[tuple]] = defaultdict(list)
    as_part: dict[Key, list[tuple]] = defaultdict(list)
    for relation in relations:
        as_total[relation[0]].append(relation)
        for part in relation[1]:
            as_part[part].append(relation)
    found: list[tuple[Key, tuple[Key, ...]]] = []
    for total, columns in relations:
        if len(columns) < 2 or len(set(columns)) < len(columns) or not all(as_total[c] for c in columns):
            continue
        column_of: dict[Key, set[int]] = defaultdict(set)  # a cell -> the columns it is a part of
        for number, column in enumerate(columns):
            for _, cells in as_total[column]:
                for cell in cells:
                    column_of[cell].add(number)
        for _, first in as_total[columns[0]]:
            rows = [[r for r in as_part[cell] if _spans(r[1], cell, column_of, len(columns))] for cell in first]
            for choice in islice(product(*rows), MAX_CHOICES):
                row_totals = tuple(r[0] for r in choice)
                if (total, frozenset(row_totals)) in given or len(set(row_totals)) < len(row_totals):
                    continue
                if _columns_match(choice, columns, column_of, as_total):
                    given.add((total, frozenset(row_totals)))
                    found.append((total, row_totals))
    return found


def _spans(cells: tuple, cell: Key, column_of: dict, width: int) -> bool:
    """Whether a row's cells could be ``cell`` (of the first column) and one cell of each other column."""
    if len(cells) != width or cell not in cells or 0 not in column_of[cell]:
        return False
    return all(column_of[c] for c in cells)


def _columns_match(rows: tuple, columns: tuple, column_of: dict, as_total: dict) -> bool:
    """Whether the rows' cells, column by column, are exactly the cells of a relation of that column."""
    by_row: list[set] = [set() for _ in rows]  # each row's cells picked so far: one per column, none twice
    for number, column in enumerate(columns):
        picked = []
        for row, (_, cells) in zip(by_row, rows):
            in_column = [c for c in cells if number in column_of[c]]
            if len(in_column) != 1 or in_column[0] in row:
                return False
            row.add(in_column[0])
            picked.append(in_column[0])
        if len(set(picked)) < len(picked) or not any(set(cells) == set(picked) for _, cells in as_total[column]):
            return False
    return True
