"""Verification: every cited figure re-read from its cell, every computation redone, and
the identities of each cited table recomputed from its cells as tick marks.

The extractor's stored ``Table.checks`` are shown next to the recomputation, never
trusted instead of it. A figure whose cell disagrees, or whose table fails a check or is
flagged, is named in a caveat; an answer that rests on nothing verifiable is refused.
"""

from __future__ import annotations

from decimal import Decimal

from extractor.models import Status, Table

from .compute import fmt
from .concepts import header_concept
from .models import Answer, CheckResult, Figure
from .unplaced import find_held

_FLOWS = {"provision", "writeoff", "recovery", "reclassification", "other"}


def _col_concepts(t: Table) -> list[str | None]:
    return [header_concept(c.header, c.role) for c in t.columns]


def _signed_sum(first: Decimal, rest: list[Decimal]) -> str:
    s = fmt(first)
    for v in rest:
        s += f" − {fmt(-v)}" if v < 0 else f" + {fmt(v)}"
    return s


def _result(kind: str, t: Table, lhs: str, total: Decimal, reported: Decimal) -> CheckResult:
    ok = total == reported
    expr = f"{lhs} = {fmt(total)} {'✓' if ok else '✗'}" if ok else f"{lhs} = {fmt(total)} ≠ {fmt(reported)} ✗"
    return CheckResult(kind=kind, doc=t.doc, table_id=t.table_id, expression=expr, passed=ok,
                       residual=total - reported)


def row_rollforward(t: Table, row: int) -> CheckResult | None:
    """Opening + movements = ending along one row of a movement table (columns opening → ending)."""
    cc = _col_concepts(t)
    if "opening" not in cc or "ending" not in cc:
        return None
    o, e = cc.index("opening"), len(cc) - 1 - cc[::-1].index("ending")
    vals = t.rows[row].values
    if o >= e or vals[o] is None or vals[e] is None:
        return None
    mids = [vals[j] for j in range(o + 1, e) if vals[j] is not None and cc[j] in _FLOWS | {None}]
    total = vals[o] + sum(mids, Decimal(0))
    return _result("rollforward", t, _signed_sum(vals[o], mids), total, vals[e])


def column_rollforward(t: Table, row: int, col: int) -> CheckResult | None:
    """Opening + movement rows = ending down one column (XBRL-style movements), near `row`."""
    rc = [header_concept(r.label, r.role) for r in t.rows]
    same = [i for i, r in enumerate(t.rows)
            if r.section == t.rows[row].section and r.members == t.rows[row].members]
    opens = [i for i in same if rc[i] == "opening"]
    ends = [i for i in same if rc[i] == "ending"]
    if not opens or not ends:
        return None
    o, e = opens[0], ends[-1]
    cells = [t.rows[i].cells[col].value if col < len(t.rows[i].cells) else None for i in range(o, e + 1)]
    if cells[0] is None or cells[-1] is None:
        return None
    mids = [v for i, v in zip(range(o + 1, e), cells[1:-1]) if v is not None and rc[i] in _FLOWS]
    total = cells[0] + sum(mids, Decimal(0))
    return _result("rollforward", t, _signed_sum(cells[0], mids), total, cells[-1])


def column_foot(t: Table, col: int) -> CheckResult | None:
    """The component rows sum to the Total row in one column."""
    totals = [i for i, r in enumerate(t.rows) if r.is_total]
    if len(totals) != 1 or any(r.members or r.section for r in t.rows):
        return None
    k = totals[0]
    parts = [r.cells[col].value for i, r in enumerate(t.rows)
             if i != k and col < len(r.cells) and r.cells[col].value is not None]
    reported = t.rows[k].cells[col].value if col < len(t.rows[k].cells) else None
    if reported is None or len(parts) < 2:
        return None
    return _result("foot", t, _signed_sum(parts[0], parts[1:]), sum(parts, Decimal(0)), reported)


def row_crossfoot(t: Table, row: int) -> CheckResult | None:
    """Gross − allowance = net along one row of a balance table."""
    cc = _col_concepts(t)
    if not {"gross", "allowance", "net"} <= set(cc):
        return None
    vals = t.rows[row].values
    g, a, n = (vals[cc.index(k)] for k in ("gross", "allowance", "net"))
    if g is None or a is None or n is None:
        return None
    a_signed = a if a <= 0 else -a
    return _result("crossfoot", t, _signed_sum(g, [a_signed]), g + a_signed, n)


def table_ticks(t: Table, rows: set[int], cols: set[int]) -> list[CheckResult]:
    """The identities of table `t` that involve the cited rows and columns."""
    out: list[CheckResult | None] = []
    for r in sorted(rows):
        out.append(row_rollforward(t, r))
        out.append(row_crossfoot(t, r))
        for c in sorted(cols):
            out.append(column_rollforward(t, r, c))
    for c in sorted(cols):
        out.append(column_foot(t, c))
    seen: set[str] = set()
    res = []
    for c in out:
        if c is not None and c.expression not in seen:
            seen.add(c.expression)
            c.stored = _stored(t, c)
            res.append(c)
    return res


def _stored(t: Table, c: CheckResult) -> bool | None:
    same = [s for s in t.checks if s.kind == c.kind and s.expression
            and s.expression.split("=")[-1].strip(" ✓✗") == c.expression.split("=")[-1].strip(" ✓✗")]
    return same[0].passed if same else None


def refigure(fig: Figure, t: Table) -> str | None:
    """Re-read a figure from its cell; a message when it does not match."""
    try:
        cell = t.rows[fig.row].cells[fig.column]
    except IndexError:
        return f"[{fig.n}] {fig.doc} {fig.table_id} has no cell at row {fig.row}, column {fig.column}"
    if cell.value != fig.value and find_held(t, fig.row, fig.column, fig.value) is None:
        return f"[{fig.n}] {fig.doc} {fig.table_id} r{fig.row} c{fig.column} holds {cell.value}, not {fig.value}"
    return None


def verify_answer(ans: Answer, table_of) -> Answer:
    """Re-read figures, recompute table identities, add ticks and caveats (in place)."""
    by_table: dict[tuple[str, str], list[Figure]] = {}
    for f in ans.figures:
        by_table.setdefault((f.doc, f.table_id), []).append(f)
    bad: list[str] = []
    for (doc, tid), figs in by_table.items():
        t = table_of(doc, tid)
        bad += [m for f in figs if (m := refigure(f, t))]
        ticks = table_ticks(t, {f.row for f in figs}, {f.column for f in figs})
        ans.checks.extend(ticks)
        for c in ticks:
            if not c.passed:
                ans.caveats.append(f"{doc} {tid}: the {c.kind} does not hold ({c.expression}); "
                                   "figures from this table are not verified")
        if t.status != Status.ok:
            why = t.quarantine_reason or "; ".join(t.warnings[:2]) or "a check failed"
            ans.caveats.append(f"{doc} {tid} is {t.status.value} ({why}); its figures are unverified")
    if bad:
        ans.refused = True
        ans.caveats.extend(bad)
    return ans
