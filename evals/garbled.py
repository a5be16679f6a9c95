"""The garbled corpus: gold tables rendered as text and degraded the way copied filings are.

Seeded and deterministic. Each garbled document holds ONE table (from the seed gold files
in evals/gold/ and from tables invented by evals.synth), rendered as ``row_lines`` (one
row per line) or ``cell_lines`` (one cell per line), with one degradation:

- ``wrap_labels``      long row labels wrapped over two lines
- ``merge_values``     a row's values merged onto one line (cell_lines)
- ``drop_dashes``      "—" cells dropped (their gold cell becomes null: nothing is printed)
- ``shuffle_headers``  the header lines in a different order
- ``lose_separators``  "1,234" printed as "1234"
- ``page_noise``       "Page 12" and the company name inserted between rows
- ``ocr_digits``       O for 0, l for 1, S for 5 inside some numbers (gold keeps the truth)

The gold of a garbled table is its source gold with members, sections and currencies
removed (the text no longer shows them). ``run_garbled_eval`` extracts every document with
the deterministic pipeline, scores it (evals.gold.score_document), then runs the LLM
fallback (extractor.fallback.apply_fallback) on what the pipeline itself would send.

    python -m evals.garbled            # prints the eval as JSON
    python -m evals.garbled --write evals/garbled   # writes the corpus and its gold
"""

from __future__ import annotations

import argparse
import calendar
import copy
import inspect
import json
import random
import re
import textwrap
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from evals.gold import GOLD_DIR, Score, gold_docs, load_gold, score_document

DEGRADATIONS = ("wrap_labels", "merge_values", "drop_dashes", "shuffle_headers",
                "lose_separators", "page_noise", "ocr_digits")
LAYOUTS = ("row_lines", "cell_lines")
COMPANIES = ["Northwind Holdings Ltd.", "Blue Heron Group Inc.", "Qilin Finance Co., Ltd.",
             "Copperline Industries plc"]


@dataclass
class Line:
    kind: str  # title | caption | period | header | row | label | value | noise
    text: str
    row: int | None = None


@dataclass
class Garbled:
    doc: str
    degradation: str
    layout: str
    text: str
    gold: dict[str, Any] = field(default_factory=dict)
    style: str = "page"


# ---------------------------------------------------------------- source tables


def _clean(table: dict[str, Any]) -> dict[str, Any]:
    t = copy.deepcopy(table)
    t.pop("mark", None)
    t["index"], t["currency"] = 1, None
    t["ambiguous_ok"] = []
    for c in t["columns"]:
        c["currency"] = None
    for r in t["rows"]:
        r["members"], r["section"] = [], None
    return t


def seed_tables(limit: int = 10, gold_dir: Path = GOLD_DIR) -> list[dict[str, Any]]:
    """Distinct seed gold tables (by shape and headers), in document order, at most ``limit``."""
    seen, out = set(), []
    for doc in gold_docs(gold_dir):
        for t in load_gold(doc, gold_dir)["tables"]:
            key = (len(t["rows"]), tuple(c["header"] for c in t["columns"]))
            if key in seen or len(t["columns"]) > 8 or not t["rows"]:
                continue
            seen.add(key)
            out.append(_clean(t))
    return out[:limit]


def invented_tables(n: int = 10, seed: int = 11) -> list[dict[str, Any]]:
    """Tables evals.synth invents (random labels, periods, scales; their arithmetic holds)."""
    from evals import synth

    rng, out = random.Random(seed), []
    while len(out) < n:
        doc = synth.document(rng, f"invented_{len(out)}")
        out.extend(_clean(t) for t in doc["tables"])
    return out[:n]


# ---------------------------------------------------------------- rendering


def fmt_value(v: str | None, *, separators: bool = True) -> str:
    if v is None:
        return ""
    d = Decimal(v)
    if d == 0:
        return "—"
    body = f"{abs(d):,}" if separators else f"{abs(d)}"
    return f"({body})" if d < 0 else body


def _long_date(iso: str) -> str:
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{calendar.month_name[m]} {d}, {y}"


