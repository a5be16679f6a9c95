"""Synthetic note documents whose arithmetic holds, with their gold, for bulk runs and evals.

``generate(n, seed, out_dir, layouts=("html",))`` writes ``n`` documents (random note
titles, row labels, periods, scales, currencies) and a gold file per document in the
``evals/gold.py`` format under ``out_dir/gold/``. Every table obeys its identity:

- rollforward (down rows): opening + provision − write-offs (+ recoveries) = ending, and
  each period's opening is the previous period's ending;
- balance (across columns): gross − allowance = net, components foot to the total;
- breakdown: the components foot to the total in every period column.

Layouts: ``html`` is rendered here (simple ``<table>`` markup under a heading and a
caption); ``html_filing`` (filing-style markup), ``pipes``, ``cell_lines`` and ``row_lines``
use ``evals.render``.

    python -m evals.synth 100 --seed 7 --out /tmp/synth
"""

from __future__ import annotations

import argparse
import calendar
import html
import json
import random
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from extractor.errors import BadInputError

SUBJECTS = ["Accounts receivable", "Contract assets", "Loans receivable", "Notes receivable",
            "Lease receivables", "Unbilled receivables", "Financing receivables", "Trade receivables",
            "Royalty receivables", "Installment receivables"]
SEGMENTS = ["Consumer", "Commercial", "Government", "Licensing", "Hardware", "Services", "Cloud",
            "Advertising", "Wholesale", "Retail", "Maintenance", "Subscriptions", "Europe", "Asia Pacific",
            "Americas", "Energy", "Healthcare", "Education", "Logistics", "Construction"]
OPENING = ["Balance at beginning of period", "Beginning balance", "Balance, beginning of year",
           "Opening balance"]
PROVISION = ["Provision for credit losses", "Charged to costs and expenses", "Additions",
             "Provision for doubtful accounts"]
WRITEOFF = ["Write-offs", "Amounts written off", "Charge-offs", "Deductions"]
RECOVERY = ["Recoveries", "Recoveries of amounts previously written off"]
ENDING = ["Balance at end of period", "Ending balance", "Balance, end of year", "Closing balance"]
SCALES = [(1, ""), (1000, "in thousands"), (1_000_000, "in millions")]
CURRENCIES = [("USD", "$"), ("USD", "$"), ("EUR", "€"), ("CNY", "RMB ")]


def _money(rng: random.Random, lo: int = 50, hi: int = 90_000) -> int:
    return rng.randint(lo, hi)


def _period_end(rng: random.Random) -> tuple[date, int]:
    year = rng.randint(2001, 2035)
    month, months = rng.choice([(12, 12), (12, 12), (6, 6), (9, 9), (3, 3), (6, 12)])
    return date(year, month, calendar.monthrange(year, month)[1]), months


def _shift_year(d: date, k: int) -> date:
    return date(d.year + k, d.month, calendar.monthrange(d.year + k, d.month)[1])


def _start_of(end: date, months: int) -> date:
    m = end.month - months + 1
    y = end.year + (m - 1) // 12
    return date(y, (m - 1) % 12 + 1, 1)


def _duration_header(end: date, months: int) -> str:
    word = {12: "Year", 3: "Three Months", 6: "Six Months", 9: "Nine Months"}[months]
    what = "Year Ended" if months == 12 else f"{word} Ended"
    return f"{what} {calendar.month_name[end.month]} {end.day}, {end.year}"


