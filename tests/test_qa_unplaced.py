"""Unplaced values (Row.extra / ambiguous cells): answered only when every placement agrees."""

from decimal import Decimal

from extractor.models import Cell, CellKind, Status
from extractor.numbers import parse_cell
from qa.engine import Engine
from qa.memory import MemoryIndex
from qa.unplaced import determined_values, placements
from qa.verify import refigure

from qa_tables import table

DOC = "holdco_20f.htm"


def _extra(raw: str, cands: list[int]) -> Cell:
    c = parse_cell(raw)
    return c.model_copy(update={"candidates": cands})


def _with_currency(t, currencies):
    t.columns = [c.model_copy(update={"currency": cur}) for c, cur in zip(t.columns, currencies)]
    return t


def two_currency_table():
    """Revenue by service line for two fiscal years, each in EUR and a GBP convenience translation."""
    t = table(DOC, "t1", "Revenue by service line (in thousands)",
              [("Year ended Mar. 31, 2024", None), ("Year ended Mar. 31, 2024", None),
               ("Year ended Mar. 31, 2023", None), ("Year ended Mar. 31, 2023", None)],
              [("Hosting revenue", [7300, None, 6100, None]), ("Consulting revenue", [None, None, None, None]),
               ("Licence revenue", [None, None, None, None])], scale=1000, status=Status.ambiguous)
    t = _with_currency(t, ["EUR", "GBP", "EUR", "GBP"])
    t.rows[1].extra = [_extra("5,100", [0, 1, 2]), _extra("4,800", [1, 2, 3])]
    t.rows[2].extra = [_extra("900", [0, 1, 2, 3])]  # one value, four columns: undecidable
    return t


def balance_table():
    """Flows for two years and balances at two year ends; a deposit row the layout could not place."""
    t = table(DOC, "t2", "Cash and deposits (in thousands)",
              [("Year ended Mar. 31, 2024", None), ("Year ended Mar. 31, 2023", None),
               ("Mar. 31, 2024", None), ("Mar. 31, 2023", None)],
              [("Interest received", [410, 380, None, None]), ("Escrow deposits held for customers", [None] * 4)],
              scale=1000, status=Status.ambiguous)
    t = _with_currency(t, ["CNY"] * 4)
    t.rows[1].extra = [_extra("¥ 900", [0, 1, 2]), _extra("¥ 700", [1, 2, 3])]
    return t


def _engine():
    return Engine(MemoryIndex([two_currency_table(), balance_table()]))


def test_placements_respect_order_currency_and_period_type():
    t = two_currency_table()
    assert placements(t, t.rows[1]) == [(0, 2)]  # unmarked values sit in the EUR columns, in order
    b = balance_table()
    assert (2, 3) in placements(b, b.rows[1]) and (0, 2) not in placements(b, b.rows[1])  # no flow/balance mix


def test_determined_value_answers_with_a_caveat_naming_the_candidates():
    ans = _engine().ask("What was consulting revenue in 2024?", doc=DOC)
    assert not ans.refused
    assert ans.answer_value == Decimal(5100)
    assert any("did not decide its column" in c and "Year ended Mar. 31, 2023" in c for c in ans.caveats)
    ch = _engine().ask("How did consulting revenue change from 2023 to 2024?", doc=DOC)
    assert ch.answer_value == Decimal(300)


def test_undecidable_value_is_refused_never_picked():
    ans = _engine().ask("What was licence revenue in 2024?", doc=DOC)
    assert ans.refused and ans.answer_value is None
    assert "could not be placed" in ans.answer and "disagree" in ans.answer


def test_balance_placements_answer_only_questions_at_a_date():
    e = _engine()
    at = e.ask("What were escrow deposits held for customers as of March 31, 2024?", doc=DOC)
    assert not at.refused and at.answer_value == Decimal(900)
    assert any("as balances" in c for c in at.caveats)
    flow = e.ask("What were escrow deposits held for customers in 2023?", doc=DOC)
    assert flow.refused  # as a flow the values could sit in either year: not determined


def test_refigure_accepts_an_unplaced_value_at_a_candidate_column():
    t = two_currency_table()
    placed = {(p.row, p.col): p for p in determined_values(t)}
    assert (1, 0) in placed and placed[(1, 0)].cell.value == Decimal(5100)
    ans = _engine().ask("What was consulting revenue in 2024?", doc=DOC)
    assert refigure(ans.figures[0], t) is None
    wrong = ans.figures[0].model_copy(update={"value": Decimal(4800)})
    assert refigure(wrong, t) is not None  # 4,800 may not sit in the 2024 column
    assert t.rows[1].cells[0].kind == CellKind.missing  # the table itself is left as extracted


def test_many_values_over_many_columns_stay_fast_and_undecided():
    heads = [(f"Year ended Dec. 31, {y}", None) for y in range(2013, 2025)]
    t = table(DOC, "t3", "Ten-year summary", heads, [("Backlog", [None] * 12)], status=Status.ambiguous)
    t.rows[0].extra = [_extra(str(100 + k), list(range(12))) for k in range(8)]
    assert len(placements(t, t.rows[0])) == 495  # C(12, 8), enumerated in order, no blow-up
    assert determined_values(t) == []  # no slot holds the same value in every placement


def test_placed_cells_fix_the_rows_period_type():
    b = balance_table()
    b.rows[1].cells[3] = parse_cell("¥ 650")  # a balance already placed at March 31, 2023
    b.rows[1].extra = [_extra("¥ 900", [0, 1, 2])]
    assert placements(b, b.rows[1]) == [(2,)]
    assert [(p.col, p.mode) for p in determined_values(b)] == [(2, "any")]
