"""Tick marks: the arithmetic every table must obey, written out so a reviewer can redo it.

- rollforward: opening + flows = ending, per row (movement across columns) or per column
  (movement down rows, e.g. XBRL details);
- crossfoot: gross + allowance = net (allowance printed negative; a positive "less"
  allowance is taken away);
- foot: component rows = Total row, component columns = Total column; [Member] children =
  their parent (member_foot);
- tie-outs across the tables of a document live in ``extractor.tieouts``.

Tolerance comes from scale and rounding, never from a constant: a figure rounded to its
last reported digit (``numbers.last_digit_unit``) is within half a unit of the truth, so an
identity over rounded figures holds when its residual is under the sum of those half units
(the XBRL Calculations 1.1 interval rule; two figures of the same quantity must agree
exactly). Figures in whole units (no scale stated, no decimals) were not rounded: exact.
Tie-outs between separately rounded schedules always get the rounding tolerance. ``prove_document`` classifies, aligns (when
``extractor.align`` exists), checks and sets each table's status.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from .kinds import BALANCE_ROLES, DEDUCTION_ROLES, FLOW_ROLES, classify, not_an_amount, says_less
from .models import Cell, CellKind, CellRef, Check, Document, Row, Status, Table
from .numbers import last_digit_unit
from .prose import PROSE_PREFIX, prose_warnings

ROUNDING_SHARE = Decimal("0.5")  # a rounded figure is within ± half a unit of its last digit
NON_AMOUNT_UNITS = {"%", "months", "years", "days", "items", "x"}
_PREFIX = "check: "


class Term(NamedTuple):
    row: int
    col: int
    sign: int = 1
    guessed: bool = False  # the sign convention rests on this figure alone (see ``sign_of``)


# ----------------------------------------------------------------------------- identities


def _cell(t: Table, row: int, col: int) -> Cell | None:
    cells = t.rows[row].cells
    return cells[col] if 0 <= col < len(cells) else None


def _value(c: Cell | None) -> Decimal | None:
    return None if c is None or c.kind == CellKind.text else c.value


def _unit(c: Cell | None) -> Decimal | None:
    if c is None or c.kind != CellKind.number or c.value is None:
        return None
    return _unit_of(c.raw or str(c.value))


@lru_cache(maxsize=65536)
def _unit_of(raw: str) -> Decimal:
    return last_digit_unit(raw)


class _Grid:
    """One table read once for all of its checks: per cell its value and the unit of its last
    digit, padded to the columns (a short row reads as empty cells); the cells holding
    non-amounts (%, months...); which rows and columns hold amounts; its blocks of rows; the
    verdicts and cell references already made (checks and structure searches share them)."""

    def __init__(self, t: Table):
        self.t = t
        n = len(t.columns)
        text = CellKind.text
        self.values = [[None if c.kind == text else c.value for c in r.cells] + [None] * (n - len(r.cells))
                       for r in t.rows]
        self.units = [[_unit(c) for c in r.cells] + [None] * (n - len(r.cells)) for r in t.rows]
        self.row_values = [v[:len(r.cells)] for v, r in zip(self.values, t.rows)]
        self.odd = {(i, j) for i, r in enumerate(t.rows) for j, c in enumerate(r.cells)
                    if c.unit in NON_AMOUNT_UNITS}
        self.amount_row = [not not_an_amount(r.label) for r in t.rows]
        odd_cols = {j for _, j in self.odd}
        self.amount_col = [j not in odd_cols and _is_amount_column(self, j) for j in range(n)]
        self.blocks = _blocks(t)
        self._less: dict[int, int] = {}
        self._like: dict[tuple[str, str], list[Decimal | None]] | None = None
        self._verdicts: dict[tuple, _Verdict | None] = {}
        self._refs: dict[tuple[int, int], CellRef] = {}

    def col_values(self, j: int) -> list[Decimal | None]:
        return [v[j] for v in self.values]

    def less_sign(self, k: int) -> int:
        """-1 for a 'Less: ...' row printed as positive numbers, else +1."""
        if k not in self._less:
            label = self.t.rows[k].label
            self._less[k] = deduction_sign(self.row_values[k], label) if says_less(label) else 1
        return self._less[k]

    def like_rows_values(self, i: int) -> list[Decimal | None]:
        """Values of every row printed like row i (same label and section): one sign convention."""
        if self._like is None:
            self._like = {}
            for r, vals in zip(self.t.rows, self.row_values):
                self._like.setdefault(_like_key(r), []).extend(vals)
        return self._like[_like_key(self.t.rows[i])]

    def verdict(self, terms: list[Term], result: tuple[int, int]) -> _Verdict | None:
        key = (tuple(terms), result)
        if key in self._verdicts:
            return self._verdicts[key]
        v = self._verdicts[key] = _verdict(self, terms, result)
        return v

    def ref(self, cell: tuple[int, int]) -> CellRef:
        r = self._refs.get(cell)
        if r is None:
            r = self._refs[cell] = ref(self.t, *cell)
        return r


def _like_key(r: Row) -> tuple[str, str]:
    return r.label.strip().lower(), r.section or ""


def tolerance(cells: list[Cell | None], rounded: bool = True) -> Decimal:
    """Half a unit of the last reported digit per figure (a dash or gap takes the finest unit);
    zero when the figures are whole units (no scale stated, no decimals): nothing was rounded."""
    return _tolerance([_unit(c) for c in cells], rounded)


def _tolerance(each: list[Decimal | None], rounded: bool = True) -> Decimal:
    units = [u for u in each if u is not None]
    finest = min(units) if units else Decimal(1)
    if not rounded and finest >= 1:
        return Decimal(0)
    return ROUNDING_SHARE * sum((u or finest for u in each), Decimal(0))


def within(residual: Decimal, tol: Decimal) -> bool:
    """Rounding errors are under half a unit each, so a sum of them is strictly under the tolerance."""
    return residual == 0 or abs(residual) < tol


def fmt(v: Decimal | None) -> str:
    """1234567 -> '1,234,567'; negatives with a true minus sign."""
    if v is None:
        return "0"
    s = f"{abs(v):,}"
    return f"−{s}" if v < 0 else s


_ZERO = Decimal(0)


def _written(terms: list[tuple[int, Decimal | None]]) -> str:
    """The terms signed (each sign is ±1): '1,000 − 200 + 30'; a zero taken away reads '− 0'."""
    parts: list[str] = []
    for sign, v in terms:
        v = v or _ZERO
        digits = f"{abs(v):,}"  # fmt of the magnitude
        negative = v < 0 if sign > 0 else v > 0
        if not parts:
            parts.append("−" + digits if negative else digits)
        else:
            parts.append(("− " if negative or (sign < 0 and v == 0) else "+ ") + digits)
    return " ".join(parts)


def _expression(terms: list[tuple[int, Decimal | None]], expected: Decimal, actual: Decimal,
                passed: bool, tol: Decimal) -> str:
    return written_out(_written(terms), expected, actual, passed, tol)


def written_out(lhs: str, expected: Decimal, actual: Decimal, passed: bool, tol: Decimal) -> str:
    """'a + b − c = d ✓', 'a + b = x ≈ d ✓ (within rounding ±t)' or 'a + b = x ≠ d ✗ (residual r)'."""
    if passed and expected == actual:
        return f"{lhs} = {fmt(actual)} ✓"
    if passed:
        return f"{lhs} = {fmt(expected)} ≈ {fmt(actual)} ✓ (within rounding ±{fmt(tol)})"
    return f"{lhs} = {fmt(expected)} ≠ {fmt(actual)} ✗ (residual {fmt(actual - expected)})"


def ref(t: Table, row: int, col: int) -> CellRef:
    r = t.rows[row]
    header = t.columns[col].header if col < len(t.columns) else ""
    value = _value(r.cells[col]) if 0 <= col < len(r.cells) else None
    return CellRef(table_id=t.table_id, doc=t.doc, row=row, column=col, label=f"{r.label} / {header}", value=value)


@dataclass
class _Verdict:
    values: list[Decimal | None]
    expected: Decimal
    actual: Decimal
    tol: Decimal
    passed: bool
    guessed: list[Term]


def _verdict(g: _Grid, terms: list[Term], result: tuple[int, int]) -> _Verdict | None:
    """The arithmetic of ``identity`` without building the Check (None when it does not apply)."""
    grid = g.values
    actual = grid[result[0]][result[1]]
    if actual is None:
        return None
    values = [grid[x.row][x.col] for x in terms]
    if all(v is None for v in values):
        return None
    if g.odd and (result in g.odd or any(x[:2] in g.odd for x in terms)):
        return None  # percentages, months, counts: not amounts that add up
    expected = _ZERO
    for x, v in zip(terms, values):
        expected += x.sign * (v or _ZERO)
    units = g.units
    tol = _tolerance([units[x.row][x.col] for x in terms] + [units[result[0]][result[1]]])
    passed = within(actual - expected, tol)
    guessed = [x for x, v in zip(terms, values) if x.guessed and v]
    if guessed and passed and actual != expected:
        passed, tol = False, Decimal(0)  # a flipped sign could pass for rounding: only exact proves it
    return _Verdict(values, expected, actual, tol, passed, guessed)


def holds(g: _Grid, terms: list[Term], result: tuple[int, int]) -> bool | None:
    """Whether ``identity`` would pass (None: it does not apply), for structure searches."""
    v = g.verdict(terms, result)
    return None if v is None else v.passed


def identity(g: _Grid, kind: str, terms: list[Term], result: tuple[int, int], description: str) -> Check | None:
    """sum(sign * term) = result, when the result and at least one term are reported."""
    vd = g.verdict(terms, result)
    if vd is None:
        return None
    values, expected, actual, passed, tol, guessed = vd.values, vd.expected, vd.actual, vd.passed, vd.tol, vd.guessed
    written = [(x.sign, v) for x, v in zip(terms, values)]
    expression = _expression(written, expected, actual, passed, tol)
    if guessed and not passed:
        expression = (f"{expression[:-1]}; row {guessed[0].row} column {guessed[0].col} is the only figure "
                      "showing how its deductions are signed, so only an exact match proves it)")
    return Check(
        kind=kind, description=description,
        cells=[g.ref(x[:2]) for x in terms] + [g.ref(result)],
        expected=expected, actual=actual, residual=actual - expected, tolerance=tol, passed=passed,
        expression=expression,
    )


# ----------------------------------------------------------------------------- applicability


def _is_amount_column(g: _Grid, j: int) -> bool:
    """Neither the column's header or unit nor its figures (years) say it is not an amount (a
    column with a non-amount cell, % or months, is ruled out by the caller)."""
    col = g.t.columns[j]
    if col.unit in NON_AMOUNT_UNITS or not_an_amount(col.header):
        return False
    return not _column_of_years(g, j)


def _column_of_years(g: _Grid, j: int) -> bool:
    """The column's numbers are two or more distinct years (1900-2100, no comma, within 60 of the first)."""
    if not any(v is not None and 1900 <= v <= 2100 for v in g.col_values(j)):
        return False  # no figure could be a year (the usual case: no need to look at the cells)
    vals = [c for c in (_cell(g.t, i, j) for i in range(len(g.t.rows)))
            if c is not None and c.value is not None and c.kind == CellKind.number]
    if len(vals) < 2:
        return False
    return all(c.value == c.value.to_integral_value() and 1900 <= c.value <= 2100 and "," not in c.raw
               for c in vals) and len({c.value for c in vals}) >= 2 and \
        all(abs(c.value - vals[0].value) < 60 for c in vals)


