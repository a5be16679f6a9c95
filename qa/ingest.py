"""`tickmark ingest` and `tickmark export`: bulk extraction into the index, losing nothing.

Extraction is a pure function file -> Document, so it runs in worker processes
(``--workers N``); embedding and writing happen in the parent. A manifest
($TICKMARK_HOME/manifest.sqlite) records every input's path, content hash and outcome
(ok / flagged / ambiguous / quarantined / failed, with the error), committed per file
after that file's facts are written: a run that is killed resumes where it stopped,
with no duplicates (fact ids are content hashes) and no gaps (an input is only marked
done once its facts are in the index).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import signal
import sqlite3
import sys
import threading
import time
import traceback
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from extractor.config import get_settings
from extractor.errors import BadInputError
from extractor.facts import document_facts
from extractor.models import Document, ErrorRecord, Fact, Status

OUTCOMES = ("ok", "flagged", "ambiguous", "quarantined", "failed")
_SEVERITY = {Status.ok: 0, Status.ambiguous: 1, Status.flagged: 2, Status.quarantined: 3}

_MANIFEST_SCHEMA = """
CREATE TABLE IF NOT EXISTS inputs (doc TEXT, sha256 TEXT, path TEXT, outcome TEXT, error TEXT,
    message TEXT, n_tables INTEGER, n_facts INTEGER, n_new INTEGER, extract_s REAL, run_id INTEGER,
    updated TEXT, retry INTEGER, PRIMARY KEY (doc, sha256));
CREATE TABLE IF NOT EXISTS errors (run_id INTEGER, doc TEXT, path TEXT, error TEXT, message TEXT,
    line INTEGER);
CREATE TABLE IF NOT EXISTS runs (id INTEGER PRIMARY KEY AUTOINCREMENT, started TEXT, finished TEXT,
    argv TEXT, summary TEXT);
"""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Manifest:
    """Which inputs are done, with what outcome; one row per (doc, content hash)."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(path), timeout=60)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")  # WAL: a killed process loses nothing
        self.db.executescript(_MANIFEST_SCHEMA)

    def start_run(self, argv: list[str]) -> int:
        with self.db:
            cur = self.db.execute("INSERT INTO runs (started, argv) VALUES (?, ?)", (_now(), json.dumps(argv)))
        return int(cur.lastrowid)

    def finish_run(self, run_id: int, summary: dict[str, Any]) -> None:
        with self.db:
            self.db.execute("UPDATE runs SET finished=?, summary=? WHERE id=?",
                            (_now(), json.dumps(summary), run_id))

    def is_done(self, doc: str, sha256: str) -> bool:
        """Recorded, and not a failure from an unexpected error (a bug may be fixed by now)."""
        row = self.db.execute("SELECT retry FROM inputs WHERE doc=? AND sha256=?", (doc, sha256)).fetchone()
        return row is not None and not row[0]

    def record(self, run_id: int, item: "Item") -> None:
        err = item.errors[0] if item.errors else None
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO inputs VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (item.doc, item.sha256, str(item.path), item.outcome, err.error if err else None,
                 err.message if err else None, item.n_tables, item.n_facts, item.n_new,
                 round(item.extract_s, 4), run_id, _now(), int(item.unexpected)))
            self.db.executemany("INSERT INTO errors VALUES (?,?,?,?,?,?)",
                                [(run_id, e.doc, e.path, e.error, e.message, e.line) for e in item.errors])

    def record_missing(self, run_id: int, spec: str) -> None:
        with self.db:
            self.db.execute("INSERT INTO errors VALUES (?,?,?,?,?,?)",
                            (run_id, spec, spec, "BadInputError", f"{spec}: no such file or glob match", None))

    def outcomes(self) -> Counter:
        return Counter(dict(self.db.execute("SELECT outcome, COUNT(*) FROM inputs GROUP BY outcome")))

    def last_summary(self) -> dict[str, Any]:
        row = self.db.execute("SELECT summary FROM runs WHERE summary IS NOT NULL ORDER BY id DESC LIMIT 1").fetchone()
        return json.loads(row[0]) if row else {}


@dataclass
class Item:
    """One input on its way through the run."""

    path: Path
    doc: str
    sha256: str
    document: Document | None = None
    errors: list[ErrorRecord] = field(default_factory=list)
    extract_s: float = 0.0
    n_tables: int = 0
    n_facts: int = 0
    n_new: int = 0
    unexpected: bool = False  # failed on an error that is not a TickmarkError (retried next run)
    facts: list[Fact] = field(default_factory=list)  # the document's facts, made once

    @property
    def outcome(self) -> str:
        d = self.document
        if d is None or (d.errors and not d.tables):
            return "failed"
        if not d.tables:
            return "ok"
        worst = max(d.tables, key=lambda t: _SEVERITY[t.status]).status
        return worst.value


