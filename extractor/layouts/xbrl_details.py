"""XBRL viewer "Details" R pages flattened to text, one HTML cell per "|"-led line (seeds 002, 003).

    |                                   <- the title cell opens
    SUMMARY OF ... (Details) - ...      <- title
    ¥ in Thousands, $ in Thousands      <- scale
    |12 Months Ended                    <- a spanning header (colspan lost)
    |                                   <- a column header cell: date, currency, unit words
    Dec. 31, 2019
    CNY (¥)
    ...
    |Total net revenue                  <- a row label, then its value lines
    |¥ 9,219,847
    |[1]                                <- a footnote on the value above
    |Credit driven services [Member]    <- a member line: sets the member path of what follows
    |X                                  <- the definitions block: not data

Empty cells were dropped, so a row with fewer values than columns does not say where its
values belong. This module places a value only where STRUCTURE proves its column (currency
marks, a "| $" / "| item" row marker, a flow concept that cannot sit in an instant column,
column order); everything else stays in ``Row.extra`` as ``ambiguous`` with candidate
columns, for ``extractor.align`` to settle by arithmetic. It never guesses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from ..align import assignments, set_placements
from ..kinds import not_an_amount, role_of
from ..models import Cell, CellKind, Column, Layout, Row, SourceSpan, Status, Table
from ..numbers import BOOLS, currency_of, is_value_token, parse_cell, parse_scale, split_label_notes
from ..periods import duration_months, find_dates, parse_period
from ..read import Source

LAYOUT = Layout.xbrl_details

_CURRENCY_HEAD = re.compile(r"^([A-Z]{3})\s*\((.{1,4})\)$")
_NOTE_LINE = re.compile(r"^\[(\d{1,2}|[a-z*])\]$")
_UNIT_MARK = re.compile(r"^(?:[$¥€£]|[A-Z]{3}|[a-z]{1,8}|shares|pure)$")
_TITLE_CURRENCY = re.compile(r"-\s*([A-Z]{3})\s*\((\S{1,4})\)\s*$|\(([A-Z]{3})\s+(\S{1,4})\)\s*$")
_DEFINITIONS = re.compile(r"^\|?\s*X\s*$")
_MEMBER_MARK = re.compile(r"\[(Member|Axis)\]")
_FLOW_ROLES = ("provision", "writeoff", "recovery", "revenue")
_FLOW_WORDS = re.compile(r"\b(income|expenses?|costs?|gains?|loss(es)?|proceeds|payments?)\b", re.I)
_STOCK_WORDS = re.compile(r"obligation|remaining|balance|receivable|payable|deferred|unearned|accrued|"
                          r"accumulated|retained|assets?\b|liabilit|allowance|reserve|expedient|"
                          r"outstanding|authori[sz]ed", re.I)


class _Line(NamedTuple):
    no: int  # 1-based line number
    start: int  # char offset of the line
    text: str  # without the leading "|"
    piped: bool


@dataclass
class _Entry:
    """A label line and the value lines under it."""

    line: _Line
    values: list[Cell] = field(default_factory=list)
    kind: str = "row"  # row | heading | member


_MEMO_KEY = "xbrl_details.lines"


def _lines(source: Source, limit: int | None = None) -> list[_Line]:
    """The first ``limit`` lines (all by default). The full list is kept in ``source.memo``
    between score() and parse(); nothing mutates it."""
    memo = getattr(source, "memo", None)
    if memo is not None and _MEMO_KEY in memo:
        return memo[_MEMO_KEY][:limit]
    starts = source.line_starts
    n = len(starts) if limit is None else min(limit, len(starts))
    texts = source.text.split("\n", n)  # line k (1-based) is texts[k - 1], as Source.line_text gives it
    out = [_Line(k, start + 1, raw[1:], True) if raw.startswith("|") else _Line(k, start, raw, False)
           for k, raw, start in zip(range(1, n + 1), texts, starts)]
    if memo is not None and n == len(starts):
        memo[_MEMO_KEY] = out
    return out


# ---------------------------------------------------------------- detection


def score(source: Source) -> float:
    """High for a flattened R page: a title, a dated header block of '|' cells, '|'-led rows."""
    if source.n_lines < 6:
        return 0.0
    head = _lines(source, 64)  # a header that ends inside these lines is decided by them
    _, _, i = _title_block(head)
    _, cells, j = _header(head, i)
    if (j < len(head) or _spoilt(cells)) and not _valid_header(cells):
        return 0.0
    lines = _lines(source, 4000)
    _, _, i = _title_block(lines)
    _, cells, j = _header(lines, i)
    if not _valid_header(cells) or j >= len(lines) or not lines[j].piped:
        return 0.0
    body = lines[j:j + 400]
    piped = sum(1 for ln in body if ln.piped) / len(body)
    defs = any(ln.text.strip() in ("- Definition", "+ References", "+ Details") for ln in lines)
    marks = any(_MEMBER_MARK.search(ln.text) or "[Line Items]" in ln.text for ln in lines)
    return round(0.5 + 0.3 * piped + 0.1 * defs + 0.1 * marks, 3)


def _valid_header(cells: list[list[str]]) -> bool:
    """Every column cell is a short date (plus currency / unit words)."""
    return bool(cells) and all(_valid_cell(c) for c in cells)


def _valid_cell(c: list[str]) -> bool:
    return bool(c) and len(c) <= 4 and bool(find_dates(c[0])) and len(c[0]) < 40


def _spoilt(cells: list[list[str]]) -> bool:
    """A header read so far that no further line can make valid: reading on only adds lines to
    its last cell, adds cells or drops an empty last cell, so a non-empty invalid cell stays."""
    return any(c and not _valid_cell(c) for c in cells)


# ---------------------------------------------------------------- header


def _title_block(lines: list[_Line]) -> tuple[str, str, int]:
    """(title, scale line, index of the first header line)."""
    i = 0
    while i < len(lines) and not lines[i].text.strip():
        i += 1
    title = lines[i].text.strip() if i < len(lines) else ""
    i += 1
    scale = ""
    if i < len(lines) and not lines[i].piped and not find_dates(lines[i].text):
        scale = lines[i].text.strip()
        i += 1
    return title, scale, i


def _header(lines: list[_Line], i: int) -> tuple[list[str], list[list[str]], int]:
    """Spanning headers (in order, '' for an empty one), column cells (their lines), data start."""
    spans: list[str] = []
    cells: list[list[str]] = []
    cur: list[str] | None = None
    while i < len(lines):
        ln = lines[i]
        t = ln.text.strip()
        if not ln.piped:
            if cur is None:
                break
            if t:
                cur.append(t)
        elif not t:
            if cur is not None and not cur:  # "|" then "|": the previous cell was an empty span
                cells.pop()
                spans.append("")
            cur = []
            cells.append(cur)
        elif duration_months(t) and not find_dates(t) and not cells:
            spans.append(t)
            cur = None
        elif find_dates(t) and len(t) < 40:
            cur = [t]
            cells.append(cur)
        else:
            break
        i += 1
    if cur is not None and not cur and cells:
        cells.pop()
        spans.append("")
    return spans, cells, i


def _groups(dates: list, currencies: list[str | None]) -> list[int]:
    """Group index of each column: a repeated (date, currency) or a later date starts a new group."""
    out, g, seen = [], 0, set()
    for j, (d, c) in enumerate(zip(dates, currencies)):
        if j and ((d, c) in seen or (d and dates[j - 1] and d > dates[j - 1])):
            g += 1
            seen = set()
        seen.add((d, c))
        out.append(g)
    return out


def _columns(spans: list[str], cells: list[list[str]]) -> tuple[list[Column], list[str]]:
    warnings: list[str] = []
    dates = [(find_dates(" ".join(c)) or [None])[0] for c in cells]
    currencies = [_cell_currency(c) for c in cells]
    groups = _groups(dates, currencies)
    n_groups = max(groups) + 1 if groups else 0
    if spans and len(spans) != n_groups:
        covered = sum(1 for g in groups if g < len(spans))
        warnings.append(f"{len(spans)} spanning header(s) ({', '.join(repr(x) for x in spans)}) over {n_groups} "
                        f"column group(s) (a group ends where the dates restart): read the first {covered} "
                        f"column(s) under them, the other {len(groups) - covered} as instants")
    cols = []
    for j, c in enumerate(cells):
        span = spans[groups[j]] if groups[j] < len(spans) else ""
        text = " ".join([span] + c).strip()
        period = parse_period(text, months=duration_months(span) if span else None)
        units = [x for x in c if not find_dates(x) and not _CURRENCY_HEAD.match(x)]
        cols.append(Column(index=j, header=text, period=period, currency=currencies[j],
                           unit=" ".join(units) or None))
    return cols, warnings


def _cell_currency(lines: list[str]) -> str | None:
    for x in lines:
        m = _CURRENCY_HEAD.match(x)
        if m:
            return m.group(1)
    return None


# ---------------------------------------------------------------- body


def _value_cell(source: Source, ln: _Line) -> Cell | None:
    """A value line's Cell (with its span), or None when the line is a label."""
    t = ln.text.strip()
    if t.lower() in BOOLS:
        return Cell(raw=t, kind=CellKind.text, source=_value_span(source, ln))
    if not is_value_token(t):
        return None
    return parse_cell(t, source=_value_span(source, ln))


