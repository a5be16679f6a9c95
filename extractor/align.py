"""Arithmetic-guided column assignment: settle values the layout could not place.

A layout that lost empty cells keeps a row's unplaced values in ``Row.extra`` (status
``ambiguous``, with candidate columns). ``align_table`` enumerates the order-preserving
assignments of each such row and keeps those under which the table's identities hold:

- currency translation: a value in a translated column (USD beside CNY for the same period)
  needs its sibling at the page's ratio, learned from rows where both are already placed;
- rollforward within a block (same members and section): opening + flows = ending, per column;
- cross-foot within a block: gross - allowance = net, in the columns holding gross or net;
- member sums: a parent row equals the sum of its [Member] children, as the paths declare them
  ("A [Member] | B [Member]" rows under "A [Member]" and "B [Member]"); for one-level members of
  an undeclared hierarchy, a parent = children set is taken only once it holds, with every term
  nonzero, in every column where all of them are already placed.

The values of a row keep their source order (``Cell.source.char_start``): an assignment maps
them to strictly increasing columns within each value's candidates. A value is placed only when every surviving assignment puts it in the same column; the
table gets a warning naming the identity that proved it. When no assignment or several
survive, the value stays ambiguous with its (narrowed) candidates. Nothing is guessed.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, lru_cache
from math import comb
from operator import add

from .kinds import not_an_amount, role_of
from .models import Cell, CellKind, Row, Status, Table
from .numbers import last_digit_unit

MAX_COMBOS = 200_000
MAX_ROW_OPTIONS = 50_000
MAX_SUM_SET = 4096  # beyond this many reachable sums per column, the search stops pruning on it
DISCOVER_WINDOW = 8
MIN_DISCOVERY_TOTAL = 100  # small totals add up by coincidence too easily
_FLOW_SIGNS = {"opening": 1, "provision": 1, "reclassification": 1, "other": 1}


@dataclass
class _RowState:
    row: Row
    values: list[Cell]  # the row's values in source order (placed and unplaced)
    options: list[tuple[int, ...]]  # surviving assignments: a column per value
    reasons: list[str] = field(default_factory=list)
    complete: bool = True  # False when the options were capped or none fits: not usable in identities
    _whole: dict[int, list[int | None]] = field(default_factory=dict)  # whole() per shift

    @property
    def open(self) -> bool:
        return len(self.options) > 1

    def mapping(self, option: tuple[int, ...]) -> dict[int, Decimal]:
        return {j: c.value for j, c in zip(option, self.values) if c.value is not None}

    @cached_property
    def places(self) -> int:
        """Decimal places that make every value whole (0 when they already are)."""
        return max([0] + [-c.value.as_tuple().exponent for c in self.values
                          if c.value is not None and c.value != c.value.to_integral_value()])

    def whole(self, shift: int) -> list[int | None]:
        """The values in units of 10**-shift, exact for any shift >= ``places`` (None: no value)."""
        if shift not in self._whole:
            self._whole[shift] = [None if c.value is None else int(c.value.scaleb(shift)) for c in self.values]
        return self._whole[shift]


@dataclass
class _Identity:
    kind: str
    description: str
    terms: list[tuple[int, int, bool]]  # (row index, coefficient, take absolute value)
    anchors: list[int] | None = None  # rows whose columns are checked (None: every term's)


def _values_in_order(row: Row) -> list[Cell]:
    cells = [c for c in row.cells if c.kind != CellKind.missing] + list(row.extra)
    return sorted(cells, key=lambda c: (c.source.char_start or 0) if c.source else 0)


def _allowed(row: Row, values: list[Cell]) -> list[list[int]]:
    where = {id(c): j for j, c in enumerate(row.cells) if c.kind != CellKind.missing}
    return [[where[id(c)]] if id(c) in where else list(c.candidates) for c in values]


def _states(table: Table) -> dict[int, _RowState]:
    n = len(table.columns)
    out = {}
    for r in table.rows:
        values = _values_in_order(r)
        if not values:
            continue
        if r.extra:
            opts = assignments(_allowed(r, values), n)
        else:
            opts = [tuple(j for j, c in enumerate(r.cells) if c.kind != CellKind.missing)]
        out[r.index] = _RowState(r, values, opts, complete=0 < len(opts) < MAX_ROW_OPTIONS)
    return out


def assignments(allowed: list[list[int]], n_cols: int) -> list[tuple[int, ...]]:
    """Order-preserving placements of values, each within its allowed columns (capped). The
    small cases are kept: the rows of a page repeat their allowed columns."""
    if comb(n_cols, len(allowed)) > 1000:  # too many placements to keep
        return _assignments(allowed, n_cols)
    return list(_small_assignments(tuple(map(tuple, allowed)), n_cols))


@lru_cache(maxsize=4096)
def _small_assignments(allowed: tuple[tuple[int, ...], ...], n_cols: int) -> tuple[tuple[int, ...], ...]:
    return tuple(_assignments([list(a) for a in allowed], n_cols))


def _assignments(allowed: list[list[int]], n_cols: int) -> list[tuple[int, ...]]:
    out: list[tuple[int, ...]] = []
    opts = [sorted({j for j in a if 0 <= j < n_cols}) for a in allowed]
    k = len(opts)

    def walk(pos: int, lo: int, prefix: list[int]) -> None:  # lexicographic, as combinations() gives them
        if pos == k:
            out.append(tuple(prefix))
            return
        for j in opts[pos]:
            if j < lo:
                continue
            if n_cols - j < k - pos or len(out) >= MAX_ROW_OPTIONS:
                break  # too few columns left for the values after this one, or capped
            prefix.append(j)
            walk(pos + 1, j + 1, prefix)
            prefix.pop()

    walk(0, 0, [])
    return out


_BLANK = Cell(kind=CellKind.missing)  # what a new empty cell is (compared with, never placed)


def set_placements(row: Row, values: list[Cell], valid: list[tuple[int, ...]], n_cols: int,
                   fallback: list[list[int]] | None = None) -> None:
    """Place each value whose column is the same in every valid assignment; keep the rest ambiguous.
    The value cells are the row's own (or fresh ones for it): their status and candidates are set
    in place. The blank cells the row has already fill its empty columns first (building and
    dropping Cells is costly; a blank one is as good as a new one)."""
    cells: list[Cell | None] = [None] * n_cols
    extra: list[Cell] = []
    per_value = zip(*valid) if valid else fallback or [[]] * len(values)  # each value's columns
    for cell, cols in zip(values, per_value):
        cols = sorted(set(cols))
        if valid and len(cols) == 1:
            cell.status, cell.candidates = Status.ok, []
            cells[cols[0]] = cell
        else:
            cell.status, cell.candidates = Status.ambiguous, cols
            extra.append(cell)
    blank = [c for c in row.cells if c.kind == CellKind.missing and vars(c) == vars(_BLANK)]
    row.cells = [c if c is not None else blank.pop() if blank else Cell(kind=CellKind.missing) for c in cells]
    row.extra = extra


# ---------------------------------------------------------------- currency translation


@dataclass
class _Ratio:
    primary: int
    secondary: int
    ratio: Decimal


def _monetary(row: Row, cell: Cell) -> bool:
    return cell.value is not None and cell.unit is None and not not_an_amount(row.label)


def currency_ratios(table: Table) -> list[_Ratio]:
    """Same-period column pairs in two currencies, with the ratio the placed rows agree on."""
    out = []
    cols = table.columns
    count = {c.currency: sum(1 for x in cols if x.currency == c.currency) for c in cols}
    for a, b in itertools.permutations(range(len(cols)), 2):
        ca, cb = cols[a], cols[b]
        if not (ca.period and cb.period and ca.period.key == cb.period.key and ca.currency and cb.currency
                and ca.currency != cb.currency) or count[ca.currency] < count[cb.currency]:
            continue
        pairs = [(r.cells[a], r.cells[b]) for r in table.rows
                 if r.cells and _monetary(r, r.cells[a]) and _monetary(r, r.cells[b])
                 and r.cells[a].value and r.cells[b].value]
        if not pairs or (count[ca.currency] == count[cb.currency]
                         and not all(abs(p.value) > abs(s.value) for p, s in pairs)):
            continue
        p0, s0 = max(pairs, key=lambda ps: abs(ps[1].value))
        ratio = p0.value / s0.value
        if all(_fits(p, s, ratio) for p, s in pairs):
            out.append(_Ratio(a, b, ratio))
    return out


def _fits(p: Cell, s: Cell, ratio: Decimal) -> bool:
    tol = abs(ratio) * last_digit_unit(s.raw) + last_digit_unit(p.raw)
    return abs(p.value - ratio * s.value) <= tol


def _ratio_ok(st: _RowState, option: tuple[int, ...], ratios: list[_Ratio], fits: dict) -> bool:
    """Whether the option puts every monetary value of a secondary column beside its translation
    (the caller has checked that the row holds amounts). ``fits`` keeps the verdict for each
    (primary value, secondary value, ratio): the options of a row share their pairs."""
    for n, q in enumerate(ratios):
        if q.secondary not in option:
            continue
        ks = option.index(q.secondary)
        if st.values[ks].value is None or st.values[ks].unit is not None:
            continue
        if q.primary not in option:
            return False
        kp = option.index(q.primary)
        if (kp, ks, n) not in fits:
            p = st.values[kp]
            fits[kp, ks, n] = p.value is not None and _fits(p, st.values[ks], q.ratio)
        if not fits[kp, ks, n]:
            return False
    return True


# ---------------------------------------------------------------- identities


def _block(r: Row) -> tuple:
    return tuple(r.members), r.section or ""


def _rollforwards(rows: list[Row]) -> list[_Identity]:
    out = []
    blocks: dict[tuple, list[Row]] = {}
    for r in rows:
        blocks.setdefault(_block(r), []).append(r)
    for key, rs in blocks.items():
        roles = {r.index: role_of(r.label) for r in rs}
        ends = [i for i, x in roles.items() if x == "ending"]
        opens = [i for i, x in roles.items() if x == "opening"]
        flows = [i for i, x in roles.items() if x in ("provision", "writeoff", "recovery", "reclassification")]
        if len(ends) != 1 or len(opens) > 1 or not (opens or flows):
            continue
        terms = [(i, 1, False) for i in opens]
        terms += [(i, -1 if roles[i] == "writeoff" else 1, roles[i] in ("writeoff", "recovery")) for i in flows]
        terms.append((ends[0], -1, False))
        out.append(_Identity("rollforward", f"rollforward (opening + flows = ending) in {_name(key)}", terms))
    return out


def _crossfoots(rows: list[Row]) -> list[_Identity]:
    out = []
    for k, r in enumerate(rows):
        if role_of(r.label) != "allowance" or k == 0:
            continue
        gross = rows[k - 1]
        nets = [x for x in rows[k + 1:k + 2] if _block(x) == _block(r) and role_of(x.label) == "net"]
        if _block(gross) != _block(r) or role_of(gross.label) not in (None, "gross", "total") or not nets:
            continue
        terms = [(gross.index, 1, False), (r.index, -1, True), (nets[0].index, -1, False)]
        out.append(_Identity("crossfoot", f"cross-foot (gross - allowance = net) in {_name(_block(r))}",
                             terms, anchors=[gross.index, nets[0].index]))
    return out


def _member_sums(rows: list[Row]) -> list[_Identity]:
    out = []
    groups: dict[tuple, list[Row]] = {}
    for r in rows:
        groups.setdefault((r.section or "", r.label), []).append(r)
    for (section, label), rs in groups.items():
        by_path = {tuple(r.members): r for r in rs}
        if len(by_path) != len(rs):
            continue
        two = [p for p in by_path if len(p) == 2]
        axes = ({p[0] for p in two}, {p[1] for p in two})
        under: dict[tuple, list[Row]] = {}  # path -> the rows one level below it, in row order
        for p, r in by_path.items():
            if p:
                under.setdefault(p[:-1], []).append(r)
        for path, parent in by_path.items():
            for children in _children(path, by_path, axes, under):
                terms = [(parent.index, 1, False)] + [(c.index, -1, False) for c in children]
                out.append(_Identity("member_foot", f"member sum ({label!r} of {_name((path, section))} "
                                     f"= the sum of its {len(children)} member rows)", terms))
    return out


def _children(path: tuple, by_path: dict[tuple, Row], axes: tuple[set, set],
              under: dict[tuple, list[Row]]) -> list[list[Row]]:
    """Children sets of a member path, as the paths declare them (one set per axis); ``under``
    holds the rows one level below each path."""
    if not path:
        return [[by_path[(m,)] for m in sorted(ax) if (m,) in by_path] for ax in axes if ax]
    if len(path) == 1 and path[0] in axes[1] and path[0] not in axes[0]:
        kids = [r for p, r in by_path.items() if len(p) == 2 and p[1] == path[0]]
    else:
        kids = under.get(path, [])
    return [kids] if kids else []


def _name(key: tuple) -> str:
    members, section = key
    m = " | ".join(members) if members else "the default members"
    return f"{m}{' / ' + section if section else ''}"


def _discovered_sums(rows: list[Row], states: dict[int, "_RowState"], memo: dict | None = None) -> list[_Identity]:
    """Member hierarchies the paths do not declare (one-level members of one axis), found in
    the columns where the parent and the candidate children are all placed already. ``memo``
    keeps each parent's sets across rounds while none of the rows involved has been narrowed."""
    memo = {} if memo is None else memo
    out = []
    groups: dict[tuple, list[Row]] = {}
    for r in rows:
        if len(r.members) <= 1:
            groups.setdefault((r.section or "", r.label), []).append(r)
    two_level = {r.label for r in rows if len(r.members) == 2}  # labels of a declared hierarchy
    placed: dict[int, dict[int, Decimal]] = {}
    for (section, label), rs in groups.items():
        if len(rs) < 3 or label in two_level:
            continue
        for r in rs:
            if r.index not in placed:
                placed[r.index] = _placed_values(r, states)
        for k, parent in enumerate(rs):
            after = [r for r in rs[k + 1:k + 1 + DISCOVER_WINDOW] if r.members]
            key = (parent.index, _versions([parent.index] + [r.index for r in after], states))
            if key not in memo:
                memo[key] = _sum_sets(parent, after, placed)
            for kids in memo[key]:
                terms = [(parent.index, 1, False)] + [(c.index, -1, False) for c in kids]
                names = " + ".join(c.members[0] for c in kids)
                out.append(_Identity("member_foot", f"member sum found in the placed columns ({label!r} of "
                                     f"{_name((tuple(parent.members), section))} = {names})", terms))
    return out


