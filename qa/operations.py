"""One function per operation: pick the cited figures, compute, and write the answer lines.

Each returns None on success (the draft holds figures, computations and lines) or the
reason the notes cannot answer (→ a refusal that names what is missing).
"""

from __future__ import annotations

import re
from decimal import Decimal

from . import compute as C
from .engine import CONTRA, Draft, Engine, Item, period_words, when
from .concepts import years_of
from .retrieve import period_matches
from .derived import op_derived, op_ordinal, reported_pct, wants_derived

MAX_GROUPS = 4


# ---- helpers ------------------------------------------------------------------------------
def _pred(year: int | None = None, date: str | None = None, months: int | None = None):
    return lambda it: period_matches(it, year=year, date=date, months=months)


def _latest_only(items: list[Item]) -> list[Item]:
    from .engine import identity

    best: dict[tuple, Item] = {}
    for it in items:
        k = identity(it)
        end = it.period.end_date if it.period and it.period.end_date else None
        cur = best.get(k)
        cur_end = cur.period.end_date if cur and cur.period and cur.period.end_date else None
        if cur is None or (end and (cur_end is None or end > cur_end)) or (not end and (it.year or 0) > (cur.year or 0)):
            best[k] = it
    return list(best.values())


def _periods_avail(pool: list[Item]) -> str:
    seen = sorted({period_words(it) for it in pool})
    return ", ".join(seen[:8]) or "none"


def _anchor_set(e: Engine, d: Draft, pool: list[Item], year=None, date=None) -> tuple[list[Item], str | None]:
    if (year or date) and not e.strict and not any(it.year for it in pool):
        d.caveats.append("the table has no period columns: the period is matched against row labels")
        want = int(date[:4]) if date else year
        for it in pool:  # rollforward-style rows: "Outstanding at September 30, 2018"
            ys = years_of(it.label)
            it.score += 2.5 if want in ys else (-1.0 if ys else 0.0)
        year = date = None
    anchors = e.anchors(pool, _pred(year, date))
    if not anchors and date and not e.strict:
        anchors = e.anchors(pool, _pred(int(date[:4])))  # a header date the period parser could not read
    if not anchors:
        when = date or year
        return [], f"no matching figure for {when} (reported: {_periods_avail(pool)})"
    if year is None and date is None:
        anchors = _latest_only(anchors)
        d.caveats.append("no period named: the latest reported period is used")
    if len(anchors) > MAX_GROUPS:
        d.caveats.append(f"{len(anchors)} line items match equally; showing {MAX_GROUPS}: name the row to narrow it")
        anchors = anchors[:MAX_GROUPS]
    return anchors, None


def _group(it: Item, anchors: list[Item]) -> str:
    parts = []
    if any(a.related != it.related for a in anchors):
        parts.append("related parties" if it.related else "consolidated")
    if any(a.months != it.months for a in anchors) and it.months:
        parts.append(f"{it.months} months")
    if len({a.row_text for a in anchors}) > 1:
        parts.append(it.row_text)
    if len({a.doc for a in anchors}) > 1:
        parts.append(it.doc)
    if len({a.header for a in anchors}) > 1 and len(parts) == 0:
        parts.append(it.header)
    return ", ".join(parts)


def _name(it: Item) -> str:
    row = it.row_text
    if it.is_total or row.lower() in ("total", ""):
        return f"{it.header} (total)"
    if it.concept in (None, "gross", "revenue") or it.header.lower() in row.lower():
        return row
    return f"{it.header} — {row}"


def _mag(it: Item, use_abs: bool) -> Decimal:
    return abs(it.value) if use_abs else it.value


def _contra(*items: Item) -> bool:
    """Figures printed as deductions ("(421,568)") are compared by their size."""
    return all(i.concept in CONTRA and i.value <= 0 for i in items)


def _scale_words(it: Item) -> str:
    cur = {"CNY": "RMB ", "USD": "US$ "}.get(it.currency or "", f"{it.currency} " if it.currency else "")
    sc = {1000: " thousand", 10**6: " million", 10**9: " billion"}.get(it.scale, "")
    return f" ({cur.strip()}{sc})" if cur or sc else ""


def _label(group: str) -> str:
    return f"[{group}] " if group else ""


