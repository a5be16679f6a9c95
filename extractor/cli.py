"""`tickmark`: a thin command line over the library. Parse arguments, call, print.

Subcommands (contracts in README / DESIGN.md):
  extract   files/dirs/globs -> tables as JSONL (default), CSV or Parquet
  check     the tick-mark report; non-zero exit when anything is flagged
  ingest    extract and index into the embedded vector store
  export    the indexed facts as JSONL / CSV / Parquet
  ask       answer a question (or a --batch file) with cited, recomputed figures
  ui        the Gradio chat in the browser
  eval      the eval report
  llm       LLM fallback call log: calls, tokens, cache hits
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from .errors import TickmarkError

EPILOG = """environment: TICKMARK_HOME (data dir, default ./.tickmark), TICKMARK_LLM_BASE_URL,
TICKMARK_LLM_MODEL, OPENAI_API_KEY (optional LLM fallback), TICKMARK_EMBEDDINGS
(local|hash|openai). See README.md."""


def _progress(items, total: int, desc: str, unit: str = "file"):
    if total < 5 or not sys.stderr.isatty() and total < 50:
        return items
    from tqdm import tqdm

    return tqdm(items, total=total, desc=desc, unit=unit, file=sys.stderr)


def cmd_extract(args: argparse.Namespace) -> int:
    from .bulk import expand_inputs, write_records
    from .extract import extract_or_error
    from .models import table_record

    files, missing = expand_inputs(args.paths)
    records: list[dict] = []
    n_ok = 0
    for spec in missing:
        records.append({"doc": spec, "error": "BadInputError", "message": f"{spec}: no such file or glob match"})
    for path in _progress(files, len(files), "extract"):
        doc = extract_or_error(path)
        if doc.errors and not doc.tables:
            for e in doc.errors:
                records.append({"doc": e.doc, "path": e.path, "error": e.error, "message": e.message})
            continue
        n_ok += 1
        if args.doc_warnings:
            for w in doc.warnings:
                print(f"warning: {w}", file=sys.stderr)
        for t in doc.tables:
            records.append(table_record(t))
    write_records(records, args.format, args.out)
    errors = [r for r in records if "error" in r and "table_id" not in r]
    for r in errors:
        print(f"error: {r['message']}", file=sys.stderr)
    n_tables = sum(1 for r in records if "table_id" in r)
    print(f"{len(files)} file(s): {n_ok} read, {len(errors)} error(s), {n_tables} table(s)", file=sys.stderr)
    return 0 if n_ok else 1


def _lazy(module: str, func: str):
    def run(args: argparse.Namespace) -> int:
        import importlib

        mod = importlib.import_module(module)
        return getattr(mod, func)(args)

    return run


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="tickmark",
        description="Read the notes to financial statements, extract their tables as typed, "
        "cited figures, prove them with arithmetic, and answer questions about them.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    e = sub.add_parser("extract", help="extract tables from files, directories or globs",
                       description="Extract every table of each input as JSON (one table per line), "
                       "CSV or Parquet (one cell per row). Unreadable inputs become error records; "
                       "the exit code is non-zero only when nothing could be read.")
    e.add_argument("paths", nargs="+", metavar="PATH", help="files, directories or globs")
    e.add_argument("--out", "-o", help="output file (default: stdout)")
    e.add_argument("--format", "-f", choices=["jsonl", "csv", "parquet"], default="jsonl")
    e.add_argument("--warnings", dest="doc_warnings", action="store_true", help="print document warnings")
    e.set_defaults(func=cmd_extract)

    c = sub.add_parser("check", help="tick-mark report; exit 1 when anything is flagged",
                       description="Print, per table, each check with its arithmetic written out "
                       "(✓ passed, ✗ failed). Exit status 1 when any table is flagged or ambiguous.")
    c.add_argument("paths", nargs="+", metavar="PATH")
    c.add_argument("--json", action="store_true", help="machine-readable report")
    c.add_argument("--quiet", "-q", action="store_true", help="only tables that are not ok")
    c.set_defaults(func=_lazy("extractor.report", "run_check"))

    i = sub.add_parser("ingest", help="extract and index into the embedded vector store",
                       description="Extract files, directories or globs and index their facts into "
                       "the vector store under $TICKMARK_HOME. Resumable: a manifest records each "
                       "input's content hash and outcome, so a rerun (after a crash or a kill) skips "
                       "what is done and embeds nothing twice. A document's id is its file name; a "
                       "second file of the same name from another folder gets 'folder/name'. An "
                       "input that takes longer than TICKMARK_FILE_TIMEOUT seconds (600) is recorded "
                       "as failed and retried by the next run. Summary at the end: files ok, "
                       "flagged, ambiguous, quarantined, failed.")
    i.add_argument("paths", nargs="+", metavar="PATH", help="files, directories (recursive) or globs")
    i.add_argument("--workers", "-w", type=int, default=1,
                   help="parallel extraction processes (embedding and writing stay in this one)")
    i.add_argument("--batch-size", type=int, default=256, help="facts embedded per batch")
    i.add_argument("--force", action="store_true", help="re-extract inputs already in the manifest")
    i.set_defaults(func=_lazy("qa.ingest", "run_ingest"))

    x = sub.add_parser("export", help="export the indexed facts",
                       description="Write every indexed fact with its citation.")
    x.add_argument("--format", "-f", choices=["jsonl", "csv", "parquet"], default="jsonl")
    x.add_argument("--out", "-o", help="output file (default: stdout; required for parquet)")
    x.add_argument("--doc", help="only facts of this document")
    x.set_defaults(func=_lazy("qa.ingest", "run_export"))

    a = sub.add_parser("ask", help="answer a question with cited, recomputed figures",
                       description="Answer from the indexed facts. Every figure is recomputed from "
                       "its cited cells; a question the notes cannot answer is refused.")
    a.add_argument("question", nargs="?", help="the question (omit with --batch)")
    a.add_argument("--json", action="store_true", help="print the answer object as JSON")
    a.add_argument("--doc", help="restrict to one document (its file name)")
    a.add_argument("--batch", metavar="FILE.jsonl",
                   help='one {"id", "question", "doc"?} per line; one answer per line out')
    a.set_defaults(func=_lazy("qa.answer", "run_ask"))

    u = sub.add_parser("ui", help="start the Gradio chat in the browser",
                       description="Start the chat on 127.0.0.1 (use --host 0.0.0.0 and --auth to share).")
    u.add_argument("--host", default="127.0.0.1")
    u.add_argument("--port", type=int, default=7860)
    u.add_argument("--auth", help="USER:PASSWORD required to open the app")
    u.add_argument("--ingest", nargs="*", metavar="PATH", help="ingest these files before starting")
    u.set_defaults(func=_lazy("ui", "run_ui"))

    v = sub.add_parser("eval", help="run the eval suite and print the report",
                       description="Measure extraction, checks, garbled recovery, QA and TAT-QA on gold "
                       "data; write Markdown and JSON under $TICKMARK_HOME/evals/<timestamp>/.")
    v.add_argument("--only", action="append", metavar="NAME", help="run only this eval (repeatable)")
    v.add_argument("--llm", action="store_true", help="add the LLM-path evals (needs an endpoint)")
    v.add_argument("--fast", action="store_true", help="the fast subset CI runs")
    v.add_argument("--gate", action="store_true", help="exit 1 when a metric is below its floor")
    v.set_defaults(func=_lazy("evals.runner", "run_eval"))

    m = sub.add_parser("llm", help="LLM fallback: calls, tokens and cache hits from the call log")
    m.add_argument("--json", action="store_true")
    m.set_defaults(func=_lazy("extractor.llm", "run_stats"))
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except TickmarkError as e:
        print(f"tickmark: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("tickmark: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, default=str)


if __name__ == "__main__":
    raise SystemExit(main())
