"""HTML plumbing for the html layout: parse once, visible text of an element, the text
blocks of a page in document order (for captions), and cheap source spans.

lxml gives each element its ``sourceline``; some filings are one huge line, so numeric
cells also get character offsets by a forward search in the raw text from the table's
start (tables are matched to their ``<table`` tags in document order).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

from ..errors import BadInputError
from ..models import SourceSpan
from ..read import Source

BLOCK_TAGS = {"p", "div", "br", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "li", "center",
              "pre", "body", "hr", "ul", "ol", "dt", "dd", "blockquote", "title", "td", "th"}
SKIP_TAGS = {"script", "style", "head", "title"}
_WS = re.compile(r"\s+")
_HIDDEN = re.compile(r"display\s*:\s*none", re.IGNORECASE)
_TABLE_TAG = re.compile(r"<table\b", re.IGNORECASE)
_PARSER = lxml.html.HTMLParser(huge_tree=True)  # long one-line filings exceed libxml2's default limits
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
# inline XBRL's hidden header holds self-closing tags the HTML parser would nest the page in
_IX_HEADER = re.compile(r"<ix:header>.*?</ix:header>", re.IGNORECASE | re.DOTALL)


def _blank(m: re.Match) -> str:
    """Blank out a match, keeping its newlines (so lines and offsets do not move)."""
    return re.sub(r"[^\n]", " ", m.group(0))


def norm(text: str) -> str:
    """Collapse whitespace (incl. NBSP and zero-width marks)."""
    return _WS.sub(" ", text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")).strip()


_TAG_NAMES: dict[str, str] = {}


def tag_of(el) -> str:
    """Local, lower-case tag name ('ix:nonFraction' -> 'nonfraction'); '' for comments."""
    t = el.tag
    if not isinstance(t, str):
        return ""
    name = _TAG_NAMES.get(t)
    if name is None:
        name = _TAG_NAMES[t] = t.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()
    return name


def is_hidden(el) -> bool:
    style = el.get("style")
    return bool(style and _HIDDEN.search(style))


def parse_html(source: Source):
    """The lxml root of a page (an SGML envelope is fine: its tags are ignored)."""
    text = source.text
    if not text.strip():
        raise BadInputError(f"{source.doc}: the file is empty; nothing to extract")
    text = _XML_DECL.sub(_blank, text, count=1)
    text = _IX_HEADER.sub(_blank, text)
    try:
        return lxml.html.document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError) as e:
        raise BadInputError(f"{source.doc}: not parseable as HTML ({e}); check the file is a web page") from e


def visible_text(el) -> tuple[str, list[str]]:
    """The visible text of an element and the texts of its <sup> footnote markers."""
    parts: list[str] = []
    notes: list[str] = []
    _collect(el, parts, notes, top=True)
    return norm("".join(parts)), notes


def _collect(el, parts: list[str], notes: list[str], top: bool = False) -> None:
    if not isinstance(el.tag, str):
        return  # a comment or processing instruction (its tail is added by the parent)
    tag = tag_of(el)
    if not top and (tag in SKIP_TAGS or is_hidden(el) or tag == "table"):
        return
    if tag == "sup":
        mark = norm(el.text_content()).strip("[]()* ")
        if mark and len(mark) <= 3:
            notes.append(mark)
        else:
            parts.append(el.text_content())
        return
    if tag == "br":
        parts.append(" ")
    if el.text:
        parts.append(el.text)
    for child in el:
        _collect(child, parts, notes)
        if child.tail:
            parts.append(child.tail)
    if tag in BLOCK_TAGS:
        parts.append(" ")


@dataclass
class Block:
    text: str
    depth: int  # how many <table>s enclose this text
    line: int
    barrier: bool = False  # marks the end of a table: text above it belongs to that table


@dataclass
class PageIndex:
    """Text blocks in document order and, per table element, the blocks before it."""

    blocks: list[Block] = field(default_factory=list)
    table_block: dict[int, int] = field(default_factory=dict)  # id(table) -> index into blocks
    table_depth: dict[int, int] = field(default_factory=dict)
    table_offset: dict[int, int] = field(default_factory=dict)  # id(table) -> char offset of <table
    tables: list = field(default_factory=list)  # keeps the element proxies alive, so id() is stable


def index_page(root, source: Source) -> PageIndex:
    """One walk over the page: text blocks (outside hidden parts) and table positions."""
    idx = PageIndex()
    buf: list[str] = []
    depth = 0
    line = [1]

    def flush() -> None:
        t = norm("".join(buf))
        buf.clear()
        if t:
            idx.blocks.append(Block(t, depth, line[0]))

    skipping = None  # the hidden/script element whose subtree is being skipped
    for event, el in etree.iterwalk(root, events=("start", "end")):
        if skipping is not None:
            if event == "end" and el is skipping:
                skipping = None
                if el.tail:
                    buf.append(el.tail)
            continue
        tag = tag_of(el)
        if event == "start":
            if tag in SKIP_TAGS or (is_hidden(el) and tag != "table"):
                skipping = el
                continue
            if tag in BLOCK_TAGS:
                flush()
                line[0] = el.sourceline or line[0]
            if tag == "table":
                idx.tables.append(el)
                idx.table_block[id(el)] = len(idx.blocks)
                idx.table_depth[id(el)] = depth
                depth += 1
            if el.text:
                buf.append(el.text)
        else:
            if tag in BLOCK_TAGS:
                flush()
            if tag == "table":
                depth -= 1
                idx.blocks.append(Block("", depth, el.sourceline or line[0], barrier=True))
            if el.tail:
                buf.append(el.tail)
    flush()
    _table_offsets(root, source, idx)
    return idx


def _table_offsets(root, source: Source, idx: PageIndex) -> None:
    tables = list(root.iter("table", "TABLE"))
    offsets = [m.start() for m in _TABLE_TAG.finditer(source.text)]
    if len(tables) != len(offsets):
        return  # "<table" inside comments or scripts: fall back to lines only
    idx.tables.extend(tables)
    for el, off in zip(tables, offsets):
        idx.table_offset[id(el)] = off


def blocks_before(idx: PageIndex, table, limit: int = 6, stop_at_table: bool = False) -> list[str]:
    """Up to `limit` text blocks just above a table, nearest first, at its nesting depth or
    above; with `stop_at_table`, none from before an earlier table at the same level."""
    end = idx.table_block.get(id(table), 0)
    depth = idx.table_depth.get(id(table), 0)
    out: list[str] = []
    for b in reversed(idx.blocks[max(0, end - 80):end]):
        if b.depth > depth:
            continue
        if b.barrier:
            if stop_at_table:
                break
            continue
        out.append(b.text)
        if len(out) >= limit:
            break
    return out


class Locator:
    """Source spans for cells: the element's line, plus char offsets for numbers when found."""

    def __init__(self, source: Source, start: int | None):
        self.source = source
        self.cursor = start

    def span(self, el, token: str | None = None) -> SourceSpan:
        line = el.sourceline or 1 if el is not None else 1
        if token and self.cursor is not None:
            lo = max(self.cursor, self.source.line_starts[min(line, self.source.n_lines) - 1])
            pos = self.source.text.find(token, lo, lo + 20000)
            if pos >= 0:
                self.cursor = pos + len(token)
                return self.source.span(pos, pos + len(token))
        return SourceSpan(line_start=line, line_end=line)


def number_token(raw: str) -> str | None:
    """The digits of a numeric cell as they appear in the source ('1,234' in '$ (1,234)')."""
    m = re.search(r"\d[\d,]*(?:\.\d+)?", raw)
    return m.group(0) if m else None