# ---- operations ---------------------------------------------------------------------------
def op_value(e: Engine, d: Draft) -> str | None:
    plan = d.plan
    pool, why = e.pool(plan)
    if why:
        return why
    periods = [("date", x) for x in plan.dates] or [("year", y) for y in plan.years] or [("none", None)]
    kind, first = periods[0]
    anchors, why = _anchor_set(e, d, pool, **({kind: first} if kind != "none" else {}))
    if why:
        return why
    if plan.wants_total and len(anchors) == 1 and not anchors[0].is_total and len(periods) == 1:
        parts = _tied_rows(e, anchors[0], pool)
        if len(parts) >= 2:  # "total X" where the table prints the parts of X but no total line
            figs = [e.cite(d, it) for it in parts]
            comp = C.total(figs)
            d.computations.append(comp)
            d.values.append(comp.result)
            d.lines.append(f"Total of {', '.join(it.row_text for it in parts)} {when(parts[0])}: "
                           f"{comp.expression} {''.join(f'[{f.n}]' for f in figs)}.")
            return None
    if len(periods) == 1 and kind == "none" and re.search(r"\brespective(?:ly)?\b", plan.question, re.I):
        cols = _named_columns(e, anchors[0], plan.question)
        if len(cols) >= 2:  # one value per column the question names, in its order
            for it in cols:
                f = e.cite(d, it)
                d.values.append(it.value)
                d.lines.append(f"{_name(anchors[0])}, {it.header}: {C.fmt(it.value)} [{f.n}].")
            return None
    for a in anchors:
        g = _group(a, anchors)
        d.groups.append(g) if g else None
        use_abs = _contra(a)
        items = [a]
        for kind2, p in periods[1:]:
            other = e.counterpart(a, pool, _pred(**{kind2: p}))
            if other is None:
                d.caveats.append(f"{_name(a)}: no figure for {p}")
            else:
                items.append(other)
        parts = []
        for it in items:
            f = e.cite(d, it, g)
            d.values.append(_mag(it, use_abs))
            parts.append(f"{C.fmt(_mag(it, use_abs))} {when(it)} [{f.n}]")
        note = " (reported as a deduction)" if use_abs else ""
        d.lines.append(f"{_label(g)}{_name(a)}: {'; '.join(parts)}{note}{_scale_words(a)}.")
        if plan.breakdown and a.is_total:
            _components(e, d, a, g)
    return None


def _tied_rows(e: Engine, a: Item, pool: list[Item]) -> list[Item]:
    """Other rows of the anchor's column that match the subject as well as the anchor does."""
    return [it for it in pool if it.table_id == a.table_id and it.doc == a.doc and it.col == a.col
            and not it.is_total and it.score >= a.score - 0.45]


def _components(e: Engine, d: Draft, total: Item, group: str, prior: Item | None = None) -> None:
    comps = [it for it in e.items(total.doc) if it.table_id == total.table_id and it.col == total.col
             and not it.is_total and it.row != total.row]
    if not comps or len(comps) > 12:
        return
    use_abs = _contra(total)
    out = []
    for it in comps:
        f = e.cite(d, it, group)
        s = f"{it.row_text} {C.fmt(_mag(it, use_abs))} [{f.n}]"
        if prior is not None:
            p = next((x for x in e.items(prior.doc) if x.table_id == prior.table_id and x.col == prior.col
                      and x.row_tokens == it.row_tokens), None)
            if p is not None:
                fp = e.cite(d, p, group)
                s += f" vs {C.fmt(_mag(p, use_abs))} [{fp.n}]"
        out.append(s)
    d.lines.append(f"  by line: {'; '.join(out)}.")


def _cur_prior_periods(plan) -> tuple[dict, dict | None]:
    if len(plan.dates) >= 2:
        ds = sorted(plan.dates)
        return {"date": ds[-1]}, {"date": ds[0]}
    if len(plan.years) >= 2:
        return {"year": max(plan.years)}, {"year": min(plan.years)}
    if plan.dates:
        return {"date": plan.dates[0]}, None
    if plan.years:
        return {"year": plan.years[0]}, None
    return {}, None


def op_change(e: Engine, d: Draft) -> str | None:
    plan = d.plan
    pool, why = e.pool(plan)
    if why:
        return why
    cur_p, prior_p = _cur_prior_periods(plan)
    anchors, why = _anchor_set(e, d, pool, **cur_p)
    if why:
        return why
    missing = []
    for a in anchors:
        g = _group(a, anchors)
        prior = e.counterpart(a, pool, _pred(**prior_p)) if prior_p else e.earlier(a, pool)
        if prior is None:
            missing.append(f"{_name(a)}{' [' + g + ']' if g else ''}: no earlier period to compare with "
                           f"{period_words(a)}" if not prior_p else f"no figure for {list(prior_p.values())[0]}")
            continue
        if g:
            d.groups.append(g)
        _change_line(e, d, a, prior, g)
        if a.is_total and (plan.breakdown or plan.operation == "difference"):
            _components(e, d, a, g, prior)
    if not d.figures:
        return "; ".join(missing)
    d.caveats.extend(missing)
    return None


