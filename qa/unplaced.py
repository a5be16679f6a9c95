"""Values the extractor kept but could not place in a column: when is one still determinable?

A row's unplaced values (``Row.extra``, or cells marked ambiguous) come with candidate
columns. Every *placement* of them is enumerated under rules any statement table obeys:

- the values keep their printed order: each sits in a column right of the one before;
- each sits in one of its candidate columns, never on a column the row already fills;
- one line item has one period type: all of a row's values, placed or not, are balances
  (instant columns) or all are flows (duration columns);
- a value marked with a currency sits in a column of that currency; an unmarked value
  sits in a column of the currency every unmarked value this table places sits in
  (when that is one currency only).

A *slot* is what a question can ask: a period end and a currency. A slot is determined
when every placement puts the same value in it; only then is the value offered, at the
slot's columns, with its candidates kept so the answer can say the column was not
decided. Placements that are balances only are offered apart (``mode="balance"``): they
answer questions asked "at" / "as of" a date, never a question about a year's flow.
Never one candidate picked silently: an undetermined slot offers nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from extractor.models import Cell, Row, Status, Table

MAX_VALUES = 8
MAX_PLACEMENTS = 5000


@dataclass(frozen=True)
class Placed:
    """One determined unplaced value: its column (the first of its slot) and the alternatives."""

    row: int
    col: int
    cell: Cell
    candidates: tuple[int, ...]
    mode: str  # "any" (every placement) or "balance" (instant placements only)


def _held(r: Row) -> list[Cell]:
    """The row's unplaced values in printed order (ambiguous cells and extras)."""
    amb = [(j, c) for j, c in enumerate(r.cells) if c.status == Status.ambiguous and c.value is not None]
    out = [c if c.candidates else c.model_copy(update={"candidates": [j]}) for j, c in amb]
    return out + [c for c in r.extra if c.value is not None and c.candidates]


def _unmarked_currency(t: Table) -> str | None:
    """The one currency of the columns holding this table's placed values printed without a mark."""
    seen = {t.columns[j].currency for r in t.rows for j, c in enumerate(r.cells)
            if j < len(t.columns) and c.value is not None and c.status != Status.ambiguous and not c.currency}
    seen.discard(None)
    return seen.pop() if len(seen) == 1 else None


def _allowed(t: Table, r: Row, cell: Cell, plain: str | None) -> list[int]:
    filled = {j for j, c in enumerate(r.cells) if c.value is not None and c.status != Status.ambiguous}
    want = cell.currency or plain
    return [j for j in cell.candidates if 0 <= j < len(t.columns) and j not in filled
            and (want is None or t.columns[j].currency in (want, None))]


def placements(t: Table, r: Row) -> list[tuple[int, ...]]:
    """Every column assignment of the row's unplaced values the rules above allow."""
    held = _held(r)
    if not held or len(held) > MAX_VALUES:
        return []
    plain = _unmarked_currency(t)
    opts = [_allowed(t, r, c, plain) for c in held]
    kind = [t.columns[j].period.kind if t.columns[j].period else None for j in range(len(t.columns))]
    out: list[tuple[int, ...]] = []

    def grow(prefix: tuple[int, ...], kinds: frozenset) -> bool:
        """Depth first, columns strictly increasing, one period type; False once too many."""
        if len(prefix) == len(opts):
            out.append(prefix)
            return len(out) <= MAX_PLACEMENTS
        last = prefix[-1] if prefix else -1
        for j in opts[len(prefix)]:
            k = kinds | ({kind[j]} - {None})
            if j > last and len(k) <= 1 and not grow(prefix + (j,), k):
                return False
        return True

    placed = {kind[j] for j, c in enumerate(r.cells[:len(kind)]) if c.value is not None
              and c.status != Status.ambiguous} - {None}  # the row's placed cells fix its period type
    return out if len(placed) <= 1 and grow((), frozenset(placed)) else []


def _slot(t: Table, j: int) -> tuple | None:
    p = t.columns[j].period
    if p is None or p.end_date is None:
        return None
    return (p.end_date, p.months if p.kind == "duration" else None, t.columns[j].currency)


def _determined(t: Table, i: int, held: list[Cell], plans: list[tuple[int, ...]], mode: str) -> list[Placed]:
    """Values that every placement puts in the same slot (and that slot always filled)."""
    filled = []  # per placement: slot -> the held values placed there
    for combo in plans:
        seen: dict[tuple, list[int]] = {}
        for k, j in enumerate(combo):
            if (s := _slot(t, j)) is not None:
                seen.setdefault(s, []).append(k)
        filled.append(seen)
    out = []
    for s in {s for seen in filled for s in seen}:
        ks = {tuple(seen.get(s, ())) for seen in filled}
        if len(ks) != 1 or len(k := next(iter(ks))) != 1:
            continue  # undetermined: different values, none in some placement, or two at once
        cols = sorted({combo[k[0]] for combo in plans})
        out.append(Placed(row=i, col=cols[0], cell=held[k[0]], candidates=tuple(held[k[0]].candidates), mode=mode))
    return out


def determined_values(t: Table) -> list[Placed]:
    """Every unplaced value of the table whose slot all placements agree on."""
    out: list[Placed] = []
    for i, r in enumerate(t.rows):
        plans = placements(t, r)
        if not plans:
            continue
        held = _held(r)
        got = _determined(t, i, held, plans, "any")
        inst = [p for p in plans if all(t.columns[j].period and t.columns[j].period.kind == "instant" for j in p)]
        if inst and len(inst) < len(plans):
            have = {(p.col, p.cell.value) for p in got}
            got += [p for p in _determined(t, i, held, inst, "balance") if (p.col, p.cell.value) not in have]
        out += got
    return out


def find_held(t: Table, row: int, col: int, value: Decimal) -> Cell | None:
    """The unplaced cell of (row) holding `value` that may sit in column `col`."""
    if row >= len(t.rows):
        return None
    return next((c for c in _held(t.rows[row]) if c.value == value and col in c.candidates), None)
