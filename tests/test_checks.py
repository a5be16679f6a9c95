"""Unit tests of each tick mark on tables we build ourselves (other labels, scales, orientations)."""

from __future__ import annotations

from decimal import Decimal

from helpers_tables import instant, make_doc, make_table, year

from extractor import checks
from extractor.checks import check_table, prove_document, prove_table
from extractor.kinds import classify, role_of
from extractor.models import Cell, CellKind, Document, Status
from extractor.tieouts import tieouts_across


def _kinds(t):
    return sorted({c.kind for c in t.checks})


# ----------------------------------------------------------------------------- kinds and roles


def test_roles_from_words_not_from_one_filing():
    assert role_of("Balance at beginning of period") == "opening"
    assert role_of("Balance, end of year") == "ending"
    assert role_of("Charge-offs") == "writeoff"
    assert role_of("Recoveries of amounts previously charged off") == "recovery"
    assert role_of("Provision for credit losses") == "provision"
    assert role_of("Loans receivable, net") == "net"
    assert role_of("Total net revenue") == "revenue"  # not a 'net' balance
    assert role_of("Less: allowance for doubtful accounts") == "allowance"


def test_classify_balance_movement_breakdown():
    bal = make_table(["Trade receivables", "Allowance for expected credit losses", "Trade receivables, net"],
                     [("Segment X", ["10", "(1)", "9"])])
    assert classify(bal) == "balance" and [c.role for c in bal.columns] == ["gross", "allowance", "net"]
    mov = make_table(["FY24"], [("Beginning of year", ["5"]), ("Additions", ["2"]), ("End of year", ["7"])])
    assert classify(mov) == "movement" and mov.orientation == "rows"
    vint = make_table(["2022", "2021", "Total"], [("Retail", ["1", "2", "3"]), ("Total", ["1", "2", "3"])])
    assert classify(vint) == "breakdown" and [c.role for c in vint.columns] == ["component", "component", "total"]


# ----------------------------------------------------------------------------- rollforward


def test_rollforward_across_columns_written_out():
    t = make_table(
        ["Balance at January 1, 2021", "Transfers in", "Charge for the year", "Amounts written off",
         "Balance at December 31, 2021"],
        [("Retail loans", ["1,000", "20", "300", "(400)", "920"]),
         ("Corporate loans", ["50", "—", "5", "(10)", "45"]),
         ("Total", ["1,050", "20", "305", "(410)", "965"])],
    )
    prove_table(t)
    assert t.kind == "movement" and t.orientation == "columns"
    rolls = [c for c in t.checks if c.kind == "rollforward"]
    assert len(rolls) == 3 and all(c.passed for c in rolls)
    assert rolls[0].expression == "1,000 + 20 + 300 − 400 = 920 ✓"
    assert t.status == Status.ok


def test_rollforward_down_rows_positive_charge_offs_are_taken_away():
    t = make_table(["2024", "2023"], [
        ("Balance at beginning of year", ["1,200", "1,000"]),
        ("Provision for credit losses", ["450", "500"]),
        ("Charge-offs", ["300", "350"]),  # printed positive: a deduction
        ("Recoveries", ["50", "50"]),
        ("Balance at end of year", ["1,400", "1,200"]),
    ], periods=[year(2024), year(2023)])
    prove_table(t)
    rolls = [c for c in t.checks if c.kind == "rollforward"]
    assert [c.passed for c in rolls] == [True, True]
    assert rolls[0].expression == "1,200 + 450 − 300 + 50 = 1,400 ✓"


def test_stacked_rollforward_down_rows_chains_segments():
    t = make_table(["Amount"], [
        ("Balance as of December 31, 2022", ["12.5"]),
        ("Additions", ["3.0"]),
        ("Utilised", ["(1.5)"]),
        ("Balance as of December 31, 2023", ["14.0"]),
        ("Additions", ["2.0"]),
        ("Utilised", ["(0.5)"]),
        ("Balance as of December 31, 2024", ["15.5"]),
    ])
    prove_table(t)
    rolls = [c for c in t.checks if c.kind == "rollforward"]
    assert len(rolls) == 2 and all(c.passed for c in rolls)
    assert rolls[1].tolerance == Decimal("0.20")  # four figures with one decimal: 4 x 0.05


