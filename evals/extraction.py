"""Extraction evals: the seeds against their gold, HTML renderings of the gold, the EDGAR set,
check pass rates, and mutation catch rate."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from extractor.extract import extract_path, extract_text
from extractor.models import Document, Status

from .gold import Score, gold_docs, load_gold, score_document

REPO = Path(__file__).resolve().parent.parent
SEEDS_DIR = REPO / "tests" / "fixtures" / "seeds"
EDGAR_DIR = REPO / "tests" / "fixtures" / "edgar"


def _score_dict(s: Score) -> dict[str, Any]:
    return {
        "cells_tp": s.tp, "cells_fp": s.fp, "cells_fn": s.fn,
        "precision": round(s.precision, 4), "recall": round(s.recall, 4), "f1": round(s.f1, 4),
        "wrong_placed": s.wrong_placed, "ambiguous": s.ambiguous,
        # placed exactly, or left unplaced and marked ambiguous (never wrong)
        "accounted": round((s.tp + s.ambiguous) / (s.tp + s.fn), 4) if s.tp + s.fn else 1.0,
        "tables_gold": s.tables_gold, "tables_exact": s.tables_exact,
        "table_exact_rate": round(s.tables_exact / s.tables_gold, 4) if s.tables_gold else 0.0,
        "errors": s.errors[:15],
    }


def seed_documents() -> dict[str, Document]:
    return {p.name: extract_path(p) for p in sorted(SEEDS_DIR.glob("*.txt"))}


def eval_seed_extraction(docs: dict[str, Document] | None = None) -> dict[str, Any]:
    """Per layout: cell precision/recall/F1 and table exact match against the seed gold."""
    docs = docs or seed_documents()
    by_layout: dict[str, Score] = {}
    per_doc: dict[str, Any] = {}
    for name in gold_docs():
        if name not in docs:
            continue
        doc = docs[name]
        s = score_document(doc.tables, load_gold(name))
        per_doc[name] = _score_dict(s)
        by_layout.setdefault(doc.layout.value, Score()).add(s)
    total = Score()
    for s in by_layout.values():
        total.add(s)
    return {
        "overall": _score_dict(total),
        "by_layout": {k: _score_dict(v) for k, v in sorted(by_layout.items())},
        "by_doc": per_doc,
    }


def eval_html_roundtrip() -> dict[str, Any]:
    """Every gold table rendered as filing HTML and extracted back: cell-exact?"""
    from .render import render_html

    total = Score()
    for name in gold_docs():
        gold = load_gold(name)
        for g in gold["tables"]:
            html = "<html><body>" + render_html(g) + "</body></html>"
            doc = extract_text(html, f"{name}#t{g['index']}.html")
            single = {"doc": name, "tables": [dict(g, index=1)]}
            total.add(score_document(doc.tables[:1], single))
    return {"overall": _score_dict(total)}


def eval_edgar() -> dict[str, Any]:
    files = sorted(p for p in EDGAR_DIR.iterdir() if p.suffix in (".htm", ".html", ".xml"))
    crashed, tables, statuses = [], 0, {s.value: 0 for s in Status}
    t0 = time.perf_counter()
    for p in files:
        try:
            doc = extract_path(p)
        except Exception as e:  # an eval reports crashes instead of stopping  # noqa: BLE001
            crashed.append(f"{p.name}: {type(e).__name__}: {e}")
            continue
        tables += len(doc.tables)
        for t in doc.tables:
            statuses[t.status.value] += 1
    return {"files": len(files), "crashed": len(crashed), "crash_list": crashed, "tables": tables,
            "status": statuses, "seconds": round(time.perf_counter() - t0, 2)}


def eval_checks(docs: dict[str, Document] | None = None) -> dict[str, Any]:
    """Check pass rate on the seeds, tie-outs found, and the statuses of their tables."""
    docs = docs or seed_documents()
    n = passed = 0
    kinds: dict[str, int] = {}
    tables = ok = 0
    tieouts = tie_passed = 0
    failing: list[str] = []
    for name, doc in docs.items():
        for t in doc.tables:
            tables += 1
            ok += t.status == Status.ok
            for c in t.checks:
                n += 1
                passed += c.passed
                kinds[c.kind] = kinds.get(c.kind, 0) + 1
                if not c.passed:
                    failing.append(f"{name} {t.table_id} {c.kind}: {c.expression or c.description}")
        for c in doc.checks:
            tieouts += 1
            tie_passed += c.passed
            if not c.passed:
                failing.append(f"{name} tie-out: {c.expression or c.description}")
    return {
        "checks": n, "check_pass_rate": round(passed / n, 4) if n else 0.0, "by_kind": kinds,
        "tables": tables, "tables_ok": ok, "tieouts": tieouts,
        "tieout_pass_rate": round(tie_passed / tieouts, 4) if tieouts else 0.0,
        "failing": failing[:20],
    }


def eval_mutations() -> dict[str, Any]:
    from .mutations import eval_mutations as run

    return run()
