"""Tie-outs: the same figure seen from two tables (or two documents) must agree.

- ending(t) = opening(t+1) across consecutive movement tables of the same subject;
- a movement table's ending = the allowance of its balance table (same date, same row);
- the same balance reported twice (a filing repeating last period's table) = itself;
- a by-vintage Total = the gross balance(s) it breaks down (same date), summed over the
  balance tables whose subjects together make up the vintage table's subject.

Subjects come from the sentence above each table (a continuation table without one inherits
its predecessor's); tables whose subject words mostly agree (Jaccard >= SAME_SUBJECT) are one
subject. A tie is only drawn between rows whose labels agree, at the same date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

from .checks import deduction_sign, _value, fmt, ref, tolerance, within, written_out
from .models import CellRef, Check, Document, Row, Status, Table

SAME_SUBJECT = 0.75  # share of subject words two captions must have in common
TIEOUT_PREFIX = "tie-out: "
_GENERIC = set("""
a an the of for and or in on at to from by with as is are be its our their this that these those
group company companies s account accounts movement movements allowance allowances uncollectible doubtful credit loss losses
expected balance balances year years month months period periods ended ending end beginning opening closing
six nine three twelve december june september march january july february april may august october november
follows following table tables summarizes summary changes change activity roll rollforward forward reserve
provision provisions principal origination vintage total net gross amount amounts nil none unaudited continued
respectively were was has have had details schedule note notes during within over under below above shown presented set out forth
""".split())
_ALLOWANCE_WORDS = re.compile(r"allowance|credit loss|doubtful|uncollectible|impairment|reserve", re.IGNORECASE)


_WORD = re.compile(r"[a-z]+")
_CONTINUED = re.compile(r"continued\s*$", re.IGNORECASE)
_LABEL_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=16384)  # pure functions of the text below: labels and captions repeat
def _stem(w: str) -> str:
    if len(w) > 3 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        return w[:-1]
    return w


@lru_cache(maxsize=8192)
def words(text: str) -> frozenset[str]:
    """Content words of a caption or label, stemmed, without accounting boilerplate."""
    return frozenset(_stem(w) for w in _WORD.findall(text.lower()) if w not in _GENERIC)


_LABEL_STOP = {"a", "an", "the", "of", "for", "and", "or", "in", "on", "at", "to", "from", "by", "with", "as"}


def row_key(r: Row) -> tuple[str, ...]:
    """A row's identity across tables: its label's words in order (stemmed), then its [Member]s."""
    label = _label_words(r.label)
    return label + tuple(r.members) if label else ()


@lru_cache(maxsize=8192)
def _label_words(label: str) -> tuple[str, ...]:
    return tuple(_stem(w) for w in _LABEL_WORD.findall(label.lower()) if w not in _LABEL_STOP)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def subjects(tables: list[Table]) -> list[frozenset[str]]:
    """Each table's subject words; a table without a caption of its own inherits the last one."""
    out: list[frozenset[str]] = []
    last: frozenset[str] = frozenset()
    for t in tables:
        w = words(t.caption) if t.caption and not _CONTINUED.search(t.caption) else frozenset()
        if w:
            last = w
        out.append(w or last)
    return out


def clusters(subs: list[frozenset[str]]) -> list[int]:
    """Greedy clustering of subjects: the first representative with Jaccard >= SAME_SUBJECT."""
    reps: list[frozenset[str]] = []
    ids: list[int] = []
    for s in subs:
        scores = [_jaccard(s, r) for r in reps]
        best = max(range(len(reps)), key=lambda k: scores[k], default=None)
        if best is not None and scores[best] >= SAME_SUBJECT and s:
            ids.append(best)
        else:
            reps.append(s)
            ids.append(len(reps) - 1)
    return ids


@dataclass
class BalanceFact:
    doc: str
    table: Table
    tix: int
    row: int
    col: int
    label: tuple[str, ...]
    concept: str  # gross | allowance | net | carrying
    role: str  # the role it was read from: gross, allowance, net, opening, ending
    day: date
    value: Decimal
    subject: frozenset[str] = frozenset()


def _day_before_opening(d: date) -> date:
    """A balance 'as of January 1' is the balance at the close of December 31."""
    return d - timedelta(days=1) if d.day == 1 else d


def _facts(t: Table, tix: int, subject: frozenset[str]) -> list[BalanceFact]:
    if t.status == Status.quarantined:
        return []
    if t.kind == "xbrl_details":
        return _facts_xbrl(t, tix)
    if t.kind not in ("balance", "movement"):
        return []
    out = _table_facts(t, tix)
    for f in out:
        f.subject = subject
    return out


