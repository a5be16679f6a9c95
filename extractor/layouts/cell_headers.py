"""Header reconstruction for the one-cell-per-line layout (``cell_lines``).

A header arrives as fragments in row-major order, bottom-aligned; ``_solve_header`` finds the
reading (column stack heights, optional label-column fragment, spanning first fragment,
trailing period line) with the best score, and warns when different headers tie.

The search is exact but pruned: every reading is first bounded by the terms that need no
date or role lookup of its joined texts (summed over the fragment pairs of all readings at
once, with numpy); only readings whose bound reaches the best exact score are scored in full,
and a reading stops being scored once its columns' terms (which only take away) fall below it.
``_candidates`` + ``_score_header`` remain the reference (a full scan), and
tests/test_cell_lines_header_search.py checks that both agree.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations, product

import numpy as np

from ..kinds import role_of
from ..periods import find_dates

_CONNECTOR_END = re.compile(r"(,|\b(for|of|in|and|the|to|from|at|on|as|by|with|&|-))$", re.IGNORECASE)
_MAX_SPLITS = 20000
_MAX_HEIGHT = 8  # header rows per column
_MON = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATE_PREP = re.compile(r"\b(as of|as at|at|ended|ending|through)$", re.IGNORECASE)
_DATE_START = re.compile(rf"^({_MON}(\s|,|$)|(19|20)\d\d\b)", re.IGNORECASE)
_MONTH_DAY = re.compile(rf"\b{_MON}\s+\d{{1,2}},?$", re.IGNORECASE)
_MONTH_END = re.compile(rf"\b{_MON}$", re.IGNORECASE)
_DAY_START = re.compile(r"^\d{1,2}(,|\s|$)")
_ANNOTATION = re.compile(r"^\([^()]*\)$")
_YEAR_ONLY = re.compile(r"^(19|20)\d\d$")
_YEAR_START = re.compile(r"(19|20)\d\d\b")
_AS_END = re.compile(r"\bas$", re.IGNORECASE)
_BROKEN_DATES = [  # in a rebuilt header: a date phrase that does not go on as a date
    re.compile(rf"\b(as of|as at|ended|ending)\s+(?!{_MON}(\s|,|$)|\d)", re.IGNORECASE),
    re.compile(rf"\b{_MON}\s+\d{{1,2}}(?!\d|,?\s*(19|20)\d\d)", re.IGNORECASE),
]


def _starts_lower(text: str) -> bool:
    return bool(text) and text[0].isalpha() and text[0].islower()


@dataclass
class _Arith:
    foot: int | None  # the column that equals the sum of the others (net, total, ending)
    contra: set[int]  # columns whose values are all <= 0 with at least one < 0
    positive: set[int]  # columns with a value > 0 (never an allowance or a write-off)


@dataclass
class _Header:
    columns: list[list[str]]  # fragment stack of each value column, top to bottom
    label: str | None = None  # the label-column fragment of the bottom header row
    section: str | None = None  # a trailing fragment that only sets a period / section
    span: bool = False  # the first fragment spans every column ("December 31," over years)
    score: float = 0.0

    @property
    def texts(self) -> list[str]:
        return [" ".join(" ".join(stack).split()) for stack in self.columns]


@lru_cache(maxsize=4096)
def _role(text: str) -> str | None:
    return role_of(text)


@lru_cache(maxsize=4096)
def _has_full_date(text: str) -> bool:
    return bool(find_dates(text))


def _column_score(stack: tuple[str, ...], j: int, n: int, ar: _Arith) -> tuple[float, bool, bool]:
    """(score, header has a full date, one fragment alone has a full date) of one column."""
    s = 0.0
    if stack:  # date breaks; "(unaudited)" ends a header; a continuation with nothing above
        # it; "Allowance for" with nothing below it
        s -= _top_penalty(stack[0]) + _bottom_penalty(stack[-1])
        s -= sum(_inner_penalty(above, below) for above, below in zip(stack, stack[1:]))
    else:
        s -= _date_break("", "")
    text = " ".join(" ".join(stack).split())
    s -= 2 * _broken_dates(text)
    s += _role_agreement(_role(text), j, n, ar)
    return s, _has_full_date(text), any(_has_full_date(f) for f in stack)


def _date_break(above: str, below: str) -> float:
    """Penalty when a date is cut where no date can be: "December 31," must get its year below,
    "as of" a date, "as of December" a day; "31, 2020" must sit under a month."""
    if _MONTH_DAY.search(above) and not _YEAR_START.match(below):
        return 2
    if _MONTH_END.search(above) and not _DAY_START.match(below):
        return 2
    if _DATE_PREP.search(above) and below and not _DATE_START.match(below):
        return 2
    if _AS_END.search(above) and below and not _starts_lower(below):
        return 2  # "Balance as" goes on with "of ..." / "at ...", never a new heading
    if _DAY_START.match(below) and not _MONTH_END.search(above):
        return 3 if not above else 2
    if _YEAR_ONLY.match(below) and above and not (above.endswith(",") or _DATE_PREP.search(above)
                                                  or _MONTH_END.search(above)):
        return 1
    return 0


def _label_cost(label: str) -> float:
    """A label-column fragment is plain when it is a note ("(unaudited)") or a period."""
    if _starts_lower(label) or _CONNECTOR_END.search(label):
        return 3
    return 0 if _ANNOTATION.match(label) or _has_full_date(label) else 0.25


def _score_header(h: _Header, ar: _Arith, memo: dict) -> float:
    n = len(h.columns)
    parts = []
    for j, stack in enumerate(h.columns):
        key = (tuple(stack), j)
        if key not in memo:
            memo[key] = _column_score(key[0], j, n, ar)
        parts.append(memo[key])
    # one column alone carries a whole date: that date is more likely a table-wide period
    lone_date = sum(1 for p in parts if p[1]) == 1 < len(parts)
    s = sum(p[0] - (1 if lone_date and p[1] and p[2] else 0) for p in parts)
    if h.label is not None:
        s -= _label_cost(h.label)
    if h.section is not None:
        fits = (_has_full_date(h.section) or h.section.endswith(":")) and not _starts_lower(h.section)
        s -= 0.25 if fits else 3
    texts = h.texts
    if any(_has_full_date(t) for t in texts):  # "December 31, 2024" beside a bare "2023"
        s -= sum(1 for t in texts if _YEAR_ONLY.match(t))
    heights = [len(stack) for stack in h.columns]
    s -= 0.5 if h.span else 0
    return s - 0.1 * (max(heights) - min(heights))  # tie-break: header cells are of even height


def _role_agreement(role: str | None, j: int, n: int, ar: _Arith) -> float:
    if role is None:
        return 0.0
    if role == "allowance":  # only negative values are evidence; an all-zero column is none
        return 2.0 if j in ar.contra and j != ar.foot else (-2.0 if j in ar.positive else 0.0)
    if role in ("net", "total", "ending"):
        return 1.0 if j == ar.foot else -1.0
    if role == "opening":
        return 1.0 if j == 0 and ar.foot == n - 1 else -1.0
    if role == "writeoff":
        return 1.0 if j not in ar.positive else -1.0
    return 0.0


def _compositions(total: int, parts: int, cap: int = _MAX_HEIGHT):
    """Every way to write total as parts positive heights, none above cap."""
    for cuts in combinations(range(1, total), parts - 1):
        heights = tuple(b - a for a, b in zip((0,) + cuts, cuts + (total,)))
        if max(heights) <= cap:
            yield heights


def _stack(frags: list[str], heights: tuple[int, ...]) -> list[list[str]]:
    top = max(heights)
    cols: list[list[str]] = [[] for _ in heights]
    it = iter(frags)
    for r in range(top):
        for j, h in enumerate(heights):
            if h >= top - r:
                cols[j].append(next(it))
    return cols


def _candidates(frags: list[str], n: int):
    """Every header reading: optional spanning first fragment, label fragment, section line,
    and the heights of the columns' fragment stacks."""
    for use_label, use_section, use_span in product((False, True), repeat=3):
        vals = list(frags)
        span = vals.pop(0) if use_span and n > 1 and vals else None
        section = vals.pop() if use_section and vals else None
        label = vals.pop(len(vals) - n - 1) if use_label and len(vals) >= n + 1 else None
        if (use_span and span is None) or (use_label and label is None) or len(vals) < n:
            continue
        for k, heights in enumerate(_compositions(len(vals), n)):
            if k > _MAX_SPLITS:
                break
            cols = _stack(vals, heights)
            yield _Header([[span] + c for c in cols] if span else cols, label, section, span is not None)


