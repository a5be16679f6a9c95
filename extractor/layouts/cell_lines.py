"""One cell per line, empty cells dropped (seed 001).

A table arrives as a run of short header fragments in row-major order, then rows: a label
line followed by one line per value. Blank lines and bare ``|`` lines may separate anything.
Nothing says where a header row ends or which column a fragment sits over, so both are
rebuilt from structure:

* the column count ``n`` is the number of values that follow each label;
* header cells are bottom-aligned and contiguous within a column (as HTML draws them),
  so a header is fixed by the height of each column's fragment stack (plus, optionally, a
  label-column fragment in the bottom row, a first fragment spanning every column, and a
  trailing period line such as "As of December 31, 2021" under year columns); every
  reading is scored by continuity (a lower-case fragment continues the one above it; one
  ending in "for", "of", "," continues below; "December 31," needs its year) and by
  agreement between the header's words and the column's arithmetic (the negative column
  is the allowance, the column that foots the others is the net / total / ending balance);
* a tie between different headers is a table warning (status ambiguous), never a guess;
* a row with fewer values than columns is placed only when exactly one placement foots,
  else its values stay unplaced (ambiguous); a table at the end of the input that may be
  cut off says so;
* periods come from the headers (movement: opening instant, flows from opening to ending,
  ending instant), never from the prose; prose dates that disagree are warned about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from itertools import combinations

from ..models import Cell, CellKind, Column, Layout, Period, Row, Status, Table
from ..numbers import (CURRENCY_MARKS, currency_of, is_year, join_split_negatives, kind_and_unit,
                       last_digit_unit, parse_cell, parse_scale, split_label_notes)
from ..periods import duration_months, find_dates, instant, parse_period
from ..read import Source
from . import textutil as tu
from .cell_headers import _Arith, _has_full_date, _role, _solve_header, _starts_lower

LAYOUT = Layout.cell_lines

_VALUE_KINDS = (CellKind.number, CellKind.dash, CellKind.nil)
_CONTINUED = re.compile(r"\s*[-–—]\s*\(?continued\)?\s*$", re.IGNORECASE)
_NOTE_HEADING = re.compile(r"^(note\s+)?\d{1,2}\s*[.:—–-]\s*[A-Z]", re.IGNORECASE)
_TOTAL = re.compile(r"^\s*total\b", re.IGNORECASE)
_ASCII_LOWER = re.compile(r"[a-z]")


# ---------------------------------------------------------------------------- tokens


@dataclass(slots=True)
class _Tok:
    kind: str  # "bar" | "value" | "unit" (a value with a unit word) | "year" | "text"
    text: str
    start: int  # char offsets of the stripped text in Source.text
    end: int
    piped: bool = False  # the line began with "|" (a decorated heading)


@dataclass
class _Rec:
    """A label (text or year token) and the value tokens that follow it."""

    tok: _Tok | None
    values: list[_Tok] = field(default_factory=list)
    role: str = "fragment"  # "fragment" | "prose" | "heading" | "data"


@lru_cache(maxsize=65536)
def _classify(text: str) -> str:
    if is_year(text):
        return "year"
    kind, unit = kind_and_unit(text)
    if kind in _VALUE_KINDS:
        return "unit" if unit in ("days", "months", "years", "items") else "value"
    return "text"


def _settle_units(toks: list[_Tok]) -> list[_Tok]:
    """"30 days" is a value next to a plain value; otherwise it may be a header fragment
    ("Less than / 30 days / past due"), which ``_demote_units`` decides from the rows around."""
    real = [t for t in toks if t.kind != "bar"]
    for i, t in enumerate(real):
        if t.kind != "unit":
            continue
        if any(real[k].kind == "value" for k in (i - 1, i + 1) if 0 <= k < len(real)):
            t.kind = "value"
    return toks


def _demote_units(recs: list[_Rec]) -> list[_Rec]:
    """A row of "30 days", "90 days" between header fragments is header text, not a row."""
    out: list[_Rec] = []
    for i, r in enumerate(recs):
        nxt = recs[i + 1] if i + 1 < len(recs) else None
        units = r.role == "data" and r.tok is not None and all(v.kind == "unit" for v in r.values)
        if units and (not out or out[-1].role != "data") and nxt is not None and nxt.role == "fragment":
            out += [_Rec(r.tok)] + [_Rec(_Tok("text", v.text, v.start, v.end)) for v in r.values]
        else:
            out.append(r)
    return out


def _tokens(source: Source) -> list[_Tok]:
    toks: list[_Tok] = []
    pos = 0
    lines = source.text.split("\n")
    noise = tu.noise_lines(lines)
    for n, line in enumerate(lines):
        start, pos = pos, pos + len(line) + 1
        stripped = line.strip()
        if not stripped or n + 1 in noise:
            continue
        a = start + len(line) - len(line.lstrip())
        toks += [_Tok(kind, text, a + s, a + e, piped) for kind, text, s, e, piped in _line_tokens(stripped)]
    return _settle_units(_join_marks(_join_negatives(toks)))


@lru_cache(maxsize=65536)
def _line_tokens(stripped: str) -> tuple[tuple[str, str, int, int, bool], ...]:
    """(kind, text, start, end, piped) of the tokens of one stripped line, offsets from its start."""
    pieces = tu.value_pieces(stripped)
    if pieces:
        return tuple((_classify(p), p, s, e, False) for s, e, p in pieces)
    stripped = tu.ocr_number(stripped) or stripped
    if set(stripped) <= {"|", " "}:
        return (("bar", stripped, 0, len(stripped), False),)
    a, piped = 0, stripped.startswith("|")
    if piped:
        body = stripped.lstrip("| ")
        a += len(stripped) - len(body)
        stripped = body
    return ((_classify(stripped), stripped, a, a + len(stripped), piped),)


def _join_negatives(toks: list[_Tok]) -> list[_Tok]:
    """'(499' then ')' on the next line -> one value token spanning both lines."""
    out: list[_Tok] = []
    for t in toks:
        k = _last_real(out) if t.text == ")" else None
        if k is not None and len(join_split_negatives([out[k].text, t.text])) == 1:
            text = join_split_negatives([out[k].text, t.text])[0]
            out[k:] = [_Tok(_classify(text), text, out[k].start, t.end)]
            continue
        out.append(t)
    return out


def _last_real(out: list[_Tok]) -> int | None:
    """Index of the last token that is not a separator bar."""
    for i in range(len(out) - 1, -1, -1):
        if out[i].kind != "bar":
            return i
    return None


_MARKS = {mark for mark, _ in CURRENCY_MARKS}
_FOOTNOTE = re.compile(r"^(\[\w{1,2}\]|\([a-z]\)|[†‡§]+)$")  # never a value: "[1]", "(a)", "†"
_FOOTNOTE_OR_NEGATIVE = re.compile(r"^\(\d\)$")  # "(1)": a footnote, or minus one


def _join_marks(toks: list[_Tok]) -> list[_Tok]:
    """A currency mark on its own line ("$") joins the value below it; a lone "%" the value
    above it; a footnote marker ("[1]", "(a)") the label above it."""
    out: list[_Tok] = []
    for t in toks:
        if t.kind != "value" and t.text != "%" and not _FOOTNOTE.match(t.text):
            out.append(t)  # nothing to join to the token above
            continue
        k = _last_real(out)
        prev = out[k] if k is not None else None
        if prev is not None and prev.text in _MARKS and t.kind == "value" \
                and _classify(f"{prev.text} {t.text}") == "value":
            out[k:] = [_Tok("value", f"{prev.text} {t.text}", prev.start, t.end)]
        elif prev is not None and t.text == "%" and prev.kind == "value" and _classify(prev.text + "%") == "value":
            out[k:] = [_Tok("value", prev.text + "%", prev.start, t.end)]
        elif prev is not None and _FOOTNOTE.match(t.text) and prev.kind == "text":
            out[k:] = [_Tok("text", f"{prev.text} {t.text}", prev.start, t.end, prev.piped)]
        else:
            out.append(t)
    return out


@lru_cache(maxsize=16384)
def _is_prose(text: str) -> bool:
    words = text.split()
    if len(text) > 120:
        return True
    if text.rstrip().endswith(":"):
        return True
    return len(words) >= 6 and (text.rstrip().endswith(".") or bool(_CONTINUED.search(text)))


def _is_heading(tok: _Tok) -> bool:
    """'3. ACCOUNTS RECEIVABLE, NET', 'Note 7 — Allowance for Credit Losses', 'INVENTORIES'."""
    return _is_heading_text(tok.text)


@lru_cache(maxsize=16384)
def _is_heading_text(text: str) -> bool:
    text = _CONTINUED.sub("", text)
    if _all_caps(text):
        return True
    return bool(_NOTE_HEADING.match(text)) and len(text.split()) <= 12 and not text.endswith((".", ":"))


def _all_caps(text: str) -> bool:
    """At least 8 letters, every one upper case."""
    if _ASCII_LOWER.search(text):  # quick for most lines
        return False
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 8 and all(c.isupper() for c in letters)


def _records(toks: list[_Tok]) -> list[_Rec]:
    recs: list[_Rec] = []
    for t in toks:
        if t.kind in ("value", "unit"):
            if recs and recs[-1].tok is not None:  # a label is a label, whatever it looks like
                recs[-1].values.append(t)
                recs[-1].role = "data"
            else:
                recs.append(_Rec(None, [t], "data"))
            continue
        if t.kind == "bar":
            continue  # separator lines carry no structure: tables may have them anywhere
        if t.kind == "text" and _is_heading(t):
            recs.append(_Rec(t, role="heading"))
        elif t.kind == "text" and _is_prose(t.text):
            recs.append(_Rec(t, role="prose"))
        else:
            recs.append(_Rec(t))
    return _demote_units(recs)


# ---------------------------------------------------------------------------- bodies


@dataclass
class _Body:
    start: int  # index of the first data record
    end: int  # index after the last record of the body
    n: int


def _bodies(recs: list[_Rec]) -> list[_Body]:
    """Maximal runs of data rows; one lone fragment between rows is a section or a wrapped label."""
    out: list[_Body] = []
    i = 0
    while i < len(recs):
        if recs[i].role != "data" or recs[i].tok is None:
            i += 1
            continue
        j, counts = i + 1, [len(recs[i].values)]
        if i > 0 and recs[i - 1].role == "prose" and _lone_in_body(recs, i - 1, counts[0]):
            i -= 1  # a short "Secured loans:" line right under the header heads the first rows
        while j < len(recs):
            r = recs[j]
            if r.role == "data" and r.tok is not None:
                counts.append(len(r.values))
                j += 1
                continue
            if _lone_in_body(recs, j, max(counts)):
                j += 1
                continue
            break
        out.append(_Body(i, j, _width(recs[i:j])))
        i = j
    return out


def _width(recs: list[_Rec]) -> int:
    """The column count: the widest row, not counting a leading "(1)" footnote that makes a
    row one wider than every other."""
    plain = [len(r.values) for r in recs if r.role == "data" and not _leading_footnote(r)]
    marked = [len(r.values) for r in recs if r.role == "data" and _leading_footnote(r)]
    if plain and all(m <= max(plain) + 1 for m in marked):
        return max(plain)
    return max(plain + marked)


def _leading_footnote(rec: _Rec) -> bool:
    return bool(rec.values) and bool(_FOOTNOTE_OR_NEGATIVE.match(rec.values[0].text))


def _lone_in_body(recs: list[_Rec], j: int, n: int) -> bool:
    """A single fragment between rows: a section line or the first line of a wrapped label.

    It stays in the body when the next row has the body's width, continues the label
    (lower-case start), or is the last thing in the input (a table cut off mid-row).
    """
    nxt = recs[j + 1] if j + 1 < len(recs) else None
    if nxt is None or nxt.role != "data" or nxt.tok is None:
        return False
    text = recs[j].tok.text
    if recs[j].role != "fragment" and not (text.endswith(":") and len(text.split()) < 6):
        return False  # prose or a heading ends the table; a short "Secured loans:" does not
    last = j + 2 == len(recs)
    return len(nxt.values) == n or (len(nxt.values) < n and (last or _starts_lower(nxt.tok.text)))


# ---------------------------------------------------------------------------- arithmetic


def _arith(rows: list[list[Cell]], n: int) -> _Arith:
    full = [r for r in rows if len(r) == n and all(c.value is not None for c in r)]
    contra = {j for j in range(n) if full and all(r[j].value <= 0 for r in full)
              and any(r[j].value < 0 for r in full)}
    positive = {j for j in range(n) if any(r[j].value > 0 for r in full)}
    foot = None
    if n >= 2 and full:
        tol = max(last_digit_unit(c.raw) for r in full for c in r)
        if all(abs(sum(c.value for c in r[:-1]) - r[-1].value) <= tol for r in full):
            foot = n - 1
    return _Arith(foot, contra, positive)


# ---------------------------------------------------------------------------- periods


def _caption_dates(text: str) -> set[date]:
    """Dates named in prose, with "June 30, 2021 and 2022" read as two dates."""
    out = set(find_dates(text))
    for d in find_dates(text):
        m = re.search(rf"{d.year}((?:\s*(?:,|and)\s*(?:19|20)\d\d)+)", text)
        if m:
            for y in re.findall(r"(?:19|20)\d\d", m.group(1)):
                try:
                    out.add(d.replace(year=int(y)))
                except ValueError:
                    continue
    return out


def _flow_start(opening: date) -> date:
    nxt = opening + timedelta(days=1)
    return nxt if nxt.day == 1 else opening


def _movement_periods(texts: list[str]) -> list[Period | None] | None:
    first, last = find_dates(texts[0]), find_dates(texts[-1])
    roles = [_role(t) for t in texts]
    is_movement = roles[0] == "opening" or roles[-1] == "ending" or (
        first and last and first[-1] < last[-1] and len(texts) >= 3)
    if not (is_movement and first and last and first[-1] < last[-1]):
        return None
    start, end = _flow_start(first[-1]), last[-1]
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    flow = Period(kind="duration", start=start, end=end, months=months,
                  text=f"{start.isoformat()}..{end.isoformat()}")
    out: list[Period | None] = [instant(first[-1], texts[0])]
    out += [flow for _ in texts[1:-1]]
    return out + [instant(last[-1], texts[-1])]


def _column_periods(texts: list[str], context: str) -> tuple[list[Period | None], str]:
    """Periods of the value columns, and the table kind (movement, breakdown, balance)."""
    mov = _movement_periods(texts)
    if mov is not None:
        return mov, "movement"
    months = duration_months(context)
    table_period = parse_period(context, months=months) if context else None
    out = [parse_period(t, months=months) if _has_full_date(t) else table_period for t in texts]
    body = [t for t in texts if not _TOTAL.match(t)]
    flows = all(p is not None and p.kind == "duration" for p in out)
    kind = "breakdown" if flows or (body and all(is_year(t) for t in body)) else "balance"
    return out, kind


def _period_warnings(periods: list[Period | None], caption: str) -> list[str]:
    warnings = []
    if any(p is None for p in periods):
        warnings.append("no period found in the table headers for some columns; periods left empty")
    # prose that names other dates than the headers is warned about by the checks stage
    # (extractor.prose), for every layout alike
    return warnings


# ---------------------------------------------------------------------------- rows


def _cell(source: Source, tok: _Tok) -> Cell:
    return parse_cell(tok.text, source=source.span(tok.start, tok.end))


def _place(cells: list[Cell], n: int, ar: _Arith) -> list[int] | None:
    """Columns for a short row: the one order-preserving placement under which the row foots
    (a dropped empty cell counts as zero)."""
    if ar.foot is None:
        return None
    fits = []
    for cols in combinations(range(n), len(cells)):
        if any((c.value or 0) > 0 and j in ar.contra for c, j in zip(cells, cols)):
            continue  # a positive value never sits in an all-negative (contra) column
        vals = [Decimal(0)] * n
        for c, j in zip(cells, cols):
            vals[j] = c.value or Decimal(0)
        if sum(vals[:-1]) == vals[-1]:
            fits.append(list(cols))
    return fits[0] if len(fits) == 1 else None


def _row_values(rec: _Rec, n: int) -> list[_Tok]:
    """The row's value tokens, without a leading "(1)" footnote that makes it one too wide."""
    return rec.values[1:] if len(rec.values) == n + 1 and _leading_footnote(rec) else rec.values


