"""The vocabulary every stage speaks: documents, tables, cells, checks, facts, citations.

Every model here is pydantic; ``Field(description=...)`` doubles as the LLM schema.
Numbers are ``Decimal`` (never float) and every cell carries its source span.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Status(str, Enum):
    """How far a table (or cell) is proven."""

    ok = "ok"  # every applicable check passes (or there is nothing to check)
    flagged = "flagged"  # a check fails; the residual and the cells are named
    ambiguous = "ambiguous"  # a value's column (or a header's) could not be decided
    quarantined = "quarantined"  # could not be read, or the LLM path failed / is unavailable


class Method(str, Enum):
    deterministic = "deterministic"
    llm = "llm"


class Layout(str, Enum):
    pipes = "pipes"  # one HTML table flattened to one line of |-separated cells (seed 000)
    cell_lines = "cell_lines"  # one cell per line, empty cells dropped (seed 001)
    row_lines = "row_lines"  # one row per line, label then numbers (text copied from a page)
    xbrl_details = "xbrl_details"  # XBRL "Details" R page flattened to text (seeds 002, 003)
    html = "html"  # <table> elements: EDGAR R pages and filing documents
    unknown = "unknown"


class CellKind(str, Enum):
    number = "number"  # a parsed number (value is set)
    dash = "dash"  # "—", "-", "–": reported as zero / none (value 0)
    nil = "nil"  # "nil", "none": reported as nothing (value 0)
    missing = "missing"  # no cell at all (empty in the source, or dropped by the layout)
    text = "text"  # a non-numeric value ("true", "Yes")


class Period(BaseModel):
    """A machine-readable period: an instant date or a start/end duration."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["instant", "duration", "unknown"] = Field(
        description="instant (a balance at a date) or duration (a flow over a period)"
    )
    instant: date | None = Field(default=None, description="the date of an instant period")
    start: date | None = Field(default=None, description="first day of a duration")
    end: date | None = Field(default=None, description="last day of a duration")
    months: int | None = Field(default=None, description="length of a duration in months")
    text: str = Field(default="", description="the header text the period was read from")

    @property
    def key(self) -> str:
        """Stable string form: '2024-12-31' or '2024-01-01..2024-12-31' or 'P12M..2024-12-31'."""
        if self.kind == "instant" and self.instant:
            return self.instant.isoformat()
        if self.kind == "duration" and self.end:
            if self.start:
                return f"{self.start.isoformat()}..{self.end.isoformat()}"
            if self.months:
                return f"P{self.months}M..{self.end.isoformat()}"
            return f"..{self.end.isoformat()}"
        return self.text or "unknown"

    @property
    def end_date(self) -> date | None:
        return self.instant if self.kind == "instant" else self.end

    def __str__(self) -> str:
        return self.key


class SourceSpan(BaseModel):
    """Where something came from: 1-based inclusive line span and 0-based char offsets."""

    line_start: int = Field(description="first source line, 1-based")
    line_end: int = Field(description="last source line, 1-based, inclusive")
    char_start: int | None = Field(default=None, description="offset of the first character")
    char_end: int | None = Field(default=None, description="offset after the last character")


class Cell(BaseModel):
    raw: str = Field(default="", description="the cell text exactly as in the source")
    value: Decimal | None = Field(default=None, description="the parsed number, or null")
    kind: CellKind = CellKind.missing
    unit: str | None = Field(default=None, description="'%', 'months', 'years', 'items' ...")
    currency: str | None = Field(default=None, description="currency mark on the value (CNY, USD)")
    notes: list[str] = Field(default_factory=list, description="footnote markers, e.g. ['1']")
    source: SourceSpan | None = None
    status: Status = Status.ok
    candidates: list[int] = Field(
        default_factory=list,
        description="when ambiguous: the column indices this value could belong to",
    )

    @property
    def is_number(self) -> bool:
        return self.value is not None


