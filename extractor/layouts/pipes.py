"""The pipe-flattened layout: each HTML table flattened to ONE line of `|`-separated cells.

    3.NOTE HEADING The Group's receivables are as follows: | | | | Allowance for | ... |
    Receivables from services | | 20,945 | | — | | 20,945 | Total | | 20,945 | ... |

Row boundaries are gone, so the row width is inferred from structure: a label cell followed
by value cells repeats every ``w`` cells (spacer cells included). For each candidate width
the line is cut into chunks aligned on the first label; the width under which every amount
sits in a "label + values" chunk, and no amount sits where a label should be, wins. The
chunks before the first data row are the header rows: their fragments are joined per value
column ("Opening" + "balance as of" + "January 1," + "2023"), a stub such as "As of
December 31, 2024" gives the balance date, and ``textutil.column_periods`` turns headers into
periods. Prose before the first `|` is the note heading (title) and the caption.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ..models import Cell, CellKind, Column, Layout, Row, Status, Table
from ..numbers import currency_of, parse_cell, parse_scale, split_label_notes
from ..read import Source
from . import textutil as tu
from .textutil import EMPTY, MARK, NUMBER, TEXT, YEAR

LAYOUT = Layout.pipes
MIN_CELLS = 4  # fewer cells on a line: a heading or a footnote, never a table
MAX_WIDTH = 80
TIE = 0.1  # two row widths this close in score: the structure is not decided by the layout


@dataclass(slots=True)
class PCell:
    """One `|`-separated cell: stripped text, its offsets in the source, its class."""

    text: str
    start: int
    end: int
    cls: str
    open: bool = False  # text after the last `|`: the line may have been cut inside this cell


@dataclass
class Grid:
    """A line cut into rows of ``width`` cells; ``lead`` cells belong to a cut-off first row."""

    width: int
    offset: int
    chunks: list[list[PCell]]
    lead: list[PCell]
    score: float
    rival: int | None = None  # another width that reads the line (almost) as well


@dataclass
class Block:
    """One table's worth of chunks: header rows, then data/section rows."""

    header: list[list[PCell]] = field(default_factory=list)
    body: list[list[PCell]] = field(default_factory=list)
    as_of: tuple[str, object] | None = None  # (text, date) from a stub or section row
    cut: bool = False  # the last body row was cut off (the line ends mid-row)
    rival: int | None = None  # the line also reads with this row width: values not trusted


# ----------------------------------------------------------------------------- cells


def split_cells(source: Source, line_no: int) -> tuple[str, list[PCell]]:
    """Prose before the first `|`, and the cells of the line with their offsets."""
    line = source.line_text(line_no)
    base = source.line_starts[line_no - 1]
    first = line.find("|")
    if first < 0:
        return line, []
    cells: list[PCell] = []
    parts = line[first + 1:].split("|")
    pos = base + first + 1  # offset of the current part's first character
    token = tu.token_class
    for raw in parts[:-1]:
        n = len(raw)
        text = raw.strip()
        if not text:  # an empty cell (most of them: spacers)
            cells.append(PCell(text, pos + n, pos + n, EMPTY))
        else:
            s = pos + raw.find(text[0])
            cells.append(PCell(text, s, s + len(text), token(text)))
        pos += n + 1
    tail = parts[-1]
    text = tail.strip()
    if text:  # text after the last pipe is a cell too
        s = pos + tail.find(text[0])
        cells.append(PCell(text, s, s + len(text), token(text), open=True))
    _join_split_negatives(cells)
    return line[:first], cells


_OPEN_NEGATIVE = re.compile(r"\(\s*[$¥]?\s*[\d,.]+")


def _line_cells(source: Source, line_no: int) -> tuple[str, list[PCell]]:
    """split_cells, once per line of a source (detect's score() and parse() both read it)."""
    key = ("pipes.cells", line_no)
    if key not in source.memo:
        source.memo[key] = split_cells(source, line_no)
    return source.memo[key]


def _line_grid(source: Source, line_no: int, cells: list[PCell]) -> Grid | None:
    """infer_grid of a line's cells, once per line of a source."""
    key = ("pipes.grid", line_no)
    if key not in source.memo:
        source.memo[key] = infer_grid(cells)
    return source.memo[key]


