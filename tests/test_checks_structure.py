"""Structure that arithmetic settles: totals under other figures, unmarked subtotals, a balance
split after its rollforward, a child printed in a sibling currency column, signs that rest on
one figure. Tables invented here (other labels, scales and orders than the seeds)."""

from __future__ import annotations

from decimal import Decimal

from helpers_tables import make_table, year

from extractor.checks import deduction_sign, prove_table
from extractor.models import Cell, CellKind, Status


def _set(t, i, j, raw):
    t.rows[i].cells[j] = Cell(raw=raw, value=Decimal(raw.strip("()").replace(",", "")) * (-1 if "(" in raw else 1),
                              kind=CellKind.number)


def test_deduction_sign_is_public():
    assert deduction_sign([Decimal(5), Decimal(7)]) == -1
    assert deduction_sign([Decimal(-5), Decimal(-7)]) == 1
    assert deduction_sign([Decimal(5), Decimal(-5)], "Less: reserve") == -1


def test_total_costs_under_revenue_in_two_columns():
    t = make_table(["H1 2024", "H1 2023"], [("Revenue", ["52.0", "47.5"]), ("Staff costs", ["20.1", "18.0"]),
                                             ("Rent", ["3.4", "3.3"]), ("Total expenses", ["23.5", "21.3"])])
    prove_table(t)
    assert t.status == Status.ok
    assert [c.expression for c in t.checks] == ["20.1 + 3.4 = 23.5 ✓", "18.0 + 3.3 = 21.3 ✓"]
    _set(t, 2, 1, "3.9")  # a misread part is still caught
    prove_table(t)
    assert t.status == Status.flagged


def test_a_zero_row_above_a_plain_list_is_still_a_part():
    t = make_table(["Amount"], [("Grants", ["0"]), ("Fees", ["40"]), ("Dues", ["60"]), ("Total income", ["100"])])
    prove_table(t)
    assert t.status == Status.ok and t.checks[0].expression == "0 + 40 + 60 = 100 ✓"
    _set(t, 0, 0, "7")  # the figure left out would not be larger than the total: no escape
    prove_table(t)
    assert t.status == Status.flagged


def test_unmarked_subtotal_stands_for_the_rows_above_it():
    t = make_table(["North", "South", "Total"], [
        ("Salaries", ["300", "100", "400"]), ("Bonuses", ["50", "10", "60"]), ("", ["350", "110", "460"]),
        ("Travel", ["20", "5", "25"]), ("Total costs", ["370", "115", "485"])])
    prove_table(t)
    assert t.status == Status.ok
    sub = [c for c in t.checks if c.cells[-1].row == 2 and "rows" in c.description]
    assert len(sub) == 3 and sub[0].expression == "300 + 50 = 350 ✓"
    _set(t, 1, 0, "55")
    prove_table(t)
    assert t.status == Status.flagged


def test_split_across_columns_and_a_wrong_part_is_flagged():
    t = make_table(["Opening", "Accrued", "Paid", "Closing", "Short-term", "Long-term", "Closing"],
                   [("Product warranties", ["80", "30", "(25)", "85", "60", "25", "85"])])
    prove_table(t)
    assert [c.kind for c in t.checks] == ["rollforward"] and t.status == Status.ok
    _set(t, 0, 5, "26")
    prove_table(t)
    assert t.status == Status.flagged


def test_deferred_revenue_rows_move_the_balance():
    t = make_table(["FY25"], [("Deferred revenue at start of year", ["1,000"]), ("Revenue deferred", ["600"]),
                              ("Revenue recognized", ["(700)"]), ("Deferred revenue at end of year", ["900"])])
    prove_table(t)
    assert t.status == Status.ok and t.checks[0].expression == "1,000 + 600 − 700 = 900 ✓"


def test_sibling_column_named_only_when_the_residual_is_that_child():
    fy = year(2030)
    members = [[], ["Hardware [Member]"], ["Software [Member]"], ["Hardware [Member]", "Online [Member]"],
               ["Software [Member]", "Online [Member]"]]
    rows = [("Net revenue", ["900", ""]), ("Net revenue", ["650", ""]), ("Net revenue", ["", "240"]),
            ("Net revenue", ["650", ""]), ("Net revenue", ["", "240"])]
    t = make_table(["2030 EUR", "2030 GBP"], rows, members=members, periods=[fy, fy])
    prove_table(t)
    bad = [c for c in t.checks if not c.passed]
    assert t.status == Status.flagged and len(bad) == 1
    assert "residual 250" in bad[0].expression and "printed in column" not in bad[0].expression


def test_a_sign_resting_on_one_figure_needs_an_exact_match():
    t = make_table(["Loans", "Less: loss allowance", "Loans, net"], [("Consumer", ["12", "4", "8"])])
    prove_table(t)
    assert t.status == Status.ok
    _set(t, 0, 1, "(5)")  # 12 − 5 = 7 would pass as rounding against 8
    prove_table(t)
    assert t.status == Status.flagged and "only an exact match" in t.checks[0].expression
    many = make_table(["Loans", "Allowance", "Loans, net"], [("A", ["1,204", "(51)", "1,154"]),
                                                             ("B", ["300", "(10)", "290"])])
    prove_table(many)  # two figures agree on the sign: rounding is allowed
    assert many.status == Status.ok
