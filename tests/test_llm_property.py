"""Property: the LLM path never accepts a table with an ungrounded number or a failing check.

An in-process backend (the same ``ChatBackend`` seam the HTTP backend fills) plays
hypothesis-generated answers: the right table with cells replaced by numbers that are in
the block (possibly in the wrong place), not in the block, sign-flipped, or not numbers.
"""

from __future__ import annotations

import itertools
import json
import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.fallback import resolve
from extractor.llm import CallStore, Usage
from extractor.models import CellKind, Status
from extractor.numbers import parse_cell

from test_llm_fallback import BLOCK, ROWS, answer, mini_checker

# every number printed in BLOCK, written out by hand (signed as printed)
IN_BLOCK = {Decimal(v) for v in (7, 1, 2024, 31, 2025, 4210, 1005, 5215, 880, -45, 835,
                                 -610, -20, -630, 4480, 940, 5420)}
POOL = ["4,210", "4210", "1,005", "(45)", "-45", "45", "880", "835", "(610)", "610", "5,420",
        "4,211", "999", "1,000,000", "5421", "(630)", "—", "", None, "n/a", "2024"]


class ScriptedBackend:
    model = "scripted"

    def __init__(self, answers: list[str]) -> None:
        self.answers = list(answers)
        self.calls = 0

    def complete_structured(self, messages, schema_model):
        self.calls += 1
        text = self.answers.pop(0) if self.answers else "{}"
        return text, Usage(tokens_in=10, tokens_out=10)


mutation = st.tuples(st.integers(0, 3), st.integers(0, 2), st.sampled_from(POOL))
one_answer = st.lists(mutation, max_size=4).map(lambda muts: _mutated(muts))
_doc_ids = itertools.count()
_store = CallStore(Path(tempfile.mkdtemp(prefix="tickmark-prop-")) / "llm.sqlite")


def _mutated(muts: list[tuple[int, int, str | None]]) -> str:
    rows = [(label, list(values)) for label, values in ROWS]
    for i, j, raw in muts:
        rows[i][1][j] = raw
    return json.dumps(answer(rows=rows))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(one_answer, min_size=1, max_size=3))
def test_llm_path_never_accepts_ungrounded_or_failing_tables(answers):
    backend = ScriptedBackend(answers)
    doc = f"prop{next(_doc_ids)}.txt"
    t = resolve(BLOCK, doc, "t1", reason="property", backend=backend, max_tries=len(answers),
                checker=mini_checker, store=_store)
    assert backend.calls <= len(answers)
    if t.status != Status.ok:
        assert t.status == Status.quarantined and t.quarantine_reason and not t.rows
        return
    for row in t.rows:
        for cell in row.cells:
            if cell.kind == CellKind.missing:
                continue
            assert cell.value in IN_BLOCK or (cell.value == 0 and cell.kind == CellKind.dash)
            assert parse_cell(cell.raw).value == cell.value
    proven = mini_checker(t)
    assert all(c.passed for c in proven.checks)
    assert t.checks and all(c.passed for c in t.checks)
