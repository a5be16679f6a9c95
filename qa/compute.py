"""Operations on cited figures, in Decimal, each with its arithmetic written out.

Every function returns a ``Computation``: the result and the expression that shows
how it was reached from the numbered figures ("421,568 − 493,436 = −71,868").
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, getcontext

from .models import Computation, Figure

getcontext().prec = 28
HUNDRED = Decimal(100)


def fmt(v: Decimal, places: int | None = None) -> str:
    """1234567 → '1,234,567'; -71868 → '−71,868'; 14.5648 (places=1) → '14.6'."""
    if places is not None:
        v = v.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    elif v == v.to_integral_value():
        v = v.quantize(Decimal(1))
    else:
        v = v.normalize()
    s = f"{abs(v):,f}"
    return ("−" if v < 0 else "") + s


def _refs(figs: list[Figure]) -> list[int]:
    return [f.n for f in figs]


def magnitude(f: Figure, use_abs: bool) -> Decimal:
    return abs(f.value) if use_abs else f.value


def difference(cur: Figure, prior: Figure, *, use_abs: bool = False, group: str = "") -> Computation:
    a, b = magnitude(cur, use_abs), magnitude(prior, use_abs)
    r = a - b
    return Computation(op="difference", expression=f"{fmt(a)} − {fmt(b)} = {fmt(r)}", result=r,
                       inputs=_refs([cur, prior]), group=group)


def pct_change(cur: Figure, prior: Figure, *, use_abs: bool = False, group: str = "") -> Computation | None:
    a, b = magnitude(cur, use_abs), magnitude(prior, use_abs)
    if b == 0:
        return None
    r = (a - b) / b * HUNDRED  # the plain (new − old) / old, as the benchmarks compute it
    return Computation(op="pct_change", expression=f"({fmt(a)} − {fmt(b)}) / {fmt(b)} = {fmt(r, 2)}%",
                       result=r, inputs=_refs([cur, prior]), group=group)


def total(figs: list[Figure], *, use_abs: bool = False, group: str = "") -> Computation:
    vals = [magnitude(f, use_abs) for f in figs]
    r = sum(vals, Decimal(0))
    body = " + ".join(fmt(v) for v in vals).replace("+ −", "− ")
    return Computation(op="sum", expression=f"{body} = {fmt(r)}", result=r, inputs=_refs(figs), group=group)


def average(figs: list[Figure], *, use_abs: bool = False, group: str = "") -> Computation:
    vals = [magnitude(f, use_abs) for f in figs]
    r = sum(vals, Decimal(0)) / len(vals)
    body = " + ".join(fmt(v) for v in vals).replace("+ −", "− ")
    return Computation(op="average", expression=f"({body}) / {len(vals)} = {fmt(r, 2)}", result=r,
                       inputs=_refs(figs), group=group)


def share(part: Figure, whole: Figure, *, percent: bool = True, group: str = "") -> Computation | None:
    a, b = part.value, whole.value
    if percent and (a < 0 or b < 0):
        a, b = abs(a), abs(b)  # a share of a total is a matter of size: (12,632) of 1,283,281
    if b == 0:
        return None
    r = a / b * (HUNDRED if percent else 1)
    tail = "%" if percent else ""
    return Computation(op="share" if percent else "ratio",
                       expression=f"{fmt(a)} / {fmt(b)} = {fmt(r, 2)}{tail}", result=r,
                       inputs=_refs([part, whole]), group=group)


def growth_rate(first: Figure, last: Figure, periods: int, *, group: str = "") -> Computation | None:
    a, b = first.value, last.value
    if a <= 0 or b <= 0 or periods <= 0:
        return None
    r = (Decimal(float(b / a) ** (1.0 / periods)) - 1) * HUNDRED
    return Computation(op="growth_rate", expression=f"({fmt(b)} / {fmt(a)})^(1/{periods}) − 1 = {fmt(r, 2)}%",
                       result=r, inputs=_refs([first, last]), group=group)


def rollforward(opening: Figure, flows: list[Figure], ending: Figure, *, group: str = "") -> Computation:
    """opening + flows = ending, written out; result is the recomputed ending."""
    r = opening.value + sum((f.value for f in flows), Decimal(0))
    parts = [fmt(opening.value)] + [("− " + fmt(-f.value)) if f.value < 0 else ("+ " + fmt(f.value)) for f in flows]
    mark = "✓" if r == ending.value else f"✗ (reported {fmt(ending.value)})"
    return Computation(op="rollforward", expression=f"{' '.join(parts)} = {fmt(r)} {mark}", result=r,
                       inputs=_refs([opening, *flows, ending]), group=group)


def extreme(figs: list[Figure], which: str) -> Figure:
    key = (lambda f: f.value)
    return max(figs, key=key) if which == "max" else min(figs, key=key)
