"""The LLM seam: output schema, backends, response cache and call log.

The LLM is a fallback, never the source of truth (see extractor/fallback.py for the flow).
This module holds what touches the outside world:

- ``LLMTable``: the schema the model must answer in (strict JSON schema from pydantic);
- ``ChatBackend``: the protocol every backend follows, one method;
- ``OpenAIBackend``: langchain's ChatOpenAI against any OpenAI-compatible endpoint
  (OpenAI, vLLM, Ollama, llama.cpp server), with bounded retries on timeouts, 429 and 5xx;
- ``CallStore``: SQLite under $TICKMARK_HOME caching answers by content hash and logging
  every call (model, prompt hash, tokens, latency, outcome);
- ``run_stats``: the ``tickmark llm`` subcommand.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlparse

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .config import Settings, get_settings
from .errors import LLMError
from .models import content_hash

OUTCOMES = ("ok", "invalid_json", "schema", "ungrounded", "checks_failed", "http_error", "cache_hit")


# ---------------------------------------------------------------- the output schema


class LLMColumn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    header: str = Field(description="the full header text of this value column, all header lines joined")
    period: str | None = Field(
        description="the column's period: 'YYYY-MM-DD' for a balance at a date, "
        "'YYYY-MM-DD..YYYY-MM-DD' for a flow over a period; null when the block gives none"
    )
    currency: str | None = Field(description="ISO currency of the column (USD, CNY) when stated, else null")


class LLMRow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str = Field(description="the row label as printed, footnote markers removed")
    section: str | None = Field(description="the heading line this row sits under, or null")
    values: list[str | None] = Field(
        description="one entry per column, in column order: the cell text exactly as printed "
        "in the block ('1,234', '(56)', '—', '36.00%'); null when the cell is empty"
    )


class LLMTable(BaseModel):
    """One table read from a filing block."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(description="the note heading the table sits under, or ''")
    caption: str = Field(description="the sentence just above the table, or ''")
    scale: int = Field(description="1, or 1000 when the block says 'in thousands', 1000000 for millions")
    currency: str | None = Field(description="ISO currency of the table when stated (USD, CNY), else null")
    columns: list[LLMColumn] = Field(description="the value columns, left to right (not the label column)")
    rows: list[LLMRow] = Field(description="the data rows, top to bottom; header lines are not rows")


class Usage(BaseModel):
    tokens_in: int | None = None
    tokens_out: int | None = None
    latency_ms: int = 0
    cached: bool = False


# ---------------------------------------------------------------- the seam


class ChatBackend(Protocol):
    """Anything that answers chat messages in a pydantic schema.

    Returns the parsed object, or the raw text when the answer did not parse / validate
    (the caller validates it again and quotes the errors in a re-ask). Transport failures
    that survive the backend's own retries raise LLMError.
    """

    model: str

    def complete_structured(
        self, messages: list[dict[str, str]], schema_model: type[BaseModel]
    ) -> tuple[BaseModel | str, Usage]: ...