class Column(BaseModel):
    index: int
    header: str = Field(description="the full header text of this column, rebuilt from all header rows")
    period: Period | None = Field(default=None, description="the column's period, if it has one")
    currency: str | None = None
    unit: str | None = None
    role: str | None = Field(
        default=None,
        description="what the column measures: gross, allowance, net, opening, provision, "
        "writeoff, recovery, reclassification, other, ending, component, total, value",
    )


class Row(BaseModel):
    index: int
    label: str
    members: list[str] = Field(default_factory=list, description="XBRL [Member] path")
    section: str | None = Field(default=None, description="the heading row this row sits under")
    role: str | None = Field(default=None, description="opening, provision, writeoff, ending, ...")
    is_total: bool = False
    cells: list[Cell] = Field(default_factory=list, description="one per column, aligned")
    extra: list[Cell] = Field(
        default_factory=list,
        description="values the layout kept but could not place in a column (ambiguous)",
    )
    source: SourceSpan | None = None
    notes: list[str] = Field(default_factory=list)

    @property
    def values(self) -> list[Decimal | None]:
        return [c.value for c in self.cells]


class CellRef(BaseModel):
    table_id: str
    row: int
    column: int
    doc: str | None = None
    label: str | None = None
    value: Decimal | None = None


class Check(BaseModel):
    kind: Literal["rollforward", "crossfoot", "foot", "member_foot", "tieout", "duplicate"] = Field(
        description="which identity"
    )
    description: str = ""
    cells: list[CellRef] = Field(default_factory=list, description="the cells involved")
    expected: Decimal | None = None
    actual: Decimal | None = None
    residual: Decimal | None = None
    tolerance: Decimal = Decimal(0)
    passed: bool = True
    expression: str = Field(default="", description="the arithmetic written out")


