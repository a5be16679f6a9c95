"""The fact index: chromadb for semantic search, a SQLite side store for exact lookups.

Layout under $TICKMARK_HOME::

    chroma/         chromadb PersistentClient (or a Chroma server: TICKMARK_CHROMA_URL)
    index.sqlite    documents, full Tables (JSON) and Facts (JSON), keyed by content hash
    embed_cache.sqlite   vectors by (model, text hash)

One chroma record per fact (id = the fact's content hash, its vector, metadata for
filtering; the fact itself is kept in SQLite, so chroma stores no document text: that
saves a fifth of the write time). How a fact's vector is made is the ``granularity``:

- ``row`` (default): one vector per row in its table (title, caption, section, members,
  label), shared by the row's facts. A row is one text of ~30 tokens instead of one
  ~60-token sentence per fact: 239 texts instead of 656 on 25 generated notes, embedded in
  3.9 s instead of 29.9 s.
- ``fact``: one sentence per fact (``fact_text``) embedded whole.
- ``composed``: the row-in-table and the column (header, period) are embedded apart and
  the vector is their weighted, normalised sum (R + C texts for an R x C table).

``search`` ranks by cosine similarity plus ``COLUMN_WEIGHT`` x ``column_match``: the
question's years, month, header words and concepts that the fact names exactly (its period,
column header and concept). Years are matched as years, not as vector directions; that is
what tells a row's facts apart. Measured by benchmarks/retrieval_granularity.py (MiniLM,
paraphrased questions; hit@1 within the document / hit@20 over all documents):

    granularity      texts embedded   seed 5: 120 questions   seed 11: 300 questions
    row (default)    239 / 456        0.80 / 0.92             0.76 / 0.85
    fact             656 / 1233       0.78 / 0.99             0.81 / 0.97
    fact, cosine only (the old default)   0.60 / 0.93         0.57 / 0.88
    composed, cosine only                 0.45 / 0.88         0.47 / 0.79

Per fact retrieves a little better over all documents, for ~5x the tokens through the model
(twice the texts, each twice as long): ingest measured ~30-34 facts/s per fact, ~225 per row.

Choose with ``FactIndex(granularity=...)`` or TICKMARK_INDEX_GRANULARITY. An index keeps the
embedder and granularity it was built with: opened without a choice it uses its own, and it
refuses another one asked for. Re-adding a document is idempotent: facts already stored
are neither re-embedded nor rewritten; facts that disappeared from it are removed.
"""

from __future__ import annotations

import functools
import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from extractor.config import get_settings
from extractor.errors import BadInputError, NotFoundError
from extractor.facts import document_facts, fact_text, unplaced_cells
from extractor.models import Document, Fact, Table

from .embed import Embedder, get_embedder

COLLECTION = "tickmark-facts"
GRANULARITIES = ("row", "fact", "composed")
COLUMN_WEIGHT = 0.03  # search: score = cosine + COLUMN_WEIGHT x column_match (a tie-breaker
# within a row more than a vote across rows: 0.02-0.03 measured best for row vectors, 0.05-0.12 worse)
WEIGHTS = {"row": 0.7}  # composed: share of the row-in-table vector (the column gets the rest)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (doc TEXT PRIMARY KEY, sha256 TEXT, path TEXT, layout TEXT,
    n_tables INTEGER, n_facts INTEGER, n_unplaced INTEGER, meta TEXT);
CREATE TABLE IF NOT EXISTS tables (doc TEXT, table_id TEXT, status TEXT, n_unplaced INTEGER,
    json TEXT, PRIMARY KEY (doc, table_id));
CREATE TABLE IF NOT EXISTS facts (id TEXT PRIMARY KEY, doc TEXT, table_id TEXT, row INTEGER,
    col INTEGER, concept TEXT, period_key TEXT, json TEXT);