def is_loopback_url(url: str) -> bool:
    host = urlparse(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _under_pytest() -> bool:
    return "PYTEST_CURRENT_TEST" in os.environ or "pytest" in sys.modules


def _raw_from_validation_error(e: ValidationError) -> str:
    """The answer text a ValidationError was raised on (the client parses before we see it)."""
    errors = e.errors()
    value = errors[0].get("input") if errors else None
    if isinstance(value, str):
        return value
    return json.dumps(value, default=str)


class OpenAIBackend:
    """langchain ChatOpenAI over the openai client; endpoint and model from settings.

    Retries (``http_tries`` attempts in all) with exponential backoff on timeouts,
    connection errors, 429 and 5xx; other HTTP errors raise at once.
    """

    def __init__(self, settings: Settings | None = None, *, http_tries: int = 4,
                 backoff: float = 0.5, max_backoff: float = 8.0) -> None:
        s = settings or get_settings()
        if not s.llm_configured:
            raise LLMError("no LLM configured: set TICKMARK_LLM_BASE_URL and TICKMARK_LLM_MODEL "
                           "(any OpenAI-compatible endpoint) to enable the fallback")
        if _under_pytest() and not is_loopback_url(s.llm_base_url or ""):
            raise LLMError(f"refusing to call {s.llm_base_url} under pytest: tests must use a "
                           "loopback fake server (tests/fake_openai.py)")
        self.model = s.llm_model or ""
        self.base_url = s.llm_base_url or ""
        self.timeout = s.llm_timeout
        self.http_tries = max(1, http_tries)
        self.backoff, self.max_backoff = backoff, max_backoff
        self._api_key = s.llm_api_key or "not-needed"
        self._runnables: dict[type[BaseModel], Any] = {}

    def _runnable(self, schema_model: type[BaseModel]) -> Any:
        if schema_model not in self._runnables:
            from langchain_openai import ChatOpenAI

            chat = ChatOpenAI(model=self.model, base_url=self.base_url, api_key=self._api_key,
                              timeout=self.timeout, max_retries=0, temperature=0)
            self._runnables[schema_model] = chat.with_structured_output(
                schema_model, method="json_schema", strict=True, include_raw=True)
        return self._runnables[schema_model]

    def complete_structured(
        self, messages: list[dict[str, str]], schema_model: type[BaseModel]
    ) -> tuple[BaseModel | str, Usage]:
        runnable = self._runnable(schema_model)
        t0 = time.monotonic()
        try:
            out = self._invoke_with_retries(runnable, messages)
        except ValidationError as e:  # the client parsed the answer and it did not fit
            return _raw_from_validation_error(e), Usage(latency_ms=_ms(t0))
        usage = _usage(out.get("raw"), t0)
        if out.get("parsed") is not None:
            return out["parsed"], usage
        return _content_text(out.get("raw")), usage

    def _invoke_with_retries(self, runnable: Any, messages: list[dict[str, str]]) -> dict[str, Any]:
        import openai

        retryable = (openai.APITimeoutError, openai.APIConnectionError,
                     openai.RateLimitError, openai.InternalServerError)
        for attempt in range(1, self.http_tries + 1):
            try:
                return runnable.invoke(messages)
            except retryable as e:
                if attempt == self.http_tries:
                    raise LLMError(f"LLM endpoint {self.base_url} failed {attempt} times "
                                   f"({type(e).__name__}: {e}); check the server or raise "
                                   "TICKMARK_LLM_TIMEOUT", attempts=attempt) from e
                time.sleep(min(self.max_backoff, self.backoff * 2 ** (attempt - 1)))
            except openai.APIStatusError as e:
                raise LLMError(f"LLM endpoint {self.base_url} answered HTTP {e.status_code}: {e}",
                               attempts=attempt) from e
        raise LLMError("unreachable")  # pragma: no cover


def _ms(t0: float) -> int:
    return int((time.monotonic() - t0) * 1000)


def _usage(raw: Any, t0: float) -> Usage:
    meta = getattr(raw, "usage_metadata", None) or {}
    return Usage(tokens_in=meta.get("input_tokens"), tokens_out=meta.get("output_tokens"),
                 latency_ms=_ms(t0))


def _content_text(raw: Any) -> str:
    content = getattr(raw, "content", "")
    if isinstance(content, list):
        return "".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in content)
    return str(content or "")


def default_backend() -> ChatBackend | None:
    """The configured backend, or None when no endpoint is set (the default)."""
    s = get_settings()
    return OpenAIBackend(s) if s.llm_configured else None


# ---------------------------------------------------------------- cache and call log

_SCHEMA = """
CREATE TABLE IF NOT EXISTS cache (
  key TEXT PRIMARY KEY, model TEXT, response TEXT, tokens_in INTEGER, tokens_out INTEGER,
  created REAL);
CREATE TABLE IF NOT EXISTS calls (
  id INTEGER PRIMARY KEY AUTOINCREMENT, ts REAL, model TEXT, prompt_hash TEXT,
  tokens_in INTEGER, tokens_out INTEGER, latency_ms INTEGER, outcome TEXT,
  doc TEXT, table_id TEXT, attempt INTEGER, detail TEXT);
"""


def prompt_key(model: str, messages: list[dict[str, str]], schema_model: type[BaseModel]) -> str:
    return content_hash(model, messages, schema_model.model_json_schema())


