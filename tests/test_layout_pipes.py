"""The pipe-flattened layout: seed 000 against its hand-built gold, the detector, invented
tables (fixtures and generated ones), and lines cut off mid-row."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evals.gold import load_gold, score_document
from extractor.extract import extract_path
from extractor.layouts import detect, pipes
from extractor.models import Layout, Status
from extractor.read import read_path, read_text

FIX = Path(__file__).parent / "fixtures"
SEED0 = FIX / "seeds" / "000_83a695f89e1b9147.txt"
SYN = FIX / "synthetic"


def _parse(path: Path):
    src = read_path(path)
    tables = pipes.parse(src)
    for i, t in enumerate(tables, 1):
        t.table_id = f"t{i}"
    return src, tables


def _dec(v):
    return None if v is None else Decimal(v)


# ----------------------------------------------------------------------------- seed 000


def test_seed000_scores_exact_against_gold():
    doc = extract_path(SEED0)
    gold = load_gold(SEED0.name)
    s = score_document(doc.tables, gold)
    assert doc.layout == Layout.pipes
    assert (s.fp, s.fn, s.wrong_placed) == (0, 0, 0), s.errors[:5]
    assert s.tables_exact == len(gold["tables"]) == 13


def test_seed000_every_cell_header_period_label_matches_gold():
    """Cell by cell (the scorer keys cells by period, so same-period columns are checked here)."""
    _, tables = _parse(SEED0)
    gold = load_gold(SEED0.name)["tables"]
    assert len(tables) == len(gold)
    n = 0
    for t, g in zip(tables, gold):
        assert (t.title, t.caption, t.scale) == (g["title"], g["caption"], g["scale"])
        assert [c.header for c in t.columns] == [c["header"] for c in g["columns"]]
        assert [c.period.key for c in t.columns] == [c["period"] for c in g["columns"]]
        assert [r.label for r in t.rows] == [r["label"] for r in g["rows"]]
        for r, gr in zip(t.rows, g["rows"]):
            assert r.values == [_dec(v) for v in gr["values"]], (t.table_id, r.label)
            n += len(r.values)
        assert all(c.status == Status.ok for r in t.rows for c in r.cells)
    assert n == 169


def test_seed000_spans_point_at_the_cells():
    src, tables = _parse(SEED0)
    for t in tables:
        assert t.layout == Layout.pipes and t.source is not None
        for r in t.rows:
            assert src.text[r.source.char_start:r.source.char_end].startswith(r.label)
            for c in r.cells:
                assert src.text[c.source.char_start:c.source.char_end] == c.raw
                assert c.source.line_start == t.source.line_start


def test_seed000_structure_notes_and_roles():
    _, t = _parse(SEED0)
    assert [x.kind for x in t] == ["balance"] * 4 + ["movement"] * 3 + ["balance"] + ["movement"] * 3 + ["breakdown"] * 2
    assert [c.role for c in t[4].columns] == ["opening", "reclassification", "provision", "writeoff", "ending"]
    assert [r.is_total for r in t[6].rows] == [False, False, False, True]
    # footnotes: (1) Jinshang on the tables citing Reclassification(1), (2) Kincheng on (2)
    assert any(n.startswith("(1) Jinshang") for n in t[4].notes)
    assert any(n.startswith("(2) Kincheng") for n in t[6].notes)
    assert not any("Kincheng" in n for n in t[4].notes)
    # the continued movement table keeps the caption of the one it continues
    assert t[6].caption == t[5].caption and t[6].title == t[0].title


# ----------------------------------------------------------------------------- detector


@pytest.mark.parametrize("name", ["001_1c603578861a95ba.txt", "002_f875258200c9b815.txt",
                                  "003_213d149a13cd0eb8.txt"])
def test_detector_is_low_on_other_seed_layouts(name):
    assert pipes.score(read_path(FIX / "seeds" / name)) < 0.1


def test_detector_high_on_pipes_and_low_on_row_lines():
    assert pipes.score(read_path(SEED0)) > 0.8
    assert detect(read_path(SEED0)) == Layout.pipes
    for p in SYN.glob("pipes_*.txt"):
        assert pipes.score(read_path(p)) > 0.8, p.name
    for p in SYN.glob("row_lines_*.txt"):
        assert pipes.score(read_path(p)) == 0, p.name


# ----------------------------------------------------------------------------- fixtures


def test_income_table_dollar_marks_split_negatives_spanning_header():
    _, (t,) = _parse(SYN / "pipes_income_millions.txt")
    assert t.title == "NOTE 7 — OTHER INCOME (EXPENSE), NET"
    assert t.caption == "The components of other income (expense), net were as follows:"
    assert (t.scale, t.currency) == (10**6, "USD")
    assert [c.header for c in t.columns] == ["Year Ended December 31, 2022", "Year Ended December 31, 2021"]
    assert [c.period.key for c in t.columns] == ["2022-01-01..2022-12-31", "2021-01-01..2021-12-31"]
    assert [r.label for r in t.rows][-1] == "Total other income (expense), net"
    assert [r.values for r in t.rows] == [[1204, 848], [-312, -45], [0, -1018], [892, -215]]
    assert t.rows[0].cells[0].currency == "USD" and t.rows[3].is_total


def test_six_column_rollforward_without_spacers_and_continued_table():
    _, (a, b) = _parse(SYN / "pipes_rollforward_six.txt")
    assert a.kind == b.kind == "movement"
    assert [c.role for c in a.columns] == ["opening", "provision", "writeoff", "recovery", "other", "ending"]
    assert [c.period.key for c in a.columns] == ["2024-01-01"] + ["2024-01-01..2024-12-31"] * 4 + ["2024-12-31"]
    assert [c.period.key for c in b.columns][-1] == "2025-12-31"
    assert [r.values for r in a.rows][1] == [2250, 610, -700, 90, 0, 2250]
    assert [r.values for r in b.rows][2] == [3690, 465, -1205, 10, 12, 2972]
    assert a.rows[1].label == "Consumer loans" and a.rows[1].notes == ["a"]
    # the continuation keeps title, caption, scale and currency; the footnote reaches both
    assert (b.title, b.caption, b.scale, b.currency) == (a.title, a.caption, 1000, "CNY")
    assert all("(a) Includes credit card receivables." in t.notes for t in (a, b))
    for t in (a, b):  # rollforward holds in every row (a parse slip would break it)
        for r in t.rows:
            assert sum(r.values[:-1]) == r.values[-1]


def test_vintage_line_with_two_as_of_dates_is_two_tables():
    _, (a, b) = _parse(SYN / "pipes_vintage_two_dates.txt")
    assert [c.header for c in a.columns] == ["2025", "2024", "Total"] == [c.header for c in b.columns]
    assert {c.period.key for c in a.columns} == {"2025-06-30"}
    assert {c.period.key for c in b.columns} == {"2024-12-31"}
    assert [r.values for r in a.rows] == [[900, 100, 1000], [45, 5, 50]]
    assert [r.values for r in b.rows] == [[0, 1100, 1100], [0, 70, 70]]


def test_cut_off_table_warns_and_never_trusts_the_truncated_value():
    _, (t,) = _parse(SYN / "pipes_cutoff.txt")
    assert t.warnings and "mid-row" in t.warnings[0]
    total = t.rows[-1]
    assert total.label == "Total" and total.cells[0].value == 5800
    assert total.cells[1].status == Status.ambiguous and total.cells[1].value is None
    assert t.status == Status.ambiguous
    assert [r.values for r in t.rows[:2]] == [[5000, -250, 4750], [800, -40, 760]]


# ----------------------------------------------------------------------------- generated


VOCAB_COLS = ["Gross carrying amount", "Accumulated amortization", "Net carrying amount", "Fair value",
              "Unrealized gains", "Unrealized losses", "Amortized cost", "Carrying value"]
VOCAB_ROWS = ["Customer relationships", "Software", "Trade names", "Corporate bonds", "Municipal securities",
              "Leasehold improvements", "Other"]
FLOWS = ["Provision for credit losses", "Write-offs", "Recoveries", "Foreign currency translation"]


def _fmt(rng: random.Random, v: int) -> str:
    if v == 0:
        return rng.choice(["—", "-", "–"])
    s = f"{abs(v):,}"
    return f"({s})" if v < 0 else s


def _fragments(rng: random.Random, header: str, depth: int) -> list[str]:
    words = header.split()
    k = min(depth, len(words))
    cuts = sorted(rng.sample(range(1, len(words)), k - 1)) if k > 1 else []
    parts = [" ".join(words[a:b]) for a, b in zip([0] + cuts, cuts + [len(words)])]
    return [""] * (depth - len(parts)) + parts  # bottom-aligned, as HTML headers are


def _gen_table(rng: random.Random):
    kind = rng.choice(["balance", "vintage", "movement"])
    n = rng.randint(2, 6)
    year = rng.randint(2015, 2030)
    if kind == "balance":
        d = rng.choice([date(year, 3, 31), date(year, 6, 30), date(year, 9, 30), date(year, 12, 31)])
        headers = rng.sample(VOCAB_COLS, n)
        periods = [d.isoformat()] * n
        stub = f"As of {d:%B} {d.day}, {year}"
    elif kind == "vintage":
        headers = [str(year - k) for k in range(n - 1)] + ["Total"]
        periods = [f"{year}-12-31"] * n
        stub = f"As of December 31, {year}"
    else:
        n = max(n, 3)
        flows = FLOWS[: n - 2]
        headers = [f"Opening balance as of January 1, {year}"] + flows + [f"Ending balance as of December 31, {year}"]
        periods = [f"{year}-01-01"] + [f"{year}-01-01..{year}-12-31"] * len(flows) + [f"{year}-12-31"]
        stub = ""
    labels = rng.sample(VOCAB_ROWS, rng.randint(1, 5)) + (["Total"] if rng.random() < 0.7 else [])
    values = [[rng.choice([0, rng.randint(-99_999_999, 99_999_999), rng.randint(-999, 999)])
               for _ in headers] for _ in labels]
    return kind, headers, periods, stub, labels, values


def _render(rng: random.Random, kind, headers, stub, labels, values) -> str:
    spacer = rng.random() < 0.6
    depth = max(1, min(3, max(len(h.split()) for h in headers)))
    frag_cols = [_fragments(rng, h, depth) for h in headers]

    def row(label: str, cells: list[str]) -> list[str]:
        out = [label]
        for c in cells:
            out += ([""] if spacer else []) + [c]
        return out

    rows = []
    for k in range(depth):
        rows.append(row(stub if (k == depth - 1 and kind == "balance") else "", [f[k] for f in frag_cols]))
    if kind == "vintage":
        rows.append(row(stub, [""] * len(headers)))
    for lab, vals in zip(labels, values):
        rows.append(row(lab, [_fmt(rng, v) for v in vals]))
    width = len(rows[0])
    lead = [""] * rng.randint(0, width - 1)
    cells = lead + [c for r in rows for c in r]
    body = "| " + " | ".join(cells) + " |"
    while "|  |" in body:
        body = body.replace("|  |", "| |")
    return "9. INVESTMENTS The balances are as follows (in thousands): " + body + "\n"


@pytest.mark.parametrize("seed", range(40))
def test_generated_pipe_tables_parse_exactly(seed):
    rng = random.Random(seed)
    kind, headers, periods, stub, labels, values = _gen_table(rng)
    text = _render(rng, kind, headers, stub, labels, values)
    (t,) = pipes.parse(read_text(text))
    assert [c.header for c in t.columns] == headers, text
    assert [c.period.key for c in t.columns] == periods, text
    assert [r.label for r in t.rows] == labels, text
    assert [r.values for r in t.rows] == [[Decimal(v) for v in vals] for vals in values], text
    assert t.scale == 1000 and t.title == "9. INVESTMENTS"


@pytest.mark.parametrize("seed", range(12))
def test_lines_cut_anywhere_never_give_wrong_numbers(seed):
    """Cut a generated line at every position: no crash, and every value that is placed
    and not flagged is the true value of its row and column."""
    rng = random.Random(1000 + seed)
    kind, headers, periods, stub, labels, values = _gen_table(rng)
    text = _render(rng, kind, headers, stub, labels, values).rstrip("\n")
    start = text.index("|")
    for cut in range(start, len(text), 3):
        tables = pipes.parse(read_text(text[:cut]))
        truth = dict(zip(labels, values))
        for t in tables:
            for r in t.rows:
                for j, c in enumerate(r.cells):
                    if c.value is not None and c.status == Status.ok:
                        assert r.label in truth and c.value == truth[r.label][j], (cut, text[:cut][-50:])


def test_new_note_heading_resets_the_carried_caption():
    text = ("3. RECEIVABLES Receivables are as follows: | | | Gross | | Net | Trade | | 100 | | 90 | "
            "Other | | 20 | | 20 |\n"
            "| 4. INVENTORIES |\n"
            "| | | 2024 | | 2023 | Raw materials | | 5 | | 7 | Finished goods | | 9 | | 3 |\n"
            "4. INVENTORIES – continued | | | 2024 | | 2023 | Supplies | | 1 | | 2 | Spares | | 4 | | 6 |\n")
    a, b, c = pipes.parse(read_text(text))
    assert (a.title, a.caption) == ("3. RECEIVABLES", "Receivables are as follows:")
    assert (b.title, b.caption) == ("4. INVENTORIES", "")
    assert (c.title, c.caption) == ("4. INVENTORIES", "")
    assert [r.values for r in c.rows] == [[1, 2], [4, 6]]
    assert [x.source.line_start for x in (a, b, c)] == [1, 3, 4]


_PIECES = st.sampled_from(["|", " | ", "| |", "Total", "As of December 31, 2024", "(1)", "2024", "1,234",
                           "(56", ")", "—", "$", "Net", "\n", "abc", "12.5%", "continued", "NOTE 3."])


@settings(max_examples=150, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=60))
def test_arbitrary_pipe_text_never_crashes(pieces):
    text = " ".join(pieces)
    if not text.strip():
        return
    src = read_text(text)
    assert 0.0 <= pipes.score(src) <= 1.0
    for t in pipes.parse(src):
        for r in t.rows:
            assert len(r.cells) == len(t.columns)
        t.to_record()
