"""Invented tables for the QA tests (not the seeds): other labels, periods, scales, layouts."""

from __future__ import annotations

from decimal import Decimal

from extractor.models import Cell, CellKind, Column, Document, Row, Status, Table
from extractor.periods import parse_period


def table(doc, tid, caption, headers, rows, *, title="", scale=1, currency=None, status=Status.ok,
          sections=None, members=None):
    cols = [Column(index=j, header=h, period=parse_period(h) if p is None else p)
            for j, (h, p) in enumerate(headers)]
    out = []
    for i, (label, vals) in enumerate(rows):
        cells = [Cell(raw=str(v), value=Decimal(str(v)), kind=CellKind.number) if v is not None
                 else Cell(kind=CellKind.missing) for v in vals]
        out.append(Row(index=i, label=label, cells=cells, is_total=label.lower().startswith("total"),
                       section=(sections or {}).get(i), members=(members or {}).get(i, [])))
    return Table(doc=doc, table_id=tid, title=title, caption=caption, columns=cols, rows=out, scale=scale,
                 currency=currency, status=status)


def loans_doc() -> Document:
    """A bank's allowance for loan losses, in millions, movement across columns, two years."""
    doc = "bank_10k.htm"
    hdr = lambda y: [(f"Beginning balance January 1, {y}", None),
                     ("Provision for credit losses", parse_period(f"year ended December 31, {y}")),
                     ("Charge-offs", parse_period(f"year ended December 31, {y}")),
                     ("Recoveries", parse_period(f"year ended December 31, {y}")),
                     (f"Ending balance December 31, {y}", None)]
    cap = "Changes in the allowance for loan losses for the years ended December 31, {} were as follows (in millions):"
    t1 = table(doc, "t1", cap.format(2023), hdr(2023), [
        ("Commercial loans", [410, 120, -95, 15, 450]),
        ("Consumer loans", [290, 210, -180, 30, 350]),
        ("Total", [700, 330, -275, 45, 800]),
    ], scale=10**6, currency="USD")
    t2 = table(doc, "t2", cap.format(2024), hdr(2024), [
        ("Commercial loans", [450, 90, -60, 10, 490]),
        ("Consumer loans", [350, 260, -240, 20, 390]),
        ("Total", [800, 350, -300, 30, 880]),
    ], scale=10**6, currency="USD")
    bal = table(doc, "t3", "Loans and the allowance as of December 31 (in millions):",
                [("Gross loans December 31, 2024", None), ("Allowance for loan losses December 31, 2024", None),
                 ("Net loans December 31, 2024", None)],
                [("Commercial loans", [20000, -490, 19510]), ("Consumer loans", [9000, -390, 8610]),
                 ("Total", [29000, -880, 28120])], scale=10**6, currency="USD")
    return Document(doc=doc, tables=[t1, t2, bal])


def broken_doc() -> Document:
    """A movement table whose rollforward does not hold (a transcription slip)."""
    t = table("broken.txt", "t1", "Movement of the reserve for doubtful accounts for 2024:",
              [("Opening balance as of January 1, 2024", None),
               ("Provision", parse_period("year ended December 31, 2024")),
               ("Write-offs", parse_period("year ended December 31, 2024")),
               ("Closing balance as of December 31, 2024", None)],
              [("Trade receivables", [1000, 300, -200, 1150]), ("Total", [1000, 300, -200, 1150])],
              status=Status.flagged)
    return Document(doc="broken.txt", tables=[t])
