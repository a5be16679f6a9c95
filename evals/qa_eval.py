"""Seed QA eval: hand-written questions on the four seeds, scored on numbers, citations,
refusals and latency.

    .venv/bin/python -m evals.qa_eval            # over the extracted seeds
    .venv/bin/python -m evals.qa_eval --gold     # over the gold tables (isolates QA from parsing)

Numeric accuracy: the headline value (or span) equals the gold after rounding to the
gold's places. Citation accuracy: every gold citation (table, row label, period, value)
is among the answer's figures. Refusal precision/recall: refusing the questions the notes
cannot answer, and only those. Latency: ``ask`` in a warm process.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from evals.gold import GOLD_DIR, gold_to_table, load_gold, norm_label

QA_DIR = Path(__file__).parent / "qa"
SEEDS = Path(__file__).parent.parent / "tests" / "fixtures" / "seeds"


def load_questions(path: Path = QA_DIR / "seed_questions.jsonl") -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def build_seed_index(source: str = "extract"):
    """A MemoryIndex of the seeds: extracted (default) or the gold tables."""
    from qa.memory import MemoryIndex

    idx = MemoryIndex()
    notes = []
    for path in sorted(SEEDS.glob("*.txt")):
        tables = []
        if source == "extract":
            from extractor.extract import extract_path

            tables = extract_path(path).tables
        if not tables and (GOLD_DIR / f"{path.name}.json").exists():
            if source == "extract":
                notes.append(f"{path.name}: no tables extracted; gold tables used")
            tables = [_gold_table(path.name, g) for g in load_gold(path.name)["tables"]]
        elif not tables:
            notes.append(f"{path.name}: no tables (no extraction, no gold)")
        for t in tables:
            idx.add_table(t)
    return idx, notes


def _gold_table(doc: str, g: dict):
    """gold_to_table plus the row sections the gold records (gold_to_table drops them)."""
    t = gold_to_table(doc, g)
    for row, gr in zip(t.rows, g["rows"]):
        row.section = gr.get("section")
    return t


def _rounded(v: Decimal, places: int) -> Decimal:
    return v.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def numeric_ok(ans, gold: dict) -> bool:
    if ans.refused:
        return False
    if gold.get("answer_text"):
        return norm_label(ans.answer_text or "") == norm_label(gold["answer_text"])
    if ans.answer_value is None or gold.get("answer_value") is None:
        return False
    places = gold.get("places", 0)
    return _rounded(ans.answer_value, places) == _rounded(Decimal(gold["answer_value"]), places)


def citations_ok(ans, gold: dict) -> bool:
    figs = {(f.doc, f.table_id, norm_label(f.citation.row_label), f.period, f.value) for f in ans.figures}
    for c in gold.get("citations", []):
        want = [(gold["doc"], t, norm_label(c["row"]), c["period"], Decimal(c["value"])) for t in c["tables"]]
        if not any(w in figs for w in want):
            return False
    return True


def _pct(xs: list[float], p: float) -> float:
    if not xs:
        return 0.0
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p * (len(xs) - 1))))]


def run_seed_qa(index=None, *, source: str = "extract", questions: list[dict] | None = None,
                verbose: bool = False) -> dict:
    from qa.answer import ask

    notes: list[str] = []
    if index is None:
        index, notes = build_seed_index(source)
    qs = questions or load_questions()
    for g in qs[:3]:  # warm the engine (items are built once per index)
        ask(g["question"], doc=g.get("doc"), index=index)
    num = cit = n_ans = 0
    tp = fn = 0
    times: list[float] = []
    failures: list[str] = []
    for g in qs:
        t0 = time.perf_counter()
        ans = ask(g["question"], doc=g.get("doc"), index=index)
        times.append((time.perf_counter() - t0) * 1000)
        if g["answerable"]:
            n_ans += 1
            ok_n, ok_c = numeric_ok(ans, g), citations_ok(ans, g)
            num += ok_n
            cit += ok_c
            fn += ans.refused  # refused an answerable question
            if not (ok_n and ok_c):
                got = ans.answer_text or ans.answer_value
                failures.append(f"{g['id']}: {'num' if not ok_n else ''}{' cit' if not ok_c else ''} "
                                f"got {got} want {g.get('answer_text') or g.get('answer_value')}"
                                f"{' REFUSED: ' + '; '.join(ans.caveats) if ans.refused else ''}")
        else:
            if ans.refused:
                tp += 1
            else:
                failures.append(f"{g['id']}: answered an unanswerable question: {ans.answer[:100]}")
    refused_wrongly = fn
    n_unans = sum(1 for g in qs if not g["answerable"])
    res = {
        "questions": len(qs), "answerable": n_ans, "unanswerable": n_unans,
        "numeric_accuracy": num / n_ans if n_ans else 1.0,
        "citation_accuracy": cit / n_ans if n_ans else 1.0,
        "refusal_precision": tp / (tp + refused_wrongly) if tp + refused_wrongly else 1.0,
        "refusal_recall": tp / n_unans if n_unans else 1.0,
        "latency_ms_p50": round(statistics.median(times), 2) if times else 0.0,
        "latency_ms_p95": round(_pct(times, 0.95), 2),
        "source": source, "notes": notes, "failures": failures,
    }
    if verbose:
        for f in failures:
            print(f, file=sys.stderr)
    return res


if __name__ == "__main__":
    src = "gold" if "--gold" in sys.argv else "extract"
    out = run_seed_qa(source=src, verbose=True)
    print(json.dumps({k: v for k, v in out.items() if k != "failures"}, indent=1))
