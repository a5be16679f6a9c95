"""extractor.align: ambiguous values are placed only when exactly one assignment makes the
identities hold; otherwise they stay ambiguous with their candidates. Tables are invented."""

from __future__ import annotations

from datetime import date

from extractor.align import align_table, assignments, currency_ratios
from extractor.models import Cell, CellKind, Column, Row, SourceSpan, Status, Table
from extractor.numbers import parse_cell
from extractor.periods import duration, instant

_pos = iter(range(10**6))


def _cell(v: str, status: Status = Status.ok, candidates: list[int] | None = None, currency=None) -> Cell:
    k = next(_pos) * 10
    return parse_cell(v).model_copy(update={
        "status": status, "candidates": candidates or [], "currency": currency,
        "source": SourceSpan(line_start=1, line_end=1, char_start=k, char_end=k + len(v))})


def _row(i: int, label: str, n_cols: int, values: list[tuple[str, int | None]], members=(), section=None,
         all_columns: bool = True) -> Row:
    """values in source order: (text, column) placed, or (text, None) unplaced (candidates: any order-
    preserving column)."""
    cells = [Cell(kind=CellKind.missing) for _ in range(n_cols)]
    extra = []
    for k, (v, col) in enumerate(values):
        if col is None:
            cands = list(range(k, n_cols - (len(values) - 1 - k)))
            extra.append(_cell(v, Status.ambiguous, cands))
        else:
            cells[col] = _cell(v)
    return Row(index=i, label=label, members=list(members), section=section, cells=cells, extra=extra)


def _table(columns: list[Column], rows: list[Row]) -> Table:
    t = Table(doc="invented.txt", table_id="t1", columns=columns, rows=rows)
    t.status = Status.ambiguous if any(r.extra for r in rows) else Status.ok
    return t


def _years(*years: int, currency: str = "EUR") -> list[Column]:
    return [Column(index=j, header=f"12 Months Ended Jun. 30, {y}", currency=currency,
                   period=duration(date(y, 6, 30), 12)) for j, y in enumerate(years)]


def _placed(row: Row) -> list[str | None]:
    return [None if c.value is None else str(c.value) for c in row.cells]


def test_unique_rollforward_assignment_is_placed_and_named():
    cols = _years(2024, 2023, 2022)
    s = "Movement in the warranty provision"
    rows = [
        _row(0, "Balance at beginning of period", 3, [("40", 0), ("25", 1), ("10", 2)], section=s),
        _row(1, "Provision for warranties issued", 3, [("30", 0), ("15", 1), ("18", 2)], section=s),
        _row(2, "Amounts utilised (write-offs)", 3, [("(7)", None), ("(3)", None)], section=s),
        _row(3, "Balance at end of period", 3, [("63", 0), ("40", 1), ("25", 2)], section=s),
    ]
    t = align_table(_table(cols, rows))
    # 2024: 40 + 30 - 7 = 63; 2023: 25 + 15 = 40 (no write-off); 2022: 10 + 18 - 3 = 25
    assert _placed(t.rows[2]) == ["-7", None, "-3"]
    assert _placed(t.rows[0]) == ["40", "25", "10"]
    assert not t.rows[2].extra and t.status == Status.ok
    assert any("rollforward" in w and "row 2" in w for w in t.warnings)


def test_two_valid_assignments_stay_ambiguous():
    cols = _years(2024, 2023, 2022)
    rows = [
        _row(0, "Loans, gross", 3, [("500", None)], section="Loans"),
        _row(1, "Allowance for loan losses", 3, [("(20)", None)], section="Loans"),
        _row(2, "Loans, net", 3, [("480", None)], section="Loans"),
    ]
    t = align_table(_table(cols, rows))
    for r in t.rows:
        assert all(c.value is None for c in r.cells)
        assert r.extra[0].status == Status.ambiguous and r.extra[0].candidates == [0, 1, 2]
    assert t.status == Status.ambiguous