def deduction_sign(values: list[Decimal | None], text: str = "") -> int:
    """-1 when a deduction (write-off, allowance) is printed as positive numbers, else +1."""
    pos = sum(1 for v in values if v is not None and v > 0)
    neg = sum(1 for v in values if v is not None and v < 0)
    if pos > neg or (pos == neg and says_less(text) and pos):
        return -1
    return 1


def sign_of(values: list[Decimal | None], text: str = "", deduction: bool = True) -> tuple[int, bool]:
    """(sign, guessed) of a deduction line: its ``deduction_sign``, and whether that convention
    rests on one figure only (then a corrupted sign could read as a rounding difference)."""
    if not deduction:
        return 1, False
    return deduction_sign(values, text), sum(1 for v in values if v) <= 1


# ----------------------------------------------------------------------------- rollforward


def _segments(roles: list[str | None], usable) -> list[tuple[int, list[int], int]]:
    """(opening, flows, ending) index runs: an ending closes a segment and opens the next."""
    out: list[tuple[int, list[int], int]] = []
    start: int | None = None
    flows: list[int] = []
    for k, role in enumerate(roles):
        if role == "opening":
            start, flows = k, []
        elif role == "ending":
            if start is not None and flows:  # opening = ending with no movement shown proves nothing
                out.append((start, flows, k))
            start, flows = k, []
        elif start is not None and role not in BALANCE_ROLES and role != "total" and usable(k):
            if role in FLOW_ROLES or role in (None, "revenue"):  # revenue deferred / recognised moves a balance
                flows.append(k)
    return out


