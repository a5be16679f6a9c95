"""TAT-QA (dev) as an open benchmark of Tickmark's table question answering.

Each TAT-QA table is rendered as a plain HTML ``<table>`` (one ``<td>`` per cell, as
given), extracted by Tickmark's own pipeline (the HTML layout), indexed in memory, and
asked the questions answered from the table alone (``answer_from == "table"``), each
scoped to its document. No LLM; the engine runs open-world (``strict=False``) because
TAT-QA questions often name the company or words from the surrounding text.

Scoring follows the benchmark's exact match: numbers are compared after rounding to two
decimals, in the question's scale (the gold scale is taken as given, e.g. 'percent'
answers are percentages); spans are compared after lower-casing and stripping
punctuation, numbers in spans as numbers; a multi-span answer must match as a set.

    .venv/bin/python -m evals.tatqa [--limit N] [--show-failures K]
"""

from __future__ import annotations

import html
import json
import re
import string
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

TATQA = Path(__file__).resolve().parent.parent.parent / "shared" / "benchmarks" / "tatqa" / "tatqa_dataset_dev.json"


def _is_header_row(row: list[str]) -> bool:
    """No value cell beyond the label column (years and words are header text)."""
    from extractor.numbers import is_value_token

    for c in row[1:]:
        t = re.sub(r"^([12]) ([09]) (\d) (\d)$", r"\1\2\3\4", c.strip())  # a letter-spaced year "2 0 1 8"
        if t and is_value_token(t) and not re.fullmatch(r"(?:19|20)\d\d", t):
            return False
    return any(c.strip() for c in row)


def _spanning_row(row: list[str]) -> str:
    """An upper header row: a label spans the empty cells after it (TAT-QA drops colspans)."""
    cells, j = [], 0
    while j < len(row):
        k = j + 1
        if j > 0 and row[j].strip():
            while k < len(row) and not row[k].strip():
                k += 1
        cells.append(f'<th colspan="{k - j}">{html.escape(row[j])}</th>' if k - j > 1 else
                     f"<th>{html.escape(row[j])}</th>")
        j = k
    return "<tr>" + "".join(cells) + "</tr>"


def render_html(table: list[list[str]], *, th: bool = True) -> str:
    """A TAT-QA table as a well-formed HTML table: leading header rows as <th> in <thead>."""
    n_head = 0
    while th and n_head < len(table) - 1 and _is_header_row(table[n_head]):
        n_head += 1
    esc = html.escape
    head = [_spanning_row(row) if k < n_head - 1 else
            "<tr>" + "".join(f"<th>{esc(c)}</th>" for c in row) + "</tr>" for k, row in enumerate(table[:n_head])]
    body = ["<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in table[n_head:]]
    thead = f"<thead>{''.join(head)}</thead>" if head else ""
    return f"<html><body><table>{thead}<tbody>\n" + "\n".join(body) + "\n</tbody></table></body></html>"


def load(path: Path = TATQA) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))


def build_index(items: list[dict]):
    from extractor.extract import extract_text
    from qa.memory import MemoryIndex

    idx = MemoryIndex()
    failed = 0
    for x in items:
        uid = x["table"]["uid"]
        doc = extract_text(render_html(x["table"]["table"]), doc=f"{uid}.html")
        if not doc.tables:
            failed += 1
        for t in doc.tables:
            idx.add_table(t)
    return idx, failed


# ---- the benchmark's normalisation ---------------------------------------------------------
def _to_number(text: str) -> Decimal | None:
    from extractor.numbers import parse_cell

    t = str(text).strip().replace("$", "").replace("€", "").replace("£", "").strip()
    c = parse_cell(t)
    return c.value


def _norm_text(s: str) -> str:
    s = str(s).lower()
    s = "".join(ch for ch in s if ch not in set(string.punctuation))
    s = re.sub(r"\b(a|an|the)\b", " ", s)
    return " ".join(s.split())


def _norm(x) -> str:
    n = _to_number(x) if not isinstance(x, (int, float, Decimal)) else Decimal(str(x))
    if n is not None:
        return f"{round(float(n), 2):.2f}"
    return _norm_text(x)


def exact_match(pred, gold) -> bool:
    golds = gold if isinstance(gold, list) else [gold]
    preds = pred if isinstance(pred, list) else [pred]
    golds = [g for g in golds if str(g).strip() != ""]
    preds = [p for p in preds if p is not None and str(p).strip() != ""]
    if not preds:
        return False
    return sorted(_norm(p) for p in preds) == sorted(_norm(g) for g in golds)


def prediction(ans, q: dict):
    """What Tickmark answers, in the shape the question's answer type asks for."""
    if ans.refused:
        return None
    kind = q["answer_type"]
    if ans.answer_spans and kind in ("span", "multi-span"):
        return ans.answer_spans
    if ans.answer_text and kind in ("span", "multi-span"):
        return ans.answer_text
    if kind == "multi-span":
        return [f"{v}" for v in ans.answer_values] or None
    if ans.answer_value is None:
        return None
    v = ans.answer_value
    if kind == "span" and ans.figures and ans.plan and ans.plan.operation == "value":
        return ans.figures[0].raw or str(v)
    return v


def run_tatqa(limit: int | None = None, *, show_failures: int = 0) -> dict:
    from qa.engine import Engine

    data = load()
    if limit:
        data = data[:limit]
    t0 = time.perf_counter()
    idx, failed = build_index(data)
    t_ingest = time.perf_counter() - t0
    eng = Engine(idx, strict=False)
    total, right = Counter(), Counter()
    fails: list[str] = []
    times: list[float] = []
    for x in data:
        doc = f"{x['table']['uid']}.html"
        for q in x["questions"]:
            if q["answer_from"] != "table":
                continue
            t1 = time.perf_counter()
            ans = eng.ask(q["question"], doc=doc) if doc in idx.documents() else None
            times.append((time.perf_counter() - t1) * 1000)
            pred = prediction(ans, q) if ans else None
            ok = exact_match(pred, q["answer"]) if pred is not None else False
            total[q["answer_type"]] += 1
            right[q["answer_type"]] += ok
            if not ok and len(fails) < show_failures:
                fails.append(f"[{q['answer_type']}] {q['question']} | gold {q['answer']} ({q['scale']}) "
                             f"{q.get('derivation', '')} | got {pred}")
    n, r = sum(total.values()), sum(right.values())
    times.sort()
    res = {
        "questions": n, "em": r / n if n else 0.0,
        "em_by_type": {k: round(right[k] / total[k], 4) for k in sorted(total)},
        "n_by_type": dict(sorted(total.items())),
        "tables": len(data), "tables_not_extracted": failed, "ingest_s": round(t_ingest, 2),
        "latency_ms_p50": round(times[len(times) // 2], 2) if times else 0.0,
        "latency_ms_p95": round(times[int(0.95 * (len(times) - 1))], 2) if times else 0.0,
        "llm": False,
    }
    if show_failures:
        res["failures"] = fails
    return res


if __name__ == "__main__":
    lim = int(sys.argv[sys.argv.index("--limit") + 1]) if "--limit" in sys.argv else None
    k = int(sys.argv[sys.argv.index("--show-failures") + 1]) if "--show-failures" in sys.argv else 0
    out = run_tatqa(lim, show_failures=k)
    for f in out.pop("failures", []):
        print(f)
    print(json.dumps(out, indent=1))
