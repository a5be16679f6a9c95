"""Facts from hand-built tables: one per placed numeric cell, stable ids, right citations,
normalised concepts, and no fact for a value whose column is unknown."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from extractor.facts import document_facts, fact_text, table_facts, unplaced_cells
from extractor.numbers import parse_number
from extractor.models import (Cell, CellKind, CellRef, Check, Column, Document, Period, Row,
                              SourceSpan, Status, Table)


def _cell(v: str | None, line: int, start: int, status: Status = Status.ok) -> Cell:
    if v is None:
        return Cell(kind=CellKind.missing)
    return Cell(raw=v, value=parse_number(v)[0], kind=CellKind.number, status=status,
                source=SourceSpan(line_start=line, line_end=line, char_start=start, char_end=start + len(v)))


def movement_across_columns() -> Table:
    """Rows are product lines; the movement runs across the columns (a layout like seed 001)."""
    cols = [Column(index=0, header="Balance at start of year"),
            Column(index=1, header="Charged to expense"),
            Column(index=2, header="Amounts charged off"),
            Column(index=3, header="Balance at end of year")]
    per = Period(kind="duration", start=date(2031, 7, 1), end=date(2032, 6, 30), months=12,
                 text="Fiscal 2032")
    cols = [c.model_copy(update={"period": per}) for c in cols]
    rows = [
        Row(index=0, label="Wholesale loans", cells=[_cell("410", 7, 100), _cell("95", 7, 110),
                                                     _cell("(60)", 7, 120), _cell("445", 7, 130)]),
        Row(index=1, label="Retail loans", cells=[_cell("80", 8, 200), _cell("12", 8, 210),
                                                  _cell(None, 8, 0), _cell("92", 8, 220)],
            extra=[Cell(raw="7", value=Decimal(7), kind=CellKind.number, status=Status.ambiguous,
                        candidates=[1, 2])]),
        Row(index=2, label="Total", is_total=True,
            cells=[_cell("490", 9, 300), _cell("107", 9, 310, Status.ambiguous),
                   _cell("(60)", 9, 320), _cell("537", 9, 330)]),
    ]
    chk = Check(kind="rollforward", passed=True, cells=[CellRef(table_id="t2", row=0, column=c) for c in range(4)])
    bad = Check(kind="foot", passed=False, cells=[CellRef(table_id="t2", row=r, column=0) for r in range(3)])
    return Table(doc="acme-q2.htm", table_id="t2", title="Note 6 — Allowance for loan losses",
                 caption="Activity in the allowance was as follows (in millions):", scale=1_000_000,
                 currency="USD", orientation="columns", columns=cols, rows=rows, checks=[chk, bad],
                 status=Status.flagged)


def balance_by_rows() -> Table:
    """XBRL-like: the roles are on the rows; 'Unbilled receivables' is the gross line."""
    per = Period(kind="instant", instant=date(2029, 3, 31), text="Mar. 31, 2029")
    cols = [Column(index=0, header="Mar. 31, 2029", period=per)]
    rows = [Row(index=0, label="Unbilled receivables", cells=[_cell("1,250", 3, 10)]),
            Row(index=1, label="Less: allowance for doubtful accounts", cells=[_cell("(50)", 4, 30)]),
            Row(index=2, label="Unbilled receivables, net", cells=[_cell("1,200", 5, 50)])]
    return Table(doc="beta.txt", table_id="t1", columns=cols, rows=rows, scale=1000)


def test_one_fact_per_placed_numeric_cell():
    facts = table_facts(movement_across_columns())
    # 4 + 3 (one missing) + 3 (one ambiguous) = 10; the unplaced extra gives none
    assert len(facts) == 10
    assert all(f.value is not None for f in facts)
    assert (2, 1) not in {(f.citation.row, f.citation.column) for f in facts}
    assert Decimal(7) not in {f.value for f in facts if f.citation.row == 1}


def test_unplaced_cells_are_reported_not_facts():
    t = movement_across_columns()
    assert sorted((i, c.raw) for i, c in unplaced_cells(t)) == [(1, "7"), (2, "107")]


def test_concepts_follow_column_roles_when_movement_runs_across():
    facts = table_facts(movement_across_columns())
    by_col = {f.citation.column: f.concept for f in facts if f.citation.row == 0}
    assert by_col == {0: "opening", 1: "provision", 2: "writeoff", 3: "ending"}


def test_concepts_follow_rows_and_unnamed_line_is_gross():
    facts = table_facts(balance_by_rows())
    assert [f.concept for f in facts] == ["gross", "allowance", "net"]
    assert facts[1].value == Decimal(-50)
    assert facts[0].period.key == "2029-03-31" and facts[0].scale == 1000


def test_explicit_roles_win():
    t = balance_by_rows()
    t.rows[0].role = "component"
    t.columns[0].role = "value"
    t.orientation = "rows"
    t.rows[2].role = "net"
    assert [f.concept for f in table_facts(t)] == ["gross", "allowance", "net"]


def test_citation_points_at_the_cell():
    f = next(f for f in table_facts(movement_across_columns()) if (f.citation.row, f.citation.column) == (1, 3))
    c = f.citation
    assert (c.doc, c.table_id, c.row, c.column) == ("acme-q2.htm", "t2", 1, 3)
    assert (c.row_label, c.column_header) == ("Retail loans", "Balance at end of year")
    assert (c.line_start, c.line_end, c.char_start, c.char_end) == (8, 8, 220, 222)
    assert f.value == Decimal(92) and f.currency == "USD" and f.scale == 1_000_000
    assert f.period.key == "2031-07-01..2032-06-30"
    assert f.table_status == Status.flagged


def test_check_counts_per_cell():
    facts = {(f.citation.row, f.citation.column): f for f in table_facts(movement_across_columns())}
    assert (facts[(0, 0)].checks_passed, facts[(0, 0)].checks_failed) == (1, 1)
    assert (facts[(0, 2)].checks_passed, facts[(0, 2)].checks_failed) == (1, 0)
    assert (facts[(1, 3)].checks_passed, facts[(1, 3)].checks_failed) == (0, 0)


def test_ids_are_stable_and_unique():
    a = [f.id for f in table_facts(movement_across_columns())]
    b = [f.id for f in table_facts(movement_across_columns())]
    assert a == b and len(set(a)) == len(a)
    t = movement_across_columns()
    t.rows[0].cells[0].value = Decimal(411)
    c = [f.id for f in table_facts(t)]
    assert c[0] != a[0] and c[1:] == a[1:]


def test_document_facts_and_text():
    doc = Document(doc="acme-q2.htm", tables=[movement_across_columns()])
    facts = document_facts(doc)
    assert len(facts) == 10
    text = fact_text(facts[2])
    assert "Amounts charged off" in text and "Wholesale loans" in text and "2032-06-30" in text