def test_whole_row_of_dashes_still_checks():
    t = make_table(["Opening balance", "Provision", "Write-off", "Ending balance"],
                   [("Unit C", ["—", "nil", "—", "—"]), ("Total", ["—", "—", "—", "—"])])
    prove_table(t)
    assert t.status == Status.ok
    assert any(c.kind == "rollforward" and c.expression == "0 + 0 + 0 = 0 ✓" for c in t.checks)


def test_failed_rollforward_flags_and_names_the_row():
    t = make_table(["Opening balance", "Provision", "Write-off", "Ending balance"],
                   [("Unit A", ["100", "10", "(20)", "95"]), ("Unit B", ["5", "1", "(1)", "5"]),
                    ("Total", ["105", "11", "(21)", "95"])])
    prove_table(t)
    assert t.status == Status.flagged
    bad = [c for c in t.checks if not c.passed]
    assert {c.kind for c in bad} == {"rollforward", "foot"}
    roll = next(c for c in bad if c.kind == "rollforward")
    assert roll.residual == 5 and roll.cells[-1].row == 0
    assert "100 + 10 − 20 = 90 ≠ 95 ✗ (residual 5)" == roll.expression
    assert any("residual 5" in w and "Unit A" in w for w in t.warnings)


def test_rounding_in_one_identity_passes_but_a_figure_off_everywhere_is_a_misread():
    rounded = make_table(["Opening balance", "Provision", "Write-off", "Ending balance"],
                         [("Unit A", ["3,958", "1,845", "(4,082)", "1,720"]), ("Unit B", ["10", "2", "(3)", "9"]),
                          ("Total", ["3,968", "1,847", "(4,085)", "1,729"])])
    prove_table(rounded)  # rows off by one (rounding), columns foot exactly
    assert rounded.status == Status.ok
    assert "≈" in rounded.checks[0].expression
    misread = make_table(["Opening balance", "Provision", "Write-off", "Ending balance"],
                         [("Unit A", ["3,958", "1,845", "(4,082)", "1,722"]), ("Unit B", ["10", "2", "(3)", "9"]),
                          ("Total", ["3,968", "1,847", "(4,085)", "1,730"])])
    prove_table(misread)  # 1,722 is off by one both in its row and in its column
    assert misread.status == Status.flagged
    bad = [c for c in misread.checks if not c.passed]
    assert bad and all(any((r.row, r.column) == (0, 3) for r in c.cells) for c in bad)
    assert "off in all 2 checks" in bad[0].expression


# ----------------------------------------------------------------------------- crossfoot


def test_crossfoot_allowance_printed_negative():
    t = make_table(["Gross carrying amount", "Loss allowance", "Net carrying amount"],
                   [("Stage 1", ["2,000", "(150)", "1,850"]), ("Stage 2", ["500", "(75)", "425"]),
                    ("Total", ["2,500", "(225)", "2,275"])])
    prove_table(t)
    assert t.kind == "balance" and t.status == Status.ok
    cf = [c for c in t.checks if c.kind == "crossfoot"]
    assert len(cf) == 3 and cf[0].expression == "2,000 − 150 = 1,850 ✓"


def test_crossfoot_positive_less_allowance_any_column_order():
    t = make_table(["Receivables, net", "Receivables", "Less: allowance for doubtful accounts"],
                   [("North", ["90", "100", "10"]), ("South", ["38", "40", "2"]), ("Total", ["128", "140", "12"])],
                   periods=[instant(2020)] * 3)
    prove_table(t)
    cf = [c for c in t.checks if c.kind == "crossfoot"]
    assert len(cf) == 3 and all(c.passed for c in cf)
    assert cf[0].expression == "100 − 10 = 90 ✓"


def test_crossfoot_down_rows():
    t = make_table(["Dec 31, 2023", "Dec 31, 2022"], [
        ("Accounts receivable", ["5,400", "4,100"]),
        ("Less: allowance for credit losses", ["(400)", "(100)"]),
        ("Accounts receivable, net", ["5,000", "4,000"]),
    ])
    prove_table(t)
    assert t.kind == "balance" and t.orientation is None or t.kind == "balance"
    cf = [c for c in t.checks if c.kind == "crossfoot"]
    assert [c.passed for c in cf] == [True, True]