def _solve_header(frags: list[str], n: int, ar: _Arith) -> tuple[_Header, list[str]]:
    """The best-scoring header split, and warnings when it is not unique or not complete."""
    h, warnings = _solved(tuple(frags), n, ar.foot, frozenset(ar.contra), frozenset(ar.positive))
    return _Header([list(c) for c in h.columns], h.label, h.section, h.span, h.score), list(warnings)


@lru_cache(maxsize=4096)
def _solved(frags: tuple[str, ...], n: int, foot: int | None, contra: frozenset[int],
            positive: frozenset[int]) -> tuple[_Header, tuple[str, ...]]:
    """_solve_header_uncached, kept by header: filings repeat their headers table after table
    (a pure function of the fragments, the column count and the columns' arithmetic)."""
    h, warnings = _solve_header_uncached(list(frags), n, _Arith(foot, set(contra), set(positive)))
    return h, tuple(warnings)


def _solve_header_uncached(frags: list[str], n: int, ar: _Arith) -> tuple[_Header, list[str]]:
    if len(frags) < n:
        cols = [[] for _ in range(n - len(frags))] + [[f] for f in frags]
        msg = (f"only {len(frags)} header fragment(s) for {n} value columns; "
               "placed them over the rightmost columns — check the column headers")
        return _Header(cols), [msg] if frags else [f"no column headers found for {n} value columns"]
    memo: dict = {}
    best: list[_Header] = []
    for h in _contenders(frags, n, ar, memo):  # in enumeration order, as _candidates yields them
        if not best or h.score > best[0].score + 1e-9:
            best = [h]
        elif abs(h.score - best[0].score) <= 1e-9:
            best.append(h)
    if not best:
        cols = [[f] for f in frags[-n:]]
        return _Header(cols), [f"{len(frags)} header fragments do not split into {n} columns; "
                               f"took the last {n} as the headers — check the column headers"]
    choice = best[0]
    rivals = {tuple(h.texts) for h in best} - {tuple(choice.texts)}
    warnings = []
    if rivals:
        alt = " / ".join(" | ".join(r) for r in sorted(rivals)[:2])
        warnings.append(f"column headers are ambiguous: chose {' | '.join(choice.texts)!r}; "
                        f"equally consistent: {alt!r}")
    return choice, warnings


