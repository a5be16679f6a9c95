"""Bulk ingestion loses nothing: bad files become error records, a killed run resumes with
no duplicates and no gaps, and nothing done is embedded twice. Export writes every fact."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from argparse import Namespace
from pathlib import Path

import pytest

from evals.synth import generate
from qa.index import FactIndex
from qa.ingest import Manifest, ingest, run_export

REPO = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("synth")
    generate(60, seed=11, out_dir=d)
    return d


def _manifest_rows(home: Path) -> dict[str, str]:
    db = sqlite3.connect(str(home / "manifest.sqlite"))
    try:
        return dict(db.execute("SELECT doc, outcome FROM inputs"))
    finally:
        db.close()


def test_folder_with_bad_files_completes_with_error_records(tmp_path, corpus):
    folder = tmp_path / "in"
    folder.mkdir()
    for p in sorted(corpus.glob("*.htm"))[:5]:
        (folder / p.name).write_bytes(p.read_bytes())
    (folder / "broken.bin").write_bytes(b"\x00\x01\x02garbage\x00")
    (folder / "blank.txt").write_text("   \n")
    home = tmp_path / "home"
    s = ingest([str(folder), str(tmp_path / "nope*.htm")], home=home, progress=False)
    assert s["files"] == 7 and s["failed"] == 2 and s["missing"] == 1
    assert s["processed"] == 7 and s["facts"] > 0 and s["index_facts"] == s["facts"]
    rows = _manifest_rows(home)
    assert rows["broken.bin"] == "failed" and rows["blank.txt"] == "failed" and len(rows) == 7
    db = sqlite3.connect(str(home / "manifest.sqlite"))
    errs = {d: (e, m) for d, e, m in db.execute("SELECT doc, error, message FROM errors")}
    assert errs["broken.bin"][0] == "BadInputError" and "binary" in errs["broken.bin"][1]
    assert "no such file" in errs[str(tmp_path / "nope*.htm")][1]
    again = ingest([str(folder)], home=home, progress=False)
    assert again["skipped"] == 7 and again["processed"] == 0 and again["facts_embedded"] == 0


def test_resume_after_sigkill_has_no_duplicates_and_no_gaps(tmp_path, corpus):
    ref_home = tmp_path / "ref"
    ref = ingest([str(corpus)], home=ref_home, progress=False)
    ref_ids = {f.id for f in FactIndex(ref_home).facts()}
    assert ref["processed"] == 60 and len(ref_ids) == ref["facts"] > 0

    home = tmp_path / "killed"
    env = {**os.environ, "TICKMARK_HOME": str(home), "TICKMARK_EMBEDDINGS": "hash"}
    cmd = [sys.executable, "-m", "extractor.cli", "ingest", str(corpus), "--batch-size", "4"]
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    done_at_kill = _kill_midway(proc, home)
    assert 0 < done_at_kill < 60, "the run finished or never started before it could be killed"
    facts_at_kill = _count(home / "index.sqlite", "facts")

    out = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    s = Manifest(home / "manifest.sqlite").last_summary()
    print(f"killed after {done_at_kill}/60 inputs ({facts_at_kill} facts indexed); rerun skipped "
          f"{s['skipped']}, vectorised {s['facts_embedded']} of {ref['facts']} facts")
    assert s["skipped"] == done_at_kill and s["processed"] == 60 - done_at_kill
    # nothing already indexed is embedded again
    assert s["facts_embedded"] == ref["facts"] - facts_at_kill
    ix = FactIndex(home)
    ids = [f.id for f in ix.facts()]
    assert len(ids) == len(set(ids)) == ix.collection.count() == ref["facts"]
    assert set(ids) == ref_ids
    assert len(_manifest_rows(home)) == 60


def _kill_midway(proc: subprocess.Popen, home: Path, timeout: float = 60) -> int:
    """SIGKILL the run as soon as the manifest shows some, but not all, inputs done."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        n = _count(home / "manifest.sqlite", "inputs")
        if n >= 8:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return _count(home / "manifest.sqlite", "inputs")
        time.sleep(0.01)
    proc.kill()
    proc.wait()
    return _count(home / "manifest.sqlite", "inputs")


def _count(db_path: Path, table: str) -> int:
    if not db_path.exists():
        return 0
    db = sqlite3.connect(str(db_path), timeout=30)
    try:
        return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    except sqlite3.OperationalError:  # schema not created yet
        return 0
    finally:
        db.close()


def test_export_formats(tmp_path, corpus, capsys):
    files = sorted(corpus.glob("*.htm"))[:3]
    s = ingest([str(f) for f in files], home=Path(os.environ["TICKMARK_HOME"]), progress=False)
    out = tmp_path / "facts.jsonl"
    run_export(Namespace(format="jsonl", out=str(out), doc=None))
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert len(rows) == s["facts"] and len({r["id"] for r in rows}) == len(rows)
    r = rows[0]
    assert r["doc"] == files[0].name and r["line_start"] and r["row_label"] and r["period"]
    run_export(Namespace(format="csv", out=str(tmp_path / "f.csv"), doc=files[1].name))
    lines = (tmp_path / "f.csv").read_text().splitlines()
    assert lines[0].startswith("id,doc,table_id") and all(files[1].name in x for x in lines[1:])
    import pyarrow.parquet as pq

    run_export(Namespace(format="parquet", out=str(tmp_path / "f.parquet"), doc=None))
    assert pq.read_table(tmp_path / "f.parquet").num_rows == s["facts"]