def _sum_sets(parent: Row, after: list[Row], placed: dict[int, dict[int, Decimal]]) -> list[list[Row]]:
    """Sets of 2+ rows whose placed values sum to the parent's in every column where all are placed
    (at least one such column, every term nonzero, a parent of at least MIN_DISCOVERY_TOTAL)."""
    found: list[list[Row]] = []
    pv = placed[parent.index]
    if not pv or max(abs(v) for v in pv.values()) < MIN_DISCOVERY_TOTAL:
        return found  # no column to prove anything in, or too small a total for any subset of them
    cands = [(c, placed[c.index]) for c in after if pv.keys() & placed[c.index].keys()]  # others share no column
    rest = _rest_ranges(pv, [v for _, v in cands])
    hits: list[tuple[int, ...]] = []
    zeros = [frozenset(j for j, x in v.items() if not x) for _, v in cands]  # columns a row reports as 0

    def walk(start: int, chosen: list[int], sums: dict[int, Decimal], zero: frozenset[int]) -> None:
        # sums: the chosen rows' total per column that the parent and all of them report;
        # zero: the columns where some chosen row reports 0
        for k in range(start, len(cands)):
            v = cands[k][1]
            nxt = {j: s + v[j] for j, s in sums.items() if j in v}
            if not nxt:
                continue  # no shared column left, for this set or any larger one
            chosen.append(k)
            z = zero | zeros[k] if zeros[k] else zero
            if len(chosen) >= 2 and all(pv[j] == s for j, s in nxt.items()) and \
                    all(pv[j] and j not in z for j in nxt) and max(abs(pv[j]) for j in nxt) >= MIN_DISCOVERY_TOTAL:
                hits.append(tuple(chosen))
            if len(chosen) < 6 and k + 1 < len(cands) and _may_grow(pv, z, nxt, rest[k + 1]):
                walk(k + 1, chosen, nxt, z)
            chosen.pop()

    walk(0, [], {j: 0 for j in pv}, frozenset())
    hits.sort(key=lambda h: (len(h), h))  # by size, then in source order, as combinations() gives them
    return [[cands[i][0] for i in h] for h in hits]