def _row(source: Source, rec: _Rec, cells: list[Cell], label: str, first: int, n: int, ar: _Arith, i: int,
         warnings: list[str]) -> Row:
    text, notes = split_label_notes(label)
    toks = _row_values(rec, n)
    if len(toks) < len(rec.values):
        notes.append(rec.values[0].text.strip("()"))  # "(1)" after the label: a footnote marker
    row = Row(index=i, label=text, notes=notes, is_total=bool(_TOTAL.match(text)),
              role=_role(text), source=source.span(first, rec.values[-1].end))
    line = row.source.line_start
    if len(cells) == n:
        row.cells = cells
        return row
    row.cells = [Cell(kind=CellKind.missing) for _ in range(n)]
    cols = _place(cells, n, ar) if len(cells) < n else None
    if cols is not None:
        for c, j in zip(cells, cols):
            row.cells[j] = c
        warnings.append(f"row {text!r} (line {line}) has {len(cells)} of {n} values; placed in "
                        f"columns {cols} because only that placement foots")
        return row
    for c in cells:
        c.status, c.candidates = Status.ambiguous, list(range(n))
    row.extra = cells
    warnings.append(f"row {text!r} (line {line}) has {len(cells)} values for {n} columns and no "
                    "placement is proven by arithmetic; its values are left unplaced (ambiguous)")
    return row


