"""Column geometry of a row-per-line table whose values sit at fixed page positions.

Text copied from a laid-out page keeps each column's figures right-aligned under its
header:

                                                   Allowance for
                                                   uncollectible
                                      Accounts          Accounts          Accounts
    As of December 31, 2024         receivable        receivable   receivable, net
    Accounts receivable ...             20,945                              20,945

When every value of every row ends at one of a few shared character positions (a
position two or more rows share, or that two or more header lines end at), those
positions ARE the columns: a row with fewer values than columns (a dash that was
dropped) is placed by position, not left-aligned, and each header fragment belongs to the
column its text sits over. Fragments in the label column (ending left of every value) are
stub lines ('As of December 31, 2024'). Tables whose values do not line up (figures separated
by single spaces after labels of varying length) get no grid: ``grid`` returns None and
the caller reads the table by counting values instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_FRAGMENT = re.compile(r"\S+(?: \S+)*")
_TOL = 1  # a ')' closing a negative may hang one position past the column's right edge


@dataclass
class Grid:
    """Right edges of the value columns (positions within a line) and the label area."""

    edges: list[int]
    label_end: int  # the rightmost position a row label reaches
    values_start: int = 0  # the leftmost position a value starts at
    cols: list[list[int]] = field(default_factory=list)  # per row, the column of each value
    headers: list[list[str]] = field(default_factory=list)  # fragments per column, top down
    stubs: list[str] = field(default_factory=list)  # label-column header lines ('As of ...')

    def column_of(self, end: int) -> int | None:
        hits = [j for j, e in enumerate(self.edges) if abs(e - end) <= _TOL]
        return hits[0] if len(hits) == 1 else None


def fragments(line: str) -> list[tuple[int, int, str]]:
    """The pieces of a line separated by two or more spaces: (start, end, text)."""
    return [(m.start(), m.end(), m.group()) for m in _FRAGMENT.finditer(line)]


def _cluster(ends: list[tuple[int, int]]) -> list[tuple[int, set[int]]]:
    """Group (position, row) pairs whose positions lie within the tolerance of each other:
    [(right-most position, rows)]."""
    out: list[tuple[int, set[int]]] = []
    for pos, row in sorted(ends):
        if out and pos - out[-1][0] <= _TOL:
            out[-1] = (pos, out[-1][1] | {row})
        else:
            out.append((pos, {row}))
    return out


def grid(rows: list[list[tuple[int, int]]], label_ends: list[int], header_lines: list[str]) -> Grid | None:
    """The grid of a table from its rows' value spans ((start, end) within the line, in
    order) and its header lines; None when the values do not line up in shared columns.

    A header-only column (every row left it empty) needs two or more header lines ending
    at its edge and no value column under its text."""
    if len(rows) < 2 or not any(len(r) >= 2 for r in rows):
        return None
    label_end = max(label_ends)
    clusters = _cluster([(e, i) for i, r in enumerate(rows) for _, e in r])
    head_ends = _header_ends(header_lines, label_end)
    edges = []
    for pos, members in clusters:
        if len(members) < 2 and not any(abs(pos - h) <= _TOL for h in head_ends):
            return None
        edges.append(pos)
    for h, (n, start) in sorted(head_ends.items()):  # a column every row left empty (dropped dashes)
        if n >= 2 and not any(start - _TOL <= e <= h + _TOL for e in edges):
            edges.append(h)
    edges += _header_only_columns(header_lines, label_end, edges)
    edges.sort()
    g = Grid(edges=edges, label_end=label_end, values_start=min(s for r in rows for s, _ in r))
    for r in rows:
        cols = [g.column_of(e) for _, e in r]
        if None in cols or len(set(cols)) != len(cols) or cols != sorted(cols):
            return None
        if any(j and start <= edges[j - 1] for (start, _), j in zip(r, cols) if j is not None):
            return None  # a value reaching over the column to its left: not a column of its own
        g.cols.append([c for c in cols if c is not None])
    if any(s <= label_end for r in rows for s, _ in r):
        return None
    assign_headers(g, header_lines)
    return g


def _header_only_columns(lines: list[str], label_end: int, edges: list[int]) -> list[int]:
    """Edges of columns named by a header line that lines up with the values (two or more
    of its fragments end at value columns) but under which no row prints anything."""
    out: list[int] = []
    for line in lines:
        frags = [(s, e) for s, e, _ in fragments(line) if s > label_end]
        if sum(any(abs(e - x) <= _TOL for x in edges) for _, e in frags) < 2:
            continue
        out += [e for s, e in frags if not any(s - _TOL <= x <= e + _TOL for x in edges + out)]
    return out


def _header_ends(lines: list[str], label_end: int) -> dict[int, tuple[int, int]]:
    """Per position right of the labels: how many header lines have a fragment ending
    there, and where the widest of those fragments starts."""
    out: dict[int, tuple[int, int]] = {}
    for line in lines:
        for s, e, _ in fragments(line):
            if s > label_end:
                n, start = out.get(e, (0, s))
                out[e] = (n + 1, min(start, s))
    return out


def assign_headers(g: Grid, lines: list[str]) -> None:
    """Each header fragment goes to the column(s) its text sits over (a line with one
    fragment per column: the fragments in order); fragments over the label column are stubs."""
    g.headers, g.stubs = [[] for _ in g.edges], []
    lefts = [g.label_end] + g.edges[:-1]
    for line in lines:
        frags = fragments(line)
        left = [e <= g.label_end + _TOL or (s <= g.label_end and e < g.values_start) for s, e, _ in frags]
        stub = [f[2] for f, is_stub in zip(frags, left) if is_stub]
        over_columns = [f for f, is_stub in zip(frags, left) if not is_stub]
        if len(over_columns) == len(g.edges):  # one fragment per column: in order
            for j, (_, _, text) in enumerate(over_columns):
                g.headers[j].append(text)
            over_columns = []
        for s, e, text in over_columns:
            over = [max(0, min(e, right) - max(s, left)) for left, right in zip(lefts, g.edges)]
            width = e - s
            cols = [j for j, o in enumerate(over) if o and o * 2 >= min(width, g.edges[j] - lefts[j])]
            for j in cols or [max(range(len(over)), key=over.__getitem__)]:
                g.headers[j].append(text)
        if stub:
            g.stubs.append(" ".join(stub))


def header_texts(g: Grid) -> list[str]:
    return [" ".join(" ".join(parts).split()) for parts in g.headers]
