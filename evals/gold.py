"""Gold tables: the hand-checked truth for the seeds (and generated corpora), and the scorer.

A gold file ``evals/gold/<doc>.json`` holds::

    {"doc": "000_83a695f89e1b9147.txt",
     "tables": [
       {"index": 1,                      # 1-based order of the table in the document
        "title": "...", "caption": "...", # note heading / sentence above the table
        "scale": 1, "currency": null,
        "columns": [{"header": "Accounts receivable", "period": "2024-12-31", "currency": null}],
        "rows": [{"label": "Total", "members": [], "values": ["20945", null, "0"]}],
        "ambiguous_ok": [[row, col], ...]  # optional: cells the layout truly cannot place
       }]}

Values are decimal strings exactly as reported (sign applied, separators dropped; a dash
is "0"); ``null`` is a missing cell. Periods use ``Period.key``: "2024-12-31" (instant) or
"2024-01-01..2024-12-31" (duration).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from extractor.models import Cell, CellKind, Column, Period, Row, Table

GOLD_DIR = Path(__file__).parent / "gold"


def load_gold(doc: str, gold_dir: Path = GOLD_DIR) -> dict[str, Any]:
    return json.loads((gold_dir / f"{doc}.json").read_text())


def gold_docs(gold_dir: Path = GOLD_DIR) -> list[str]:
    return sorted(p.name[: -len(".json")] for p in gold_dir.glob("*.json"))


def period_from_key(key: str | None) -> Period | None:
    """Inverse of Period.key for the two common forms."""
    if not key:
        return None
    from datetime import date

    if ".." in key:
        a, b = key.split("..")
        end = date.fromisoformat(b)
        if a.startswith("P") and a.endswith("M"):
            return Period(kind="duration", end=end, months=int(a[1:-1]), text=key)
        start = date.fromisoformat(a) if a else None
        months = None
        if start:
            months = (end.year - start.year) * 12 + end.month - start.month + (1 if end.day >= start.day - 1 else 0)
        return Period(kind="duration", start=start, end=end, months=months, text=key)
    if re.fullmatch(r"\d{4}-\d\d-\d\d", key):
        return Period(kind="instant", instant=date.fromisoformat(key), text=key)
    return Period(kind="unknown", text=key)


def gold_to_table(doc: str, g: dict[str, Any]) -> Table:
    """A gold table as a Table model (no source spans): for tests of later stages."""
    cols = [
        Column(index=j, header=c.get("header", ""), period=period_from_key(c.get("period")),
               currency=c.get("currency"), role=c.get("role"))
        for j, c in enumerate(g["columns"])
    ]
    rows = []
    for i, r in enumerate(g["rows"]):
        cells = []
        for v in r["values"]:
            if v is None:
                cells.append(Cell(raw="", kind=CellKind.missing))
            else:
                d = Decimal(str(v))
                cells.append(Cell(raw=str(v), value=d, kind=CellKind.number))
        rows.append(Row(index=i, label=r["label"], members=r.get("members", []), section=r.get("section"), cells=cells,
                        is_total=r.get("is_total", r["label"].strip().lower().startswith("total"))))
    return Table(doc=doc, table_id=f"t{g['index']}", title=g.get("title", ""), caption=g.get("caption", ""),
                 scale=g.get("scale", 1), currency=g.get("currency"), columns=cols, rows=rows)


def gold_tables(doc: str, gold_dir: Path = GOLD_DIR) -> list[Table]:
    """Every gold table of a document as Table models (for tests of later stages)."""
    return [gold_to_table(doc, g) for g in load_gold(doc, gold_dir)["tables"]]


def norm_label(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", s.lower()).strip()


def _dec(v: Any) -> Decimal | None:
    return None if v is None else Decimal(str(v)).normalize()


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    ambiguous: int = 0  # gold cells left unplaced-but-flagged (not wrong, not credited)
    wrong_placed: int = 0  # a value placed in a cell where gold has another value
    tables_gold: int = 0
    tables_found: int = 0
    tables_exact: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "Score") -> None:
        for k in ("tp", "fp", "fn", "ambiguous", "wrong_placed", "tables_gold", "tables_found", "tables_exact"):
            setattr(self, k, getattr(self, k) + getattr(other, k))
        self.errors.extend(other.errors)


def _cells_of_gold(g: dict[str, Any]) -> dict[tuple, Decimal]:
    out: dict[tuple, Decimal] = {}
    for i, r in enumerate(g["rows"]):
        for j, v in enumerate(r["values"]):
            if v is None:
                continue
            col = g["columns"][j]
            key = (norm_label(" ".join(r.get("members", []) + [r["label"]])), i, j, col.get("period"),
                   col.get("currency"))
            out[key] = _dec(v)
    return out


def score_table(t: Table | dict[str, Any], g: dict[str, Any]) -> Score:
    """Cell-level comparison of one extracted table (model or extract record) with its gold.

    A cell is a true positive when the same row (by position and label), the same column
    (by position, period and currency) and the same value are found. Cells the extractor marked
    ambiguous are counted apart: neither credited nor counted as wrong.
    """
    rec = t.to_record() if isinstance(t, Table) else t
    s = Score(tables_gold=1, tables_found=1)
    gold = _cells_of_gold(g)
    got: dict[tuple, Decimal] = {}
    amb = 0
    for i, r in enumerate(rec["rows"]):
        for j, v in enumerate(r["values"]):
            status = r.get("cell_status", [None] * len(r["values"]))[j]
            if v is None:
                continue
            col = rec["columns"][j] if j < len(rec["columns"]) else {}
            per = (col.get("period") or {}).get("key")
            key = (norm_label(" ".join(r.get("members", []) + [r["label"]])), i, j, per,
                   col.get("currency"))
            if status == "ambiguous":
                amb += 1
                continue
            got[key] = _dec(v)
        amb += len(r.get("unplaced", []))

    for k, v in got.items():
        if gold.get(k) == v:
            s.tp += 1
        else:
            s.fp += 1
            if k in gold:
                s.wrong_placed += 1
            s.errors.append(f"{rec['doc']} {rec['table_id']} row {k[1]} col {k[2]} {k[0]!r} @ {k[3]} {k[4] or ''}: "
                            f"got {v}, gold {gold.get(k)}")
    missed = [k for k in gold if k not in got]
    s.fn = len(missed)
    s.ambiguous = min(amb, s.fn)
    for k in missed[:20]:
        s.errors.append(f"{rec['doc']} {rec['table_id']} row {k[1]} col {k[2]} {k[0]!r} @ {k[3]}: "
                        f"missing gold {gold[k]}")
    if s.fp == 0 and s.fn == 0:
        s.tables_exact = 1
    return s


def score_document(tables: list[Table] | list[dict[str, Any]], gold: dict[str, Any]) -> Score:
    """Match extracted tables to gold tables in order and score them cell by cell."""
    total = Score()
    recs = [t.to_record() if isinstance(t, Table) else t for t in tables]
    for k, g in enumerate(gold["tables"]):
        if k < len(recs):
            total.add(score_table(recs[k], g))
        else:
            n = sum(1 for r in g["rows"] for v in r["values"] if v is not None)
            total.add(Score(fn=n, tables_gold=1, errors=[f"{gold['doc']}: gold table {g['index']} not found"]))
    extra = recs[len(gold["tables"]):]
    for r in extra:
        total.fp += sum(1 for row in r["rows"] for v in row["values"] if v is not None)
        total.errors.append(f"{r['doc']} {r['table_id']}: extra table not in gold")
    return total
