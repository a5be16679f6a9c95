"""Roles of rows and columns, and kinds of tables, from their words (never from one filing's
exact strings): a small lexicon of accounting vocabulary with morphology, then structure.

role_of("Write off in the current year") -> "writeoff"
role_of("Opening balance as of January 1, 2023") -> "opening"

``classify(table)`` sets ``Table.kind`` (balance, movement, breakdown, xbrl_details),
``Table.orientation`` (movement across columns or down rows) and the roles of the columns
and rows that the checks read.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .models import Column, Row, Table
from .numbers import is_year
from .periods import find_dates

# order matters: the first pattern that matches wins
_ROLE_PATTERNS: list[tuple[str, str]] = [
    ("opening", r"\b(opening|beginning|begin|start)\b.*\bbalance|\bbalance\b.*\b(beginning|start)\b|"
                r"^\s*(opening|beginning)\b|balance,? (as of )?beginning|at (the )?(beginning|start) of|"
                r"^\s*(at\s+)?(the\s+)?(beginning|start) of (the )?(year|period)"),
    ("ending", r"\b(ending|closing|end)\b.*\bbalance|\bbalance\b.*\b(end|ending)\b( of)?|^\s*(ending|closing)\b|"
               r"at end of|balance,? end|^\s*(at\s+)?(the\s+)?end of (the )?(year|period)"),
    ("recovery", r"^\s*recover(y|ies|ed)"),
    ("provision", r"additions?\s*/\s*\(?\s*(deductions?|reductions?|reversals?)"),
    ("writeoff", r"write[\s-]*offs?|written[\s-]*off|charge[\s-]*offs?|charged[\s-]*off|"
                 r"deductions?|utili[sz]ed|amounts? used|settlements?"),
    ("recovery", r"recover(y|ies|ed)"),
    ("reclassification", r"reclassif|transfers? (in|out|between|from|to)"),
    ("provision", r"provisions?\b|provided|credit loss(es)? expense|bad debt expense|"
                  r"charged? to (costs|expense|income)|additions?|\(reversal\)|reversals? of|"
                  r"impairment (loss|charge)|net (provision|charge)"),
    ("allowance", r"allowance|reserve for|valuation account|uncollectible|doubtful"),
    ("revenue", r"revenues?\b|net sales|sales income"),
    ("net", r",\s*net\b|\bnet of\b|\bnet (amount|balance|carrying|book)|^\s*net\s+(accounts|contract|loans?|"
            r"receivables?|assets?)\b|\bnet\s*$"),
    ("gross", r"\bgross\b"),
    ("total", r"^\s*total\b"),
    ("other", r"^\s*others?\b|foreign (currency|exchange)|translation|acquisitions?|disposals?"),
]
_COMPILED = [(role, re.compile(p, re.IGNORECASE)) for role, p in _ROLE_PATTERNS]
# the patterns are lower case: on lower-cased ASCII text they match as the IGNORECASE ones do,
# and quicker (other text keeps IGNORECASE, whose Unicode case folding lower() does not mirror)
_COMPILED_LOWER = [(role, re.compile(p)) for role, p in _ROLE_PATTERNS]

MOVEMENT_ROLES = ("opening", "provision", "writeoff", "recovery", "reclassification", "other", "ending")
BALANCE_ROLES = ("gross", "allowance", "net")
FLOW_ROLES = ("provision", "writeoff", "recovery", "reclassification", "other")
# roles whose amounts are taken away when the table prints them as positive numbers
DEDUCTION_ROLES = ("writeoff", "allowance")

_LESS = re.compile(r"^\s*(less|deduct|minus)\b|\bless:", re.IGNORECASE)
_NOT_AMOUNT = re.compile(r"%|\bpercent|\b(ratio|rate)s?\s*(\(.*\))?\s*$|\bnumber of\b|\(in (days|months|years)\)|\byears? of\b|"
                         r"\bvintage\b|\borigination year\b|\bweighted[- ]average\b|\bper share\b|\bmaximum\b|\bminimum\b|"
                         r"\baverage (price|cost|balance|rate)\b",
                         re.IGNORECASE)


@lru_cache(maxsize=8192)  # pure function of the text; labels repeat across checks
def role_of(text: str) -> str | None:
    """The accounting role a row label or column header names, or None."""
    t = " ".join(text.split())
    if not t:
        return None
    patterns = _COMPILED
    if t.isascii():
        t, patterns = t.lower(), _COMPILED_LOWER
    for role, rx in patterns:
        if rx.search(t):
            return role
    return None


@lru_cache(maxsize=8192)  # pure function of the text; labels repeat across checks
def says_less(text: str) -> bool:
    """'Less: allowance for doubtful accounts' -> True (a positive number to take away)."""
    return bool(_LESS.search(text))


_COUNT = re.compile(r"\b(shares|units|employees|headcount|stores|customers)\s*$|^\s*(number of )?(shares|units)\b",
                    re.IGNORECASE)


@lru_cache(maxsize=8192)  # pure function of the text; labels repeat across checks
def not_an_amount(text: str) -> bool:
    """Headers/labels of figures that do not add up: percentages, ratios, counts, years."""
    return bool(_NOT_AMOUNT.search(text) or _COUNT.search(text))


def has_members(table: Table) -> bool:
    return any(r.members for r in table.rows) or table.layout.value == "xbrl_details"


_BALANCE_WORD = re.compile(r"\bbalances?\b|^\s*(as of|as at|at)\b", re.IGNORECASE)


def _dated_balances(texts: list[str], roles: list[str | None]) -> list[str | None]:
    """'Balance at January 1, 2021 ... Balance at December 31, 2021' around flows: the first
    dated balance opens the movement, each later one closes a period (and opens the next)."""
    if "opening" in roles or "ending" in roles:
        return roles
    dated = [k for k, text in enumerate(texts) if roles[k] is None and _BALANCE_WORD.search(text)
             and find_dates(text)]
    if len(dated) < 2 or dated[-1] - dated[0] < 2:
        return roles  # two dated balances with something moving between them
    out = list(roles)
    out[dated[0]] = "opening"
    for k in dated[1:]:
        out[k] = "ending"
    return out


def _column_roles(table: Table) -> list[str | None]:
    roles = [c.role or role_of(c.header) for c in table.columns]
    roles = _dated_balances([c.header for c in table.columns], roles)
    if all(is_year(c.header) or role_of(c.header) == "total" for c in table.columns) and \
            any(is_year(c.header) for c in table.columns):
        return ["total" if role_of(c.header) == "total" else "component" for c in table.columns]
    if "allowance" in roles and "net" in roles:
        roles = _fill_gross(roles, table.columns)
    return roles


def _fill_gross(roles: list[str | None], columns: list[Column]) -> list[str | None]:
    """In gross | allowance | net groups, the unnamed column before the allowance is the gross."""
    out = list(roles)
    unnamed = [k for k, r in enumerate(roles) if r is None and not not_an_amount(columns[k].header)]
    if roles.count("allowance") == 1 and roles.count("net") == 1 and len(unnamed) == 1 and "gross" not in roles:
        out[unnamed[0]] = "gross"  # one group, any column order
        return out
    for j, r in enumerate(roles):
        if r != "allowance":
            continue
        for k in range(j - 1, -1, -1):
            if out[k] in ("net", "allowance", "gross"):
                break
            if out[k] in (None, "total") and not not_an_amount(columns[k].header):
                out[k] = "gross"
                break
    return out


def _row_roles(table: Table) -> list[str | None]:
    roles = [r.role or role_of(r.label) or ("total" if r.is_total else None) for r in table.rows]
    roles = _dated_balances([r.label for r in table.rows], roles)
    for i, role in enumerate(roles):  # the unnamed row above an allowance row is its gross
        if role != "allowance" or i == 0:
            continue
        prev = table.rows[i - 1]
        if roles[i - 1] in (None, "gross", "total") and _same_block(prev, table.rows[i]):
            roles[i - 1] = "gross"
    return roles


def _same_block(a: Row, b: Row) -> bool:
    return a.members == b.members and (a.section or "") == (b.section or "")


def classify(table: Table) -> str | None:
    """Set kind, orientation and roles on the table (and its columns and rows); return the kind."""
    col_roles = _column_roles(table)
    row_roles = _row_roles(table)
    for c, role in zip(table.columns, col_roles):
        c.role = role
    for r, role in zip(table.rows, row_roles):
        r.role = role
    table.kind, table.orientation = _kind(table, col_roles, row_roles)
    return table.kind


def _kind(table: Table, cols: list[str | None], rows: list[str | None]) -> tuple[str | None, str | None]:
    if has_members(table):
        return "xbrl_details", "rows" if "opening" in rows or "ending" in rows else None
    if "opening" in cols and "ending" in cols:
        return "movement", "columns"
    if "opening" in rows and "ending" in rows:
        return "movement", "rows"
    if ("allowance" in cols or "gross" in cols) and "net" in cols:
        return "balance", "columns"
    if ("allowance" in rows or "gross" in rows) and "net" in rows:
        return "balance", "rows"
    if "total" in cols or "total" in rows or any(r.is_total for r in table.rows):
        return "breakdown", None
    return None, None