def period_line(t: dict[str, Any]) -> str | None:
    """'As of …' / 'For the N months ended …' when the headers do not carry the period."""
    periods = {c.get("period") for c in t["columns"]}
    if len(periods) != 1 or None in periods:
        return None
    p = periods.pop()
    if any(re.search(r"(19|20)\d\d", c["header"]) and not re.fullmatch(r"(19|20)\d\d", c["header"])
           for c in t["columns"]):
        return None
    if ".." not in p:
        return f"As of {_long_date(p)}"
    a, b = p.split("..")
    months = (int(b[:4]) - int(a[:4])) * 12 + int(b[5:7]) - int(a[5:7]) + 1
    return f"For the {'year' if months == 12 else f'{months} months'} ended {_long_date(b)}"


def _intro(t: dict[str, Any]) -> list[Line]:
    caption = t.get("caption") or "The table below presents the balances:"
    if t.get("scale", 1) == 1000 and "thousand" not in caption.lower():
        caption += " (in thousands)"
    return [Line("title", t.get("title") or "NOTES TO THE FINANCIAL STATEMENTS"), Line("caption", caption)]


def render_row_lines(t: dict[str, Any], *, width: int = 16) -> list[Line]:
    """Label, then values right-aligned; headers wrapped and bottom-aligned over their column;
    the period ("As of …") in the label column of the last header line, as a page shows it."""
    period = period_line(t) or ""
    label_w = max([len(r["label"]) for r in t["rows"]] + [len(period)]) + 2
    wrapped = [textwrap.wrap(c["header"], width) or [""] for c in t["columns"]]
    height = max(len(w) for w in wrapped)
    lines = _intro(t)
    for k in range(height):
        cells = [(w[k - (height - len(w))] if k >= height - len(w) else "") for w in wrapped]
        left = period if k == height - 1 else ""
        lines.append(Line("header", (left.ljust(label_w) + "".join(c.rjust(width + 2) for c in cells)).rstrip()))
    for i, r in enumerate(t["rows"]):
        vals = "".join(fmt_value(v).rjust(width + 2) for v in r["values"])
        lines.append(Line("row", r["label"].ljust(label_w) + vals, i))
    return lines


def render_cell_lines(t: dict[str, Any], *, words: int = 3) -> list[Line]:
    stacks = []
    for c in t["columns"]:
        w = c["header"].split()
        stacks.append([" ".join(w[k:k + words]) for k in range(0, len(w), words)] or [""])
    height = max(len(s) for s in stacks)
    lines, period = _intro(t), period_line(t)
    for k in range(height):  # bottom-aligned stacks, read row by row (as HTML draws them)
        if period and k == height - 1:  # the label column's cell of the last header row (seed 001)
            lines.append(Line("header", period))
        for s in stacks:
            if k >= height - len(s):
                lines.append(Line("header", s[k - (height - len(s))]))
    for i, r in enumerate(t["rows"]):
        lines.append(Line("label", r["label"], i))
        lines += [Line("value", fmt_value(v), i) for v in r["values"] if v is not None]
    return lines


# ---------------------------------------------------------------- degradations


def _wrap_labels(lines: list[Line], rng: random.Random) -> list[Line]:
    out = []
    for ln in lines:
        label = ln.text.split("  ")[0] if ln.kind == "row" else ln.text if ln.kind == "label" else ""
        words = label.split()
        if len(words) >= 3:
            cut = len(words) // 2
            head, rest = " ".join(words[:cut]), " ".join(words[cut:])
            out.append(Line("label", head, ln.row))
            # the values keep their page position: pad the rest of the label to the full width
            tail = rest.ljust(len(label)) + ln.text[len(label):] if ln.kind == "row" else rest
            out.append(Line(ln.kind, tail, ln.row))
        else:
            out.append(ln)
    return out


def _merge_values(lines: list[Line], rng: random.Random) -> list[Line]:
    out: list[Line] = []
    for ln in lines:
        if ln.kind == "value" and out and out[-1].kind == "value" and out[-1].row == ln.row:
            out[-1] = Line("value", out[-1].text + " " + ln.text, ln.row)
        else:
            out.append(ln)
    return out


def _drop_dashes(lines: list[Line], rng: random.Random) -> list[Line]:
    out = []
    for ln in lines:
        if ln.kind == "value" and ln.text == "—":
            continue
        if ln.kind == "row":
            ln = Line("row", ln.text.replace("—", " "), ln.row)
        out.append(ln)
    return out


