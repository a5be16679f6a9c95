"""Periods from header and caption text.

"As of December 31, 2024", "Opening balance as of January 1, 2023", "for the six months ended
June 30, 2022", "12 Months Ended Dec. 31, 2019", "Dec. 31, 2019", "year ended December 31, 2023".
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from functools import lru_cache

from .models import Period

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifty-two": 12, "fifty-three": 12,
}

_MONTH_RE = (r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|"
             r"Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
DATE_RE = re.compile(_MONTH_RE + r"\.?\s+(?P<day>\d{1,2}),?\s*(?P<year>(?:19|20)\d\d)", re.IGNORECASE)
GLUED_DATE_RE = re.compile(_MONTH_RE + r"(?P<day>\d{1,2}),\s*(?P<year>(?:19|20)\d\d)", re.IGNORECASE)  # "December31, 2019"
DAY_FIRST_RE = re.compile(r"(?<![\d.])(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH_RE + r"\.?,?\s+(?P<year>(?:19|20)\d\d)\b",
                          re.IGNORECASE)  # "30 June 2019", "31st December 2019"
ISO_RE = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)\b")
DURATION_RE = re.compile(
    r"(?P<n>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifty-two|fifty-three)"
    r"[\s-]+(?P<unit>months?|weeks?)\s+ended",
    re.IGNORECASE,
)
YEAR_ENDED_RE = re.compile(r"\b(?:fiscal\s+)?years?\s+ended\b", re.IGNORECASE)
QUARTER_ENDED_RE = re.compile(r"\bquarters?\s+ended\b", re.IGNORECASE)
_DIGIT = re.compile(r"\d")


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str) -> list[date]:
    """Every full date ("Dec. 31, 2019", "December 31, 2024", "2019-01-01") in text, in order."""
    if len(text) > _CACHE_MAX_CHARS:  # a whole document: not worth keeping in the cache
        return list(_find_dates.__wrapped__(text))
    return list(_find_dates(text))


_CACHE_MAX_CHARS = 2000


@lru_cache(maxsize=16384)
def _find_dates(text: str) -> tuple[date, ...]:
    if not _DIGIT.search(text):  # every date form has digits
        return ()
    found: list[tuple[int, date]] = []
    for m in DATE_RE.finditer(text):
        d = _date(int(m.group("year")), MONTHS[m.group("mon")[:3].lower()], int(m.group("day")))
        if d:
            found.append((m.start(), d))
    for rx in (GLUED_DATE_RE, DAY_FIRST_RE):  # tolerant forms, never where the usual form already matched
        for m in rx.finditer(text):
            d = _date(int(m.group("year")), MONTHS[m.group("mon")[:3].lower()], int(m.group("day")))
            if d and not any(abs(pos - m.start()) < 12 and d0 == d for pos, d0 in found):
                found.append((m.start(), d))
    for m in ISO_RE.finditer(text):
        d = _date(int(m.group("year")), int(m.group("m")), int(m.group("d")))
        if d:
            found.append((m.start(), d))
    return tuple(d for _, d in sorted(found, key=lambda x: x[0]))


def months_back(end: date, months: int) -> date:
    """First day of a duration of `months` months ending on `end` (end of month aware)."""
    nxt = end + timedelta(days=1)
    y, m = nxt.year, nxt.month - months
    while m <= 0:
        m += 12
        y -= 1
    day = min(nxt.day, calendar.monthrange(y, m)[1])
    return date(y, m, day)


@lru_cache(maxsize=16384)
def duration_months(text: str) -> int | None:
    """'six months ended' -> 6, '12 Months Ended' -> 12, 'year ended' -> 12, 'quarter ended' -> 3."""
    m = DURATION_RE.search(text)
    if m:
        n = m.group("n").lower()
        k = WORD_NUMBERS.get(n) or int(n)
        if m.group("unit").lower().startswith("week"):
            return max(1, round(k * 7 / 30.4))
        return k
    if YEAR_ENDED_RE.search(text):
        return 12
    if QUARTER_ENDED_RE.search(text):
        return 3
    return None


def instant(d: date, text: str = "") -> Period:
    return Period(kind="instant", instant=d, text=text)


def duration(end: date, months: int, text: str = "") -> Period:
    return Period(kind="duration", start=months_back(end, months), end=end, months=months, text=text)


def fiscal_year(year: int, end_month: int = 12, end_day: int = 31, text: str = "") -> Period:
    return duration(date(year, end_month, end_day), 12, text or str(year))


def parse_period(text: str, *, months: int | None = None) -> Period | None:
    """Read one period from a header/caption fragment.

    `months` is a duration length known from context (e.g. a spanning "12 Months Ended"
    header above a date). Without a duration phrase, a date is an instant.
    """
    if not text:
        return None
    dates = find_dates(text)
    if not dates:
        return None
    n = duration_months(text) or months
    d = dates[-1] if n else dates[0]
    clean = " ".join(text.split())
    if n:
        return duration(d, n, clean)
    return instant(d, clean)


def years_in(text: str) -> list[int]:
    """Four-digit years (1900-2099) in text, in order, without duplicates."""
    out: list[int] = []
    for m in re.finditer(r"(?<!\d)((?:19|20)\d\d)(?!\d)", text):
        y = int(m.group(1))
        if y not in out:
            out.append(y)
    return out