def _change_line(e: Engine, d: Draft, a: Item, prior: Item, g: str) -> None:
    use_abs = _contra(a, prior)
    fa, fp = e.cite(d, a, g), e.cite(d, prior, g)
    diff = C.difference(fa, fp, use_abs=use_abs, group=g)
    pct = C.pct_change(fa, fp, use_abs=use_abs, group=g)
    d.computations.append(diff)
    if pct:
        d.computations.append(pct)
    want_pct = d.plan.operation == "pct_change"
    if want_pct and pct is None:
        d.caveats.append(f"{_name(a)}: the earlier figure is zero, so no percentage change")
    fell = re.search(r"\b(?:decrease|decline|fall|drop)(?:d|s)? by\b|\bhow much (?:did|has|have) .+ (?:decrease|decline|"
                     r"fall|drop)\b", d.plan.question, re.I)
    shown = reported_pct(e, a, prior, pct.result) if want_pct and pct else None
    if shown is not None:
        fs = e.cite(d, shown, g)
        val = abs(shown.value) if pct.result >= 0 else -abs(shown.value)
        d.values.append(val)
        d.caveats.append(f"the table reports the change as {shown.raw} [{fs.n}], which the recomputed "
                         f"{C.fmt(pct.result, 2)}% ties to at its printed precision")
    else:
        d.values.append(pct.result if want_pct and pct else (-diff.result if fell else diff.result))
    d.unit = "%" if want_pct else None
    way = "up" if diff.result > 0 else ("down" if diff.result < 0 else "unchanged")
    pct_txt = f" ({'+' if pct.result > 0 else ''}{C.fmt(pct.result, 1)}%)" if pct else ""
    d.lines.append(f"{_label(g)}{_name(a)} was {C.fmt(_mag(a, use_abs))} {when(a)} [{fa.n}] against "
                   f"{C.fmt(_mag(prior, use_abs))} {when(prior)} [{fp.n}], {way} "
                   f"{C.fmt(abs(diff.result))}{pct_txt}{_scale_words(a)}.")


def _series(e: Engine, d: Draft, a: Item, pool: list[Item], years: list[int]) -> list[Item]:
    from .engine import identity

    if years:
        got = [e.counterpart(a, pool, _pred(year=y)) for y in years]
        return [x for x in got if x is not None]
    same = {}
    for it in pool:
        if identity(it) == identity(a):
            same.setdefault(it.period_key, it)
    return sorted(same.values(), key=_when_key)


def _when_key(it: Item) -> tuple:
    end = it.period.end_date.isoformat() if it.period is not None and it.period.end_date else ""
    return (it.year or 0, end)


def op_aggregate(e: Engine, d: Draft) -> str | None:
    """sum / average / growth_rate over the periods of one line item."""
    plan = d.plan
    pool, why = e.pool(plan)
    if why:
        return why
    years = sorted(set(plan.years))
    if plan.operation == "average" and len(years) == 1:
        years = [years[0] - 1, years[0]]
        d.caveats.append(f"average over {years[0]} and {years[1]}")
    anchors, why = _anchor_set(e, d, pool, **({"year": years[-1]} if years else {}))
    if why:
        return why
    for a in anchors:
        g = _group(a, anchors)
        series = _series(e, d, a, pool, years) if years or not a.year else _row_series(e, a)
        if len(series) < 2 and plan.operation in ("sum", "average"):
            series = _members_of(e, a)  # "average ... per segment", "sum of all X": across the rows
        if len(series) < 2:
            d.caveats.append(f"{_name(a)}: fewer than two periods reported")
            continue
        figs = [e.cite(d, it, g) for it in series]
        use_abs = _contra(*series)
        if plan.operation == "sum":
            comp = C.total(figs, use_abs=use_abs, group=g)
        elif plan.operation == "average":
            comp = C.average(figs, use_abs=use_abs, group=g)
        else:
            n = (series[-1].year or 0) - (series[0].year or 0)
            comp = C.growth_rate(figs[0], figs[-1], n, group=g)
            d.unit = "%"
            if comp is None:
                d.caveats.append(f"{_name(a)}: no growth rate for non-positive figures")
                continue
        d.computations.append(comp)
        d.values.append(comp.result)
        refs = "".join(f"[{f.n}]" for f in figs)
        d.lines.append(f"{_label(g)}{plan.operation.replace('_', ' ')} of {_name(a)} over "
                       f"{', '.join(period_words(it) for it in series)}: {comp.expression} {refs}.")
    return None if d.values else "fewer than two periods of the line item are reported"


