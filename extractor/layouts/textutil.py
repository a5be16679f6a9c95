"""Helpers shared by the plain-text layouts (pipes, row_lines, cell_lines).

Three jobs, all keyed on structure rather than on any one filing's words:

* prose around a table: the note heading ("3.ACCOUNTS RECEIVABLE ..., NET – continued")
  and the caption (the last sentence above the table, "... are as follows:");
* tokens: what kind of thing a cell holds (an amount, a bare year, a currency mark, text);
* headers and periods: join the fragments a multi-row header was broken into, one full
  header per column, and give every column its ``Period`` (as-of balances, movement
  columns from the opening to the ending date, vintage years under an "As of" line).

Nothing here knows about a layout's line format; layouts pass plain strings in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from ..kinds import role_of
from ..models import CellKind, Period
from ..numbers import SCALE_WORD, cell_kind, currency_of, parse_cell, split_label_notes
from ..periods import MONTHS, duration_months, find_dates, instant, parse_period

# ----------------------------------------------------------------------------- tokens

EMPTY, MARK, NUMBER, YEAR, TEXT = "E", "M", "N", "Y", "T"
_MARKS = {"$", "¥", "￥", "€", "£", "RMB", "US$", "HK$", "%", ")", "USD", "CNY"}
_YEAR_RE = re.compile(r"(19|20)\d\d")


def token_class(text: str) -> str:
    """E (empty), M (a lone currency mark, '%' or ')'), Y (a bare year), N (an amount,
    dash or nil) or T (text)."""
    return _token_class(text) if len(text) <= 200 else _token_class.__wrapped__(text)


@lru_cache(maxsize=65536)
def _token_class(text: str) -> str:
    t = text.strip()
    if not t:
        return EMPTY
    if t in _MARKS:
        return MARK
    if _YEAR_RE.fullmatch(t):
        return YEAR
    if cell_kind(t) in (CellKind.number, CellKind.dash, CellKind.nil):
        return NUMBER
    return TEXT


# ----------------------------------------------------------------------------- prose

_ABBREV = ("Jan.", "Feb.", "Mar.", "Apr.", "Jun.", "Jul.", "Aug.", "Sep.", "Sept.", "Oct.",
           "Nov.", "Dec.", "No.", "Inc.", "Co.", "Ltd.", "Corp.", "e.g.", "i.e.", "vs.", "U.S.")
_DASH_WORDS = {"—", "–", "-", ":", "."}
_CONTINUED = re.compile(r"^\s*[–—-]?\s*\(?continued\)?\s*", re.IGNORECASE)


def _is_upper_word(word: str) -> bool:
    """A word of a heading: no lower-case letters, and something besides punctuation."""
    return not any(ch.islower() for ch in word) and any(ch.isalnum() for ch in word)


_NOTE_NUMBER = re.compile(r"(NOTE\s*)?\d{1,2}[.:]?")


def split_heading(text: str) -> tuple[str, bool, str]:
    """Split a leading note heading off prose.

    '3.ACCOUNTS RECEIVABLE, NET – continued The Group’s ...' ->
    ('3.ACCOUNTS RECEIVABLE, NET', True, 'The Group’s ...').  A heading is a run of at
    least two upper-case words (with letters); a lone capital ('A summary ...') is not.
    """
    words = text.split()
    k = 0
    while k < len(words):
        w, nxt = words[k], words[k + 1] if k + 1 < len(words) else ""
        if w in _DASH_WORDS and k and _is_upper_word(nxt):  # "NOTE 7 — OTHER INCOME"
            k += 1
            continue
        if not _is_upper_word(w):
            break
        if len(w) == 1 and w.isalpha() and not _is_upper_word(nxt):
            break
        k += 1
    head_words = words[:k]
    alpha = sum(1 for w in head_words if sum(ch.isalpha() for ch in w) >= 2)
    numbered = bool(head_words) and bool(_NOTE_NUMBER.fullmatch(head_words[0]))
    if alpha < 2 and not (numbered and any(sum(ch.isalpha() for ch in w) >= 3 for w in head_words)):
        return "", False, text.strip()
    rest = " ".join(words[k:])
    m = _CONTINUED.match(rest)
    continued = bool(m and m.group(0).strip())
    if continued:
        rest = rest[m.end():]
    heading = " ".join(head_words).rstrip(" –—-")
    return heading, continued, rest.strip()


_SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-Z(“\"])")


def sentences(text: str) -> list[str]:
    """Split prose into sentences (a period/!/? then a capital), sparing 'Dec. 31'."""
    text = " ".join(text.split())
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.start() + 1
        if text[:end].endswith(_ABBREV):
            continue
        out.append(text[start:end].strip())
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def caption_of(prose: str) -> str:
    """The sentence that introduces a table: the last sentence of the prose above it."""
    parts = sentences(prose)
    return parts[-1] if parts else ""


@dataclass
class Prose:
    """What the text before a table says about it."""

    title: str = ""
    caption: str = ""
    continued: bool = False
    text: str = ""  # all of it, for scale/currency/period hints


def read_prose(text: str) -> Prose:
    """Heading (title), '– continued' flag and caption from the prose before a table."""
    heading, continued, rest = split_heading(text)
    return Prose(title=heading, caption=caption_of(rest), continued=continued, text=" ".join(text.split()))


_FOOTNOTE_MARK = re.compile(r"^\(?(\d{1,2}|[a-z]|\*{1,3}|[†‡§])\)?$")


def footnote_marker(text: str) -> str | None:
    """'(1)' -> '1', '*' -> '*', 'a)' -> 'a'; None when text is not a footnote marker."""
    m = _FOOTNOTE_MARK.fullmatch(text.strip())
    return m.group(1) if m else None


# ----------------------------------------------------------------------------- headers


def join_fragments(fragments: list[str]) -> tuple[str, list[str]]:
    """Join the fragments of one column's header, top to bottom; strip footnote markers.

    ['Opening', 'balance as of', 'January 1,', '2023'] -> 'Opening balance as of January 1, 2023'
    ['Reclassification(1)'] -> ('Reclassification', ['1'])
    """
    parts: list[str] = []
    notes: list[str] = []
    for frag in fragments:
        text, marks = split_label_notes(" ".join(frag.split()))
        notes.extend(marks)
        if text:
            parts.append(text)
    return " ".join(parts), notes


_SPANNER = re.compile(r"\b(ended|ending|as of|as at|at)\b|^\s*(" + "|".join(MONTHS) + r")\w*\.?\s+\d{1,2},?\s*$",
                      re.IGNORECASE)


@lru_cache(maxsize=8192)
def is_spanning_phrase(text: str) -> bool:
    """A header fragment that usually spans several columns: a period phrase without a
    year ('Year Ended December 31,', 'As of', 'Six months ended June 30,')."""
    return bool(_SPANNER.search(text)) and not _YEAR_RE.search(text)


# ----------------------------------------------------------------------------- periods

_MONTH_DAY = re.compile(r"\b(?P<mon>" + "|".join(sorted(MONTHS, key=len, reverse=True)) +
                        r")[a-z]*\.?\s+(?P<day>\d{1,2})\b", re.IGNORECASE)


def month_day(text: str) -> tuple[int, int] | None:
    """'December 31,' -> (12, 31): a date without its year (to pair with year columns)."""
    m = _MONTH_DAY.search(text)
    if not m:
        return None
    return MONTHS[m.group("mon")[:3].lower()], int(m.group("day"))


@dataclass
class PeriodContext:
    """What the prose and stub cells say about the periods of a table's columns."""

    as_of: date | None = None  # a stub/section "As of December 31, 2024"
    as_of_text: str = ""
    caption: str = ""  # the caption (for "years ended December 31, ...")
    warnings: list[str] = field(default_factory=list)