_SLACK = 1e-6  # scores are multiples of 0.05: anything this close is a tie


def _contenders(frags: list[str], n: int, ar: _Arith, memo: dict) -> list[_Header]:
    """The scored readings that may tie for the best, in ``_candidates`` order.

    Same readings as ``_candidates``, but each is first bounded by its cheap terms (date
    breaks, annotations, dangling connectors, best possible role agreement, summed over the
    fragment pairs of every column at once); only readings whose bound reaches the best exact
    score so far are scored in full. Readings left out score strictly below the best, so the
    best set is the one a full scan finds.
    """
    room = [_best_role(j, n, ar) for j in range(n)]
    role_room = sum(room)
    pen = _pair_penalties(frags, n)
    bounds, variants = [], []
    for use_label, use_section, use_span in product((False, True), repeat=3):
        idx = list(range(len(frags)))
        span = idx.pop(0) if use_span and n > 1 and idx else None
        section = idx.pop() if use_section and idx else None
        label = idx.pop(len(idx) - n - 1) if use_label and len(idx) >= n + 1 else None
        if (use_span and span is None) or (use_label and label is None) or len(idx) < n:
            continue
        base = role_room - (_label_cost(frags[label]) if label is not None else 0.0)
        if section is not None:
            text = frags[section]
            fits = (_has_full_date(text) or text.endswith(":")) and not _starts_lower(text)
            base -= 0.25 if fits else 3
        base -= 0.5 if span is not None else 0.0
        lay = _layouts(len(idx), n)
        if not len(lay.heights):
            continue
        start, end = len(frags), len(frags) + 1
        rows = np.array(idx + [start, end])
        w = pen.take(rows, axis=0).take(rows, axis=1)  # take: much quicker than fancy indexing
        if span is not None:  # every stack starts with the spanning fragment
            w[-2, :] = pen[start, span] + pen[span].take(rows)
        bounds.append(base - lay.spread - w.ravel().take(lay.pairs).sum(axis=0))
        variants.append(([frags[i] for i in idx], span, label, section, lay))
    return _score_best(bounds, variants, ar, room, memo, frags)