def _year_kw(plan) -> dict:
    """The anchor filter for the plan's first year, when it names one."""
    return {"year": plan.years[0]} if plan.years else {}


def _members_of(e: Engine, a: Item) -> list[Item]:
    """The component rows of the anchor's column (its section when it has one), totals excluded."""
    col = [it for it in e.items(a.doc) if it.table_id == a.table_id and it.col == a.col and not it.is_total]
    if a.section:
        col = [it for it in col if it.section == a.section] or col
    return col


def op_share(e: Engine, d: Draft) -> str | None:
    plan = d.plan
    pool, why = e.pool(plan)
    if why:
        return why
    anchors, why = _anchor_set(e, d, pool, **_year_kw(plan))
    if why:
        return why
    if all(a.value == 100 and "%" in a.raw for a in anchors) and plan.concept:
        # the concept named the 100% line ("percentage of sales"): the part is the other line named
        base_rows = {(a.doc, a.table_id, a.row) for a in anchors}
        pool2, why = e.pool(plan.model_copy(update={"concept": None}))
        pool2 = [it for it in pool2 if (it.doc, it.table_id, it.row) not in base_rows]
        if not why and pool2:
            anchors, why = _anchor_set(e, d, pool2, **_year_kw(plan))
            if why:
                return why
    for a in anchors:
        g = _group(a, anchors)
        part = _named_column(e, a, plan.question) if a.is_total or _is_total_col(a) else None
        if part is not None:  # "X of more than 5 years in the total X": a column of the row over its total
            fa, fw = e.cite(d, part, g), e.cite(d, a, g)
            comp = C.share(fa, fw, percent=plan.percent_out or plan.operation == "share", group=g)
            if comp is not None:
                d.computations.append(comp)
                d.values.append(comp.result)
                d.unit = "%" if plan.operation == "share" else None
                d.lines.append(f"{_label(g)}{part.row_text}, {part.header}, against {a.header}: "
                               f"{comp.expression} [{fa.n}][{fw.n}].")
                continue
        whole = _whole_of(e, a)
        base = _common_size_base(e, a) if whole is None or whole.row == a.row else None
        if base is not None:  # a common-size table: the figure already is the share of the 100% line
            fa, fb = e.cite(d, a, g), e.cite(d, base, g)
            d.values.append(a.value)
            d.unit = "%"
            d.lines.append(f"{_label(g)}{a.row_text} is {C.fmt(a.value)}% of {base.row_text} {when(a)} "
                           f"[{fa.n}] (the table states each line as a percentage of {base.row_text} = "
                           f"{base.raw} [{fb.n}]).")
            continue
        if whole is None or whole.row == a.row:
            d.caveats.append(f"{_name(a)}: no total to take a share of")
            continue
        fa, fw = e.cite(d, a, g), e.cite(d, whole, g)
        comp = C.share(fa, fw, percent=plan.percent_out or plan.operation == "share" and
                       "proportion" not in plan.question.lower(), group=g)
        if comp is None:
            continue
        d.computations.append(comp)
        d.values.append(comp.result)
        d.unit = "%" if plan.operation == "share" else None
        d.lines.append(f"{_label(g)}{a.row_text} is {C.fmt(comp.result, 2)}{d.unit or ''} of the total "
                       f"{_name(whole)} {when(a)}: {comp.expression} [{fa.n}][{fw.n}].")
    return None if d.values else "the share needs a part and its total in the same table"


def _is_total_col(it: Item) -> bool:
    return bool(re.fullmatch(r"\s*total\b.*", it.header, re.I))


def _named_column(e: Engine, a: Item, q: str) -> Item | None:
    """Another column of the anchor's row whose whole header (two words or more) the question spells out."""
    qw = set(re.findall(r"[a-z]+|\d+", q.lower()))
    best, hits = None, 1
    for it in e.items(a.doc):
        if it.table_id != a.table_id or it.row != a.row or it.col == a.col:
            continue
        hw = set(re.findall(r"[a-z]+|\d+", it.header.lower()))
        if len(hw) > hits and hw <= qw:
            best, hits = it, len(hw)
    return best


_NUM_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "ten": "10"}


def _words_of(text: str) -> list[str]:
    return [_NUM_WORDS.get(w, w).rstrip("s") for w in re.findall(r"[a-z]+|\d+", text.lower())]


