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
from functools import lru_cache
from decimal import Decimal

from .kinds import BALANCE_ROLES, DEDUCTION_ROLES, FLOW_ROLES, classify, not_an_amount, says_less
from .models import Cell, CellKind, CellRef, Check, Document, Row, Status, Table
from .numbers import last_digit_unit
from .prose import PROSE_PREFIX, prose_warnings

ROUNDING_SHARE = Decimal("0.5")  # a rounded figure is within ± half a unit of its last digit
NON_AMOUNT_UNITS = {"%", "months", "years", "days", "items", "x"}
_PREFIX = "check: "


@dataclass(frozen=True)
class Term:
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


def tolerance(cells: list[Cell | None], rounded: bool = True) -> Decimal:
    """Half a unit of the last reported digit per figure (a dash or gap takes the finest unit);
    zero when the figures are whole units (no scale stated, no decimals): nothing was rounded."""
    each = [_unit(c) for c in cells]
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


def _written(terms: list[tuple[int, Decimal | None]]) -> str:
    parts: list[str] = []
    for k, (sign, v) in enumerate(terms):
        eff = sign * (v or Decimal(0))
        neg = eff < 0 or (eff == 0 and sign < 0)
        if k == 0:
            parts.append(("−" if eff < 0 else "") + fmt(abs(eff)))
        else:
            parts.append(("− " if neg else "+ ") + fmt(abs(eff)))
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
    c = _cell(t, row, col)
    header = t.columns[col].header if col < len(t.columns) else ""
    return CellRef(table_id=t.table_id, doc=t.doc, row=row, column=col,
                   label=f"{t.rows[row].label} / {header}", value=_value(c))


@dataclass
class _Verdict:
    values: list[Decimal | None]
    expected: Decimal
    actual: Decimal
    tol: Decimal
    passed: bool
    guessed: list[Term]


def _verdict(t: Table, terms: list[Term], result: tuple[int, int]) -> _Verdict | None:
    """The arithmetic of ``identity`` without building the Check (None when it does not apply)."""
    res = _cell(t, *result)
    cells = [_cell(t, x.row, x.col) for x in terms]
    actual = _value(res)
    values = [_value(c) for c in cells]
    if actual is None or all(v is None for v in values):
        return None
    if any(c is not None and c.unit in NON_AMOUNT_UNITS for c in cells + [res]):
        return None  # percentages, months, counts: not amounts that add up
    expected = sum((x.sign * (v or Decimal(0)) for x, v in zip(terms, values)), Decimal(0))
    tol = tolerance(cells + [res])
    passed = within(actual - expected, tol)
    guessed = [x for x, v in zip(terms, values) if x.guessed and v]
    if guessed and passed and actual != expected:
        passed, tol = False, Decimal(0)  # a flipped sign could pass for rounding: only exact proves it
    return _Verdict(values, expected, actual, tol, passed, guessed)


def holds(t: Table, terms: list[Term], result: tuple[int, int]) -> bool | None:
    """Whether ``identity`` would pass (None: it does not apply), for structure searches."""
    v = _verdict(t, terms, result)
    return None if v is None else v.passed


def identity(t: Table, kind: str, terms: list[Term], result: tuple[int, int], description: str) -> Check | None:
    """sum(sign * term) = result, when the result and at least one term are reported."""
    vd = _verdict(t, terms, result)
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
        cells=[ref(t, x.row, x.col) for x in terms] + [ref(t, *result)],
        expected=expected, actual=actual, residual=actual - expected, tolerance=tol, passed=passed,
        expression=expression,
    )


# ----------------------------------------------------------------------------- applicability


_AMOUNT_COLUMNS: dict[tuple[int, int], bool] = {}  # memo for the table being checked


def _amount_column(t: Table, j: int) -> bool:
    key = (id(t), j)
    if key not in _AMOUNT_COLUMNS:
        _AMOUNT_COLUMNS[key] = _is_amount_column(t, j)
    return _AMOUNT_COLUMNS[key]


