"""Prose against headers: the sentence above a table sometimes names other periods than the
table's own headers (a filing reused last year's sentence). The headers win; we say so."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from .models import Table
from .periods import DATE_RE, MONTHS, find_dates

PROSE_PREFIX = "prose: "
_MORE_YEARS = re.compile(r"^(?:\s*(?:,|and|&)\s*)+((?:19|20)\d\d)\b")
_YEAR_LIST = re.compile(r"(?:19|20)\d\d(?:\s*(?:,|and|&)\s*)+(?:19|20)\d\d\b")  # a year, then _MORE_YEARS


def caption_dates(text: str) -> set[date]:
    """Every date the prose names, with 'December 31, 2023, 2024 and 2025' read as three dates."""
    return set(_caption_dates(text))


@lru_cache(maxsize=4096)  # a pure function of the caption; continuation tables repeat theirs
def _caption_dates(text: str) -> frozenset[date]:
    out = set(find_dates(text))
    if not _YEAR_LIST.search(text):
        return frozenset(out)  # no date is followed by more years
    for m in DATE_RE.finditer(text):
        mon, day = MONTHS[m.group("mon")[:3].lower()], int(m.group("day"))
        rest = text[m.end():]
        while (y := _MORE_YEARS.match(rest)) is not None:
            try:
                out.add(date(int(y.group(1)), mon, day))
            except ValueError:
                break
            rest = rest[y.end():]
    return frozenset(out)


def table_dates(t: Table) -> set[date]:
    out: set[date] = set()
    for c in t.columns:
        p = c.period
        if p is None:
            continue
        out.update(d for d in (p.instant, p.start, p.end) if d is not None)
    return out


def prose_warnings(t: Table) -> list[str]:
    """A warning when the caption's dates and the headers' dates have nothing in common."""
    headed = table_dates(t)
    said = caption_dates(t.caption) if headed else set()  # no dated header: nothing to compare
    if not said or not headed or said & headed:
        return []
    fmt = ", ".join
    return [f"{t.table_id}: the caption names {fmt(sorted(d.isoformat() for d in said))} but the headers are "
            f"dated {fmt(sorted(d.isoformat() for d in headed))}; the headers' periods are used"]
