"""Render a gold table (evals/gold.py format) or a ``Table`` into the layouts Tickmark reads.

``render_html`` writes what a filing shows: the title and caption above the table, header
rows (a spanning period line when the header does not state the period), "$" in its own
cell, negatives in parentheses split over two cells, "—" for zero and spacer columns. Gold
tables with ``[Member]`` paths or per-column currencies come out as an EDGAR R page
(``<table class="report">``) instead, as they do on EDGAR.

The text renderers reproduce the flattened layouts of the seeds: ``render_pipes`` (one line of
"|"-separated cells, empty cells kept), ``render_cell_lines`` (one cell per line, empty cells
dropped) and ``render_row_lines`` (one row per line, label then numbers).
"""

from __future__ import annotations

import html
from decimal import Decimal
from typing import Any

from extractor.models import Table
from extractor.periods import parse_period

from .gold import period_from_key

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
WORDS = {1: "One", 2: "Two", 3: "Three", 4: "Four", 5: "Five", 6: "Six", 7: "Seven", 8: "Eight",
         9: "Nine", 10: "Ten", 11: "Eleven"}
SYMBOLS = {"USD": "$", "CNY": "¥", "EUR": "€", "GBP": "£"}


def as_gold(t: Table | dict[str, Any], index: int = 1) -> dict[str, Any]:
    """A Table model as a gold-format dict (gold dicts pass through)."""
    if isinstance(t, dict):
        return t
    return {
        "index": index, "title": t.title, "caption": t.caption, "scale": t.scale, "currency": t.currency,
        "columns": [{"header": c.header, "period": c.period.key if c.period else None, "currency": c.currency}
                    for c in t.columns],
        "rows": [{"label": r.label, "members": r.members, "section": r.section,
                  "values": [None if c.value is None else str(c.value) for c in r.cells]} for r in t.rows],
    }


def number_text(v: Any) -> tuple[str, bool]:
    """'-1234.5' -> ('1,234.5', True); '0' -> ('—', False)."""
    d = Decimal(str(v))
    if d == 0:
        return "—", False
    body = str(abs(d))
    whole, _, frac = body.partition(".")
    text = f"{int(whole):,}" + (f".{frac}" if frac else "")
    return text, d < 0


def _esc(s: str | None) -> str:
    return html.escape(s or "", quote=False)


def _date_text(d, short: bool = False) -> str:
    if short:
        mon = MONTHS[d.month - 1]
        return f"{mon[:3]}{'' if mon == 'May' else '.'} {d.day:02d}, {d.year}"
    return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"


def period_phrase(key: str | None) -> str:
    """A header phrase stating the period: 'December 31, 2024' or 'Six Months Ended June 30, 2021'."""
    p = period_from_key(key)
    if p is None or p.kind == "unknown":
        return ""
    if p.kind == "instant":
        return _date_text(p.instant)
    months = p.months or 12
    lead = "Year" if months == 12 else f"{WORDS.get(months, str(months))} Months"
    return f"{lead} Ended {_date_text(p.end)}"


def _needs_phrase(col: dict[str, Any]) -> bool:
    key = col.get("period")
    if not key:
        return False
    p = parse_period(col.get("header", ""))
    return p is None or p.key != key


def _scale_text(g: dict[str, Any]) -> str:
    return {1000: "(in thousands)", 10**6: "(in millions)", 10**9: "(in billions)"}.get(g.get("scale") or 1, "")


# ---------------------------------------------------------------- filing style


def render_html(table_or_gold: Table | dict[str, Any], style: str = "auto") -> str:
    """One table as HTML (title, caption, table). style: 'filing', 'rpage' or 'auto'."""
    g = as_gold(table_or_gold)
    if style == "rpage" or (style == "auto" and _wants_rpage(g)):
        return render_rpage(g)
    parts = []
    if g.get("title"):
        parts.append(f"<p><b>{_esc(g['title'])}</b></p>")
    if g.get("caption"):
        parts.append(f"<p>{_esc(g['caption'])}</p>")
    if _scale_text(g):
        parts.append(f"<p>{_scale_text(g)}</p>")
    parts.append(_filing_table(g))
    return "\n".join(parts)