def test_no_valid_assignment_stays_ambiguous_with_candidates():
    cols = _years(2024, 2023, 2022)
    rows = [
        _row(0, "Receivables, gross", 3, [("900", 0), ("700", 1), ("600", 2)], section="R"),
        _row(1, "Allowance for credit losses", 3, [("(11)", None), ("(12)", None)], section="R"),
        _row(2, "Receivables, net", 3, [("890", 0), ("690", 1), ("600", 2)], section="R"),
    ]
    t = align_table(_table(cols, rows))
    # 900 - 11 != 890 and 700 - 12 != 690 in every order: nothing may be placed
    assert _placed(t.rows[1]) == [None, None, None]
    assert [c.candidates for c in t.rows[1].extra] == [[0, 1], [1, 2]]
    assert t.status == Status.ambiguous


def test_translation_column_needs_its_sibling_at_the_page_ratio():
    cols = [Column(index=0, header="2024 CHF", currency="CHF", period=duration(date(2024, 12, 31), 12)),
            Column(index=1, header="2024 USD", currency="USD", period=duration(date(2024, 12, 31), 12)),
            Column(index=2, header="2023 CHF", currency="CHF", period=duration(date(2023, 12, 31), 12)),
            Column(index=3, header="2022 CHF", currency="CHF", period=duration(date(2022, 12, 31), 12))]
    rows = [
        _row(0, "Service fees", 4, [("9,000", 0), ("10,000", 1), ("8,000", 2), ("7,000", 3)]),
        # 3 values: USD would need 4,500 * 1.111 next to it; only CHF 2024/2023/2022 fits
        _row(1, "Interest income", 4, [("4,500", None), ("300", None), ("250", None)]),
    ]
    t = _table(cols, rows)
    [ratio] = currency_ratios(t)
    assert (ratio.primary, ratio.secondary) == (0, 1)
    align_table(t)
    assert _placed(t.rows[1]) == ["4500", None, "300", "250"]
    assert any("translation ratio" in w for w in t.warnings)


def test_declared_member_sum_places_a_child():
    cols = [Column(index=j, header=h, period=instant(date(2024, 12, 31 - j))) for j, h in enumerate("ABCDE")]
    label, sec = "Deposits", "Deposits by region and type [Line Items]"
    rows = [
        _row(0, label, 5, [("100", 0), ("80", 2), ("60", 4)], section=sec),
        _row(1, label, 5, [("70", 0), ("50", 2), ("60", 4)], members=["North [Member]"], section=sec),
        _row(2, label, 5, [("30", None), ("30", None)], members=["South [Member]"], section=sec),
        _row(3, label, 5, [("100", 0), ("80", 2), ("60", 4)], members=["Demand [Member]"], section=sec),
        _row(4, label, 5, [("70", 0), ("50", 2), ("60", 4)],
             members=["North [Member]", "Demand [Member]"], section=sec),
        _row(5, label, 5, [("30", 0), ("30", 2)], members=["South [Member]", "Demand [Member]"], section=sec),
    ]
    t = align_table(_table(cols, rows))
    assert _placed(t.rows[2]) == ["30", None, "30", None, None]
    assert any("member sum" in w for w in t.warnings)


def test_placed_cells_are_never_moved_and_clean_tables_are_untouched():
    cols = _years(2024, 2023)
    rows = [_row(0, "Revenue", 2, [("5", 0), ("4", 1)]), _row(1, "Costs", 2, [("3", 0), ("2", 1)])]
    t = _table(cols, rows)
    before = t.model_dump()
    assert align_table(t).model_dump() == before


def test_assignments_are_order_preserving_and_respect_allowed_columns():
    assert assignments([[0, 1, 2], [1, 2, 3]], 4) == [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]
    assert assignments([[1], [0, 2]], 3) == [(1, 2)]
    assert assignments([[2], [0, 1]], 3) == []