# ----------------------------------------------------------------------------- foot


def test_foot_rows_and_total_column_skip_percentages_and_years():
    t = make_table(["Year of origination", "Amount", "% of total", "Total"], [
        ("Pool 1", ["2019", "300", "30.0%", "300"]),
        ("Pool 2", ["2020", "700", "70.0%", "700"]),
        ("Total", ["", "1,000", "100.0%", "1,000"]),
    ])
    prove_table(t)
    feet = [c for c in t.checks if c.kind == "foot"]
    footed_columns = {c.cells[-1].column for c in feet if c.cells[-1].row == 2}
    assert footed_columns == {1, 3}  # not the years, not the percentages
    assert t.status == Status.ok


def test_vintage_columns_foot_to_total_column():
    t = make_table(["2024", "2023", "2022", "Total"], [
        ("Consumer", ["100", "50", "—", "150"]),
        ("Commercial", ["10", "5", "1", "16"]),
        ("Total", ["110", "55", "1", "166"]),
    ], periods=[instant(2024)] * 4)
    prove_table(t)
    assert t.kind == "breakdown" and t.status == Status.ok
    across = [c for c in t.checks if "columns" in c.description]
    assert len(across) == 3 and across[0].expression == "100 + 50 + 0 = 150 ✓"


def test_rounding_tolerance_is_half_a_unit_per_figure():
    ok = make_table(["Amount"], [("a", ["1.1"]), ("b", ["2.2"]), ("c", ["3.3"]), ("Total", ["6.7"])])
    prove_table(ok)
    assert ok.status == Status.ok  # residual 0.1 within 4 x 0.05
    assert "≈" in ok.checks[0].expression
    bad = make_table(["Amount"], [("a", ["1.1"]), ("b", ["2.2"]), ("c", ["3.3"]), ("Total", ["6.9"])])
    prove_table(bad)
    assert bad.status == Status.flagged


def test_member_foot_two_axes():
    rows = [("Revenue", ["1,000"]), ("Revenue", ["600"]), ("Revenue", ["400"]),
            ("Revenue", ["700"]), ("Revenue", ["300"]), ("Revenue", ["420"]), ("Revenue", ["180"])]
    rows += [("Revenue", ["280"]), ("Revenue", ["120"])]
    members = [[], ["Asia [Member]"], ["Europe [Member]"], ["Goods [Member]"], ["Services [Member]"],
               ["Asia [Member]", "Goods [Member]"], ["Asia [Member]", "Services [Member]"],
               ["Europe [Member]", "Goods [Member]"], ["Europe [Member]", "Services [Member]"]]
    t = make_table(["12 Months Ended Dec. 31, 2023"], rows, members=members)
    prove_table(t)
    mf = [c for c in t.checks if c.kind == "member_foot"]
    assert t.kind == "xbrl_details" and len(mf) == 4 and all(c.passed for c in mf)
    t.rows[5].cells[0] = Cell(raw="425", value=Decimal(425), kind=CellKind.number)
    prove_table(t)
    assert t.status == Status.flagged


# ----------------------------------------------------------------------------- status, align, prose


def test_unplaced_values_make_the_table_ambiguous(monkeypatch):
    t = make_table(["Opening balance", "Provision", "Ending balance"], [("X", ["10", "", "12"])])
    t.rows[0].extra = [Cell(raw="2", value=Decimal(2), kind=CellKind.number, candidates=[1, 2])]
    monkeypatch.setattr(checks, "_align", lambda table: table)  # the aligner cannot decide
    prove_table(t)
    assert t.status == Status.ambiguous


def test_aligner_is_called_and_checks_rerun(monkeypatch):
    t = make_table(["Opening balance", "Provision", "Ending balance"], [("X", ["10", "", "12"])])
    t.rows[0].extra = [Cell(raw="2", value=Decimal(2), kind=CellKind.number, candidates=[1])]

    def place(table):
        table.rows[0].cells[1] = table.rows[0].extra.pop()
        return table

    monkeypatch.setattr(checks, "_align", place)
    prove_table(t)
    assert t.status == Status.ok and t.checks[0].expression == "10 + 2 = 12 ✓"