def _splits_balance(g: _Grid, lines: list[tuple[tuple[int, int], list[tuple[int, int]], tuple[int, int]]]) -> bool:
    """An ending balance printed again after rows that add up to it (current + non-current
    portion = the same balance): a split of that balance, not a second period's movement.
    Each line is (balance cell, part cells, repeated balance cell); every reported line must
    repeat the balance and its parts add up exactly, else the segment is checked as a rollforward."""
    seen = False
    for (fi, fj), parts, again in lines:
        a, b = g.values[fi][fj], g.values[again[0]][again[1]]
        if a is None and b is None:
            continue
        if a != b:
            return False
        vd = g.verdict([Term(*p) for p in parts], again)
        if vd is None or vd.actual != vd.expected:  # no check is kept for a split: only an exact one is taken
            return False
        seen = True
    return seen


def _rollforward(g: _Grid, from_ending: bool, start: int, flows: list[int], end: int, lines: list[int],
                 at, signs: dict, describe) -> list[Check]:
    """start + flows = end along each of ``lines``; ``at(k, line)`` is the (row, column) of
    position k on that line, so one routine serves movements across columns and down rows."""
    if from_ending and _splits_balance(g, [(at(start, x), [at(f, x) for f in flows], at(end, x)) for x in lines]):
        return []
    out = []
    for x in lines:
        terms = [Term(*at(start, x))] + [Term(*at(f, x), *signs[f]) for f in flows]
        c = identity(g, "rollforward", terms, at(end, x), describe(x))
        if c:
            out.append(c)
    return out