def _named_columns(e: Engine, a: Item, q: str) -> list[Item]:
    """The cells of the anchor's row whose distinguishing header words the question spells out, in its order."""
    row = [it for it in e.items(a.doc) if it.table_id == a.table_id and it.row == a.row]
    heads = {it.col: set(_words_of(it.header)) for it in row}
    shared = {w for w in set().union(*heads.values()) if sum(w in h for h in heads.values()) > 1} if heads else set()
    qw = _words_of(q)
    label = set(_words_of(a.row_text))
    out = []
    for it in row:
        own = heads[it.col] - shared
        if own and own <= set(qw) and not own <= label:
            out.append((min(k for k, w in enumerate(qw) if w in own), it))
    return [it for _, it in sorted(out, key=lambda x: x[0])]


def _common_size_base(e: Engine, part: Item) -> Item | None:
    """The line printed as 100% in the part's column, when the table states lines as percentages of it."""
    return next((it for it in e.items(part.doc) if it.table_id == part.table_id and it.col == part.col
                 and it.row != part.row and it.value == 100 and "%" in it.raw), None)


def _whole_of(e: Engine, part: Item) -> Item | None:
    """The total a part belongs to: the Total row of its column, or its parent [Member] row."""
    col = [it for it in e.items(part.doc) if it.table_id == part.table_id and it.col == part.col
           and it.row != part.row]
    if part.members:
        parents = [it for it in col if len(it.members) < len(part.members)
                   and tuple(part.members[:len(it.members)]) == it.members and it.label == part.label]
        if parents:
            return max(parents, key=lambda it: len(it.members))
    totals = [it for it in col if it.is_total and not it.members and it.section == part.section]
    return totals[0] if totals else None


def op_is_part_whole(op: str, percent: bool) -> bool:
    return op == "share" or (op == "ratio" and percent)


def _is_whole_of(a: Item, b: Item) -> bool:
    """a is the total b belongs to: a Total row against a component, or a parent [Member]."""
    if a.is_total != b.is_total:
        return a.is_total
    return len(a.members) < len(b.members) and tuple(b.members[:len(a.members)]) == a.members


def two_subjects(e: Engine, d: Draft) -> str | None:
    """difference / ratio / share / sum of two named line items in the same period."""
    plan = d.plan
    picks = []
    at = {"year": max(plan.years)} if plan.years else ({"date": plan.dates[0]} if plan.dates else {})
    for k, words in enumerate(plan.subjects):
        concept = (plan.subject_concepts[k] if k < len(plan.subject_concepts) else None) or plan.concept
        pool, why = e.pool(plan.model_copy(update={"concept": concept}), words)
        if why:
            return why
        own_year = plan.subject_years[k] if k < len(plan.subject_years) else None
        anchors, why = _anchor_set(e, d, pool, **({"year": own_year} if own_year else at))
        if why:
            return why
        if picks:
            same = [x for x in anchors if x.table_id == picks[0].table_id and x.doc == picks[0].doc]
            anchors = same or anchors
        picks.append(anchors[0])
    a, b = picks
    if op_is_part_whole(plan.operation, plan.percent_out) and _is_whole_of(a, b):
        a, b = b, a  # "share of the total from X": the part is X
    fa, fb = e.cite(d, a), e.cite(d, b)
    op = plan.operation
    if op == "difference":
        if a.value < b.value and re.search(r"\bdifference\b", plan.question, re.I):
            a, b, fa, fb = b, a, fb, fa  # "the difference between A and B": the larger less the smaller
        comp = C.difference(fa, fb)
    elif op == "sum":
        comp = C.total([fa, fb])
    else:
        comp = C.share(fa, fb, percent=plan.percent_out)
        d.unit = "%" if plan.percent_out else None
    if comp is None:
        return f"{_name(b)} is zero"
    d.computations.append(comp)
    d.values.append(comp.result)
    d.lines.append(f"{_name(a)} [{fa.n}] and {_name(b)} [{fb.n}] {when(a)}: {comp.expression}.")
    return None


def op_ratio(e: Engine, d: Draft) -> str | None:
    plan = d.plan
    if len(plan.years) < 2:
        return op_share(e, d)
    pool, why = e.pool(plan)
    if why:
        return why
    cur_p, prior_p = _cur_prior_periods(plan)
    anchors, why = _anchor_set(e, d, pool, **cur_p)
    if why:
        return why
    a = anchors[0]
    b = e.counterpart(a, pool, _pred(**prior_p))
    if b is None:
        return f"no figure for {list(prior_p.values())[0]}"
    fa, fb = e.cite(d, a), e.cite(d, b)
    comp = C.share(fa, fb, percent=False)
    if comp is None:
        return "the divisor is zero"
    d.computations.append(comp)
    d.values.append(comp.result)
    d.lines.append(f"{_name(a)}: {comp.expression} [{fa.n}][{fb.n}].")
    return None


