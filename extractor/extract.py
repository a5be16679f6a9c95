"""The extraction pipeline: bytes -> Source -> layout -> Tables -> checks -> Document.

A pure function of its input (plus settings): the same file always gives the same
Document, so bulk runs can be parallelised, resumed and distributed.
"""

from __future__ import annotations

from pathlib import Path

from .errors import TickmarkError
from .layouts import detect, parse_source
from .models import Document, ErrorRecord, Layout, Status
from .read import Source, read_bytes, read_path, read_text


def extract_source(source: Source, *, layout: Layout | None = None, fallback: bool = True) -> Document:
    """Extract every table of one source. With `fallback`, tables that stay flagged or
    ambiguous and number-dense text no parser read go to the LLM fallback when one is
    configured; without one, unread blocks are kept as `quarantined` ("no LLM configured")."""
    layout = layout or detect(source)
    doc = Document(
        doc=source.doc,
        path=source.path,
        sha256=source.sha256,
        layout=layout,
        n_lines=source.n_lines,
        n_bytes=source.n_bytes,
        warnings=list(source.warnings),
    )
    tables = parse_source(source, layout) if layout != Layout.unknown else []
    for i, t in enumerate(tables, 1):
        t.doc = source.doc
        t.table_id = f"t{i}"
    doc.tables = tables
    _prove(doc)
    if fallback:
        from .fallback import apply_fallback

        apply_fallback(doc, source)
    if not tables and layout == Layout.unknown and source.kind == "text":
        doc.warnings.append(f"{source.doc}: no table layout recognised; no tables extracted")
    return doc


def _prove(doc: Document) -> None:
    """Align, check and set statuses (the tick-mark stage), when it is available."""
    import importlib
    import importlib.util

    if importlib.util.find_spec(f"{__package__}.checks") is None:
        return
    importlib.import_module(f"{__package__}.checks").prove_document(doc)


def extract_path(path: str | Path) -> Document:
    return extract_source(read_path(path))


def extract_bytes(data: bytes, doc: str, path: str = "") -> Document:
    return extract_source(read_bytes(data, doc, path))


def extract_text(text: str, doc: str = "<text>") -> Document:
    return extract_source(read_text(text, doc))


def extract_or_error(path: str | Path) -> Document:
    """Like extract_path, but a bad input gives a Document carrying an error record."""
    p = Path(path)
    try:
        return extract_path(p)
    except TickmarkError as e:
        return Document(doc=p.name, path=str(p), errors=[
            ErrorRecord(doc=p.name, path=str(p), error=type(e).__name__, message=str(e))])


def table_counts(doc: Document) -> dict[str, int]:
    counts = {s.value: 0 for s in Status}
    for t in doc.tables:
        counts[t.status.value] += 1
    return counts