class ExtractionTimeout(Exception):
    """One input took longer than TICKMARK_FILE_TIMEOUT."""


def _on_alarm(signum, frame):
    raise ExtractionTimeout()


def extract_item(path: Path) -> tuple[Document | None, list[ErrorRecord], float]:
    """Extract one file; every failure becomes an error record (the run never stops on one).
    An input that takes longer than TICKMARK_FILE_TIMEOUT is stopped and recorded as failed;
    the next run tries it again (a longer timeout may be set by then)."""
    from extractor.extract import extract_or_error

    t0 = time.perf_counter()
    limit = get_settings().file_timeout
    timed = limit > 0 and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if timed:
        previous = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        doc = extract_or_error(path)
    except ExtractionTimeout:
        msg = (f"{path.name}: extraction took longer than {limit:g} s and was stopped; raise "
               "TICKMARK_FILE_TIMEOUT (the next run tries this file again)")
        return None, [ErrorRecord(doc=path.name, path=str(path), error="ExtractionTimeout", message=msg)], \
            time.perf_counter() - t0
    except Exception as e:  # a parser bug must not lose the other inputs: record it, go on
        tb = traceback.extract_tb(e.__traceback__)[-1]
        msg = f"{path.name}: unexpected {type(e).__name__} in extraction ({tb.filename}:{tb.lineno}): {e}"
        return None, [ErrorRecord(doc=path.name, path=str(path), error=type(e).__name__, message=msg)], \
            time.perf_counter() - t0
    finally:
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    return doc, list(doc.errors), time.perf_counter() - t0


