"""apply_fallback: the pipeline hook for flagged/ambiguous tables and blocks no parser read."""

from __future__ import annotations

import json

from extractor.fallback import NO_LLM, apply_fallback, fallback_summary, unread_blocks
from extractor.models import Column, Document, Layout, Method, Row, SourceSpan, Status, Table
from extractor.numbers import parse_cell
from extractor.read import read_text

from test_llm_fallback import BLOCK, answer, mini_checker
from test_llm_property import ScriptedBackend

PROSE = ("Revenue grew by 12% in 2024, to 3,100 thousand from 2,768 thousand in 2023, as the Group "
         "added 45 new customers; see Note 4 for the 17 segments and 2 regions it reports on.")
TEXT = "Acme Holdings Ltd.\n" + PROSE + "\n\n" + BLOCK + "\n\nPage 12\n"


def test_unread_block_is_found_and_prose_is_not():
    src = read_text(TEXT, "acme.txt")
    assert unread_blocks(src, []) == [(4, 10)]  # the note heading through the closing balance


def test_unread_block_without_llm_is_quarantined_and_kept():
    src = read_text(TEXT, "acme.txt")
    doc = Document(doc="acme.txt")
    apply_fallback(doc, src)
    [t] = doc.tables
    assert (t.table_id, t.status, t.quarantine_reason, t.method) == ("t1", Status.quarantined, NO_LLM, Method.llm)
    assert (t.source.line_start, t.source.line_end) == (4, 10)
    assert fallback_summary(doc) == {"llm_tables": 1, "accepted": 0, "quarantined": 1, "no_llm": 1}


def test_unread_block_read_by_the_llm_is_accepted():
    src = read_text(TEXT, "acme.txt")
    doc = Document(doc="acme.txt")
    apply_fallback(doc, src, ScriptedBackend([json.dumps(answer())]), checker=mini_checker)
    [t] = doc.tables
    assert (t.status, t.method) == (Status.ok, Method.llm)
    assert t.rows[0].source.line_start == 7  # "Balance at April 1, 2024" in the whole document


def _flagged_table() -> Table:
    """A deterministic read that put the provision row's values in the wrong columns."""
    raws = [["4,210", "1,005", "5,215"], ["835", "(45)", "880"], ["(610)", "(20)", "(630)"],
            ["4,480", "940", "5,420"]]
    rows = [Row(index=i, label=f"r{i}", cells=[parse_cell(r) for r in vals], source=SourceSpan(
        line_start=7 + i, line_end=7 + i)) for i, vals in enumerate(raws)]
    t = Table(doc="acme.txt", table_id="t1", layout=Layout.row_lines, rows=rows,
              columns=[Column(index=j, header=h) for j, h in enumerate(["a", "b", "Total"])],
              source=SourceSpan(line_start=6, line_end=10))
    return mini_checker(t)


def test_flagged_table_without_llm_stays_flagged_with_a_warning():
    src = read_text(TEXT, "acme.txt")
    doc = Document(doc="acme.txt", tables=[_flagged_table()])
    apply_fallback(doc, src)
    [t] = doc.tables
    assert t.status == Status.flagged and t.method == Method.deterministic
    assert any(NO_LLM in w for w in t.warnings)


def test_flagged_table_replaced_by_a_proven_llm_table():
    src = read_text(TEXT, "acme.txt")
    doc = Document(doc="acme.txt", tables=[_flagged_table()])
    backend = ScriptedBackend([json.dumps(answer())])
    apply_fallback(doc, src, backend, checker=mini_checker)
    [t] = doc.tables
    assert (t.table_id, t.method, t.status, t.layout) == ("t1", Method.llm, Status.ok, Layout.row_lines)
    assert t.rows[1].values[2] == 835


def test_flagged_table_kept_when_the_llm_cannot_prove_it():
    src = read_text(TEXT, "acme.txt")
    doc = Document(doc="acme.txt", tables=[_flagged_table()])
    apply_fallback(doc, src, ScriptedBackend(["nope"] * 3), checker=mini_checker)
    [t] = doc.tables
    assert t.status == Status.flagged and t.method == Method.deterministic
    assert any("LLM fallback did not resolve it" in w and "invalid_json" in w for w in t.warnings)


def test_llm_cells_cite_their_own_lines_in_a_cell_per_line_block():
    from extractor.fallback import to_table
    from extractor.llm import LLMTable

    block = "\n".join(["Inventories (in thousands)", "Raw", "materials", "Finished goods", "As of", "May 31, 2033",
                       "Raw materials held at", "third-party warehouses", "1,204", "(88)",
                       "Total", "1,204", "(88)"])
    answer = LLMTable.model_validate({
        "title": "", "caption": "", "scale": 1000, "currency": None,
        "columns": [{"header": "Raw materials", "period": "2033-05-31", "currency": None},
                    {"header": "Finished goods", "period": "2033-05-31", "currency": None}],
        "rows": [{"label": "Raw materials held at third-party warehouses", "section": None, "values": ["1,204", "(88)"]},
                 {"label": "Total", "section": None, "values": ["1,204", "(88)"]}]})
    t = to_table(answer, block, "inv.txt", "t1", line_start=40)
    assert (t.rows[0].source.line_start, t.rows[0].source.line_end) == (46, 49)  # wrapped label + values
    assert [c.source.line_start for c in t.rows[0].cells] == [48, 49]
    assert (t.rows[1].source.line_start, t.rows[1].source.line_end) == (50, 52)
    assert [c.source.line_start for c in t.rows[1].cells] == [51, 52]
