"""The row-per-line layout: glued labels and numbers, run-together header years, '$' marks,
negatives split over lines, the detector on every seed, cut-off tables, generated tables."""

from __future__ import annotations

import random
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.layouts import detect, row_lines
from extractor.layouts.row_lines import header_years, read_row, split_run, valid_amount
from extractor.models import Layout, Status
from extractor.read import read_path, read_text

FIX = Path(__file__).parent / "fixtures"
SEEDS = sorted((FIX / "seeds").glob("*.txt"))
SYN = FIX / "synthetic"


def _one(text: str):
    (t,) = row_lines.parse(read_text(text))
    return t


# ----------------------------------------------------------------------------- detector


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_detector_low_on_all_seeds(path):
    assert row_lines.score(read_path(path)) < 0.1
    assert detect(read_path(path)) != Layout.row_lines


@pytest.mark.parametrize("path", sorted(SYN.glob("row_lines_*.txt")), ids=lambda p: p.name)
def test_detector_picks_row_lines_fixtures(path):
    src = read_path(path)
    assert row_lines.score(src) > 0.4
    assert detect(src) == Layout.row_lines


def test_detector_low_on_pipe_fixtures():
    for p in SYN.glob("pipes_*.txt"):
        assert row_lines.score(read_path(p)) < 0.1, p.name


# ----------------------------------------------------------------------------- amounts


def test_valid_amount_respects_grouping():
    assert valid_amount("1,204", True) and valid_amount("848", True) and valid_amount("12.5", True)
    assert not valid_amount("3848", True) and valid_amount("3848", False)
    assert not valid_amount("1,2041", True) and not valid_amount("012", True)


def test_split_run_uses_thousands_grouping():
    assert split_run("1,204848", True)[0] == ["1,204", "848"]  # the fewest pieces come first
    assert all(p[0] == "1,204" for p in split_run("1,204848", True))
    assert split_run("12,3456,789", True)[0] == ["12,345", "6,789"]
    assert split_run("1,204", True) == [["1,204"]]  # a well-formed amount is never split
    assert ["848", "120"] in split_run("848120", True)  # several readings: column count decides


def test_header_years_run_together():
    assert header_years("2024202320242023") == ["2024", "2023", "2024", "2023"]
    assert header_years("2024 2023") == ["2024", "2023"]
    assert header_years("20242023x") is None and header_years("1,204") is None


def test_label_glued_to_first_number():
    src = read_text("Credit loss expense848 1,204 (12)\n")
    row = read_row(src, 1)
    assert row.label == "Credit loss expense"
    assert [t.text for t in row.tokens] == ["848", "1,204", "(12)"]
    assert src.text[row.tokens[0].start:row.tokens[0].end] == "848"


def test_date_label_keeps_its_year():
    row = read_row(read_text("Balance at December 31, 2023 1,234 1,100\n"), 1)
    assert row.label == "Balance at December 31, 2023" and [t.text for t in row.tokens] == ["1,234", "1,100"]
    assert read_row(read_text("As of December 31, 2021\n"), 1) is None


# ----------------------------------------------------------------------------- glued values and column count


GLUED = """Credit quality (in thousands):
2024 2023
Commercial loans 1,250 1,100
Credit loss expense1,204848
Recoveries 96 1,025
Total 2,550 2,973
"""


def test_glued_values_split_by_grouping_and_column_count():
    t = _one(GLUED)
    assert [r.values for r in t.rows] == [[1250, 1100], [1204, 848], [96, 1025], [2550, 2973]]
    assert t.rows[1].label == "Credit loss expense" and not t.warnings
    c = t.rows[1].cells[1]
    assert GLUED[c.source.char_start:c.source.char_end] == "848"