def op_breakdown(e: Engine, d: Draft) -> str | None:
    plan = d.plan
    pool, why = e.pool(plan)
    if why:
        return why
    anchors, why = _anchor_set(e, d, [it for it in pool if it.is_total] or pool,
                               **_year_kw(plan))
    if why:
        return why
    for a in anchors:
        g = _group(a, anchors)
        f = e.cite(d, a, g)
        d.values.append(_mag(a, _contra(a)))
        d.lines.append(f"{_label(g)}{_name(a)} {when(a)}: {C.fmt(_mag(a, _contra(a)))} [{f.n}]"
                       f"{_scale_words(a)}.")
        _components(e, d, a, g)
    return None


_THRESH_RX = re.compile(r"\b(less|lower|smaller|fewer|below|under|more|greater|higher|larger|above|over|exceed(?:s|ed)?)"
                        r"\s*(?:than\s*)?(?:of\s*)?\$?\s*(-?[\d,]*\.?\d+)\s*(%|percent)?", re.I)
_BY_PERIOD_RX = re.compile(r"\b(?:which|what) (?:fiscal )?(?:years?|periods?|fy|quarters?|dates?)\b|\bwhen\b", re.I)


def _row_series(e: Engine, a: Item) -> list[Item]:
    """The anchor's row across the columns that carry a year: one cell per year, nearest first."""
    same = [it for it in e.items(a.doc) if it.table_id == a.table_id and it.row == a.row and it.year]
    by_year: dict[int, Item] = {}
    for it in sorted(same, key=lambda it: abs(it.col - a.col)):
        by_year.setdefault(it.year, it)
    return sorted(by_year.values(), key=lambda it: it.year)


def op_compare(e: Engine, d: Draft) -> str | None:
    """Which member (or which period) is the largest / smallest, or passes a threshold."""
    plan = d.plan
    pool, why = e.pool(plan)
    if why:
        return why
    which = plan.extreme or "max"
    if _BY_PERIOD_RX.search(plan.question):
        return _compare_periods(e, d, pool, which)
    anchors, why = _anchor_set(e, d, pool, **_year_kw(plan))
    if why:
        return why
    a = anchors[0]
    comps = [it for it in e.items(a.doc) if it.table_id == a.table_id and it.col == a.col and not it.is_total]
    if len(comps) < 2:
        return "fewer than two lines to compare"
    use_abs = _contra(*comps)
    best = max(comps, key=lambda it: _mag(it, use_abs)) if which == "max" else \
        min(comps, key=lambda it: _mag(it, use_abs))
    for it in comps:
        e.cite(d, it)
    d.text_value = best.row_text
    fb = e.cite(d, best)
    d.values.append(_mag(best, use_abs))
    d.lines.append(f"{best.row_text} has the {'largest' if which == 'max' else 'smallest'} {a.header} "
                   f"{when(best)}: {C.fmt(_mag(best, use_abs))} [{fb.n}].")
    return None


def _compare_periods(e: Engine, d: Draft, pool: list[Item], which: str) -> str | None:
    anchors, why = _anchor_set(e, d, [it for it in pool if it.year] or pool)
    if why:
        return why
    a = anchors[0]
    series = _row_series(e, a)
    if years := sorted(set(d.plan.years)):
        series = [it for it in series if it.year in years] or series
    if not series:
        return "no periods to compare"
    figs = [e.cite(d, it) for it in series]
    refs = "".join(f"[{f.n}]" for f in figs)
    m = _THRESH_RX.search(d.plan.question)
    if m:
        limit = Decimal(m.group(2).replace(",", ""))
        below = m.group(1).lower() in ("less", "lower", "smaller", "fewer", "below", "under")
        hits = [it for it in series if (it.value < limit if below else it.value > limit)]
        d.spans = [str(it.year) for it in sorted(hits, key=lambda it: -it.year)]
        d.text_value = ", ".join(d.spans) or None
        d.lines.append(f"{_name(a)} is {'below' if below else 'above'} {C.fmt(limit)} in "
                       f"{d.text_value or 'no reported period'} {refs}.")
        return None
    best = max(series, key=lambda it: it.value) if which == "max" else min(series, key=lambda it: it.value)
    d.text_value = str(best.year)
    d.lines.append(f"{_name(a)} was {'largest' if which == 'max' else 'smallest'} in {best.year} "
                   f"({C.fmt(best.value)}) {refs}.")
    return None


