"""A fake OpenAI-compatible chat-completions server for tests.

A real HTTP server (``http.server`` in a thread) on 127.0.0.1:<free port> that speaks
``POST /v1/chat/completions``, records every request body, and plays a scripted queue of
replies: JSON content, plain text, HTTP errors (429, 500) and delays (for timeouts).
When the queue is empty it asks ``responder(request_body)`` if one was given, else answers
599 with a clear message, so a test that asks more than it scripted fails loudly.

    with FakeOpenAI() as fake:
        fake.push(Reply.json({"title": ...}), Reply.error(429), Reply.text("not json"))
        ... TICKMARK_LLM_BASE_URL=fake.url ...
        fake.requests[0]["response_format"]["type"] == "json_schema"
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    """One scripted answer: HTTP status, message content, optional delay before answering."""

    status: int = 200
    content: str | None = None
    delay: float = 0.0
    prompt_tokens: int = 100
    completion_tokens: int = 50

    @classmethod
    def json(cls, obj: Any, **kw: Any) -> "Reply":
        return cls(content=json.dumps(obj), **kw)

    @classmethod
    def text(cls, text: str, **kw: Any) -> "Reply":
        return cls(content=text, **kw)

    @classmethod
    def error(cls, status: int) -> "Reply":
        return cls(status=status)

    @classmethod
    def slow(cls, seconds: float, obj: Any = None) -> "Reply":
        return cls(content=json.dumps(obj or {}), delay=seconds)


class FakeOpenAI:
    """The server: ``url`` is the base URL (…/v1); ``requests`` the JSON bodies received."""

    def __init__(self, responder: Callable[[dict[str, Any]], Reply] | None = None) -> None:
        self.responder = responder  # answers when the scripted queue is empty
        self.requests: list[dict[str, Any]] = []
        self.queue: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                                        daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def push(self, *replies: Reply) -> None:
        with self._lock:
            self.queue.extend(replies)

    def _next(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            self.requests.append(body)
            if self.queue:
                return self.queue.popleft()
        if self.responder is not None:
            return self.responder(body)
        return Reply(status=599, content="fake_openai: no scripted reply left")

    def start(self) -> "FakeOpenAI":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "FakeOpenAI":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

            def do_POST(self) -> None:
                n = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(n) or b"{}")
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    return self._send(404, {"error": {"message": f"no route {self.path}"}})
                reply = fake._next(body)
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.status != 200:
                    msg = reply.content or f"fake error {reply.status}"
                    return self._send(reply.status, {"error": {"message": msg, "type": "fake"}})
                self._send(200, completion(body, reply, len(fake.requests)))

            def _send(self, status: int, obj: dict[str, Any]) -> None:
                data = json.dumps(obj).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    if status == 429:
                        self.send_header("Retry-After", "0")
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client timed out and left
                    return

        return Handler


def completion(request: dict[str, Any], reply: Reply, n: int) -> dict[str, Any]:
    """An OpenAI chat.completion object carrying the scripted content and usage."""
    return {
        "id": f"chatcmpl-fake-{n}",
        "object": "chat.completion",
        "created": 1700000000 + n,
        "model": request.get("model", "fake-model"),
        "system_fingerprint": "fake",
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": reply.content, "refusal": None},
            "finish_reason": "stop",
            "logprobs": None,
        }],
        "usage": {
            "prompt_tokens": reply.prompt_tokens,
            "completion_tokens": reply.completion_tokens,
            "total_tokens": reply.prompt_tokens + reply.completion_tokens,
        },
    }
