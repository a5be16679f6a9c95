"""Shared fixtures. Every test runs offline: a guard makes any connection to a
non-loopback address fail loudly, and $TICKMARK_HOME points at a temp dir."""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests are deterministic: the same examples every run, no example database that
# makes one machine's run differ from a fresh clone's.
settings.register_profile("tickmark", derandomize=True, database=None)
settings.load_profile("tickmark")

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = FIXTURES / "seeds"
EDGAR = FIXTURES / "edgar"
REPO = Path(__file__).parent.parent

_real_connect = socket.socket.connect
_real_create_connection = socket.create_connection


def _is_local(address) -> bool:
    if isinstance(address, (str, bytes)):  # AF_UNIX
        return True
    host = address[0]
    if host in ("localhost", "", "::1"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class NetworkBlocked(RuntimeError):
    pass


def _guarded_connect(self, address):
    if not _is_local(address):
        raise NetworkBlocked(f"test tried to reach {address!r}: tests must stay offline")
    return _real_connect(self, address)


def _guarded_create_connection(address, *a, **kw):
    if not _is_local(address):
        raise NetworkBlocked(f"test tried to reach {address!r}: tests must stay offline")
    return _real_create_connection(address, *a, **kw)


@pytest.fixture(autouse=True, scope="session")
def _no_network():
    socket.socket.connect = _guarded_connect
    socket.create_connection = _guarded_create_connection
    yield
    socket.socket.connect = _real_connect
    socket.create_connection = _real_create_connection


@pytest.fixture(autouse=True)
def _tickmark_env(tmp_path, monkeypatch):
    monkeypatch.setenv("TICKMARK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "False")
    for var in ("TICKMARK_LLM_BASE_URL", "TICKMARK_LLM_MODEL", "OPENAI_API_KEY",
                "TICKMARK_CHROMA_URL", "TICKMARK_EMBED_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("TICKMARK_EMBEDDINGS", "hash")
    yield


@pytest.fixture
def seed_paths() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


def seed(name_prefix: str) -> Path:
    return next(SEEDS.glob(f"{name_prefix}*.txt"))
