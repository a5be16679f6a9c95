"""Property tests: generated rollforwards, balances and breakdowns (random labels, scales, signs
and column orders) pass when clean and are flagged when one figure is corrupted beyond rounding."""

from __future__ import annotations

from decimal import Decimal

from helpers_tables import make_table
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.checks import prove_table
from extractor.models import Cell, CellKind, Status

LABELS = ["North region", "Retail", "Segment A", "Product line 3", "Wholesale", "Consumer loans", "Corporate",
          "Asia Pacific", "Small business", "Mortgages", "Credit cards", "Line B", "Europe"]
OPENING = ["Opening balance", "Balance at beginning of year", "Beginning balance", "Balance, beginning of period"]
ENDING = ["Ending balance", "Balance at end of year", "Closing balance", "Balance, end of period"]
PROVISION = ["Provision", "Provision for credit losses", "Current period net provision", "Additions"]
WRITEOFF = ["Write-offs", "Charge-offs", "Amounts written off", "Deductions"]
RECOVERY = ["Recoveries", "Recoveries of amounts charged off"]
GROSS = ["Gross carrying amount", "Trade receivables", "Loans receivable", "Gross"]
ALLOW = ["Allowance for credit losses", "Loss allowance", "Allowance for doubtful accounts"]
NET = ["Net carrying amount", "Trade receivables, net", "Loans receivable, net", "Net"]

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def raw(v: Decimal, places: int, dash_zero: bool = True) -> str:
    if v == 0 and dash_zero:
        return "—"
    s = f"{abs(v):,.{places}f}"
    return f"({s})" if v < 0 else s


@st.composite
def amounts(draw, places: int, lo: int = 0, hi: int = 10**7) -> Decimal:
    return Decimal(draw(st.integers(lo, hi))).scaleb(-places)


@st.composite
def movement_across(draw):
    """Rows are subjects; columns run opening, flows (shuffled), ending; an optional Total row."""
    places = draw(st.sampled_from([0, 0, 1, 2]))
    labels = draw(st.lists(st.sampled_from(LABELS), min_size=1, max_size=4, unique=True))
    printed_negative = draw(st.booleans())
    flows = [("provision", draw(st.sampled_from(PROVISION))), ("writeoff", draw(st.sampled_from(WRITEOFF)))]
    if draw(st.booleans()):
        flows.append(("recovery", draw(st.sampled_from(RECOVERY))))
    flows = draw(st.permutations(flows))
    headers = [draw(st.sampled_from(OPENING))] + [h for _, h in flows] + [draw(st.sampled_from(ENDING))]
    rows, sums = [], None
    for label in labels:
        opening = draw(amounts(places))
        vals = {"provision": draw(amounts(places, -10**5, 10**6)), "writeoff": draw(amounts(places, 0, 10**6)),
                "recovery": draw(amounts(places, 0, 10**4))}
        ending = opening + vals["provision"] - vals["writeoff"] + (vals["recovery"] if len(flows) == 3 else 0)
        printed = [opening] + [(-vals[r] if r == "writeoff" and printed_negative else vals[r]) for r, _ in flows]
        printed.append(ending)
        rows.append((label, printed))
        sums = printed if sums is None else [a + b for a, b in zip(sums, printed)]
    if len(rows) > 1 and draw(st.booleans()):
        rows.append(("Total", sums))
    return make_table(headers, [(lab, [raw(v, places) for v in vs]) for lab, vs in rows]), places


@st.composite
def movement_down(draw):
    """Rows run opening, flows, ending; columns are years (random count and order)."""
    places = draw(st.sampled_from([0, 1]))
    n = draw(st.integers(1, 3))
    years = draw(st.permutations([str(y) for y in range(2019, 2019 + n)]))
    printed_negative = draw(st.booleans())
    cols = []
    for _ in years:
        o, p, w = draw(amounts(places)), draw(amounts(places, -10**4, 10**6)), draw(amounts(places, 0, 10**6))
        cols.append([o, p, -w if printed_negative else w, o + p - w])
    labels = [draw(st.sampled_from(OPENING)), draw(st.sampled_from(PROVISION)), draw(st.sampled_from(WRITEOFF)),
              draw(st.sampled_from(ENDING))]
    rows = [(labels[i], [raw(c[i], places) for c in cols]) for i in range(4)]
    return make_table(list(years), rows), places


@st.composite
def balance(draw):
    """gross, allowance, net in a random column order; allowance printed negative or as a 'less'."""
    places = draw(st.sampled_from([0, 0, 2]))
    labels = draw(st.lists(st.sampled_from(LABELS), min_size=1, max_size=4, unique=True))
    positive_less = draw(st.booleans())
    allow_header = ("Less: " if positive_less else "") + draw(st.sampled_from(ALLOW))
    order = draw(st.permutations([0, 1, 2]))
    headers = [draw(st.sampled_from(GROSS)), allow_header, draw(st.sampled_from(NET))]
    rows = []
    for label in labels:
        g = draw(amounts(places, 1))
        a = draw(st.integers(0, int(g.scaleb(places)))) * Decimal(1).scaleb(-places)
        rows.append((label, [g, a if positive_less else -a, g - a]))
    if len(rows) > 1:
        rows.append(("Total", [sum(r[1][k] for r in rows) for k in range(3)]))
    table = make_table([headers[k] for k in order],
                       [(lab, [raw(vs[k], places, dash_zero=False) for k in order]) for lab, vs in rows])
    return table, places


@st.composite
def breakdown(draw):
    """Component rows and a Total row; year columns and a Total column."""
    places = draw(st.sampled_from([0, 1]))
    labels = draw(st.lists(st.sampled_from(LABELS), min_size=2, max_size=5, unique=True))
    years = [str(2024 - k) for k in range(draw(st.integers(1, 4)))]
    rows = []
    for label in labels:
        vals = [draw(amounts(places)) for _ in years]
        rows.append((label, vals + [sum(vals)]))
    rows.append(("Total", [sum(r[1][k] for r in rows) for k in range(len(years) + 1)]))
    return make_table(years + ["Total"], [(lab, [raw(v, places) for v in vs]) for lab, vs in rows]), places


TABLES = st.one_of(movement_across(), movement_down(), balance(), breakdown())


@SETTINGS
@given(TABLES)
def test_clean_generated_tables_pass(generated):
    table, _ = generated
    prove_table(table)
    assert table.checks, f"no check ran on {table.to_context()}"
    assert table.status == Status.ok, [c.expression for c in table.checks if not c.passed]


@SETTINGS
@given(TABLES, st.data())
def test_one_corrupted_figure_is_flagged(generated, data):
    table, places = generated
    prove_table(table)
    covered = sorted({(r.row, r.column) for c in table.checks for r in c.cells})
    i, j = data.draw(st.sampled_from(covered))
    unit = Decimal(1).scaleb(-places)
    n_terms = max(len(c.cells) for c in table.checks)
    delta = data.draw(st.integers(n_terms, 10**6)) * unit * data.draw(st.sampled_from([1, -1]))
    old = table.rows[i].cells[j].value or Decimal(0)
    new = old + delta
    table.rows[i].cells[j] = Cell(raw=raw(new, places, dash_zero=False), value=new, kind=CellKind.number)
    prove_table(table)
    assert table.status == Status.flagged
    failed = [c for c in table.checks if not c.passed]
    assert any((r.row, r.column) == (i, j) for c in failed for r in c.cells)