def _facts_xbrl(t: Table, tix: int) -> list[BalanceFact]:
    """XBRL details: an allowance row at an instant = the movement's opening/ending of the same
    [Member]s; the section heading names the subject."""
    out: list[BalanceFact] = []
    for j, col in enumerate(t.columns):
        p = col.period
        if p is None:
            continue
        if p.kind == "instant" and p.instant:
            roles: tuple[str, ...] = ("allowance",)
        elif p.kind == "duration" and p.start and p.end:
            roles = ("opening", "ending")
        else:
            continue
        for i, r in enumerate(t.rows):
            if r.role not in roles or r.extra:
                continue
            v = _value(r.cells[j]) if j < len(r.cells) else None
            if v is None:
                continue
            if r.role == "allowance":
                d, v = p.instant, abs(v)
            else:
                d = p.start - timedelta(days=1) if r.role == "opening" else p.end
            key = (*r.members, col.currency or "")
            out.append(BalanceFact(t.doc, t, tix, i, j, key, "allowance", r.role, d, v, words(r.section or "")))
    return out


def _table_facts(t: Table, tix: int) -> list[BalanceFact]:
    if t.orientation == "rows":
        return _facts_down(t, tix)
    out: list[BalanceFact] = []
    movement_concept: str | None = None  # read when a column needs it, as are the row keys
    keys: list[tuple[str, ...]] | None = None
    for j, col in enumerate(t.columns):
        role, p = col.role, col.period
        if t.orientation != "columns" or role not in ("gross", "allowance", "net", "opening", "ending") or p is None:
            continue
        if t.kind == "movement" and role in ("gross", "allowance", "net"):
            continue
        d = p.instant if p.kind == "instant" else p.end_date
        if d is None:
            continue
        if role == "opening":
            d = _day_before_opening(d)
        if role in ("opening", "ending"):
            concept = movement_concept = movement_concept or _movement_concept(t)
        else:
            concept = role
        sign = 1
        if role == "allowance":  # printed negative -> magnitude
            sign = -deduction_sign([_value(r.cells[j]) if j < len(r.cells) else None for r in t.rows])
        keys = keys or [row_key(r) for r in t.rows]
        for i, r in enumerate(t.rows):
            v = _value(r.cells[j]) if j < len(r.cells) else None
            if v is not None and keys[i]:
                out.append(BalanceFact(t.doc, t, tix, i, j, keys[i], concept, role, d, sign * v))
    return out


def _movement_concept(t: Table) -> str:
    """What a movement's balances are: an allowance when the caption or title says so."""
    return "allowance" if _ALLOWANCE_WORDS.search(t.caption + " " + t.title) else "carrying"


def _facts_down(t: Table, tix: int) -> list[BalanceFact]:
    """Opening and ending rows of a movement down the rows, dated by each column's duration."""
    if t.kind != "movement":
        return []
    concept = _movement_concept(t)
    out: list[BalanceFact] = []
    for j, col in enumerate(t.columns):
        p = col.period
        if p is None or p.kind != "duration" or p.start is None or p.end is None:
            continue
        for i, r in enumerate(t.rows):
            if r.role not in ("opening", "ending"):
                continue
            v = _value(r.cells[j]) if j < len(r.cells) else None
            if v is None:
                continue
            d = p.start - timedelta(days=1) if r.role == "opening" else p.end
            label = tuple(r.members)  # the rows are the movement; the [Member]s name its subject
            out.append(BalanceFact(t.doc, t, tix, i, j, label, concept, r.role, d, v))
    return out


def _check(kind: str, lhs: str, text: str, expected: Decimal, actual: Decimal,
           cells: list[CellRef], units: list) -> Check:
    tol = tolerance(units)
    passed = within(actual - expected, tol)
    return Check(kind=kind, description=text, cells=cells, expected=expected, actual=actual,
                 residual=actual - expected, tolerance=tol, passed=passed,
                 expression=written_out(lhs, expected, actual, passed, tol))


def _where(f: BalanceFact, with_doc: bool) -> str:
    head = f"{f.doc} " if with_doc else ""
    return f"{head}{f.table.table_id} row {f.row} {f.table.rows[f.row].label!r} ({f.role} {f.day.isoformat()})"


def _pair(a: BalanceFact, b: BalanceFact, with_doc: bool = False) -> Check:
    same = a.role == b.role and a.table.kind == b.table.kind
    kind = "duplicate" if same else "tieout"
    what = "the same balance reported twice" if same else (
        "ending balance carried to the next opening" if {a.role, b.role} == {"opening", "ending"}
        else f"{a.role} agrees with {b.role}")
    text = f"{what}: {_where(a, with_doc)} = {_where(b, with_doc)}"
    cells = [ref(a.table, a.row, a.col), ref(b.table, b.row, b.col)]
    units = [a.table.rows[a.row].cells[a.col], b.table.rows[b.row].cells[b.col]]
    return _check(kind, fmt(a.value), text, a.value, b.value, cells, units)


def _same_fact_checks(facts: list[BalanceFact], cluster_of, with_doc: bool) -> list[Check]:
    first: dict[tuple, BalanceFact] = {}
    out: list[Check] = []
    for f in facts:
        key = (cluster_of(f), f.label, f.concept, f.day)
        a = first.get(key)
        if a is None:
            first[key] = f
        elif _comparable(a, f) and (not with_doc or a.doc != f.doc):
            out.append(_pair(a, f, with_doc))
    return out