# ---------------------------------------------------------------------------- tables


@dataclass
class _Context:
    title: str = ""
    caption: str = ""


def _header_frags(recs: list[_Rec], start: int, floor: int) -> list[int]:
    """Indices of the header fragments right above a body (back to prose, a heading or a table)."""
    k = start - 1
    while k >= floor and recs[k].role == "fragment":
        k -= 1
    return list(range(k + 1, start))


def _build(source: Source, recs: list[_Rec], body: _Body, head_idx: list[int], ctx: _Context) -> list[Table]:
    """The table(s) of one body: one per period line when rows sit under several dates."""
    frags = [recs[k].tok.text for k in head_idx]
    rows_recs = recs[body.start:body.end]
    cells_of = {id(r): [_cell(source, t) for t in _row_values(r, body.n)] for r in rows_recs if r.role == "data"}
    ar = _arith(list(cells_of.values()), body.n)
    header, warnings = _solve_header(frags, body.n, ar)
    context = " ".join(x for x in (header.label or "", header.section or "") if x)
    rows = _rows(source, rows_recs, body.n, ar, header.section, warnings, cells_of)
    start = recs[head_idx[0]].tok.start if head_idx else rows_recs[0].tok.start
    tables = []
    for k, (period_text, group) in enumerate(_period_groups(rows, context)):
        t = _assemble(source, header.texts, ar, period_text, group, ctx, frags, list(warnings))
        t.source = source.span(start if k == 0 else group[0].source.char_start, group[-1].source.char_end)
        if k:
            t.warnings.append(f"the period line {period_text!r} inside the rows starts a new table "
                              "under the same column headers")
        tables.append(t)
    return tables