def _worker_init() -> None:
    """Worker processes die with the parent: a SIGKILLed ingest leaves no orphans behind."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _extracted(items: list[Item], workers: int) -> Iterator[Item]:
    """Items with their documents, in input order; in worker processes when workers > 1."""
    if workers <= 1:
        for it in items:
            it.document, it.errors, it.extract_s = extract_item(it.path)
            it.unexpected = it.document is None
            yield it
        return
    import multiprocessing as mp

    with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn"),
                             initializer=_worker_init) as pool:
        for it, (doc, errs, secs) in zip(items, pool.map(extract_item, [i.path for i in items], chunksize=2)):
            it.document, it.errors, it.extract_s = doc, errs, secs
            it.unexpected = doc is None
            yield it


def _batches(items: Iterator[Item], batch_facts: int) -> Iterator[list[Item]]:
    """Group extracted items so one embedding call covers about ``batch_facts`` facts."""
    batch: list[Item] = []
    n = 0
    for it in items:
        batch.append(it)
        it.facts = document_facts(it.document) if it.document else []
        n += len(it.facts)
        if n >= batch_facts or len(batch) >= 64:
            yield batch
            batch, n = [], 0
    if batch:
        yield batch


@dataclass
class Totals:
    files: int = 0
    skipped: int = 0
    missing: int = 0
    tables: int = 0
    facts: int = 0
    new_facts: int = 0
    extract_s: float = 0.0
    outcomes: Counter = field(default_factory=Counter)


def _bar(total: int):
    from tqdm import tqdm

    return tqdm(total=total, desc="ingest", unit="file", file=sys.stderr, mininterval=0.5,
                dynamic_ncols=True, disable=total == 0)


def ingest(paths: list[str], *, workers: int = 1, batch_size: int = 256, force: bool = False,
           home: Path | None = None, argv: list[str] | None = None, progress: bool = True) -> dict[str, Any]:
    """Extract and index every input; return the run summary (also stored in the manifest)."""
    from extractor.bulk import expand_inputs

    from .index import open_index

    home = Path(home or get_settings().ensure_home())
    manifest = Manifest(home / "manifest.sqlite")
    run_id = manifest.start_run(argv or paths)
    files, missing = expand_inputs(paths)
    tot = Totals(files=len(files), missing=len(missing))
    for spec in missing:
        manifest.record_missing(run_id, spec)
    index = open_index(home)
    todo = _todo(files, manifest, force, tot, index.document_sources())
    emb0 = (getattr(index.embedder, "computed", 0), getattr(index.embedder, "hits", 0))
    timings0 = dict(index.timings)
    t0 = time.perf_counter()
    bar = _bar(len(todo)) if progress else None
    for batch in _batches(_extracted(todo, workers), batch_size):
        _write_batch(batch, index, manifest, run_id, tot)
        if bar is not None:
            bar.update(len(batch))
            secs = max(time.perf_counter() - t0, 1e-9)
            bar.set_postfix(tables=tot.tables, facts=tot.facts, tables_s=f"{tot.tables / secs:.0f}",
                            facts_s=f"{tot.facts / secs:.0f}", refresh=False)
    if bar is not None:
        bar.close()
    summary = _summary(tot, index, emb0, timings0, time.perf_counter() - t0, manifest)
    manifest.finish_run(run_id, summary)
    return summary


def _todo(files: list[Path], manifest: Manifest, force: bool, tot: Totals,
          indexed: dict[str, tuple[str, str]]) -> list[Item]:
    todo = []
    taken = dict(indexed)  # doc id -> (resolved path, sha256) of what holds it
    for p in files:
        sha = _sha256(p)
        doc = doc_id(p, sha, taken)
        taken[doc] = (str(p.resolve()), sha)
        item = Item(path=p, doc=doc, sha256=sha)
        if not force and manifest.is_done(item.doc, item.sha256):
            tot.skipped += 1
            continue
        todo.append(item)
    return todo


def doc_id(path: Path, sha256: str, taken: dict[str, tuple[str, str]]) -> str:
    """The document id of an input: its file name, unless that id already belongs to another
    file (another path with other content), which would be replaced and lost. Then the id
    takes the parent folder ("q2/notes.txt"), and failing that a hash of the path. The same
    file moved (same content) or edited in place (same path) keeps its id."""
    resolved = str(path.resolve())
    candidates = [path.name, f"{path.parent.name}/{path.name}",
                  f"{path.name}@{hashlib.sha256(resolved.encode()).hexdigest()[:10]}"]
    for doc in candidates:  # the id this path already holds, if any
        if taken.get(doc, ("",))[0] == resolved:
            return doc
    for doc in candidates:
        owner = taken.get(doc)
        if owner is None or owner[1] == sha256:
            return doc
    return candidates[-1]


def _renamed(document: Document, doc: str) -> Document:
    """The document under another id (every table, check and error that names it)."""
    old = document.doc

    def walk(x):
        if isinstance(x, dict):
            if x.get("doc") == old:
                x["doc"] = doc
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    data = document.model_dump()
    walk(data)
    return Document.model_validate(data)


def _write_batch(batch: list[Item], index, manifest: Manifest, run_id: int, tot: Totals) -> None:
    for it in batch:
        if it.document is not None and it.document.doc != it.doc:
            it.document = _renamed(it.document, it.doc)
            it.errors = list(it.document.errors)
            it.facts = document_facts(it.document)
    done = [it for it in batch if it.document is not None]
    new_counts = iter(index.add_documents([it.document for it in done], [it.facts for it in done]))
    for it in batch:
        if it.document is not None:
            it.n_new = next(new_counts)
            it.n_tables = len(it.document.tables)
            it.n_facts = len(it.facts)
        manifest.record(run_id, it)
        tot.tables += it.n_tables
        tot.facts += it.n_facts
        tot.new_facts += it.n_new
        tot.extract_s += it.extract_s
        tot.outcomes[it.outcome] += 1


def _summary(tot: Totals, index, emb0, timings0, wall: float, manifest: Manifest) -> dict[str, Any]:
    emb = index.embedder
    return {
        "files": tot.files, "skipped": tot.skipped, "missing": tot.missing,
        "processed": sum(tot.outcomes.values()),
        **{o: tot.outcomes.get(o, 0) for o in OUTCOMES},
        "tables": tot.tables, "facts": tot.facts, "new_facts": tot.new_facts,
        "facts_embedded": index.timings["embedded"] - timings0["embedded"],
        "embedded": getattr(emb, "computed", 0) - emb0[0], "cache_hits": getattr(emb, "hits", 0) - emb0[1],
        "extract_s": round(tot.extract_s, 3),
        "embed_s": round(index.timings["embed_s"] - timings0["embed_s"], 3),
        "write_s": round(index.timings["write_s"] - timings0["write_s"], 3),
        "wall_s": round(wall, 3), "facts_per_s": round(tot.facts / wall, 1) if wall else 0.0,
        "index_facts": index.count(), "manifest": dict(manifest.outcomes()),
        "embedder": emb.name,
    }


def format_summary(s: dict[str, Any]) -> str:
    lines = [
        f"ingest: {s['files']} input file(s), {s['skipped']} already done (skipped), "
        f"{s['missing']} missing path(s)",
        "  files: " + ", ".join(f"{s[o]} {o}" for o in OUTCOMES),
        f"  {s['tables']} table(s), {s['facts']} fact(s) ({s['new_facts']} new, {s['facts_embedded']} "
        f"vectorised); {s['embedded']} text(s) through the model, {s['cache_hits']} from cache "
        f"({s['embedder']})",
        f"  time: extract {s['extract_s']:.1f}s, embed {s['embed_s']:.1f}s, write {s['write_s']:.1f}s, "
        f"wall {s['wall_s']:.1f}s ({s['facts_per_s']:.0f} facts/s)",
        f"  index: {s['index_facts']} fact(s); manifest: "
        + ", ".join(f"{k} {v}" for k, v in sorted(s["manifest"].items())),
    ]
    return "\n".join(lines)


def run_ingest(args: argparse.Namespace) -> int:
    summary = ingest(args.paths, workers=args.workers, batch_size=args.batch_size, force=args.force,
                     argv=sys.argv[1:])
    _print_errors(summary)
    print(format_summary(summary), file=sys.stderr)
    if not summary["files"]:
        return 1  # nothing matched: every path was missing
    read = summary["processed"] - summary["failed"] + summary["skipped"]
    return 0 if read else 1


def _print_errors(summary: dict[str, Any], limit: int = 20) -> None:
    home = get_settings().home
    db = sqlite3.connect(str(home / "manifest.sqlite"))
    run = db.execute("SELECT MAX(id) FROM runs").fetchone()[0]
    rows = db.execute("SELECT doc, error, message FROM errors WHERE run_id=?", (run,)).fetchall()
    db.close()
    for doc, err, msg in rows[:limit]:
        print(f"error: {err}: {msg}", file=sys.stderr)
    if len(rows) > limit:
        print(f"error: ... and {len(rows) - limit} more; all are in {home / 'manifest.sqlite'} "
              "(table errors)", file=sys.stderr)


# ---- export ------------------------------------------------------------------------------

def fact_row(f: Fact) -> dict[str, Any]:
    """A fact as one flat, JSON-ready record with its citation."""
    p, c = f.period, f.citation
    v = f.value
    return {
        "id": f.id, "doc": f.doc, "table_id": f.table_id, "title": f.title, "caption": f.caption,
        "subject": f.subject, "members": " | ".join(f.members), "section": f.section,
        "measure": f.measure, "concept": f.concept,
        "period": p.key if p else None, "period_kind": p.kind if p else None,
        "period_start": (p.start or p.instant).isoformat() if p and (p.start or p.instant) else None,
        "period_end": p.end_date.isoformat() if p and p.end_date else None,
        "value": int(v) if v == v.to_integral_value() else float(v), "value_text": str(v),
        "raw": f.raw, "scale": f.scale, "currency": f.currency, "unit": f.unit,
        "table_status": f.table_status.value, "checks_passed": f.checks_passed,
        "checks_failed": f.checks_failed, "row": c.row, "column": c.column,
        "row_label": c.row_label, "column_header": c.column_header,
        "line_start": c.line_start, "line_end": c.line_end,
        "char_start": c.char_start, "char_end": c.char_end,
    }


def export_facts(facts, fmt: str, out: str | None) -> int:
    from extractor.bulk import open_out

    rows = (fact_row(f) for f in facts)
    if fmt == "parquet":
        return _export_parquet(list(rows), out)
    if fmt not in ("jsonl", "csv"):
        raise BadInputError(f"unknown format {fmt!r}; use jsonl, csv or parquet")
    fh = open_out(out)
    n = 0
    writer = None
    for r in rows:
        if fmt == "jsonl":
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        else:
            if writer is None:
                import csv

                writer = csv.DictWriter(fh, fieldnames=list(r))
                writer.writeheader()
            writer.writerow(r)
        n += 1
    if fh is not sys.stdout:
        fh.close()
    return n


def _export_parquet(rows: list[dict[str, Any]], out: str | None) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not out or out == "-":
        raise BadInputError("--format parquet needs --out FILE (Parquet is binary)")
    cols = list(rows[0]) if rows else []
    data = {k: [float(r[k]) if k == "value" else r[k] for r in rows] for k in cols}
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table(data), out)
    return len(rows)


def run_export(args: argparse.Namespace) -> int:
    from .index import open_index

    index = open_index()
    if args.doc and args.doc not in index.documents():
        raise BadInputError(f"document {args.doc!r} is not in the index at {index.home}; "
                            "ingest it first (tickmark ingest PATH)")
    n = export_facts(index.iter_facts(args.doc), args.format, args.out)
    print(f"exported {n} fact(s)", file=sys.stderr)
    return 0