def _wants_rpage(g: dict[str, Any]) -> bool:
    return any(r.get("members") for r in g["rows"]) or any(c.get("currency") not in (None, "USD")
                                                           for c in g["columns"])


def _filing_table(g: dict[str, Any]) -> str:
    cols = g["columns"]
    width = 1 + 4 * len(cols)
    keys = {c.get("period") for c in cols}
    one_instant = len(keys) == 1 and cols and period_from_key(cols[0].get("period")) is not None \
        and period_from_key(cols[0]["period"]).kind == "instant" and all(_needs_phrase(c) for c in cols)
    lines = ['<table cellspacing="0" cellpadding="0" style="width:100%">']
    if not one_instant and any(_needs_phrase(c) for c in cols):
        lines.append(_spanning_row([period_phrase(c.get("period")) if _needs_phrase(c) else "" for c in cols]))
    corner = f"As of {_date_text(period_from_key(cols[0]['period']).instant)}" if one_instant else ""
    lines.append(_spanning_row([c.get("header", "") for c in cols], corner))
    section, members = None, []
    for r in g["rows"]:
        if r.get("members", []) != members:
            members = r.get("members", [])
            lines.append(_label_row(" | ".join(members), width))
        if r.get("section") and r.get("section") != section:
            section = r["section"]
            lines.append(_label_row(section, width))
        lines.append(_value_row(r, cols, first=r is g["rows"][0]))
    lines.append("</table>")
    return "\n".join(lines)


def _spanning_row(texts: list[str], corner: str = "") -> str:
    cells = [f"<td>{_esc(corner)}</td>"]
    k = 0
    while k < len(texts):
        n = 1
        while k + n < len(texts) and texts[k + n] == texts[k] and texts[k]:
            n += 1
        span = 4 * n - 1
        cells.append(f'<td></td><td colspan="{span}" style="text-align:center">{_esc(texts[k])}</td>')
        k += n
    return "<tr>" + "".join(cells) + "</tr>"


def _label_row(text: str, width: int) -> str:
    return f'<tr><td colspan="{width}">{_esc(text)}</td></tr>'


def _value_row(r: dict[str, Any], cols: list[dict[str, Any]], first: bool) -> str:
    is_total = r["label"].strip().lower().startswith("total")
    cells = [f"<td>{_esc(r['label'])}</td>"]
    for v, c in zip(r["values"], cols):
        mark = SYMBOLS.get(c.get("currency") or "", "") if (first or is_total) else ""
        if v is None:
            cells.append("<td></td><td></td><td></td><td></td>")
            continue
        text, neg = number_text(v)
        body = f"({text}" if neg else text
        cells.append(f'<td>&#160;</td><td>{mark}</td><td style="text-align:right">{body}</td>'
                     f'<td>{")" if neg else ""}</td>')
    return "<tr>" + "".join(cells) + "</tr>"


# ---------------------------------------------------------------- EDGAR R page style