def test_glued_run_with_several_readings_is_left_unplaced_and_flagged():
    t = _one("Loans by stage:\n2024 2023\nStage A 1,250 1,100\nStage B8481,204\nTotal 2,098 2,304\n")
    row = t.rows[1]
    assert row.values == [None, None] and row.extra and row.extra[0].status == Status.ambiguous
    assert row.extra[0].candidates == [0, 1]
    assert t.status == Status.ambiguous and any("ways" in w for w in t.warnings)
    assert [r.values for r in t.rows if r is not row] == [[1250, 1100], [2098, 2304]]


def test_label_ending_in_a_number_uses_its_siblings():
    t = _one("Fair value measurements as of December 31, 2024 are as follows:\n"
             "Level 1 1,250\nLevel 2 830\nLevel 3848\nTotal 2,928\n")
    assert [(r.label, r.values) for r in t.rows] == [
        ("Level 1", [1250]), ("Level 2", [830]), ("Level 3", [848]), ("Total", [2928])]
    assert t.columns[0].period.key == "2024-12-31"


def test_row_with_fewer_values_than_columns_is_ambiguous_not_guessed():
    t = _one("Other items (in thousands):\n2024 2023\nFees 120 130\nRecoveries 150\nTotal 270 130\n")
    rec = t.rows[1]
    assert rec.values == [None, None] and [c.value for c in rec.extra] == [150]
    assert rec.extra[0].candidates == [0, 1] and t.status == Status.ambiguous


# ----------------------------------------------------------------------------- fixtures


def test_allowance_fixture():
    (t,) = row_lines.parse(read_path(SYN / "row_lines_allowance.txt"))
    assert t.title == "NOTE 6 — ALLOWANCE FOR CREDIT LOSSES"
    assert t.caption.startswith("The following table presents the activity")
    assert (t.scale, t.currency, t.kind, t.orientation) == (10**6, "USD", "movement", "rows")
    assert [c.period.key for c in t.columns] == ["2024-01-01..2024-12-31", "2023-01-01..2023-12-31",
                                                "2022-01-01..2022-12-31"]
    assert [r.label for r in t.rows] == ["Balance at beginning of year", "Credit loss expense", "Charge-offs",
                                         "Recoveries", "Balance at end of year"]
    vals = [r.values for r in t.rows]
    assert vals == [[2150, 1980, 1875], [848, 1204, -12], [-1100, -1050, 0], [150, 16, 117], [2048, 2150, 1980]]
    for j in range(3):  # the rollforward down each column holds
        assert sum(v[j] for v in vals[:-1]) == vals[-1][j]
    assert t.rows[0].cells[0].currency == "USD"


def test_two_group_fixture_with_split_negative():
    src = read_path(SYN / "row_lines_two_groups.txt")
    (t,) = row_lines.parse(src)
    assert t.title == "Credit quality of receivables"
    assert [c.header for c in t.columns] == ["Receivables 2024", "Receivables 2023", "Allowance 2024",
                                             "Allowance 2023"]
    assert [c.period.key for c in t.columns] == ["2024-12-31", "2023-12-31"] * 2
    assert (t.scale, t.currency) == (1000, "CNY")
    assert t.rows[2].values == [5848, 1204, -12, -499]  # "(499" + ")" on the next line
    assert t.rows[3].values == [1204, 848, -30, -25]  # "receivables1,204848"
    tot = t.rows[-1].values
    assert tot == [sum(r.values[j] for r in t.rows[:-1]) for j in range(4)]
    for r in t.rows:
        for c in r.cells:
            assert src.text[c.source.char_start:c.source.char_end].lstrip("$ ").startswith(c.raw.lstrip("$ ")[:2])


def test_cut_off_fixture_warns_and_places_nothing_wrong():
    (t,) = row_lines.parse(read_path(SYN / "row_lines_cutoff.txt"))
    assert t.title == "4. INVENTORIES" and t.columns[0].period.key == "2023-09-30"
    assert [r.values for r in t.rows[:2]] == [[1150, 830], [420, 0]]
    last = t.rows[-1]
    assert last.values == [None, None] and last.extra[0].status == Status.ambiguous
    assert any("not a well-formed amount" in w for w in t.warnings)


