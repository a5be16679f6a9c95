"""Extraction benchmark: throughput (MB/s, tables/s) and peak memory on the seeds replicated
to >= 20 MB (caches emptied per document; warm alongside), cost at 1x / 10x / 100x, the
output floor (what constructing and writing the output models alone costs; a ceiling), the
same on the 28 real EDGAR files of tests/fixtures/edgar, and a side-by-side with
pandas.read_html (lxml) on the HTML versions of the seed tables, as a ratio from one run.

    python -m benchmarks.extract_bench [--mb 20]
"""

from __future__ import annotations

import argparse
import io
import resource
import sys
import time
from pathlib import Path

from extractor.extract import extract_source, extract_text
from extractor.read import read_bytes

REPO = Path(__file__).resolve().parent.parent
SEEDS = sorted((REPO / "tests" / "fixtures" / "seeds").glob("*.txt"))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def clear_caches() -> None:
    """Empty every lru_cache of the extractor (header solves, number and period parses...):
    copies of one seed would otherwise find every header already solved, which distinct
    filings would not."""
    for name, mod in list(sys.modules.items()):
        if name.startswith("extractor"):
            for obj in vars(mod).values():
                if callable(getattr(obj, "cache_clear", None)):
                    obj.cache_clear()


def run_copies(copies: int, cold: bool = True) -> dict[str, float]:
    """Extract `copies` copies of every seed (each copy a separate document, as in bulk runs);
    cold: with the extractor's caches emptied before every document (the honest figure)."""
    blobs = [(p.name, p.read_bytes()) for p in SEEDS]
    n_bytes = tables = 0
    t0 = time.perf_counter()
    for k in range(copies):
        for name, data in blobs:
            if cold:
                clear_caches()
            doc = extract_source(read_bytes(data, f"{k}_{name}"))
            n_bytes += len(data)
            tables += len(doc.tables)
    dt = time.perf_counter() - t0
    return {"copies": copies, "mb": n_bytes / 1e6, "seconds": dt, "mb_per_s": n_bytes / 1e6 / dt,
            "tables": tables, "tables_per_s": tables / dt}


def run_edgar() -> dict[str, float]:
    """The real EDGAR files of tests/fixtures/edgar (10-K/10-Q/20-F HTML, R pages, XML): mostly
    prose and markup around the tables, unlike the table-dense seeds. Caches emptied per file."""
    files = sorted(p for p in (REPO / "tests" / "fixtures" / "edgar").iterdir()
                   if p.suffix in (".htm", ".html", ".xml"))
    blobs = [(p.name, p.read_bytes()) for p in files]
    extract_source(read_bytes(blobs[0][1], blobs[0][0]))  # imports and first-use set-up
    n_bytes = tables = 0
    t0 = time.perf_counter()
    for name, data in blobs:
        clear_caches()
        tables += len(extract_source(read_bytes(data, name)).tables)
        n_bytes += len(data)
    dt = time.perf_counter() - t0
    return {"files": len(blobs), "mb": n_bytes / 1e6, "seconds": dt, "mb_per_s": n_bytes / 1e6 / dt,
            "tables": tables, "tables_per_s": tables / dt}


def _count_models(obj) -> int:
    """Pydantic model instances in obj, itself included (cells, spans, periods, checks, refs...)."""
    from pydantic import BaseModel

    if isinstance(obj, BaseModel):
        return 1 + sum(_count_models(getattr(obj, f)) for f in type(obj).model_fields)
    if isinstance(obj, (list, tuple)):
        return sum(_count_models(x) for x in obj)
    if isinstance(obj, dict):
        return sum(_count_models(x) for x in obj.values())
    return 0


def output_floor(rounds: int = 20) -> dict[str, float]:
    """What building the output alone costs: the seeds' Documents constructed again from their own
    dump (pydantic-core's fastest path: one validation of the nested data, no parsing, no proving)
    and written as JSON. Any extractor whose output is these models pays at least this, so
    seed_bytes / time is a ceiling on its MB/s."""
    from extractor.models import Document

    blobs = [(p.name, p.read_bytes()) for p in SEEDS]
    docs = [extract_source(read_bytes(data, name)) for name, data in blobs]
    dumps = [d.model_dump() for d in docs]
    n_bytes = sum(len(data) for _, data in blobs)
    objects = sum(_count_models(d) for d in docs)

    def per_pass(fn) -> float:
        fn()
        t0 = time.perf_counter()
        for _ in range(rounds):
            fn()
        return (time.perf_counter() - t0) / rounds

    build = per_pass(lambda: [Document.model_validate(x) for x in dumps])
    write = per_pass(lambda: [d.model_dump_json() for d in docs])
    return {"objects": objects, "build_ms": build * 1e3, "write_ms": write * 1e3,
            "build_mb_per_s": n_bytes / 1e6 / build, "build_write_mb_per_s": n_bytes / 1e6 / (build + write)}