def test_prose_naming_other_periods_is_a_warning():
    t = make_table(["Gross", "Allowance", "Net"], [("A", ["3", "(1)", "2"])], periods=[instant(2021)] * 3,
                   caption="Receivables as of December 31, 2019 and 2020 were as follows:")
    prove_table(t)
    assert t.status == Status.ok
    assert any(w.startswith("prose:") and "2019-12-31" in w for w in t.warnings)
    t.caption = "Receivables as of December 31, 2020 and 2021 were as follows:"
    prove_table(t)
    assert not any(w.startswith("prose:") for w in t.warnings)


def test_prove_is_idempotent():
    t = make_table(["Amount"], [("a", ["1"]), ("Total", ["2"])])
    prove_table(t)
    n = len(t.warnings)
    prove_table(t)
    assert len(t.warnings) == n and t.status == Status.flagged


# ----------------------------------------------------------------------------- tie-outs


def _movement(opening_day: str, closing_day: str, rows, caption):
    return make_table([f"Balance as of {opening_day}", "Provision", "Charge-offs", f"Balance as of {closing_day}"],
                      rows, caption=caption,
                      periods=[instant(int(opening_day[-4:]), 1, 1), year(int(opening_day[-4:])),
                               year(int(opening_day[-4:])), instant(int(closing_day[-4:]))])


def test_document_tieouts_chain_and_balance():
    cap = "Changes in the allowance for doubtful trade receivables during {} were:"
    m1 = _movement("January 1, 2022", "December 31, 2022", [("Wholesale", ["40", "10", "(5)", "45"])],
                   cap.format(2022))
    m2 = _movement("January 1, 2023", "December 31, 2023", [("Wholesale", ["45", "3", "(8)", "40"])],
                   cap.format(2023))
    bal = make_table(["Trade receivables", "Allowance", "Trade receivables, net"],
                     [("Wholesale", ["900", "(40)", "860"])], periods=[instant(2023)] * 3,
                     caption="Trade receivables at December 31, 2023:")
    doc = make_doc(m1, m2, bal)
    prove_document(doc)
    assert len(doc.checks) == 2 and all(c.passed for c in doc.checks)
    assert {c.kind for c in doc.checks} == {"tieout"}
    # the balance table now disagrees with the movement's ending: both tables flagged
    bal.rows[0].cells[1] = Cell(raw="(41)", value=Decimal(-41), kind=CellKind.number)
    bal.rows[0].cells[2] = Cell(raw="859", value=Decimal(859), kind=CellKind.number)
    prove_document(doc)
    failed = [c for c in doc.checks if not c.passed]
    assert len(failed) == 1 and failed[0].residual == 1
    assert bal.status == Status.flagged and m2.status == Status.flagged and m1.status == Status.ok


def test_other_subject_does_not_tie():
    m = _movement("January 1, 2023", "December 31, 2023", [("Total", ["45", "3", "(8)", "40"])],
                  "Movement of the allowance for inventories obsolescence:")
    bal = make_table(["Loans", "Allowance", "Loans, net"], [("Total", ["900", "(99)", "801"])],
                     periods=[instant(2023)] * 3, caption="Loans to franchisees and their allowance:")
    doc = make_doc(m, bal)
    prove_document(doc)
    assert doc.checks == []


def test_tieouts_across_documents_name_both_sources():
    def doc(name, allowance):
        net = str(1000 - allowance)
        t = make_table(["Contract assets", "Allowance", "Contract assets, net"],
                       [("Total", ["1,000", f"({allowance})", net])], periods=[instant(2022)] * 3,
                       caption="Contract assets at the end of 2022:")
        d = make_doc(t, doc=name)
        prove_document(d)
        return d

    a, b = doc("10-K_2022.htm", 50), doc("10-K_2023.htm", 55)
    ties = tieouts_across([a, b])
    failed = [c for c in ties if not c.passed]
    assert failed and all({r.doc for r in c.cells} == {"10-K_2022.htm", "10-K_2023.htm"} for c in failed)
    assert "10-K_2022.htm" in failed[0].description and "10-K_2023.htm" in failed[0].description


