"""Derived questions, ordinals, row-axis periods, common-size and column shares, plan readings."""

from decimal import Decimal

import pytest

from qa.engine import Engine
from qa.memory import MemoryIndex
from qa.plan import ordinals, plan_question

from qa_tables import table

DOC = "widgets_10k.htm"
FY = [("Fiscal 2024", None), ("Fiscal 2023", None), ("Fiscal 2022", None)]


def _tables():
    costs = table(DOC, "t1", "Operating costs (in millions)", FY, [
        ("Freight costs", [120, 100, 90]), ("Warehouse rent", [40, 50, 30]), ("Total operating costs", [160, 150, 120])])
    buyback = table(DOC, "t2", "Issuer purchases of equity securities", [
        ("Shares purchased", None), ("Average price paid per share", None)], [
        ("Oct. 1, 2024 - Oct. 31, 2024", [410, Decimal("18.20")]),
        ("Nov. 1, 2024 - Nov. 30, 2024", [525, Decimal("19.05")]),
        ("Dec. 1, 2024 - Dec. 31, 2024", [300, Decimal("17.60")]),
        ("Total", [1235, Decimal("18.41")])])
    common = table(DOC, "t3", "Results as a percentage of net sales", [
        ("Year Ended June 30, 2024", None), ("Year Ended June 30, 2023", None)], [
        ("Net sales", [100, 100]), ("Gross profit", [Decimal("41.3"), Decimal("38.8")]),
        ("Selling expenses", [Decimal("12.1"), Decimal("11.7")])])
    for c in common.rows[0].cells:
        c.raw = "100.0 %"
    maturities = table(DOC, "t4", "Future minimum lease payments (in thousands)", [
        ("Total", None), ("Less than 1 year", None), ("More than 5 years", None)], [
        ("Equipment leases", [800, 300, 200]), ("Office leases", [1200, 200, 600])])
    schedule = table(DOC, "t5", "Debt maturities (in millions)", [("Amount", None)], [
        ("2025", [50]), ("2026", [60]), ("2027", [70]), ("Thereafter", [90]), ("Total", [270])])
    growth = table(DOC, "t6", "Bookings", [("2024", None), ("2023", None), ("% change", None)], [
        ("New bookings", [4500, 4000, Decimal("12.5")])])
    return [costs, buyback, common, maturities, schedule, growth]


@pytest.fixture(scope="module")
def eng():
    return Engine(MemoryIndex(_tables()), strict=False)


def test_difference_of_two_averages(eng):
    ans = eng.ask("What is the difference between the average freight costs and the average warehouse rent "
                  "from 2023 to 2024?", doc=DOC)
    assert ans.answer_value == Decimal(65)  # (120 + 100) / 2 − (40 + 50) / 2
    assert [c.op for c in ans.computations] == ["average", "average", "difference"]


def test_change_of_two_year_averages(eng):
    ans = eng.ask("What is the change between 2023 and 2024 average freight costs?", doc=DOC)
    assert ans.answer_value == Decimal(15)  # (120 + 100) / 2 − (100 + 90) / 2


def test_ordinal_rows_of_a_period_schedule(eng):
    assert eng.ask("How many shares were purchased in the second month?", doc=DOC).answer_value == 525
    ch = eng.ask("What was the change in average price paid per share between the first to second month?", doc=DOC)
    assert ch.answer_value == Decimal("0.85")
    share = eng.ask("What were the shares purchased in the third month as a percentage of the total shares "
                    "purchased?", doc=DOC)
    assert round(share.answer_value, 2) == Decimal("24.29")  # 300 / 1,235


def test_common_size_table_reads_the_share_directly(eng):
    ans = eng.ask("What was the percentage of net sales represented by gross profit in 2023?", doc=DOC)
    assert ans.answer_value == Decimal("38.8") and ans.unit == "%"


def test_share_of_a_named_column_in_the_row_total(eng):
    ans = eng.ask("What is the percentage of office leases of more than 5 years in the total office leases?", doc=DOC)
    assert ans.answer_value == Decimal(50)  # 600 / 1,200


def test_periods_down_the_rows(eng):
    ans = eng.ask("Which periods are shown in the table of debt maturities?", doc=DOC)
    assert ans.answer_spans == ["2025", "2026", "2027", "Thereafter"]
    assert eng.ask("How many periods are shown in the table of debt maturities?", doc=DOC).answer_value == 4


def test_reported_percentage_change_is_used_when_it_ties(eng):
    ans = eng.ask("What was the percentage change in new bookings from 2023 to 2024?", doc=DOC)
    assert ans.answer_value == Decimal("12.5")
    assert any("reports the change as 12.5" in c for c in ans.caveats)


def test_plan_readings():
    p = plan_question("What were inventories as of October 31, 2024 and 2023 respectively?")
    assert p.dates == ["2024-10-31", "2023-10-31"]
    assert plan_question("What is the change in the reserve at March 31 and June 30, 2024?").dates == [
        "2024-03-31", "2024-06-30"]
    assert plan_question("In which year was the leverage ratio higher?").operation == "compare"
    assert plan_question("Which financial years' information is shown in the table?").operation == "periods"
    sales, purchases = plan_question("What are the respective sales and purchases for 2022?").subjects
    assert sales and purchases == ["purchase"]
    assert ordinals("between the second to third month period") == [2, 3]
    assert ordinals("in the last quarter") == [-1]
    assert ordinals("the first lien notes") == []


def test_header_row_left_in_the_body_names_the_years():
    t = table(DOC, "t9", "Deferred taxes (in thousands)", [("December 31", None), ("", None)], [
        ("", [2024, 2023]), ("Tax loss carryforwards", [8100, 7400]), ("Valuation allowance", [-8100, -7400])])
    t.rows[0].cells[1].raw = "2 0 2 3"  # a letter-spaced year, as some PDFs print it
    e = Engine(MemoryIndex([t]), strict=False)
    ans = e.ask("What were tax loss carryforwards in 2024 and 2023 respectively?", doc=DOC)
    assert ans.answer_values == [Decimal(8100), Decimal(7400)]
    assert all(f.row != 0 for f in ans.figures)  # the year row is a header, never a figure


def test_respective_values_of_named_columns(eng):
    ans = eng.ask("What are the respective values of equipment leases that are less than one year and "
                  "more than 5 years?", doc=DOC)
    assert ans.answer_values == [Decimal(300), Decimal(200)]


def test_tolerant_date_forms_in_headers():
    from extractor.periods import find_dates, parse_period

    assert parse_period("As of December31, 2022").key == "2022-12-31"  # glued month and day
    assert parse_period("30 June 2023 $'000").key == "2023-06-30"  # day first
    assert parse_period("Year Ended September30, 2021").months == 12
    assert [d.isoformat() for d in find_dates("Dec. 31, 2020 and 31 March 2021")] == ["2020-12-31", "2021-03-31"]
    assert parse_period("Mar 2021") is None  # a month without a day is not a date