def rollforward_across(g: _Grid) -> list[Check]:
    t = g.t
    roles = [c.role for c in t.columns]
    rows = [i for i in range(len(t.rows)) if g.amount_row[i]]
    out: list[Check] = []
    for start, flows, end in _segments(roles, lambda j: g.amount_col[j]):
        signs = {j: sign_of(g.col_values(j), t.columns[j].header, roles[j] in DEDUCTION_ROLES) for j in flows}
        head = f"{t.columns[start].header} + movements = {t.columns[end].header}"
        out += _rollforward(g, roles[start] == "ending", start, flows, end, rows, lambda k, i: (i, k), signs,
                            lambda i: f"rollforward of row {i} {t.rows[i].label!r}: {head}")
    return out


def _blocks(t: Table) -> list[list[int]]:
    """Runs of consecutive rows sharing members and section."""
    blocks: list[list[int]] = []
    for i, r in enumerate(t.rows):
        if blocks and _same_block(t.rows[blocks[-1][-1]], r):
            blocks[-1].append(i)
        else:
            blocks.append([i])
    return blocks


def _same_block(a: Row, b: Row) -> bool:
    return a.members == b.members and (a.section or "") == (b.section or "")


def rollforward_down(g: _Grid) -> list[Check]:
    t = g.t
    cols = [j for j in range(len(t.columns)) if g.amount_col[j]]
    out: list[Check] = []
    for block in g.blocks:
        roles = [t.rows[i].role for i in block]
        for s, flows, e in _segments(roles, lambda k: g.amount_row[block[k]]):
            start, end, rows = block[s], block[e], [block[k] for k in flows]
            signs = {i: sign_of(g.like_rows_values(i), t.rows[i].label, t.rows[i].role in DEDUCTION_ROLES)
                     for i in rows}
            head = f"{t.rows[start].label} + movements = {t.rows[end].label}"
            out += _rollforward(g, roles[s] == "ending", start, rows, end, cols, lambda k, j: (k, j), signs,
                                lambda j: f"rollforward of column {j} {t.columns[j].header!r}: {head}")
    return out


# ----------------------------------------------------------------------------- crossfoot


def _balance_groups(roles: list[str | None]) -> list[tuple[int | None, int | None, int]]:
    """(gross, allowance, net) index triples; each net closes the group opened after the last net."""
    out = []
    gross = allow = None
    for k, role in enumerate(roles):
        if role == "gross":
            gross = k
        elif role == "allowance":
            allow = k
        elif role == "net":
            if gross is not None:
                out.append((gross, allow, k))
            gross = allow = None
    return out


def _column_groups(t: Table) -> list[tuple[int | None, int | None, int]]:
    """Balance groups across columns: one per period when each period has one gross and one net
    (any column order), else read left to right."""
    roles = [c.role for c in t.columns]
    by_period: dict[str, list[int]] = {}
    for j, c in enumerate(t.columns):
        if roles[j] in BALANCE_ROLES:
            by_period.setdefault(c.period.key if c.period else "", []).append(j)
    groups = []
    for cols in by_period.values():
        got = {r: [j for j in cols if roles[j] == r] for r in BALANCE_ROLES}
        if len(got["gross"]) != 1 or len(got["net"]) != 1 or len(got["allowance"]) > 1:
            return _balance_groups(roles)
        groups.append((got["gross"][0], (got["allowance"] or [None])[0], got["net"][0]))
    return groups