def _rest_ranges(pv: dict[int, Decimal], values: list[dict[int, Decimal]]) -> list[dict[int, tuple[Decimal, Decimal]]]:
    """Per start k, per column every row from k on reports: the least and the most those rows can add."""
    rest: list[dict[int, tuple[Decimal, Decimal]]] = [{j: (Decimal(0), Decimal(0)) for j in pv}]
    for v in reversed(values):
        rest.insert(0, {j: (lo + min(v[j], 0), hi + max(v[j], 0)) for j, (lo, hi) in rest[0].items() if j in v})
    return rest


def _may_grow(pv: dict[int, Decimal], zero: frozenset[int], sums: dict[int, Decimal],
              rest: dict[int, tuple[Decimal, Decimal]]) -> bool:
    """Whether adding rows from the rest could still give a set that adds up. A column every
    remaining row reports stays shared by any larger set, so there the parent must be nonzero,
    no chosen row may report 0 (``zero``), and the missing amount be within what the rest can add."""
    for j, s in sums.items():
        if j not in rest:
            continue
        lo, hi = rest[j]
        if not pv[j] or j in zero or not lo <= pv[j] - s <= hi:
            return False
    return True


def _placed_values(row: Row, states: dict[int, "_RowState"]) -> dict[int, Decimal]:
    """Values whose column every surviving assignment agrees on."""
    st = states.get(row.index)
    if st is None:
        return {}
    out = {}
    for cell, cols in zip(st.values, zip(*st.options)):  # cols: the value's column in each assignment
        if cell.value is not None and cols.count(cols[0]) == len(cols):
            out[cols[0]] = cell.value
    return out