def op_rollforward(e: Engine, d: Draft) -> str | None:
    """Why did a balance change: opening + each movement = ending, for one period."""
    plan = d.plan
    plan_c = plan.model_copy(update={"concept": "ending"})
    pool, why = e.pool(plan_c)
    if why:
        return why
    anchors, why = _anchor_set(e, d, pool, **_year_kw(plan))
    if why:
        return why
    done = 0
    for a in anchors:
        g = _group(a, anchors)
        parts = _movement_items(e, a)
        if parts is None:
            d.caveats.append(f"{_name(a)}: no rollforward found in {a.doc} {a.table_id}")
            continue
        opening, flows = parts
        fo = e.cite(d, opening, g)
        ff = [e.cite(d, it, g) for it in flows]
        fe = e.cite(d, a, g)
        comp = C.rollforward(fo, ff, fe, group=g)
        d.computations.append(comp)
        change = a.value - opening.value
        d.values.append(change)
        way = "fell" if change < 0 else ("rose" if change > 0 else "was unchanged")
        moves = "; ".join(f"{it.header if it.row == a.row else it.label} "
                          f"{'+' if it.value >= 0 else '−'}{C.fmt(abs(it.value))} [{f.n}]" for it, f in zip(flows, ff))
        d.lines.append(f"{_label(g)}{a.row_text if not a.is_total else 'The balance'} {way} by {C.fmt(abs(change))} "
                       f"from {C.fmt(opening.value)} [{fo.n}] to {C.fmt(a.value)} [{fe.n}] {when(flows[0] if flows else a)}: "
                       f"{moves}. {comp.expression}")
        done += 1
    return None if done else "no movement (rollforward) table matches"


def _movement_items(e: Engine, ending: Item) -> tuple[Item, list[Item]] | None:
    same_row = [it for it in e.items(ending.doc) if it.table_id == ending.table_id and it.row == ending.row]
    opens = [it for it in same_row if it.concept == "opening" and it.col < ending.col]
    if opens:
        o = opens[0]
        flows = [it for it in same_row if o.col < it.col < ending.col]
        return o, flows
    same_col = [it for it in e.items(ending.doc) if it.table_id == ending.table_id and it.col == ending.col
                and it.members == ending.members and it.section == ending.section]
    opens = [it for it in same_col if it.concept == "opening" and it.row < ending.row]
    if not opens:
        return None
    o = opens[-1]
    flows = [it for it in same_col if o.row < it.row < ending.row]
    return o, flows


def op_count(e: Engine, d: Draft) -> str | None:
    """How many: years passing a threshold, or line items under a heading."""
    q = d.plan.question
    if _THRESH_RX.search(q) and re.search(r"\bhow many (?:of the )?(?:years|periods|quarters)\b", q, re.I):
        pool, why = e.pool(d.plan)
        why = why or _compare_periods(e, d, pool, "max")
    elif re.search(r"\bhow many (?:of the )?(?:years|periods|fiscal years)\b", q, re.I):
        why = op_periods(e, d)
    else:
        why = op_items(e, d)
    if why:
        return why
    n = len(d.spans)
    d.values = [Decimal(n)]
    d.lines.append(f"That is {n}.")
    return None


def op_periods(e: Engine, d: Draft) -> str | None:
    """Which years the table (or the named line item) reports, newest first."""
    pool, why = e.pool(d.plan)
    if why and not e.strict:  # open world: a question about "the table" names the table, not a row
        pool, why = e.pool(d.plan.model_copy(update={"concept": None}), [])
    if why:
        return why
    anchors, why = _anchor_set(e, d, pool)
    if why:
        return why
    a = anchors[0]
    down = _period_rows(e, a)
    if down:  # the periods run down the rows (a maturity schedule)
        for it in down:
            e.cite(d, it)
        d.spans = [it.label.strip() for it in down]
        d.text_value = ", ".join(d.spans)
        d.lines.append(f"The table runs over {d.text_value}.")
        return None
    same_row = [it for it in e.items(a.doc) if it.table_id == a.table_id and it.row == a.row and it.year]
    years = sorted({it.year for it in same_row}, reverse=True)
    if not years:
        return "the table names no periods"
    for it in same_row:
        e.cite(d, it)
    d.spans = [str(y) for y in years]
    d.text_value = ", ".join(d.spans)
    d.lines.append(f"{a.row_text} is reported for {d.text_value}.")
    return None


