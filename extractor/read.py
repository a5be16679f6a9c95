"""Bytes -> text: encodings, binary and size guards, HTML/XML sniffing, line index.

A ``Source`` is what every layout parser reads. Offsets are character offsets into
``Source.text``; lines are 1-based.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

from .config import get_settings
from .errors import BadInputError
from .models import SourceSpan

_CHARSET_RE = re.compile(rb"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.IGNORECASE)


@dataclass
class Source:
    doc: str
    text: str
    kind: str  # "text" | "html" | "xml"
    path: str = ""
    encoding: str = "utf-8"
    sha256: str = ""
    n_bytes: int = 0
    warnings: list[str] = field(default_factory=list)
    _line_starts: list[int] | None = None
    _line_list: list[str] | None = field(default=None, repr=False, compare=False)
    # per-source scratch: a layout's per-line analysis kept between its score() and its
    # parse() on this same source (pure functions of the text; never shared across sources)
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def line_starts(self) -> list[int]:
        if self._line_starts is None:
            # each line starts one past the end of the line before it (its length + the "\n")
            starts = list(accumulate(map(_ONE_MORE, map(len, self._lines())), initial=0))
            starts.pop()  # the offset past the last line
            self._line_starts = starts
        return self._line_starts

    @property
    def n_lines(self) -> int:
        return len(self.line_starts)

    def line_of(self, offset: int) -> int:
        """1-based line number of a character offset."""
        return bisect.bisect_right(self.line_starts, max(0, offset))

    def line_text(self, line: int) -> str:
        if line < 1:  # as before: a slice from a wrapped-around start
            starts = self.line_starts
            a = starts[line - 1]
            b = starts[line] - 1 if line < len(starts) else len(self.text)
            return self.text[a:b]
        return self._lines()[line - 1]

    def lines(self) -> list[str]:
        return list(self._lines())

    def _lines(self) -> list[str]:
        if self._line_list is None:
            self._line_list = self.text.split("\n")
        return self._line_list

    def span(self, char_start: int, char_end: int) -> SourceSpan:
        """A SourceSpan for text[char_start:char_end]."""
        starts = self.line_starts
        first = char_start if char_start > 0 else 0
        last = char_end - 1 if char_end - 1 > first else first
        line_start = bisect.bisect_right(starts, first)
        # most spans sit on one line: the last character comes before the next line's start
        one_line = line_start == len(starts) or last < starts[line_start]
        return SourceSpan(
            line_start=line_start,
            line_end=line_start if one_line else bisect.bisect_right(starts, last),
            char_start=char_start,
            char_end=char_end,
        )

    def line_span(self, line_start: int, line_end: int) -> SourceSpan:
        """A SourceSpan covering whole lines (1-based, inclusive)."""
        starts = self.line_starts
        a = starts[line_start - 1]
        b = starts[line_end] - 1 if line_end < len(starts) else len(self.text)
        return SourceSpan(line_start=line_start, line_end=line_end, char_start=a, char_end=b)


_ONE_MORE = (1).__add__  # n -> n + 1 without a Python-level call per line
_CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or 13 < b)


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    ctrl = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return ctrl > len(head) * 0.05


def _decode(data: bytes, doc: str) -> tuple[str, str, list[str]]:
    warnings: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16", warnings
    try:
        return data.decode("utf-8"), "utf-8", warnings
    except UnicodeDecodeError as e:
        err = e
    m = _CHARSET_RE.search(data[:4096])
    declared = m.group(1).decode("ascii", "replace").lower() if m else None
    for enc in [declared, "cp1252"]:
        if not enc or enc in ("utf-8", "utf8"):
            continue
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        warnings.append(
            f"{doc}: not valid UTF-8 (byte {err.start}: {data[err.start:err.start + 1]!r}); "
            f"decoded as {enc}"
        )
        return text, enc, warnings
    raise BadInputError(
        f"{doc}: not valid UTF-8 at byte {err.start} and no other encoding fits; "
        "re-save the file as UTF-8"
    )


def sniff_kind(text: str) -> str:
    head = text[:20000].lower()
    if "<table" in head or "<html" in head or "<body" in head or "<document>" in head:
        return "html"
    if head.lstrip().startswith("<?xml") or "<filingsummary" in head:
        return "xml"
    if "<table" in text.lower():
        return "html"
    return "text"


def read_bytes(data: bytes, doc: str, path: str = "") -> Source:
    """Decode one input; raise BadInputError with a clear message when it cannot be read."""
    settings = get_settings()
    if not data or not data.strip():
        raise BadInputError(f"{doc}: the file is empty; nothing to extract")
    if len(data) > settings.max_bytes:
        raise BadInputError(
            f"{doc}: {len(data) / 1e6:.1f} MB is larger than the limit of "
            f"{settings.max_bytes / 1e6:.1f} MB; split the file or raise TICKMARK_MAX_BYTES"
        )
    if _looks_binary(data):
        raise BadInputError(f"{doc}: looks like a binary file (NUL or control bytes); "
                            "Tickmark reads text, HTML and XML filings")
    text, enc, warnings = _decode(data, doc)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Source(
        doc=doc,
        text=text,
        kind=sniff_kind(text),
        path=path,
        encoding=enc,
        sha256=hashlib.sha256(data).hexdigest(),
        n_bytes=len(data),
        warnings=warnings,
    )


def read_text(text: str, doc: str = "<text>") -> Source:
    return read_bytes(text.encode("utf-8"), doc)


def read_path(path: str | Path) -> Source:
    p = Path(path)
    if not p.exists():
        raise BadInputError(f"{p}: no such file")
    if p.is_dir():
        raise BadInputError(f"{p}: is a directory; pass files, directories are expanded by the CLI")
    size = p.stat().st_size
    limit = get_settings().max_bytes
    if size > limit:
        raise BadInputError(
            f"{p.name}: {size / 1e6:.1f} MB is larger than the limit of {limit / 1e6:.1f} MB; "
            "split the file or raise TICKMARK_MAX_BYTES"
        )
    return read_bytes(p.read_bytes(), p.name, str(p))