def as_of_date(text: str) -> date | None:
    """The date of an 'As of December 31, 2024' (or bare 'December 31, 2024') line."""
    if duration_months(text):
        return None
    dates = find_dates(text)
    return dates[0] if len(dates) == 1 else None


_YEAR_HEADER = re.compile(r"\s*(?:FY\s*)?((?:19|20)\d\d)\s*")
_A_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_BALANCE = re.compile(r"\bbalance", re.I)


def _year_only(header: str) -> int | None:
    m = _YEAR_HEADER.fullmatch(header)
    return int(m.group(1)) if m else None


def _one_year(header: str) -> int | None:
    """The year of a header that names exactly one year and no full date ('Allowance 2024')."""
    found = _A_YEAR.findall(header)
    return int(found[0]) if len(set(found)) == 1 else None


def column_roles(headers: list[str]) -> list[str | None]:
    """Each column's role (kinds.role_of); a first and last 'Balance at <date>' column with
    the earlier date first are the opening and ending balances."""
    roles = [role_of(h) for h in headers]
    if len(headers) >= 3 and "opening" not in roles and "ending" not in roles:
        first, last = headers[0], headers[-1]
        fd, ld = find_dates(first), find_dates(last)
        if (_BALANCE.search(first) and _BALANCE.search(last)
                and fd and ld and fd[0] < ld[-1] and roles[0] in (None, "allowance")):
            roles[0], roles[-1] = "opening", "ending"
    return roles


