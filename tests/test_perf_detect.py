"""The fast paths of detection, the pipes grid search and the shared parsers give exactly
what the plain versions give: pruning, caches and per-source memos change speed, not answers."""

from __future__ import annotations

import random
from decimal import Decimal

from extractor.layouts import detect, pipes
from extractor.layouts.textutil import EMPTY, MARK, NUMBER, TEXT, YEAR, token_class
from extractor.numbers import parse_cell, parse_scale, split_label_notes
from extractor.periods import find_dates
from extractor.read import read_text


def _naive_grid(cls: str, closed: str) -> tuple[float, int, int, int | None] | None:
    """Every width and offset scored, no pruning: (score, width, offset, rival)."""
    labels = [i for i, k in enumerate(cls) if k in (TEXT, YEAR)
              and next((c for c in cls[i + 1:] if c not in (EMPTY, MARK)), "") == NUMBER]
    if not labels:
        return None
    widths = range(2, min(len(cls), pipes.MAX_WIDTH) + 1)
    gaps = [b - a for a, b in zip(labels, labels[1:])]
    if len(gaps) >= 3:
        widths = [w for w in widths if 2 * sum(1 for g in gaps if g % w == 0) >= len(gaps)]
    grids = [(pipes._score(cls, closed, w, o, labels), w, o)
             for w in widths for o in sorted({p % w for p in labels[:3]})]
    grids.sort(key=lambda g: (-g[0], g[1]))
    if not grids or grids[0][0] <= 0:
        return None
    best = grids[0]
    rival = next((g for g in grids[1:] if g[1] != best[1]), None)
    return best[0], best[1], best[2], rival[1] if rival and best[0] - rival[0] < pipes.TIE else None


def _random_line(rng: random.Random) -> str:
    """A header run of any length, then rows of an invented width, then some noise."""
    width = rng.randint(2, 12)
    out = [rng.choice("TTEEEYNM") for _ in range(rng.randint(0, 60))]
    for _ in range(rng.randint(1, 6)):
        out += [rng.choice("TTYE")] + [rng.choice("NNNEEEM") for _ in range(width - 1)]
    noise = rng.choice([0.0, 0.05, 0.15])
    return "".join(c if rng.random() >= noise else rng.choice("TNEMY") for c in out)


def test_pruned_grid_search_matches_exhaustive_search() -> None:
    rng = random.Random(20261123)
    checked = 0
    for _ in range(3000):
        cls = _random_line(rng)
        if len(cls) < pipes.MIN_CELLS:
            continue
        cells = [pipes.PCell("x", i, i + 1, k) for i, k in enumerate(cls)]
        if rng.random() < 0.3:
            cells[-1].open = True
        closed = "".join(EMPTY if c.open else c.cls for c in cells)
        grid = pipes.infer_grid(cells)
        got = None if grid is None else (grid.score, grid.width, grid.offset, grid.rival)
        assert got == _naive_grid(cls, closed), cls
        checked += 1
    assert checked > 2500


def test_score_then_parse_equals_parse_alone() -> None:
    text = ("Note 4. Deposits (in thousands of dollars) | | Region | | 2022 | | 2021 | "
            "North | | 1,200 | | 980 | South | | (35) | | — | Total | | 1,165 | | 980 |\n"
            "Other prose 12 without a table.\n")
    fresh = pipes.parse(read_text(text))
    src = read_text(text)
    assert detect(src).value == "pipes"
    after = pipes.parse(src)
    assert [t.model_dump() for t in after] == [t.model_dump() for t in fresh]
    (t,) = after
    assert [c.value for c in t.rows[1].cells] == [Decimal(-35), Decimal(0)]


def test_cached_parsers_hand_out_fresh_objects() -> None:
    a, b = parse_cell("(4,210) [2]"), parse_cell("(4,210) [2]")
    assert a is not b and a.value == Decimal(-4210) and a.notes == ["2"]
    a.notes.append("9")
    a.value = Decimal(1)
    assert parse_cell("(4,210) [2]").notes == ["2"] and b.value == Decimal(-4210)
    label, notes = split_label_notes("Write-downs (3)")
    notes.append("x")
    assert split_label_notes("Write-downs (3)") == ("Write-downs", ["3"])
    d = find_dates("Balance at March 31, 2021 and June 30, 2020")
    d.clear()
    assert len(find_dates("Balance at March 31, 2021 and June 30, 2020")) == 2


def test_fast_prechecks_keep_answers() -> None:
    assert parse_scale("Amounts (In Millions of euros)") == (10**6, "in millions")
    assert parse_scale("Amounts in euros, 2023") == (1, "")
    assert token_class("l,2O4") == "T" and token_class("1,204") == NUMBER and token_class("2019") == YEAR
    long_cell = "9" * 300
    assert parse_cell(long_cell).value == Decimal(long_cell)
