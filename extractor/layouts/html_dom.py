"""HTML plumbing for the html layout: parse once, visible text of an element, the text
blocks of a page in document order (for captions), and cheap source spans.

lxml gives each element its ``sourceline``; some filings are one huge line, so numeric
cells also get character offsets by a forward search in the raw text from the table's
start (tables are matched to their ``<table`` tags in document order).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from ..errors import BadInputError
from ..models import SourceSpan
from ..read import Source

BLOCK_TAGS = {"p", "div", "br", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "li", "center",
              "pre", "body", "hr", "ul", "ol", "dt", "dd", "blockquote", "title", "td", "th"}
SKIP_TAGS = {"script", "style", "head", "title"}
_HIDDEN = re.compile(r"display\s*:\s*none", re.IGNORECASE)
_TABLE_TAG = re.compile(r"<table\b", re.IGNORECASE)
# plain lxml elements, not lxml.html's: its element class lookup is Python code run for every
# element proxy; huge_tree because long one-line filings exceed libxml2's default limits
_PARSER = etree.HTMLParser(huge_tree=True)
_STRING = etree.XPath("string()")  # an element's text content (what lxml.html's text_content() is)
_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
# inline XBRL's hidden header holds self-closing tags the HTML parser would nest the page in
_IX_OPEN = re.compile(r"<ix:header>", re.IGNORECASE)
_IX_CLOSE = re.compile(r"</ix:header>", re.IGNORECASE)


def _blank(m: re.Match) -> str:
    """Blank out a match, keeping its newlines (so lines and offsets do not move)."""
    return _blanked(m.group(0))


def _blanked(text: str) -> str:
    return "\n".join(" " * len(part) for part in text.split("\n"))


def _blank_ix_headers(text: str) -> str:
    """Blank out each <ix:header> up to the first </ix:header> after it. Two plain searches:
    a lazy "<ix:header>.*?</ix:header>" regex steps through the header (a third of some
    filings) about ten times slower."""
    parts: list[str] = []
    pos = 0
    while (start := _IX_OPEN.search(text, pos)) and (end := _IX_CLOSE.search(text, start.end())):
        parts += [text[pos:start.start()], _blanked(text[start.start():end.end()])]
        pos = end.end()
    return "".join(parts) + text[pos:] if parts else text


def text_content(el) -> str:
    """All the text inside an element (hidden parts too), without its tail."""
    return str(_STRING(el))


def norm(text: str) -> str:
    """Collapse whitespace (incl. NBSP and zero-width marks)."""
    return " ".join(text.replace("\u200b", "").replace("\ufeff", "").split())  # split() takes NBSP as space


_TAG_NAMES: dict = {}  # el.tag (a str, or etree.Comment / etree.PI) -> tag_of


def tag_of(el) -> str:
    """Local, lower-case tag name ('ix:nonFraction' -> 'nonfraction'); '' for comments."""
    return _name_of(el.tag)


def _name_of(t) -> str:
    """tag_of, given the element's tag (each read of el.tag builds a new string)."""
    name = _TAG_NAMES.get(t)
    if name is None:
        name = _TAG_NAMES[t] = t.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower() if isinstance(t, str) else ""
    return name


def is_hidden(el) -> bool:
    return _hidden_style(el.get("style"))


def _hidden_style(style: str | None) -> bool:
    # the "none" test is cheap and the regex cannot match without it (inline XBRL styles every element)
    return bool(style and "none" in style.lower() and _HIDDEN.search(style))


def parse_html(source: Source):
    """The lxml root of a page (an SGML envelope is fine: its tags are ignored)."""
    text = source.text
    if not text.strip():
        raise BadInputError(f"{source.doc}: the file is empty; nothing to extract")
    text = _XML_DECL.sub(_blank, text, count=1)
    text = _blank_ix_headers(text)
    try:
        root = etree.fromstring(text, _PARSER)
        if root is None:
            raise etree.ParserError("Document is empty")
        return root
    except (etree.ParserError, ValueError) as e:
        raise BadInputError(f"{source.doc}: not parseable as HTML ({e}); check the file is a web page") from e


def visible_text(el) -> tuple[str, list[str]]:
    """The visible text of an element and the texts of its <sup> footnote markers."""
    tag = tag_of(el)
    if not len(el) and tag != "sup":  # a cell holding bare text (or nothing): the usual case
        return norm(el.text or ""), []
    parts: list[str] = []
    notes: list[str] = []
    _collect(el, tag, parts, notes)
    return norm("".join(parts)), notes


def _collect(el, tag: str, parts: list[str], notes: list[str]) -> None:
    """Add the text of `el` (whose tag_of is `tag`) to parts, skipping nested tables and
    hidden parts; sup markers go to notes."""
    if tag == "sup":
        content = text_content(el)
        mark = norm(content).strip("[]()* ")
        if mark and len(mark) <= 3:
            notes.append(mark)
        else:
            parts.append(content)
        return
    if tag == "br":
        parts.append(" ")
    if text := el.text:
        parts.append(text)
    for child in el:
        t = child.tag
        if isinstance(t, str):  # comments and processing instructions add only their tail
            ctag = _name_of(t)
            if ctag not in SKIP_TAGS and ctag != "table" and not is_hidden(child):
                _collect(child, ctag, parts, notes)
        if tail := child.tail:
            parts.append(tail)
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
    blocks = idx.blocks
    buf: list[str] = []
    depth = 0
    line = 1
    names = _TAG_NAMES  # this loop runs twice per element of the page: _name_of is inlined
    skipped = False  # the last "start" was a hidden/script element, whose subtree is skipped
    walk = etree.iterwalk(root, events=("start", "end"))
    for event, el in walk:
        t = el.tag
        tag = names.get(t)
        if tag is None:
            tag = _name_of(t)
        if event == "start":
            if tag in SKIP_TAGS or (tag != "table" and _hidden_style(el.get("style"))):
                walk.skip_subtree()  # the next event is this element's "end"
                skipped = True
                continue
            if tag in BLOCK_TAGS:
                if buf:
                    _flush(buf, blocks, depth, line)
                line = el.sourceline or line
            if tag == "table":
                idx.tables.append(el)
                idx.table_block[id(el)] = len(blocks)
                idx.table_depth[id(el)] = depth
                depth += 1
            if text := el.text:
                buf.append(text)
        else:
            if skipped:
                skipped = False
            elif tag in BLOCK_TAGS:
                if buf:
                    _flush(buf, blocks, depth, line)
                if tag == "table":
                    depth -= 1
                    blocks.append(Block("", depth, el.sourceline or line, barrier=True))
            if tail := el.tail:
                buf.append(tail)
    if buf:
        _flush(buf, blocks, depth, line)
    _table_offsets(root, source, idx)
    return idx


def _flush(buf: list[str], blocks: list[Block], depth: int, line: int) -> None:
    """The text gathered since the last block boundary becomes a block (if not blank)."""
    text = "".join(buf)
    buf.clear()
    if not text.isspace():  # most gaps between tags are blank: norm would give ""
        text = norm(text)
        if text:
            blocks.append(Block(text, depth, line))


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
            starts = self.source.line_starts
            lo = max(self.cursor, starts[min(line, len(starts)) - 1])
            pos = self.source.text.find(token, lo, lo + 20000)
            if pos >= 0:
                self.cursor = pos + len(token)
                return self.source.span(pos, pos + len(token))
        return SourceSpan(line_start=line, line_end=line)


def number_token(raw: str) -> str | None:
    """The digits of a numeric cell as they appear in the source ('1,234' in '$ (1,234)')."""
    m = _DIGITS.search(raw)
    return m.group(0) if m else None