def _value_span(source: Source, ln: _Line) -> SourceSpan:
    """What ``source.span`` gives for the value text, which never leaves its line."""
    return SourceSpan(line_start=ln.no, line_end=ln.no, char_start=ln.start, char_end=ln.start + len(ln.text.rstrip()))


def _entries(source: Source, lines: list[_Line]) -> tuple[list[_Entry], int]:
    """Label entries with their values, up to the definitions block; returns (entries, last line)."""
    entries: list[_Entry] = []
    last = lines[0].no if lines else 1
    for ln in lines:
        if not ln.piped or _DEFINITIONS.match(ln.text):
            break
        t = ln.text.strip()
        last = ln.no
        if _NOTE_LINE.match(t) and entries and entries[-1].values:
            entries[-1].values[-1].notes.append(t[1:-1])
            continue
        cell = _value_cell(source, ln) if entries else None
        if cell is not None:
            entries[-1].values.append(cell)
        elif t:
            entries.append(_Entry(ln))
    return entries, last


def _parts(label: str) -> tuple[list[str], str | None]:
    """'Total | $' -> (['Total'], '$'); 'A [Member] | B [Member]' -> (both, None)."""
    parts = [p.strip() for p in label.split(" | ")]
    if len(parts) > 1 and _UNIT_MARK.match(parts[-1]):
        return parts[:-1], parts[-1]
    return parts, None


