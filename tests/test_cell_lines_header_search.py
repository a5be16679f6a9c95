"""The pruned header search of the cell_lines layout finds exactly what a full scan finds.

``cell_headers._solve_header_uncached`` bounds every header reading by its cheap terms and
scores in full only the readings that can still tie for the best (and stops scoring a reading
once its columns fall below the best score found). These tests compare it
with the plain scan (every reading of ``_candidates`` scored by ``_score_header``) on
invented header fragments: same chosen reading, same score, same ambiguity warning.
"""

from __future__ import annotations

import random

import pytest

from extractor.layouts import cell_headers as cl

WORDS = ["Opening", "balance", "as of", "January 1,", "2023", "2024", "Charged to", "expense",
         "Write-offs", "net of", "recoveries", "Ending balance", "December 31,", "Allowance for",
         "credit losses", "Gross", "carrying amount", "Net", "Total", "(unaudited)", "As of June 30, 2024",
         "Less than", "90 days", "past due", "Segment", "Europe", "Asia-Pacific", "of", "Balance at",
         "March 31, 2022", "Impairment", "Cost", "accumulated", "amortization", "Fiscal", "Level 3:"]


def _full_scan(frags: list[str], n: int, ar: cl._Arith) -> tuple[list[list[str]], str | None, str | None, bool, float, set]:
    memo: dict = {}
    best: list[cl._Header] = []
    for h in cl._candidates(frags, n):
        h.score = cl._score_header(h, ar, memo)
        if not best or h.score > best[0].score + 1e-9:
            best = [h]
        elif abs(h.score - best[0].score) <= 1e-9:
            best.append(h)
    c = best[0]
    return c.columns, c.label, c.section, c.span, c.score, {tuple(h.texts) for h in best}


def _pruned(frags: list[str], n: int, ar: cl._Arith):
    h, warnings = cl._solve_header_uncached(frags, n, ar)
    return h, warnings


ARITHS = [
    lambda n: cl._Arith(None, set(), set(range(n))),
    lambda n: cl._Arith(n - 1, {1} if n > 2 else set(), {j for j in range(n) if j != 1}),
    lambda n: cl._Arith(n - 1, set(), set(range(n))),
    lambda n: cl._Arith(n - 1, {n - 2}, {0, n - 1}),
]


@pytest.mark.parametrize("seed", range(200))
def test_pruned_search_matches_full_scan_on_invented_headers(seed):
    rng = random.Random(seed)
    n = rng.choice([2, 3, 4, 5])
    frags = [rng.choice(WORDS) for _ in range(rng.randint(n, min(3 * n + 2, 13)))]
    ar = ARITHS[seed % len(ARITHS)](n)
    cols, label, section, span, score, tied = _full_scan(frags, n, ar)
    h, warnings = _pruned(frags, n, ar)
    assert (h.columns, h.label, h.section, h.span) == (cols, label, section, span)
    assert abs(h.score - score) <= 1e-9
    rivals = sorted(tied - {tuple(h.texts)})
    assert bool(warnings) == bool(rivals)
    if rivals:
        alt = " / ".join(" | ".join(r) for r in rivals[:2])
        assert warnings == [f"column headers are ambiguous: chose {' | '.join(h.texts)!r}; "
                            f"equally consistent: {alt!r}"]


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6])
def test_layouts_are_the_splits_of_candidates(n):
    # the vectorised splits: same heights in the same order, same fragment stacks
    for total in range(1, 3 * n + 6):
        heights = [h for k, h in enumerate(cl._compositions(total, n)) if k <= cl._MAX_SPLITS]
        lay = cl._layouts(total, n)
        assert [tuple(h) for h in lay.heights.tolist()] == heights
        frags = list(range(total))
        assert [[list(c) for c in cl._split_columns(lay, ci)] for ci in range(len(heights))] == \
               [cl._stack(frags, h) for h in heights]


def test_dated_movement_header_is_rebuilt():
    # row-major, bottom-aligned: "Balance at / March 31, / 2022" | Additions | Disposals | "... 2023"
    frags = ["Balance at", "Balance at", "March 31,", "March 31,", "2022", "Additions", "Disposals", "2023"]
    ar = cl._Arith(3, {2}, {0, 1, 3})
    h, warnings = _pruned(frags, 4, ar)
    assert h.texts == ["Balance at March 31, 2022", "Additions", "Disposals", "Balance at March 31, 2023"]
    assert h.columns == _full_scan(frags, 4, ar)[0] and warnings == []


def test_too_many_fragments_for_any_split_falls_back_like_the_scan():
    frags = [f"Part {k}" for k in range(20)]  # more than 8 rows over 2 columns, however read
    h, warnings = _pruned(frags, 2, cl._Arith(None, set(), {0, 1}))
    assert list(cl._candidates(frags, 2)) == []
    assert h.texts == ["Part 18", "Part 19"]
    assert "do not split" in warnings[0]
