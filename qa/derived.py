"""Derived questions: arithmetic on arithmetic, each step written out from cited figures.

- the difference of two averages: "the difference between the average A and the average B"
  (each averaged over the periods named, or over every period reported);
- the change of a two-period average: "the change between the 2018 and 2019 average X"
  (the average of 2019 and 2018 less the average of 2018 and 2017);
- a percentage change the table itself reports: when the row prints a "% change" figure
  that equals the recomputed one at the printed precision, the printed figure is the answer.
"""

from __future__ import annotations

import re
from decimal import Decimal

from . import compute as C
from .concepts import years_of
from .engine import Draft, Engine, Item
from .models import Computation
from .plan import subject_tokens

_TWO_AVG_RX = re.compile(
    r"\bbetween (?:the )?(?:(?:19|20)\d\d )?average (?:of )?(?:the )?(.+?) and (?:the )?(?:(?:19|20)\d\d )?average "
    r"(?:of )?(?:the )?(.+?)(?:\s+(?:from|in|for|between|during|over|across)\b|\?|$)"
    r"|\baverage difference between (?:the )?(.+?) and (?:the )?(.+?)(?:\s+(?:from|in|for|during|over|across)\b|\?|$)",
    re.I)
_AVG_CHANGE_RX = re.compile(
    r"\b(?:change|difference|increase|decrease)\b.*\baverage\b|\baverage\b.*\b(?:change|difference)\b", re.I)


def wants_derived(q: str) -> bool:
    return bool(_TWO_AVG_RX.search(q)) or (bool(_AVG_CHANGE_RX.search(q)) and len(_year_pairs(q)) == 2)


def _year_pairs(q: str) -> list[int]:
    """The later year of each averaged pair: '2017-2018, and 2018-2019' or '2018 and 2019 average'."""
    pairs = re.findall(r"((?:19|20)\d\d)\s*[-–/]\s*((?:19|20)\d\d)", q)
    if len(pairs) == 2:
        return sorted(max(int(a), int(b)) for a, b in pairs)
    m = re.search(r"\bbetween ((?:19|20)\d\d) and ((?:19|20)\d\d) average\b", q, re.I)
    return sorted([int(m.group(1)), int(m.group(2))]) if m else []


def _window(q: str) -> list[int]:
    """The years each average runs over: '2019 average' → 2018, 2019; 'from 2018 to 2019' → both."""
    m = re.search(r"\b((?:19|20)\d\d) average\b", q, re.I)
    if m:
        y = int(m.group(1))
        return [y - 1, y]
    ys = sorted(set(years_of(q)))
    if len(ys) >= 2:
        return list(range(ys[0], ys[-1] + 1))
    return ys


def _series(e: Engine, d: Draft, words: list[str], years: list[int]) -> list[Item] | str:
    from .operations import _anchor_set, _row_series, _series as series_of

    pool, why = e.pool(d.plan.model_copy(update={"concept": None}), words)
    if why:
        return why
    anchors, why = _anchor_set(e, d, pool, **({"year": max(years)} if years else {}))
    if why:
        return why
    a = anchors[0]
    got = series_of(e, d, a, pool, years) if years else _row_series(e, a)
    if len(got) < 2:
        got = _row_series(e, a)
        got = [it for it in got if not years or it.year in years] or got
    return got if len(got) >= 2 else f"fewer than two periods of {' '.join(words)} are reported"


def _average(e: Engine, d: Draft, items: list[Item]) -> Computation:
    figs = [e.cite(d, it) for it in items]
    comp = C.average(figs)
    d.computations.append(comp)
    return comp


