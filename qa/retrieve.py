"""Retrieval: a table's cells as scored items, grouped into series across periods.

An ``Item`` is one numeric cell with everything a question can match: the row label
(with members and section), the column header, the table's title and caption, the
concept (from the column's role or header, else the row's), the period, and whether the
table is about related parties. A *series* is one line item followed across periods
(and across tables: a movement table per year is one series per row and column).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from extractor.models import Period, Status, Table

from .unplaced import determined_values
from .concepts import GENERIC, years_of, concept_words, expand, header_concept, is_related_party, tokens

FLOW_OR_BALANCE = {"opening", "provision", "writeoff", "recovery", "reclassification", "other",
                   "ending", "allowance", "net", "gross", "revenue"}


_HEAD_NOISE = {"cny", "usd", "rmb", "us", "item", "unaudited", "audited", "restated", "thousand", "million",
               "current", "prior", "fiscal"}


@dataclass
class Item:
    doc: str
    table_id: str
    row: int
    col: int
    value: Decimal
    raw: str
    label: str
    header: str
    concept: str | None
    period: Period | None
    is_total: bool
    related: bool
    currency: str | None
    scale: int
    status: Status
    row_tokens: set[str] = field(default_factory=set)
    dist_tokens: set[str] = field(default_factory=set)
    head_tokens: set[str] = field(default_factory=set)
    ctx_tokens: set[str] = field(default_factory=set)
    title_tokens: set[str] = field(default_factory=set)
    section_tokens: set[str] = field(default_factory=set)
    members: tuple[str, ...] = ()
    section: str = ""
    score: float = 0.0
    candidates: tuple[int, ...] = ()  # an unplaced value: the columns it could sit in
    mode: str = ""  # unplaced: "any" (every placement agrees) or "balance" (balance placements only)

    @property
    def year(self) -> int | None:
        ys = years_of(self.header)
        end = self.period.end_date if self.period is not None else None
        if ys and end and end.year not in ys:
            return ys[-1]
        if end:
            # a 52/53-week year ending in the first days of January is the previous fiscal year
            return end.year - 1 if end.month == 1 and end.day <= 7 and self.period.kind == "duration" else end.year
        if ys:
            return ys[-1]
        m = re.fullmatch(r"\s*(?:fiscal\s+|fy\s*)?((?:19|20)\d\d)\s*", self.label, re.IGNORECASE)
        return int(m.group(1)) if m else None  # years down the rows (a maturity table)

    @property
    def months(self) -> int | None:
        p = self.period
        return p.months if p is not None and p.kind == "duration" else None

    @property
    def period_key(self) -> str:
        if self.period is not None:
            return self.period.key
        return self.header

    @property
    def row_text(self) -> str:
        parts = [*self.members, self.label]
        return " | ".join(p for p in parts if p)

    def series_key(self) -> tuple:
        head = re.sub(r"\b(?:19|20)\d\d\b|\b\d{1,2}\b", "", self.header.lower())
        head = re.sub(r"\b(?:as of|jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|"
                      r"dec\w*|months?|ended|[^a-z]+)\b", " ", head)
        head = " ".join(sorted(tokens(head) - _HEAD_NOISE))
        if self.period is None and re.fullmatch(r"\s*(?:19|20)\d\d\s*", self.header):
            head = ""
        return (self.doc, self.related, " ".join(sorted(self.row_tokens)) or self.label.lower(),
                self.members, self.concept, head, self.currency, self.months)


def _row_concept(label: str) -> str | None:
    c = header_concept(label)
    return c if c in FLOW_OR_BALANCE else None


def table_items(t: Table) -> list[Item]:
    """Every numeric cell of a table as an Item (dash and nil cells count as 0)."""
    ctx = f"{t.title} {t.caption}"
    related = is_related_party(ctx) or any(is_related_party(r.section or "") for r in t.rows)
    ctx_tokens = expand(tokens(t.caption))
    title_tokens = expand(tokens(t.title)) - ctx_tokens
    label_texts = [" ".join([*r.members, r.label]) for r in t.rows]
    label_toks = [expand(tokens(x)) for x in label_texts]
    sect_toks = [expand(tokens(r.section or "")) for r in t.rows]
    row_toks = [label_toks[i] | sect_toks[i] for i in range(len(t.rows))]
    data_rows = [i for i, r in enumerate(t.rows) if not r.is_total and label_toks[i]]
    common = set.intersection(*(label_toks[i] for i in data_rows)) if len(data_rows) > 1 else set()
    common |= ctx_tokens | title_tokens | GENERIC
    for c in t.columns:
        common |= tokens(c.header)
    # what tells a row apart: its own label's words (a section heading is shared context)
    dist = [label_toks[i] - common - concept_words(label_texts[i]) for i in range(len(t.rows))]
    out: list[Item] = []
    col_concepts = [header_concept(c.header, c.role) for c in t.columns]
    head_rows, head_more = _body_headers(t)
    held: dict[int, list] = {}
    for p in determined_values(t):
        held.setdefault(p.row, []).append(p)
    for i, r in enumerate(t.rows):
        rc = r.role if r.role in FLOW_OR_BALANCE else (
            _row_concept(r.label) or _row_concept(r.section or "") or _row_concept(" ".join(r.members)))
        cells = [(j, cell, (), "") for j, cell in enumerate(r.cells)]
        cells += [(p.col, p.cell, p.candidates, p.mode) for p in held.get(i, [])]
        for j, cell, cands, mode in cells:
            if cell.value is None or j >= len(t.columns) or (cell.status == Status.ambiguous and not cands) \
                    or i in head_rows:
                continue
            col = t.columns[j]
            cc = col_concepts[j]
            concept = cc if cc not in (None, "gross") else (rc or cc)
            out.append(Item(
                doc=t.doc, table_id=t.table_id, row=i, col=j, value=cell.value, raw=cell.raw or str(cell.value),
                label=r.label, header=f"{col.header} {head_more[j]}".strip(), concept=concept, period=col.period,
                is_total=r.is_total or r.label.strip().lower().startswith("total"),
                related=related or is_related_party(r.section or ""),
                currency=cell.currency or col.currency or t.currency, scale=t.scale,
                status=_cell_status(t, cell.status), row_tokens=row_toks[i],
                dist_tokens=dist[i], section_tokens=sect_toks[i] - label_toks[i],
                head_tokens=expand(tokens(col.header)), ctx_tokens=ctx_tokens, title_tokens=title_tokens,
                members=tuple(r.members), section=r.section or "", candidates=cands, mode=mode,
            ))
    return out


def _body_headers(t: Table) -> tuple[set[int], list[str]]:
    """Header rows the layout left in the body: leading unlabelled rows whose cells are all years."""
    rows: set[int] = set()
    more = ["" for _ in t.columns]
    for i, r in enumerate(t.rows):
        texts = [c.raw.strip() for c in r.cells]
        if r.label.strip() or not any(texts) or not all(years_of(x) for x in texts if x):
            break
        if any(years_of(t.columns[j].header) for j in range(min(len(texts), len(t.columns))) if texts[j]):
            break  # the columns already name their years
        rows.add(i)
        for j, x in enumerate(texts[:len(more)]):
            more[j] = f"{more[j]} {x}".strip()
    return rows, more


def _cell_status(t: Table, cell_status: Status) -> Status:
    if cell_status != Status.ok:
        return cell_status
    return t.status


def score_item(it: Item, subject: set[str]) -> float:
    """How well an item's row, header and table context name the question's subject."""
    s = 0.0
    for q in subject:
        if q in it.dist_tokens:
            s += 3.0
        elif q in it.section_tokens:
            s += 2.0  # the heading a row sits under names it too ("Deferred tax assets: Other")
        elif q in it.row_tokens:
            s += 1.5
        elif q in it.head_tokens:
            s += 1.5
        elif q in it.ctx_tokens:
            s += 1.0
        elif q in it.title_tokens:
            s += 0.3
        else:
            s -= 2.0
    unmatched_dist = it.dist_tokens - subject
    s -= 1.0 * len(unmatched_dist)
    s -= 0.2 * len(it.row_tokens - subject - GENERIC)  # tie-break: the plainer row
    if it.is_total and not (it.dist_tokens & subject):
        s += 0.5
    if it.status != Status.ok:
        s -= 0.25  # prefer a verified table when two tell the same
    return s


def period_matches(it: Item, year: int | None = None, date: str | None = None,
                   months: int | None = None) -> bool:
    if date is not None:
        p = it.period
        return p is not None and p.end_date is not None and p.end_date.isoformat() == date
    if year is not None and it.year != year:
        return False
    if months is not None and it.period is not None and it.period.kind == "duration" and it.months != months:
        return False
    return True
