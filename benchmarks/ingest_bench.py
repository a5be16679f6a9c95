"""Ingest benchmark: the seeds plus generated documents through `ingest`, then query latency.

    python -m benchmarks.ingest_bench [--docs 1000] [--workers 2] [--embedder local] [--out FILE]

1. ingest the seeds + the first part of the generated documents until about 10,000 facts,
   measure query latency (p50 / p95 of FactIndex.search, query embedding included);
2. ingest everything (the run resumes: inputs already done are skipped), report throughput
   split into extract / embed / write and facts/s end to end, and check that the manifest
   accounts for every input;
3. add synthetic facts straight through the index up to 100,000 facts and measure query
   latency again; report peak memory (resource.getrusage).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "tests" / "fixtures" / "seeds"


def _percentile(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    k = min(len(xs) - 1, max(0, round(q * (len(xs) - 1))))
    return xs[k]


def query_latency(index, n_queries: int, seed: int) -> dict:
    """p50 / p95 (ms) of search(n=20) over distinct questions, plus the same with a doc filter."""
    from benchmarks.retrieval_granularity import question

    rng = random.Random(seed)
    facts = index.facts(doc=rng.choice(index.documents()))
    pool = [f for d in rng.sample(index.documents(), min(40, len(index.documents())))
            for f in index.facts(doc=d)] or facts
    qs = list(dict.fromkeys(question(rng.choice(pool), rng) + f" #{k}" for k in range(n_queries)))
    index.search("warm up the model", n=20)
    plain, filtered = [], []
    for q in qs:
        t0 = time.perf_counter()
        index.search(q, n=20)
        plain.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        index.search(q + " filtered", n=20, where={"doc": rng.choice(pool).doc})
        filtered.append((time.perf_counter() - t0) * 1000)
    return {"facts": index.count(), "queries": len(qs),
            "p50_ms": round(statistics.median(plain), 1), "p95_ms": round(_percentile(plain, 0.95), 1),
            "doc_filter_p50_ms": round(statistics.median(filtered), 1),
            "doc_filter_p95_ms": round(_percentile(filtered, 0.95), 1)}


def fill_to(index, target: int, seed: int) -> dict:
    """Add copies of indexed facts under new document names until the index holds target facts."""
    base = index.facts()
    base_vec = index.vectors_by_id([f.id for f in base])
    rng = random.Random(seed)
    t0 = time.perf_counter()
    added, k = 0, 0
    while index.count() < target:
        batch, vecs = [], []
        for f in rng.sample(base, min(len(base), 5000, target - index.count())):
            k += 1
            doc = f"bulk_{k // 25:06d}_{f.doc}"
            v = f.value + rng.randint(-50, 50)
            batch.append(f.model_copy(update={"id": f"x{k:09d}", "doc": doc, "value": v,
                                              "citation": f.citation.model_copy(update={"doc": doc})}))
            vecs.append(base_vec[f.id])
        added += index.add_facts(batch, vecs)
    return {"added": added, "seconds": round(time.perf_counter() - t0, 1),
            "facts_per_s": round(added / max(time.perf_counter() - t0, 1e-9), 1)}


def peak_memory_mb() -> dict:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"parent_mb": round(own, 1), "largest_worker_mb": round(kids, 1)}


def run(docs: int, workers: int, embedder: str, home: Path, corpus: Path, seed: int,
        fill: int = 100_000, granularity: str = "row") -> dict:
    from evals.synth import generate
    from qa.index import open_index
    from qa.ingest import Manifest, ingest

    os.environ["TICKMARK_HOME"] = str(home)
    os.environ["TICKMARK_EMBEDDINGS"] = embedder
    os.environ["TICKMARK_INDEX_GRANULARITY"] = granularity
    t0 = time.perf_counter()
    paths = generate(docs, seed, corpus)
    shutil.copytree(SEEDS, corpus / "seeds")
    gen_s = time.perf_counter() - t0
    inputs = [str(corpus / "seeds")] + [str(p) for p in paths]
    out: dict = {"docs_generated": docs, "generate_s": round(gen_s, 1), "workers": workers,
                 "embedder": embedder, "granularity": granularity, "cpus": os.cpu_count(),
                 "load_avg_start": os.getloadavg()[0]}
    first = ingest(inputs[: 1 + docs * 2 // 5], workers=workers, home=home, progress=True)
    index = open_index(home)
    out["latency_small"] = query_latency(index, 60, seed)
    rest = ingest(inputs, workers=workers, home=home, progress=True)
    out["ingest_first"], out["ingest_rest"] = first, rest
    out["ingest_total"] = _combine(first, rest)
    man = Manifest(home / "manifest.sqlite")
    out["manifest"] = {"inputs": len(inputs) - 1 + len(list(SEEDS.glob("*"))),
                       "recorded": sum(man.outcomes().values()), "outcomes": dict(man.outcomes())}
    if index.count() < 10_000 <= fill:  # a small run: fill up to the 10k point first
        out["fill_10k"] = fill_to(index, 10_000, seed)
        out["latency_small"] = query_latency(index, 60, seed + 2)
    out["fill"] = fill_to(index, fill, seed)
    out["latency_100k"] = query_latency(index, 60, seed + 1)
    out["load_avg_end"] = os.getloadavg()[0]
    out["memory"] = peak_memory_mb()
    return out


def _combine(a: dict, b: dict) -> dict:
    keys = ("processed", "ok", "flagged", "ambiguous", "quarantined", "failed", "tables", "facts",
            "facts_embedded", "embedded", "cache_hits", "extract_s", "embed_s", "write_s", "wall_s")
    tot = {k: round(a[k] + b[k], 3) for k in keys}
    tot["facts_per_s"] = round(tot["facts"] / tot["wall_s"], 1) if tot["wall_s"] else 0.0
    return tot


def report(r: dict) -> str:
    t, m = r["ingest_total"], r["manifest"]
    lines = [
        f"# Ingest benchmark ({r['embedder']} embedder, {r['granularity']} vectors, {r['workers']} "
        f"worker(s), {r['cpus']} CPUs, load average {r['load_avg_start']:.1f} -> {r['load_avg_end']:.1f})",
        f"- inputs: {m['inputs']} (4 seeds + {r['docs_generated']} generated); manifest records "
        f"{m['recorded']}: {m['outcomes']}",
        f"- {t['processed']} files -> {t['tables']} tables, {t['facts']} facts in {t['wall_s']:.1f} s wall: "
        f"**{t['facts_per_s']:.0f} facts/s end to end**",
        f"- split: extract {t['extract_s']:.1f} s (worker CPU), embed {t['embed_s']:.1f} s "
        f"({t['embedded']} texts through the model, {t['cache_hits']} from cache, for "
        f"{t['facts_embedded']} fact vectors), write {t['write_s']:.1f} s",
        f"- query latency at {r['latency_small']['facts']} facts: p50 {r['latency_small']['p50_ms']} ms, "
        f"p95 {r['latency_small']['p95_ms']} ms (doc filter p95 {r['latency_small']['doc_filter_p95_ms']} ms)",
        f"- filled: +{r['fill']['added']} facts in {r['fill']['seconds']} s "
        f"({r['fill']['facts_per_s']} facts/s, vectors from cache + chroma writes)",
        f"- query latency at {r['latency_100k']['facts']} facts: p50 {r['latency_100k']['p50_ms']} ms, "
        f"p95 {r['latency_100k']['p95_ms']} ms (doc filter p95 {r['latency_100k']['doc_filter_p95_ms']} ms)",
        f"- peak memory (max RSS): parent {r['memory']['parent_mb']} MB; largest child "
        f"{r['memory']['largest_worker_mb']} MB (Linux counts the parent's pages a child had at fork)",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.ingest_bench", description=__doc__.split("\n")[0])
    p.add_argument("--docs", type=int, default=1000)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--embedder", default="local", help="local (default) | hash | openai")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--home", help="keep the index here (default: a temp dir, removed)")
    p.add_argument("--fill", type=int, default=100_000, help="facts to reach for the second latency point")
    p.add_argument("--granularity", default="row", help="row (default) | fact | composed")
    p.add_argument("--out", help="write the figures as JSON here")
    a = p.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="tickmark-bench-"))
    home = Path(a.home) if a.home else tmp / "home"
    try:
        r = run(a.docs, a.workers, a.embedder, home, tmp / "corpus", a.seed, a.fill, a.granularity)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(report(r))
    if a.out:
        Path(a.out).write_text(json.dumps(r, indent=1, default=str))
    print(json.dumps(r, default=str), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
