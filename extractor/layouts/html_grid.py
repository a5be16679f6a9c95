"""Filing-document <table>s: grid from colspan/rowspan, "$" / ")" / "%" cells merged into
their numbers, spacer columns dropped, multi-row headers rebuilt into one header per
column, and a decision whether the table holds data at all (most filing tables are layout).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..models import Cell, CellKind, Row, SourceSpan
from ..numbers import cell_kind, currency_of, is_year, parse_cell, split_label_notes
from ..periods import years_in
from .html_dom import Locator, norm, number_token, tag_of, visible_text

CURRENCY_ONLY = {"$": "USD", "US$": "USD", "€": "EUR", "¥": "CNY", "RMB": "CNY", "£": "GBP",
                 "HK$": "HKD", "EUR": "EUR", "Ps.": "MXN", "R$": "BRL", "C$": "CAD"}
_CLOSERS = {")", ")%", "%)", "%", ") %"}
_MEMBER = re.compile(r"\[(?:Member|Axis|Domain)\]")
_RULE = re.compile(r"^[-=_—–\s]{3,}$")
_MARKER = re.compile(r"^(\((\d|[a-z])\)|\*+|\[\d{1,2}\])$")
MAX_SPAN = 60
_VALUE_KINDS = (CellKind.number, CellKind.dash, CellKind.nil)


@dataclass
class Tok:
    text: str
    start: int
    end: int
    el: object
    notes: list[str] = field(default_factory=list)
    currency: str | None = None
    # what the text is, set once its text is final (by _classified); the grid code asks often
    is_value: bool = False
    is_marker: bool = False

    def cell(self) -> Cell:
        """The token's Cell (built only for the few tokens that end up in a row)."""
        cell = parse_cell(self.text)
        if self.notes:
            cell.notes = cell.notes + self.notes
        if cell.currency is None and self.currency:
            cell.currency = self.currency
        return cell


@dataclass
class GridRow:
    tr: object
    toks: list[Tok]
    kind: str = "data"  # data | header | yearrow | section | empty


@dataclass
class Grid:
    rows: list[GridRow]
    groups: list[list[int]] = field(default_factory=list)  # value positions per column
    ranges: list[tuple[int, int]] = field(default_factory=list)


def table_rows(table) -> list:
    """The table's own <tr>s (not those of nested tables)."""
    out = []
    for child in table:
        t = tag_of(child)
        if t == "tr":
            out.append(child)
        elif t in ("thead", "tbody", "tfoot"):
            out.extend(c for c in child if tag_of(c) == "tr")
    return out


def _span(el, name: str) -> int:
    v = el.get(name)
    if v is None or v == "1":
        return 1
    try:
        return max(1, min(MAX_SPAN, int(v.strip() or 1)))
    except ValueError:
        return 1


def build_rows(table, merge: bool = True) -> list[GridRow]:
    """Grid rows of origin-cell tokens with their column positions (colspan/rowspan aware);
    merged and parsed, or with `merge=False` the raw tokens (R pages read the cells themselves)."""
    occupied: set[tuple[int, int]] = set()  # grid slots taken by rowspans from rows above
    carried: dict[int, list[Tok]] = {}
    rows: list[GridRow] = []
    for r, tr in enumerate(table_rows(table)):
        c = 0
        toks: list[Tok] = list(carried.pop(r, []))
        for cell in tr:
            if tag_of(cell) not in ("td", "th"):
                continue
            while occupied and (r, c) in occupied:
                c += 1
            cs, rs = _span(cell, "colspan"), _span(cell, "rowspan")
            for dr in range(1, rs):
                for dc in range(cs):
                    occupied.add((r + dr, c + dc))
            text, notes = visible_text(cell)
            if text or notes:
                toks.append(Tok(text, c, c + cs - 1, cell, notes))
                if rs > 1 and c == 0:  # a category spanning rows labels each of them
                    for dr in range(1, rs):
                        carried.setdefault(r + dr, []).append(Tok(text, 0, cs - 1, cell))
            c += cs
        rows.append(GridRow(tr, merge_tokens(toks) if merge else toks))
    return rows