def _movement_periods(headers: list[str]) -> list[Period | None] | None:
    """Opening column → instant of its date; ending → instant; flows → opening..ending."""
    roles = column_roles(headers)
    if "opening" not in roles or "ending" not in roles:
        return None
    o, e = roles.index("opening"), len(roles) - 1 - roles[::-1].index("ending")
    od, ed = find_dates(headers[o]), find_dates(headers[e])
    if not od or not ed or od[0] >= ed[-1]:
        return None
    start, end = od[0], ed[-1]
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    flow = Period(kind="duration", start=start, end=end, months=months,
                  text=f"{start.isoformat()}..{end.isoformat()}")
    out: list[Period | None] = []
    for j, h in enumerate(headers):
        if j == o:
            out.append(instant(start, h))
        elif j == e:
            out.append(instant(end, h))
        elif find_dates(h):
            out.append(parse_period(h))
        else:
            out.append(flow)
    return out


def column_periods(headers: list[str], ctx: PeriodContext) -> list[Period | None]:
    """One Period per column from its header, the stub/section as-of line and the caption.

    * a movement (opening ... ending columns): opening/ending instants, flows in between;
    * a header with its own date ('December 31, 2024', 'Six months ended June 30, 2022');
    * a bare year under an as-of line (a vintage): the as-of instant; 'Total' too;
    * a bare year without one: the caption's month/day (instant) or fiscal year (duration);
    * anything else: the as-of instant when there is one, else None.
    """
    moved = _movement_periods(headers)
    if moved is not None:
        return moved
    cap: tuple[int | None, tuple[int, int] | None, date | None] | None = None  # read when needed
    out: list[Period | None] = []
    for h in headers:
        own = parse_period(h) if find_dates(h) else None
        if own is not None:
            out.append(own)
            continue
        if ctx.as_of is not None:
            out.append(instant(ctx.as_of, ctx.as_of_text or h))
            continue
        year = _year_only(h) or _one_year(h)
        if cap is None:
            cap = _caption_dates(ctx.caption)
        cap_months, cap_md, cap_date = cap
        if year is not None and cap_md:
            end = _safe_date(year, *cap_md)
            if end is None:
                out.append(None)
            elif cap_months:
                out.append(parse_period(f"{cap_months} months ended {end:%B} {end.day}, {year}"))
            else:
                out.append(instant(end, h))
        elif year is None and cap_date is not None:
            out.append(instant(cap_date, ctx.caption))
        else:
            out.append(None)
    return out


