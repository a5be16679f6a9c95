"""Fixed-width text tables inside EDGAR's SGML ``<TABLE>`` tags (``<CAPTION>``, ``<S>``, ``<C>``),
as in filings from the 1990s and early 2000s: the table is plain text aligned in columns.

Each line becomes a row of tokens (runs separated by two or more spaces) whose positions are
character columns, so the grid machinery of ``html_grid`` (value positions, header
assignment by overlap, label-only lines as sections) applies unchanged. One ``<TABLE>`` can
hold several tables one after another: a new block of year headers after data starts a new one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..read import Source
from . import html_grid as hg
from .html_dom import norm, text_content

_TAG = re.compile(r"<[^>\n]*>")
_TOKEN = re.compile(r"\S+(?: \S+)*")
_END = re.compile(r"</TABLE\s*>", re.IGNORECASE)
_TEXT_NOTE = re.compile(r"/(\w{1,2})/")


@dataclass
class LineEl:
    """Stands in for an element: the grid code only asks for its source line."""

    sourceline: int

    def get(self, name: str, default=None):
        return default


def is_text_table(el) -> bool:
    """A <TABLE> with no <tr> of its own but text: an SGML fixed-width table."""
    return not hg.table_rows(el) and bool(text_content(el).strip())


def text_segments(source: Source, offset: int) -> list[tuple[list[hg.GridRow], list[str]]]:
    """The row blocks of the fixed-width table starting at `offset`, each with lines above it."""
    m = _END.search(source.text, offset)
    end = m.start() if m else min(len(source.text), offset + 200000)
    first_line = source.line_of(offset)
    start = source.line_starts[first_line - 1]
    raw = _TAG.sub(lambda t: " " * len(t.group(0)), source.text[start:end])
    rows = [_line_row(line, first_line + k) for k, line in enumerate(raw.split("\n"))]
    return _split(rows)


def _line_row(line: str, lineno: int) -> hg.GridRow:
    el = LineEl(lineno)
    toks = []
    for m in _TOKEN.finditer(line.replace("\t", "    ")):
        text = m.group(0)
        notes = _TEXT_NOTE.findall(text) if "/" in text else []
        text = norm(_TEXT_NOTE.sub("", text) if notes else text)
        if text:
            toks.append(hg.Tok(text, m.start(), m.end() - 1, el, notes))
    return hg.GridRow(el, hg.merge_tokens(toks))


def _is_data(gr: hg.GridRow) -> bool:
    vals = [t for t in gr.toks[1:] if t.is_value]
    if not vals:
        return False
    return not (gr.toks[0].is_value and all(hg.is_year(t.text) for t in gr.toks))


def _is_yearrow(gr: hg.GridRow) -> bool:
    return bool(gr.toks) and all(hg.is_year(t.text) for t in gr.toks)


def _split(rows: list[hg.GridRow]) -> list[tuple[list[hg.GridRow], list[str]]]:
    """Cut after the last data line that precedes a new block of year headers."""
    segments: list[list[hg.GridRow]] = [[]]
    last_data = -1
    seen_data = False
    for gr in rows:
        cur = segments[-1]
        if _is_yearrow(gr) and seen_data:
            segments.append(cur[last_data + 1:])
            del cur[last_data + 1:]
            seen_data = False
            cur = segments[-1]
        cur.append(gr)
        if _is_data(gr):
            seen_data = True
            last_data = len(cur) - 1
    out = []
    for seg in segments:
        lead = []
        for gr in seg:  # label-only lines at the top (captions) are not headers
            if gr.toks and len(gr.toks) == 1 and gr.toks[0].start < 8 and not gr.toks[0].is_value:
                lead.append(gr.toks[0].text)
            elif gr.toks:
                break
        out.append((seg, lead))
    return out


def lines_above(source: Source, offset: int, limit: int = 6) -> list[str]:
    """Non-empty plain-text lines just above a fixed-width table (nearest first)."""
    line = source.line_of(offset)
    out: list[str] = []
    k = line - 1
    while k >= 1 and len(out) < limit and line - k < 40:
        t = norm(_TAG.sub(" ", source.line_text(k)))
        if t and not re.fullmatch(r"[-\d\s]+", t):
            out.append(t)
        k -= 1
    return out