def crossfoot_across(g: _Grid) -> list[Check]:
    t = g.t
    out: list[Check] = []
    for gr, a, n in _column_groups(t):
        sign = sign_of(g.col_values(a), t.columns[a].header) if a is not None else (1, False)
        for i, row in enumerate(t.rows):
            if not g.amount_row[i] or g.values[i][gr] is None:
                continue
            terms = [Term(i, gr)] + ([Term(i, a, *sign)] if a is not None else [])
            c = identity(g, "crossfoot", terms, (i, n),
                         f"crossfoot of row {i} {row.label!r}: gross + allowance = net")
            if c:
                out.append(c)
    return out


def crossfoot_down(g: _Grid) -> list[Check]:
    t = g.t
    out: list[Check] = []
    for block in g.blocks:
        for gr, a, n in _balance_groups([t.rows[i].role for i in block]):
            gr, a, n = block[gr], (block[a] if a is not None else None), block[n]
            sign = sign_of(g.row_values[a], t.rows[a].label) if a is not None else (1, False)
            for j, col in enumerate(t.columns):
                if not g.amount_col[j] or g.values[gr][j] is None:
                    continue
                terms = [Term(gr, j)] + ([Term(a, j, *sign)] if a is not None else [])
                c = identity(g, "crossfoot", terms, (n, j),
                             f"crossfoot of column {j} {col.header!r}: {t.rows[gr].label} + allowance "
                             f"= {t.rows[n].label}")
                if c:
                    out.append(c)
    return out


# ----------------------------------------------------------------------------- foot


def _is_total_row(r: Row) -> bool:
    return r.is_total or r.role == "total"


MAX_ITEMS = 40  # how far up (or left) a total may reach for its components


def _has_values(r: Row) -> bool:
    return any(c.value is not None for c in r.cells)


def _simple_rows(g: _Grid, i: int) -> list[int] | None:
    """The total of a plain list (the table's only total, no heading rows above it): its components
    are every value row above it in its section — no choice, so a mismatch is a failure."""
    t = g.t
    above = [k for k in range(i) if (t.rows[k].section or "") == (t.rows[i].section or "")]
    if any(not _has_values(t.rows[k]) for k in above):
        return None
    return [k for k in above if g.amount_row[k]]


def _items_above(g: _Grid, i: int, used: dict[int, list[int]]) -> list[int]:
    """Walking up from a total: value rows, with an earlier subtotal standing for its own rows."""
    items: list[int] = []
    k = i - 1
    while k >= 0 and len(items) < MAX_ITEMS:
        if _has_values(g.t.rows[k]) and g.amount_row[k]:
            items.append(k)
        k = min(used[k]) - 1 if used.get(k) else k - 1
    return items


def _foots(g: _Grid, comps: list[int], i: int, cols: list[int]) -> bool:
    signs = [(k, g.less_sign(k)) for k in comps]
    for j in cols:
        if holds(g, [Term(k, j, sign) for k, sign in signs], (i, j)) is False:
            return False
    return True


def foot_rows(g: _Grid) -> list[Check]:
    """Each total row against its components: fixed for a plain list; in a table of subtotals the
    nearest group above that adds up (arithmetic settles the structure), else a warning."""
    t = g.t
    out: list[Check] = []
    used: dict[int, list[int]] = {}
    totals = [i for i, row in enumerate(t.rows) if _is_total_row(row)]
    for i in totals:
        row = t.rows[i]
        if not g.amount_row[i]:
            continue
        cols = [j for j in range(len(t.columns)) if g.amount_col[j] and g.values[i][j] is not None]
        comps = _simple_rows(g, i) if len(totals) == 1 else None
        if comps and cols and not _foots(g, comps, i, cols):
            run = _run_that_adds_up(g, comps, i, cols)
            if run and _subtotal_of(g, comps[:-len(run)], run[0]):
                used[run[0]] = comps[:-len(run)]
                out += _foot_checks(g, comps[:-len(run)], run[0], " (a subtotal without a total label)")
            comps = run or comps
        if comps is None:
            items = _items_above(g, i, used)
            comps = next((sorted(items[:k]) for k in range(1, len(items) + 1) if _foots(g, items[:k], i, cols)),
                         None if items else [])
            if comps is None:
                _unproven(t, f"row {i} {row.label!r}: no group of the rows above adds up to it")
                continue
        if not comps:
            out += _lonely_total(g, i)
            continue
        used[i] = comps
        out += _foot_checks(g, comps, i)
    return out