def _classified(toks: list[Tok]) -> list[Tok]:
    """Set each token's is_value / is_marker (its text is final)."""
    for t in toks:
        text = t.text
        label = len(text) > 20 and not any(map(str.isdigit, text))  # no need to try it as a number
        t.is_value = not label and cell_kind(text) in _VALUE_KINDS
        t.is_marker = bool(_MARKER.match(text)) and "," not in text
    return toks


def merge_tokens(toks: list[Tok]) -> list[Tok]:
    """Fold "$" cells into the next token and ")" / "%" cells into the previous one."""
    out: list[Tok] = []
    pending: Tok | None = None
    for t in toks:
        if _RULE.match(t.text) and not t.notes:
            continue
        if t.text in CURRENCY_ONLY:
            pending = t
            continue
        if t.text in _CLOSERS and out:
            out[-1].text = out[-1].text + t.text.replace(" ", "")
            out[-1].end = t.end
            continue
        if pending is not None:
            t.currency = CURRENCY_ONLY[pending.text]
            t.start = min(t.start, pending.start)
            pending = None
        out.append(t)
    return _classified(out)


def classify(rows: list[GridRow]) -> Grid:
    """Mark year rows, find the value positions and group them into columns."""
    in_head = True  # above the first row with a real (non-year) number
    for gr in rows:
        vals = [t for t in gr.toks if t.start > 0 and t.is_value]
        label = [t for t in gr.toks if t.start == 0]
        years = bool(vals) and all(is_year(t.text) for t in vals)
        in_head = in_head and (not vals or years)
        if not gr.toks:
            gr.kind = "empty"
        elif years and (not label or in_head):
            gr.kind = "yearrow"
        elif not any(t.is_value and not t.is_marker for t in gr.toks if t.start > 0):
            gr.kind = "text"  # may turn out to be data: see below
    positions: dict[int, set[int]] = {}
    for i, gr in enumerate(rows):
        if gr.kind != "data":
            continue
        for t in gr.toks:
            if t.start > 0 and t.is_value and not t.is_marker:
                positions.setdefault(t.end, set()).add(i)
    def in_column(t: Tok) -> bool:
        return t.start > 0 and t.is_marker and any(p in positions for p in (t.end - 1, t.end, t.end + 1))

    for i, gr in enumerate(rows):  # "(5)" alone in a value column is a value, not a marker
        if gr.kind == "text" and any(in_column(t) for t in gr.toks):
            gr.kind = "data"
            for t in gr.toks:
                if in_column(t):
                    positions.setdefault(t.end, set()).add(i)
    grid = Grid(rows)
    if not positions:
        return grid
    first = min(i for s in positions.values() for i in s)
    lo = min(positions)
    for i, gr in enumerate(rows):
        if i < first and gr.kind in ("text", "yearrow"):
            gr.kind = "header"
        elif gr.kind == "text":
            gr.kind = "section"
    for gr in reversed(rows[:first]):  # label-only lines just above the data set its section
        if gr.kind == "empty":
            continue
        if gr.kind != "header" or any(t.end >= lo for t in gr.toks):
            break
        gr.kind = "section"
    _group(grid, positions)
    return grid


def _header_key(header_rows: list[GridRow], p: int) -> tuple:
    return tuple(next((id(t) for t in gr.toks if t.start <= p <= t.end and t.start > 0), None)
                 for gr in header_rows)


def _compatible(a: tuple, b: tuple) -> bool:
    return all(x == y or x is None or y is None for x, y in zip(a, b))