def _caption_dates(caption: str) -> tuple[int | None, tuple[int, int] | None, date | None]:
    """(months of a duration, month and day, as-of date) the caption names, for bare-year headers."""
    if not caption:
        return None, None, None
    return duration_months(caption), month_day(caption), as_of_date(caption)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def table_kind(headers: list[str], periods: list[Period | None] | None = None,
               labels: list[str] | None = None) -> str:
    """'movement' (opening..ending columns, or rows), 'breakdown' (vintage years + Total, or
    flows over durations) or 'balance' (amounts at dates)."""
    roles = column_roles(headers)
    if "opening" in roles and "ending" in roles:
        return "movement"
    row_roles = {role_of(x) for x in labels or []}
    if "opening" in row_roles and "ending" in row_roles:
        return "movement"
    if headers and all(_year_only(h) or h.strip().lower() == "total" for h in headers) and \
            any(_year_only(h) for h in headers):
        return "breakdown"
    if periods and any(p is not None and p.kind == "duration" for p in periods):
        return "breakdown"
    return "balance"


_STATED = re.compile(
    r"\bin\s+(?:thousands|millions|billions)\s+of\s+(?P<a>[A-Z][\w.$¥]*(?:\s+[A-Za-z.]+)?)"
    r"|(?P<b>[A-Z]{3}|US\$|HK\$|[$¥€£])\s*(?:in\s+)?(?:thousands|millions|billions)\b"
    r"|\b(?:thousands|millions|billions)\s+of\s+(?P<c>[A-Z][\w.$¥]*(?:\s+[A-Za-z.]+)?)",
    re.IGNORECASE)
_CURRENCY_WORDS = {"u.s. dollars": "USD", "us dollars": "USD", "dollars": "USD", "renminbi": "CNY",
                   "rmb": "CNY", "euros": "EUR", "euro": "EUR"}


def stated_currency(text: str) -> str | None:
    """The currency a scale statement names: 'in thousands of RMB' -> 'CNY',
    '$ in millions' -> 'USD', '(in millions of U.S. dollars)' -> 'USD'; else None."""
    if not SCALE_WORD.search(text):  # every form names the scale
        return None
    for m in _STATED.finditer(text):
        what = (m.group("a") or m.group("b") or m.group("c") or "").strip()
        low = what.lower().rstrip(")")
        for word, code in _CURRENCY_WORDS.items():
            if low.startswith(word) or low.endswith(word):
                return code
        code = currency_of(what)
        if code:
            return code
    return None


def is_total_label(label: str) -> bool:
    return role_of(label) == "total" or label.strip().lower().startswith("total")


# ----------------------------------------------------------------------------- page noise

_PAGE_MARK = re.compile(r"^\W*(?:page\s+\d{1,4}(?:\s+of\s+\d{1,4})?|-\s*\d{1,4}\s*-|F-\d{1,3})\W*$", re.IGNORECASE)


def is_page_mark(text: str) -> bool:
    """'Page 12', 'Page 3 of 40', '- 7 -', 'F-12': a page header or footer line."""
    return bool(_PAGE_MARK.match(text.strip()))


def noise_lines(lines: list[str], *, lone_numbers: bool = False) -> set[int]:
    """1-based numbers of the page headers and footers inside a text: page marks, and a
    line of words (no digits) that follows a page mark (or tops the text) two or more
    times, or precedes one two or more times (a running company name or report title).
    ``lone_numbers`` also counts a line that is only a page number ('12') — not for
    layouts whose cells sit one per line."""
    texts = [ln.strip() for ln in lines]
    page_mark = _PAGE_MARK.match  # is_page_mark on the stripped texts
    marks = {k for k, t in enumerate(texts) if page_mark(t) or (lone_numbers and re.fullmatch(r"\d{1,3}", t))}
    filled = [k for k, t in enumerate(texts) if t]
    after: dict[str, int] = {}  # text -> times it follows a page mark (or tops the text)
    before: dict[str, int] = {}  # text -> times it precedes a page mark
    for pos, k in enumerate(filled):
        if k in marks:
            continue
        if pos == 0 or filled[pos - 1] in marks:
            after[texts[k]] = after.get(texts[k], 0) + 1
        if pos + 1 < len(filled) and filled[pos + 1] in marks:
            before[texts[k]] = before.get(texts[k], 0) + 1
    running = {t for t, n in list(after.items()) + list(before.items())
               if n >= 2 and not re.search(r"\d", t) and len(re.findall(r"[^\W\d_]", t)) >= 3 and len(t) <= 80}
    return {k + 1 for k, t in enumerate(texts) if k in marks or t in running}