def _foot_checks(g: _Grid, comps: list[int], i: int, note: str = "") -> list[Check]:
    """Rows ``comps`` = row i, in every amount column where row i is reported."""
    t = g.t
    out: list[Check] = []
    signs = [(k, g.less_sign(k)) for k in comps]
    what = f"rows {_span(comps)} = row {i} {t.rows[i].label!r}{note}"
    for j in range(len(t.columns)):
        if not g.amount_col[j] or g.values[i][j] is None:
            continue
        c = identity(g, "foot", [Term(k, j, sign) for k, sign in signs], (i, j),
                     f"foot of column {j} {t.columns[j].header!r}: {what}")
        if c:
            out.append(c)
    return out


def _run_that_adds_up(g: _Grid, rows: list[int], i: int, cols: list[int]) -> list[int] | None:
    """A plain list whose rows do not all add up to its total: the nearest run of two or more rows
    above the total that does, when the rows left out are shown not to be its parts: one of them
    is larger than the total in every column (net sales above the costs a 'Total costs' adds up),
    or they add up to the run's first row (an unmarked subtotal already standing for them)."""
    for k in range(2, len(rows)):
        run, left_out = rows[-k:], rows[:-k]
        if not _foots(g, run, i, cols):
            continue
        if any(_exceeds(g, r, i, cols) for r in left_out) or _subtotal_of(g, left_out, run[0]):
            return run
    return None


def _exceeds(g: _Grid, k: int, i: int, cols: list[int]) -> bool:
    """Row k is larger in magnitude than row i in every column where both are reported."""
    pairs = [(g.values[k][j], g.values[i][j]) for j in cols]
    pairs = [(a, b) for a, b in pairs if a is not None and b is not None]
    return bool(pairs) and all(abs(a) > abs(b) for a, b in pairs)


def _subtotal_of(g: _Grid, rows: list[int], s: int) -> bool:
    """Row s (not marked as a total) is the sum of ``rows`` in every column where it is reported."""
    cols = [j for j in range(len(g.t.columns)) if g.amount_col[j] and g.values[s][j] is not None]
    found = [holds(g, [Term(k, j, g.less_sign(k)) for k in rows], (s, j)) for j in cols]
    return len(rows) >= 2 and any(f is not None for f in found) and all(f for f in found if f is not None)


def _span(ks: list[int]) -> str:
    return f"{ks[0]}–{ks[-1]}" if ks == list(range(ks[0], ks[-1] + 1)) else ", ".join(map(str, ks))


_UNPROVEN: list[str] = []  # notes on the table being checked: totals whose structure is unclear


def _unproven(t: Table, what: str) -> None:
    _UNPROVEN.append(f"{t.table_id}: total not proven, {what}; its structure is unclear, so it is not flagged")


def _lonely_total(g: _Grid, i: int) -> list[Check]:
    """A bare 'Total' with no rows above it to add up: something was lost above it."""
    t = g.t
    row = t.rows[i]
    if row.label.strip(" :").lower() not in ("total", "totals") or i > 0 and (t.rows[i - 1].section or "") == \
            (row.section or ""):
        return []
    out = []
    for j, col in enumerate(t.columns):
        v = g.values[i][j]
        if v is None or v == 0 or not g.amount_col[j]:
            continue
        out.append(Check(kind="foot", description=f"foot of column {j} {col.header!r}: no rows above "
                         f"row {i} {row.label!r} to add up", cells=[g.ref((i, j))], expected=Decimal(0), actual=v,
                         residual=v, passed=False, expression=f"(no rows) = 0 ≠ {fmt(v)} ✗ (residual {fmt(v)})"))
    return out


def _total_column_parts(g: _Grid) -> list[tuple[int, list[int] | None, list[int]]]:
    """(total column, fixed components or None, candidate columns nearest first)."""
    t = g.t
    totals = [j for j, c in enumerate(t.columns) if c.role == "total"]
    out = []
    for j in totals:
        same = [k for k in range(len(t.columns)) if k != j and _same_period(t, k, j) and g.amount_col[k]
                and t.columns[k].role not in ("total",) + BALANCE_ROLES]
        if not same or not g.amount_col[j]:
            continue
        simple = len(totals) == 1 and t.columns[j].header.strip(" :").lower() in ("total", "totals")
        left = [k for k in range(j - 1, -1, -1) if k in same]
        out.append((j, same if simple else None, left[:MAX_ITEMS]))
    return out


