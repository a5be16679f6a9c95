"""Tables built by hand for the tick-mark tests (labels, scales and orders of our own)."""

from __future__ import annotations

from datetime import date

from extractor.models import Column, Document, Period, Row, Table
from extractor.numbers import parse_cell


def instant(y: int, m: int = 12, d: int = 31) -> Period:
    return Period(kind="instant", instant=date(y, m, d), text=f"{y}-{m:02d}-{d:02d}")


def year(y: int) -> Period:
    return Period(kind="duration", start=date(y, 1, 1), end=date(y, 12, 31), months=12, text=str(y))


def make_table(headers: list[str], rows: list[tuple[str, list[str]]], *, table_id: str = "t1",
               caption: str = "", periods: list[Period | None] | None = None, doc: str = "doc.txt",
               sections: list[str | None] | None = None, members: list[list[str]] | None = None) -> Table:
    cols = [Column(index=j, header=h, period=(periods[j] if periods else None)) for j, h in enumerate(headers)]
    out_rows = []
    for i, (label, raws) in enumerate(rows):
        cells = [parse_cell(r) for r in raws]
        out_rows.append(Row(index=i, label=label, cells=cells, is_total=label.lower().startswith("total"),
                            section=sections[i] if sections else None,
                            members=members[i] if members else []))
    return Table(doc=doc, table_id=table_id, caption=caption, columns=cols, rows=out_rows)


def make_doc(*tables: Table, doc: str = "doc.txt") -> Document:
    for k, t in enumerate(tables, 1):
        t.doc = doc
        t.table_id = f"t{k}"
    return Document(doc=doc, tables=list(tables))


def gold_tables(name: str) -> list[Table]:
    """A seed's gold tables as Tables (sections and totals as the gold file records them)."""
    from evals.gold import gold_tables as load

    return load(name)
