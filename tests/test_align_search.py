"""extractor.align._apply prunes its search; it must keep exactly what the full enumeration of
every combination of assignments keeps. Random invented rows, values and identities."""

from __future__ import annotations

import itertools
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.align import MIN_DISCOVERY_TOTAL, _apply, _Identity, _RowState, _sum_sets, assignments
from extractor.models import Cell, CellKind, Row


def _reference(ident: _Identity, states: dict[int, _RowState]) -> dict[int, list[tuple[int, ...]]]:
    """Brute force: the options of each open row that take part in a combination that holds."""
    rows = list(dict.fromkeys(i for i, _, _ in ident.terms if i in states))
    open_rows = [i for i in rows if states[i].open]
    if not open_rows or not all(states[i].complete for i in rows):
        return {}
    anchors = ident.anchors if ident.anchors is not None else [t[0] for t in ident.terms]
    fixed = {i: states[i].mapping(states[i].options[0]) for i in rows if not states[i].open}
    keep: dict[int, set] = {i: set() for i in open_rows}
    for combo in itertools.product(*(states[i].options for i in open_rows)):
        maps = dict(fixed)
        maps.update({i: states[i].mapping(o) for i, o in zip(open_rows, combo)})
        cols = set().union(*(maps.get(i, {}).keys() for i in anchors))
        if all(sum((c * (abs(maps[i][j]) if a else maps[i][j]) for i, c, a in ident.terms
                    if j in maps.get(i, {})), Decimal(0)) == 0 for j in cols):
            for i, o in zip(open_rows, combo):
                keep[i].add(o)
    if not any(keep.values()):
        return {}
    return {i: [o for o in states[i].options if o in keep[i]] for i in open_rows}


def _state(index: int, values: list[int], n_cols: int, placed: bool) -> _RowState:
    cells = [Cell(raw=str(v), value=Decimal(v), kind=CellKind.number) for v in values]
    row = Row(index=index, label=f"line {index}", cells=[Cell() for _ in range(n_cols)])
    opts = [tuple(range(len(values)))] if placed else assignments([list(range(n_cols))] * len(values), n_cols)
    return _RowState(row, cells, opts)


_row_spec = st.tuples(st.lists(st.integers(-6, 6), min_size=1, max_size=3), st.booleans())


@settings(max_examples=300, deadline=None)
@given(n_cols=st.integers(3, 5), specs=st.lists(_row_spec, min_size=2, max_size=4),
       coefs=st.lists(st.sampled_from([(1, False), (-1, False), (-1, True), (1, True)]), min_size=4, max_size=4),
       anchored=st.booleans())
def test_pruned_search_keeps_what_full_enumeration_keeps(n_cols, specs, coefs, anchored):
    states = {i: _state(i, vals, n_cols, placed) for i, (vals, placed) in enumerate(specs)}
    terms = [(i, c, a) for i, (c, a) in zip(states, coefs)]
    ident = _Identity("member_foot", "invented", terms, anchors=[0, len(specs) - 1] if anchored else None)
    expected = _reference(ident, states)
    before = {i: list(s.options) for i, s in states.items()}
    changed = _apply(ident, states)
    after = {i: s.options for i, s in states.items()}
    narrowed = {i: o for i, o in expected.items() if len(o) < len(before[i])}
    assert changed == bool(narrowed)
    assert after == {i: narrowed.get(i, before[i]) for i in states}
    assert all(states[i].reasons == ["invented"] for i in narrowed)


def _assignments_reference(allowed: list[list[int]], n_cols: int) -> list[tuple[int, ...]]:
    out = []
    for combo in itertools.combinations(range(n_cols), len(allowed)):
        if all(j in a for j, a in zip(combo, allowed)):
            out.append(combo)
    return out


@settings(max_examples=300, deadline=None)
@given(n_cols=st.integers(0, 8), allowed=st.lists(st.lists(st.integers(-1, 9), max_size=6), max_size=6))
def test_assignments_are_the_order_preserving_placements_in_order(n_cols, allowed):
    assert assignments(allowed, n_cols) == _assignments_reference(allowed, n_cols)


def _sum_sets_reference(parent: Row, after: list[Row], placed: dict) -> list[list[Row]]:
    found = []
    pv = placed[parent.index]
    for n in range(2, min(len(after), 6) + 1):
        for kids in itertools.combinations(after, n):
            kv = [placed[c.index] for c in kids]
            cols = [j for j in pv if all(j in v for v in kv)]
            if cols and all(pv[j] and all(v[j] for v in kv) for j in cols) and \
                    max(abs(pv[j]) for j in cols) >= MIN_DISCOVERY_TOTAL and \
                    all(pv[j] == sum(v[j] for v in kv) for j in cols):
                found.append(list(kids))
    return found


_placed_row = st.dictionaries(st.integers(0, 3), st.sampled_from([0, 40, 60, 100, -40, 140, 200]), max_size=4)


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(_placed_row, min_size=1, max_size=8))
def test_discovered_sum_sets_match_full_enumeration(rows):
    rs = [Row(index=i, label="invented", members=[f"M{i} [Member]"]) for i in range(len(rows))]
    placed = {i: {j: Decimal(v) for j, v in d.items()} for i, d in enumerate(rows)}
    got = _sum_sets(rs[0], rs[1:], placed)
    assert [[r.index for r in s] for s in got] == [[r.index for r in s] for s in _sum_sets_reference(rs[0], rs[1:], placed)]