def test_quarantined_tables_are_not_checked():
    t = make_table(["Amount"], [("a", ["1"]), ("Total", ["2"])])
    t.status = Status.quarantined
    prove_document(Document(doc="d", tables=[t]))
    assert t.checks == [] and t.status == Status.quarantined and check_table(t) == []


# ----------------------------------------------------------------------------- real-world structure


def test_subtotals_roll_up_into_a_grand_total():
    t = make_table(["Jun 30, 2023", "Dec 31, 2022"], [
        ("Cash", ["7,835", "9,882"]),
        ("Finished goods", ["4,004", "3,805"]),
        ("Work in process", ["845", "680"]),
        ("Total inventories", ["4,849", "4,485"]),
        ("Prepaid expenses", ["2,307", "2,663"]),
        ("Total current assets", ["14,991", "17,030"]),
    ])
    prove_table(t)
    assert t.status == Status.ok
    grand = [c for c in t.checks if c.cells[-1].row == 5]
    assert grand and grand[0].expression == "7,835 + 4,849 + 2,307 = 14,991 ✓"


def test_a_total_under_other_figures_takes_the_run_that_adds_up():
    t = make_table(["Q2 2023"], [("Net sales", ["9,978"]), ("Cost of products sold", ["4,483"]),
                                 ("Research and development", ["498"]), ("Selling and administrative", ["2,740"]),
                                 ("Total operating costs", ["7,721"])])
    prove_table(t)
    assert t.status == Status.ok and t.checks[0].expression == "4,483 + 498 + 2,740 = 7,721 ✓"


def test_unclear_structure_is_a_warning_not_a_flag():
    t = make_table(["2000"], [("Life", ["10"]), ("Total life", ["10"]), ("Heading only", [""]),
                              ("Non-life", ["5"]), ("Total", ["99"])])
    prove_table(t)
    assert t.status == Status.ok
    assert any("total not proven" in w for w in t.warnings)


def test_signed_additions_deductions_column_is_added_as_printed():
    t = make_table(["Balance at Beginning of Period", "Additions/ (Deductions)", "Write-offs", "Balance at End of Period"],
                   [("Current", ["431", "(11)", "(146)", "274"]), ("Noncurrent", ["27", "(7)", "0", "20"])])
    prove_table(t)
    assert t.status == Status.ok and t.checks[0].expression == "431 − 11 − 146 = 274 ✓"


def test_split_of_the_ending_balance_is_not_a_second_rollforward():
    t = make_table(["FY2006"], [("Liability at beginning of period", ["3,594"]), ("Costs accrued", ["4,603"]),
                                ("Obligations honored", ["(1,651)"]), ("Amortization", ["(1,974)"]),
                                ("Liability at end of period", ["4,572"]), ("Current portion", ["2,478"]),
                                ("Non-current portion", ["2,094"]), ("Liability at end of period", ["4,572"])])
    prove_table(t)
    assert [c.kind for c in t.checks] == ["rollforward"] and t.status == Status.ok


def test_rows_with_the_same_words_in_another_order_do_not_tie():
    m = _movement("January 1, 2021", "December 31, 2021",
                  [("Current portion of debt", ["10", "1", "(1)", "10"]),
                   ("Debt, net of current portion", ["90", "5", "(5)", "90"])], "Debt activity during 2021:")
    doc = make_doc(m)
    prove_document(doc)
    assert doc.checks == [] and m.status == Status.ok


def test_member_foot_points_at_a_child_printed_in_another_currency_column():
    fy = year(2021)
    rows = [("Sales", ["500", ""]), ("Sales", ["300", ""]), ("Sales", ["", "200"]),
            ("Sales", ["300", ""]), ("Sales", ["", "200"])]
    members = [[], ["Goods [Member]"], ["Services [Member]"], ["Goods [Member]", "Retail [Member]"],
               ["Services [Member]", "Retail [Member]"]]
    t = make_table(["FY2021 CNY (¥)", "FY2021 USD ($)"], rows, members=members, periods=[fy, fy])
    prove_table(t)
    bad = [c for c in t.checks if not c.passed]
    assert t.status == Status.flagged and len(bad) == 1
    assert "the residual is row 2's 200 printed in column 1 'FY2021 USD ($)'" in bad[0].expression
