"""Column periods of filing-document tables, from rebuilt headers plus the caption.

"Years Ended December 31," over "2024" -> a 12-month duration; "December 31," over "2024"
-> an instant; "As of June 30, 2024" above year (vintage) headers -> that instant for every
column; a movement across columns (opening / flows / ending) -> instants for the balances
and the duration between them for the flows.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from ..kinds import role_of
from ..models import Period
from ..periods import (DATE_RE, MONTHS, _MONTH_RE, duration, duration_months, find_dates, instant,
                       parse_period, years_in)

_MONTH_DAY = re.compile(_MONTH_RE + r"\.?\s+(?P<day>\d{1,2})\b(?!\s*,?\s*(?:19|20)\d\d)", re.IGNORECASE)
_AS_OF = re.compile(r"\b(?:as of|as at|at)\s+" + DATE_RE.pattern + r"(?!\s*(?:,|and)\s*(?:19|20)\d\d)",
                    re.IGNORECASE)
FLOW_ROLES = ("provision", "writeoff", "recovery", "reclassification", "other")


def month_day(text: str) -> tuple[int, int] | None:
    """The first month and day printed without a year ("December 31," over year headers)."""
    m = _MONTH_DAY.search(text)
    if m:
        return MONTHS[m.group("mon")[:3].lower()], int(m.group("day"))
    dates = find_dates(text)
    return (dates[0].month, dates[0].day) if dates else None


def as_of(text: str) -> date | None:
    """A single 'As of <date>' in text (not 'as of December 31, 2024 and 2023')."""
    m = _AS_OF.search(text)
    if not m:
        return None
    dates = find_dates(m.group(0))
    return dates[0] if dates else None


def column_periods(heads: list[str], context: str) -> list[Period | None]:
    """One period (or None) per column header; `context` is the caption and in-table text."""
    periods = [parse_period(h) for h in heads]
    if heads and all(p is None for p in periods) and _vintage_like(heads):
        d = as_of(context)
        if d is not None:
            return [instant(d, " ".join(context.split())[:80]) for _ in heads]
    years: dict[int, int] = {}  # column -> the one year in a header that is not a period yet
    for k, h in enumerate(heads):
        ys = years_in(h) if periods[k] is None else []
        if len(ys) == 1:
            years[k] = ys[0]
    md = month_day(" ".join(heads) + " " + context) if years else None  # only those columns need it
    if md:
        months = duration_months(" ".join(heads)) or duration_months(context)
        for k, y in years.items():
            d = _safe_date(y, *md)
            if d is not None:
                periods[k] = duration(d, months, heads[k]) if months else instant(d, heads[k])
    _movement_periods(heads, periods)
    return periods


def _vintage_like(heads: list[str]) -> bool:
    """Headers an "As of" line governs: not a plain row of comparative years ("2024", "2023")."""
    years = [h for h in heads if re.fullmatch(r"(19|20)\d\d", h.strip())]
    return len(years) < len(heads) or len(years) > 3


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _movement_periods(heads: list[str], periods: list[Period | None]) -> None:
    """Flows between an opening and an ending column get the duration between them."""
    if sum(1 for p in periods if p is not None and p.kind == "instant") < 2:
        return  # no opening and ending balances to go between (role_of is the costly part)
    roles = [role_of(h) for h in heads]
    opening = next((periods[k] for k, r in enumerate(roles) if r == "opening" and periods[k]), None)
    ending = next((periods[k] for k, r in enumerate(roles) if r == "ending" and periods[k]), None)
    if not (opening and ending and opening.kind == ending.kind == "instant"):
        return
    start = opening.instant if opening.instant.day == 1 else opening.instant + timedelta(days=1)
    end = ending.instant
    if start >= end:
        return
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    for k, r in enumerate(roles):
        if r in FLOW_ROLES and (periods[k] is None or periods[k].kind == "instant"):
            periods[k] = Period(kind="duration", start=start, end=end, months=months, text=heads[k])
