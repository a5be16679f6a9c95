"""SIGKILL an ingest midway, run it again, and compare with an uninterrupted run.

    python -m benchmarks.ingest_resume [--docs 1000] [--embedder local] [--kill-at 0.4]

1. an uninterrupted reference run over the seeds + generated documents (fact ids are content
   hashes, so the reference may use the hash embedder: the ids do not depend on the vectors);
2. the same inputs through `tickmark ingest` in a subprocess, SIGKILLed once the manifest
   holds --kill-at of the inputs;
3. the same command again: it must skip what was done, embed only what was not, and end
   with exactly the reference's fact ids, no duplicates, and a manifest row per input.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "tests" / "fixtures" / "seeds"


def _count(db_path: Path, sql: str) -> int:
    if not db_path.exists():
        return 0
    db = sqlite3.connect(str(db_path), timeout=30)
    try:
        return db.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:  # schema not created yet
        return 0
    finally:
        db.close()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.ingest_resume", description=__doc__.split("\n")[0])
    p.add_argument("--docs", type=int, default=1000)
    p.add_argument("--embedder", default="local", help="embedder of the killed and resumed runs")
    p.add_argument("--kill-at", type=float, default=0.4, help="share of inputs done when killed")
    p.add_argument("--seed", type=int, default=2026)
    a = p.parse_args(argv)
    from evals.synth import generate

    tmp = Path(tempfile.mkdtemp(prefix="tickmark-resume-"))
    try:
        corpus = tmp / "corpus"
        generate(a.docs, a.seed, corpus)
        shutil.copytree(SEEDS, corpus / "seeds")
        n_inputs = sum(1 for q in corpus.rglob("*") if q.is_file())
        env = {**os.environ, "HF_HUB_OFFLINE": "1"}
        cmd = [sys.executable, "-m", "extractor.cli", "ingest", str(corpus), "--workers", "2"]

        ref_home = tmp / "ref"
        subprocess.run(cmd, cwd=REPO, env={**env, "TICKMARK_HOME": str(ref_home), "TICKMARK_EMBEDDINGS": "hash"},
                       check=True, capture_output=True)
        ref_ids = {r[0] for r in sqlite3.connect(str(ref_home / "index.sqlite")).execute("SELECT id FROM facts")}

        home = tmp / "killed"
        run_env = {**env, "TICKMARK_HOME": str(home), "TICKMARK_EMBEDDINGS": a.embedder}
        proc = subprocess.Popen(cmd, cwd=REPO, env=run_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        target = int(n_inputs * a.kill_at)
        while proc.poll() is None and _count(home / "manifest.sqlite", "SELECT COUNT(*) FROM inputs") < target:
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        done = _count(home / "manifest.sqlite", "SELECT COUNT(*) FROM inputs")
        facts_at_kill = _count(home / "index.sqlite", "SELECT COUNT(*) FROM facts")
        t0 = time.perf_counter()
        out = subprocess.run(cmd, cwd=REPO, env=run_env, capture_output=True, text=True)
        secs = time.perf_counter() - t0
        if out.returncode != 0:
            print(out.stderr[-2000:], file=sys.stderr)
            return 1
        from qa.index import FactIndex
        from qa.ingest import Manifest

        s = Manifest(home / "manifest.sqlite").last_summary()
        ids = [r[0] for r in sqlite3.connect(str(home / "index.sqlite")).execute("SELECT id FROM facts")]

        chroma_n = FactIndex(home).collection.count()
        manifest_n = _count(home / "manifest.sqlite", "SELECT COUNT(*) FROM inputs")
        print(f"inputs: {n_inputs}; reference run: {len(ref_ids)} facts")
        print(f"killed (SIGKILL) with {done}/{n_inputs} inputs in the manifest, {facts_at_kill} facts indexed")
        print(f"rerun ({secs:.1f} s): skipped {s['skipped']}, processed {s['processed']}, vectorised "
              f"{s['facts_embedded']} facts (= {len(ref_ids)} - {facts_at_kill}: "
              f"{s['facts_embedded'] == len(ref_ids) - facts_at_kill}), {s['embedded']} texts through the model")
        print(f"final: {len(ids)} facts, {len(ids) - len(set(ids))} duplicate ids, chroma {chroma_n}, "
              f"same ids as the reference: {set(ids) == ref_ids}, manifest rows {manifest_n}/{n_inputs}")
        ok = (set(ids) == ref_ids and len(ids) == len(set(ids)) == chroma_n and manifest_n == n_inputs
              and s["skipped"] == done and s["facts_embedded"] == len(ref_ids) - facts_at_kill)
        print("RESUME OK" if ok else "RESUME FAILED")
        return 0 if ok else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