# ----------------------------------------------------------------------------- OCR digits

_OCR_DIGITS = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "S": "5"})
_OCR_NUMBER = re.compile(r"^(?P<pre>\(?[$¥€£]?\(?)(?P<body>[\dOolIS][\dOolIS,]*(?:\.[\dOolIS]+)?)(?P<post>\)?%?)$")
_OCR_LETTER = re.compile(r"[OolIS]")
_A_DIGIT = re.compile(r"\d")
_WELL_FORMED = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")


def ocr_number(token: str) -> str | None:
    """The amount an OCR-damaged token stands for ('2O,945' -> '20,945', 'l,234' -> '1,234',
    '(5S8)' -> '(558)'), or None: the token must hold at least one real digit, only the
    letters O/o, l/I and S besides digits and separators, and read as a well-formed amount
    once they are digits. A token that is already an amount, or a word, gives None."""
    m = _OCR_NUMBER.match(token.strip())
    if not m:
        return None
    raw = m.group("body")
    if not _OCR_LETTER.search(raw) or not _A_DIGIT.search(raw):
        return None
    body = raw.translate(_OCR_DIGITS)
    if not _WELL_FORMED.match(body) or (len(body.split(".")[0]) > 1 and body[0] == "0"):
        return None
    return m.group("pre") + body + m.group("post")


# ----------------------------------------------------------------------------- merged values

_WORD = re.compile(r"\S+")
_PIECE_MARKS = {"$", "¥", "￥", "€", "£", "US$", "HK$", "RMB"}


def value_pieces(text: str) -> list[tuple[int, int, str]] | None:
    """The values of a line that holds several of them ('1,225,550 (208,720) 1,016,830',
    '20,945 — 20,945'): (start, end, text) per value, a currency mark joined to the value
    after it; OCR letters inside a number read as digits (same length, so the offsets hold).
    None unless every piece is an amount or a dash and there are two or more, or when the
    pieces are only bare years (a header line '2024 2023')."""
    if len(text.split(maxsplit=1)) < 2:  # one piece: never two values
        return None
    out: list[tuple[int, int, str]] = []
    mark: tuple[int, str] | None = None
    for m in _WORD.finditer(text):
        piece = m.group()
        if piece in _PIECE_MARKS:
            mark = (m.start(), piece)
            continue
        if token_class(piece) not in (NUMBER, YEAR):  # an amount never reads through OCR letters
            piece = ocr_number(piece)
            if piece is None or token_class(piece) not in (NUMBER, YEAR):
                return None
        start = mark[0] if mark else m.start()
        out.append((start, m.end(), f"{mark[1]}{piece}" if mark else piece))
        mark = None
    if mark or len(out) < 2 or all(_YEAR_RE.fullmatch(p) for _, _, p in out):
        return None
    return out


# ----------------------------------------------------------------------------- wrapped labels

_CONNECTORS = {"of", "from", "and", "for", "in", "on", "to", "the", "a", "an", "with", "by", "at", "or",
               "less", "under", "over", "per", "due", "into", "as", "than"}


def continues_label(head: str, label: str) -> bool:
    """A text-only line wrapped onto the row below it ('Contract assets from' over 'loan
    facilitation service 288,365'): the row's label goes on in lower case, or the line
    ends in a word that cannot end a label ('from', 'and', 'of') or in ',' / '-' / '&', or
    the row's text starts with a dash ('Trade receivables' over '— Retail 86,878').
    A line ending in ':' is a section heading, not a wrapped label."""
    h = head.strip()
    if not h or h.endswith(":") or len(h.split()) > 10 or len(re.split(r"\s{2,}|\t", h)) > 1 or not label:
        return False
    last = h.split()[-1].lower()
    return (label[0].islower() or not label[0].isalnum() or last in _CONNECTORS
            or h.endswith((",", "-", "&", "–")))
