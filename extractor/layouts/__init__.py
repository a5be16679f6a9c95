"""Layout detection and dispatch.

Every layout module exposes:

    LAYOUT: Layout
    def score(source: Source) -> float      # 0..1, how much the text looks like this layout
    def parse(source: Source) -> list[Table] # tables with cited cells (doc set; ids assigned later)

``detect`` picks the best-scoring layout; ``parse_source`` runs it.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from ..models import Layout, Table
from ..read import Source

_MODULES = {
    Layout.html: "html",
    Layout.xbrl_details: "xbrl_details",
    Layout.pipes: "pipes",
    Layout.cell_lines: "cell_lines",
    Layout.row_lines: "row_lines",
}


def module(layout: Layout) -> ModuleType | None:
    try:
        return importlib.import_module(f"{__name__}.{_MODULES[layout]}")
    except ModuleNotFoundError as e:  # a layout not built yet
        if e.name and e.name.endswith(_MODULES[layout]):
            return None
        raise


def detect(source: Source) -> Layout:
    """The layout whose detector scores highest (html/xml are decided by sniffing)."""
    if source.kind in ("html", "xml"):
        return Layout.html
    best, best_score = Layout.unknown, 0.0
    for layout in (Layout.xbrl_details, Layout.pipes, Layout.cell_lines, Layout.row_lines):
        mod = module(layout)
        if mod is None:
            continue
        s = mod.score(source)
        if s > best_score:
            best, best_score = layout, s
        if best_score >= 1.0:  # scores are at most 1 and a later layout must score higher
            break
    return best if best_score >= 0.2 else Layout.unknown


def parse_source(source: Source, layout: Layout) -> list[Table]:
    mod = module(layout)
    if mod is None:
        return []
    return mod.parse(source)