CREATE INDEX IF NOT EXISTS facts_doc ON facts (doc, table_id, row, col);
CREATE TABLE IF NOT EXISTS vectors (id TEXT PRIMARY KEY, vec BLOB);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
"""
_DATE = re.compile(r"^\d{4}-\d\d-\d\d$")
_INT_KEYS = {"period_start", "period_end", "row", "column"}
_EXACT_KEYS = {"doc": "doc", "table_id": "table_id", "concept": "concept", "period_key": "period_key"}


def _locked(fn):
    @functools.wraps(fn)
    def run(self, *args, **kwargs):
        with self._lock:
            return fn(self, *args, **kwargs)

    return run


class FactIndex:
    def __init__(self, home: Path | None = None, *, embedder: Embedder | None = None,
                 granularity: str | None = None):
        self._lock = threading.RLock()  # one SQLite connection, shared by UI threads
        self.home = Path(home or get_settings().home)
        self.home.mkdir(parents=True, exist_ok=True)
        self.embedder = embedder or get_embedder(self.home)
        self.db = sqlite3.connect(str(self.home / "index.sqlite"), timeout=60, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")  # WAL: a crash of the process loses nothing
        self.db.executescript(_SCHEMA)
        # asked for, else the one this index was built with, else the default
        built = self.db.execute("SELECT value FROM meta WHERE key='granularity'").fetchone()
        granularity = (granularity or os.environ.get("TICKMARK_INDEX_GRANULARITY")
                       or (built[0] if built else "row"))
        if granularity not in GRANULARITIES:
            raise BadInputError(f"granularity {granularity!r} is unknown; use one of {GRANULARITIES}")
        self.granularity = granularity
        self._check_meta()
        self.collection = _collection(self.home)
        self.timings = {"embed_s": 0.0, "write_s": 0.0, "embedded": 0}

    def _check_meta(self) -> None:
        """One index, one embedder and one granularity: vectors of two models do not compare."""
        want = {"embedder": self.embedder.name, "granularity": self.granularity}
        with self.db:
            for key, value in want.items():
                self.db.execute("INSERT OR IGNORE INTO meta VALUES (?, ?)", (key, value))
        have = dict(self.db.execute("SELECT key, value FROM meta"))
        for key, value in want.items():
            if have[key] != value:
                raise BadInputError(
                    f"the index at {self.home} was built with {key} {have[key]!r}, not {value!r}; "
                    f"use the same setting (TICKMARK_EMBEDDINGS / TICKMARK_INDEX_GRANULARITY) or "
                    "another TICKMARK_HOME")

    def __repr__(self) -> str:
        return f"FactIndex({self.home}, {self.count()} facts, embedder={self.embedder.name})"

    # ---- writing -------------------------------------------------------------------------
    def add_document(self, doc: Document) -> int:
        """Store the document's tables and facts; returns the number of facts newly added."""
        return self.add_documents([doc])[0]

    @_locked
    def add_documents(self, docs: list[Document], facts: list[list[Fact]] | None = None) -> list[int]:
        """Several documents at once (one embedding batch); each is committed on its own.
        ``facts``, when given, are each document's ``document_facts`` (made by the caller)."""
        facts = facts if facts is not None else [document_facts(d) for d in docs]
        plans = [self._plan(d, f) for d, f in zip(docs, facts)]
        todo = [f for _, new, _ in plans for f in new]
        vectors = self._embed(todo)
        t0 = time.perf_counter()
        stale = sorted({i for _, _, st in plans for i in st})
        if stale:
            self.collection.delete(ids=stale)
        self._upsert_chroma(todo, vectors)  # chroma first: SQLite says what is done
        self.timings["write_s"] += time.perf_counter() - t0
        out = []
        for doc, new, stale_ids in plans:
            self._write(doc, new, stale_ids, vectors)
            out.append(len(new))
        return out

    @_locked
    def add_facts(self, facts: list[Fact], vectors: list[list[float]] | None = None) -> int:
        """Facts without their document (benchmarks, synthetic loads); idempotent by id.
        ``vectors``, when given, are used as they are (one per fact, same embedder)."""
        given = dict(zip((f.id for f in facts), vectors)) if vectors is not None else {}
        have = self._existing_ids([f.id for f in facts])
        new = list({f.id: f for f in facts if f.id not in have}.values())
        vecs = given or self._embed(new)
        vectors = [vecs[f.id] for f in new]
        t0 = time.perf_counter()
        self._upsert_chroma(new, vectors)
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO facts VALUES (?,?,?,?,?,?,?,?)",
                                [_fact_row(f) for f in new])
            self.db.executemany("INSERT OR REPLACE INTO vectors VALUES (?,?)",
                                [(f.id, _blob(v)) for f, v in zip(new, vectors)])
        self.timings["write_s"] += time.perf_counter() - t0
        return len(new)

    def _plan(self, doc: Document, facts: list[Fact]) -> tuple[Document, list[Fact], set[str]]:
        facts = list({f.id: f for f in facts}.values())
        existing = {r[0] for r in self.db.execute("SELECT id FROM facts WHERE doc=?", (doc.doc,))}
        new = [f for f in facts if f.id not in existing]
        stale = existing - {f.id for f in facts}
        return doc, new, stale

    def _embed(self, facts: list[Fact]) -> dict[str, list[float]]:
        if not facts:
            return {}
        t0 = time.perf_counter()
        if self.granularity == "fact":
            vecs = self.embedder.embed([fact_text(f) for f in facts])
        elif self.granularity == "row":
            vecs = row_vectors(self.embedder, facts)
        else:
            vecs = compose_vectors(self.embedder, facts)
        self.timings["embed_s"] += time.perf_counter() - t0
        self.timings["embedded"] += len(facts)
        return {f.id: v for f, v in zip(facts, vecs)}

    def _write(self, doc: Document, new: list[Fact], stale: set[str], vectors: dict) -> None:
        t0 = time.perf_counter()
        n_unplaced = 0
        with self.db:
            if stale:
                self.db.executemany("DELETE FROM facts WHERE id=?", [(i,) for i in stale])
                self.db.executemany("DELETE FROM vectors WHERE id=?", [(i,) for i in stale])
            self.db.execute("DELETE FROM tables WHERE doc=?", (doc.doc,))
            for t in doc.tables:
                k = len(unplaced_cells(t))
                n_unplaced += k
                self.db.execute("INSERT INTO tables VALUES (?,?,?,?,?)",
                                (t.doc, t.table_id, t.status.value, k, t.model_dump_json()))
            self.db.executemany("INSERT OR REPLACE INTO facts VALUES (?,?,?,?,?,?,?,?)",
                                [_fact_row(f) for f in new])
            self.db.executemany("INSERT OR REPLACE INTO vectors VALUES (?,?)",
                                [(f.id, _blob(vectors[f.id])) for f in new])
            n_facts = self.db.execute("SELECT COUNT(*) FROM facts WHERE doc=?", (doc.doc,)).fetchone()[0]
            meta = doc.model_dump_json(exclude={"tables"})
            self.db.execute("INSERT OR REPLACE INTO documents VALUES (?,?,?,?,?,?,?,?)",
                            (doc.doc, doc.sha256, doc.path, doc.layout.value, len(doc.tables),
                             n_facts, n_unplaced, meta))
        self.timings["write_s"] += time.perf_counter() - t0

    def _upsert_chroma(self, facts: list[Fact], vectors) -> None:
        if not facts:
            return
        if isinstance(vectors, dict):
            vectors = [vectors[f.id] for f in facts]
        step = 4000
        for a in range(0, len(facts), step):
            chunk = facts[a:a + step]
            self.collection.upsert(ids=[f.id for f in chunk], embeddings=vectors[a:a + step],
                                   metadatas=[fact_metadata(f) for f in chunk])

    def _existing_ids(self, ids: list[str]) -> set[str]:
        out: set[str] = set()
        for a in range(0, len(ids), 500):
            chunk = ids[a:a + 500]
            q = f"SELECT id FROM facts WHERE id IN ({','.join('?' * len(chunk))})"
            out.update(r[0] for r in self.db.execute(q, chunk))
        return out

    # ---- reading -------------------------------------------------------------------------
    @_locked
    def facts(self, doc: str | None = None, table_id: str | None = None) -> list[Fact]:
        q, args = "SELECT json FROM facts", []
        if doc is not None:
            q, args = q + " WHERE doc=?", [doc]
            if table_id is not None:
                q, args = q + " AND table_id=?", [doc, table_id]
        elif table_id is not None:
            q, args = q + " WHERE table_id=?", [table_id]
        q += " ORDER BY doc, table_id, row, col"
        return [Fact.model_validate_json(r[0]) for r in self.db.execute(q, args)]

    def iter_facts(self, doc: str | None = None) -> Iterable[Fact]:
        q = "SELECT json FROM facts" + (" WHERE doc=?" if doc else "") + " ORDER BY doc, table_id, row, col"
        with self._lock:
            rows = self.db.execute(q, [doc] if doc else []).fetchall()
        for (js,) in rows:
            yield Fact.model_validate_json(js)

    @_locked
    def vectors_by_id(self, ids: list[str]) -> dict[str, list[float]]:
        from array import array

        out: dict[str, list[float]] = {}
        for a in range(0, len(ids), 500):
            chunk = ids[a:a + 500]
            q = f"SELECT id, vec FROM vectors WHERE id IN ({','.join('?' * len(chunk))})"
            out.update((i, array("f", b).tolist()) for i, b in self.db.execute(q, chunk))
        return out

    @_locked
    def facts_by_id(self, ids: list[str]) -> dict[str, Fact]:
        out: dict[str, Fact] = {}
        for a in range(0, len(ids), 500):
            chunk = ids[a:a + 500]
            q = f"SELECT id, json FROM facts WHERE id IN ({','.join('?' * len(chunk))})"
            out.update((i, Fact.model_validate_json(js)) for i, js in self.db.execute(q, chunk))
        return out

    @_locked
    def tables(self, doc: str | None = None) -> list[Table]:
        q = "SELECT json FROM tables" + (" WHERE doc=?" if doc else "")
        rows = self.db.execute(q, [doc] if doc else []).fetchall()
        tables = [Table.model_validate_json(r[0]) for r in rows]
        return sorted(tables, key=lambda t: (t.doc, _table_order(t.table_id)))

    @_locked
    def table(self, doc: str, table_id: str) -> Table:
        row = self.db.execute("SELECT json FROM tables WHERE doc=? AND table_id=?", (doc, table_id)).fetchone()
        if row is None:
            known = ", ".join(self.documents()[:10]) or "none"
            raise NotFoundError(f"table {table_id!r} of document {doc!r} is not in the index at "
                                f"{self.home}; ingest the file first (tickmark ingest). Documents: {known}")
        return Table.model_validate_json(row[0])

    @_locked
    def document_sources(self) -> dict[str, tuple[str, str]]:
        """doc id -> (resolved path, sha256) of the file each indexed document came from."""
        rows = self.db.execute("SELECT doc, path, sha256 FROM documents").fetchall()
        return {d: (str(Path(p).resolve()) if p else "", sha or "") for d, p, sha in rows}

    @_locked
    def documents(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT doc FROM documents ORDER BY doc")]

    @_locked
    def count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM facts").fetchone()[0]

    @_locked
    def search(self, query: str, *, n: int = 20, doc: str | None = None,
               where: dict | None = None) -> list[tuple[Fact, float]]:
        """The n facts nearest the query (cosine similarity, higher is closer).

        Within one document (``doc``, optionally narrowed by table_id / concept / period_key)
        the search is exact, over the vectors kept in SQLite; otherwise chroma's ANN index.
        """
        if not query.strip():
            raise BadInputError("search needs a non-empty query")
        where = dict(where or {})
        if doc is not None:
            where["doc"] = doc
        if isinstance(where.get("doc"), str) and set(where) <= set(_EXACT_KEYS) \
                and not any(isinstance(v, dict) for v in where.values()):
            return self._search_exact(query, n, where)
        total = self.collection.count()
        if total == 0:
            return []
        clause = chroma_where(where)
        vec = self.embedder.embed([query])[0]
        # facts of one row share its vector: fetch enough candidates for the column to decide
        k = n * _CANDIDATES
        res = self.collection.query(query_embeddings=[vec], n_results=min(k, total), where=clause,
                                    include=["distances"])
        ids, dists = res["ids"][0], res["distances"][0]
        found = self.facts_by_id(ids)
        hits = [(found[i], 1.0 - d) for i, d in zip(ids, dists) if i in found]
        return self._rank(query, hits)[:n]

    @staticmethod
    def _rank(query: str, hits: list[tuple[Fact, float]]) -> list[tuple[Fact, float]]:
        """Cosine similarity plus COLUMN_WEIGHT x the column match, best first."""
        q = query_terms(query)
        scored = [(f, s + COLUMN_WEIGHT * column_match(q, f)) for f, s in hits]
        return sorted(scored, key=lambda h: -h[1])

    def _search_exact(self, query: str, n: int, where: dict) -> list[tuple[Fact, float]]:
        import numpy as np

        conds, args = [], []
        for key, val in where.items():
            vals = list(val) if isinstance(val, (list, tuple, set)) else [val]
            conds.append(f"f.{_EXACT_KEYS[key]} IN ({','.join('?' * len(vals))})")
            args.extend(getattr(v, "value", v) for v in vals)
        rows = self.db.execute("SELECT f.id, v.vec FROM facts f JOIN vectors v ON v.id = f.id WHERE "
                               + " AND ".join(conds), args).fetchall()
        if not rows:
            return []
        mat = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), -1)
        q = np.asarray(self.embedder.embed([query])[0], dtype=np.float32)
        sims = mat @ (q / (np.linalg.norm(q) + 1e-12))
        k = n * _CANDIDATES
        top = np.argsort(-sims, kind="stable")[:k]
        found = self.facts_by_id([rows[i][0] for i in top])
        return self._rank(query, [(found[rows[i][0]], float(sims[i])) for i in top])[:n]