def _comparable(a: BalanceFact, b: BalanceFact) -> bool:
    """Two facts of different tables; within one table only one row's opening and ending, one
    column's ending and the next column's opening, or XBRL rows their [Member]s tell apart."""
    if (a.doc, a.tix) != (b.doc, b.tix):
        return True
    if (a.row, a.col) == (b.row, b.col):
        return False
    across_years = {a.role, b.role} == {"opening", "ending"} and a.table.orientation == "rows"
    return a.row == b.row or a.table.kind == "xbrl_details" or across_years


def _vintage_checks(tables: list[Table], subs: list[frozenset[str]], cluster_of,
                    facts: list[BalanceFact]) -> list[Check]:
    vintage = [(tix, t, tot[-1]) for tix, t in enumerate(tables) if t.kind == "breakdown"
               and (tot := [j for j, c in enumerate(t.columns) if c.role == "total"])
               and any(c.role == "component" for c in t.columns)]
    if not vintage:
        return []
    firsts: dict[tuple, BalanceFact] = {}
    for f in facts:  # a balance repeated in a later table counts once
        firsts.setdefault((cluster_of(f), f.label, f.concept, f.day), f)
    facts = list(firsts.values())
    out: list[Check] = []
    for tix, t, j in vintage:
        out += _vintage_table(t, tix, subs, facts, j)
    return out


def _vintage_table(t: Table, tix: int, subs: list[frozenset[str]], facts: list[BalanceFact], j: int) -> list[Check]:
    p = t.columns[j].period
    if p is None or p.end_date is None or not subs[tix]:
        return []
    day, subject = p.end_date, subs[tix]
    gross = [f for f in facts if f.concept == "gross" and f.day == day and subs[f.tix] and subs[f.tix] <= subject]
    if frozenset().union(*(subs[f.tix] for f in gross)) != subject:
        return []  # the balance tables at that date do not make up what the vintage table breaks down
    by_key: dict[frozenset[str], list[BalanceFact]] = {}  # gross facts by their label words beyond their subject
    for f in gross:
        by_key.setdefault(words(f.table.rows[f.row].label) - subs[f.tix], []).append(f)
    out: list[Check] = []
    for i, r in enumerate(t.rows):
        v = _value(r.cells[j]) if j < len(r.cells) else None
        key = words(r.label) - subject
        parts = by_key.get(key, [])
        if v is None or not parts or not key:
            continue
        expected = sum((f.value for f in parts), Decimal(0))
        src = " + ".join(f"{f.table.table_id} row {f.row} {fmt(f.value)}" for f in parts)
        text = f"by-vintage Total {t.table_id} row {i} {r.label!r} = gross balance at {day.isoformat()} ({src})"
        cells = [ref(f.table, f.row, f.col) for f in parts] + [ref(t, i, j)]
        units = [f.table.rows[f.row].cells[f.col] for f in parts] + [r.cells[j]]
        lhs = " + ".join(fmt(f.value) for f in parts)
        out.append(_check("tieout", lhs, text, expected, v, cells, units))
    return out


def document_tieouts(tables: list[Table]) -> list[Check]:
    """Every tie-out between the tables of one document."""
    subs = subjects(tables)
    facts = [f for tix, t in enumerate(tables) for f in _facts(t, tix, subs[tix])]
    cluster_of = _cluster_of(facts)
    return _same_fact_checks(facts, cluster_of, False) + _vintage_checks(tables, subs, cluster_of, facts)


def _cluster_of(facts: list[BalanceFact]):
    """fact -> subject cluster id (clustering the distinct subjects in order of appearance)."""
    uniq = list(dict.fromkeys(f.subject for f in facts))
    ids = dict(zip(uniq, clusters(uniq)))
    return lambda f: ids[f.subject]


def apply_tieouts(doc: Document) -> None:
    """Set doc.checks; a failed tie-out flags both tables and warns on the document."""
    doc.checks = document_tieouts(doc.tables)
    doc.warnings = [w for w in doc.warnings if not w.startswith(TIEOUT_PREFIX)]
    by_id = {t.table_id: t for t in doc.tables}
    for c in doc.checks:
        if c.passed:
            continue
        msg = f"{TIEOUT_PREFIX}{c.description}: {c.expression}"
        doc.warnings.append(msg)
        for tid in dict.fromkeys(r.table_id for r in c.cells):
            t = by_id.get(tid)
            if t is None:
                continue
            t.warnings.append("check: " + msg)
            if t.status == Status.ok:
                t.status = Status.flagged


def tieouts_across(documents: Iterable[Document]) -> list[Check]:
    """The same fact (subject, row, concept, date) reported by two documents: one check each.

    A failed check names both sources (doc, table, row); ingest and QA can surface them.
    """
    docs = list(documents)
    tables = [t for d in docs for t in d.tables]
    subs = [s for d in docs for s in subjects(d.tables)]  # no inheriting across documents
    facts = [f for tix, t in enumerate(tables) for f in _facts(t, tix, subs[tix])]
    return _same_fact_checks(facts, _cluster_of(facts), True)