# ----------------------------------------------------------------------------- generated


LABELS = ["Net revenue", "Cost of services", "Marketing expense", "Interest income", "Other gains",
          "Deferred tax assets", "Accrued liabilities", "Total"]


def _fmt(rng: random.Random, v: int) -> str:
    if v == 0:
        return "—"
    s = f"{abs(v):,}"
    return f"({s})" if v < 0 else s


@pytest.mark.parametrize("seed", range(30))
def test_generated_row_tables_parse_exactly(seed):
    rng = random.Random(seed)
    n = rng.randint(1, 5)
    years = [str(2025 - k) for k in range(n)]
    labels = rng.sample(LABELS[:-1], rng.randint(2, 6)) + ["Total"]
    values = [[rng.choice([0, rng.randint(-9_999_999, 9_999_999), rng.randint(-999, 999)]) for _ in years]
              for _ in labels]
    lines = ["NOTE 12 — SELECTED DATA", "Selected amounts for the years ended December 31 were as follows (in thousands):",
             "Year ended December 31,", "".join(years) if rng.random() < 0.5 else " ".join(years)]
    for lab, vals in zip(labels, values):
        toks = [_fmt(rng, v) for v in vals]
        if rng.random() < 0.3:
            toks[0] = "$ " + toks[0] if rng.random() < 0.5 else "$" + toks[0]
        sep = "" if rng.random() < 0.4 else " "
        lines.append(lab + sep + " ".join(toks))
        if toks[-1].endswith(")") and rng.random() < 0.3:
            lines[-1] = lines[-1][:-1]
            lines.append(")")
    text = "\n".join(lines) + "\n"
    t = _one(text)
    assert [r.label for r in t.rows] == labels, text
    assert [r.values for r in t.rows] == [[Decimal(v) for v in vals] for vals in values], text
    assert [c.period.key for c in t.columns] == [f"{y}-01-01..{y}-12-31" for y in years], text
    assert t.scale == 1000 and t.title == "NOTE 12 — SELECTED DATA" and not t.warnings


def test_two_tables_sections_percentages_and_prose_between():
    text = """Note 4. Receivables

Receivables, net consisted of the following (in millions):

December 31,
2024 2023
Current:
Trade receivables $ 4,512 $ 4,100
Less: allowance for credit losses (212) (198)
Noncurrent:
Long-term receivables 830 910

The weighted-average interest rate on long-term receivables was 5.2% in 2024.

Key ratios for the six months ended June 30 were:
2024 2023
Gross margin 41.2% 39.8%
Days sales outstanding 52 49
"""
    a, b = row_lines.parse(read_text(text))
    assert a.title == b.title == "Note 4. Receivables"
    assert [c.header for c in a.columns] == ["December 31, 2024", "December 31, 2023"]
    assert [c.period.key for c in a.columns] == ["2024-12-31", "2023-12-31"]
    assert [(r.label, r.section, r.values) for r in a.rows] == [
        ("Trade receivables", "Current", [4512, 4100]),
        ("Less: allowance for credit losses", "Current", [-212, -198]),
        ("Long-term receivables", "Noncurrent", [830, 910])]
    assert a.scale == 10**6 and a.currency == "USD"
    assert [c.period.key for c in b.columns] == ["2024-01-01..2024-06-30", "2023-01-01..2023-06-30"]
    assert b.rows[0].values == [Decimal("41.2"), Decimal("39.8")] and b.rows[0].cells[0].unit == "%"
    assert b.caption == "Key ratios for the six months ended June 30 were:"


_PIECES = st.sampled_from(["Total", "Credit loss expense", "848", "1,204", "(12)", "(499", ")", "$", "—",
                           "2024", "2023", "20242023", "\n", "December 31,", "Level 3", "12.5%", ":",
                           "NOTE 6 — ALLOWANCE", "The table is as follows:"])