def _is_amount_column(t: Table, j: int) -> bool:
    col = t.columns[j]
    if col.unit in NON_AMOUNT_UNITS or not_an_amount(col.header):
        return False
    cells = [_cell(t, i, j) for i in range(len(t.rows))]
    if any(c is not None and c.unit in NON_AMOUNT_UNITS for c in cells):
        return False
    return not _column_of_years(cells)


def _column_of_years(cells: list[Cell | None]) -> bool:
    vals = [c for c in cells if c is not None and c.value is not None and c.kind == CellKind.number]
    if len(vals) < 2:
        return False
    return all(c.value == c.value.to_integral_value() and 1900 <= c.value <= 2100 and "," not in c.raw
               for c in vals) and len({c.value for c in vals}) >= 2 and \
        all(abs(c.value - vals[0].value) < 60 for c in vals)


def _amount_row(t: Table, i: int) -> bool:
    return not not_an_amount(t.rows[i].label)


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


def _col_values(t: Table, j: int) -> list[Decimal | None]:
    return [_value(_cell(t, i, j)) for i in range(len(t.rows))]


def _row_values(t: Table, i: int) -> list[Decimal | None]:
    return [_value(c) for c in t.rows[i].cells]


def _like_rows_values(t: Table, i: int) -> list[Decimal | None]:
    """Values of every row printed like row i (same label and section): one sign convention."""
    key = (t.rows[i].label.strip().lower(), t.rows[i].section or "")
    return [v for k, r in enumerate(t.rows) if (r.label.strip().lower(), r.section or "") == key
            for v in _row_values(t, k)]


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


def _splits_balance(t: Table, lines: list[tuple[tuple[int, int], list[tuple[int, int]], tuple[int, int]]]) -> bool:
    """An ending balance printed again after rows that add up to it (current + non-current
    portion = the same balance): a split of that balance, not a second period's movement.
    Each line is (balance cell, part cells, repeated balance cell); every reported line must
    repeat the balance and its parts add up exactly, else the segment is checked as a rollforward."""
    seen = False
    for first, parts, again in lines:
        a, b = _value(_cell(t, *first)), _value(_cell(t, *again))
        if a is None and b is None:
            continue
        if a != b:
            return False
        c = identity(t, "foot", [Term(*p) for p in parts], again, "")
        if c is None or c.residual != 0:  # no check is kept for a split: only an exact one is taken
            return False
        seen = True
    return seen


def rollforward_across(t: Table) -> list[Check]:
    roles = [c.role for c in t.columns]
    out: list[Check] = []
    for start, flows, end in _segments(roles, lambda j: _amount_column(t, j)):
        if roles[start] == "ending" and _splits_balance(t, [((i, start), [(i, j) for j in flows], (i, end))
                                                            for i in range(len(t.rows)) if _amount_row(t, i)]):
            continue
        signs = {j: sign_of(_col_values(t, j), t.columns[j].header, roles[j] in DEDUCTION_ROLES) for j in flows}
        for i, row in enumerate(t.rows):
            if not _amount_row(t, i):
                continue
            terms = [Term(i, start)] + [Term(i, j, *signs[j]) for j in flows]
            c = identity(t, "rollforward", terms, (i, end),
                         f"rollforward of row {i} {row.label!r}: {t.columns[start].header} + movements "
                         f"= {t.columns[end].header}")
            if c:
                out.append(c)
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


def rollforward_down(t: Table) -> list[Check]:
    out: list[Check] = []
    for block in _blocks(t):
        roles = [t.rows[i].role for i in block]
        for s, flows, e in _segments(roles, lambda k: _amount_row(t, block[k])):
            start, end, rows = block[s], block[e], [block[k] for k in flows]
            if roles[s] == "ending" and _splits_balance(t, [((start, j), [(i, j) for i in rows], (end, j))
                                                            for j in range(len(t.columns)) if _amount_column(t, j)]):
                continue
            signs = {i: sign_of(_like_rows_values(t, i), t.rows[i].label, t.rows[i].role in DEDUCTION_ROLES)
                     for i in rows}
            for j, col in enumerate(t.columns):
                if not _amount_column(t, j):
                    continue
                terms = [Term(start, j)] + [Term(i, j, *signs[i]) for i in rows]
                c = identity(t, "rollforward", terms, (end, j),
                             f"rollforward of column {j} {col.header!r}: {t.rows[start].label} + movements "
                             f"= {t.rows[end].label}")
                if c:
                    out.append(c)
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


