"""Computations in Decimal with their arithmetic written out."""

from decimal import Decimal

from extractor.models import Citation
from qa import compute as C
from qa.models import Figure


def fig(n, v):
    return Figure(n=n, value=Decimal(v), label="x", doc="d", table_id="t1", row=0, column=n,
                  citation=Citation(doc="d", table_id="t1", row=0, column=n))


def test_difference_and_pct_change_on_magnitudes():
    cur, prior = fig(1, "-421568"), fig(2, "-493436")
    d = C.difference(cur, prior, use_abs=True)
    assert d.result == Decimal("-71868") and d.expression == "421,568 − 493,436 = −71,868"
    p = C.pct_change(cur, prior, use_abs=True)
    assert round(p.result, 2) == Decimal("-14.56") and p.inputs == [1, 2]


def test_pct_change_of_zero_base_is_none():
    assert C.pct_change(fig(1, "5"), fig(2, "0")) is None


def test_sum_average_share_ratio():
    a, b, c = fig(1, "197156"), fig(2, "444796"), fig(3, "337090")
    assert C.total([a, b, c]).result == Decimal("979042")
    assert round(C.average([a, b, c]).result, 2) == Decimal("326347.33")
    s = C.share(fig(1, "259785"), fig(2, "421568"))
    assert round(s.result, 2) == Decimal("61.62") and s.expression.endswith("%")
    r = C.share(fig(1, "2664"), fig(2, "909"), percent=False)
    assert round(r.result, 2) == Decimal("2.93") and r.op == "ratio"


def test_growth_rate_compound():
    g = C.growth_rate(fig(1, "100"), fig(2, "121"), 2)
    assert round(g.result, 4) == Decimal("10.0000")
    assert C.growth_rate(fig(1, "-1"), fig(2, "121"), 2) is None


def test_rollforward_expression_ticks_and_crosses():
    ok = C.rollforward(fig(1, "272036"), [fig(2, "474"), fig(3, "337090"), fig(4, "-421568")], fig(5, "188032"))
    assert ok.expression == "272,036 + 474 + 337,090 − 421,568 = 188,032 ✓"
    bad = C.rollforward(fig(1, "100"), [fig(2, "5")], fig(3, "104"))
    assert "✗" in bad.expression and bad.result == Decimal("105")


def test_fmt():
    assert C.fmt(Decimal("-71868")) == "−71,868"
    assert C.fmt(Decimal("14.5648"), 1) == "14.6"
    assert C.fmt(Decimal("1.50")) == "1.5"
