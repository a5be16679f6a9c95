"""One cell per line, empty cells dropped (seed 001).

A table arrives as a run of short header fragments in row-major order, then rows: a label
line followed by one line per value. Blank lines and bare ``|`` lines may separate anything.
Nothing says where a header row ends or which column a fragment sits over, so both are
rebuilt from structure:

* the column count ``n`` is the number of values that follow each label;
* header cells are bottom-aligned and contiguous within a column (as HTML draws them),
  so a header is fixed by the height of each column's fragment stack; every split is scored
  by continuity (a lower-case fragment continues the one above it; one ending in "for",
  "of", "," continues below) and by agreement between the header's words and the column's
  arithmetic (the all-negative column is the allowance, the column that foots the others
  is the net / total / ending balance);
* a tie between different headers is reported as a table warning, never decided silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from itertools import combinations

from ..kinds import role_of
from ..models import Cell, CellKind, Column, Layout, Period, Row, SourceSpan, Status, Table
from ..numbers import is_year, join_split_negatives, last_digit_unit, parse_cell, parse_scale, \
    split_label_notes, currency_of
from ..periods import duration_months, find_dates, instant, months_back, parse_period
from ..read import Source

LAYOUT = Layout.cell_lines

_VALUE_KINDS = (CellKind.number, CellKind.dash, CellKind.nil)
_CONNECTOR_END = re.compile(r"(,|\b(for|of|in|and|the|to|from|at|on|as|by|with|&|-))$", re.IGNORECASE)
_CONTINUED = re.compile(r"\s*[-–—]\s*\(?continued\)?\s*$", re.IGNORECASE)
_NOTE_HEADING = re.compile(r"^\d{1,2}\s*\.\s*\S")
_TOTAL = re.compile(r"^\s*total\b", re.IGNORECASE)
_MAX_SPLITS = 20000
_MAX_HEIGHT = 8  # header rows per column
_MON = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATE_PREP = re.compile(r"\b(as of|as at|at|ended|ending|through)$", re.IGNORECASE)
_DATE_START = re.compile(rf"^({_MON}(\s|,|$)|(19|20)\d\d\b)", re.IGNORECASE)
_MONTH_DAY = re.compile(rf"\b{_MON}\s+\d{{1,2}},?$", re.IGNORECASE)
_MONTH_END = re.compile(rf"\b{_MON}$", re.IGNORECASE)
_DAY_START = re.compile(r"^\d{1,2}(,|\s|$)")
_ANNOTATION = re.compile(r"^\([^()]*\)$")
_YEAR_ONLY = re.compile(r"^(19|20)\d\d$")
_BROKEN_DATES = [  # in a rebuilt header: a date phrase that does not go on as a date
    re.compile(rf"\b(as of|as at|ended|ending)\s+(?!{_MON}(\s|,|$)|\d)", re.IGNORECASE),
    re.compile(rf"\b{_MON}\s+\d{{1,2}}(?!\d|,?\s*(19|20)\d\d)", re.IGNORECASE),
]


# ---------------------------------------------------------------------------- tokens


@dataclass
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


def _classify(text: str) -> str:
    if is_year(text):
        return "year"
    cell = parse_cell(text)
    if cell.kind in _VALUE_KINDS:
        return "unit" if cell.unit in ("days", "months", "years", "items") else "value"
    return "text"


def _settle_units(toks: list[_Tok]) -> list[_Tok]:
    """"30 days" is a value next to other values, a header fragment ("Less than / 30 days /
    past due") between text lines."""
    real = [t for t in toks if t.kind != "bar"]
    for i, t in enumerate(real):
        if t.kind != "unit":
            continue
        near = [real[k].kind for k in (i - 1, i + 1) if 0 <= k < len(real)]
        t.kind = "value" if any(k in ("value", "unit") for k in near) else "text"
    return toks


def _tokens(source: Source) -> list[_Tok]:
    toks: list[_Tok] = []
    pos = 0
    for line in source.text.split("\n"):
        stripped = line.strip()
        lead = len(line) - len(line.lstrip())
        a, pos = pos + lead, pos + len(line) + 1
        if not stripped:
            continue
        if set(stripped) <= {"|", " "}:
            toks.append(_Tok("bar", stripped, a, a + len(stripped)))
            continue
        piped = stripped.startswith("|")
        if piped:
            body = stripped.lstrip("| ")
            a += len(stripped) - len(body)
            stripped = body
        toks.append(_Tok(_classify(stripped), stripped, a, a + len(stripped), piped))
    return _settle_units(_join_negatives(toks))


def _join_negatives(toks: list[_Tok]) -> list[_Tok]:
    """'(499' then ')' on the next line -> one value token spanning both lines."""
    out: list[_Tok] = []
    for t in toks:
        prev = out[-1] if out else None
        if prev is not None and t.text == ")" and len(join_split_negatives([prev.text, t.text])) == 1:
            text = join_split_negatives([prev.text, t.text])[0]
            out[-1] = _Tok(_classify(text), text, prev.start, t.end)
            continue
        out.append(t)
    return out


def _is_prose(text: str) -> bool:
    words = text.split()
    if len(text) > 120:
        return True
    if len(words) >= 3 and text.rstrip().endswith(":"):
        return True
    return len(words) >= 6 and (text.rstrip().endswith(".") or bool(_CONTINUED.search(text)))


def _is_heading(tok: _Tok) -> bool:
    text = _CONTINUED.sub("", tok.text)
    letters = [c for c in text if c.isalpha()]
    caps = bool(letters) and all(c.isupper() for c in letters) and len(letters) >= 8
    return caps


def _records(toks: list[_Tok]) -> list[_Rec]:
    recs: list[_Rec] = []
    for t in toks:
        if t.kind == "value":
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
    return recs


# ---------------------------------------------------------------------------- bodies


@dataclass
class _Body:
    start: int  # index of the first data record
    end: int  # index after the last record of the body
    n: int


def _starts_lower(text: str) -> bool:
    return bool(text) and text[0].isalpha() and text[0].islower()


def _bodies(recs: list[_Rec]) -> list[_Body]:
    """Maximal runs of data rows; one lone fragment between rows is a section or a wrapped label."""
    out: list[_Body] = []
    i = 0
    while i < len(recs):
        if recs[i].role != "data" or recs[i].tok is None:
            i += 1
            continue
        j, counts = i + 1, [len(recs[i].values)]
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
        out.append(_Body(i, j, max(counts)))
        i = j
    return out


def _lone_in_body(recs: list[_Rec], j: int, n: int) -> bool:
    """A single fragment between rows: a section line or the first line of a wrapped label.

    It stays in the body when the next row has the body's width, continues the label
    (lower-case start), or is the last thing in the input (a table cut off mid-row).
    """
    nxt = recs[j + 1] if j + 1 < len(recs) else None
    if recs[j].role != "fragment" or nxt is None or nxt.role != "data" or nxt.tok is None:
        return False
    last = j + 2 == len(recs)
    return len(nxt.values) == n or (len(nxt.values) < n and (last or _starts_lower(nxt.tok.text)))


# ---------------------------------------------------------------------------- arithmetic


@dataclass
class _Arith:
    foot: int | None  # the column that equals the sum of the others (net, total, ending)
    contra: set[int]  # columns whose values are all <= 0 with at least one < 0
    positive: set[int]  # columns with a value > 0 (never an allowance or a write-off)


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


# ---------------------------------------------------------------------------- headers


@dataclass
class _Header:
    columns: list[list[str]]  # fragment stack of each value column, top to bottom
    label: str | None = None  # the label-column fragment of the bottom header row
    section: str | None = None  # a trailing fragment that only sets a period / section
    score: float = 0.0

    @property
    def texts(self) -> list[str]:
        return [" ".join(" ".join(stack).split()) for stack in self.columns]


@lru_cache(maxsize=4096)
def _role(text: str) -> str | None:
    return role_of(text)


@lru_cache(maxsize=4096)
def _has_full_date(text: str) -> bool:
    return bool(find_dates(text))


def _column_score(stack: tuple[str, ...], j: int, n: int, ar: _Arith) -> tuple[float, bool, bool]:
    """(score, header has a full date, one fragment alone has a full date) of one column."""
    s = 0.0
    s -= sum(_date_break(above, below) for above, below in zip(("",) + stack, stack + ("",)))
    s -= sum(1 for f in stack[:-1] if _ANNOTATION.match(f))  # "(unaudited)" ends a header
    if stack and _starts_lower(stack[0]):
        s -= 3  # a continuation with nothing above it
    if stack and _CONNECTOR_END.search(stack[-1]):
        s -= 3  # "Allowance for" with nothing below it
    text = " ".join(" ".join(stack).split())
    s -= 2 * sum(len(rx.findall(text)) for rx in _BROKEN_DATES)
    s += _role_agreement(_role(text), j, n, ar)
    return s, _has_full_date(text), any(_has_full_date(f) for f in stack)


def _date_break(above: str, below: str) -> float:
    """Penalty when a date is cut where no date can be: "December 31," must get its year below,
    "as of" a date, "as of December" a day; "31, 2020" must sit under a month."""
    if _MONTH_DAY.search(above) and not re.match(r"(19|20)\d\d\b", below):
        return 2
    if _MONTH_END.search(above) and not _DAY_START.match(below):
        return 2
    if _DATE_PREP.search(above) and below and not _DATE_START.match(below):
        return 2
    if _DAY_START.match(below) and not _MONTH_END.search(above):
        return 3 if not above else 2
    if _YEAR_ONLY.match(below) and above and not (above.endswith(",") or _DATE_PREP.search(above)
                                                  or _MONTH_END.search(above)):
        return 1
    return 0


def _label_cost(label: str) -> float:
    """A label-column fragment is plain when it is a note ("(unaudited)") or a period."""
    if _starts_lower(label) or _CONNECTOR_END.search(label):
        return 3
    return 0 if _ANNOTATION.match(label) or _has_full_date(label) else 0.25


def _score_header(h: _Header, ar: _Arith, memo: dict) -> float:
    n = len(h.columns)
    parts = []
    for j, stack in enumerate(h.columns):
        key = (tuple(stack), j)
        if key not in memo:
            memo[key] = _column_score(key[0], j, n, ar)
        parts.append(memo[key])
    # one column alone carries a whole date: that date is more likely a table-wide period
    lone_date = sum(1 for p in parts if p[1]) == 1 < len(parts)
    s = sum(p[0] - (1 if lone_date and p[1] and p[2] else 0) for p in parts)
    if h.label is not None:
        s -= _label_cost(h.label)
    if h.section is not None:
        fits = (_has_full_date(h.section) or h.section.endswith(":")) and not _starts_lower(h.section)
        s -= 0.25 if fits else 3
    heights = [len(stack) for stack in h.columns]
    return s - 0.1 * (max(heights) - min(heights))  # tie-break: header cells are of even height


def _role_agreement(role: str | None, j: int, n: int, ar: _Arith) -> float:
    if role is None:
        return 0.0
    if role == "allowance":
        return 2.0 if j not in ar.positive and j != ar.foot else -2.0
    if role in ("net", "total", "ending"):
        return 1.0 if j == ar.foot else -1.0
    if role == "opening":
        return 1.0 if j == 0 and ar.foot == n - 1 else -1.0
    if role == "writeoff":
        return 1.0 if j not in ar.positive else -1.0
    return 0.0


def _compositions(total: int, parts: int, cap: int = _MAX_HEIGHT):
    """Every way to write total as parts positive heights, none above cap."""
    if parts == 1:
        if total <= cap:
            yield (total,)
        return
    for first in range(1, min(cap, total - parts + 1) + 1):
        for rest in _compositions(total - first, parts - 1, cap):
            yield (first,) + rest


def _stack(frags: list[str], heights: tuple[int, ...]) -> list[list[str]]:
    top = max(heights)
    cols: list[list[str]] = [[] for _ in heights]
    it = iter(frags)
    for r in range(top):
        for j, h in enumerate(heights):
            if h >= top - r:
                cols[j].append(next(it))
    return cols


def _candidates(frags: list[str], n: int):
    for use_label in (False, True):
        for use_section in (False, True):
            vals = list(frags)
            section = vals.pop() if use_section and vals else None
            label = None
            if use_label:
                if len(vals) < n + 1:
                    continue
                label = vals.pop(len(vals) - n - 1)
            if len(vals) < n:
                continue
            for k, heights in enumerate(_compositions(len(vals), n)):
                if k > _MAX_SPLITS:
                    break
                yield _Header(_stack(vals, heights), label, section)


def _solve_header(frags: list[str], n: int, ar: _Arith) -> tuple[_Header, list[str]]:
    """The best-scoring header split, and warnings when it is not unique or not complete."""
    if len(frags) < n:
        cols = [[] for _ in range(n - len(frags))] + [[f] for f in frags]
        msg = (f"only {len(frags)} header fragment(s) for {n} value columns; "
               "placed them over the rightmost columns — check the column headers")
        return _Header(cols), [msg] if frags else [f"no column headers found for {n} value columns"]
    best: list[_Header] = []
    memo: dict = {}
    for h in _candidates(frags, n):
        h.score = _score_header(h, ar, memo)
        if not best or h.score > best[0].score + 1e-9:
            best = [h]
        elif abs(h.score - best[0].score) <= 1e-9:
            best.append(h)
    if not best:
        cols = [[f] for f in frags[-n:]]
        return _Header(cols), [f"{len(frags)} header fragments do not split into {n} columns; "
                               f"took the last {n} as the headers — check the column headers"]
    choice = best[0]
    rivals = {tuple(h.texts) for h in best} - {tuple(choice.texts)}
    warnings = []
    if rivals:
        alt = " / ".join(" | ".join(r) for r in sorted(rivals)[:2])
        warnings.append(f"column headers are ambiguous: chose {' | '.join(choice.texts)!r}; "
                        f"equally consistent: {alt!r}")
    return choice, warnings


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
    kind = "breakdown" if body and all(is_year(t) for t in body) else "balance"
    return out, kind


def _period_warnings(periods: list[Period | None], caption: str) -> list[str]:
    warnings = []
    if any(p is None for p in periods):
        warnings.append("no period found in the table headers for some columns; periods left empty")
    named = _caption_dates(caption)
    ends = [p.end_date for p in periods if p is not None and p.end_date]
    if named and ends and max(ends) not in named:
        said = ", ".join(sorted(d.isoformat() for d in named))
        warnings.append(f"the caption names {said} but the table headers say {max(ends).isoformat()}; "
                        "periods follow the table headers")
    return warnings


# ---------------------------------------------------------------------------- rows


def _cell(source: Source, tok: _Tok) -> Cell:
    c = parse_cell(tok.text)
    c.source = source.span(tok.start, tok.end)
    return c


def _place(cells: list[Cell], n: int, ar: _Arith) -> list[int] | None:
    """Columns for a short row: the one order-preserving placement under which the row foots
    (a dropped empty cell counts as zero)."""
    if ar.foot is None:
        return None
    fits = []
    for cols in combinations(range(n), len(cells)):
        if any(c.value > 0 and j in ar.contra for c, j in zip(cells, cols)):
            continue  # a positive value never sits in an all-negative (contra) column
        vals = [Decimal(0)] * n
        for c, j in zip(cells, cols):
            vals[j] = c.value
        if sum(vals[:-1]) == vals[-1]:
            fits.append(list(cols))
    return fits[0] if len(fits) == 1 else None


def _row(source: Source, rec: _Rec, label: str, first: int, n: int, ar: _Arith, i: int,
         warnings: list[str]) -> Row:
    text, notes = split_label_notes(label)
    cells = [_cell(source, t) for t in rec.values]
    row = Row(index=i, label=text, notes=notes, is_total=bool(_TOTAL.match(text)),
              role=_role(text), source=source.span(first, rec.values[-1].end))
    line = row.source.line_start
    if len(cells) == n:
        row.cells = cells
        return row
    row.cells = [Cell(kind=CellKind.missing) for _ in range(n)]
    cols = _place(cells, n, ar)
    if cols is not None:
        for c, j in zip(cells, cols):
            row.cells[j] = c
        warnings.append(f"row {text!r} (line {line}) has {len(cells)} of {n} values; placed in "
                        f"columns {cols} because only that placement foots")
        return row
    for c in cells:
        c.status, c.candidates = Status.ambiguous, list(range(n))
    row.extra = cells
    warnings.append(f"row {text!r} (line {line}) has {len(cells)} of {n} values and no placement "
                    "is proven by arithmetic; its values are left unplaced (ambiguous)")
    return row


# ---------------------------------------------------------------------------- tables


@dataclass
class _Context:
    title: str = ""
    caption: str = ""
    fresh_caption: bool = False


def _header_frags(recs: list[_Rec], start: int, floor: int) -> list[int]:
    """Indices of the header fragments right above a body (back to prose, a heading or a table)."""
    k = start - 1
    while k >= floor and recs[k].role == "fragment":
        k -= 1
    return list(range(k + 1, start))


def _build(source: Source, recs: list[_Rec], body: _Body, head_idx: list[int], ctx: _Context) -> Table:
    frags = [recs[k].tok.text for k in head_idx]
    rows_recs = recs[body.start:body.end]
    value_rows = [[parse_cell(t.text) for t in r.values] for r in rows_recs if r.role == "data"]
    ar = _arith(value_rows, body.n)
    header, warnings = _solve_header(frags, body.n, ar)
    texts = header.texts
    context = " ".join(x for x in (header.label or "", header.section or "") if x)
    rows, sections = _rows(source, rows_recs, body.n, ar, header.section, warnings)
    if not context and sections:
        context = sections[0]
    periods, kind = _column_periods(texts, context)
    warnings += _period_warnings(periods, ctx.caption)
    if len(set(sections)) > 1:
        warnings.append(f"rows sit under several period lines {sorted(set(sections))}; "
                        f"columns take the first, {sections[0]!r}")
    scale, scale_text = parse_scale(" ".join(frags + [ctx.caption]))
    first_tok = recs[head_idx[0]].tok if head_idx else rows_recs[0].tok
    contra_named = any(_role(t) == "allowance" for t in texts)
    columns = [Column(index=j, header=t, period=p, role=_column_role(t, j, ar, kind, contra_named))
               for j, (t, p) in enumerate(zip(texts, periods))]
    return Table(doc=source.doc, table_id="", title=ctx.title, caption=ctx.caption, layout=LAYOUT,
                 kind=kind, orientation="columns" if kind == "movement" else None, scale=scale,
                 scale_text=scale_text, currency=currency_of(" ".join(frags)), columns=columns,
                 rows=rows, warnings=warnings,
                 source=source.span(first_tok.start, rows_recs[-1].values[-1].end if rows_recs[-1].values
                                    else rows_recs[-1].tok.end))


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
          warnings: list[str]) -> tuple[list[Row], list[str]]:
    rows: list[Row] = []
    sections: list[str] = [section] if section else []
    pending: _Tok | None = None
    for r in recs:
        if r.role != "data":
            pending = r.tok
            continue
        label, first = r.tok.text, r.tok.start
        if pending is not None and _starts_lower(label):
            label, first = f"{pending.text} {label}", pending.start  # a label wrapped over two lines
        elif pending is not None:
            section = pending.text
            sections.append(section)
        pending = None
        row = _row(source, r, label, first, n, ar, len(rows), warnings)
        row.section = section
        rows.append(row)
    return rows, sections


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
        table = _build(source, recs, body, head_idx, ctx)
        table.warnings += _cut_off_warnings(recs, body, table)
        tables.append(table)
        k = floor = body.end
    return tables