_PERIOD_LABEL_RX = re.compile(r"\s*(?:fiscal\s+|fy\s*)?(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)?\d\d)?\s*|\s*thereafter\s*"
                              r"|\s*(?:19|20)\d\d and (?:thereafter|beyond|later)\s*", re.I)


def _period_rows(e: Engine, a: Item) -> list[Item]:
    """The rows of the anchor's table labelled by a year (or 'Thereafter'), when there are two or more."""
    rows = {it.row: it for it in e.items(a.doc) if it.table_id == a.table_id and it.col == a.col}
    hits = [rows[r] for r in sorted(rows) if _PERIOD_LABEL_RX.fullmatch(rows[r].label)]
    return hits if sum(1 for it in hits if years_of(it.label)) >= 2 else []


_GLUED_NOTE_RX = re.compile(r"(?<=[a-z]{4})[1-9]$")  # "Incentive schemes1": a footnote marker glued to the label


def op_items(e: Engine, d: Draft) -> str | None:
    """Which line items a table (or the section / total the question names) lists."""
    pool, why = e.pool(d.plan)
    if why:
        return why
    anchors, why = _anchor_set(e, d, pool)
    if why:
        return why
    a = anchors[0]
    col = list({it.row: it for it in e.items(a.doc) if it.table_id == a.table_id}.values())
    col.sort(key=lambda it: it.row)
    section = [it for it in col if a.section and it.section == a.section and it.row != a.row]
    if section:
        rows = section
    elif a.is_total or (d.plan.subject and a.row_tokens & set(d.plan.subject)):
        rows = [it for it in col if it.row < a.row and not it.is_total] if a.row > 0 else []
        rows = rows or [it for it in col if not it.is_total]
    else:
        rows = [it for it in col if not it.is_total]
    rows = [it for it in rows if it.label.strip() and not re.match(r"(?:total|net)\b", it.label.strip(), re.I)]
    for it in rows:
        e.cite(d, it)
    d.spans = [_GLUED_NOTE_RX.sub("", it.label) for it in rows]
    d.text_value = "; ".join(d.spans)
    d.lines.append(f"Line items: {d.text_value}.")
    return None


OPERATIONS = {
    "periods": op_periods, "items": op_items,
    "value": op_value, "difference": op_change, "pct_change": op_change, "sum": op_aggregate,
    "average": op_aggregate, "growth_rate": op_aggregate, "share": op_share, "ratio": op_ratio,
    "rollforward": op_rollforward, "compare": op_compare, "breakdown": op_breakdown, "count": op_count,
}


def several_values(e: Engine, d: Draft) -> str | None:
    """'the X of A and B respectively': one value per named line item, same period."""
    plan = d.plan
    at = {"year": plan.years[0]} if plan.years else ({"date": plan.dates[0]} if plan.dates else {})
    first: Item | None = None
    for words in plan.subjects:
        pool, why = e.pool(plan, words)
        if why:
            return why
        anchors, why = _anchor_set(e, d, pool, **at)
        if why:
            return why
        if first is not None:
            anchors = [x for x in anchors if x.table_id == first.table_id] or anchors
        a = anchors[0]
        if first is not None and (a.row, a.col) == (first.row, first.col):
            continue
        first = first or a
        f = e.cite(d, a)
        d.values.append(a.value)
        d.lines.append(f"{_name(a)}: {C.fmt(a.value)} {when(a)} [{f.n}].")
    return None


def run_operation(e: Engine, d: Draft) -> str | None:
    plan = d.plan
    if wants_derived(plan.question):
        return op_derived(e, d)
    if plan.ordinals and (not plan.subjects or plan.operation in ("share", "ratio")) and (got := op_ordinal(e, d)) is not False:
        return got
    if plan.subjects and plan.operation == "value":
        joined = set().union(*plan.subjects)
        a_words, b_words = set(plan.subjects[0]), set(plan.subjects[-1])
        if any(a_words <= it.row_tokens and b_words & it.row_tokens for it in e.items(plan.doc)):
            # one line item whose name holds an "and": "Property, plant and equipment"
            d.plan = plan.model_copy(update={"subjects": [], "subject": sorted(joined | set(plan.subject))})
            return op_value(e, d)
        return several_values(e, d)
    if plan.subjects and plan.operation in ("difference", "ratio", "share", "sum"):
        return two_subjects(e, d)
    return OPERATIONS[plan.operation](e, d)
