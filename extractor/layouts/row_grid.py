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
    at its edge and no value column under its text. When the headers are right-aligned
    over the columns, every column must have a header ending at its edge."""
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
    if _aligned_header(header_lines, label_end, edges) and not all(
            any(abs(e - h) <= _TOL for h in head_ends) for e in edges):
        return None  # headers right-aligned over the columns, but a 'column' no header ends at
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


def _aligned_header(lines: list[str], label_end: int, edges: list[int]) -> bool:
    """A header line two or more of whose fragments end at value columns."""
    return any(sum(any(abs(e - x) <= _TOL for x in edges) for s, e, _ in fragments(line) if s > label_end) >= 2
               for line in lines)


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


# ----------------------------------------------------------------------------- separator gaps


def _empties(gap: int, sep: int, width: int, trailing: bool = False) -> int | None:
    """How many empty cells a gap holds when every cell is followed by ``sep`` spaces and an
    empty cell takes ``width`` more (sep + 1 when a dropped '—' left one blank, sep when
    nothing was printed); None when the gap does not fit."""
    base = 0 if trailing else sep
    if gap < base or (gap - base) % width:
        return None
    return (gap - base) // width


def gap_columns(rows: list[tuple[int, list[tuple[int, int]], int]], n_cols: int) -> list[list[int] | None]:
    """Columns of the values of rows short of ``n_cols`` in text whose cells are joined by a
    fixed separator ('Label  1,225  (208)  1,016'): a dropped cell leaves a wider gap.

    ``rows`` holds per row (label end, value spans, line length). The separator is the gap
    every full row shows everywhere (two or more full rows, all gaps equal, two spaces or
    more; or, when every row lost a cell, the gap most gaps show); a short row is placed only
    when its gaps account for exactly the missing cells."""
    sep = _separator(rows, n_cols)
    if sep is None:
        return [None] * len(rows)
    return [list(range(n_cols)) if len(spans) == n_cols else _short_row(label_end, spans, length, sep, n_cols)
            for label_end, spans, length in rows]


def _separator(rows: list[tuple[int, list[tuple[int, int]], int]], n_cols: int) -> int | None:
    """The gap every full row shows everywhere (two or more full rows); with no such rows
    (every row lost a cell) the gap most gaps show, if it is at least half of them."""
    def gaps(label_end: int, spans: list[tuple[int, int]]) -> list[int]:
        return [b[0] - a for a, b in zip([label_end] + [e for _, e in spans], spans)]

    full = [g for le, spans, _ in rows if len(spans) == n_cols for g in gaps(le, spans)]
    if sum(len(spans) == n_cols for _, spans, _ in rows) >= 2:
        return full[0] if len(set(full)) == 1 and full[0] >= 2 else None
    every = [g for le, spans, _ in rows for g in gaps(le, spans)]
    if not every:
        return None
    sep = max(set(every), key=every.count)
    return sep if sep >= 2 and every.count(sep) * 2 >= len(every) else None


def _short_row(label_end: int, spans: list[tuple[int, int]], length: int, sep: int, n_cols: int) -> list[int] | None:
    """The columns of a short row's values under each empty-cell width; None unless exactly
    one placement accounts for all the missing cells."""
    if not spans:
        return None
    lefts = [label_end] + [e for _, e in spans[:-1]]
    found = set()
    for width in (sep + 1, sep):
        ks = [_empties(s - left, sep, width) for left, (s, _) in zip(lefts, spans)]
        ks.append(_empties(length - spans[-1][1], sep, width, trailing=True))
        if None in ks or len(spans) + sum(k or 0 for k in ks) != n_cols:
            continue
        cols, j = [], 0
        for k in ks[:-1]:
            j += k or 0
            cols.append(j)
            j += 1
        found.add(tuple(cols))
    return list(found.pop()) if len(found) == 1 else None