def identities(table: Table) -> list[_Identity]:
    """The identities the paths and roles declare (discovered member sums come later)."""
    return _rollforwards(table.rows) + _crossfoots(table.rows) + _member_sums(table.rows)


_Effect = tuple[tuple[int, ...], frozenset[int]]  # (signed contribution per column, anchored columns)
_NONE_LEFT: frozenset = frozenset([0])  # what no rows at all can add
_NO_COLUMNS: frozenset[int] = frozenset()


def _contributions(ident: _Identity, i: int, whole: list[int | None]) -> list[int | None]:
    """What each value of row ``i`` (``whole``, see ``_RowState.whole``) adds to the identity,
    over every term of the row (None: no value)."""
    mine = [(coef, use_abs) for r, coef, use_abs in ident.terms if r == i]
    return [None if v is None else sum(coef * (abs(v) if use_abs else v) for coef, use_abs in mine)
            for v in whole]


def _effects(options: list[tuple[int, ...]], contrib: list[int | None], width: int,
             anchored: bool) -> list[_Effect]:
    """What a row adds to the identity's column totals under each assignment (``contrib``, see
    ``_contributions``; one total per column below ``width``)."""
    present = [k for k, v in enumerate(contrib) if v is not None]
    every = len(present) == len(contrib)
    out = []
    for o in options:
        eff = [0] * width
        for k in present:
            eff[o[k]] = contrib[k]  # an option puts each value in a column of its own
        cols = (frozenset(o) if every else frozenset(o[k] for k in present)) if anchored else _NO_COLUMNS
        out.append((tuple(eff), cols))
    return out