def _period_groups(rows: list[Row], context: str) -> list[tuple[str, list[Row]]]:
    """Split rows where a dated section line ("As of June 30, 2022") changes the period."""
    groups: list[tuple[str, list[Row]]] = [(context, [])]
    for r in rows:
        current = groups[-1][0]
        if r.section and _has_full_date(r.section) and r.section != current:
            if groups[-1][1] and current:
                groups.append((r.section, []))
            else:
                groups[-1] = (r.section, groups[-1][1])
        groups[-1][1].append(r)
    for _, group in groups:
        for i, r in enumerate(group):
            r.index = i
    return [g for g in groups if g[1]]


def _assemble(source: Source, texts: list[str], ar: _Arith, period_text: str, rows: list[Row],
              ctx: _Context, frags: list[str], warnings: list[str]) -> Table:
    periods, kind = _column_periods(texts, period_text)
    warnings += _period_warnings(periods, ctx.caption)
    if any(periods) and not all(periods):
        # a rebuilt header that dates some columns but not the others is not trusted: the
        # fragments may be out of order (e.g. shuffled header lines); report, never guess
        warnings.append("header reading is ambiguous: only some columns got a period from the "
                        "rebuilt headers; the header lines may be out of order")
    scale, scale_text = parse_scale(" ".join(frags + [ctx.caption]))
    contra_named = any(_role(t) == "allowance" for t in texts)
    columns = [Column(index=j, header=t, period=p, role=_column_role(t, j, ar, kind, contra_named))
               for j, (t, p) in enumerate(zip(texts, periods))]
    return Table(doc=source.doc, table_id="", title=ctx.title, caption=ctx.caption, layout=LAYOUT,
                 kind=kind, orientation="columns" if kind == "movement" else None, scale=scale,
                 scale_text=scale_text, currency=currency_of(" ".join(frags)), columns=columns,
                 rows=rows, warnings=warnings)


