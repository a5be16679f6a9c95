"""Numbers as filings print them: "(1,234)", "—", "nil", "¥ 1,373,623", "36.00%", "12 months".

``parse_cell`` turns one cell's text into a ``Cell`` (without its source); the layouts add
the span. Footnote markers ("[1]", a trailing "(1)") are stripped and kept as notes.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from .models import Cell, CellKind, SourceSpan

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


_ONLY_MARKER = re.compile(r"\s*\(\d+\)\s*")


def split_label_notes(label: str) -> tuple[str, list[str]]:
    """'Reclassification(1)' -> ('Reclassification', ['1']); '[1]' markers too."""
    text, notes = _split_label_notes(label) if len(label) <= 300 else _split_label_notes.__wrapped__(label)
    return text, list(notes)


@lru_cache(maxsize=16384)
def _split_label_notes(label: str) -> tuple[str, tuple[str, ...]]:
    label, notes = strip_footnotes(label)
    m = _FOOTNOTE_SUP_PAREN.search(label)
    if m and not _ONLY_MARKER.fullmatch(label):
        notes.append(m.group(1))
        label = label[: m.start()].rstrip()
    return label, tuple(notes)


def currency_of(text: str) -> str | None:
    """The ISO code of the first currency mark in text, if any."""
    for mark, code in CURRENCY_MARKS:
        if mark in text:
            if mark in ("CNY", "USD", "EUR", "RMB") and not re.search(rf"(?<![A-Za-z]){mark}", text):
                continue
            return code
    return None


# the marks by their first character, in CURRENCY_MARKS order (the first mark that fits wins)
_MARKS_BY_HEAD = {head: [(mark, code) for mark, code in CURRENCY_MARKS if mark[0] == head]
                  for head in {mark[0] for mark, _ in CURRENCY_MARKS}}


def _strip_currency(text: str) -> tuple[str, str | None]:
    """A leading currency mark off text: '$ 1,234', '($1,234)', '-¥5' (no mark starts with
    '(', '-' or '−', so the text's first character says which form can match)."""
    lead = text[:1]
    signed = lead in ("(", "-", "−")
    rest = text[1:] if signed else text
    for mark, code in _MARKS_BY_HEAD.get(rest[:1], ()):
        if rest.startswith(mark):
            if not signed:
                return text[len(mark):].strip(), code
            return ("(" if lead == "(" else "-") + text[len(mark) + 1:].strip(), code
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


def parse_cell(raw: str, source: SourceSpan | None = None) -> Cell:
    """One cell's text -> Cell(value, kind, unit, currency, notes), with ``source`` (the
    layouts pass the cell's span) or without."""
    value, kind, unit, currency, notes = _fields(raw)
    if notes:
        return Cell(raw=raw, value=value, kind=kind, unit=unit, currency=currency, notes=list(notes),
                    source=source)
    if unit is None and currency is None:  # the usual case: fewer fields to validate
        return Cell(raw=raw, value=value, kind=kind, source=source)
    return Cell(raw=raw, value=value, kind=kind, unit=unit, currency=currency, source=source)


_VALUE_KINDS = frozenset((CellKind.number, CellKind.dash, CellKind.nil))
_DASH_RUN = re.compile(r"[-—–−‒―]+")
_TRAILING_NOTE = re.compile(r"^(.*\S)\s+\((\d{1,2})\)$")
_PLAIN_AMOUNT = re.compile(r"\d{1,3}(?:,\d{3})*|\(\d{1,3}(?:,\d{3})*\)")
_A_DIGIT = re.compile(r"\d")


def cell_kind(raw: str) -> CellKind:
    """The CellKind parse_cell would give raw, without building a Cell."""
    return _fields(raw)[1]


def kind_and_unit(raw: str) -> tuple[CellKind, str | None]:
    """The CellKind and unit parse_cell would give raw, without building a Cell."""
    fields = _fields(raw)
    return fields[1], fields[2]


def _fields(raw: str) -> tuple[Decimal | None, CellKind, str | None, str | None, tuple[str, ...]]:
    """_parse_fields, cached for cell-sized texts only (a long text is not kept)."""
    return _parse_fields(raw) if len(raw) <= 200 else _parse_fields.__wrapped__(raw)


@lru_cache(maxsize=65536)
def _parse_fields(raw: str) -> tuple[Decimal | None, CellKind, str | None, str | None, tuple[str, ...]]:
    """(value, kind, unit, currency, notes) of one cell's text: a pure function of the text."""
    text = raw.strip().replace("\u00a0", " ")
    if not text:
        return None, CellKind.missing, None, None, ()
    if _PLAIN_AMOUNT.fullmatch(text):  # the usual cell, "1,234" or "(1,234)": what the rest finds
        v = Decimal(text.strip("()").replace(",", ""))
        return (-v if text[0] == "(" else v), CellKind.number, None, None, ()
    text, notes = strip_footnotes(text) if "[" in text else (text, [])
    if not text:
        return None, CellKind.missing, None, None, tuple(notes)
    body, currency = _strip_currency(text)
    if (currency or notes) and _PLAIN_AMOUNT.fullmatch(body):  # "$ 1,234", "1,234[1]": as above
        v = Decimal(body.strip("()").replace(",", ""))
        return (-v if body[0] == "(" else v), CellKind.number, None, currency, tuple(notes)
    low = body.lower().strip()
    if low in DASHES or text in DASHES or _DASH_RUN.fullmatch(low or "x"):
        return Decimal(0), CellKind.dash, None, currency, tuple(notes)
    if low in NILS:
        return Decimal(0), CellKind.nil, None, currency, tuple(notes)
    if not _A_DIGIT.search(body):  # a label: every number form below needs a digit
        return None, CellKind.text, None, None, tuple(notes)
    v, unit = parse_number(body)
    if v is None and body.endswith(")"):  # body is stripped: the pattern's "$" is its end
        # a trailing "(1)" footnote after a number: "1,234 (1)"
        m = _TRAILING_NOTE.match(body)
        if m:
            v, unit = parse_number(m.group(1))
            if v is not None:
                notes.append(m.group(2))
    if v is None:
        return None, CellKind.text, None, None, tuple(notes)
    return v, CellKind.number, unit, currency, tuple(notes)


def is_value_token(text: str) -> bool:
    """True when text is a numeric cell, a dash or nil (what a value column holds)."""
    return _fields(text)[1] in _VALUE_KINDS


def is_year(text: str) -> bool:
    return bool(_YEAR.fullmatch(text.strip()))


_YEAR = re.compile(r"(19|20)\d\d")


SCALE_WORD = re.compile(r"thousand|million|billion", re.IGNORECASE)
_IN_SCALE = re.compile(r"\bin\s+(thousands?|millions?|billions?)\b", re.IGNORECASE)
_SCALE_OF = re.compile(r"\((thousands?|millions?|billions?)\)|\b(thousands?|millions?|billions?)\s+of\b",
                       re.IGNORECASE)


def parse_scale(text: str) -> tuple[int, str]:
    """'(in thousands)', '¥ in Thousands, $ in Thousands', 'RMB in millions' -> (1000, 'in thousands')."""
    if not SCALE_WORD.search(text):  # every form names the scale
        return 1, ""
    m = _IN_SCALE.search(text)
    if not m:
        m = _SCALE_OF.search(text)
        if not m:
            return 1, ""
        word = (m.group(1) or m.group(2)).lower()
    else:
        word = m.group(1).lower()
    return SCALE_WORDS[word], f"in {word if word.endswith('s') else word + 's'}"


def last_digit_unit(raw: str) -> Decimal:
    """One unit of the last reported digit: '1,234' -> 1, '36.00%' -> 0.01, '1.5' -> 0.1."""
    m = _DIGITS.search(raw)
    if not m or not m.group(1):
        return _ONE
    return _ONE.scaleb(-len(m.group(1)))


_DIGITS = re.compile(r"\d(?:[\d,]*)(?:\.(\d+))?")
_ONE = Decimal(1)


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