def _join_split_negatives(cells: list[PCell]) -> None:
    """'(499' followed (after empty cells) by ')' is one negative: mark the ')' as a mark."""
    for i, c in enumerate(cells):
        if c.text == ")":
            j = i - 1
            while j >= 0 and cells[j].cls == EMPTY:
                j -= 1
            if j >= 0 and _OPEN_NEGATIVE.fullmatch(cells[j].text):
                cells[j].text += ")"
                cells[j].cls = NUMBER
                c.cls = MARK


# ----------------------------------------------------------------------------- grid


def _label_positions(cells: list[PCell]) -> list[int]:
    """Cells that look like a row label: text (or a year) whose next non-empty cell is an amount."""
    return _label_positions_cls("".join([c.cls for c in cells]))


def _label_positions_cls(cls: str) -> list[int]:
    out = []
    nxt = ""  # the class of the next cell that is neither empty nor a mark
    for i in range(len(cls) - 1, -1, -1):
        k = cls[i]
        if nxt == NUMBER and k in (TEXT, YEAR):
            out.append(i)
        if k != EMPTY and k != MARK:
            nxt = k
    out.reverse()
    return out


def _classes(chunk: list[PCell]) -> str:
    """One class letter per cell."""
    return "".join([c.cls for c in chunk])


def _is_data(chunk: list[PCell]) -> bool:
    return _is_data_cls(_classes(chunk))


def _is_data_cls(ch: str) -> bool:
    rest = ch[1:]
    return ch[0] != NUMBER and NUMBER in rest and TEXT not in rest


def _score(cls: str, closed: str, width: int, offset: int, labels: list[int]) -> float:
    """How well the line reads as rows of `width` cells starting at `offset`: amounts in
    label + values rows count for; amounts elsewhere, labels (text followed by an amount)
    that do not start a row, rows without a label and extra stub cells count against.
    ``cls`` holds one class letter per cell; ``closed`` the same with the cell the line was
    cut in (text after the last `|`) read as empty: it says nothing about the width."""
    covered = bad = 0
    bad += cls[:offset].count(NUMBER)
    positions: set[int] = set()
    stubs = 0  # header rows with text where the label goes: one stub is normal, more are not
    n = len(cls)
    for k in range(offset, n, width):
        ch = closed[k:k + width]
        n_num = ch.count(NUMBER)
        if _is_data_cls(ch):
            covered += n_num if ch[0] != EMPTY else n_num / 2
            positions.update(i for i, c in enumerate(ch) if c == NUMBER)
        else:
            bad += n_num
            stubs += not covered and ch[0] == TEXT
    last = (n - offset) % width
    partial = n > offset and last != 0 and cls[n - last:].count(EMPTY) != last
    off_start = sum(1 for p in labels if p >= offset and (p - offset) % width)
    return (covered - 3 * bad - off_start - 0.5 * partial - 0.01 * len(positions)
            - 0.3 * max(0, stubs - 1))


def _candidate_widths(labels: list[int], n: int) -> list[int]:
    """Widths worth scoring: labels start rows, so the true width divides most of the gaps
    between consecutive labels (all widths when there are too few labels to tell)."""
    widths = range(2, min(n, MAX_WIDTH) + 1)
    gaps = [b - a for a, b in zip(labels, labels[1:])]
    if len(gaps) < 3:
        return list(widths)
    hits: dict[int, int] = {}  # width -> how many gaps it divides
    for g in gaps:
        for w in _divisors(g):
            hits[w] = hits.get(w, 0) + 1
    return [w for w in sorted(hits) if w in widths and 2 * hits[w] >= len(gaps)]