def rollforward(rng: random.Random, subject: str) -> dict[str, Any]:
    end, months = _period_end(rng)
    n = rng.choice([2, 3])
    ends = [_shift_year(end, -k) for k in range(n)]  # newest first, as filings print them
    has_rec = rng.random() < 0.5
    labels = [rng.choice(OPENING), rng.choice(PROVISION), rng.choice(WRITEOFF)]
    labels += [rng.choice(RECOVERY)] if has_rec else []
    labels += [rng.choice(ENDING)]
    cols: list[list[int]] = []
    opening = _money(rng)
    for _ in ends[::-1]:  # oldest first, so each opening is the previous ending
        prov, wo = _money(rng, 0, opening), -_money(rng, 0, opening)
        rec = _money(rng, 0, max(1, opening // 10)) if has_rec else 0
        closing = opening + prov + wo + rec
        cols.append([opening, prov, wo] + ([rec] if has_rec else []) + [closing])
        opening = closing
    cols = cols[::-1]
    rows = [{"label": lab, "values": [str(c[i]) for c in cols]} for i, lab in enumerate(labels)]
    columns = [{"header": _duration_header(e, months),
                "period": f"{_start_of(e, months).isoformat()}..{e.isoformat()}"} for e in ends]
    return {"kind": "rollforward", "title_word": f"Allowance for credit losses on {subject.lower()}",
            "columns": columns, "rows": rows}


def balance(rng: random.Random, subject: str) -> dict[str, Any]:
    d, _ = _period_end(rng)
    parts = rng.sample(SEGMENTS, rng.randint(2, 5))
    rows, tot = [], [0, 0, 0]
    for p in parts:
        gross = _money(rng)
        allow = rng.randint(0, gross // 5)
        vals = [gross, allow, gross - allow]
        tot = [a + b for a, b in zip(tot, vals)]
        rows.append({"label": f"{subject} — {p}", "values": [str(v) for v in vals]})
    rows.append({"label": "Total", "values": [str(v) for v in tot]})
    when = f"{calendar.month_name[d.month]} {d.day}, {d.year}"
    heads = [subject, f"Allowance for credit losses on {subject.lower()}", f"{subject}, net"]
    columns = [{"header": f"{h} as of {when}", "period": d.isoformat()} for h in heads]
    return {"kind": "balance", "title_word": subject, "columns": columns, "rows": rows}


def breakdown(rng: random.Random, subject: str) -> dict[str, Any]:
    d, _ = _period_end(rng)
    dates = [_shift_year(d, -k) for k in range(rng.choice([2, 3]))]
    parts = rng.sample(SEGMENTS, rng.randint(2, 6))
    grid = [[_money(rng) for _ in dates] for _ in parts]
    rows = [{"label": p, "values": [str(v) for v in vals]} for p, vals in zip(parts, grid)]
    rows.append({"label": f"Total {subject.lower()}", "values": [str(sum(c)) for c in zip(*grid)]})
    columns = [{"header": f"{calendar.month_name[x.month]} {x.day}, {x.year}", "period": x.isoformat()}
               for x in dates]
    return {"kind": "breakdown", "title_word": f"{subject} by segment", "columns": columns, "rows": rows}


KINDS = {"rollforward": rollforward, "balance": balance, "breakdown": breakdown}


def document(rng: random.Random, doc: str) -> dict[str, Any]:
    """One gold-format document with 1-3 tables under one note heading."""
    subject = rng.choice(SUBJECTS)
    note = rng.randint(2, 24)
    scale, scale_text = rng.choice(SCALES)
    currency, mark = rng.choice(CURRENCIES)
    tables = []
    for i, kind in enumerate(rng.sample(list(KINDS), rng.randint(1, 3)), 1):
        t = KINDS[kind](rng, subject)
        unit = f" ({scale_text})" if scale_text else ""
        t.update(index=i, title=f"{note}. {subject.upper()}", scale=scale, currency=currency, mark=mark,
                 caption=f"The following table presents {t.pop('title_word').lower()}{unit}:")
        for c in t["columns"]:
            c["currency"] = currency
        tables.append(t)
    return {"doc": doc, "tables": tables}


def _fmt(v: str, mark: str, first: bool) -> str:
    d = Decimal(v)
    if d == 0:
        return "—"
    s = f"{abs(d):,}"
    s = f"({s})" if d < 0 else s
    return f"{mark}{s}" if first else s


def render_html(gold: dict[str, Any]) -> str:
    """Simple filing-like HTML: a note heading, then per table a caption and a <table>."""
    out = ["<html><body>", f"<h2>{html.escape(gold['tables'][0]['title'])}</h2>"]
    for t in gold["tables"]:
        out.append(f"<p>{html.escape(t['caption'])}</p>")
        out.append("<table>")
        out.append("<tr><td></td>" + "".join(f"<th>{html.escape(c['header'])}</th>" for c in t["columns"]) + "</tr>")
        for k, r in enumerate(t["rows"]):
            first = k == 0 or r["label"].lower().startswith("total")
            cells = "".join(f"<td>{html.escape(_fmt(v, t['mark'], first))}</td>" for v in r["values"])
            out.append(f"<tr><td>{html.escape(r['label'])}</td>{cells}</tr>")
        out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _renderer(layout: str):
    """(document renderer, file suffix) for a layout name."""
    if layout == "html":
        return render_html, ".htm"
    try:
        from evals import render
    except ImportError as e:
        raise BadInputError(f"layout {layout!r} needs evals/render.py, which is not there yet; "
                            "use layouts=('html',)") from e
    if layout == "html_filing":
        return render.render_document, ".htm"
    fn = getattr(render, f"render_{layout}", None)
    if fn is None or layout not in LAYOUTS:
        raise BadInputError(f"unknown layout {layout!r}; known: {', '.join(LAYOUTS)}")

    def text_document(gold: dict[str, Any]) -> str:
        tables = "\n\n".join(fn(t) for t in gold["tables"])
        return f"{gold['tables'][0]['title']}\n\n{tables}\n"

    return text_document, ".txt"


LAYOUTS = ("html", "html_filing", "pipes", "cell_lines", "row_lines")


def generate(n: int, seed: int, out_dir: Path | str, layouts: tuple[str, ...] = ("html",),
             gold_dir: Path | str | None = None) -> list[Path]:
    """Write n documents (layouts used in turn), and their gold when gold_dir is given;
    return the document paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if gold_dir is not None:
        Path(gold_dir).mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    renderers = [_renderer(x) for x in layouts]
    paths = []
    for k in range(n):
        fn, suffix = renderers[k % len(renderers)]
        name = f"synth_{seed}_{k:05d}{suffix}"
        gold = document(rng, name)
        if suffix == ".txt":  # the text layouts print no currency marks: the truth has none
            for t in gold["tables"]:
                t["currency"], t["mark"] = None, ""
                for c in t["columns"]:
                    c["currency"] = None
        path = out_dir / name
        path.write_text(fn(gold), encoding="utf-8")
        if gold_dir is not None:
            clean = {"doc": name, "tables": [{k2: v for k2, v in t.items() if k2 != "mark"}
                                             for t in gold["tables"]]}
            (Path(gold_dir) / f"{name}.json").write_text(json.dumps(clean, indent=1))
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m evals.synth", description=__doc__.split("\n")[0])
    p.add_argument("n", type=int)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", required=True)
    p.add_argument("--gold", help="also write gold files (evals/gold.py format) here")
    p.add_argument("--layout", action="append", help="html (default), html_filing, pipes, cell_lines, row_lines")
    a = p.parse_args(argv)
    paths = generate(a.n, a.seed, a.out, tuple(a.layout or ["html"]), a.gold)
    print(f"{len(paths)} documents under {a.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