def op_derived(e: Engine, d: Draft) -> str | None:
    q = d.plan.question
    m = _TWO_AVG_RX.search(q)
    if m:
        a_txt, b_txt = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        words = [subject_tokens(a_txt), subject_tokens(b_txt)]
        if not all(words):
            return "the two averaged line items are not named"
        years = _window(q)
        avgs = []
        for w in words:
            s = _series(e, d, w, years)
            if isinstance(s, str):
                return s
            avgs.append((s, _average(e, d, s)))
        (sa, ca), (sb, cb) = avgs
        r = ca.result - cb.result
        lines = (sa[0].row_text, sb[0].row_text)
    else:
        y0, y1 = _year_pairs(q)
        words = d.plan.subject
        s1, s0 = _series(e, d, words, [y1 - 1, y1]), _series(e, d, words, [y0 - 1, y0])
        if isinstance(s1, str) or isinstance(s0, str):
            return s1 if isinstance(s1, str) else s0
        ca, cb = _average(e, d, s1), _average(e, d, s0)
        r = ca.result - cb.result
        lines = (f"{s1[0].row_text} ({y1 - 1}–{y1})", f"{s0[0].row_text} ({y0 - 1}–{y0})")
    comp = Computation(op="difference", expression=f"{C.fmt(ca.result, 2)} − {C.fmt(cb.result, 2)} = {C.fmt(r, 2)}",
                       result=r, inputs=sorted(set(ca.inputs + cb.inputs)))
    d.computations.append(comp)
    d.values.append(r)
    d.lines.append(f"Average of {lines[0]}: {ca.expression}; average of {lines[1]}: {cb.expression}; "
                   f"difference: {comp.expression}.")
    return None


def reported_pct(e: Engine, cur: Item, prior: Item, pct: Decimal) -> Item | None:
    """A '% change' figure the row itself prints that equals the recomputed one at its precision."""
    for it in e.items(cur.doc):
        if it.table_id != cur.table_id or it.row != cur.row or it.col in (cur.col, prior.col):
            continue
        if not re.search(r"%|percent|change|variance|growth", it.header, re.I) and "%" not in it.raw:
            continue
        v = abs(it.value)
        places = max(0, -v.as_tuple().exponent) if isinstance(v.as_tuple().exponent, int) else 0
        if v != 0 and abs(abs(pct) - v) <= Decimal(5) * Decimal(10) ** (-places - 1) + Decimal("1e-9"):
            return it
    return None


_PERIOD_ROW_RX = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b"
                            r"|\b(?:month|quarter|q[1-4])\b", re.I)


def _period_rows(e: Engine, doc: str, table_id: str) -> list[int]:
    """Rows labelled by a period (a date range, a month, a quarter), in table order; totals excluded."""
    rows = sorted({(it.row, it.label, it.is_total) for it in e.items(doc) if it.table_id == table_id})
    return [r for r, label, tot in rows if not tot and _PERIOD_ROW_RX.search(label)]


def op_ordinal(e: Engine, d: Draft) -> str | None | bool:
    """'the first month', 'between the first to second month': rows picked by position; False: not such a table."""
    plan = d.plan
    words = [w for w in plan.subject if w not in ("first", "second", "third", "fourth", "last", "final")]
    pool, why = e.pool(plan.model_copy(update={"concept": None}), words)
    if why:
        return False
    ranked = sorted(pool, key=lambda it: -it.score)
    for a in ranked:
        rows = _period_rows(e, a.doc, a.table_id)
        if len(rows) >= 2:
            break
    else:
        return False
    try:
        picked = [rows[k - 1] if k > 0 else rows[k] for k in plan.ordinals]
    except IndexError:
        return f"the table lists {len(rows)} periods, fewer than the one asked"
    cells = {it.row: it for it in e.items(a.doc) if it.table_id == a.table_id and it.col == a.col}
    items = [cells.get(r) for r in picked]
    if any(it is None for it in items):
        return f"no figure for the period asked in {a.header}"
    figs = [e.cite(d, it) for it in items]
    op = plan.operation
    if len(items) == 2 and op in ("difference", "pct_change"):
        (early, fe), (late, fl) = sorted(zip(items, figs), key=lambda x: x[0].row)
        comp = (C.pct_change(fl, fe) if op == "pct_change" else None) or C.difference(fl, fe)
        d.unit = "%" if comp.op == "pct_change" else None
    elif op in ("share", "ratio"):
        total = next((it for r, it in sorted(cells.items()) if it.is_total), None)
        if total is None:
            return f"no total in {a.header} to take a share of"
        comp = C.share(figs[0], e.cite(d, total), percent=plan.percent_out)
        if comp is None:
            return "the total is zero"
        d.unit = "%" if plan.percent_out else None
    else:
        for it, f in zip(items, figs):
            d.values.append(it.value)
            d.lines.append(f"{a.header} in {it.label}: {C.fmt(it.value)} [{f.n}].")
        return None
    d.computations.append(comp)
    d.values.append(comp.result)
    d.lines.append(f"{a.header}: {comp.expression} ({', '.join(it.label for it in items)}).")
    return None