@settings(max_examples=150, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=60))
def test_arbitrary_row_text_never_crashes(pieces):
    text = " ".join(pieces)
    if not text.strip():
        return
    src = read_text(text)
    assert 0.0 <= row_lines.score(src) <= 1.0
    for t in row_lines.parse(src):
        for r in t.rows:
            assert len(r.cells) == len(t.columns)
            assert all(c.status == Status.ambiguous for c in r.extra)
        t.to_record()


def test_one_word_per_column_header_under_an_as_of_line():
    t = _one("Receivables by segment (in thousands):\nAs of March 31, 2025\nGross Allowance Net\n"
             "Retail 1,500 (75) 1,425\nWholesale 700 — 700\nTotal 2,200 (75) 2,125\n")
    assert [c.header for c in t.columns] == ["Gross", "Allowance", "Net"]
    assert {c.period.key for c in t.columns} == {"2025-03-31"}
    assert [c.role for c in t.columns] == ["gross", "allowance", "net"]
    assert [r.values for r in t.rows] == [[1500, -75, 1425], [700, 0, 700], [2200, -75, 2125]]


# ----------------------------------------------------------------------------- garbled pages
# Tables invented here (labels, dates, scales, column counts unlike the seeds); the page
# layout is built by position so the right edges line up the way a rendered page prints them.


def _page(label_w: int, edges: list[int], header: list[list[tuple[int, str]]],
          rows: list[tuple[str, list[str | None]]], corner: str = "") -> str:
    """Header lines (fragments right-aligned at edges) and rows (values right-aligned at the
    column edges; '' prints nothing: a dash the copy dropped)."""
    out = []
    for k, line in enumerate(header):
        s = corner if k == len(header) - 1 else ""
        for e, text in line:
            s = s.ljust(e - len(text)) + text
        out.append(s)
    for label, vals in rows:
        s = label.ljust(label_w)
        for e, v in zip(edges, vals):
            if v:
                s = s.ljust(e - len(v)) + v
        out.append(s)
    return "\n".join(out) + "\n"


PAGE = ("Segment assets of the Group (in millions of euros):\n" + _page(
    30, [44, 60, 76],
    [[(44, "Property,"), (76, "Carrying")],
     [(44, "plant and"), (60, "Impairment"), (76, "amount")],
     [(44, "equipment"), (60, "to date"), (76, "at year end")]],
    [("Northern terminals", ["9,410", "(1,206)", "8,204"]),
     ("Inland depots", ["2,115", "", "2,115"]),
     ("Rail", ["740", "(38)", "702"]),
     ("Total", ["12,265", "(1,244)", "11,021"])],
    corner="As of June 30, 2029"))


def test_page_columns_by_position_keep_a_dropped_dash_in_its_column():
    t = _one(PAGE)
    assert [r.values for r in t.rows] == [[9410, -1206, 8204], [2115, None, 2115], [740, -38, 702],
                                          [12265, -1244, 11021]]
    assert [c.header for c in t.columns] == ["Property, plant and equipment", "Impairment to date",
                                             "Carrying amount at year end"]
    assert {c.period.key for c in t.columns} == {"2029-06-30"} and t.status == Status.ok


def test_page_column_every_row_left_empty_comes_from_its_header():
    text = "Loans by grade:\n" + _page(20, [34, 50, 66],
                                      [[(34, "Grade A"), (50, "Grade B"), (66, "Total")]],
                                      [("Retail", ["410", "", "410"]), ("Corporate", ["1,220", "", "1,220"])])
    t = _one(text)
    assert [r.values for r in t.rows] == [[410, None, 410], [1220, None, 1220]]
    assert [c.header for c in t.columns] == ["Grade A", "Grade B", "Total"]