def fact_contexts(f: Fact) -> tuple[str, str, str]:
    """(table, row, column) context sentences of a fact."""
    table = " | ".join(x for x in (f.title, f.caption) if x) or f.table_id
    row = " | ".join(x for x in (f.section or "", " / ".join(f.members), f.subject) if x)
    p = f.period
    when = "" if p is None else (p.key if not p.text or p.text == p.key else f"{p.text} ({p.key})")
    col = " | ".join(x for x in (f.measure, when) if x)
    return table, row or "(no label)", col or "(no header)"


def row_text(f: Fact) -> str:
    """The text a row's vector is made of: the table, then the row within it."""
    table, row, _ = fact_contexts(f)
    return f"{table} | {row}"


def row_vectors(embedder: Embedder, facts: list[Fact]) -> list[list[float]]:
    """One vector per distinct row text, shared by the facts of that row."""
    texts = [row_text(f) for f in facts]
    uniq = sorted(set(texts))
    vec = dict(zip(uniq, embedder.embed(uniq)))
    return [vec[t] for t in texts]


_TERM = re.compile(r"[a-z]+|\d{4}")
_MONTHS = ("january february march april may june july august september october november "
           "december").split()
_NOT_TERMS = {"the", "of", "and", "in", "at", "for", "to", "as", "on", "a", "an", "ended", "end",
              "year", "years", "months", "month", "period", "balance", "total"}