def _divisors(n: int) -> list[int]:
    out = []
    d = 1
    while d * d <= n:
        if n % d == 0:
            out.append(d)
            if d * d != n:
                out.append(n // d)
        d += 1
    return out


def _scored_grids(cls: str, closed: str, labels: list[int]) -> list[tuple[float, int, int]]:
    """(score, width, offset) of the candidate grids, best first (ties: narrower first).
    A grid whose score cannot come within TIE of the best one found so far is skipped:
    it can neither win nor be a rival (its bound — every amount after the lead covered, no
    other penalty but the lead's amounts and the misplaced labels — is below the cut).
    Widths under which no two labels line up are bounded all at once: when that bound is
    already out of reach, only the widths some labels agree on are scored."""
    widths = _candidate_widths(labels, len(cls))
    agreed = _agreeing_widths(labels)
    first = [w for w in widths if w in agreed]
    if len(first) < len(widths) and first:
        scored = _evaluate(cls, closed, labels, first)
        if scored and _lone_label_cap(cls, labels) <= scored[0][0] - TIE - 1e-9:
            return scored
    return _evaluate(cls, closed, labels, widths)


def _agreeing_widths(labels: list[int]) -> set[int]:
    """Widths under which one of the first three labels starts a row with another label."""
    out: set[int] = set()
    for k, p in enumerate(labels[:3]):
        for j, q in enumerate(labels):
            if j != k:
                out.update(_divisors(abs(q - p)))
    return out


def _lone_label_cap(cls: str, labels: list[int]) -> int:
    """The highest bound of a grid whose offset label lines up with no other label: then
    every other label at or after the offset is misplaced (offsets never pass the third
    label; between two labels the bound only falls, so its maximum sits just after one)."""
    n_num, last = cls.count(NUMBER), max(labels[:3])
    points = [0] + [p + 1 for p in labels if p + 1 <= last]
    return max(n_num - 4 * cls.count(NUMBER, 0, o) - (len(labels) - bisect.bisect_left(labels, o) - 1)
               for o in points)


def _evaluate(cls: str, closed: str, labels: list[int], widths: list[int]) -> list[tuple[float, int, int]]:
    """Score the grids of these widths in order of their bound, stopping where the bound
    falls out of reach of the best score found."""
    n_num = cls.count(NUMBER)

    def neg_bound(offset: int, res: list[int]) -> int:
        # labels at or after the offset that do not start a row (labels are sorted)
        off_start = len(labels) - bisect.bisect_left(labels, offset) - res.count(offset)
        return -(n_num - 4 * cls.count(NUMBER, 0, offset) - off_start)

    cands: list[tuple[int, int, int]] = []  # (-bound, width, offset)
    wide: list[tuple[int, int]] | None = None  # widths past the last label: residues are the labels
    for width in widths:
        if width > labels[-1]:
            if wide is None:
                wide = [(neg_bound(o, labels), o) for o in sorted(set(labels[:3]))]
            cands.extend((nb, width, o) for nb, o in wide)
            continue
        res = [p % width for p in labels]
        cands.extend((neg_bound(o, res), width, o) for o in sorted(set(res[:3])))
    cands.sort()  # highest bound first, then narrower, then the lower offset
    scored: list[tuple[float, int, int]] = []
    best = None
    for nb, width, offset in cands:
        if best is not None and -nb <= best - TIE - 1e-9:
            break
        sc = _score(cls, closed, width, offset, labels)
        scored.append((sc, width, offset))
        best = sc if best is None else max(best, sc)
    scored.sort(key=lambda g: (-g[0], g[1], g[2]))
    return scored


def infer_grid(cells: list[PCell]) -> Grid | None:
    """The row width (and alignment) under which the cells read as label + values rows."""
    cls = "".join([c.cls for c in cells])
    labels = _label_positions_cls(cls)
    if not labels:
        return None
    closed = "".join(EMPTY if c.open else c.cls for c in cells)
    scored = _scored_grids(cls, closed, labels)
    if not scored or scored[0][0] <= 0:
        return None
    score, width, offset = scored[0]
    best = Grid(width, offset, [cells[k:k + width] for k in range(offset, len(cells), width)],
                cells[:offset], score)
    rival = next((g for g in scored[1:] if g[1] != width), None)
    if rival is not None and score - rival[0] < TIE:
        best.rival = rival[1]
    return best


# ----------------------------------------------------------------------------- blocks


def _stub_only(chunk: list[PCell]) -> bool:
    return _stub_only_cls(_classes(chunk))


def _blank_cls(ch: str) -> bool:
    """Only empty cells and marks."""
    return not ch.replace(EMPTY, "").replace(MARK, "")


def _stub_only_cls(ch: str) -> bool:
    """A label and nothing else but empty cells and marks, on the chunk's class letters."""
    return ch[0] in (TEXT, YEAR) and _blank_cls(ch[1:])


def split_blocks(grid: Grid) -> list[Block]:
    """Cut the chunks into tables: a header block, then rows; a new header block after
    rows, or an 'As of <another date>' line between rows, starts a new table."""
    pad = [PCell("", -1, -1, EMPTY)] * (grid.width - len(grid.lead))
    chunks = ([pad + grid.lead] if grid.lead else []) + grid.chunks
    blocks = [Block()]
    for k, ch in enumerate(chunks):
        cur = blocks[-1]
        cls = _classes(ch)
        if _blank_cls(cls):
            continue
        data = _is_data_cls(cls)
        if k == len(chunks) - 1 and (len(ch) < grid.width or any(c.open for c in ch)) and (
                cur.body or data):
            cur.body.append(ch)  # the line ends mid-row
            cur.cut = True
            continue
        if data:
            cur.body.append(ch)
            continue
        if _stub_only_cls(cls):
            d = tu.as_of_date(ch[0].text)
            if d is not None and cur.body and cur.as_of and cur.as_of[1] != d:
                blocks.append(Block(header=cur.header, as_of=(ch[0].text, d)))
            elif d is not None and not cur.body:
                cur.as_of = (ch[0].text, d)
            else:
                cur.body.append(ch)  # a section heading row
            continue
        if cur.body:  # header rows after data: a new table
            blocks.append(Block())
            cur = blocks[-1]
        cur.header.append(ch)
        stub = ch[0].text
        d = tu.as_of_date(stub) if stub else None
        if d is not None:
            cur.as_of = (stub, d)
    for b in blocks:
        b.rival = grid.rival
    return [b for b in blocks if any(_is_data(ch) for ch in b.body)]


# ----------------------------------------------------------------------------- headers


def value_positions(block: Block) -> list[int]:
    """The positions (within a row) of the value columns: where amounts sit in data rows.
    With fewer than two complete data rows (a table cut off early), header fragments two or
    more cells away from any amount are columns too, so a lone value keeps its column."""
    data = [ch for ch in block.body if _is_data(ch)]
    full = [ch for ch in data if not (block.cut and ch is block.body[-1])]
    pos = {i for ch in data for i, c in enumerate(ch) if i and c.cls == NUMBER}
    if len(full) < 2:
        heads = {i for ch in block.header for i, c in enumerate(ch) if i and c.cls in (TEXT, YEAR)}
        pos |= {h for h in heads if all(abs(h - p) >= 2 for p in pos)}
    return sorted(pos)


def _nearest(q: int, positions: list[int]) -> int | None:
    """The value column a stray header fragment belongs to (None when two are equally near)."""
    dists = sorted((abs(p - q), p) for p in positions)
    if len(dists) > 1 and dists[0][0] == dists[1][0]:
        return None
    return dists[0][1]


def build_headers(block: Block, positions: list[int], warnings: list[str]) -> tuple[list[str], list[str]]:
    """One full header per value column (fragments joined top to bottom), and their notes."""
    frags: dict[int, list[str]] = {p: [] for p in positions}
    for ch in block.header:
        present = [(i, c.text) for i, c in enumerate(ch) if i and c.cls in (TEXT, YEAR, NUMBER) and c.text]
        for (i, text), cols in zip(present, _spanning(present, positions, frags)):
            if not cols:
                warnings.append(f"header fragment {text!r} could not be placed over a column")
            for p in cols:
                frags[p].append(text)
    headers, notes = [], []
    for p in positions:
        h, n = tu.join_fragments(frags[p])
        headers.append(h)
        notes.extend(n)
    return headers, notes


def _spanning(present: list[tuple[int, str]], positions: list[int],
              frags: dict[int, list[str]]) -> list[list[int]]:
    """The columns each fragment of one header row covers: its own (or nearest) column; a
    period phrase without a year ('Year ended December 31,') that starts its column's
    header spans every still-empty column up to the next fragment of the row."""
    out: list[list[int]] = []
    for k, (i, text) in enumerate(present):
        own = i if i in positions else _nearest(i, positions)
        if tu.is_spanning_phrase(text) and (own is None or not frags[own]):
            lo = i if k else -1
            nxt = present[k + 1][0] if k + 1 < len(present) else 10**9
            cols = [p for p in positions if lo <= p < nxt and not frags[p]]
            if own is not None and own not in cols and not frags[own]:
                cols.append(own)
            out.append(sorted(cols))
            continue
        out.append([own] if own is not None else [])
    return out


# ----------------------------------------------------------------------------- table


def _cell(source: Source, pc: PCell) -> Cell:
    if pc.start < 0:
        return parse_cell(pc.text)
    return parse_cell(pc.text, source=source.span(pc.start, max(pc.end, pc.start + 1) if pc.text else pc.start))


def _row(source: Source, ch: list[PCell], positions: list[int], index: int, section: str | None) -> Row:
    label, notes = split_label_notes(" ".join(ch[0].text.split()))
    cells = []
    for p in positions:
        if p < len(ch):
            cells.append(_cell(source, ch[p]))
            _currency_mark(ch, p, cells[-1])
        else:
            cells.append(Cell(kind=CellKind.missing))
    starts = [c.start for c in ch if c.start >= 0]
    ends = [c.end for c in ch if c.start >= 0 and c.text] or [max(starts)]
    return Row(index=index, label=label, notes=notes, cells=cells, section=section,
               is_total=tu.is_total_label(label), role=tu.role_of(label),
               source=source.span(min(starts), max(ends)))


def _currency_mark(ch: list[PCell], p: int, cell: Cell) -> None:
    """A '$' in the cell before a value is that value's currency; a '%' after it its unit."""
    if p > 0 and ch[p - 1].cls == MARK and cell.currency is None:
        cell.currency = currency_of(ch[p - 1].text)
    if p + 1 < len(ch) and ch[p + 1].text == "%" and cell.value is not None:
        cell.unit = "%"


def build_table(source: Source, line_no: int, block: Block, prose: tu.Prose,
                width: int) -> tuple[Table, set[str]]:
    """The Table of one block, and the footnote markers its headers and rows cite."""
    warnings: list[str] = []
    positions = value_positions(block)
    headers, header_notes = build_headers(block, positions, warnings)
    as_of = block.as_of
    ctx = tu.PeriodContext(as_of=as_of[1] if as_of else None, as_of_text=as_of[0] if as_of else "",
                           caption=prose.caption)
    periods = tu.column_periods(headers, ctx)
    roles = tu.column_roles(headers)
    rows: list[Row] = []
    section: str | None = None
    for ch in block.body:
        if _stub_only(ch) and not (block.cut and ch is block.body[-1]):
            section = " ".join(ch[0].text.split())
            continue
        rows.append(_row(source, ch, positions, len(rows), section))
    _mark_cut_off(block, rows, warnings)
    if block.rival is not None:
        warnings.append(f"line {line_no}: the cells read as rows of {width} or of {block.rival} cells "
                        "equally well; every value is marked ambiguous — check the source")
        for r in rows:
            for j, c in enumerate(r.cells):
                if c.value is not None:
                    c.status, c.candidates = Status.ambiguous, list(range(len(r.cells)))
    scale, scale_text = parse_scale(" ".join([prose.text] + [ch[0].text for ch in block.header]))
    columns = []
    for j, h in enumerate(headers):
        units = {r.cells[j].unit for r in rows if r.cells[j].value is not None}
        columns.append(Column(index=j, header=h, period=periods[j], role=roles[j],
                              unit=units.pop() if len(units) == 1 else None))
    marks = {c.currency for r in rows for c in r.cells if c.currency}
    t = Table(doc=source.doc, table_id="", title=prose.title, caption=prose.caption, layout=LAYOUT,
              kind=tu.table_kind(headers, periods, [r.label for r in rows]), scale=scale, scale_text=scale_text,
              currency=tu.stated_currency(prose.text) or (marks.pop() if len(marks) == 1 else None),
              columns=columns, rows=rows, warnings=warnings, source=source.line_span(line_no, line_no))
    if t.kind == "movement":
        t.orientation = "columns" if "opening" in roles else "rows"
    if any(c.status == Status.ambiguous for r in rows for c in r.cells):
        t.status = Status.ambiguous
    cited = set(header_notes) | {n for r in rows for n in r.notes} | {n for r in rows for c in r.cells for n in c.notes}
    return t, cited


def _mark_cut_off(block: Block, rows: list[Row], warnings: list[str]) -> None:
    """A last row with fewer cells than the row width, or whose line ends without a closing
    `|`, was cut off: its last value may be truncated, so it is marked ambiguous (kept, not
    trusted)."""
    if not block.cut or not rows:
        return
    last = rows[-1]
    present = [c for c in last.cells if c.source is not None]
    warnings.append(f"line {last.source.line_start if last.source else '?'}: the table ends mid-row "
                    f"('{last.label}' has {len(present)} of {len(last.cells)} cells); "
                    "the last value may be truncated — check the source")
    for j in range(len(last.cells) - 1, -1, -1):
        c = last.cells[j]
        if c.source is not None and c.raw.strip():
            c.status = Status.ambiguous
            c.candidates = [j]
            break


# ----------------------------------------------------------------------------- document


def _footnote(cells: list[PCell]) -> tuple[str, str] | None:
    """'| (1) | Jinshang ceased ... |' -> ('1', 'Jinshang ceased ...')."""
    texts = [c.text for c in cells if c.text]
    if len(texts) == 2 and tu.footnote_marker(texts[0]) and len(texts[1]) > 3:
        return tu.footnote_marker(texts[0]) or "", texts[1]
    return None


def _heading_cell(cells: list[PCell]) -> str:
    """'| ACCOUNTS RECEIVABLE, NET |': a line holding only an upper-case note heading."""
    texts = [c.text for c in cells if c.text]
    if len(texts) == 1 and tu.split_heading(texts[0])[0] == texts[0].strip():
        return texts[0].strip()
    return ""


@dataclass
class _State:
    title: str = ""
    caption: str = ""
    prose_text: str = ""  # the prose the current caption came from (scale, currency)
    pending: str = ""  # prose lines seen since the last table
    tables: list[Table] = field(default_factory=list)
    cited: list[set[str]] = field(default_factory=list)  # footnote markers each table cites
    since_notes: int = 0  # index of the first table after the last footnote block
    in_notes: bool = False  # the previous line was a footnote


def parse(source: Source) -> list[Table]:
    st = _State()
    for line_no in range(1, source.n_lines + 1):
        prefix, cells = _line_cells(source, line_no)
        _parse_line(source, line_no, prefix, cells, st)
    return st.tables


def _parse_line(source: Source, line_no: int, prefix: str, cells: list[PCell], st: _State) -> None:
    note = _footnote(cells) if len(cells) < MIN_CELLS else None
    if note is not None:
        _attach_note(st, *note, prefix)
        return
    if st.in_notes:
        st.in_notes, st.since_notes = False, len(st.tables)
    grid = _line_grid(source, line_no, cells) if len(cells) >= MIN_CELLS else None
    if grid is None:
        heading = _heading_cell(cells)
        if heading:
            _new_note(st, heading)
        st.pending = (st.pending + " " + prefix + " " + " ".join(c.text for c in cells if c.text)
                      if not heading else st.pending).strip()
        return
    prose = tu.read_prose((st.pending + " " + prefix).strip())
    st.pending = ""
    if prose.title and not prose.continued:
        _new_note(st, prose.title)
    st.title = prose.title or st.title
    if prose.caption:  # a table without its own caption (a continuation) keeps the last one
        st.caption, st.prose_text = prose.caption, prose.text
    prose.title, prose.caption, prose.text = st.title, st.caption, st.prose_text
    for block in split_blocks(grid):
        table, cited = build_table(source, line_no, block, prose, grid.width)
        st.tables.append(table)
        st.cited.append(cited)


def _new_note(st: _State, heading: str) -> None:
    """A new note heading: its tables no longer continue the caption of the last note's."""
    if heading != st.title:
        st.caption = st.prose_text = ""
    st.title = heading


def _attach_note(st: _State, marker: str, text: str, prefix: str) -> None:
    """A footnote belongs to the table it follows, and to the tables since the last
    footnote block that cite its marker."""
    heading = tu.split_heading(prefix)[0]
    if heading:
        st.title = heading
    if not st.tables:
        return
    note = f"({marker}) {' '.join(text.split())}"
    first = st.since_notes
    targets = [t for t, cited in zip(st.tables[first:], st.cited[first:]) if marker in cited]
    for t in targets + [st.tables[-1]]:
        if note not in t.notes:
            t.notes.append(note)
    st.pending = ""
    st.in_notes = True


# ----------------------------------------------------------------------------- detector


_DIGIT = re.compile(r"\d")


def score(source: Source) -> float:
    """Share of the numeric lines that are whole tables on one `|` line (two or more rows)."""
    numeric = tabular = 0
    for line_no, line in enumerate(source.lines(), 1):
        if not _DIGIT.search(line):
            continue
        numeric += len(line)
        if line.count("|") < 2 * MIN_CELLS:
            continue
        _, cells = _line_cells(source, line_no)
        grid = _line_grid(source, line_no, cells)
        if grid and sum(1 for ch in grid.chunks if _is_data(ch)) >= 2:
            tabular += len(line)
    return round(tabular / numeric, 3) if numeric else 0.0