def _score_best(bounds, variants, ar: _Arith, room: list[float], memo: dict,
                frags: list[str]) -> list[_Header]:
    """Score in full, from the highest bound down, every reading whose bound still reaches the
    best exact score; the readings that tie for it, in ``_candidates`` order, as headers.
    bounds[v] holds the bounds of the splits of variants[v]; room[j] the best role agreement
    column j may have."""
    if not bounds:
        return []
    known: list[list[dict]] = [[{} for _ in room] for _ in variants]  # column stack -> term, per column
    ends = np.cumsum([len(b) for b in bounds]).tolist()
    ub = np.concatenate(bounds)

    def exact(k: int, bound: float, floor: float) -> float | None:
        """The score of reading k (added to near), or None when its columns fall below floor."""
        v = bisect_right(ends, k)
        ci = k - ends[v - 1] if v else k
        found = _reading_terms(variants, frags, v, ci, ar, room, known[v], floor)
        if found is None:
            return None
        cols, terms = found
        facts = [_stack_dates(_stack_of(variants, frags, v, c)) for c in cols]
        near.append((bound + _text_terms(terms, facts), v, ci))
        return near[-1][0]

    # the highest bound's reading scores the best at least: only the bounds that reach its score
    # are sorted (in the order of a stable sort of all bounds, highest first)
    near: list[tuple[float, int, int]] = []
    first = int(ub.argmax())
    top = exact(first, float(ub[first]), float("-inf"))
    reach = np.flatnonzero(ub >= top - _SLACK)
    reach = reach[np.argsort(-ub[reach], kind="stable")]
    for k, bound in zip(reach.tolist()[1:], ub[reach].tolist()[1:]):  # the first is ``first``
        if bound < top - _SLACK:
            break
        found = exact(k, bound, top - _SLACK - bound)
        if found is not None:
            top = max(top, found)
    out = []
    for _, v, ci in sorted((t for t in near if t[0] >= top - _SLACK), key=lambda t: (t[1], t[2])):
        vals, span, label, section, lay = variants[v]
        head = [frags[span]] if span is not None else []
        cols = [head + [vals[i] for i in c] for c in _split_columns(lay, ci)]
        h = _Header(cols, frags[label] if label is not None else None,
                    frags[section] if section is not None else None, span is not None)
        h.score = _score_header(h, ar, memo)
        out.append(h)
    return out


def _reading_terms(variants, frags: list[str], v: int, ci: int, ar: _Arith, room: list[float],
                   cache: list[dict], floor: float) -> tuple[tuple[tuple[int, ...], ...], list[float]] | None:
    """The columns of split ci of variant v and their ``_column_term`` (cached per variant and
    column), or None once the terms' sum falls below floor: every text term only takes away, so
    that reading cannot reach the best score found so far. The columns already known are counted
    first."""
    cols = _split_columns(variants[v][4], ci)
    terms = [known.get(c) for known, c in zip(cache, cols)]
    total = sum(t for t in terms if t is not None)
    if total < floor:
        return None
    for j, t in enumerate(terms):
        if t is None:
            stack = _stack_of(variants, frags, v, cols[j])
            t = terms[j] = cache[j][cols[j]] = _column_term(stack, j, ar, room)
            total += t
            if total < floor:
                return None
    return cols, terms


