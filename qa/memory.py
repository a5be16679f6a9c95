"""An in-memory store with the read side of ``FactIndex``: for tests, evals and batch runs.

``MemoryIndex.from_documents`` takes extracted Documents (or bare Tables); the engine
needs only ``tables``, ``table``, ``documents`` and ``count``.
"""

from __future__ import annotations

from collections.abc import Iterable

from extractor.errors import NotFoundError
from extractor.models import Document, Fact, Table


class MemoryIndex:
    def __init__(self, tables: Iterable[Table] = ()):
        self._tables: dict[tuple[str, str], Table] = {}
        for t in tables:
            self._tables[(t.doc, t.table_id)] = t

    @classmethod
    def from_documents(cls, docs: Iterable[Document]) -> "MemoryIndex":
        return cls(t for d in docs for t in d.tables)

    def __repr__(self) -> str:
        return f"MemoryIndex({len(self.documents())} documents, {len(self._tables)} tables)"

    def add_document(self, doc: Document) -> int:
        for t in doc.tables:
            self._tables[(t.doc, t.table_id)] = t
        return sum(len(r.cells) for t in doc.tables for r in t.rows)

    def add_table(self, t: Table) -> None:
        self._tables[(t.doc, t.table_id)] = t

    def tables(self, doc: str | None = None) -> list[Table]:
        return [t for (d, _), t in self._tables.items() if doc is None or d == doc]

    def table(self, doc: str, table_id: str) -> Table:
        try:
            return self._tables[(doc, table_id)]
        except KeyError:
            raise NotFoundError(f"table {table_id!r} of {doc!r} is not in this in-memory index") from None

    def documents(self) -> list[str]:
        return sorted({d for d, _ in self._tables})

    def facts(self, doc: str | None = None, table_id: str | None = None) -> list[Fact]:
        from extractor.facts import table_facts

        return [f for t in self.tables(doc) if table_id in (None, t.table_id) for f in table_facts(t)]

    def count(self) -> int:
        return sum(1 for t in self._tables.values() for r in t.rows for c in r.cells if c.value is not None)