class CallStore:
    """SQLite at $TICKMARK_HOME/llm.sqlite: answers cached by prompt hash, every call logged."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or get_settings().ensure_home() / "llm.sqlite"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._db() as db:
            db.executescript(_SCHEMA)

    def _db(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    def get(self, key: str) -> str | None:
        with self._db() as db:
            row = db.execute("SELECT response FROM cache WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def put(self, key: str, model: str, response: str, usage: Usage) -> None:
        with self._db() as db:
            db.execute("INSERT OR REPLACE INTO cache VALUES (?, ?, ?, ?, ?, ?)",
                       (key, model, response, usage.tokens_in, usage.tokens_out, time.time()))

    def log(self, *, model: str, key: str, usage: Usage, outcome: str, doc: str = "",
            table_id: str = "", attempt: int = 0, detail: str = "") -> None:
        assert outcome in OUTCOMES, outcome
        with self._db() as db:
            db.execute(
                "INSERT INTO calls (ts, model, prompt_hash, tokens_in, tokens_out, latency_ms, outcome,"
                " doc, table_id, attempt, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (time.time(), model, key, usage.tokens_in, usage.tokens_out, usage.latency_ms,
                 outcome, doc, table_id, attempt, detail[:2000]))

    def stats(self) -> dict[str, Any]:
        with self._db() as db:
            by = dict(db.execute("SELECT outcome, COUNT(*) FROM calls GROUP BY outcome").fetchall())
            tin, tout, lat = db.execute(
                "SELECT COALESCE(SUM(tokens_in),0), COALESCE(SUM(tokens_out),0),"
                " COALESCE(SUM(latency_ms),0) FROM calls WHERE outcome != 'cache_hit'").fetchone()
            models = [r[0] for r in db.execute("SELECT DISTINCT model FROM calls ORDER BY model")]
            cached = db.execute("SELECT COUNT(*) FROM cache").fetchone()[0]
        hits = by.get("cache_hit", 0)
        return {"calls": sum(by.values()) - hits, "cache_hits": hits, "tokens_in": tin,
                "tokens_out": tout, "latency_ms": lat, "by_outcome": by, "models": models,
                "cached_answers": cached, "path": str(self.path)}


def ask_cached(backend: ChatBackend, store: CallStore, messages: list[dict[str, str]],
               schema_model: type[BaseModel]) -> tuple[str, Usage, str]:
    """(answer text, usage, prompt key): from the cache, or from the backend (then cached).

    The answer is returned as text so a cached answer and a fresh one are validated the
    same way. Transport errors are logged as ``http_error`` and re-raised.
    """
    key = prompt_key(backend.model, messages, schema_model)
    hit = store.get(key)
    if hit is not None:
        return hit, Usage(cached=True), key
    t0 = time.monotonic()
    try:
        answer, usage = backend.complete_structured(messages, schema_model)
    except LLMError as e:
        store.log(model=backend.model, key=key, usage=Usage(latency_ms=_ms(t0)),
                  outcome="http_error", detail=str(e))
        raise
    text = answer.model_dump_json() if isinstance(answer, BaseModel) else answer
    store.put(key, backend.model, text, usage)
    return text, usage, key


# ---------------------------------------------------------------- `tickmark llm`


def run_stats(args: argparse.Namespace) -> int:
    """Print calls, tokens and cache hits from the call log (``--json`` for a JSON object)."""
    s = get_settings()
    stats = CallStore().stats()
    stats["configured"] = s.llm_configured
    stats["endpoint"] = s.llm_base_url
    if getattr(args, "json", False):
        print(json.dumps(stats, indent=2))
        return 0
    if not s.llm_configured:
        print("LLM fallback: no LLM configured (set TICKMARK_LLM_BASE_URL and TICKMARK_LLM_MODEL)")
    else:
        print(f"LLM fallback: {s.llm_model} at {s.llm_base_url}")
    print(f"calls: {stats['calls']}  cache hits: {stats['cache_hits']}  "
          f"tokens in/out: {stats['tokens_in']}/{stats['tokens_out']}  "
          f"latency: {stats['latency_ms'] / 1000:.1f} s")
    for outcome in OUTCOMES:
        if stats["by_outcome"].get(outcome):
            print(f"  {outcome:<14} {stats['by_outcome'][outcome]}")
    print(f"log: {stats['path']}")
    return 0