def _column_role(text: str, j: int, ar: _Arith, kind: str, contra_named: bool) -> str | None:
    role = _role(text)
    if kind == "movement" and j in (0, ar.foot):
        return "opening" if j == 0 else "ending"
    if role:
        return role
    if kind == "breakdown":
        return "total" if j == ar.foot else "component"
    if kind == "balance" and ar.foot is not None and contra_named:
        return "net" if j == ar.foot else ("allowance" if j in ar.contra else "gross")
    return "value"


def _rows(source: Source, recs: list[_Rec], n: int, ar: _Arith, section: str | None,
          warnings: list[str], cells_of: dict[int, list[Cell]]) -> list[Row]:
    rows: list[Row] = []
    pending: _Tok | None = None
    for r in recs:
        if r.role != "data":
            pending = r.tok
            continue
        label, first = r.tok.text, r.tok.start
        if pending is not None and _starts_lower(label):
            label, first = f"{pending.text} {label}", pending.start  # a label wrapped over two lines
        elif pending is not None:
            section = pending.text.rstrip(":").strip()
        pending = None
        row = _row(source, r, cells_of[id(r)], label, first, n, ar, len(rows), warnings)
        row.section = section
        rows.append(row)
    return rows


def _absorb_wrapped_first_label(recs: list[_Rec], body: _Body, head_idx: list[int]) -> list[int]:
    """A header's last fragment followed by a lower-case first label is that label's first line."""
    first = recs[body.start]
    if head_idx and _starts_lower(first.tok.text):
        k = head_idx[-1]
        first.tok = _Tok("text", f"{recs[k].tok.text} {first.tok.text}", recs[k].tok.start, first.tok.end)
        return head_idx[:-1]
    return head_idx