# ---------------------------------------------------------------------------- detection


def score(source: Source) -> float:
    """High when most lines hold one cell and labels are followed by single values."""
    lines = [ln.strip() for ln in source.text.split("\n") if ln.strip()]
    content = [ln for ln in lines if not set(ln) <= {"|", " "}]
    if len(content) < 4:
        return 0.0
    piped = sum(1 for ln in content if "|" in ln) / len(content)
    kinds = [_classify(ln).replace("unit", "value") for ln in content]
    values = sum(1 for k in kinds if k == "value")
    multi = sum(1 for ln, k in zip(content, kinds) if k == "text" and _multi_value(ln))
    if values < 3:
        return 0.0
    label_then_value = sum(1 for a, b in zip(kinds, kinds[1:]) if a == "text" and b == "value")
    shape = min(1.0, 2.5 * values / len(content)) * min(1.0, 4 * label_then_value / max(1, values))
    return round(shape * (1 - piped) * values / (values + multi), 3)


_NUM_AT_END = re.compile(r"(?:\(?[$¥]?\s?\d[\d,]*(?:\.\d+)?\)?|—|–)\s*$")


def _multi_value(line: str) -> bool:
    """A label followed by numbers on one line (row-per-line text)."""
    parts = line.split()
    return len(parts) >= 2 and bool(_NUM_AT_END.search(line)) and not is_year(parts[-1]) \
        and not _has_full_date(line[-20:])
