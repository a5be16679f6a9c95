"""`tickmark check`: the tick-mark report a reviewer reads.

Per document and table: id, caption, kind, status, then every check with a ✓ or ✗ and its
arithmetic written out; the tie-outs across tables; a summary line. ``--json`` gives the same
as one JSON object. Exit status 1 when any table is flagged, ambiguous or quarantined, a
tie-out fails or an input cannot be read; 0 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from typing import Any

from .models import Check, Document, Status, Table, check_record

_MARK = {True: "✓", False: "✗"}


def _check_line(c: Check) -> str:
    where = c.description.split(": ", 1)[0]
    return f"    {_MARK[c.passed]} {where}: {c.expression}"


def _unplaced(t: Table) -> list[str]:
    out = []
    for r in t.rows:
        for c in r.extra:
            cols = " or ".join(str(k) for k in c.candidates) or "?"
            out.append(f"    ? row {r.index} {r.label!r}: {c.raw.strip() or c.value} could sit in column {cols}")
        for j, c in enumerate(r.cells):
            if c.status == Status.ambiguous:
                out.append(f"    ? row {r.index} {r.label!r} column {j}: {c.raw.strip()} placed but not proven")
    return out


def table_lines(t: Table, quiet: bool = False) -> list[str]:
    if quiet and t.status == Status.ok:
        return []
    caption = (t.caption or t.title)[:90]
    n_fail = sum(not c.passed for c in t.checks)
    lines = [f"  {t.table_id}  {t.kind or '-'}  {t.status.value.upper()}  "
             f"({len(t.checks)} checks, {n_fail} failed)  {caption!r}"]
    checks = [c for c in t.checks if not (quiet and c.passed)]
    lines += [_check_line(c) for c in checks]
    if not t.checks and t.status != Status.quarantined:
        lines.append("    · no applicable check (no total, rollforward or gross/allowance/net found)")
    if t.quarantine_reason:
        lines.append(f"    ! quarantined: {t.quarantine_reason}")
    lines += _unplaced(t)
    lines += [f"    ! {w}" for w in t.warnings]
    return lines


def document_lines(doc: Document, quiet: bool = False) -> list[str]:
    counts = {s.value: sum(t.status == s for t in doc.tables) for s in Status}
    head = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    lines = [f"== {doc.doc}  ({doc.layout.value}, {len(doc.tables)} tables{': ' + head if head else ''})"]
    lines += [f"  error: {e.error}: {e.message}" for e in doc.errors]
    if not doc.tables and not doc.errors:
        lines.append("  no tables found")
    for t in doc.tables:
        lines += table_lines(t, quiet)
    ties = [c for c in doc.checks if not (quiet and c.passed)]
    if doc.checks:
        lines.append(f"  tie-outs across tables: {len(doc.checks)}, "
                     f"{sum(not c.passed for c in doc.checks)} failed")
    for c in ties:
        lines.append(f"    {_MARK[c.passed]} {c.kind}: {c.description}")
        lines.append(f"        {c.expression}")
    lines += [f"  ! {w}" for w in doc.warnings if not w.startswith("tie-out: ")]
    return lines


def summary(docs: list[Document]) -> dict[str, Any]:
    tables = [t for d in docs for t in d.tables]
    checks = [c for t in tables for c in t.checks]
    ties = [c for d in docs for c in d.checks]
    out: dict[str, Any] = {"documents": len(docs), "tables": len(tables)}
    out.update({s.value: sum(t.status == s for t in tables) for s in Status})
    out.update({"checks": len(checks), "checks_failed": sum(not c.passed for c in checks),
                "tieouts": len(ties), "tieouts_failed": sum(not c.passed for c in ties),
                "errors": sum(len(d.errors) for d in docs)})
    return out


def exit_code(docs: list[Document]) -> int:
    s = summary(docs)
    bad = s["flagged"] + s["ambiguous"] + s["quarantined"] + s["tieouts_failed"] + s["errors"]
    return 1 if bad else 0


def summary_line(s: dict[str, Any]) -> str:
    return (f"summary: {s['documents']} document(s), {s['tables']} table(s): {s['ok']} ok, "
            f"{s['flagged']} flagged, {s['ambiguous']} ambiguous, {s['quarantined']} quarantined; "
            f"{s['checks']} checks, {s['checks_failed']} failed; {s['tieouts']} tie-outs, "
            f"{s['tieouts_failed']} failed; {s['errors']} input error(s)")


def render_text(docs: Iterable[Document], quiet: bool = False) -> str:
    docs = list(docs)
    lines: list[str] = []
    for d in docs:
        lines += document_lines(d, quiet)
        lines.append("")
    lines.append(summary_line(summary(docs)))
    return "\n".join(lines)


def report_json(docs: Iterable[Document]) -> dict[str, Any]:
    docs = list(docs)
    return {
        "documents": [
            {"doc": d.doc, "path": d.path, "layout": d.layout.value,
             "errors": [e.model_dump() for e in d.errors], "warnings": d.warnings,
             "tables": [{"table_id": t.table_id, "title": t.title, "caption": t.caption, "kind": t.kind,
                         "orientation": t.orientation, "status": t.status.value, "warnings": t.warnings,
                         "checks": [check_record(c) for c in t.checks]} for t in d.tables],
             "tieouts": [check_record(c) for c in d.checks]}
            for d in docs
        ],
        "summary": summary(docs),
        "exit": exit_code(docs),
    }


def check_paths(paths: list[str]) -> list[Document]:
    """Extract (and so prove) every input; a missing path becomes a document with an error."""
    from .bulk import expand_inputs
    from .errors import BadInputError
    from .extract import extract_or_error
    from .models import ErrorRecord

    files, missing = expand_inputs(paths)
    if not files and missing:
        raise BadInputError(f"no such file or glob match: {', '.join(missing)}; give files, directories or globs")
    docs = [Document(doc=m, path=m, errors=[ErrorRecord(doc=m, path=m, error="BadInputError",
                                                         message=f"{m}: no such file or glob match")])
            for m in missing]
    return docs + [extract_or_error(p) for p in files]


def run_check(args: argparse.Namespace) -> int:
    docs = check_paths(list(args.paths))
    if getattr(args, "json", False):
        print(json.dumps(report_json(docs), ensure_ascii=False, default=str))
    else:
        print(render_text(docs, quiet=getattr(args, "quiet", False)))
    sys.stdout.flush()
    return exit_code(docs)