def _reachable(choices: list[list[tuple]], width: int) -> list[list[set | None]]:
    """Per depth, per column: the sums the remaining open rows can still add (None: too many to list)."""
    reach: list[list[set | None]] = [[_NONE_LEFT] * width]  # built from the last depth back
    for opts in reversed(choices):
        here: list[set | None] = []
        for column, later in zip(zip(*(eff for _, eff, _ in opts)), reach[-1]):
            mine = set(column)
            if later is None or len(mine) * len(later) > MAX_SUM_SET:
                here.append(None)
            elif later is _NONE_LEFT or mine == _NONE_LEFT:  # adding nothing on one side
                here.append(mine if later is _NONE_LEFT else later)
            else:
                here.append({a + b for a in mine for b in later})
        reach.append(here)
    reach.reverse()
    return reach


def _feasible(total: tuple[int, ...], cols: frozenset[int], left: list[set | None]) -> bool:
    """Can every anchored column still net to zero with what the remaining rows may add?"""
    for p in cols:
        s = left[p]
        if s is not None and -total[p] not in s:
            return False
    return True


def _search(choices: list[list[tuple]], reach: list[list], depth: int, total: tuple[int, ...],
            cols: frozenset[int], keep: list[set], seen: dict[tuple, bool]) -> bool:
    """Whether the open rows from ``depth`` on have assignments under which the identity holds,
    from these column totals; the options that take part go to ``keep``. Each state (depth,
    totals, anchored columns) is searched once: the same state has the same completions."""
    if depth == len(choices):
        return True
    key = (depth, total, cols)
    if key not in seen:
        found = False
        left, last = reach[depth + 1], depth + 1 == len(choices)  # after the last row, feasible is done
        for o, eff, anchored in choices[depth]:
            t, c = tuple(map(add, total, eff)), cols | anchored if anchored else cols
            for p in c:  # as _feasible, inline: this loop is the search's innermost
                if left[p] is not None and -t[p] not in left[p]:
                    break
            else:
                if last or _search(choices, reach, depth + 1, t, c, keep, seen):
                    keep[depth].add(o)
                    found = True
        seen[key] = found
    return seen[key]


