"""The html layout: EDGAR XBRL viewer R pages and filing documents (10-K, 20-F, inline XBRL).

R pages (``<table class="report">``): title, scale and currency from the corner header,
column periods from the spanning "12 Months Ended" over dates, ``[Member]`` rows as member
paths, abstract rows as sections, footnote-marker cells as notes; hidden ``authRefData``
definition tables are skipped and "text block" tables nested in a cell are read as filing
tables. Filing tables: see ``html_grid``; only data tables are returned.
"""

from __future__ import annotations

import re

from ..models import Cell, CellKind, Column, Layout, Row, SourceSpan, Table
from ..numbers import currency_of, parse_cell, parse_scale, split_label_notes
from ..periods import parse_period
from ..read import Source
from . import html_grid as hg
from . import html_text as ht
from .html_dom import Locator, PageIndex, blocks_before, index_page, is_hidden, number_token, parse_html, tag_of
from .html_periods import column_periods

LAYOUT = Layout.html
_SCALE_SPLIT = re.compile(r"(?:[^\s)]+\s+)?\bin\s+(?:thousands|millions|billions)\b.*$", re.IGNORECASE)
_UNIT_SUFFIX = re.compile(r"\s*(?:[-–]\s*(?:[A-Z]{3}\s*\(.{1,4}?\)|shares|pure|%)[^-]*|\((?:[A-Z]{3}\s*\S{1,3})\))\s*$")
_CODE = re.compile(r"\b([A-Z]{3})\s*\((\S{1,4}?)\)|\(([A-Z]{3})\s+(\S{1,3})\)")
_ABSTRACT = re.compile(r"\[(Abstract|Line Items|Roll Forward|Table|Axis|Domain)\]\s*$")
_VALUE_CLASSES = ("num", "nump", "text", "numn")


def score(source: Source) -> float:
    if source.kind in ("html", "xml"):
        return 1.0
    return 0.5 if "<table" in source.text[:200000].lower() else 0.0


def parse(source: Source) -> list[Table]:
    """Every data table of an HTML page, in document order (text-block tables after their page)."""
    if source.kind == "xml" and "<table" not in source.text.lower():
        return []
    root = parse_html(source)
    idx = index_page(root, source)
    out: list[Table] = []
    for el in root.iter("table", "TABLE"):
        if _skipped(el):
            continue
        classes = (el.get("class") or "").split()
        found = [_r_page(el, source, idx)] if "report" in classes else _filing_tables(el, source, idx)
        for t in found:
            if t is not None:
                t.table_id = f"t{len(out) + 1}"
                if not t.title and out:  # a note's later tables sit under the same heading
                    t.title = out[-1].title
                out.append(t)
    return out


def _skipped(el) -> bool:
    """Definition (authRefData) tables and anything hidden."""
    for node in [el, *el.iterancestors()]:
        if "authRefData" in (node.get("class") or "") or is_hidden(node):
            return True
    return False


def _report_title(el) -> str:
    """The title of the R page a text-block table sits in, if it sits in one."""
    for anc in el.iterancestors():
        if tag_of(anc) == "table" and "report" in (anc.get("class") or "").split():
            title, _, _ = _split_corner(_corner_text(anc))
            return title
    return ""


# ---------------------------------------------------------------- R pages


def _corner_text(table) -> str:
    for th in table.iter("th"):
        if "tl" in (th.get("class") or "").split():
            return hg.visible_text(th)[0]
    return ""


def _split_corner(text: str) -> tuple[str, str, list[str]]:
    """'X (Details) - USD ($) $ in Millions' -> ('X (Details)', '$ in Millions', ['USD'])."""
    m = _SCALE_SPLIT.search(text)
    scale_text = m.group(0).strip() if m else ""
    head = text[: m.start()].strip() if m else text.strip()
    codes = [a or c for a, _, c, _ in _CODE.findall(head)]
    title = _UNIT_SUFFIX.sub("", head).strip()
    return title, scale_text, codes