_CANDIDATES = 8  # nearest vectors fetched per result wanted, re-ranked by the column match


def query_terms(text: str) -> set[str]:
    """Lowercase words and four-digit years of a question, less the commonest words, plus
    ``concept:NAME`` for each concept the question names ("amounts written off" -> writeoff)."""
    from .concepts import concepts_in

    return (set(_TERM.findall(text.lower())) - _NOT_TERMS) | {f"concept:{c}" for c in concepts_in(text)}


@functools.lru_cache(maxsize=65536)
def _column_terms(measure: str, period_key: str, period_text: str, instant: bool) -> frozenset[str]:
    terms = set(_TERM.findall(f"{measure} {period_text}".lower()))
    years = re.findall(r"\d{4}", period_key)
    if years:  # a duration is named by its end year, an instant by its date's year and month
        terms.add(years[-1])
        end = re.findall(r"(\d{4})-(\d\d)-\d\d", period_key)
        if instant and end:
            terms.add(_MONTHS[int(end[-1][1]) - 1])
    return frozenset(terms - _NOT_TERMS)


def column_match(query: set[str], f: Fact) -> int:
    """How many of the question's terms the fact names exactly: its column (header words,
    period year, month of an instant) and its concept."""
    p = f.period
    cols = _column_terms(f.measure, p.key if p else "", p.text if p else "",
                         bool(p and p.kind == "instant"))
    return len(query & cols) + (f"concept:{f.concept}" in query)