def _group(grid: Grid, positions: dict[int, set[int]]) -> None:
    groups: list[list[int]] = []
    rows_of: list[set[int]] = []
    header_rows = [gr for gr in grid.rows if gr.kind == "header"]
    keys: dict[int, tuple] = {}

    def key(p: int) -> tuple:
        if p not in keys:
            keys[p] = _header_key(header_rows, p)
        return keys[p]

    for p in sorted(positions):
        if groups:
            last = groups[-1][-1]
            if p - last <= 3 and not (rows_of[-1] & positions[p]) and _compatible(key(last), key(p)):
                groups[-1].append(p)
                rows_of[-1] |= positions[p]
                continue
        groups.append([p])
        rows_of.append(set(positions[p]))
    grid.groups = groups
    group_of = {p: k for k, g in enumerate(groups) for p in g}
    lows = [g[0] for g in groups]  # a column starts where its widest value starts
    for gr in grid.rows:
        if gr.kind == "data":
            for t in gr.toks:
                k = group_of.get(t.end)
                if k is not None and t.is_value:
                    lows[k] = min(lows[k], t.start)
    ranges = [(lo, g[-1]) for lo, g in zip(lows, groups)]
    # a column's range never reaches into the previous column
    for k in range(1, len(ranges)):
        lo, hi = ranges[k]
        ranges[k] = (max(lo, ranges[k - 1][1] + 1), hi)
    grid.ranges = ranges


def headers(grid: Grid) -> tuple[list[str], list[str]]:
    """One header text per column (top to bottom) and the in-table texts that are not headers
    (a title row spanning the table, "(In millions)" in the label column)."""
    texts: list[list[str]] = [[] for _ in grid.groups]
    other: list[str] = []
    first_value = grid.ranges[0][0] if grid.ranges else 1
    for gr in grid.rows:
        if gr.kind != "header":
            continue
        got: set[int] = set()
        for t in gr.toks:
            hits = [k for k, (lo, hi) in enumerate(grid.ranges) if t.start <= hi and t.end >= lo]
            if t.start < first_value and (not hits or len(hits) == len(grid.ranges) and len(hits) > 1):
                other.append(t.text)
                continue
            if not hits:
                hits = _nearest(grid.ranges, t, got)
            for k in hits:
                texts[k].append(t.text)
                got.add(k)
    return [_join(ts) for ts in texts], other


def _nearest(ranges: list[tuple[int, int]], t: Tok, taken: set[int]) -> list[int]:
    best, dist = None, 99
    for k, (lo, hi) in enumerate(ranges):
        d = lo - t.end if t.end < lo else t.start - hi
        if d < dist and k not in taken:
            best, dist = k, d
    return [best] if best is not None and dist <= 2 else []


def _join(parts: list[str]) -> str:
    out: list[str] = []
    for p in parts:
        if not out or out[-1] != p:
            out.append(p)
    return norm(" ".join(out))


@dataclass
class Headings:
    """What label-only lines set: the section (a period line stacks with the headings under
    it: "Year Ended June 30, 1999 — Accounts Receivable:") and a "[Member]" path."""

    section: str | None = None
    members: list[str] = field(default_factory=list)
    stackable: bool = False

    def see(self, label: str) -> None:
        if _MEMBER.search(label):
            self.members = [m.strip() for m in label.split(" | ") if m.strip()]
            self.section, self.stackable = None, False
            return
        self.section = f"{self.section} — {label}" if self.stackable and self.section else label
        self.stackable = self.stackable or bool(years_in(label))


