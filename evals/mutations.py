"""Mutation testing of the tick marks: corrupt one thing in a proven seed table and the
checks must catch it.

Seeded single corruptions of the gold tables (a digit changed, a sign flipped, two cells
swapped, a component row dropped); a corruption counts as caught when the table turns
`flagged` with a failing check that names the corrupted cell or its row. No-op corruptions
(flipping the sign of a zero, swapping equal values, dropping an all-zero row) change no
figure and are not drawn. Dropping a Total row leaves every remaining figure right, so only
component rows are dropped; only cells some check of the clean table reads are corrupted.
Used by tests/test_mutation.py and by `tickmark eval` (eval "mutations").
"""

from __future__ import annotations

import random
from decimal import Decimal

from extractor.checks import prove_document, prove_table
from extractor.models import Cell, CellKind, Document, Status, Table
from extractor.tieouts import apply_tieouts

from .gold import gold_docs, gold_tables


N_MUTATIONS = 500
SEED = 20240613


def _documents() -> list[Document]:
    docs = []
    for name in gold_docs():
        doc = Document(doc=name, tables=gold_tables(name))
        prove_document(doc)
        docs.append(doc)
    return docs


def _covered(t: Table) -> set[tuple[int, int]]:
    """Cells that at least one check of the clean table reads: what arithmetic can vouch for."""
    return {(r.row, r.column) for c in t.checks for r in c.cells if r.table_id == t.table_id}


def _numeric_cells(t: Table) -> list[tuple[int, int]]:
    covered = _covered(t)
    return [(i, j) for i, r in enumerate(t.rows) for j, c in enumerate(r.cells)
            if c.value is not None and (i, j) in covered]


def _set(t: Table, i: int, j: int, v: Decimal) -> None:
    t.rows[i].cells[j] = Cell(raw=str(v), value=v, kind=CellKind.number)


def _digit(t: Table, rng: random.Random) -> tuple[str, set[int], set[tuple[int, int]]] | None:
    i, j = rng.choice(_numeric_cells(t))
    v = t.rows[i].cells[j].value
    s = str(abs(v))
    pos = rng.choice([k for k, ch in enumerate(s) if ch.isdigit()])
    new = rng.choice([d for d in "0123456789" if d != s[pos]])
    nv = Decimal(s[:pos] + new + s[pos + 1:]) * (-1 if v < 0 else 1)
    _set(t, i, j, nv)
    return f"digit {v}->{nv} at r{i}c{j}", {i}, {(i, j)}


def _sign(t: Table, rng: random.Random):
    cells = [(i, j) for i, j in _numeric_cells(t) if t.rows[i].cells[j].value != 0]
    if not cells:
        return None
    i, j = rng.choice(cells)
    v = t.rows[i].cells[j].value
    _set(t, i, j, -v)
    return f"sign {v} at r{i}c{j}", {i}, {(i, j)}


def _swap(t: Table, rng: random.Random):
    cells = _numeric_cells(t)
    pairs = [(a, b) for a in cells for b in cells if a < b and t.cell(*a).value != t.cell(*b).value]
    if not pairs:
        return None
    (i1, j1), (i2, j2) = rng.choice(pairs)
    c1, c2 = t.rows[i1].cells[j1], t.rows[i2].cells[j2]
    t.rows[i1].cells[j1], t.rows[i2].cells[j2] = c2, c1
    return f"swap r{i1}c{j1}<->r{i2}c{j2}", {i1, i2}, {(i1, j1), (i2, j2)}


def _drop(t: Table, rng: random.Random):
    covered = {i for i, _ in _covered(t)}
    rows = [i for i, r in enumerate(t.rows) if not r.is_total and any(c.value for c in r.cells) and i in covered]
    if not rows:
        return None
    i = rng.choice(rows)
    del t.rows[i]
    for k, r in enumerate(t.rows):
        r.index = k
    return f"drop row {i}", set(), set()


MUTATORS = [_digit, _sign, _swap, _drop]


def _names_it(t: Table, rows: set[int], cells: set[tuple[int, int]], doc: Document) -> bool:
    failed = [c for c in t.checks if not c.passed]
    failed += [c for c in doc.checks if not c.passed]
    if not rows:  # a dropped row: any failing check of this table
        return any(r.table_id == t.table_id for c in failed for r in c.cells)
    for c in failed:
        for r in c.cells:
            if r.table_id == t.table_id and ((r.row, r.column) in cells or r.row in rows):
                return True
    return False


def _pool(docs: list[Document]) -> list[tuple[Document, int]]:
    """Tables that prove clean and have checks: corrupting them must be noticed."""
    return [(d, k) for d in docs for k, t in enumerate(d.tables) if t.status == Status.ok and t.checks]


def _with_copy(doc: Document, k: int) -> Document:
    """The document with table k deep-copied (the others shallow, with their own warning lists)."""
    tables = [t.model_copy(deep=True) if i == k else t.model_copy(update={"warnings": list(t.warnings)})
              for i, t in enumerate(doc.tables)]
    return Document(doc=doc.doc, tables=tables)


def run_mutations(n: int = N_MUTATIONS, seed: int = SEED) -> tuple[int, int, list[str]]:
    docs = _documents()
    pool = _pool(docs)
    rng = random.Random(seed)
    caught, done, missed = 0, 0, []
    while done < n:
        base, k = rng.choice(pool)
        doc = _with_copy(base, k)
        t = doc.tables[k]
        t.checks = base.tables[k].checks  # coverage of the clean table decides what may be corrupted
        what = rng.choice(MUTATORS)(t, rng)
        if what is None:
            continue
        label, rows, cells = what
        done += 1
        doc.tables[k] = prove_table(t)
        apply_tieouts(doc)
        t = doc.tables[k]
        if t.status == Status.flagged and _names_it(t, rows, cells, doc):
            caught += 1
        else:
            missed.append(f"{doc.doc} {t.table_id}: {label} -> {t.status.value}")
    return caught, done, missed


def eval_mutations(n: int = N_MUTATIONS, seed: int = SEED) -> dict:
    caught, done, missed = run_mutations(n, seed)
    return {"mutations": done, "caught": caught, "catch_rate": round(caught / done, 4) if done else 0.0,
            "misses": missed[:15]}