def composed_texts(f: Fact) -> tuple[str, str]:
    """The two texts a composed vector is made of: where the row sits, and its column."""
    table, row, col = fact_contexts(f)
    return f"{table} | {row}", col


def compose_vectors(embedder: Embedder, facts: list[Fact], w_row: float | None = None) -> list[list[float]]:
    """Weighted, normalised sum of the row-in-table and the column vectors of each fact."""
    import numpy as np

    w_row = WEIGHTS["row"] if w_row is None else w_row
    ctx = [composed_texts(f) for f in facts]
    uniq = sorted({t for c in ctx for t in c})
    vec = dict(zip(uniq, np.asarray(embedder.embed(uniq), dtype=np.float32)))
    out = np.stack([w_row * vec[r] + (1 - w_row) * vec[c] for r, c in ctx])
    out /= np.linalg.norm(out, axis=1, keepdims=True) + 1e-12
    return out.tolist()


def fact_metadata(f: Fact) -> dict[str, Any]:
    p = f.period
    start = p.start if p and p.kind == "duration" else (p.instant if p else None)
    end = p.end_date if p else None
    return {
        "doc": f.doc, "table_id": f.table_id, "concept": f.concept or "",
        "subject": f.subject[:200], "members": " / ".join(f.members)[:500],
        "period_key": p.key if p else "", "period_kind": p.kind if p else "",
        "period_start": _date_int(start), "period_end": _date_int(end),
        "status": f.table_status.value, "row": f.citation.row, "column": f.citation.column,
        "value": float(f.value), "currency": f.currency or "",
    }


