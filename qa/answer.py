"""Answers: ``ask(question)`` → a typed, cited, verified ``Answer``; and `tickmark ask`.

Every number in the answer text is a cited figure [n] or a computation written out from
cited figures; the tables they came from are re-proved as tick marks. A question the
notes cannot answer is refused with the reason. No LLM is used (none is needed); the
text is a template.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from extractor.errors import BadInputError

from .engine import Engine
from .models import Answer

_ENGINES: dict[int, Engine] = {}


def engine_for(index=None) -> Engine:
    """One warm engine per store (items are built once and cached)."""
    if index is None:
        from .index import open_index

        index = open_index()
    key = id(index)
    if key not in _ENGINES:
        _ENGINES[key] = Engine(index)
    return _ENGINES[key]


def ask(question: str, *, doc: str | None = None, index=None) -> Answer:
    if not question or not question.strip():
        raise BadInputError("ask needs a question, e.g. tickmark ask \"how did write-offs change in 2025?\"")
    return engine_for(index).ask(question, doc=doc)


def render(ans: Answer) -> str:
    """Plain-text rendering: answer, numbered citations, computations, ticks, caveats."""
    out = [ans.answer]
    if ans.figures:
        out.append("")
        for f in ans.figures:
            c = f.citation
            lines = f" lines {c.line_start}-{c.line_end}" if c.line_start else ""
            out.append(f"[{f.n}] {f.raw or f.value} — {f.label} | {f.measure} | {f.period} — "
                       f"{f.doc} {f.table_id} row {f.row} col {f.column}{lines}")
    for comp in ans.computations:
        out.append(f"= {comp.op}: {comp.expression}")
    for chk in ans.checks:
        out.append(f"{'✓' if chk.passed else '✗'} {chk.kind} {chk.doc} {chk.table_id}: {chk.expression}")
    for cav in ans.caveats:
        out.append(f"note: {cav}")
    return "\n".join(out)


def _dump(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False, default=str)


def run_ask(args: argparse.Namespace) -> int:
    """`tickmark ask "Q" [--json] [--doc DOC]` and `tickmark ask --batch FILE.jsonl`."""
    if args.batch:
        return _run_batch(Path(args.batch), default_doc=args.doc)
    if not args.question:
        raise BadInputError("give a question, or --batch FILE.jsonl")
    eng = engine_for()
    if not eng.documents():
        print("The index is empty: run `tickmark ingest PATH...` first.", file=sys.stderr)
        return 1
    ans = eng.ask(args.question, doc=args.doc)
    print(_dump(ans.to_record()) if args.json else render(ans))
    return 0


def _run_batch(path: Path, default_doc: str | None = None) -> int:
    if not path.exists():
        raise BadInputError(f"{path}: no such batch file (one {{\"id\", \"question\", \"doc\"?}} per line)")
    eng = engine_for()
    if not eng.documents():
        print("The index is empty: run `tickmark ingest PATH...` first.", file=sys.stderr)
        return 1
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            req = json.loads(line)
            q = req["question"]
        except (json.JSONDecodeError, KeyError, TypeError) as e:
            print(_dump({"id": None, "line": n, "error": f"{path}:{n}: bad request ({e})"}))
            continue
        ans = eng.ask(q, doc=req.get("doc") or default_doc)
        print(_dump({"id": req.get("id"), **ans.to_record()}), flush=True)
    return 0