def _foots_across(g: _Grid, comps: list[int], j: int, rows: list[int]) -> bool:
    for i in rows:
        if holds(g, [Term(i, k) for k in comps], (i, j)) is False:
            return False
    return True


def foot_columns(g: _Grid) -> list[Check]:
    t = g.t
    out: list[Check] = []
    for j, fixed, left in _total_column_parts(g):
        col = t.columns[j]
        rows = [i for i in range(len(t.rows)) if g.amount_row[i] and g.values[i][j] is not None]
        comps = fixed
        if comps is None:
            comps = next((sorted(left[:k]) for k in range(2, len(left) + 1) if _foots_across(g, left[:k], j, rows)),
                         None)
            if comps is None:
                _unproven(t, f"column {j} {col.header!r}: no group of the columns before it adds up to it")
                continue
        for i in rows:
            c = identity(g, "foot", [Term(i, k) for k in comps], (i, j),
                         f"foot of row {i} {t.rows[i].label!r}: columns {_span(comps)} = column {j} {col.header!r}")
            if c:
                out.append(c)
    return out


def _same_period(t: Table, a: int, b: int) -> bool:
    pa, pb = t.columns[a].period, t.columns[b].period
    return pa is None or pb is None or pa.key == pb.key


# ----------------------------------------------------------------------------- [Member] foot


def _axes(rows: list[Row]) -> dict[str, int]:
    """Which dimension position each member sits at, learnt from multi-member paths."""
    axis: dict[str, int] = {}
    for r in rows:
        if len(r.members) >= 2:
            for k, m in enumerate(r.members):
                axis.setdefault(m, k)
    return axis


def member_foot(g: _Grid) -> list[Check]:
    """Each parent row (members P) = the sum of its children (P + one member) on one axis."""
    t = g.t
    axis = _axes(t.rows)
    by_key: dict[tuple, int] = {}
    for i, r in enumerate(t.rows):
        by_key.setdefault((tuple(r.members), r.label, r.section or ""), i)
    groups: dict[tuple, list[int]] = {}
    for i, r in enumerate(t.rows):
        if not r.members:
            continue
        parent = (tuple(r.members[:-1]), r.label, r.section or "")
        if parent not in by_key:
            continue
        ax = axis.get(r.members[-1])  # None: the axis cannot be told (no two-member path names it)
        groups.setdefault(parent + (ax,), []).append(i)
    unknown = {key[:3] for key in groups if key[3] is None}
    out: list[Check] = []
    for key, kids in groups.items():
        p = by_key[key[:3]]
        if len(kids) < 2 or key[:3] in unknown or not g.amount_row[p]:
            continue
        for j, col in enumerate(t.columns):
            if not g.amount_col[j]:
                continue
            c = identity(g, "member_foot", [Term(k, j) for k in kids], (p, j),
                         f"[Member] foot of column {j} {col.header!r}: {len(kids)} children of "
                         f"{' | '.join(key[0]) or 'the total'} = row {p}")
            if c:
                out.append(_point_at_sibling(g, c, kids, j) if not c.passed else c)
    return out


_CURRENCY = re.compile(r"[$€£¥₹₩]|\b[A-Z]{3}\b")


def _currency(t: Table, j: int) -> str:
    col = t.columns[j]
    return col.currency or " ".join(_CURRENCY.findall(col.header))


def _point_at_sibling(g: _Grid, c: Check, kids: list[int], j: int) -> Check:
    """A failing member foot whose residual is a child printed (only) in another column of the same
    period, e.g. a child reported in USD beside a CNY parent: say so, the check still fails."""
    t = g.t
    if c.residual is None:
        return c
    for k in kids:
        if g.values[k][j] is not None:
            continue
        for j2 in range(len(t.columns)):
            v = g.values[k][j2]
            if j2 == j or v is None or not _same_period(t, j, j2) or not within(v - c.residual, c.tolerance or Decimal(0)):
                continue
            other = ", another currency" if _currency(t, j2) != _currency(t, j) else ""
            where = f"the residual is row {k}'s {fmt(v)} printed in column {j2} {t.columns[j2].header!r}{other}"
            c.expression = f"{c.expression[:-1]}; {where})" if c.expression.endswith(")") else f"{c.expression} ({where})"
            return c
    return c


# ----------------------------------------------------------------------------- table and document


