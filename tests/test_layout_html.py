"""The html layout on hand-written fixtures (tests/fixtures/html: what the EDGAR files lack),
on tables invented inline, and round-tripped from the gold tables via evals/render.py."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from evals.gold import gold_docs, load_gold, score_document
from evals.render import (render_cell_lines, render_document, render_html, render_pipes, render_row_lines,
                          render_rpage)
from extractor.layouts import html
from extractor.models import CellKind, Layout
from extractor.read import read_path, read_text

HTML = Path(__file__).parent / "fixtures" / "html"


def parse_file(name: str):
    return html.parse(read_path(HTML / name))


def parse_html(text: str):
    return html.parse(read_text(text, "inline.html"))


def D(*xs):
    return [Decimal(str(x)) for x in xs]


def test_score_and_layout():
    assert html.LAYOUT == Layout.html
    assert html.score(read_text("<html><body><table><tr><td>1</td></tr></table></body></html>")) == 1.0


# ---------------------------------------------------------------- fixtures


def test_filing_table_in_millions_with_dollar_cells_and_split_parentheses():
    t1, t2 = parse_file("filing_millions.html")  # the navigation and signature tables are layout
    assert t1.title == "NOTE 6 — PRODUCT WARRANTIES" and t1.caption.startswith("Changes in the liability")
    assert t1.scale == 10**6 and t1.currency == "USD"
    assert [c.period.key for c in t1.columns] == [
        "2024-01-01..2024-12-31", "2023-01-01..2023-12-31", "2022-01-01..2022-12-31"]
    assert [r.label for r in t1.rows] == ["Balance at beginning of period", "Accruals for warranties issued",
                                         "Settlements made", "Foreign currency translation",
                                         "Balance at end of period"]
    assert [r.values[0] for r in t1.rows] == D(812, 390, -341, -6, 855)
    assert t1.rows[3].cells[1].kind == CellKind.dash and t1.rows[3].cells[1].value == 0
    for k in range(3):  # every year foots: opening + changes = ending
        v = [r.values[k] for r in t1.rows]
        assert v[0] + v[1] + v[2] + v[3] == v[4]
    c = t1.rows[2].cells[0]
    assert c.raw == "(341)" and c.source.line_start == 15 and c.source.char_start is not None
    # the next table: "%" cells merged, its own scale (none stated), instants
    assert t2.scale == 1 and [c.period.key for c in t2.columns] == ["2024-12-31", "2023-12-31"]
    assert t2.rows[1].values == D("1.25", "-0.50") and t2.rows[1].cells[0].unit == "%"


def test_rowspan_labels_and_two_row_headers():
    (t,) = parse_file("rowspan.html")
    assert [c.header for c in t.columns] == ["Amortized cost Current", "Amortized cost Past due", "Allowance"]
    assert [r.label for r in t.rows] == ["Consumer Cards", "Consumer Auto", "Commercial Real estate",
                                        "Commercial Equipment", "Total"]
    assert t.scale == 1000 and {c.period.key for c in t.columns} == {"2025-09-30"}
    for k in range(3):  # the components foot to the total
        assert sum(r.values[k] for r in t.rows[:-1]) == t.rows[-1].values[k]


def test_text_block_nested_in_an_r_page():
    (t,) = parse_file("nested_text.html")  # the R page itself has no numbers; authRefData skipped
    assert t.title == "Inventories (Tables)" and t.scale == 1000 and t.currency == "CNY"
    assert [c.period.key for c in t.columns] == ["2025-03-31", "2024-03-31"]
    assert [r.values for r in t.rows][-1] == D(8500, 8770)
    assert sum(r.values[0] for r in t.rows[:-1]) == t.rows[-1].values[0]


def test_footnote_marker_column_and_movement_periods():
    t1, t2, t3 = parse_file("footnote_column.html")
    assert [r.label for r in t1.rows][1:4] == ["Billings", "Revenue recognized", "Other"]
    assert [r.notes for r in t1.rows][1:4] == [["1"], ["2"], ["*"]]
    assert t1.rows[3].values == D(-5, 7)  # "(5)" in a value column is a number, not a marker
    assert t1.scale == 1000 and t1.currency == "USD"
    assert [c.period.key for c in t1.columns] == ["2025-01-01..2025-06-30", "2024-01-01..2024-06-30"]
    v = [r.values[0] for r in t1.rows]
    assert v[0] + v[1] + v[2] + v[3] == v[4]
    # movement across columns: balances are instants, flows span from opening to ending
    assert [c.period.key for c in t2.columns] == ["2025-01-01", "2025-01-01..2025-06-30",
                                                  "2025-01-01..2025-06-30", "2025-06-30"]
    assert t2.scale == 1  # "$ in thousands" was said of the table above, not this one
    for r in t2.rows:
        assert r.values[0] + r.values[1] + r.values[2] == r.values[3]
    # by vintage: every column gets the as-of instant
    assert [c.header for c in t3.columns] == ["2025", "2024", "2023", "Total"]
    assert {c.period.key for c in t3.columns} == {"2025-06-30"}


def test_sgml_fixed_width_table():
    (t,) = parse_file("sgml_text_table.htm")
    assert t.title == "RESERVES FOR RETURNS" and t.scale == 1000 and t.currency == "USD"
    assert [c.period.key for c in t.columns] == [
        "2000-04-01..2001-03-31", "1999-04-01..2000-03-31", "1998-04-01..1999-03-31"]
    assert t.rows[2].label == "Deductions" and t.rows[2].notes == ["1"]
    for k in range(3):
        v = [r.values[k] for r in t.rows]
        assert v[0] + v[1] + v[2] == v[3]


# ---------------------------------------------------------------- invented inline tables


def test_layout_tables_are_not_data():
    page = """<html><body>
    <table><tr><td>Item 1.</td><td>Business</td><td>4</td></tr><tr><td>Item 1A.</td><td>Risk Factors</td>
    <td>12</td></tr><tr><td>Item 2.</td><td>Properties</td><td>31</td></tr></table>
    <table><tr><td>Exhibit</td><td>Description</td></tr><tr><td>3.1</td><td>Charter</td></tr></table>
    <table><tr><td>By:</td><td>/s/ J. Doe</td></tr></table></body></html>"""
    assert parse_html(page) == []


def test_quarter_columns_euro_and_section_headings():
    page = """<html><body><p>Quarterly revenue (in thousands of euros):</p><table>
    <tr><td></td><td colspan="2">Three Months Ended</td></tr>
    <tr><td></td><td>March 31, 2026</td><td>March 31, 2025</td></tr>
    <tr><td>Europe:</td><td></td><td></td></tr>
    <tr><td>Licences</td><td>7,001</td><td>6,540</td></tr>
    <tr><td>Support</td><td>2,950</td><td>3,015</td></tr>
    <tr><td>Asia:</td><td></td><td></td></tr>
    <tr><td>Licences</td><td>1,100</td><td>&#8211;</td></tr></table></body></html>"""
    (t,) = parse_html(page)
    assert t.scale == 1000 and t.currency == "EUR"
    assert [c.period.key for c in t.columns] == ["2026-01-01..2026-03-31", "2025-01-01..2025-03-31"]
    assert [(r.section, r.label) for r in t.rows] == [("Europe:", "Licences"), ("Europe:", "Support"),
                                                      ("Asia:", "Licences")]
    assert t.rows[2].values == D(1100, 0)


