"""The garbled corpus (evals.garbled): every degraded table is read exactly by the
deterministic parsers, or it goes to the LLM path (flagged / ambiguous / an unread block) —
never accepted with wrong figures. And the exact-recovery rate stays above its floor.

One pass over the corpus (~140 one-table documents) is shared by every test here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from evals import garbled
from extractor.fallback import unread_blocks
from extractor.models import Status

# Measured 2026-11-23 (python -m evals.garbled): row_lines 60/60, all 140 docs 0.636, with
# cell_lines at 0.36 until it adopts textutil.noise_lines / value_pieces / ocr_number (with
# them the corpus measures 0.914 and no silently wrong document — raise ALL_FLOOR to 0.88).
ROW_LINES_FLOOR = 0.95
ALL_FLOOR = 0.88


@dataclass
class Outcome:
    doc: garbled.Garbled
    exact: bool
    figures_exact: bool
    sent: bool  # flagged/ambiguous table, or number-dense text no table covers
    seen: str


def _outcome(g: garbled.Garbled) -> Outcome:
    doc, source = garbled.extract_deterministic(g)  # proved by the pipeline (extractor.checks)
    sent = any(t.status != Status.ok for t in doc.tables) or bool(unread_blocks(source, doc.tables))
    return Outcome(g, garbled.exact_document(doc.tables, g.gold),
                   garbled.exact_document(doc.tables, g.gold, periods=False), sent,
                   ", ".join(f"{t.table_id} {t.status.value}" for t in doc.tables) or "no table")


@pytest.fixture(scope="module")
def outcomes() -> list[Outcome]:
    return [_outcome(g) for g in garbled.corpus()]


def _silently_wrong(outs: list[Outcome]) -> list[str]:
    return [f"{o.doc.doc}: {o.seen}" for o in outs if not o.sent and not o.figures_exact]


def test_corpus_covers_every_degradation_and_layout(outcomes):
    assert {o.doc.degradation for o in outcomes} == set(garbled.DEGRADATIONS)
    assert {o.doc.layout for o in outcomes} == set(garbled.LAYOUTS)
    assert len(outcomes) == 140


def test_row_lines_never_silently_wrong(outcomes):
    """Row-per-line documents: exact, or sent — not even a wrong period goes through."""
    rows = [o for o in outcomes if o.doc.layout == "row_lines"]
    wrong = [f"{o.doc.doc}: {o.seen}" for o in rows if not o.sent and not o.exact]
    assert not wrong, "\n".join(wrong)


def test_row_lines_exact_rate(outcomes):
    rows = [o for o in outcomes if o.doc.layout == "row_lines"]
    rate = sum(o.exact for o in rows) / len(rows)
    by = {d: sum(o.exact for o in rows if o.doc.degradation == d) for d in garbled.DEGRADATIONS}
    assert rate >= ROW_LINES_FLOOR, by


def test_whole_corpus_exact_rate(outcomes):
    rate = sum(o.exact for o in outcomes) / len(outcomes)
    assert rate >= ALL_FLOOR, rate


def test_whole_corpus_never_silently_wrong(outcomes):
    wrong = _silently_wrong(outcomes)
    assert not wrong, "\n".join(wrong)


def test_shuffle_headers_changes_every_document():
    """The generator's shuffle is never a no-op: a one-line header is first broken in two."""
    for g in garbled.corpus():
        if g.degradation != "shuffle_headers":
            continue
        clean = garbled.plain_lines(g.gold["tables"][0], g.layout) if g.style == "plain" else None
        if clean is None:
            render = garbled.render_row_lines if g.layout == "row_lines" else garbled.render_cell_lines
            clean = render(g.gold["tables"][0])
        assert g.text != "\n".join(ln.text for ln in clean) + "\n", g.doc


def test_split_header_line_keeps_column_starts():
    top, bottom = garbled._split_header_line("Opening balance as of May 1, 2030  Net charge  Total")
    assert bottom.index("of May 1, 2030") == 0 and top.startswith("Opening balance")
    assert top.index("Net") == bottom.index("charge") and "Total" not in top and bottom.endswith("Total")


# ----------------------------------------------------------------------------- textutil helpers


def test_ocr_number_reads_letters_inside_numbers_only():
    from extractor.layouts.textutil import ocr_number

    assert ocr_number("2O,945") == "20,945" and ocr_number("l,234") == "1,234" and ocr_number("(5S8)") == "(558)"
    assert ocr_number("$1,2O4.5") == "$1,204.5"
    for word in ("S", "SOS", "Level", "lOl", "20,945", "2O,9451", "O5"):  # no digit, already fine, or malformed
        assert ocr_number(word) is None, word


def test_noise_lines_are_page_marks_and_a_running_name():
    from extractor.layouts.textutil import noise_lines

    lines = ["Acme Widgets Corp.", "", "Note 5", "Cash 1,204", "Page 3", "Acme Widgets Corp.", "Debt 300",
             "—", "Page 4 of 9", "Acme Widgets Corp.", "Total 1,504", "—", "- 5 -"]
    assert noise_lines(lines) == {1, 5, 6, 9, 10, 13}  # the dash cells before page marks stay


def test_value_pieces_split_a_line_of_merged_values():
    from extractor.layouts.textutil import value_pieces

    assert [p for *_, p in value_pieces("1,225,550 (208,720) 1,016,830")] == ["1,225,550", "(208,720)", "1,016,830"]
    assert [p for *_, p in value_pieces("$ 12 — 4O")] == ["$12", "—", "40"]
    for line in ("2024 2023", "Total 12 13", "12", "December 31, 2024"):
        assert value_pieces(line) is None, line


def test_continues_label():
    from extractor.layouts.textutil import continues_label

    assert continues_label("Contract assets from", "Loan services") and continues_label("Accounts", "receivable")
    assert continues_label("Notes receivable", "— Americas")
    assert not continues_label("Current:", "trade") and not continues_label("Retail", "Wholesale")


def test_partially_dated_cell_lines_header_is_ambiguous_not_ok():
    """Regression (garbled corpus, shuffle_headers in cell_lines): a rebuilt header that dated
    one column and left the others undated came out `ok` with wrong periods."""
    from evals.garbled import extract_deterministic
    from extractor.models import Status

    seen = 0
    for x in garbled.corpus():
        doc, _ = extract_deterministic(x)
        for t in doc.tables:
            if t.layout.value == "cell_lines" and any(c.period for c in t.columns) \
                    and not all(c.period for c in t.columns):
                seen += 1
                assert t.status != Status.ok, (x.doc, t.table_id)
    assert seen >= 3