def body_rows(grid: Grid, loc: Locator) -> tuple[list[Row], list[str]]:
    """Data rows with one cell per column; label-only rows set the section."""
    rows: list[Row] = []
    heads = Headings()
    dropped: list[str] = []
    first_value = grid.ranges[0][0] if grid.ranges else 1
    column_at: dict[int, int] = {}  # a token's end -> the first column with it as a value position or in range
    for k, (g, (lo, hi)) in enumerate(zip(grid.groups, grid.ranges)):
        for p in [*g, *range(lo, hi + 1)]:
            column_at.setdefault(p, k)
    for gr in grid.rows:
        if gr.kind in ("header", "empty", "yearrow"):
            continue
        label_toks = [t for t in gr.toks if _in_label(t, first_value)]
        marks = [t for t in label_toks if t.is_marker and t.start > 0]
        label_toks = [t for t in label_toks if not (t.is_marker and t.start > 0)]
        label_raw = norm(" ".join(t.text for t in label_toks))
        label, notes = split_label_notes(label_raw)
        for t in label_toks:
            notes += t.notes
        notes += [t.text.strip("()[]") for t in marks]
        if gr.kind == "section":
            if label:
                heads.see(label)
            continue
        cells: list[Cell | None] = [None] * len(grid.groups)  # None: missing (made at the end)
        for t in gr.toks:
            if _in_label(t, first_value):
                continue  # a label token or one of its marks
            k = column_at.get(t.end)
            if k is None:
                if t.is_marker:
                    notes.append(t.text.strip("()"))
                elif t.is_value:
                    dropped.append(f"row {label!r}: value {t.text!r} outside every column")
                continue
            if not t.is_value or (t.is_marker and cells[k] is not None and cells[k].value is not None):
                if t.is_marker:
                    notes.append(t.text.strip("()[]"))
                continue
            cell = t.cell()
            cell.source = loc.span(t.el, number_token(t.text))
            cells[k] = cell
        cells = [c if c is not None else Cell(kind=CellKind.missing) for c in cells]
        line = gr.tr.sourceline or 1
        rows.append(Row(index=len(rows), label=label, section=heads.section, members=list(heads.members),
                        cells=cells, notes=notes, source=row_span(line, cells)))
        heads.stackable = False
    return rows, dropped


def _in_label(t: Tok, first_value: int) -> bool:
    """Left of the first value column, or a non-value in the label column."""
    return t.end < first_value or (t.start == 0 and not t.is_value)


def row_span(line: int, cells: list[Cell]) -> SourceSpan:
    start = end = line
    for c in cells:
        if c.source:
            start = min(start, c.source.line_start)
            end = max(end, c.source.line_end)
    return SourceSpan(line_start=start, line_end=end)


_STATED_MARK = re.compile(r"(US\$|RMB|USD|EUR|CNY|[$¥€£])\s*in\s+(?:thousands|millions|billions)", re.IGNORECASE)
_STATED_WORD = re.compile(r"in\s+(?:thousand|million|billion)s?\s+(?:of\s+)?(U\.S\.\s+dollars|dollars|euros?|yuan|"
                          r"renminbi|EUR|USD|RMB|CNY)\b", re.IGNORECASE)
_WORD_CODES = {"dollars": "USD", "u.s. dollars": "USD", "euro": "EUR", "euros": "EUR", "yuan": "CNY",
               "renminbi": "CNY", "eur": "EUR", "usd": "USD", "rmb": "CNY", "cny": "CNY"}


def table_currency(rows: list[Row], extra_text: str) -> str | None:
    """One currency for the table: the marks on its cells, else a stated '$ in thousands'."""
    codes = {c.currency for r in rows for c in r.cells if c.currency}
    if len(codes) == 1:
        return codes.pop()
    if codes:
        return None
    m = _STATED_MARK.search(extra_text)
    if m:
        return currency_of(m.group(1))
    m = _STATED_WORD.search(extra_text)
    return _WORD_CODES.get(" ".join(m.group(1).lower().split())) if m else None


def is_data(grid: Grid, rows: list[Row]) -> bool:
    """At least two numbers in labelled rows, and not a table of contents (page numbers)."""
    numbers = [c for r in rows for c in r.cells if c.kind == CellKind.number]
    if len(numbers) < 2 or not grid.groups:
        return False
    if not any(r.label for r in rows if any(c.kind == CellKind.number for c in r.cells)):
        return False
    first = [r.cells[0].value for r in rows if r.cells and r.cells[0].value is not None]
    small = all(abs(c.value) < 1000 and "," not in c.raw for c in numbers)
    integral = all(c.value == c.value.to_integral_value() for c in numbers)
    if small and (integral or len(grid.groups) == 1) and len(first) >= 3 and first == sorted(first):
        return False  # page or exhibit numbers (a table of contents, an exhibit index)
    return True

