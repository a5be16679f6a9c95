"""Table -> Facts: one typed, cited figure per placed numeric cell, with a normalised concept.

A fact names what it measures twice: ``measure`` is the column header as reported and
``concept`` the normalised accounting role (opening, provision, writeoff, recovery,
reclassification, other, ending, gross, allowance, net, revenue, total ...).

Cells the layout could not place (``cell.status == ambiguous`` or ``Row.extra``) give no
fact: a figure whose column is unknown is not a figure. They stay visible in the table
(``unplaced_cells``) so a reader can see what was held back.
"""

from __future__ import annotations

from .kinds import BALANCE_ROLES, MOVEMENT_ROLES, role_of
from .models import Cell, Citation, Column, Document, Fact, Row, Status, Table, content_hash

SPECIFIC_ROLES = frozenset(MOVEMENT_ROLES) | frozenset(BALANCE_ROLES) | {"revenue"}
WEAK_ROLES = frozenset({"total", "component", "value"})


def table_facts(table: Table) -> list[Fact]:
    """One Fact per placed numeric cell of the table, in row-major order."""
    col_roles = [_column_role(c) for c in table.columns]
    row_roles = [_row_role(r) for r in table.rows]
    col_roles = _fill_gross(col_roles)
    row_roles = _fill_gross(row_roles)
    counts = _check_counts(table)
    facts: list[Fact] = []
    for i, row in enumerate(table.rows):
        for j, cell in enumerate(row.cells):
            if not _placed(cell) or j >= len(table.columns):
                continue
            concept = _concept(table, col_roles[j], row_roles[i])
            facts.append(_fact(table, row, table.columns[j], cell, i, j, concept, counts))
    return facts


def document_facts(doc: Document) -> list[Fact]:
    return [f for t in doc.tables for f in table_facts(t)]


def unplaced_cells(table: Table) -> list[tuple[int, Cell]]:
    """(row index, cell) of every value the table holds but could not place in a column."""
    out: list[tuple[int, Cell]] = []
    for i, row in enumerate(table.rows):
        out.extend((i, c) for c in row.cells if c.status == Status.ambiguous and c.value is not None)
        out.extend((i, c) for c in row.extra)
    return out


def fact_id(doc: str, table_id: str, row: int, column: int, value, period_key: str | None) -> str:
    return content_hash(doc, table_id, row, column, str(value), period_key)


def _placed(cell: Cell) -> bool:
    return cell.value is not None and cell.status != Status.ambiguous


def _column_role(col: Column) -> str | None:
    return col.role or role_of(col.header)


def _row_role(row: Row) -> str | None:
    if row.role:
        return row.role
    return role_of(row.label) or ("total" if row.is_total else None)


def _fill_gross(roles: list[str | None]) -> list[str | None]:
    """In a gross / allowance / net set, the unnamed line ("Contract assets") is the gross one."""
    present = set(roles)
    if not ({"allowance", "net"} <= present or {"allowance", "gross"} <= present):
        return roles
    if "gross" in present:
        return roles
    return ["gross" if r is None or r == "component" else r for r in roles]


def _concept(table: Table, col_role: str | None, row_role: str | None) -> str | None:
    """Movement across columns -> the column names it; down rows (XBRL) -> the row does."""
    if table.orientation == "columns":
        return col_role or row_role
    if table.orientation == "rows":
        return row_role or col_role
    if col_role in SPECIFIC_ROLES:
        return col_role
    if row_role in SPECIFIC_ROLES:
        return row_role
    return col_role or row_role


def _check_counts(table: Table) -> dict[tuple[int, int], tuple[int, int]]:
    """(row, column) -> (checks passed, checks failed) among the checks citing that cell."""
    counts: dict[tuple[int, int], list[int]] = {}
    for chk in table.checks:
        for ref in {(r.row, r.column) for r in chk.cells if r.table_id in (table.table_id, "")}:
            c = counts.setdefault(ref, [0, 0])
            c[0 if chk.passed else 1] += 1
    return {k: (v[0], v[1]) for k, v in counts.items()}


def _citation(table: Table, row: Row, col: Column, cell: Cell, i: int, j: int) -> Citation:
    span = cell.source or row.source
    return Citation(
        doc=table.doc, table_id=table.table_id, row=i, column=j,
        row_label=row.label, column_header=col.header,
        line_start=span.line_start if span else None,
        line_end=span.line_end if span else None,
        char_start=span.char_start if span else None,
        char_end=span.char_end if span else None,
    )


def _fact(table: Table, row: Row, col: Column, cell: Cell, i: int, j: int,
          concept: str | None, counts: dict) -> Fact:
    passed, failed = counts.get((i, j), (0, 0))
    period_key = col.period.key if col.period else None
    return Fact(
        id=fact_id(table.doc, table.table_id, i, j, cell.value, period_key),
        doc=table.doc, table_id=table.table_id,
        subject=row.label, members=list(row.members), section=row.section,
        measure=col.header or (col.role or ""), concept=concept, period=col.period,
        value=cell.value, raw=cell.raw, scale=table.scale,
        currency=cell.currency or col.currency or table.currency,
        unit=cell.unit or col.unit,
        title=table.title, caption=table.caption,
        citation=_citation(table, row, col, cell, i, j),
        table_status=table.status, checks_passed=passed, checks_failed=failed,
    )


def fact_text(f: Fact) -> str:
    """The sentence a fact is embedded as: where it sits, what it measures, when."""
    parts = [f.title, f.caption, f.section or "", " / ".join(f.members), f.subject,
             f.measure, f.concept or "", _period_words(f)]
    return " | ".join(p for p in parts if p)


def _period_words(f: Fact) -> str:
    if f.period is None:
        return ""
    key = f.period.key
    return key if not f.period.text or f.period.text == key else f"{f.period.text} ({key})"