def test_member_label_rows_in_filing_tables():
    page = """<table><tr><td></td><td>Dec. 31, 2030</td></tr>
    <tr><td>Widgets [Member] | Europe [Member]</td><td></td></tr><tr><td>Revenue</td><td>12</td></tr>
    <tr><td>Gadgets [Member]</td><td></td></tr><tr><td>Revenue</td><td>30</td></tr></table>"""
    (t,) = parse_html(page)
    assert [r.members for r in t.rows] == [["Widgets [Member]", "Europe [Member]"], ["Gadgets [Member]"]]


def test_empty_and_tableless_pages():
    assert parse_html("<html><body><p>No tables at all, only 1,234 words.</p></body></html>") == []


# ---------------------------------------------------------------- render round trip


GOLD = gold_docs()


@pytest.mark.skipif(not GOLD, reason="no gold files in evals/gold yet (written by the gold helpers)")
@pytest.mark.parametrize("doc", GOLD)
def test_html_versions_of_the_gold_tables_extract_to_the_same_cells(doc):
    gold = load_gold(doc)
    tables = html.parse(read_text(render_document(gold), doc))
    for t in tables:
        t.doc = doc
    s = score_document(tables, gold)
    assert s.fp == 0 and s.fn == 0 and s.tables_exact == len(gold["tables"]), s.errors[:10]
    for t, g in zip(tables, gold["tables"]):  # labels, members and periods too, in order
        assert [r.label for r in t.rows] == [r["label"] for r in g["rows"]]
        assert [r.members for r in t.rows] == [r.get("members", []) for r in g["rows"]]
        assert [c.period.key if c.period else None for c in t.columns] == [c.get("period") for c in g["columns"]]


INVENTED = {
    "index": 1, "title": "Note 9 — Allowance", "caption": "The allowance moved as follows:", "scale": 1000,
    "currency": None,
    "columns": [{"header": "Balance as of January 1, 2031", "period": "2031-01-01", "currency": "USD"},
                {"header": "Provision", "period": "2031-01-01..2031-12-31", "currency": "USD"},
                {"header": "Write-offs", "period": "2031-01-01..2031-12-31", "currency": "USD"},
                {"header": "Balance as of December 31, 2031", "period": "2031-12-31", "currency": "USD"}],
    "rows": [{"label": "Loans", "members": [], "values": ["1500.5", "200", "-0.5", "1700"]},
             {"label": "Leases", "members": [], "values": ["30", None, "0", "30"]},
             {"label": "Total", "members": [], "values": ["1530.5", "200", "-0.5", "1730"]}],
}


@pytest.mark.parametrize("style", ["filing", "rpage"])
def test_render_invented_table_both_styles(style):
    page = render_html(INVENTED, style=style)
    if style == "filing":
        assert "(0.5" in page and "<td>)</td>" in page and "<td>$</td>" in page and "—" in page
    (t,) = parse_html(page)
    assert [r.values for r in t.rows] == [D("1500.5", 200, "-0.5", 1700), [D(30)[0], None, D(0)[0], D(30)[0]],
                                          D("1530.5", 200, "-0.5", 1730)]
    assert [c.period.key for c in t.columns] == [c["period"] for c in INVENTED["columns"]]
    assert [c.currency for c in t.columns] == ["USD"] * 4 and t.scale == 1000


def test_text_renderers():
    pipes = render_pipes(INVENTED)
    assert "\n" not in pipes and "| Loans | | 1,500.5 | | 200 | | (0.5) | | 1,700 |" in pipes
    assert "| Leases | | 30 | | | | — |" in pipes  # empty cells kept
    lines = render_cell_lines(INVENTED).split("\n")
    assert lines[lines.index("Leases") + 1: lines.index("Leases") + 4] == ["30", "—", "30"]  # empty dropped
    rows = render_row_lines(INVENTED).split("\n")
    assert rows[-1] == "Total  1,530.5  200  (0.5)  1,730"
    assert render_rpage(INVENTED).startswith('<table class="report"')