def _versions(rows: list[int], states: dict[int, _RowState]) -> tuple:
    """Options only ever narrow, so their counts tell whether any of these rows changed."""
    return tuple((i, len(states[i].options) if i in states else -1) for i in rows)


def _apply(ident: _Identity, states: dict[int, _RowState]) -> bool:
    """Narrow the options of the identity's open rows to those under which it holds.

    The identity holds for a combination of assignments when every column anchored by it nets
    to zero; the search skips a partial combination as soon as some anchored column can no
    longer reach zero, and partial combinations with the same totals share one search, which
    keeps exactly the options a full enumeration would keep."""
    rows = list(dict.fromkeys(i for i, _, _ in ident.terms if i in states))
    open_rows = [i for i in rows if states[i].open]
    if not open_rows or not all(states[i].complete for i in rows):
        return False
    size = 1
    for i in open_rows:
        size *= len(states[i].options)
    if size > MAX_COMBOS:
        return False
    anchors = set(ident.anchors if ident.anchors is not None else [t[0] for t in ident.terms])
    shift = max(states[i].places for i in rows)
    width = 1 + max((o[-1] for i in rows for o in states[i].options if o), default=-1)  # columns increase
    total = (0,) * width
    cols: frozenset[int] = frozenset()
    for i in rows:
        if not states[i].open:
            contrib = _contributions(ident, i, states[i].whole(shift))
            [(eff, anchored)] = _effects(states[i].options, contrib, width, i in anchors)
            total = tuple(map(add, total, eff))
            cols |= anchored
    choices = []
    for i in open_rows:
        contrib = _contributions(ident, i, states[i].whole(shift))
        effects = _effects(states[i].options, contrib, width, i in anchors)
        choices.append([(o, eff, anchored) for o, (eff, anchored) in zip(states[i].options, effects)])
    hits: list[set] = [set() for _ in open_rows]
    reach = _reachable(choices, width)
    if _feasible(total, cols, reach[0]):
        _search(choices, reach, 0, total, cols, hits, {})
    keep = dict(zip(open_rows, hits))
    if not any(keep.values()):
        return False
    changed = False
    for i in open_rows:
        new = [o for o in states[i].options if o in keep[i]]
        if len(new) < len(states[i].options):
            states[i].options = new
            states[i].reasons.append(ident.description)
            changed = True
    return changed