def _split_header_line(text: str) -> list[str]:
    """One '  '-joined header line as two: each column's words halved (the first half on the
    upper line, a one-word header only on the lower), each half at its column's start."""
    parts = [(m.start(), m.group()) for m in re.finditer(r"\S+(?: \S+)*", text)]
    top, bottom = "", ""
    for start, part in parts:
        words = part.split()
        cut = len(words) // 2
        head, tail = " ".join(words[:cut]), " ".join(words[cut:])
        if head:
            top = top.ljust(start) + head
        bottom = bottom.ljust(start) + tail
    return [top, bottom] if top.strip() else [text]


def _shuffle_headers(lines: list[Line], rng: random.Random) -> list[Line]:
    """The header lines in another order. A header printed on one line (plain text) is
    first broken over two lines, each column's words halved, so there is an order to lose."""
    idx = [k for k, ln in enumerate(lines) if ln.kind == "header"]
    if len(idx) == 1:
        k = idx[0]
        halves = _split_header_line(lines[k].text)
        lines = lines[:k] + [Line("header", h) for h in halves] + lines[k + 1:]
        idx = [k + j for j in range(len(halves))]
    heads = [lines[k] for k in idx]
    order = list(range(len(heads)))
    for _ in range(10):
        rng.shuffle(order)
        if order != sorted(order) or len(order) < 2:
            break
    out = list(lines)
    for k, o in zip(idx, order):
        out[k] = heads[o]
    return out


def _page_noise(lines: list[Line], rng: random.Random) -> list[Line]:
    company, page = rng.choice(COMPANIES), rng.randint(8, 140)
    rows = [k for k, ln in enumerate(lines) if ln.kind in ("row", "label") and k > 0]
    at = set(rng.sample(rows, min(2, len(rows))))
    out = [Line("noise", company), Line("noise", "")]
    for k, ln in enumerate(lines):
        if k in at:
            out += [Line("noise", f"Page {page}"), Line("noise", company)]
            page += 1
        out.append(ln)
    return out + [Line("noise", ""), Line("noise", f"Page {page}")]


_OCR = {"0": "O", "1": "l", "5": "S"}


def _ocr_digits(lines: list[Line], rng: random.Random) -> list[Line]:
    def confuse(m: re.Match[str]) -> str:
        tok = m.group(0)
        spots = [k for k, ch in enumerate(tok) if ch in _OCR]
        if not spots or rng.random() > 0.35:
            return tok
        k = rng.choice(spots)
        return tok[:k] + _OCR[tok[k]] + tok[k + 1:]

    num = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?")
    return [Line(ln.kind, num.sub(confuse, ln.text), ln.row) if ln.kind in ("row", "value") else ln
            for ln in lines]


def _lose_separators(lines: list[Line], rng: random.Random) -> list[Line]:
    sep = re.compile(r"(?<=\d),(?=\d{3})")
    return [Line(ln.kind, sep.sub("", ln.text), ln.row) if ln.kind in ("row", "value") else ln
            for ln in lines]


DEGRADE = {"wrap_labels": _wrap_labels, "merge_values": _merge_values, "drop_dashes": _drop_dashes,
           "shuffle_headers": _shuffle_headers, "lose_separators": _lose_separators,
           "page_noise": _page_noise, "ocr_digits": _ocr_digits}


def _layout_for(degradation: str, k: int) -> str:
    if degradation == "merge_values":
        return "cell_lines"
    return LAYOUTS[k % 2]


def classify(text: str, t: dict[str, Any], layout: str) -> list[Line] | None:
    """Tag the lines of another renderer's output (header / row / label / value), or None."""
    labels, out, k = [r["label"] for r in t["rows"]], [], 0
    for s in text.split("\n"):
        starts = k < len(labels) and (s == labels[k] or (layout == "row_lines" and s.startswith(labels[k] + " ")))
        if starts:
            out.append(Line("row" if layout == "row_lines" else "label", s, k))
            k += 1
        elif k == 0:
            out.append(Line("caption" if s == t.get("caption") else "header", s))
        else:
            out.append(Line("value" if layout == "cell_lines" else "noise", s, k - 1))
    return out if k == len(labels) else None


def plain_lines(t: dict[str, Any], layout: str) -> list[Line] | None:
    """evals.render's text layout (the other helpers' renderer), with the title, the scale and
    the period line a filing prints added; None when evals.render is not there."""
    try:
        from evals import render
    except ImportError:
        return None
    lines = classify(getattr(render, f"render_{layout}")(t), t, layout)
    if lines is None:
        return None
    body = [ln for ln in lines if ln.kind not in ("caption",)]
    period = period_line(t)
    return _intro(t) + ([Line("header", period)] if period else []) + body