class Table(BaseModel):
    doc: str = Field(description="document id: the input file's name")
    table_id: str = Field(description="stable id within the document, e.g. 't3'")
    title: str = Field(default="", description="the note heading the table sits under")
    caption: str = Field(default="", description="the sentence above the table")
    layout: Layout = Layout.unknown
    method: Method = Method.deterministic
    status: Status = Status.ok
    kind: str | None = Field(default=None, description="balance, movement, breakdown, xbrl_details")
    orientation: Literal["columns", "rows"] | None = Field(
        default=None, description="movement runs across columns or down rows"
    )
    scale: int = Field(default=1, description="multiplier of the reported numbers (1000 = in thousands)")
    scale_text: str = ""
    currency: str | None = None
    columns: list[Column] = Field(default_factory=list)
    rows: list[Row] = Field(default_factory=list)
    checks: list[Check] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list, description="footnote texts")
    source: SourceSpan | None = None
    quarantine_reason: str | None = None

    def cell(self, row: int, column: int) -> Cell:
        return self.rows[row].cells[column]

    def to_record(self) -> dict[str, Any]:
        """The `tickmark extract` JSONL contract (a plain, JSON-ready dict)."""
        return table_record(self)

    def to_context(self) -> str:
        """A compact text rendering for prompts and logs."""
        head = " | ".join(c.header for c in self.columns)
        lines = [f"[{self.table_id}] {self.title} — {self.caption}", f"label | {head}"]
        for r in self.rows:
            vals = " | ".join("" if c.value is None else str(c.value) for c in r.cells)
            lines.append(f"{r.label} | {vals}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"Table({self.doc}#{self.table_id} {self.layout.value} {self.status.value} "
            f"{len(self.rows)}x{len(self.columns)} {self.caption[:40]!r})"
        )


class ErrorRecord(BaseModel):
    doc: str
    path: str
    error: str = Field(description="error class, e.g. BadInputError")
    message: str
    line: int | None = None


class Document(BaseModel):
    doc: str = Field(description="the input file's name")
    path: str = ""
    sha256: str = ""
    layout: Layout = Layout.unknown
    tables: list[Table] = Field(default_factory=list)
    checks: list[Check] = Field(default_factory=list, description="tie-outs across tables")
    warnings: list[str] = Field(default_factory=list)
    errors: list[ErrorRecord] = Field(default_factory=list)
    n_lines: int = 0
    n_bytes: int = 0


class Citation(BaseModel):
    doc: str
    table_id: str
    row: int
    column: int
    row_label: str = ""
    column_header: str = ""
    line_start: int | None = None
    line_end: int | None = None
    char_start: int | None = None
    char_end: int | None = None

    def short(self) -> str:
        lines = f" L{self.line_start}" + (f"-{self.line_end}" if self.line_end != self.line_start else "")
        return f"{self.doc} {self.table_id} r{self.row} c{self.column}{lines if self.line_start else ''}"


class Fact(BaseModel):
    id: str = Field(description="content hash of doc, table, row, column and value")
    doc: str
    table_id: str
    subject: str = Field(description="row label")
    members: list[str] = Field(default_factory=list)
    section: str | None = None
    measure: str = Field(default="", description="column header / role")
    concept: str | None = Field(default=None, description="normalised concept: opening, provision, ...")
    period: Period | None = None
    value: Decimal
    raw: str = ""
    scale: int = 1
    currency: str | None = None
    unit: str | None = None
    title: str = ""
    caption: str = ""
    citation: Citation
    table_status: Status = Status.ok
    checks_passed: int = 0
    checks_failed: int = 0


def _num(v: Decimal | None) -> int | float | None:
    """Decimal -> JSON number (int when integral)."""
    if v is None:
        return None
    if v == v.to_integral_value():
        return int(v)
    return float(v)


def period_record(p: Period | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {
        "kind": p.kind,
        "key": p.key,
        "instant": p.instant.isoformat() if p.instant else None,
        "start": p.start.isoformat() if p.start else None,
        "end": p.end.isoformat() if p.end else None,
        "months": p.months,
    }


def check_record(c: Check) -> dict[str, Any]:
    return {
        "kind": c.kind,
        "passed": c.passed,
        "residual": _num(c.residual),
        "expected": _num(c.expected),
        "actual": _num(c.actual),
        "tolerance": _num(c.tolerance),
        "description": c.description,
        "expression": c.expression,
        "cells": [{"table_id": r.table_id, "row": r.row, "column": r.column} for r in c.cells],
    }


def table_record(t: Table) -> dict[str, Any]:
    return {
        "doc": t.doc,
        "table_id": t.table_id,
        "title": t.title,
        "caption": t.caption,
        "layout": t.layout.value,
        "method": t.method.value,
        "status": t.status.value,
        "kind": t.kind,
        "scale": t.scale,
        "scale_text": t.scale_text,
        "currency": t.currency,
        "columns": [
            {
                "index": c.index,
                "header": c.header,
                "period": period_record(c.period),
                "currency": c.currency,
                "unit": c.unit,
                "role": c.role,
            }
            for c in t.columns
        ],
        "rows": [
            {
                "index": r.index,
                "label": r.label,
                "members": r.members,
                "section": r.section,
                "role": r.role,
                "is_total": r.is_total,
                "values": [_num(c.value) for c in r.cells],
                "raw": [c.raw for c in r.cells],
                "cell_status": [c.status.value for c in r.cells],
                "unplaced": [
                    {"raw": c.raw, "value": _num(c.value), "candidates": c.candidates} for c in r.extra
                ],
                "lines": [r.source.line_start, r.source.line_end] if r.source else None,
            }
            for r in t.rows
        ],
        "checks": [check_record(c) for c in t.checks],
        "warnings": t.warnings,
        "notes": t.notes,
        "lines": [t.source.line_start, t.source.line_end] if t.source else None,
        "quarantine_reason": t.quarantine_reason,
    }


def content_hash(*parts: Any) -> str:
    """Stable short hash of the given parts (used for fact ids, cache keys)."""
    h = hashlib.sha256()
    for p in parts:
        h.update(json.dumps(p, sort_keys=True, default=str).encode())
        h.update(b"\x1f")
    return h.hexdigest()[:24]