# ---------------------------------------------------------------- driver


def align_table(table: Table) -> Table:
    """Place the ambiguous values the arithmetic proves; keep the rest ambiguous. In place."""
    if not any(r.extra for r in table.rows):
        return table
    states = _states(table)
    _filter_by_ratio(states, currency_ratios(table))
    _solve(table, states)
    for st in states.values():
        if st.row.extra and st.complete:
            _settle(table, st)
    still = any(r.extra for r in table.rows)
    if table.status == Status.ambiguous and not still:
        table.status = Status.ok
    elif still and table.status == Status.ok:
        table.status = Status.ambiguous
    return table


def _filter_by_ratio(states: dict[int, _RowState], ratios: list[_Ratio]) -> None:
    if not ratios:
        return
    for st in states.values():
        if st.row.extra and not not_an_amount(st.row.label):  # a row of no amounts has none to translate
            fits: dict = {}
            kept = [o for o in st.options if _ratio_ok(st, o, ratios, fits)]
            if kept and len(kept) < len(st.options):
                st.options = kept
                st.reasons.append("the currency translation ratio of the same-period columns")


def _solve(table: Table, states: dict[int, _RowState]) -> None:
    """Apply the declared identities to a fixpoint, then the member sums they reveal (3 rounds)."""
    idents = identities(table)
    seen: set[str] = set()
    done: dict[int, tuple] = {}  # identity -> the row versions it was last applied to
    memo: dict = {}
    for _ in range(3):
        changed = True
        while changed:
            changed = False
            for k, ident in enumerate(idents):
                # applying an identity twice to the same options narrows nothing more: skip it
                before = _versions([i for i, _, _ in ident.terms], states)
                if done.get(k) == before:
                    continue
                changed |= _apply(ident, states)
                done[k] = _versions([i for i, _, _ in ident.terms], states)
        found = [i for i in _discovered_sums(table.rows, states, memo) if i.description not in seen]
        if not found:
            return
        seen.update(i.description for i in found)
        idents += found


def _settle(table: Table, st: _RowState) -> None:
    before = len(st.row.extra)
    set_placements(st.row, st.values, st.options, len(table.columns))
    placed = before - len(st.row.extra)
    if placed and st.reasons:
        cols = [j for j, c in enumerate(st.row.cells) if c.kind != CellKind.missing]
        table.warnings.append(
            f"{table.table_id} row {st.row.index} {st.row.label!r} ({_name(_block(st.row))}): "
            f"{placed} value(s) placed (the row now fills column(s) {cols}), proven by arithmetic: "
            f"{'; '.join(st.reasons)}")
