"""Numbers as filings print them: "(1,234)", "—", "nil", "¥ 1,373,623", "36.00%", "12 months".

``parse_cell`` turns one cell's text into a ``Cell`` (without its source); the layouts add
the span. Footnote markers ("[1]", a trailing "(1)") are stripped and kept as notes.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .models import Cell, CellKind

DASHES = {"—", "-", "–", "−", "--", "—-", "‒", "―", "- -", "$—", "$ —", "$-", "$ -"}
NILS = {"nil", "none", "n/a", "na", "n.a.", "not applicable"}
BOOLS = {"true", "false", "yes", "no"}

CURRENCY_MARKS: list[tuple[str, str]] = [
    ("US$", "USD"),
    ("HK$", "HKD"),
    ("RMB", "CNY"),
    ("CNY", "CNY"),
    ("USD", "USD"),
    ("EUR", "EUR"),
    ("¥", "CNY"),
    ("￥", "CNY"),
    ("$", "USD"),
    ("€", "EUR"),
    ("£", "GBP"),
]

SCALE_WORDS = {"thousand": 1000, "thousands": 1000, "million": 10**6, "millions": 10**6,
               "billion": 10**9, "billions": 10**9}

_FOOTNOTE_BRACKET = re.compile(r"\s*\[(\d{1,2}|[a-z*†‡§])\]")
_FOOTNOTE_SUP_PAREN = re.compile(r"\s*\((\d{1,2}|[a-z])\)\s*$")
_NUM = re.compile(
    r"^(?P<neg1>\()?\s*(?P<minus>[-−–])?\s*(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"\s*(?P<neg2>\))?\s*(?P<unit>%|percent|months?|years?|days?|items?|x)?$",
    re.IGNORECASE,
)
_UNIT_NORMAL = {"%": "%", "percent": "%", "month": "months", "months": "months", "year": "years",
                "years": "years", "day": "days", "days": "days", "item": "items", "items": "items",
                "x": "x"}


def strip_footnotes(text: str) -> tuple[str, list[str]]:
    """Remove footnote markers "[1]" anywhere and a trailing "(1)"; return (text, notes)."""
    notes = _FOOTNOTE_BRACKET.findall(text)
    text = _FOOTNOTE_BRACKET.sub("", text).strip()
    return text, notes


def split_label_notes(label: str) -> tuple[str, list[str]]:
    """'Reclassification(1)' -> ('Reclassification', ['1']); '[1]' markers too."""
    label, notes = strip_footnotes(label)
    m = _FOOTNOTE_SUP_PAREN.search(label)
    if m and not re.fullmatch(r"\s*\(\d+\)\s*", label):
        notes.append(m.group(1))
        label = label[: m.start()].rstrip()
    return label, notes


def currency_of(text: str) -> str | None:
    """The ISO code of the first currency mark in text, if any."""
    for mark, code in CURRENCY_MARKS:
        if mark in text:
            if mark in ("CNY", "USD", "EUR", "RMB") and not re.search(rf"(?<![A-Za-z]){mark}", text):
                continue
            return code
    return None


def _strip_currency(text: str) -> tuple[str, str | None]:
    for mark, code in CURRENCY_MARKS:
        if text.startswith(mark):
            return text[len(mark):].strip(), code
        if text.startswith("(" + mark):
            return "(" + text[len(mark) + 1:].strip(), code
        if text.startswith("-" + mark) or text.startswith("−" + mark):
            return "-" + text[len(mark) + 1:].strip(), code
    return text, None


def parse_number(text: str) -> tuple[Decimal | None, str | None]:
    """Parse a bare numeric token (no currency, no notes): returns (value, unit) or (None, None)."""
    t = text.strip().replace("\u00a0", " ").replace(" ", "") if len(text) < 40 else text.strip()
    m = _NUM.match(t)
    if not m:
        return None, None
    if bool(m.group("neg1")) != bool(m.group("neg2")):
        return None, None
    try:
        v = Decimal(m.group("num").replace(",", ""))
    except InvalidOperation:
        return None, None
    if m.group("neg1") or m.group("minus"):
        v = -v
    unit = m.group("unit")
    return v, (_UNIT_NORMAL.get(unit.lower()) if unit else None)


def parse_cell(raw: str) -> Cell:
    """One cell's text -> Cell(value, kind, unit, currency, notes). No source span."""
    text = raw.strip().replace("\u00a0", " ")
    if not text:
        return Cell(raw=raw, kind=CellKind.missing)
    text, notes = strip_footnotes(text)
    if not text:
        return Cell(raw=raw, kind=CellKind.missing, notes=notes)
    body, currency = _strip_currency(text)
    low = body.lower().strip()
    if low in DASHES or text in DASHES or re.fullmatch(r"[-—–−‒―]+", low or "x"):
        return Cell(raw=raw, value=Decimal(0), kind=CellKind.dash, currency=currency, notes=notes)
    if low in NILS:
        return Cell(raw=raw, value=Decimal(0), kind=CellKind.nil, currency=currency, notes=notes)
    v, unit = parse_number(body)
    if v is None:
        # a trailing "(1)" footnote after a number: "1,234 (1)"
        m = re.match(r"^(.*\S)\s+\((\d{1,2})\)$", body)
        if m:
            v, unit = parse_number(m.group(1))
            if v is not None:
                notes.append(m.group(2))
    if v is None:
        if low in BOOLS:
            return Cell(raw=raw, kind=CellKind.text, notes=notes)
        return Cell(raw=raw, kind=CellKind.text, notes=notes)
    return Cell(raw=raw, value=v, kind=CellKind.number, unit=unit, currency=currency, notes=notes)


def is_value_token(text: str) -> bool:
    """True when text is a numeric cell, a dash or nil (what a value column holds)."""
    c = parse_cell(text)
    return c.kind in (CellKind.number, CellKind.dash, CellKind.nil)


def is_year(text: str) -> bool:
    t = text.strip()
    return bool(re.fullmatch(r"(19|20)\d\d", t))


def parse_scale(text: str) -> tuple[int, str]:
    """'(in thousands)', '¥ in Thousands, $ in Thousands', 'RMB in millions' -> (1000, 'in thousands')."""
    m = re.search(r"\bin\s+(thousands?|millions?|billions?)\b", text, re.IGNORECASE)
    if not m:
        m = re.search(r"\((thousands?|millions?|billions?)\)|\b(thousands?|millions?|billions?)\s+of\b",
                      text, re.IGNORECASE)
        if not m:
            return 1, ""
        word = (m.group(1) or m.group(2)).lower()
    else:
        word = m.group(1).lower()
    return SCALE_WORDS[word], f"in {word if word.endswith('s') else word + 's'}"


def last_digit_unit(raw: str) -> Decimal:
    """One unit of the last reported digit: '1,234' -> 1, '36.00%' -> 0.01, '1.5' -> 0.1."""
    m = re.search(r"\d(?:[\d,]*)(?:\.(\d+))?", raw)
    if not m or not m.group(1):
        return Decimal(1)
    return Decimal(1).scaleb(-len(m.group(1)))


def join_split_negatives(tokens: list[str]) -> list[str]:
    """Rejoin a negative split over two tokens: ['(499', ')'] -> ['(499)']."""
    out: list[str] = []
    for tok in tokens:
        s = tok.strip()
        if s == ")" and out and re.fullmatch(r"\(\s*[$¥]?\s*[\d,.]+", out[-1].strip()):
            out[-1] = out[-1].strip() + ")"
            continue
        out.append(tok)
    return out