def garble(t: dict[str, Any], degradation: str, layout: str, rng: random.Random, doc: str,
           style: str = "page") -> Garbled:
    """One degraded document: ``style`` 'page' (wrapped, aligned headers; local renderer) or
    'plain' (evals.render's layouts; falls back to 'page' when that module is missing)."""
    lines = plain_lines(t, layout) if style == "plain" else None
    if lines is None:
        style, lines = "page", (render_row_lines if layout == "row_lines" else render_cell_lines)(t)
    lines = DEGRADE[degradation](lines, rng)
    gold_t = copy.deepcopy(t)
    if degradation == "drop_dashes":  # nothing is printed where the dash was
        for r in gold_t["rows"]:
            r["values"] = [None if v is not None and Decimal(v) == 0 else v for v in r["values"]]
    text = "\n".join(ln.text for ln in lines) + "\n"
    return Garbled(doc, degradation, layout, text, {"doc": doc, "tables": [gold_t]}, style)


STYLES = ("page", "plain")


def corpus(seed: int = 11, n_seed: int = 10, n_invented: int = 10) -> list[Garbled]:
    """Every source table under every degradation (layouts alternate; the renderer style
    alternates by table), deterministically."""
    rng = random.Random(seed)
    tables = seed_tables(n_seed) + invented_tables(n_invented, seed)
    out = []
    for i, t in enumerate(tables):
        style = STYLES[i % 2]
        for k, deg in enumerate(DEGRADATIONS):
            layout = _layout_for(deg, i + k)
            out.append(garble(t, deg, layout, rng, f"garbled_{i:02d}_{deg}_{layout}_{style}.txt", style))
    return out


def write_corpus(out_dir: Path | str, **kw: Any) -> list[Path]:
    out = Path(out_dir)
    (out / "gold").mkdir(parents=True, exist_ok=True)
    paths = []
    for g in corpus(**kw):
        (out / g.doc).write_text(g.text, encoding="utf-8")
        (out / "gold" / f"{g.doc}.json").write_text(json.dumps(g.gold, indent=1))
        paths.append(out / g.doc)
    return paths


# ---------------------------------------------------------------- the eval