def test_page_figures_shifted_by_lost_separators_still_line_up():
    text = "Deposits (in thousands):\n" + _page(
        24, [40, 58], [[(40, "March 31, 2027"), (58, "March 31, 2026")]],
        [("Demand", ["1,204,118", "998,310"]), ("Time", ["310", "4,402"]), ("Total", ["1,204,428", "1,002,712"])])
    t = _one(re.sub(r"(?<=\d),(?=\d{3})", "", text))  # the separators dropped after layout
    assert [r.values for r in t.rows] == [[1204118, 998310], [310, 4402], [1204428, 1002712]]
    assert [c.period.key for c in t.columns] == ["2027-03-31", "2026-03-31"]


def test_wrapped_labels_join_their_row():
    text = ("Movements in provisions (in thousands):\n2031 2030\n"
            "Provision at the start\nof the year 820 760\n"
            "Amounts charged to\nprofit or loss 115 140\n"
            "Warranty claims\n— settled in cash (92) (80)\n"
            "Provision at the end of the year 843 820\n")
    t = _one(text)
    assert [r.label for r in t.rows] == ["Provision at the start of the year", "Amounts charged to profit or loss",
                                         "Warranty claims — settled in cash", "Provision at the end of the year"]
    assert all(r.section is None for r in t.rows) and t.rows[1].values == [115, 140]


def test_a_heading_with_a_colon_stays_a_section():
    t = _one("Receivables (in thousands):\n2031 2030\nCurrent:\nTrade 400 380\nNoncurrent:\nNotes 90 70\n")
    assert [(r.section, r.label) for r in t.rows] == [("Current", "Trade"), ("Noncurrent", "Notes")]


def test_page_marks_and_running_company_name_do_not_split_a_table():
    text = ("Orchid Bay Resources plc\n\nNet debt by instrument (in millions):\n2030 2029\n"
            "Term loan 1,500 1,650\nPage 17\nOrchid Bay Resources plc\nBonds 900 900\n"
            "Page 18\nOrchid Bay Resources plc\nLeases 215 240\nTotal 2,615 2,790\n\nPage 19\n")
    t = _one(text)
    assert [r.label for r in t.rows] == ["Term loan", "Bonds", "Leases", "Total"]
    assert t.rows[-1].values == [2615, 2790] and t.status == Status.ok


def test_ocr_letters_inside_numbers_are_read_as_digits_and_named():
    t = _one("Fees (in thousands):\n2026 2025\nAdvisory l,2O4 1,100\nCustody 5S8 (4O)\nTotal 1,762 1,060\n")
    assert [r.values for r in t.rows] == [[1204, 1100], [558, -40], [1762, 1060]]
    named = " ".join(w for w in t.warnings if "OCR" in w)
    assert "'l,2O4'" in named and "'5S8'" in named and "'(4O)'" in named


def test_a_long_header_line_joined_by_double_spaces_is_not_prose():
    text = ("Allowance activity:\nOpening balance as of April 1, 2028  Net provision for the period  "
            "Amounts written off in the period  Closing balance as of March 31, 2029\n"
            "Consumer loans  640  210  (180)  670\nSmall business  95  40  (22)  113\n")
    t = _one(text)
    assert [c.period.key for c in t.columns] == ["2028-04-01", "2028-04-01..2029-03-31",
                                                 "2028-04-01..2029-03-31", "2029-03-31"]
    assert t.kind == "movement" and t.rows[0].values == [640, 210, -180, 670]


def test_header_lines_out_of_order_are_put_back_by_their_dates():
    text = ("Cash by currency (in thousands):\n30, 2031    30, 2030\nSeptember   September\n"
            "Euro  410  380\nYen  95  120\n")
    t = _one(text)
    assert [c.period.key for c in t.columns] == ["2031-09-30", "2030-09-30"]