def _r_page(el, source: Source, idx: PageIndex) -> Table | None:
    rows = hg.build_rows(el, merge=False)
    header = [gr for gr in rows if gr.toks and tag_of(gr.toks[0].el) == "th" and not _has_label(gr)]
    body = [gr for gr in rows if gr not in header]
    positions = sorted({t.start for gr in body for t in gr.toks if t.start > 0 and _is_value_td(t.el)})
    if not positions:
        return None
    title, scale_text, codes = _split_corner(_corner_text(el))
    currency = codes[0] if len(set(codes)) == 1 else None
    cols = []
    for k, p in enumerate(positions):
        parts = [t.text for gr in header for t in gr.toks if t.start <= p <= t.end and t.start > 0 and t.text]
        head = " ".join(parts)
        cols.append(Column(index=k, header=head, period=_r_period(parts),
                           currency=_header_currency(head) or currency))
    loc = Locator(source, idx.table_offset.get(id(el)))
    table_rows = _r_rows(body, positions, loc)
    if not any(c.kind == CellKind.number for r in table_rows for c in r.cells):
        return None
    scale, stext = parse_scale(scale_text)
    return Table(doc=source.doc, table_id="", title=title, caption=title, layout=LAYOUT,
                 kind="xbrl_details", scale=scale, scale_text=stext or scale_text, currency=currency,
                 columns=cols, rows=table_rows, source=_table_span(el, table_rows))


def _has_label(gr: hg.GridRow) -> bool:
    return any("pl" in (t.el.get("class") or "").split() for t in gr.toks)


def _is_value_td(td) -> bool:
    return tag_of(td) == "td" and any(c in _VALUE_CLASSES for c in (td.get("class") or "").split())


def _header_currency(head: str) -> str | None:
    m = _CODE.search(head)
    return currency_of(head) if m else None


def _r_period(parts: list[str]):
    """'12 Months Ended' over 'Dec. 31, 2019' -> duration; a bare date -> instant."""
    text = " ".join(parts)
    return parse_period(text)


def _r_rows(body: list[hg.GridRow], positions: list[int], loc: Locator) -> list[Row]:
    rows: list[Row] = []
    members: list[str] = []
    section: str | None = None
    column_of = {p: k for k, p in enumerate(positions)}
    for gr in body:
        label_tok = next((t for t in gr.toks if t.start == 0), None)
        label, notes = split_label_notes(label_tok.text if label_tok else "")
        notes += label_tok.notes if label_tok else []
        if "rh" in (gr.tr.get("class") or "").split():
            members = [m.strip() for m in label.split(" | ") if m.strip()]
            section = None
            continue
        found: list[Cell | None] = [None] * len(positions)  # None: missing (made if the row is kept)
        for t in gr.toks:
            if t.start in column_of and _is_value_td(t.el):
                found[column_of[t.start]] = _r_cell(t, loc)
            elif t.start > 0 and (t.notes or t.text):
                notes += t.notes or [t.text.strip("[]")]
        if all(c is None or c.kind == CellKind.missing for c in found) and _is_abstract(label_tok, label):
            section = label or section
            continue
        cells = [c if c is not None else Cell(kind=CellKind.missing) for c in found]
        line = gr.tr.sourceline or 1
        rows.append(Row(index=len(rows), label=label, members=list(members), section=section,
                        cells=cells, notes=notes, source=hg.row_span(line, cells)))
    return rows


def _is_abstract(tok: hg.Tok | None, label: str) -> bool:
    """R pages print abstract (heading) rows in bold; a plain row without values is still a row."""
    if tok is None:
        return True
    return tok.el.find(".//strong") is not None or bool(_ABSTRACT.search(label))


def _r_cell(t: hg.Tok, loc: Locator) -> Cell:
    cell = parse_cell(t.text)
    if t.notes:
        cell.notes = cell.notes + t.notes
    if cell.kind != CellKind.missing:
        cell.source = loc.span(t.el, number_token(t.text) if cell.value is not None else None)
    return cell


def _table_span(el, rows: list[Row]) -> SourceSpan:
    start = el.sourceline or 1
    end = max([start] + [r.source.line_end for r in rows if r.source])
    return SourceSpan(line_start=start, line_end=end)


# ---------------------------------------------------------------- filing tables


def _filing_tables(el, source: Source, idx: PageIndex) -> list[Table]:
    offset = idx.table_offset.get(id(el))
    if ht.is_text_table(el):
        if offset is None:
            return []
        above = [b for b in ht.lines_above(source, offset) if not _noise(b)]
        out = []
        for rows, lead in ht.text_segments(source, offset):
            t = _grid_table(rows, source, Locator(source, offset), list(reversed(lead)) + above, "")
            if t is not None:
                out.append(t)
        return out
    rows = hg.build_rows(el)
    near = [b for b in blocks_before(idx, el, stop_at_table=True) if not _noise(b)]
    above = [b for b in blocks_before(idx, el, limit=15) if not _noise(b)]
    t = _grid_table(rows, source, Locator(source, offset), near, _report_title(el) or _heading(above))
    return [t] if t is not None else []