def _advance(ctx: _Context, rec: _Rec) -> None:
    if rec.role == "heading":
        text = _CONTINUED.sub("", rec.tok.text).strip()
        if not (rec.tok.piped and ctx.title):
            ctx.title = text
        if not _CONTINUED.search(rec.tok.text):
            ctx.caption = ""
    elif rec.role == "prose":
        continued = bool(_CONTINUED.search(rec.tok.text))
        if not (continued and ctx.caption):  # "... - continued" goes on with the caption above
            ctx.caption = _CONTINUED.sub("", rec.tok.text).strip()


def _cut_off_warnings(recs: list[_Rec], body: _Body, table: Table) -> list[str]:
    """Warnings for a table at the very end of the input, which may have been truncated."""
    tail = recs[body.end:]
    if any(r.role != "fragment" for r in tail):
        return []
    line = table.source.line_end if table.source else "?"
    out = []
    if tail:
        out.append(f"the input ends with {len(tail)} line(s) after this table that hold no values "
                   f"({tail[0].tok.text!r}...); it may be cut off")
    if len(recs[body.end - 1].values) < body.n:
        out.append(f"the input ends inside this table (line {line}); it may be cut off")
    if sum(1 for r in recs[body.start:body.end] if r.role == "data") == 1:
        out.append(f"the input ends after this table's only row (line {line}); if it was cut off, "
                   f"the column count ({body.n}) read from that row may be wrong")
    return out