def _norm(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", s.lower()).strip()


def exact_table(t: Any, g: dict[str, Any], *, periods: bool = True) -> bool:
    """Every row (label and values, in order) and every column period as in the gold.

    Stricter than evals.gold.score_table (whose loose key does not separate columns that
    share a period); headers are not compared (shuffled or wrapped headers may rebuild
    differently while the figures and periods are right)."""
    if len(t.rows) != len(g["rows"]) or len(t.columns) != len(g["columns"]):
        return False
    for c, gc in zip(t.columns, g["columns"]):
        if periods and (c.period.key if c.period else None) != gc.get("period"):
            return False
    for r, gr in zip(t.rows, g["rows"]):
        want = [None if v is None else Decimal(v) for v in gr["values"]]
        if _norm(r.label) != _norm(gr["label"]) or r.values != want or r.extra:
            return False
    return True


def exact_document(tables: list[Any], gold: dict[str, Any], *, periods: bool = True) -> bool:
    return len(tables) == len(gold["tables"]) and all(
        exact_table(t, g, periods=periods) for t, g in zip(tables, gold["tables"]))


def _rate(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0


@dataclass
class DocResult:
    exact: bool = False
    figures_exact: bool = False  # rows and values right (periods aside)
    sent: int = 0
    accepted: int = 0
    llm_exact: bool = False
    seen: str = ""
    crash: str = ""


def extract_deterministic(g: Garbled) -> tuple[Any, Any]:
    """(Document, Source) from the deterministic pipeline only (no LLM fallback inside)."""
    from extractor import extract
    from extractor.models import Method
    from extractor.read import read_text

    source = read_text(g.text, g.doc)
    if "fallback" in inspect.signature(extract.extract_source).parameters:
        doc = extract.extract_source(source, fallback=False)
    else:
        doc = extract.extract_source(source)
    doc.tables = [t for t in doc.tables if t.method == Method.deterministic]
    return doc, source


def eval_one(g: Garbled, backend: Any, f1: Score) -> DocResult:
    from extractor.fallback import apply_fallback
    from extractor.models import Method, Status

    try:
        doc, source = extract_deterministic(g)
    except Exception as e:  # an eval counts a parser crash and goes on; it never hides it
        return DocResult(crash=f"{g.doc}: {type(e).__name__}: {e}")
    r = DocResult(exact=exact_document(doc.tables, g.gold),
                  figures_exact=exact_document(doc.tables, g.gold, periods=False),
                  seen=", ".join(f"{t.table_id} {t.status.value}" for t in doc.tables) or "no table")
    f1.add(score_document(doc.tables, g.gold))
    before = {t.table_id: t.status for t in doc.tables}
    apply_fallback(doc, source, backend, use_configured=False)
    sent = [t for t in doc.tables if t.method == Method.llm
            or before.get(t.table_id) in (Status.flagged, Status.ambiguous)]
    r.sent = len(sent)
    r.accepted = sum(t.method == Method.llm and t.status == Status.ok for t in sent)
    r.llm_exact = r.accepted > 0 and exact_document(doc.tables, g.gold)
    return r


def run_garbled_eval(backend: Any = None, *, use_llm: bool = False, seed: int = 11,
                     n_seed: int = 10, n_invented: int = 10) -> dict[str, Any]:
    """Deterministic recovery, then the LLM fallback on what the pipeline itself would send.

    With no backend (and ``use_llm`` False, the default) nothing reaches an LLM: what is
    sent comes back quarantined ("no LLM configured"). ``use_llm`` takes the endpoint from
    the environment. ``silently_wrong`` counts documents whose deterministic tables were
    all accepted as they are (nothing sent) yet whose figures (rows, values) are not right:
    the outcome Tickmark must not have; ``ok_but_periods_wrong`` those whose figures are
    right but whose column periods are missing or wrong.
    """
    if backend is None and use_llm:
        from extractor.llm import default_backend

        backend = default_backend()
    docs = corpus(seed, n_seed, n_invented)
    f1 = Score()
    results = [(g, eval_one(g, backend, f1)) for g in docs]
    ok = [(g, r) for g, r in results if not r.crash]
    exact = sum(r.exact for _, r in ok)
    def breakdown(attr: str) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for g, r in results:
            d = out.setdefault(getattr(g, attr), {"docs": 0, "exact": 0})
            d["docs"] += 1
            d["exact"] += r.exact
        return {k: {**v, "rate": _rate(v["exact"], v["docs"])} for k, v in out.items()}

    sent, accepted = sum(r.sent for _, r in ok), sum(r.accepted for _, r in ok)
    return {
        "docs": len(docs),
        "deterministic_exact": exact,
        "deterministic_rate": _rate(exact, len(docs)),
        "sent_to_llm": sent,
        "accepted": accepted,
        "quarantined": sent - accepted,
        "llm_exact": sum(r.llm_exact for _, r in ok),
        "figures_exact_rate": _rate(sum(r.figures_exact for _, r in ok), len(docs)),
        "silently_wrong": sum(not r.figures_exact and not r.sent for _, r in ok),
        "ok_but_periods_wrong": sum(r.figures_exact and not r.exact and not r.sent for _, r in ok),
        "cell_f1": round(f1.f1, 4),
        "llm_configured": backend is not None,
        "by_degradation": breakdown("degradation"),
        "by_layout": breakdown("layout"),
        "by_style": breakdown("style"),
        "crashed": len(results) - len(ok),
        "crashes": [r.crash for _, r in results if r.crash][:10],
        "failures": [f"{g.doc}: {r.seen}" + ("" if r.sent else " (figures wrong, unflagged)"
                                              if not r.figures_exact else " (periods wrong, unflagged)")
                     for g, r in ok if not r.exact][:15],
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m evals.garbled", description=__doc__.split("\n")[0])
    p.add_argument("--write", metavar="DIR", help="write the corpus and its gold to DIR")
    p.add_argument("--seed", type=int, default=11)
    p.add_argument("--llm", action="store_true", help="use the endpoint from TICKMARK_LLM_BASE_URL")
    args = p.parse_args(argv)
    if args.write:
        paths = write_corpus(args.write, seed=args.seed)
        print(f"wrote {len(paths)} documents to {args.write}")
        return 0
    print(json.dumps(run_garbled_eval(seed=args.seed, use_llm=args.llm), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
