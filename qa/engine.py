"""The answering engine: plan → retrieve → compute → verify, over any index-like store.

The store needs only ``tables(doc=None)`` and ``table(doc, table_id)`` (``FactIndex`` or
``MemoryIndex``); optional ``count()`` lets the engine notice new documents. Items are
built from the tables once and cached, so a warm ``ask`` is a few milliseconds.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from extractor.models import Citation, Table

from .concepts import expand, tokens
from .models import Answer, Computation, Figure, QueryPlan
from .plan import plan_question
from .retrieve import Item, score_item, table_items
from .verify import verify_answer

CONTRA = {"writeoff", "allowance"}
_MONTH_WORD = {3: "three", 6: "six", 9: "nine"}


@dataclass
class Draft:
    """The answer under construction: figures numbered as they are cited."""

    plan: QueryPlan
    figures: list[Figure] = field(default_factory=list)
    computations: list[Computation] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    values: list = field(default_factory=list)
    text_value: str | None = None
    spans: list = field(default_factory=list)
    unit: str | None = None


class Engine:
    def __init__(self, store, *, strict: bool = True):
        self.store = store
        self.strict = strict  # refuse when the question names a word no indexed table uses
        self._vocab: dict[object, set[str]] = {}
        self._tables: dict[tuple[str, str], Table] = {}
        self._items: list[Item] = []
        self._stamp: object = None
        self._balances_ok = True  # set per question by ask(): False unless it asks at a date

    # ---- data ------------------------------------------------------------------------------
    def _refresh(self) -> None:
        stamp = self.store.count() if hasattr(self.store, "count") else None
        if self._tables and stamp == self._stamp:
            return
        self._tables = {(t.doc, t.table_id): t for t in self.store.tables()}
        self._items = [it for t in self._tables.values() for it in table_items(t)]
        self._by_doc: dict[str, list[Item]] = {}
        for it in self._items:
            self._by_doc.setdefault(it.doc, []).append(it)
        self._stamp = stamp
        self._vocab = {}

    def vocabulary(self, doc: str | None = None) -> set[str]:
        """Every token of the row labels, headers, sections, members and captions in scope."""
        self._refresh()
        if doc not in self._vocab:
            v: set[str] = set()
            for (d, _), t in self._tables.items():
                if doc is None or d == doc:
                    v |= expand(tokens(" ".join([t.title, t.caption, *(c.header for c in t.columns)])))
                    for r in t.rows:
                        v |= expand(tokens(" ".join([*r.members, r.section or "", r.label])))
            self._vocab[doc] = v
        return self._vocab[doc]

    def unplaced_rows(self, doc: str | None, subj: set[str]) -> str:
        """Rows naming the subject whose values exist but were held back as unplaced."""
        names = []
        for (d, tid), t in self._tables.items():
            if doc is not None and d != doc:
                continue
            for r in t.rows:
                held = r.extra or [c for c in r.cells if c.status.value == "ambiguous" and c.value is not None]
                if held and subj <= expand(tokens(" ".join([*r.members, r.section or "", r.label]))):
                    names.append(f"{' / '.join([*r.members, r.label])} ({d} {tid})")
        return "; ".join(names[:3])

    def table(self, doc: str, table_id: str) -> Table:
        self._refresh()
        t = self._tables.get((doc, table_id))
        return t if t is not None else self.store.table(doc, table_id)

    def items(self, doc: str | None = None, *, balances: bool | None = None) -> list[Item]:
        """The items in scope; unplaced values determined only as balances serve questions at a date."""
        self._refresh()
        out = list(self._items) if doc is None else list(self._by_doc.get(doc, []))
        ok = self._balances_ok if balances is None else balances
        return out if ok else [it for it in out if it.mode != "balance"]

    def documents(self) -> list[str]:
        self._refresh()
        return sorted({d for d, _ in self._tables})

    # ---- answering --------------------------------------------------------------------------
    def ask(self, question: str, *, doc: str | None = None) -> Answer:
        t0 = time.perf_counter()
        plan = plan_question(question, doc=doc)
        self._balances_ok = bool(plan.dates or plan.instant)
        if not self.documents():
            ans = refusal(plan, "no documents are indexed yet: run `tickmark ingest PATH...` first")
        elif doc and doc not in self.documents():
            ans = refusal(plan, f"document {doc!r} is not indexed (known: {', '.join(self.documents()[:8])})")
        else:
            from .operations import run_operation

            draft = Draft(plan=plan)
            why = run_operation(self, draft)
            ans = refusal(plan, why) if why else finish(draft)
            if not ans.refused:
                verify_answer(ans, self.table)
        ans.elapsed_ms = round((time.perf_counter() - t0) * 1000, 2)
        return ans

    # ---- retrieval --------------------------------------------------------------------------
    def pool(self, plan: QueryPlan, subject: list[str] | None = None) -> tuple[list[Item], str | None]:
        """Items that can answer: right document, concept, party filter and currency; scored."""
        subj = set(subject if subject is not None else plan.subject)
        items, why = self._filtered(plan)
        if why:
            return [], why
        for it in items:
            it.score = score_item(it, subj) - (1.5 if plan.concept is None and it.concept not in
                                               (None, "gross", "revenue", "total") else 0.0)
            if plan.wants_total and it.is_total:
                it.score += 1.0
        if subj and self.strict and (why := self._unknown_words(plan, subj)):
            return [], why
        if subj:
            matched = [it for it in items
                       if subj & (it.row_tokens | it.head_tokens | it.ctx_tokens | it.title_tokens)]
            if not matched and plan.concept and not self.strict:
                # open-world: the concept may be the table's subject rather than a column's role
                return self.pool(plan.model_copy(update={"concept": None}), subject)
            items = matched
            if not items:
                return [], f"nothing reported matches {' '.join(sorted(subj))!r}{_in_doc(plan)}"
        return items, None

    def _filtered(self, plan: QueryPlan) -> tuple[list[Item], str | None]:
        items = self.items(plan.doc)
        if plan.concept:
            hard = [it for it in items if it.concept == plan.concept]
            if not hard and self.strict:
                return [], f"no {plan.concept} figures are reported{_in_doc(plan)}"
            items = hard or items
        if plan.related_party is not None:
            items = [it for it in items if it.related == plan.related_party]
            if not items:
                kind = "related-party" if plan.related_party else "non-related-party"
                return [], f"no {kind} figures match{_in_doc(plan)}"
        items = _currency_filter(items, plan.question)
        if plan.months is None and any(it.months == 12 for it in items):
            items = [it for it in items if it.months in (12, None)]
        elif plan.months is not None:
            items = [it for it in items if it.months in (plan.months, None)]
        return items, None

    def _unknown_words(self, plan: QueryPlan, subj: set[str]) -> str | None:
        """Closed world: a word no table uses, or used only by rows whose values were held back."""
        unknown = sorted(subj - self.vocabulary(plan.doc))
        if unknown:
            return f"the notes{_in_doc(plan)[3:] if plan.doc else ''} never mention {' '.join(unknown)!r}"
        missing = subj - self.placed_vocabulary(plan.doc, balance=bool(plan.dates or plan.instant))
        if not missing:
            return None
        held = self.unplaced_rows(plan.doc, missing)
        if held:
            return (f"the values of {held} could not be placed in a period column by the extractor "
                    "and the placements the table allows disagree on the period asked (table marked ambiguous), "
                    "so they are not used")
        return f"no figure reported for {' '.join(sorted(missing))!r}{_in_doc(plan)}"

    def placed_vocabulary(self, doc: str | None = None, balance: bool = True) -> set[str]:
        """The tokens around cells that hold a placed number (balance-only placements when asked at a date)."""
        key = ("placed", doc, balance)
        if key not in self._vocab:
            self._vocab[key] = set().union(*(it.row_tokens | it.head_tokens | it.ctx_tokens | it.title_tokens
                                             for it in self.items(doc, balances=balance)))
        return self._vocab[key]

    def anchors(self, pool: list[Item], pred) -> list[Item]:
        """The best-matching item(s) in a period: one per party group (and per tie)."""
        cands = [it for it in pool if pred(it)]
        if not cands:
            return []
        best = max(it.score for it in cands)
        out: list[Item] = []
        for related in (False, True):
            grp = [it for it in cands if it.related == related]
            if not grp:
                continue
            top = max(it.score for it in grp)
            if top < best - 0.5:
                continue
            tied = _dedupe([it for it in grp if it.score >= top - 1e-9])
            by_len: dict[int | None, Item] = {}
            for it in tied:  # one line item per period length; the first in document order
                by_len.setdefault(it.months, it)
            out += list(by_len.values())
        return out

    def counterpart(self, anchor: Item, pool: list[Item], pred) -> Item | None:
        """The same line item (row, measure, party, currency, length) in another period."""
        key = identity(anchor)
        cands = [it for it in pool if identity(it) == key and pred(it)]
        if not cands:
            # the same row of the same table in another column of that period: a spanning header
            # ("Revenues" over 2019 | 2018) is printed over its first column only
            same_row = [it for it in self.items(anchor.doc) if it.table_id == anchor.table_id
                        and it.row == anchor.row and it.col != anchor.col and pred(it)
                        and (it.concept == anchor.concept or None in (it.concept, anchor.concept))
                        and it.currency == anchor.currency]
            return min(same_row, key=lambda it: (it.col < anchor.col, abs(it.col - anchor.col)), default=None)
        return max(cands, key=lambda it: (it.doc == anchor.doc, it.table_id == anchor.table_id, it.score))

    def earlier(self, anchor: Item, pool: list[Item]) -> Item | None:
        end = anchor.period.end_date if anchor.period else None
        if end is None or anchor.year != end.year:
            y = anchor.year
            return self.counterpart(anchor, pool, lambda it: y is not None and it.year == y - 1)
        cands = [it for it in pool if identity(it) == identity(anchor) and it.period and it.period.end_date
                 and it.period.end_date < end]
        if not cands:
            return None
        latest = max(it.period.end_date for it in cands)
        return self.counterpart(anchor, cands, lambda it: it.period.end_date == latest)

    # ---- figures ----------------------------------------------------------------------------
    def cite(self, draft: Draft, it: Item, group: str = "") -> Figure:
        for f in draft.figures:
            if (f.doc, f.table_id, f.row, f.column) == (it.doc, it.table_id, it.row, it.col):
                return f
        t = self.table(it.doc, it.table_id)
        row, col = t.rows[it.row], t.columns[it.col]
        span = row.cells[it.col].source or row.source
        cit = Citation(doc=it.doc, table_id=it.table_id, row=it.row, column=it.col, row_label=row.label,
                       column_header=col.header, line_start=span.line_start if span else None,
                       line_end=span.line_end if span else None,
                       char_start=span.char_start if span else None, char_end=span.char_end if span else None)
        fig = Figure(n=len(draft.figures) + 1, value=it.value, raw=it.raw, label=it.row_text, measure=it.header,
                     concept=it.concept, period=it.period_key, doc=it.doc, table_id=it.table_id, row=it.row,
                     column=it.col, scale=it.scale, currency=it.currency, group=group,
                     table_status=it.status, citation=cit)
        draft.figures.append(fig)
        if it.candidates:
            draft.caveats.append(_undecided(t, it, fig.n))
        return fig


def _undecided(t: Table, it: Item, n: int) -> str:
    """The caveat of a figure whose column the extractor left undecided."""
    heads = "; ".join(f"{j}: {t.columns[j].header}" for j in it.candidates if j < len(t.columns))
    why = ("every placement of the row's values as balances" if it.mode == "balance"
           else "every placement of the row's values consistent with the table")
    return (f"[{n}] {it.raw} ({it.row_text}, {it.doc} {it.table_id} row {it.row}): the extractor did not decide "
            f"its column among {heads}; {why} puts it at {period_words(it)}"
            f"{' in ' + it.currency if it.currency else ''}, so it is used with that caveat")


def identity(it: Item) -> tuple:
    k = it.series_key()
    return (k[1], k[2], k[3], k[4], k[5], k[6], _ctx_kind(it))


def _ctx_kind(it: Item) -> str:
    """What the table is about, coarsely: keeps receivables apart from contract assets."""
    ctx = it.ctx_tokens
    has_ar, has_ca = "receivable" in ctx, "contract" in ctx
    return {(True, True): "ar+ca", (True, False): "ar", (False, True): "ca"}.get((has_ar, has_ca), "")


def _dedupe(items: list[Item]) -> list[Item]:
    seen: set = set()
    out = []
    for it in items:
        k = (identity(it), it.period_key, it.value)
        if k not in seen:
            seen.add(k)
            out.append(it)
    return out


def _currency_filter(items: list[Item], q: str) -> list[Item]:
    want = None
    if re.search(r"\bUSD\b|US\$|\bdollars?\b|\$", q):
        want = "USD"
    elif re.search(r"\bRMB\b|\bCNY\b|\byuan\b|renminbi|¥", q, re.I):
        want = "CNY"
    if want:
        return [it for it in items if it.currency in (want, None)] or items
    primary: dict[tuple[str, str], str | None] = {}
    for it in sorted(items, key=lambda x: x.col):
        primary.setdefault((it.doc, it.table_id), it.currency)
    return [it for it in items if it.currency is None or it.currency == primary[(it.doc, it.table_id)]]


def _in_doc(plan: QueryPlan) -> str:
    return f" in {plan.doc}" if plan.doc else " in the indexed notes"


def period_words(it: Item) -> str:
    p = it.period
    if p is None or p.end_date is None:
        return it.header or "the reported period"
    d = p.end_date
    date_txt = f"{d.strftime('%B')} {d.day}, {d.year}"
    if p.kind == "instant":
        return date_txt
    if p.months == 12 and d.month == 12 and d.day == 31:
        return str(d.year)
    if p.months == 12:
        return f"the year ended {date_txt}"
    n = _MONTH_WORD.get(p.months or 0, str(p.months))
    return f"the {n} months ended {date_txt}"


def when(it: Item) -> str:
    """'at December 31, 2024' for a balance, 'in 2025' / 'in the six months ended ...' for a flow."""
    p = it.period
    return ("at " if p is not None and p.kind == "instant" else "in ") + period_words(it)


def refusal(plan: QueryPlan, why: str) -> Answer:
    return Answer(question=plan.question, answer=f"I cannot answer this from the indexed notes: {why}.",
                  refused=True, caveats=[why], plan=plan)


def finish(d: Draft) -> Answer:
    val = d.values[0] if d.values else None
    return Answer(question=d.plan.question, answer="\n".join(d.lines), answer_value=val,
                  answer_values=list(d.values), answer_text=d.text_value, answer_spans=list(d.spans), unit=d.unit, figures=d.figures,
                  computations=d.computations, caveats=d.caveats, plan=d.plan, groups=d.groups)