def parse(source: Source) -> list[Table]:
    recs = _records(_tokens(source))
    tables: list[Table] = []
    ctx, k, floor = _Context(), 0, 0
    for body in _bodies(recs):
        head_idx = _header_frags(recs, body.start, floor)
        upto = head_idx[0] if head_idx else body.start
        for rec in recs[k:upto]:
            _advance(ctx, rec)
        head_idx = _absorb_wrapped_first_label(recs, body, head_idx)
        built = _build(source, recs, body, head_idx, ctx)
        built[-1].warnings += _cut_off_warnings(recs, body, built[-1])
        for table in built:
            if any(r.extra for r in table.rows) or any("ambiguous" in w for w in table.warnings):
                table.status = Status.ambiguous
        tables += built
        k = floor = body.end
    return tables


# ---------------------------------------------------------------------------- detection


def score(source: Source) -> float:
    """High when most lines hold one cell and labels are followed by single values."""
    stripped = (ln.strip() for ln in source.text.split("\n"))
    content = [ln for ln in stripped if ln.strip("| ") and ln not in _NOT_CONTENT]  # not "", "|", "$"
    if len(content) < 4:
        return 0.0
    piped = sum(1 for ln in content if "|" in ln) / len(content)
    kinds = [_line_kind(ln) for ln in content]
    values = sum(1 for k in kinds if k == "value")
    multi = sum(1 for ln, k in zip(content, kinds) if k == "text" and _multi_value(ln))
    if values < 3:
        return 0.0
    label_then_value = sum(1 for a, b in zip(kinds, kinds[1:]) if a == "text" and b == "value")
    shape = min(1.0, 2.5 * values / len(content)) * min(1.0, 4 * label_then_value / max(1, values))
    return round(shape * (1 - piped) * values / (values + multi), 3)


_NOT_CONTENT = frozenset(_MARKS | {"%", ")"})
_NUM_AT_END = re.compile(r"(?:\(?[$¥]?\s?\d[\d,]*(?:\.\d+)?\)?|—|–)\s*$")


@lru_cache(maxsize=65536)
def _line_kind(line: str) -> str:
    """"value" or "text" (or "year") for one stripped line, as ``score`` counts them."""
    return "value" if tu.value_pieces(line) else _classify(line).replace("unit", "value")


@lru_cache(maxsize=65536)
def _multi_value(line: str) -> bool:
    """A label followed by numbers on one line (row-per-line text)."""
    parts = line.split()
    return len(parts) >= 2 and bool(_NUM_AT_END.search(line)) and not is_year(parts[-1]) \
        and not _has_full_date(line[-20:])
