"""Roles of rows and columns, and kinds of tables, from their words (never from one filing's
exact strings): a small lexicon of accounting vocabulary with morphology.

role_of("Write off in the current year") -> "writeoff"
role_of("Opening balance as of January 1, 2023") -> "opening"
"""

from __future__ import annotations

import re

# order matters: the first pattern that matches wins
_ROLE_PATTERNS: list[tuple[str, str]] = [
    ("opening", r"\b(opening|beginning|begin|start)\b.*\bbalance|\bbalance\b.*\b(beginning|start)\b|"
                r"^\s*(opening|beginning)\b|balance,? (as of )?beginning|at beginning of"),
    ("ending", r"\b(ending|closing|end)\b.*\bbalance|\bbalance\b.*\b(end|ending)\b( of)?|^\s*(ending|closing)\b|"
               r"at end of|balance,? end"),
    ("writeoff", r"write[\s-]*offs?|written[\s-]*off|charge[\s-]*offs?|charged[\s-]*off|"
                 r"deductions?|utili[sz]ed|amounts? used|settlements?"),
    ("recovery", r"recover(y|ies|ed)"),
    ("reclassification", r"reclassif"),
    ("provision", r"provisions?\b|provided|credit loss(es)? expense|bad debt expense|"
                  r"charged? to (costs|expense|income)|additions?|\(reversal\)|reversals? of|"
                  r"impairment (loss|charge)|net (provision|charge)"),
    ("allowance", r"allowance|reserve for|valuation account|uncollectible"),
    ("net", r",?\s*net\b|\bnet of\b|\bnet amount"),
    ("gross", r"\bgross\b"),
    ("revenue", r"revenues?\b|net sales|sales income"),
    ("total", r"^\s*total\b"),
    ("other", r"^\s*others?\b|foreign (currency|exchange)|translation|acquisitions?|disposals?"),
]
_COMPILED = [(role, re.compile(p, re.IGNORECASE)) for role, p in _ROLE_PATTERNS]

MOVEMENT_ROLES = ("opening", "provision", "writeoff", "recovery", "reclassification", "other", "ending")
BALANCE_ROLES = ("gross", "allowance", "net")


def role_of(text: str) -> str | None:
    """The accounting role a row label or column header names, or None."""
    t = " ".join(text.split())
    if not t:
        return None
    for role, rx in _COMPILED:
        if rx.search(t):
            return role
    return None