def _explicit_member(e: _Entry) -> bool:
    parts, unit = _parts(e.line.text.strip())
    return not e.values and unit is None and (bool(_MEMBER_MARK.search(e.line.text)) or len(parts) > 1)


def _classify(entries: list[_Entry]) -> None:
    """Mark each entry row / heading / member (a member line sets the path of the rows under it).

    Member lines are marked ("[Member]", "[Axis]", "A | B" paths) or restart the page's line-item
    structure: a bare label followed by a heading of the default (member-less) part of the page.
    A value-less label followed by a row is a heading; one followed by a member line is an empty row.
    """
    first = next((k for k, e in enumerate(entries) if _explicit_member(e)), len(entries))
    heads = {e.line.text.strip() for k, e in enumerate(entries[:first]) if not e.values and k + 1 < first}
    for k, e in enumerate(entries):
        if e.values:
            e.kind = "row"
        elif _is_member(entries, k, heads):
            e.kind = "member"
        elif k + 1 < len(entries) and not _is_member(entries, k + 1, heads):
            e.kind = "heading"
        else:
            e.kind = "row"


def _is_member(entries: list[_Entry], k: int, heads: set[str]) -> bool:
    e = entries[k]
    if e.values:
        return False
    if _explicit_member(e):
        return True
    nxt = entries[k + 1] if k + 1 < len(entries) else None
    return (nxt is not None and not nxt.values and e.line.text.strip() not in heads
            and nxt.line.text.strip() in heads)


def _is_flow(label: str) -> bool:
    """A concept measured over a period (it cannot be shown in an instant column)."""
    if not_an_amount(label) or _STOCK_WORDS.search(label):
        return False
    return role_of(label) in _FLOW_ROLES or bool(_FLOW_WORDS.search(label))


def allowed_columns(cell: Cell, columns: list[Column], unit_mark: str | None, mark_cur: str | None,
                    flow: bool) -> list[int]:
    """The columns a value may sit in, by structure alone (``mark_cur``: the currency the row's
    unit mark names)."""
    ok = list(range(len(columns)))
    cur = cell.currency or mark_cur
    if cur and any(c.currency for c in columns):
        ok = [j for j in ok if columns[j].currency == cur]
    if unit_mark and not mark_cur and any(c.unit for c in columns):
        ok = [j for j in ok if unit_mark in (columns[j].unit or "").split()]
    if flow and cell.value is not None and cell.unit is None:
        durations = [j for j, c in enumerate(columns) if c.period is None or c.period.kind == "duration"]
        if 0 < len(durations) < len(columns):
            ok = [j for j in ok if j in durations]
    return ok


def mark_currency(text: str, symbols: dict[str, str]) -> str | None:
    """The currency a value's mark names: the page's own symbols first ("¥" may be JPY), longest first."""
    t = text.strip().lstrip("(-−").strip()
    for sym in sorted(symbols, key=len, reverse=True):
        if t.startswith(sym):
            return symbols[sym]
    return currency_of(t) if t[:1] in "$¥€£" or t[:3].isalpha() and t[:3].isupper() else None


