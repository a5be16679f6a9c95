"""UI helpers without a browser: number formatting, uploads kept under $TICKMARK_HOME, the
source table with its cited cell highlighted."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import ui
from conftest import SEEDS
from extractor.extract import extract_path


@pytest.mark.parametrize("v,text", [(Decimal("-421568"), "(421,568)"), (Decimal("1234567"), "1,234,567"),
                                    (Decimal("36.00"), "36.00"), (None, "")])
def test_analyst_number_format(v, text):
    assert ui.fmt_num(v) == text


def test_uploads_are_stored_under_home_with_safe_names(tmp_path, monkeypatch):
    src = tmp_path / "../x" / "my filing (2025).txt"
    src.parent.mkdir(parents=True, exist_ok=True)
    src.write_text("Total 1,234\n")
    saved = ui.store_uploads([str(src)])
    home = Path(__import__("os").environ["TICKMARK_HOME"]).resolve()
    assert saved and home in saved[0].parents and saved[0].name == "my_filing_2025_.txt"


def test_uploads_refuse_other_types_and_large_files(tmp_path, monkeypatch):
    exe = tmp_path / "tool.exe"
    exe.write_bytes(b"MZ")
    with pytest.raises(ui.gr.Error, match="only"):
        ui.store_uploads([str(exe)])
    monkeypatch.setattr(ui, "MAX_UPLOAD_MB", 0)
    txt = tmp_path / "a.txt"
    txt.write_text("x" * 10)
    with pytest.raises(ui.gr.Error, match="larger than"):
        ui.store_uploads([str(txt)])


def test_source_table_highlights_the_cited_cell():
    t = extract_path(next(SEEDS.glob("000_*.txt"))).tables[6]
    html = ui.render_table(t, {(3, 3)})
    assert html.count("cited") == 1
    cited = html[html.index("cited"):]
    assert "(421,568)" in cited[: cited.index("</td>")]
    assert "scale and currency not stated" in html


def test_tick_lines_show_the_check_of_the_headline_figure():
    ans = {"figures": [{"doc": "d", "table_id": "t7", "value": "-421568"}],
           "checks": [{"doc": "d", "table_id": "t7", "kind": "foot", "passed": True, "expression": "1 = 1 ✓"},
                      {"doc": "d", "table_id": "t7", "kind": "rollforward", "passed": True,
                       "expression": "272,036 + 474 + 337,090 − 421,568 = 188,032 ✓"}]}
    assert ui.tick_lines(ans) == "✓ rollforward: 272,036 + 474 + 337,090 − 421,568 = 188,032 (t7)"


def test_an_upload_of_the_same_name_with_other_content_keeps_both(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "notes.txt").write_text("Revenue 100\n")
    (b / "notes.txt").write_text("Revenue 200\n")
    first = ui.store_uploads([str(a / "notes.txt")])[0]
    second = ui.store_uploads([str(b / "notes.txt")])[0]
    again = ui.store_uploads([str(a / "notes.txt")])[0]
    assert (first.name, second.name, again.name) == ("notes.txt", "notes_2.txt", "notes.txt")
    assert first.read_text() == "Revenue 100\n" and second.read_text() == "Revenue 200\n"