def test_same_file_name_in_two_folders_keeps_both(tmp_path, corpus):
    a, b = sorted(corpus.glob("*.htm"))[:2]
    for folder, src in (("q1", a), ("q2", b)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "notes.htm").write_bytes(src.read_bytes())
    home = tmp_path / "home"
    s = ingest([str(tmp_path / "q1"), str(tmp_path / "q2")], home=home, progress=False)
    ix = FactIndex(home)
    assert ix.documents() == ["notes.htm", "q2/notes.htm"]
    assert s["index_facts"] == s["facts"] == len(ix.facts("notes.htm")) + len(ix.facts("q2/notes.htm"))
    assert {f.citation.doc for f in ix.facts("q2/notes.htm")} == {"q2/notes.htm"}
    assert {t.doc for t in ix.tables("q2/notes.htm")} == {"q2/notes.htm"}
    assert set(_manifest_rows(home)) == {"notes.htm", "q2/notes.htm"}
    again = ingest([str(tmp_path / "q1"), str(tmp_path / "q2")], home=home, progress=False)
    assert again["skipped"] == 2 and again["facts_embedded"] == 0
    # the same content under a third folder is the same document, not a third one
    (tmp_path / "q3").mkdir()
    (tmp_path / "q3" / "notes.htm").write_bytes(a.read_bytes())
    third = ingest([str(tmp_path / "q3")], home=home, progress=False)
    assert third["skipped"] == 1 and FactIndex(home).documents() == ["notes.htm", "q2/notes.htm"]
    # a file edited in place keeps its id and replaces its old version
    (tmp_path / "q2" / "notes.htm").write_bytes(a.read_bytes())
    ingest([str(tmp_path / "q2")], home=home, progress=False)
    ix = FactIndex(home)
    assert ix.documents() == ["notes.htm", "q2/notes.htm"]
    assert sorted(f.value for f in ix.facts("q2/notes.htm")) == sorted(f.value for f in ix.facts("notes.htm"))


def test_an_input_that_hangs_is_stopped_recorded_and_retried(tmp_path, corpus, monkeypatch):
    import extractor.extract as ex

    folder = tmp_path / "in"
    folder.mkdir()
    for p in sorted(corpus.glob("*.htm"))[:3]:
        (folder / p.name).write_bytes(p.read_bytes())
    (folder / "slow.txt").write_text("Note 1\nRevenue 100 90\n")
    real = ex.extract_or_error

    def slow(path):
        if Path(path).name == "slow.txt":
            time.sleep(30)
        return real(path)

    monkeypatch.setattr(ex, "extract_or_error", slow)
    monkeypatch.setenv("TICKMARK_FILE_TIMEOUT", "0.5")
    home = tmp_path / "home"
    t0 = time.monotonic()
    s = ingest([str(folder)], home=home, progress=False)
    assert time.monotonic() - t0 < 20
    assert s["processed"] == 4 and s["failed"] == 1 and s["facts"] > 0
    db = sqlite3.connect(str(home / "manifest.sqlite"))
    err, msg = db.execute("SELECT error, message FROM errors WHERE doc='slow.txt'").fetchone()
    assert err == "ExtractionTimeout" and "TICKMARK_FILE_TIMEOUT" in msg
    monkeypatch.setattr(ex, "extract_or_error", real)
    again = ingest([str(folder)], home=home, progress=False)
    assert again["skipped"] == 3 and again["processed"] == 1 and again["failed"] == 0


def _children(pid: int) -> set[int]:
    out = set()
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.add(int(d.name))
    return out


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and PR_SET_PDEATHSIG are Linux")
def test_sigkilled_ingest_leaves_no_worker_processes(tmp_path, corpus):
    home = tmp_path / "home"
    env = {**os.environ, "TICKMARK_HOME": str(home), "TICKMARK_EMBEDDINGS": "hash"}
    cmd = [sys.executable, "-m", "extractor.cli", "ingest", str(corpus), "--workers", "2", "--batch-size", "4"]
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None and _count(home / "manifest.sqlite", "inputs") < 4:
        time.sleep(0.02)  # workers are running (and initialised) once inputs come back
    workers = _children(proc.pid)
    assert workers and proc.poll() is None, "the run finished or never started before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(Path(f"/proc/{w}").exists() for w in workers):
        time.sleep(0.1)
    alive = [w for w in workers if Path(f"/proc/{w}").exists()
             and (Path(f"/proc/{w}") / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"]
    assert not alive, f"processes outlived the killed ingest: {[(w, _cmdline(w)) for w in alive]}"


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:200]
    except OSError:
        return "?"