def _split_columns(lay: _Layout, ci: int) -> tuple[tuple[int, ...], ...]:
    """The fragment indices of each column of split ci, top to bottom (kept on the layout: the
    variants with as many fragments, and the headers of a filing, read the same splits)."""
    cols = lay.columns.get(ci)
    if cols is None:
        cols = lay.columns[ci] = tuple(tuple(at[h - 1::-1]) for at, h in
                                       zip(lay.at_depth[:, :, ci].tolist(), lay.heights[ci].tolist()))
    return cols


def _stack_of(variants, frags: list[str], v: int, c: tuple[int, ...]) -> tuple[str, ...]:
    """The fragments of column c of variant v, top to bottom (the spanning one first)."""
    vals, span = variants[v][0], variants[v][1]
    return ((frags[span],) if span is not None else ()) + tuple([vals[i] for i in c])


def _text_terms(terms: list[float], facts: list[tuple[bool, bool, bool]]) -> float:
    """What a reading's exact score adds to its bound: its columns' terms, a lone date, a bare
    year beside a date."""
    s, dated, lone, year = 0.0, 0, 0, 0
    for term, (has_date, one_has_date, bare_year) in zip(terms, facts):
        s += term
        if has_date:
            dated += 1
            lone += one_has_date
        year += bare_year
    if dated == 1 < len(terms):
        s -= lone
    return s - year if dated else s


def _column_term(stack: tuple[str, ...], j: int, ar: _Arith, room: list[float]) -> float:
    """Role agreement in place of the best possible one, less broken dates, of column j."""
    role, broken = _stack_words(stack)
    return _role_agreement(role, j, len(room), ar) - room[j] - 2 * broken


@lru_cache(maxsize=65536)
def _stack_words(stack: tuple[str, ...]) -> tuple[str | None, int]:
    """(role, broken date phrases) of a column's fragment stack."""
    text = " ".join(" ".join(stack).split())
    return _role(text), _broken_dates(text)


@lru_cache(maxsize=65536)
def _stack_dates(stack: tuple[str, ...]) -> tuple[bool, bool, bool]:
    """(has a full date, one fragment alone has one, is a bare year) of a column's fragment
    stack: only asked of the readings that keep up with the best (most are dropped on their
    ``_column_term`` alone)."""
    text = " ".join(" ".join(stack).split())
    dated = _has_full_date(text)  # whether one fragment alone has a date only counts then
    return dated, dated and any(_has_full_date(f) for f in stack), bool(_YEAR_ONLY.match(text))


@lru_cache(maxsize=16384)
def _broken_dates(text: str) -> int:
    return sum(len(rx.findall(text)) for rx in _BROKEN_DATES)


def _pair_penalties(frags: list[str], n: int) -> np.ndarray:
    """pen[a, b]: the cheap penalty of fragment b right under fragment a in one column
    (index len(frags) is the top of a column, len(frags) + 1 its bottom); only pairs that can
    sit together (b at most n + 1 fragments after a, or anything under a spanning first one)."""
    m = len(frags)
    start, end = m, m + 1
    pen = [[0.0] * (m + 2) for _ in range(m + 2)]
    for b, text in enumerate(frags):
        pen[start][b] = _top_penalty(text)
        pen[b][end] = _bottom_penalty(text)
        for a in range(max(0, b - n - 1), b):
            pen[a][b] = _inner_penalty(frags[a], text)
        if b > n + 1:
            pen[0][b] = _inner_penalty(frags[0], text)
    return np.array(pen)


@lru_cache(maxsize=16384)
def _top_penalty(text: str) -> float:
    return _date_break("", text) + (3 if _starts_lower(text) else 0)


@lru_cache(maxsize=16384)
def _bottom_penalty(text: str) -> float:
    return _date_break(text, "") + (3 if _CONNECTOR_END.search(text) else 0)