def chroma_where(where: dict | None) -> dict | None:
    """A plain filter dict -> a chroma where clause.

    Scalars mean equality, lists mean "one of", dicts pass through as chroma operators
    ({"$gte": ...}); ISO dates for period_start / period_end become yyyymmdd integers.
    """
    if not where:
        return None
    parts = []
    for key, val in where.items():
        if key.startswith("$"):
            parts.append({key: val})
            continue
        if isinstance(val, dict):
            val = {op: _coerce(key, v) for op, v in val.items()}
        elif isinstance(val, (list, tuple, set)):
            val = {"$in": [_coerce(key, v) for v in val]}
        else:
            val = _coerce(key, val)
        parts.append({key: val})
    return parts[0] if len(parts) == 1 else {"$and": parts}


def _coerce(key: str, v: Any) -> Any:
    if key in _INT_KEYS and isinstance(v, str) and _DATE.match(v):
        return int(v.replace("-", ""))
    if hasattr(v, "isoformat") and key in _INT_KEYS:
        return int(v.isoformat().replace("-", ""))
    if hasattr(v, "value") and not isinstance(v, (int, float, str)):
        return v.value  # enums (Status)
    return v


def _blob(v) -> bytes:
    from array import array

    return array("f", v).tobytes()


def _date_int(d) -> int:
    return int(d.isoformat().replace("-", "")) if d else 0


def _fact_row(f: Fact) -> tuple:
    return (f.id, f.doc, f.table_id, f.citation.row, f.citation.column, f.concept,
            f.period.key if f.period else None, f.model_dump_json())


def _table_order(table_id: str) -> tuple:
    m = re.match(r"([a-z]*)(\d+)$", table_id)
    return (m.group(1), int(m.group(2))) if m else (table_id, 0)


_CLIENTS: dict[str, Any] = {}


def _collection(home: Path):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    url = get_settings().chroma_url
    key = url or str(home.resolve())
    client = _CLIENTS.get(key)
    if client is None:
        cfg = ChromaSettings(anonymized_telemetry=False)
        if url:
            from urllib.parse import urlparse

            u = urlparse(url)
            client = chromadb.HttpClient(host=u.hostname or "localhost", port=u.port or 8000,
                                         ssl=u.scheme == "https", settings=cfg)
        else:
            client = chromadb.PersistentClient(path=str(home / "chroma"), settings=cfg)
        _CLIENTS[key] = client
    return client.get_or_create_collection(COLLECTION, metadata={"hnsw:space": "cosine"},
                                           embedding_function=None)


_INDEXES: dict[str, FactIndex] = {}


def open_index(home: Path | None = None) -> FactIndex:
    """The FactIndex for this home, opened once per process."""
    home = Path(home or get_settings().home)
    key = str(home.resolve())
    if key not in _INDEXES:
        _INDEXES[key] = FactIndex(home)
    return _INDEXES[key]