def html_versions() -> list[str]:
    from evals.gold import gold_docs, load_gold
    from evals.render import render_html

    return ["<html><body>" + render_html(g) + "</body></html>"
            for name in gold_docs() for g in load_gold(name)["tables"]]


def baseline_vs_tickmark(rounds: int = 20) -> dict[str, float]:
    """pandas.read_html (lxml) against Tickmark's HTML path on the same HTML tables."""
    import pandas as pd

    pages = html_versions()
    t0 = time.perf_counter()
    n_pd = 0
    for _ in range(rounds):
        for h in pages:
            n_pd += len(pd.read_html(io.StringIO(h), flavor="lxml"))
    t_pd = time.perf_counter() - t0
    t0 = time.perf_counter()
    n_tm = 0
    for _ in range(rounds):
        for k, h in enumerate(pages):
            n_tm += len(extract_text(h, f"t{k}.html").tables)
    t_tm = time.perf_counter() - t0
    return {"pages": len(pages) * rounds, "pandas_s": t_pd, "tickmark_s": t_tm,
            "pandas_tables": n_pd, "tickmark_tables": n_tm, "ratio_tickmark_over_pandas": t_tm / t_pd}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=20.0, help="corpus size for the throughput run")
    args = ap.parse_args(argv)
    seed_bytes = sum(p.stat().st_size for p in SEEDS)
    print(f"seeds: {len(SEEDS)} files, {seed_bytes / 1e3:.1f} kB")
    print(f"{'size':>6} {'MB':>8} {'sec':>8} {'MB/s':>8} {'tables':>8} {'tables/s':>9} {'peak MB':>8}")
    base = None
    for label, copies in (("1x", 1), ("10x", 10), ("100x", 100)):
        r = run_copies(copies)
        base = base or r["seconds"]
        print(f"{label:>6} {r['mb']:8.2f} {r['seconds']:8.2f} {r['mb_per_s']:8.2f} {r['tables']:8d} "
              f"{r['tables_per_s']:9.0f} {peak_mb():8.0f}   time x{r['seconds'] / base:.1f}")
    copies = max(1, int(args.mb * 1e6 / seed_bytes) + 1)
    r = run_copies(copies)
    print(f"\nthroughput on {r['mb']:.1f} MB (seeds x{copies}, one core, caches emptied per document): "
          f"{r['mb_per_s']:.2f} MB/s, {r['tables_per_s']:.0f} tables/s, peak memory {peak_mb():.0f} MB "
          "(target >= 5 MB/s)")
    w = run_copies(max(1, copies // 10), cold=False)
    print(f"same with warm caches ({w['mb']:.1f} MB; repeated headers solved once): {w['mb_per_s']:.2f} MB/s, "
          f"ratio warm/cold = {w['mb_per_s'] / r['mb_per_s']:.2f}")
    f = output_floor()
    print(f"output floor: building the seeds' {f['objects']:,} output models again from their own dump "
          f"takes {f['build_ms']:.1f} ms per pass ({f['build_mb_per_s']:.2f} MB/s), "
          f"+ writing them as JSON {f['write_ms']:.1f} ms ({f['build_write_mb_per_s']:.2f} MB/s): "
          "a ceiling for any extractor emitting these pydantic models, before reading a byte")
    e = run_edgar()
    print(f"real EDGAR filings ({e['files']} files, {e['mb']:.1f} MB, caches emptied per file): "
          f"{e['mb_per_s']:.2f} MB/s, {e['tables']} tables, {e['tables_per_s']:.0f} tables/s")
    try:
        b = baseline_vs_tickmark()
    except ImportError as e:
        print(f"baseline skipped: {e}")
        return 0
    print(f"\nbaseline on {b['pages']} HTML tables: pandas.read_html {b['pandas_s']:.3f} s "
          f"({b['pandas_tables']} tables, no periods, no checks) vs tickmark {b['tickmark_s']:.3f} s "
          f"({b['tickmark_tables']} tables, cited + checked): ratio tickmark/pandas = "
          f"{b['ratio_tickmark_over_pandas']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