@lru_cache(maxsize=65536)
def _inner_penalty(above: str, below: str) -> float:
    return _date_break(above, below) + (1 if _ANNOTATION.match(above) else 0)


def _best_role(j: int, n: int, ar: _Arith) -> float:
    return max(0.0, *(_role_agreement(r, j, n, ar) for r in ("allowance", "net", "opening", "writeoff")))


@dataclass(frozen=True)
class _Layout:
    """Every height split ``_candidates`` tries for some fragments over n columns. The splits
    run along the last axis: numpy reduces and broadcasts slowly along short inner axes."""

    heights: np.ndarray  # (splits x n) the stack height of each column
    at_depth: np.ndarray  # (n x tallest x splits) the fragment index of column j at depth d
    # (0 = the bottom row); meaningless where the column is not that tall
    spread: np.ndarray  # per split: 0.1 x (tallest - shortest column)
    pairs: np.ndarray  # (total + n x splits) the fragment pairs (above, below) of the columns
    # as above * (total + 2) + below, where total stands for the top of a column and total + 1
    # its bottom: each column has its top pair, its inner pairs and its bottom pair
    columns: dict = field(default_factory=dict, compare=False)  # split -> ``_split_columns``


@lru_cache(maxsize=32)  # < 100 bytes per split and column; tables reuse a handful of shapes
def _layouts(total: int, n: int) -> _Layout:
    """The splits ``_candidates`` tries (same order, same cap) for total fragments, built for
    all splits at once: in the row-major, bottom-aligned order, the fragment of column j at
    depth d (0 = the bottom row) comes after the cells of every column at depth d from j on
    and every cell below depth d."""
    cols = _height_splits(total, n)  # (n x splits)
    splits, tallest = cols.shape[1], int(cols.max(initial=1))
    depth = np.arange(tallest)[:, None]
    heights = cols[:, None, :]  # (n x 1 x splits)
    lower = np.minimum(heights, depth).sum(axis=0)  # (tallest x splits): cells under depth d
    from_j = (heights > depth)[::-1].cumsum(axis=0)[::-1]  # cells at depth d in columns j, j + 1, ...
    at = total - lower - from_j
    width, pad = total + 2, (total + 1) * (total + 3)  # pad: the pair (bottom, bottom)
    tops = at.ravel().take(((np.arange(n)[:, None] * tallest + cols - 1) * splits + np.arange(splits)))
    inner = np.where(heights > depth[1:], at[:, 1:] * width + at[:, :-1], pad)  # depth d + 1 over d
    pairs = np.concatenate([(total * width + tops)[:, None], inner, at[:, :1] * width + total + 1], axis=1)
    pairs = pairs.reshape(n * (tallest + 1), splits).T
    # every split has total + n pairs (a column of height h has h + 1): drop the padding
    pairs = np.ascontiguousarray(pairs[pairs != pad].reshape(splits, total + n).T)
    spread = 0.1 * (cols.max(axis=0) - cols.min(axis=0))
    return _Layout(cols.T, at, spread, pairs)


def _height_splits(total: int, n: int) -> np.ndarray:
    """``_compositions(total, n)`` as an (n x splits) array, same order, at most _MAX_SPLITS + 1
    splits: the heights in lexicographic order (the order of their cut points), grown a column
    at a time from the prefixes that can still be completed (so keeping the first prefixes keeps
    the first splits)."""
    prefix, left = [], np.array([total])
    for rest in range(n - 1, -1, -1):  # columns still to place after this one
        low = np.maximum(1, left - _MAX_HEIGHT * rest)
        high = np.minimum(_MAX_HEIGHT, left - rest)
        count = np.maximum(high - low + 1, 0)
        keep = np.repeat(np.arange(len(left)), count)[:_MAX_SPLITS + 1]
        first = np.repeat(np.cumsum(count) - count, count)[:_MAX_SPLITS + 1]
        h = low[keep] + np.arange(len(keep)) - first
        prefix = [p[keep] for p in prefix] + [h]
        left = left[keep] - h
    return np.array(prefix).reshape(n, len(left))
