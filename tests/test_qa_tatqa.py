"""The TAT-QA harness: rendering, the benchmark's exact match, and a tiny end-to-end run."""

from decimal import Decimal

import pytest

from evals.tatqa import TATQA, exact_match, render_html, run_tatqa


def test_exact_match_numbers_spans_and_sets():
    assert exact_match(Decimal("-12.1359"), -12.14)
    assert exact_match("$1,305", ["$1,305"])
    assert exact_match(["73260", "57768"], ["73,260", "57,768"])
    assert not exact_match(["73260"], ["73,260", "57,768"])
    assert exact_match("The Sensors", ["sensors"])
    assert not exact_match(None, ["2018"])


def test_render_html_puts_leading_header_rows_in_thead():
    html = render_html([["", "Revenues", ""], ["", "2019", "2018"], ["Sales", "1,452.4", "(3)"]])
    assert html.count("<th") == 6 and '<th colspan="2">Revenues</th>' in html
    assert "<td>Sales</td><td>1,452.4</td><td>(3)</td>" in html


@pytest.mark.skipif(not TATQA.exists(), reason="TAT-QA dev set not present")
def test_tiny_run_scores_by_type():
    out = run_tatqa(limit=2)
    assert out["questions"] > 0 and 0.0 <= out["em"] <= 1.0 and out["llm"] is False
    assert set(out["em_by_type"]) <= {"arithmetic", "span", "multi-span", "count"}
