"""Which granularity retrieves best? Per fact, per row, per table summary, or composed.
"+col" modes rank as FactIndex.search does at the default row granularity: cosine plus
COLUMN_WEIGHT times the column match (question years / month / header words found in the
fact's period and column header).

A labelled set from synthetic documents: for sampled facts, a question written with
paraphrases (not the row label verbatim: "write-offs" for "Charge-offs", a year rather
than the header text). Each granularity gives every fact a vector; facts are ranked by
cosine similarity to the question (exact search, no ANN, so only the vectors differ).

    python -m benchmarks.retrieval_granularity [--docs 25] [--queries 120] [--embedder local]

Reports hit@1 / hit@5 within the question's document and hit@20 over all documents,
and the number of texts each granularity sends through the model.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import numpy as np

from evals.synth import generate
from extractor.extract import extract_path
from extractor.facts import document_facts, fact_text
from extractor.models import Fact
from qa.embed import CachedEmbedder, make_embedder
from qa.index import COLUMN_WEIGHT, column_match, compose_vectors, fact_contexts, query_terms

WORDS = {"opening": ["opening balance", "balance at the start"], "provision": ["provision", "expense charged"],
         "writeoff": ["write-offs", "amounts written off"], "recovery": ["recoveries"],
         "ending": ["closing balance", "balance at the end"], "gross": ["gross amount", "before allowance"],
         "allowance": ["allowance", "reserve"], "net": ["net amount", "net of allowance"]}


def question(f: Fact, rng: random.Random) -> str:
    subject = f.title.split(".", 1)[-1].strip().lower()
    seg = f.subject.split("—")[-1].strip() if f.concept not in WORDS or "—" in f.subject else ""
    what = rng.choice(WORDS.get(f.concept or "", [""]))
    when = ""
    if f.period and f.period.end_date:
        d = f.period.end_date
        when = f"in {d.year}" if f.period.kind == "duration" else f"at {d.strftime('%B %Y')}"
    return " ".join(x for x in (what, seg, subject, when) if x)


def vectors(mode: str, facts: list[Fact], embed) -> tuple[np.ndarray, int]:
    """Fact vectors under one granularity, and how many distinct texts were embedded."""
    mode = mode.removesuffix("+col")
    if mode == "fact":
        texts = [fact_text(f) for f in facts]
        keys = texts
    elif mode == "row":
        keys = [" | ".join(fact_contexts(f)[:2]) for f in facts]
    elif mode == "table":
        keys = [fact_contexts(f)[0] + " | " + ", ".join(sorted({g.subject for g in facts
                                                                 if (g.doc, g.table_id) == (f.doc, f.table_id)}))
                for f in facts]
    elif mode.startswith("composed"):
        w = float(mode.split("@")[1]) if "@" in mode else None
        counter = _Counting(embed)
        out = np.asarray(compose_vectors(counter, facts, w), dtype=np.float32)
        return out, counter.n
    uniq = sorted(set(keys))
    vec = dict(zip(uniq, np.asarray(embed(uniq), dtype=np.float32)))
    out = np.stack([vec[k] for k in keys])
    return out / np.linalg.norm(out, axis=1, keepdims=True), len(uniq)


class _Counting:
    name = "counting"

    def __init__(self, embed):
        self._embed, self.n = embed, 0

    def embed(self, texts):
        self.n += len(texts)
        return self._embed(texts)


def evaluate(mode: str, facts: list[Fact], queries: list[tuple[str, int]], embed) -> dict:
    t0 = time.perf_counter()
    V, n_texts = vectors(mode, facts, embed)
    secs = time.perf_counter() - t0
    Q = np.asarray(embed([q for q, _ in queries]), dtype=np.float32)
    docs = np.array([f.doc for f in facts])
    hits = {"hit@1_doc": 0, "hit@5_doc": 0, "hit@20_all": 0}
    for (q, target), qv in zip(queries, Q):
        s = V @ qv
        if mode.endswith("+col"):  # what FactIndex.search does at row granularity
            terms = query_terms(q)
            s = s + COLUMN_WEIGHT * np.array([column_match(terms, f) for f in facts], dtype=np.float32)
        order_all = np.argsort(-s, kind="stable")
        in_doc = order_all[docs[order_all] == facts[target].doc]
        hits["hit@1_doc"] += int(target in in_doc[:1])
        hits["hit@5_doc"] += int(target in in_doc[:5])
        hits["hit@20_all"] += int(target in order_all[:20])
    n = len(queries)
    return {"mode": mode, **{k: round(v / n, 3) for k, v in hits.items()}, "texts": n_texts,
            "facts": len(facts), "embed_s": round(secs, 1)}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.retrieval_granularity")
    p.add_argument("--docs", type=int, default=25)
    p.add_argument("--queries", type=int, default=120)
    p.add_argument("--embedder", default="local", help="local | hash")
    p.add_argument("--seed", type=int, default=5)
    p.add_argument("--cache", help="embedding cache file (reruns embed only new texts)")
    p.add_argument("--modes", default="fact,fact+col,row,row+col,composed,table",
                   help="comma list; composed@W sets the row weight W; +col adds the column match "
                        "of FactIndex.search (row+col is the default index)")
    a = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        paths = generate(a.docs, a.seed, Path(tmp))
        facts = [f for path in paths for f in document_facts(extract_path(path))]
    rng = random.Random(a.seed)
    picks = rng.sample(range(len(facts)), min(a.queries, len(facts)))
    queries = [(question(facts[i], rng), i) for i in picks]
    embedder = make_embedder(a.embedder)
    if a.cache:
        embedder = CachedEmbedder(embedder, Path(a.cache))
    print(f"{len(facts)} facts in {a.docs} documents, {len(queries)} questions, embedder {embedder.name}")
    print("e.g.", *[f"  {q!r} -> {facts[i].subject} / {facts[i].measure}" for q, i in queries[:3]], sep="\n")
    for mode in a.modes.split(","):
        print(evaluate(mode, facts, queries, embedder.embed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