def test_unaligned_rows_short_of_the_header_count_are_ambiguous_not_left_aligned():
    t = _one("Exposure by stage:\nStage one  Stage two  Stage three\nMortgages  510  62  9\n"
             "Cards  220  31\nTotal  730  93  9\n")
    assert len(t.columns) == 3 and t.status == Status.ambiguous
    assert t.rows[1].values == [None, None, None] and [c.candidates for c in t.rows[1].extra] == [[0, 1, 2]] * 2


def test_page_aligned_fixture():
    (t,) = row_lines.parse(read_path(SYN / "row_lines_page_aligned.txt"))
    assert [r.label for r in t.rows] == ["Finished goods held at regional distribution centers", "Work in progress",
                                         "Raw materials and consumables", "Spare parts", "Total"]
    assert t.rows[1].values == [12904, None, 12904] and t.rows[3].values == [1025, -88, 937]
    assert [c.header for c in t.columns] == ["Gross inventory", "Obsolescence reserve (note 11b)", "Net inventory"]
    assert {c.period.key for c in t.columns} == {"2031-09-30"} and t.scale == 1000
    assert any("'l,O25'" in w for w in t.warnings)


def test_cells_joined_by_a_fixed_separator_place_a_dropped_dash_by_the_gap():
    text = ("Movements in deferred revenue (in thousands):\n"
            "Opening balance as of July 1, 2027  Billings  Recognised  Closing balance as of June 30, 2028\n"
            "Licences  310  1,200  (1,150)  360\n"
            "Support     640  (600)   \n"  # opening and closing '—' dropped: 2 + 1 + 2 spaces
            "Total  310  1,840  (1,750)  400\n")
    t = _one(text)
    assert [r.values for r in t.rows] == [[310, 1200, -1150, 360], [None, 640, -600, None], [310, 1840, -1750, 400]]
    assert t.status == Status.ok and not any(r.extra for r in t.rows)


def test_gaps_that_do_not_account_for_the_missing_cells_stay_ambiguous():
    t = _one("Exposure by stage:\nStage one  Stage two  Stage three\nMortgages  510  62  9\n"
             "Cards  220   31\nTotal  730  93  9\n")  # a gap of 3: neither a blank cell (5) nor an empty one (4)
    assert t.status == Status.ambiguous and t.rows[1].extra


def test_values_that_do_not_line_up_under_the_headers_are_not_a_grid():
    # every figure shifted by lost separators, except the short row: no interleaved columns
    text = ("Deposits (in thousands):\n" + " " * 26 + "March 31, 2027    March 31, 2026\n"
            "Demand                         1204118           998310\n"
            "Time                                 310             4402\n"
            "Total                          1204428         1002712\n")
    t = _one(text)
    assert len(t.columns) == 2 and [r.values for r in t.rows][1] == [310, 4402]


def test_a_period_line_or_a_header_over_the_values_is_not_half_a_label():
    text = ("Loans by vintage:\n" + " " * 30 + "2029      2028\nAs of\n"
            "Consumer portfolio               410       380\nCommercial portfolio             120        95\n")
    t = _one(text.replace("As of\n", "As of\n", 1))
    assert t.rows[0].label == "Consumer portfolio"
    text2 = ("Receivables (in thousands):\n" + " " * 33 + "Gross     Allowance\n" + " " * 40 + "Reserve for\n"
             "Retail segment                   900         (40)\nWholesale segment                300          (9)\n")
    t2 = _one(text2)
    assert t2.rows[0].label == "Retail segment"


def test_a_header_line_that_fits_no_column_is_named_not_glued_onto_every_column():
    t = _one("Leases (in thousands):\nDecember 31, 2030  December 31, 2029\nOperating  Finance  Total\n"
             "Buildings  400  120  520\nVehicles  80  40  120\n")
    assert [c.header for c in t.columns] == ["Operating", "Finance", "Total"]
    assert all(c.period is None for c in t.columns)  # no date is given to a column it may not belong to
    assert any("December 31, 2030  December 31, 2029" in w for w in t.warnings)