def crossfoot_across(t: Table) -> list[Check]:
    out: list[Check] = []
    for g, a, n in _column_groups(t):
        sign = sign_of(_col_values(t, a), t.columns[a].header) if a is not None else (1, False)
        for i, row in enumerate(t.rows):
            if not _amount_row(t, i):
                continue
            terms = [Term(i, g)] + ([Term(i, a, *sign)] if a is not None else [])
            c = identity(t, "crossfoot", terms, (i, n),
                         f"crossfoot of row {i} {row.label!r}: gross + allowance = net")
            if c and _value(_cell(t, i, g)) is not None:
                out.append(c)
    return out


def crossfoot_down(t: Table) -> list[Check]:
    out: list[Check] = []
    for block in _blocks(t):
        for g, a, n in _balance_groups([t.rows[i].role for i in block]):
            g, a, n = block[g], (block[a] if a is not None else None), block[n]
            sign = sign_of(_row_values(t, a), t.rows[a].label) if a is not None else (1, False)
            for j, col in enumerate(t.columns):
                if not _amount_column(t, j) or _value(_cell(t, g, j)) is None:
                    continue
                terms = [Term(g, j)] + ([Term(a, j, *sign)] if a is not None else [])
                c = identity(t, "crossfoot", terms, (n, j),
                             f"crossfoot of column {j} {col.header!r}: {t.rows[g].label} + allowance "
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


def _simple_rows(t: Table, i: int) -> list[int] | None:
    """The one total of a plain list (no other total, no heading rows above it): its components
    are every value row above it in its section — no choice, so a mismatch is a failure."""
    if any(_is_total_row(r) for k, r in enumerate(t.rows) if k != i):
        return None
    above = [k for k in range(i) if (t.rows[k].section or "") == (t.rows[i].section or "")]
    if any(not _has_values(t.rows[k]) for k in above):
        return None
    return [k for k in above if _amount_row(t, k)]


def _items_above(t: Table, i: int, used: dict[int, list[int]]) -> list[int]:
    """Walking up from a total: value rows, with an earlier subtotal standing for its own rows."""
    items: list[int] = []
    k = i - 1
    while k >= 0 and len(items) < MAX_ITEMS:
        if _has_values(t.rows[k]) and _amount_row(t, k):
            items.append(k)
        k = min(used[k]) - 1 if used.get(k) else k - 1
    return items


def _less_sign(t: Table, k: int) -> int:
    label = t.rows[k].label
    return deduction_sign(_row_values(t, k), label) if says_less(label) else 1


def _foots(t: Table, comps: list[int], i: int, cols: list[int]) -> bool:
    for j in cols:
        if holds(t, [Term(k, j, _less_sign(t, k)) for k in comps], (i, j)) is False:
            return False
    return True


def foot_rows(t: Table) -> list[Check]:
    """Each total row against its components: fixed for a plain list; in a table of subtotals the
    nearest group above that adds up (arithmetic settles the structure), else a warning."""
    out: list[Check] = []
    used: dict[int, list[int]] = {}
    for i, row in enumerate(t.rows):
        if not _is_total_row(row) or not _amount_row(t, i):
            continue
        cols = [j for j in range(len(t.columns)) if _amount_column(t, j) and _value(_cell(t, i, j)) is not None]
        comps = _simple_rows(t, i)
        if comps and cols and not _foots(t, comps, i, cols):
            run = _run_that_adds_up(t, comps, i, cols)
            if run and _subtotal_of(t, comps[:-len(run)], run[0]):
                used[run[0]] = comps[:-len(run)]
                out += _foot_checks(t, comps[:-len(run)], run[0], " (a subtotal without a total label)")
            comps = run or comps
        if comps is None:
            items = _items_above(t, i, used)
            comps = next((sorted(items[:k]) for k in range(1, len(items) + 1) if _foots(t, items[:k], i, cols)),
                         None if items else [])
            if comps is None:
                _unproven(t, f"row {i} {row.label!r}: no group of the rows above adds up to it")
                continue
        if not comps:
            out += _lonely_total(t, i)
            continue
        used[i] = comps
        out += _foot_checks(t, comps, i)
    return out


def _foot_checks(t: Table, comps: list[int], i: int, note: str = "") -> list[Check]:
    """Rows ``comps`` = row i, in every amount column where row i is reported."""
    out: list[Check] = []
    for j in range(len(t.columns)):
        if not _amount_column(t, j) or _value(_cell(t, i, j)) is None:
            continue
        c = identity(t, "foot", [Term(k, j, _less_sign(t, k)) for k in comps], (i, j),
                     f"foot of column {j} {t.columns[j].header!r}: rows {_span(comps)} = row {i} "
                     f"{t.rows[i].label!r}{note}")
        if c:
            out.append(c)
    return out


def _run_that_adds_up(t: Table, rows: list[int], i: int, cols: list[int]) -> list[int] | None:
    """A plain list whose rows do not all add up to its total: the nearest run of two or more rows
    above the total that does, when the rows left out are shown not to be its parts: one of them
    is larger than the total in every column (net sales above the costs a 'Total costs' adds up),
    or they add up to the run's first row (an unmarked subtotal already standing for them)."""
    for k in range(2, len(rows)):
        run, left_out = rows[-k:], rows[:-k]
        if not _foots(t, run, i, cols):
            continue
        if any(_exceeds(t, r, i, cols) for r in left_out) or _subtotal_of(t, left_out, run[0]):
            return run
    return None


def _exceeds(t: Table, k: int, i: int, cols: list[int]) -> bool:
    """Row k is larger in magnitude than row i in every column where both are reported."""
    pairs = [(_value(_cell(t, k, j)), _value(_cell(t, i, j))) for j in cols]
    pairs = [(a, b) for a, b in pairs if a is not None and b is not None]
    return bool(pairs) and all(abs(a) > abs(b) for a, b in pairs)


def _subtotal_of(t: Table, rows: list[int], s: int) -> bool:
    """Row s (not marked as a total) is the sum of ``rows`` in every column where it is reported."""
    cols = [j for j in range(len(t.columns)) if _amount_column(t, j) and _value(_cell(t, s, j)) is not None]
    found = [holds(t, [Term(k, j, _less_sign(t, k)) for k in rows], (s, j)) for j in cols]
    return len(rows) >= 2 and any(f is not None for f in found) and all(f for f in found if f is not None)


def _span(ks: list[int]) -> str:
    return f"{ks[0]}–{ks[-1]}" if ks == list(range(ks[0], ks[-1] + 1)) else ", ".join(map(str, ks))


_UNPROVEN: list[str] = []  # notes on the table being checked: totals whose structure is unclear


def _unproven(t: Table, what: str) -> None:
    _UNPROVEN.append(f"{t.table_id}: total not proven, {what}; its structure is unclear, so it is not flagged")


def _lonely_total(t: Table, i: int) -> list[Check]:
    """A bare 'Total' with no rows above it to add up: something was lost above it."""
    row = t.rows[i]
    if row.label.strip(" :").lower() not in ("total", "totals") or i > 0 and (t.rows[i - 1].section or "") == \
            (row.section or ""):
        return []
    out = []
    for j, col in enumerate(t.columns):
        v = _value(_cell(t, i, j))
        if v is None or v == 0 or not _amount_column(t, j):
            continue
        out.append(Check(kind="foot", description=f"foot of column {j} {col.header!r}: no rows above "
                         f"row {i} {row.label!r} to add up", cells=[ref(t, i, j)], expected=Decimal(0), actual=v,
                         residual=v, passed=False, expression=f"(no rows) = 0 ≠ {fmt(v)} ✗ (residual {fmt(v)})"))
    return out


def _total_column_parts(t: Table) -> list[tuple[int, list[int] | None, list[int]]]:
    """(total column, fixed components or None, candidate columns nearest first)."""
    totals = [j for j, c in enumerate(t.columns) if c.role == "total"]
    out = []
    for j in totals:
        same = [k for k in range(len(t.columns)) if k != j and _same_period(t, k, j) and _amount_column(t, k)
                and t.columns[k].role not in ("total",) + BALANCE_ROLES]
        if not same or not _amount_column(t, j):
            continue
        simple = len(totals) == 1 and t.columns[j].header.strip(" :").lower() in ("total", "totals")
        left = [k for k in range(j - 1, -1, -1) if k in same]
        out.append((j, same if simple else None, left[:MAX_ITEMS]))
    return out


def _foots_across(t: Table, comps: list[int], j: int, rows: list[int]) -> bool:
    for i in rows:
        if holds(t, [Term(i, k) for k in comps], (i, j)) is False:
            return False
    return True


def foot_columns(t: Table) -> list[Check]:
    out: list[Check] = []
    for j, fixed, left in _total_column_parts(t):
        col = t.columns[j]
        rows = [i for i in range(len(t.rows)) if _amount_row(t, i) and _value(_cell(t, i, j)) is not None]
        comps = fixed
        if comps is None:
            comps = next((sorted(left[:k]) for k in range(2, len(left) + 1) if _foots_across(t, left[:k], j, rows)),
                         None)
            if comps is None:
                _unproven(t, f"column {j} {col.header!r}: no group of the columns before it adds up to it")
                continue
        for i in rows:
            c = identity(t, "foot", [Term(i, k) for k in comps], (i, j),
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


def member_foot(t: Table) -> list[Check]:
    """Each parent row (members P) = the sum of its children (P + one member) on one axis."""
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
        if len(kids) < 2 or key[:3] in unknown or not _amount_row(t, p):
            continue
        for j, col in enumerate(t.columns):
            if not _amount_column(t, j):
                continue
            c = identity(t, "member_foot", [Term(k, j) for k in kids], (p, j),
                         f"[Member] foot of column {j} {col.header!r}: {len(kids)} children of "
                         f"{' | '.join(key[0]) or 'the total'} = row {p}")
            if c:
                out.append(_point_at_sibling(t, c, kids, j) if not c.passed else c)
    return out


_CURRENCY = re.compile(r"[$€£¥₹₩]|\b[A-Z]{3}\b")


def _currency(t: Table, j: int) -> str:
    col = t.columns[j]
    return col.currency or " ".join(_CURRENCY.findall(col.header))


def _point_at_sibling(t: Table, c: Check, kids: list[int], j: int) -> Check:
    """A failing member foot whose residual is a child printed (only) in another column of the same
    period, e.g. a child reported in USD beside a CNY parent: say so, the check still fails."""
    if c.residual is None:
        return c
    for k in kids:
        if _value(_cell(t, k, j)) is not None:
            continue
        for j2 in range(len(t.columns)):
            v = _value(_cell(t, k, j2))
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
    _AMOUNT_COLUMNS.clear()
    _UNPROVEN.clear()
    checks: list[Check] = []
    checks += rollforward_across(t)
    checks += rollforward_down(t)
    checks += crossfoot_across(t)
    checks += crossfoot_down(t)
    if t.kind == "xbrl_details":
        checks += member_foot(t)
    else:
        checks += foot_rows(t)
    checks += foot_columns(t)
    _AMOUNT_COLUMNS.clear()
    return misread_pattern(checks)


def misread_pattern(checks: list[Check]) -> list[Check]:
    """Rounding leaves a small residual here and there; a figure that is off in *every* check it
    takes part in (two or more) is a misread figure, not rounding: those checks fail."""
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