def _grid_table(rows: list[hg.GridRow], source: Source, loc: Locator, above: list[str],
                page_title: str) -> Table | None:
    """One table from its grid rows, with the text blocks above it (nearest first)."""
    if not rows:
        return None
    grid = hg.classify(rows)
    if not grid.groups:
        return None
    heads, in_table = hg.headers(grid)
    body, dropped = hg.body_rows(grid, loc)
    if not hg.is_data(grid, body):
        return None
    caption = next((b for b in above + in_table if not _scale_only(b)), "")
    title = page_title or _heading(above)
    context = " ".join(in_table + [caption])
    scale, scale_text = parse_scale(" ".join(in_table + heads))
    if scale == 1:
        scale, scale_text = parse_scale(" ".join(above[:3]))
    periods = column_periods(heads, context)
    cols = [Column(index=k, header=_drop_scale(h), period=periods[k], currency=_column_currency(h, body, k))
            for k, h in enumerate(heads)]
    return Table(doc=source.doc, table_id="", title=title, caption=_sentence(caption), layout=LAYOUT,
                 scale=scale, scale_text=scale_text, currency=hg.table_currency(body, " ".join(in_table + above[:2])),
                 columns=cols, rows=body, warnings=dropped, source=_rows_span(rows, body))


def _rows_span(rows: list[hg.GridRow], body: list[Row]) -> SourceSpan:
    start = min(gr.tr.sourceline or 1 for gr in rows)
    end = max([start] + [r.source.line_end for r in body if r.source])
    return SourceSpan(line_start=start, line_end=end)


_SCALE_NOTE = re.compile(r"\s*\((?:[^()]*\s)?in\s+(?:thousands|millions|billions)\b[^()]*\)", re.IGNORECASE)


def _drop_scale(header: str) -> str:
    """'Fiscal 2006 (in millions)' -> 'Fiscal 2006': the scale is the table's, not the column's."""
    return _SCALE_NOTE.sub("", header).strip() or header


def _noise(text: str) -> bool:
    """Page numbers, 'Table of Contents' links and rules are not captions."""
    t = text.strip().lower()
    return len(t) < 3 or t.isdigit() or t in ("table of contents", "index") or bool(re.fullmatch(r"[-=_—\s\d]+", t))


def _scale_only(text: str) -> bool:
    return len(text) < 50 and parse_scale(text)[0] > 1


_NOT_TITLE = re.compile(r"^(for the|years? ended|fiscal years? ended|as of|as at|\(?in |\(?dollars|\(unaudited\))|"
                        r"(\binc\.?|\bcorporation|\bsubsidiaries|\bcompany|\bplc|n\.v\.)$", re.IGNORECASE)
_TITLE_WORDS = re.compile(r"^(note|schedule|item|part)\b", re.IGNORECASE)


def _heading(above: list[str]) -> str:
    """The note heading above a table: 'NOTE 7 — ...', 'Schedule II ...', a line in capitals,
    else the nearest short line that is not a period phrase, a scale or the company name."""
    cands = [b for b in above[:15] if len(b) <= 120 and not b.rstrip().endswith((".", ":", ","))
             and not _scale_only(b) and not _NOT_TITLE.search(b.strip())]
    strong = [b for b in cands if _TITLE_WORDS.match(b) or (b.isupper() and len(b) > 8)]
    return (strong or cands[:3] or [""])[0]


def _sentence(text: str) -> str:
    """The last sentence of the block above the table (captions can be long paragraphs)."""
    if len(text) <= 400:
        return text
    parts = re.split(r"(?<=[.:])\s+(?=[A-Z(])", text)
    return parts[-1][-400:]


def _column_currency(head: str, rows: list[Row], k: int) -> str | None:
    if _CODE.search(head) or re.search(r"\b(RMB|US\$|USD|EUR|HK\$)\b", head):
        return currency_of(head)
    codes = {r.cells[k].currency for r in rows if r.cells[k].currency}
    return codes.pop() if len(codes) == 1 else None
