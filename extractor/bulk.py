"""Input expansion and table output writers (JSONL / CSV / Parquet), shared by the CLI."""

from __future__ import annotations

import csv
import glob
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from .errors import BadInputError

TEXT_SUFFIXES = {".txt", ".htm", ".html", ".xml", ".xhtml", ".text", ".md", ""}


def expand_inputs(specs: Iterable[str]) -> tuple[list[Path], list[str]]:
    """Files, directories (recursively) and globs -> (sorted unique files, missing specs)."""
    out: list[Path] = []
    missing: list[str] = []
    for spec in specs:
        p = Path(spec)
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*") if q.is_file() and not q.name.startswith(".")))
        elif p.is_file():
            out.append(p)
        else:
            hits = sorted(Path(h) for h in glob.glob(spec, recursive=True))
            files = [h for h in hits if h.is_file()]
            for h in hits:
                if h.is_dir():
                    files.extend(sorted(q for q in h.rglob("*") if q.is_file()))
            if files:
                out.extend(files)
            else:
                missing.append(spec)
    seen: set[Path] = set()
    uniq = []
    for f in out:
        r = f.resolve()
        if r not in seen:
            seen.add(r)
            uniq.append(f)
    return uniq, missing


def open_out(path: str | None, binary: bool = False) -> IO[Any]:
    if not path or path == "-":
        return sys.stdout.buffer if binary else sys.stdout
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return open(path, "wb" if binary else "w", encoding=None if binary else "utf-8", newline="" if not binary else None)


def flat_rows(records: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """One flat row per cell of each table record (the CSV / Parquet shape)."""
    for rec in records:
        if "error" in rec and "table_id" not in rec:
            yield {"doc": rec.get("doc"), "table_id": None, "error": rec.get("error"),
                   "message": rec.get("message")}
            continue
        for row in rec["rows"]:
            for j, v in enumerate(row["values"]):
                col = rec["columns"][j] if j < len(rec["columns"]) else {}
                per = col.get("period") or {}
                yield {
                    "doc": rec["doc"], "table_id": rec["table_id"], "title": rec["title"],
                    "caption": rec["caption"], "layout": rec["layout"], "method": rec["method"],
                    "status": rec["status"], "scale": rec["scale"], "currency": col.get("currency") or rec["currency"],
                    "row": row["index"], "label": row["label"], "members": " | ".join(row["members"]),
                    "column": j, "header": col.get("header"), "period": per.get("key"),
                    "value": v, "raw": row["raw"][j] if j < len(row["raw"]) else None,
                    "cell_status": row["cell_status"][j] if j < len(row["cell_status"]) else None,
                    "line_start": (row["lines"] or [None, None])[0],
                    "line_end": (row["lines"] or [None, None])[1],
                }


def write_records(records: list[dict[str, Any]], fmt: str, out: str | None) -> None:
    """Write table records as jsonl (one table per line), csv or parquet (one cell per row)."""
    if fmt == "jsonl":
        fh = open_out(out)
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False, default=str) + "\n")
        if fh is not sys.stdout:
            fh.close()
        return
    rows = list(flat_rows(records))
    if fmt == "csv":
        fh = open_out(out)
        cols: list[str] = []
        for r in rows:
            for k in r:
                if k not in cols:
                    cols.append(k)
        w = csv.DictWriter(fh, fieldnames=cols or ["doc"])
        w.writeheader()
        w.writerows(rows)
        if fh is not sys.stdout:
            fh.close()
        return
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not out or out == "-":
            raise BadInputError("--format parquet needs --out FILE (Parquet is binary)")
        cols = sorted({k for r in rows for k in r})
        table = pa.table({c: [_pq(r.get(c)) for r in rows] for c in cols}) if rows else pa.table({})
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, out)
        return
    raise BadInputError(f"unknown format {fmt!r}; use jsonl, csv or parquet")


def _pq(v: Any) -> Any:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v)
    return v if v is None or isinstance(v, (str, bool)) else str(v)