def title_currency(title: str) -> tuple[str, str] | None:
    """('USD', '$') from a page title ending "- USD ($)" (or "(USD $)" in older renderings)."""
    m = _TITLE_CURRENCY.search(title)
    if not m:
        return None
    return (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))


def header_symbols(cells: list[list[str]]) -> dict[str, str]:
    """{"¥": "CNY", "$": "USD"} from header lines such as "CNY (¥)", "USD ($)"."""
    out = {}
    for c in cells:
        for x in c:
            m = _CURRENCY_HEAD.match(x)
            if m:
                out[m.group(2)] = m.group(1)
    return out


def place_row(row: Row, values: list[Cell], columns: list[Column], unit_mark: str | None,
              symbols: dict[str, str] | None = None) -> str | None:
    """Fill row.cells / row.extra; return a warning when the structure contradicts itself."""
    flow = _is_flow(row.label)
    row_currency = mark_currency(unit_mark, symbols or {}) if unit_mark else None
    for c in values:
        if c.value is None:
            continue
        c.currency = mark_currency(c.raw, symbols or {}) or row_currency
        if unit_mark and not row_currency and c.unit is None:
            c.unit = unit_mark
    allowed = [allowed_columns(c, columns, unit_mark, row_currency, flow) for c in values]
    valid = assignments(allowed, len(columns))
    set_placements(row, values, valid, len(columns), fallback=allowed)
    if valid or not values:
        return None
    return (f"row {row.index} {row.label!r}: no column order fits its {len(values)} value(s) "
            "and their currency/unit marks; left ambiguous")


def _build_rows(entries: list[_Entry], columns: list[Column],
                symbols: dict[str, str]) -> tuple[list[Row], list[str]]:
    rows: list[Row] = []
    warnings: list[str] = []
    members: list[str] = []
    section: str | None = None
    for e in entries:
        text = e.line.text.strip()
        if e.kind == "member":
            members, section = _parts(text)[0], None
            continue
        if e.kind == "heading":
            section = text
            continue
        parts, unit = _parts(text)
        label, notes = split_label_notes(" | ".join(parts))
        row = Row(index=len(rows), label=" ".join(label.split()), members=list(members), section=section,
                  notes=notes, source=_row_span(e))
        w = place_row(row, e.values, columns, unit, symbols)
        if w:
            warnings.append(w)
        rows.append(row)
    return rows, warnings


def _row_span(e: _Entry) -> SourceSpan:
    """From the label line to the last value line."""
    last = e.values[-1].source if e.values else None
    return SourceSpan(line_start=e.line.no, line_end=last.line_end if last else e.line.no,
                      char_start=e.line.start, char_end=last.char_end if last else e.line.start + len(e.line.text))


def parse(source: Source) -> list[Table]:
    """Every R page in the text (pages may follow each other after their definitions blocks)."""
    lines = _lines(source)
    tables: list[Table] = []
    k = 0
    while k < len(lines):
        table, end = _parse_page(source, lines, k)
        if table is not None:
            tables.append(table)
            k = end + 1
        else:
            k = _next_page_start(lines, k + 1)
    return tables


def _next_page_start(lines: list[_Line], k: int) -> int:
    """The next line that could open a page: a '|' line followed by a line without one."""
    while k < len(lines) - 1:
        if lines[k].piped and not lines[k].text.strip() and not lines[k + 1].piped:
            return k
        k += 1
    return len(lines)


def _parse_page(source: Source, lines: list[_Line], start: int) -> tuple[Table | None, int]:
    """One page from line index `start`: (table or None, index of its last data line)."""
    title, scale_text, i = _title_block(lines[start:])
    spans, cells, j = _header(lines[start:], i)
    if not _valid_header(cells):
        return None, start
    columns, warnings = _columns(spans, cells)
    entries, last = _entries(source, lines[start + j:])
    _classify(entries)
    page_currency = title_currency(title)
    symbols = header_symbols(cells)
    if page_currency:
        symbols.setdefault(page_currency[1], page_currency[0])
    rows, row_warnings = _build_rows(entries, columns, symbols)
    scale, scale_word = parse_scale(scale_text)
    currencies = {c.currency for c in columns if c.currency} or ({page_currency[0]} if page_currency else set())
    table = Table(doc=source.doc, table_id="t1", title=title, layout=LAYOUT, kind="xbrl_details",
                  scale=scale, scale_text=scale_word or scale_text,
                  currency=currencies.pop() if len(currencies) == 1 else None,
                  columns=columns, rows=rows, warnings=warnings + row_warnings,
                  source=source.line_span(lines[start].no, max(lines[start].no, last)))
    if any(r.extra for r in rows):
        table.status = Status.ambiguous
    return table, last - 1
