"""`tickmark check`: exit codes, the written-out arithmetic, --json and --quiet."""

from __future__ import annotations

import json

import pytest
from helpers_tables import make_doc, make_table

from extractor.checks import prove_document
from extractor.cli import main
from extractor.report import exit_code, render_text, report_json

MOVEMENT = """<html><body>
<p>Changes in the allowance for credit losses for the years ended December 31, 2023 and 2024 were:</p>
<table>
<tr><td></td><td>2024</td><td>2023</td></tr>
<tr><td>Balance at beginning of year</td><td>1,200</td><td>1,000</td></tr>
<tr><td>Provision for credit losses</td><td>450</td><td>500</td></tr>
<tr><td>Charge-offs</td><td>(300)</td><td>(350)</td></tr>
<tr><td>Recoveries</td><td>50</td><td>50</td></tr>
<tr><td>Balance at end of year</td><td>{end}</td><td>1,200</td></tr>
</table></body></html>
"""

BALANCE = """<html><body>
<p>Contract assets as of June 30, 2024 are as follows:</p>
<table>
<tr><td></td><td>Contract assets</td><td>Allowance for credit losses</td><td>Contract assets, net</td></tr>
<tr><td>Segment North</td><td>8,000</td><td>(500)</td><td>7,500</td></tr>
<tr><td>Segment South</td><td>2,000</td><td>(100)</td><td>1,900</td></tr>
<tr><td>Total</td><td>10,000</td><td>(600)</td><td>9,400</td></tr>
</table></body></html>
"""


@pytest.fixture
def files(tmp_path):
    good = tmp_path / "good.htm"
    good.write_text(MOVEMENT.format(end="1,400"))
    bad = tmp_path / "bad.htm"
    bad.write_text(MOVEMENT.format(end="1,450"))
    bal = tmp_path / "balance.htm"
    bal.write_text(BALANCE)
    return good, bad, bal


def test_clean_file_exits_zero_with_ticks(files, capsys):
    good, _, bal = files
    assert main(["check", str(good), str(bal)]) == 0
    out = capsys.readouterr().out
    assert "1,200 + 450 − 300 + 50 = 1,400 ✓" in out
    assert "8,000 − 500 = 7,500 ✓" in out
    assert "summary: 2 document(s)" in out and "0 flagged" in out


def test_flagged_file_exits_one_and_shows_the_residual(files, capsys):
    good, bad, _ = files
    assert main(["check", str(good), str(bad)]) == 1
    out = capsys.readouterr().out
    assert "1,200 + 450 − 300 + 50 = 1,400 ≠ 1,450 ✗ (residual 50)" in out
    assert "FLAGGED" in out and "1 flagged" in out


def test_json_report(files, capsys):
    _, bad, bal = files
    assert main(["check", "--json", str(bad), str(bal)]) == 1
    rep = json.loads(capsys.readouterr().out)
    assert rep["exit"] == 1 and rep["summary"]["flagged"] == 1 and rep["summary"]["ok"] == 1
    bad_doc = next(d for d in rep["documents"] if d["doc"] == "bad.htm")
    failed = [c for t in bad_doc["tables"] for c in t["checks"] if not c["passed"]]
    assert failed[0]["kind"] == "rollforward" and failed[0]["residual"] == 50
    assert failed[0]["cells"], "a failed check names its cells"


def test_quiet_shows_only_what_is_not_ok(files, capsys):
    good, bad, _ = files
    main(["check", "-q", str(good), str(bad)])
    out = capsys.readouterr().out
    assert "✗" in out and "1,000 + 500 − 350 + 50 = 1,200 ✓" not in out


def test_missing_input_is_an_error(tmp_path, capsys):
    assert main(["check", str(tmp_path / "nope.htm")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_report_of_a_document_built_by_hand():
    t = make_table(["Gross", "Allowance", "Net"], [("Region 1", ["1,000", "(50)", "950"]),
                                                  ("Total", ["1,000", "(50)", "951"])])
    doc = make_doc(t)
    prove_document(doc)
    text = render_text([doc])
    assert "✗ foot of column 2 'Net'" in text and "950 = 950 ≠ 951 ✗ (residual 1)" in text
    assert exit_code([doc]) == 1 and report_json([doc])["summary"]["checks_failed"] >= 1


def test_seed_pipes_and_cell_lines_prove_clean(capsys):
    """End to end on the two text seeds: every table ok, the tie-outs hold, exit 0."""
    from conftest import seed

    paths = [str(seed("000")), str(seed("001"))]
    assert main(["check", *paths]) == 0
    out = capsys.readouterr().out
    assert "272,036 + 474 + 337,090 − 421,568 = 188,032 ✓" in out
    assert "20,945 + 1,056,539 = 1,077,484 ✓" in out  # by-vintage total = AR + contract assets gross
    assert "✗" not in out and "0 flagged, 0 ambiguous" in out
    assert "prose: t1: the caption names 2020-12-31, 2021-06-30" in out
