"""Verification: ticks recomputed from cells; a flagged table or a wrong figure is never silent."""

from decimal import Decimal

from qa.answer import ask
from qa.memory import MemoryIndex
from qa.verify import column_foot, row_crossfoot, row_rollforward, table_ticks

from qa_tables import broken_doc, loans_doc


def test_row_rollforward_foot_and_crossfoot_recomputed():
    d = loans_doc()
    rf = row_rollforward(d.tables[1], 2)
    assert rf.passed and rf.expression == "800 + 350 − 300 + 30 = 880 ✓"
    foot = column_foot(d.tables[1], 2)
    assert foot.passed and foot.expression.endswith("= −300 ✓")
    cf = row_crossfoot(d.tables[2], 2)
    assert cf.passed and cf.expression == "29,000 − 880 = 28,120 ✓"


def test_failed_identity_is_shown_with_residual():
    t = broken_doc().tables[0]
    ticks = table_ticks(t, {0}, {2})
    rf = [c for c in ticks if c.kind == "rollforward"][0]
    assert not rf.passed and rf.residual == Decimal("-50") and "✗" in rf.expression


def test_flagged_table_gives_caveat_not_silence():
    idx = MemoryIndex.from_documents([broken_doc()])
    ans = ask("What were write-offs of trade receivables in 2024?", index=idx)
    assert not ans.refused and ans.answer_value == Decimal("200")
    joined = " ".join(ans.caveats)
    assert "does not hold" in joined and "flagged" in joined


def test_figure_that_disagrees_with_its_cell_refuses():
    from qa.engine import Engine
    from qa.verify import verify_answer

    idx = MemoryIndex.from_documents([loans_doc()])
    ans = Engine(idx).ask("What were charge-offs in 2024?")
    ans.figures[0].value = Decimal("999")  # tamper: the figure no longer matches its cell
    ans.checks, ans.caveats = [], []
    verify_answer(ans, idx.table)
    assert ans.refused and any("holds" in c for c in ans.caveats)