def render_rpage(table_or_gold: Table | dict[str, Any]) -> str:
    """An XBRL viewer R page: spanning 'N Months Ended' over dates, '[Member]' rows, abstracts."""
    g = as_gold(table_or_gold)
    cols = g["columns"]
    periods = [period_from_key(c.get("period")) for c in cols]
    scale = {1000: "in Thousands", 10**6: "in Millions"}.get(g.get("scale") or 1, "")
    codes = sorted({c.get("currency") for c in cols if c.get("currency")})
    unit = ", ".join(f"{SYMBOLS.get(code, code)} {scale}" for code in codes) if scale else ""
    title = _esc(g.get("title") or g.get("caption") or "Details")
    spans = [f"{p.months} Months Ended" if p and p.kind == "duration" and p.months else "" for p in periods]
    dates = [_date_text(p.end_date, short=True) if p and p.end_date else "" for p in periods]
    currs = [f"{c['currency']} ({SYMBOLS.get(c['currency'], c['currency'])})" if c.get("currency") else ""
             for c in cols]
    head_rows = [row for row in (spans, dates, currs) if any(row)]
    out = ['<table class="report" border="0" cellspacing="2">']
    for k, texts in enumerate(head_rows):
        corner = (f'<th class="tl" colspan="1" rowspan="{len(head_rows)}"><div><strong>{title}'
                  f'<br> {_esc(unit)}</strong></div></th>') if k == 0 else ""
        out.append("<tr>" + corner + "".join(_th_runs(texts)) + "</tr>")
    section, members = None, []
    blank = "".join('<td class="text">&#160;<span></span></td>' for _ in cols)
    for r in g["rows"]:
        if r.get("members", []) != members:
            members = r.get("members", [])
            out.append(f'<tr class="rh"><td class="pl">{_esc(" | ".join(members))}</td>{blank}</tr>')
        if r.get("section") and r.get("section") != section:
            section = r["section"]
            out.append(f'<tr class="re"><td class="pl"><a><strong>{_esc(section)}</strong></a></td>{blank}</tr>')
        cells = "".join(_rpage_cell(v, c) for v, c in zip(r["values"], cols))
        out.append(f'<tr class="ro"><td class="pl"><a>{_esc(r["label"])}</a></td>{cells}</tr>')
    out.append("</table>")
    return "\n".join(out)


def _th_runs(texts: list[str]) -> list[str]:
    out, k = [], 0
    while k < len(texts):
        n = 1
        while k + n < len(texts) and texts[k + n] == texts[k] and texts[k]:
            n += 1
        out.append(f'<th class="th" colspan="{n}"><div>{_esc(texts[k])}</div></th>')
        k += n
    return out


def _rpage_cell(v: Any, col: dict[str, Any]) -> str:
    if v is None:
        return '<td class="text">&#160;<span></span></td>'
    text, neg = number_text(v)
    mark = SYMBOLS.get(col.get("currency") or "", "")
    body = f"({text})" if neg else text
    return f'<td class="{"num" if neg else "nump"}">{mark + " " if mark else ""}{body}<span></span></td>'


def render_document(gold: dict[str, Any], style: str = "auto") -> str:
    """Every table of a gold document as one HTML page, in order."""
    body = "\n<p>&#160;</p>\n".join(render_html(t, style) for t in gold["tables"])
    return f"<html><body>\n{body}\n</body></html>\n"


# ---------------------------------------------------------------- flattened text layouts


def _value_text(v: Any) -> str:
    if v is None:
        return ""
    text, neg = number_text(v)
    return f"({text})" if neg else text


def render_pipes(table_or_gold: Table | dict[str, Any]) -> str:
    """Seed-000 style: the caption, then every cell of the table on ONE '|'-separated line."""
    g = as_gold(table_or_gold)
    cells = [""] + [x for c in g["columns"] for x in ("", c.get("header", ""))]
    for r in g["rows"]:
        cells += [r["label"]] + [x for v in r["values"] for x in ("", _value_text(v))]
    return f"{g.get('caption', '')} " + "".join(f"| {c} " if c else "| " for c in cells) + "|"


def render_cell_lines(table_or_gold: Table | dict[str, Any]) -> str:
    """Seed-001 style: one cell per line, empty cells dropped."""
    g = as_gold(table_or_gold)
    lines = [g.get("caption", "")] + [c.get("header", "") for c in g["columns"]]
    for r in g["rows"]:
        lines.append(r["label"])
        lines += [_value_text(v) for v in r["values"] if v is not None]
    return "\n".join(x for x in lines if x)


def render_row_lines(table_or_gold: Table | dict[str, Any]) -> str:
    """Text copied from a page: the headers on one line, then one row per line, label then numbers."""
    g = as_gold(table_or_gold)
    lines = [g.get("caption", ""), "  ".join(c.get("header", "") for c in g["columns"])]
    for r in g["rows"]:
        lines.append("  ".join([r["label"]] + [_value_text(v) for v in r["values"] if v is not None]))
    return "\n".join(x for x in lines if x)
