"""Settings: one object read from the environment. Every variable is documented here.

TICKMARK_HOME            data directory (index, manifests, caches, eval reports); default ./.tickmark
TICKMARK_MAX_BYTES       largest input file read, in bytes; default 32 MiB
TICKMARK_FILE_TIMEOUT    seconds one input may take to extract in `tickmark ingest` before it is
                         recorded as failed (and retried by the next run); default 600, 0 = none
TICKMARK_LLM_BASE_URL    OpenAI-compatible endpoint for the LLM fallback (e.g. http://localhost:8000/v1)
TICKMARK_LLM_MODEL       model name at that endpoint
OPENAI_API_KEY           key for that endpoint (any string for local servers)
TICKMARK_LLM_MAX_TRIES   re-asks before a block is quarantined; default 3
TICKMARK_LLM_TIMEOUT     seconds per LLM request; default 60
TICKMARK_EMBEDDINGS      'local' (default: the MiniLM model shipped in a wheel), 'hash' (no model,
                         lexical hashing; for tests), or 'openai' (the endpoint below)
TICKMARK_EMBED_BASE_URL  OpenAI-compatible embeddings endpoint when TICKMARK_EMBEDDINGS=openai
TICKMARK_EMBED_MODEL     embeddings model name at that endpoint
TICKMARK_CHROMA_URL      use a Chroma server (http://host:port) instead of the embedded store
TICKMARK_INDEX_GRANULARITY  'row' (default: one vector per row, shared by its facts; the column
                         is matched exactly at search time), 'fact' (one sentence per fact: slightly
                         better retrieval over many documents, ~5x the tokens to embed) or 'composed'
TICKMARK_EMBED_THREADS   torch threads per embedding call (default: 1 for queries or a busy
                         machine, else every CPU)
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def _env(name: str, default: str | None = None) -> str | None:
    v = os.environ.get(name)
    return v if v not in (None, "") else default


@dataclass(frozen=True)
class Settings:
    home: Path = field(default_factory=lambda: Path(_env("TICKMARK_HOME", ".tickmark")))
    max_bytes: int = field(default_factory=lambda: int(_env("TICKMARK_MAX_BYTES", str(32 << 20))))
    file_timeout: float = field(default_factory=lambda: float(_env("TICKMARK_FILE_TIMEOUT", "600")))
    llm_base_url: str | None = field(default_factory=lambda: _env("TICKMARK_LLM_BASE_URL"))
    llm_model: str | None = field(default_factory=lambda: _env("TICKMARK_LLM_MODEL"))
    llm_api_key: str | None = field(default_factory=lambda: _env("OPENAI_API_KEY"))
    llm_max_tries: int = field(default_factory=lambda: int(_env("TICKMARK_LLM_MAX_TRIES", "3")))
    llm_timeout: float = field(default_factory=lambda: float(_env("TICKMARK_LLM_TIMEOUT", "60")))
    embeddings: str = field(default_factory=lambda: _env("TICKMARK_EMBEDDINGS", "local"))
    embed_base_url: str | None = field(default_factory=lambda: _env("TICKMARK_EMBED_BASE_URL"))
    embed_model: str | None = field(default_factory=lambda: _env("TICKMARK_EMBED_MODEL"))
    chroma_url: str | None = field(default_factory=lambda: _env("TICKMARK_CHROMA_URL"))

    @property
    def llm_configured(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)

    def ensure_home(self) -> Path:
        self.home.mkdir(parents=True, exist_ok=True)
        return self.home


def get_settings() -> Settings:
    """Read the environment now (tests change it between calls)."""
    return Settings()