def check_table(t: Table) -> list[Check]:
    """Every applicable check of one table (kind and roles must be set: see ``classify``)."""
    if t.status == Status.quarantined or not t.rows or not t.columns:
        return []
    _UNPROVEN.clear()
    g = _Grid(t)
    checks: list[Check] = []
    checks += rollforward_across(g)
    checks += rollforward_down(g)
    checks += crossfoot_across(g)
    checks += crossfoot_down(g)
    if t.kind == "xbrl_details":
        checks += member_foot(g)
    else:
        checks += foot_rows(g)
    checks += foot_columns(g)
    return misread_pattern(checks)


def misread_pattern(checks: list[Check]) -> list[Check]:
    """Rounding leaves a small residual here and there; a figure that is off in *every* check it
    takes part in (two or more) is a misread figure, not rounding: those checks fail."""
    if not any(c.passed and c.residual for c in checks):
        return checks  # no check passes within rounding only: no figure is off in all of its checks
    by_cell: dict[tuple, list[Check]] = {}
    for c in checks:
        for r in c.cells:
            by_cell.setdefault((r.table_id, r.row, r.column), []).append(c)
    for (_, row, col), cs in by_cell.items():
        if len(cs) < 2 or any(c.residual in (None, 0) or not c.passed for c in cs):
            continue
        for c in cs:
            c.passed = False
            lhs = c.expression.split(" = ", 1)[0]
            c.expression = (f"{lhs} = {fmt(c.expected)} ≠ {fmt(c.actual)} ✗ (residual {fmt(c.residual)}: "
                            f"row {row} column {col} is off in all {len(cs)} checks it is in; rounding "
                            "does not do that)")
    return checks


def _ambiguous(t: Table) -> bool:
    return any(r.extra or any(c.status == Status.ambiguous for c in r.cells) for r in t.rows)


def _without_incomplete(t: Table, checks: list[Check]) -> tuple[list[Check], list[Check]]:
    """Split off failing checks that read a row whose values the layout could not place: with
    a term missing, the identity can neither pass nor fail (the table is ambiguous instead)."""
    unplaced = {r.index for r in t.rows
                if r.extra or any(c.status == Status.ambiguous for c in r.cells)}
    if not unplaced:
        return checks, []
    keep, incomplete = [], []
    for c in checks:
        touches = any(ref.table_id == t.table_id and ref.row in unplaced for ref in c.cells)
        (incomplete if touches and not c.passed else keep).append(c)
    return keep, incomplete


def _align(t: Table) -> Table:
    if importlib.util.find_spec(f"{__package__}.align") is None:
        return t
    res = importlib.import_module(f"{__package__}.align").align_table(t)
    return res if isinstance(res, Table) else t


def failure_warning(c: Check) -> str:
    where = ", ".join(f"row {r.row} {r.label!r}" for r in c.cells if r.value is not None)[:300]
    return f"{_PREFIX}{c.kind} fails, residual {fmt(c.residual)}: {c.description}: {c.expression} [cells: {where}]"


def prove_table(t: Table) -> Table:
    """Classify, align if needed, check, and set the status and warnings of one table."""
    if t.status == Status.quarantined:
        return t
    # the layout could not decide a header (no cell is unplaced): that stays ambiguous
    layout_ambiguous = t.status == Status.ambiguous and not _ambiguous(t)
    classify(t)
    if _ambiguous(t):
        t = _align(t)
        classify(t)
    t.checks, incomplete = _without_incomplete(t, check_table(t))
    t.warnings = [w for w in t.warnings if not w.startswith((_PREFIX, PROSE_PREFIX))]
    t.warnings += [_PREFIX + w for w in _UNPROVEN]
    t.warnings += [PROSE_PREFIX + w for w in prose_warnings(t)]
    failed = [c for c in t.checks if not c.passed]
    t.warnings += [failure_warning(c) for c in failed]
    t.warnings += [f"{_PREFIX}not checked until its unplaced values are placed: {c.description}"
                   for c in incomplete]
    if layout_ambiguous:
        t.status = Status.ambiguous
    elif _ambiguous(t):
        t.status = Status.ambiguous
        t.warnings.append(f"{_PREFIX}{t.table_id}: some values could not be placed in a column "
                          "(neither the layout nor the arithmetic decides); see the unplaced values")
    else:
        t.status = Status.flagged if failed else Status.ok
    return t


def prove_document(doc: Document) -> None:
    """Prove every table of a document, then tie the tables to each other (``doc.checks``)."""
    doc.tables = [prove_table(t) for t in doc.tables]
    from .tieouts import apply_tieouts

    apply_tieouts(doc)
