"""The row-per-line layout: text copied from a rendered page, one table row per line.

    Year ended December 31,
    2024202320242023                      <- header years run together
    Balance at beginning of year $ 2,150 $ 1,980
    Credit loss expense848 1,204          <- no space between label and first number
    Charge-offs (1,100) (1,050)
    Recoveries (499
    )                                     <- a negative split over two lines

Each line is read from its end: value tokens (amounts, dashes, '$' marks) are peeled off
until the label starts. A digit run glued to the label or to another number is split so
that every piece is a well-formed amount (thousands separators every three digits, no
comma-less amount of four digits or more when the table uses separators) and, when more
than one split is possible, so that the row has as many values as the table's other rows.
When even that leaves a choice, the cells are marked ambiguous with their candidates.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from ..models import Cell, CellKind, Column, Layout, Row, Status, Table
from ..numbers import currency_of, parse_cell, parse_scale, split_label_notes
from ..periods import duration_months, find_dates
from ..read import Source
from . import row_grid as rg
from . import textutil as tu

LAYOUT = Layout.row_lines

_VALUE = re.compile(r"^\(?[$¥€£]?\(?(?:\d[\d,]*\d|\d)(?:\.\d+)?\)?%?$|^\(?[$¥€£]?\.\d+\)?%?$")
_DASH = re.compile(r"^[$¥€£]?[—–−-]{1,2}$")
_MARK = {"$", "¥", "€", "£", "%", ")", "US$", "RMB"}
_GLUED = re.compile(r"^(?P<label>.*?[^\d\s,.($¥€£])(?P<num>[$¥€£]?\(?[$¥€£]?\d[\d,.]*\)?%?|[$¥€£]?[—–])$")
_AMOUNT = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_YEAR_PIECE = re.compile(r"(?:19|20)\d\d")
_MONTH_DAY_END = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},?$",
                            re.IGNORECASE)


@dataclass
class Tok:
    """One value token of a row: its text and offsets in the source."""

    text: str
    start: int
    end: int
    currency: str | None = None
    to_label: bool = False  # digits glued to a label that ends in a number ('Level 3848')
    ocr: str = ""  # the printed text when OCR letters were read as digits ('2O,945')


@dataclass
class RowLine:
    """A source line read as a row: label, value tokens (runs not yet split), offsets."""

    line: int
    label: str
    label_start: int
    label_end: int
    tokens: list[Tok]
    splits: list[list[Tok]] = field(default_factory=list)  # candidate readings of the values


# ----------------------------------------------------------------------------- amounts


def valid_amount(text: str, separators: bool) -> bool:
    """'1,204', '848', '12.5' are amounts; '3848' is not when the table uses separators."""
    if not _AMOUNT.match(text):
        return False
    whole = text.split(".")[0]
    if len(whole) > 1 and whole[0] == "0":
        return False
    return not (separators and "," not in whole and len(whole) > 3)


def split_run(run: str, separators: bool) -> list[list[str]]:
    """Every way to cut a digit run into well-formed amounts: '1,204848' -> [['1,204', '848']]."""
    if valid_amount(run, separators):
        return [[run]]
    out: list[list[str]] = []
    memo: dict[int, list[list[str]]] = {}

    def rec(i: int) -> list[list[str]]:
        if i == len(run):
            return [[]]
        if i in memo:
            return memo[i]
        res: list[list[str]] = []
        for j in range(i + 1, len(run) + 1):
            piece = run[i:j]
            if piece == run or not valid_amount(piece, separators) or (j < len(run) and run[j] == ","):
                continue
            res.extend([piece] + rest for rest in rec(j) if len(rest) < 12)
        memo[i] = res[:64]
        return memo[i]

    for cand in rec(0):
        if len(cand) > 1 and cand not in out:
            out.append(cand)
    return sorted(out, key=len)


def _is_valueish(tok: str) -> bool:
    return bool(_VALUE.match(tok) or _DASH.match(tok) or tok in _MARK)


# ----------------------------------------------------------------------------- lines


_WORD = re.compile(r"\S+")
_LABEL_END = re.compile(r"[A-Za-z)\]]$")
_LETTER = re.compile(r"[A-Za-z]")
_ANY_DIGIT = re.compile(r"\d")


def read_row(source: Source, line_no: int) -> RowLine | None:
    """Peel value tokens off the end of a line; None when it has no values or no label."""
    parts = _line_parts(source.line_text(line_no))
    if parts is None:
        return None
    label, label_start, label_end, vals, ocr = parts
    base = source.line_starts[line_no - 1]
    toks = _tokens([(v, base + s, base + e) for v, s, e in vals])
    for t in toks:
        t.ocr = ocr.get(t.start - base, "")
    return RowLine(line=line_no, label=label, label_start=base + label_start, label_end=base + label_end,
                   tokens=toks)


_RowParts = tuple[str, int, int, tuple[tuple[str, int, int], ...], dict[int, str]]


def _line_parts(text: str) -> _RowParts | None:
    """_row_parts, cached for row-sized lines only (a long line is not kept)."""
    return _row_parts(text) if len(text) <= 300 else _row_parts.__wrapped__(text)


@lru_cache(maxsize=65536)
def _row_parts(text: str) -> _RowParts | None:
    """(label, its start and end, value pieces (text, start, end), {start: printed text of a piece
    read through OCR letters}) of one line, offsets from the line's start; None when the line
    has no values or no label. A pure function of the line (the result is never mutated)."""
    words = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
    vals: list[tuple[str, int, int]] = []
    ocr: dict[int, str] = {}  # start offset -> printed text of a token read through OCR letters
    while words:
        w, s, e = words[-1]
        fixed = w if _is_valueish(w) else tu.ocr_number(w)
        if not fixed:
            break
        words.pop()
        if fixed != w:
            ocr[s] = w
        vals.insert(0, (fixed, s, e))
    if not words:  # values only (a lone amount): no label
        return None
    if len(words[-1][0]) > 1 and words[-1][0][-1] in "$¥€£":  # 'year$ 2,048'
        w, s, e = words[-1]
        words[-1] = (w[:-1], s, e - 1)
        vals.insert(0, (w[-1], e - 1, e))
    if words:
        w, s, e = words[-1]
        m = _GLUED.match(w)
        if m and not _VALUE.match(w) and not _DASH.match(w) and _LABEL_END.search(m.group("label")):
            cut = s + m.start("num")
            vals.insert(0, (m.group("num"), cut, e))
            words[-1] = (m.group("label"), s, cut)
    vals = _year_back_to_label(words, vals)
    if not words or not any(_ANY_DIGIT.search(v[0]) or _DASH.match(v[0]) for v in vals):
        return None
    label = " ".join(w[0] for w in words)
    if not _LETTER.search(label):
        return None
    return label, words[0][1], words[-1][2], tuple(vals), ocr


def _year_back_to_label(words: list, vals: list) -> list:
    """'Balance at December 31, 2023 1,234' — the year belongs to the label's date."""
    label = " ".join(w[0] for w in words)
    if vals and _YEAR_PIECE.fullmatch(vals[0][0]) and _MONTH_DAY_END.search(label):
        words.append(vals.pop(0))
    return vals


def _tokens(vals: list[tuple[str, int, int]]) -> list[Tok]:
    """Join '$' marks onto the next value and a lone ')' onto the previous one."""
    out: list[Tok] = []
    cur: str | None = None
    for text, s, e in vals:
        if text in ("$", "¥", "€", "£", "US$", "RMB"):
            cur = currency_of(text)
            continue
        if text == ")" and out:
            out[-1].text += ")"
            out[-1].end = e
            continue
        if text == "%" and out:
            out[-1].text += "%"
            out[-1].end = e
            continue
        mark = re.match(r"^\(?([$¥€£])", text)
        out.append(Tok(text=text, start=s, end=e, currency=cur or (currency_of(mark.group(1)) if mark else None)))
        cur = None
    return out


def join_split_lines(source: Source) -> dict[int, str]:
    """Lines that only close a negative (')') belong to the line above: {line: extra text}."""
    extra: dict[int, str] = {}
    for n in range(2, source.n_lines + 1):
        t = source.line_text(n).strip()
        if t == ")" and re.search(r"\(\s*[$¥]?\s*[\d,.]+\s*$", source.line_text(n - 1)):
            extra[n - 1] = ")"
    return extra


# ----------------------------------------------------------------------------- readings


def _bare(tok: str) -> tuple[str, str, str]:
    """'(1,204)' -> ('(', '1,204', ')'); '$848' -> ('$', '848', '')."""
    m = re.match(r"^(\(?[$¥€£]?\(?)(.*?)(\)?%?)$", tok)
    assert m is not None
    return m.group(1), m.group(2), m.group(3)


def readings(row: RowLine, separators: bool) -> list[list[Tok]]:
    """All readings of a row's values (one per way of splitting its glued runs)."""
    options: list[list[list[Tok]]] = []
    for t in row.tokens:
        pre, body, post = _bare(t.text)
        if _DASH.match(t.text) or not re.fullmatch(r"[\d,.]+", body or "x"):
            options.append([[t]])
            continue
        splits = split_run(body, separators)
        alts = [_pieces(t, pre, pieces, post) for pieces in splits or [[body]]]
        if t is row.tokens[0] and not pre and t.start > row.label_end:  # 'Level 3848', 'Stage 2 1,250'
            alts.extend(_label_digit(t, p) for p in splits if len(p) > 1 and len(p[0]) <= 2 and "," not in p[0])
            if re.fullmatch(r"\d{1,2}", t.text) and len(row.tokens) > 1:
                alts.append([Tok(t.text, t.start, t.end, to_label=True)])
        options.append(alts)
    combos: list[list[Tok]] = [[]]
    for alts in options:
        combos = [c + a for c in combos for a in alts][:256]
    return combos


def _label_digit(t: Tok, pieces: list[str]) -> list[Tok]:
    """A reading where the first piece of a split run ends the label ('Level 3' + '848')."""
    toks = _pieces(t, "", pieces, "")
    toks[0].to_label = True
    return toks


def values_of(reading: list[Tok]) -> list[Tok]:
    return [t for t in reading if not t.to_label]


def _pieces(t: Tok, pre: str, pieces: list[str], post: str) -> list[Tok]:
    """Toks for the pieces of one split run, with exact offsets; the sign wraps the run."""
    out, pos = [], t.start + len(pre)
    for k, p in enumerate(pieces):
        text = (pre if k == 0 else "") + p + (post if k == len(pieces) - 1 else "")
        if len(pieces) > 1 and pre.startswith("(") and post.startswith(")"):
            text = p  # '(1,204848)' cannot be one negative over two amounts; keep the digits
        s = pos - (len(pre) if k == 0 else 0)
        e = pos + len(p) + (len(post) if k == len(pieces) - 1 else 0)
        out.append(Tok(text=text, start=s, end=e, currency=t.currency if k == 0 else None))
        pos += len(p)
    return out


# ----------------------------------------------------------------------------- tables


@dataclass
class Block:
    header: list[int] = field(default_factory=list)  # header line numbers
    rows: list[RowLine] = field(default_factory=list)
    sections: dict[int, str] = field(default_factory=dict)  # row index -> section heading
    prose: str = ""
    title: str = ""


def header_years(text: str) -> list[str] | None:
    """'2024202320242023' or '2024 2023' -> ['2024', '2023', ...]; None if not only years."""
    compact = re.sub(r"\s+", "", text)
    if not compact or len(compact) % 4 or not compact.isdigit():
        return None
    pieces = [compact[i:i + 4] for i in range(0, len(compact), 4)]
    return pieces if all(_YEAR_PIECE.fullmatch(p) for p in pieces) else None


def _is_prose(text: str) -> bool:
    """A sentence (introducing a table, or commenting on one), not a header line (a long
    line of '  '-separated column headers is not prose)."""
    t = text.strip()
    n = len(t.split())
    if t.endswith((".", ":")):
        return n >= 3 and not (n <= 6 and tu.as_of_date(t))
    return n >= 14 and len(_split_parts(t)) < 2


def _header_like(row: RowLine) -> bool:
    """A line above a table whose 'values' are only bare years: a header line
    ('2023  Reclassification  provision  31, 2023'), not a row."""
    return all(re.fullmatch(r"(?:19|20)\d\d", t.text) for t in row.tokens)


def _is_section(text: str) -> bool:
    """A short heading inside a table: 'Current:', 'Loans held for investment:'."""
    t = text.strip()
    return t.endswith(":") and len(t.split()) <= 5 and not re.search(r"\d", t)


def _is_heading(text: str) -> bool:
    t = text.strip()
    if not t or len(t) > 120:
        return False
    head, _c, rest = tu.split_heading(t)
    if head and not rest:
        return True
    return bool(re.match(r"^(Note|NOTE)\s+\d+[.:—–-]?\s+[A-Z]", t)) and not t.endswith(".")


@dataclass
class _Scan:
    blocks: list[Block] = field(default_factory=list)
    cur: Block | None = None
    prose: list[tuple[int, str]] = field(default_factory=list)  # (line, text) since the last table
    loose: list[tuple[int, str]] = field(default_factory=list)  # short lines after the last row
    title: str = ""

    def close(self) -> None:
        """End the current table; short lines after its last row go back to the prose."""
        self.prose.extend(self.loose)
        self.loose, self.cur = [], None

    def start(self) -> Block:
        section = None
        if len(self.prose) > 1 and _is_section(self.prose[-1][1]) and not _is_prose(self.prose[-2][1]):
            section = self.prose.pop()[1].rstrip(":")  # 'Current:' under the header lines
        header: list[int] = []
        while self.prose and len(header) < 8 and not _is_prose(self.prose[-1][1]):
            header.insert(0, self.prose.pop()[0])
        title, prose = self.title, [t for _, t in self.prose]
        while len(prose) > 1 and not _is_prose(prose[0]):  # a short line above the caption
            title = title or prose[0]
            prose = prose[1:]
        self.cur = Block(header=header, prose=" ".join(prose), title=title)
        if section:
            self.cur.sections[0] = section
        self.blocks.append(self.cur)
        self.prose = []
        return self.cur


def find_blocks(source: Source) -> list[Block]:
    """Group lines into tables: header lines, then row lines (short lines between rows are
    section headings, or the first half of a wrapped label); prose, a heading or a new
    header line ends a table. Page headers and footers ('Page 12', a running company name)
    are skipped wherever they fall."""
    closers = join_split_lines(source)
    noise = tu.noise_lines(source.lines())
    st = _Scan()
    for n in range(1, source.n_lines + 1):
        text = source.line_text(n).strip()
        if not text or (n - 1 in closers and text == ")") or n in noise:
            continue
        row = read_row(source, n)
        if row is not None and (header_years(text) or (st.cur is None and _header_like(row))):
            row = None
        if row is not None:
            if n in closers and row.tokens:
                row.tokens[-1].text += ")"
            _join_wrapped(source, st, row)
            cur = st.cur or st.start()
            if st.loose:
                cur.sections[len(cur.rows)] = " ".join(t for _, t in st.loose).rstrip(":")
                st.loose = []
            cur.rows.append(row)
        elif _is_heading(text):
            st.close()
            st.prose, st.title = [], tu.split_heading(text)[0] or text
        elif st.cur is not None and not _is_prose(text) and not header_years(text) and len(st.loose) < 2:
            st.loose.append((n, text))
        else:
            st.close()
            st.prose.append((n, text))
    return st.blocks


def _period_or_scale(text: str) -> bool:
    """A header line that sets the period or scale ('As of', 'December 31, 2024',
    '(in thousands)'), never the first half of a label."""
    t = text.strip()
    return bool(re.match(r"(?i)(as\s+(of|at)|at|for\s+the)\b", t) or find_dates(t) or parse_scale(t)[0] != 1)


def _join_wrapped(source: Source, st: _Scan, row: RowLine) -> None:
    """Put the first half of a wrapped label (the text-only line just above, starting where
    the row's label starts, not over the value columns) back on the row."""
    pending = st.loose if st.cur is not None else st.prose
    if not pending or pending[-1][0] != row.line - 1 or not tu.continues_label(pending[-1][1], row.label):
        return
    if st.cur is None and (_is_prose(pending[-1][1]) or _period_or_scale(pending[-1][1])):
        return
    line = source.line_text(pending[-1][0])
    indent = len(line) - len(line.lstrip())
    if indent > row.label_start - source.line_starts[row.line - 1] + 2:  # sits over the values: a header
        return
    n, head = pending.pop()
    row.label = f"{head} {row.label}"
    row.label_start = source.line_starts[n - 1] + len(line) - len(line.lstrip())


# ----------------------------------------------------------------------------- columns


def column_count(rows: list[list[list[Tok]]], years: list[str] | None) -> int:
    """The table's column count: the header years when some row agrees, else the count
    the most rows can be read with (ties: the larger count)."""
    fits = Counter(n for r in rows for n in {len(values_of(x)) for x in r})
    if years and fits[len(years)]:
        return len(years)
    if not fits:
        return 0
    best = max(fits.values())
    return max(k for k, v in fits.items() if v == best)


def _stem(label: str) -> str:
    return re.sub(r"[\s\d]+$", "", label)


def prefer_family(row: RowLine, fit: list[list[Tok]], others: list[str]) -> list[list[Tok]]:
    """Among readings that fit, keep those whose label matches its siblings' pattern: when
    'Level 1' and 'Level 2' are labels, 'Level 3848' reads 'Level 3' + 848."""
    if len(fit) < 2:
        return fit
    stem = _stem(row.label)
    sibling = [o for o in others if _stem(o) == stem and o != stem]
    if not sibling:
        return fit
    widths = {len(o) - len(stem) for o in sibling}

    def width(r: list[Tok]) -> int:
        return len(row.label) + 1 + len(r[0].text) - len(stem) if r[0].to_label else -1

    kept = [r for r in fit if width(r) in widths]
    return kept or fit


def _split_parts(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\t+|\s{2,}", text.strip()) if p.strip()]


def build_headers(lines: list[str], n_cols: int) -> tuple[list[str], list[str]]:
    """Column headers from the header lines (years, per-column words, spanning phrases);
    also the lines that are not column headers (an 'As of ...' stub, scale notes).

    A line with one part per column anchors the others: a line whose parts start where
    the anchor's do (a header broken over two lines) adds each part to its column. A line
    of several parts that fits no rule is left out (``unmatched_header_lines`` names it)
    rather than glued onto every column, where its dates would give wrong periods."""
    cols = [""] * n_cols
    stubs: list[str] = []
    anchor = _anchor(lines, n_cols)
    for raw in lines:
        text = raw.strip()
        years = header_years(text)
        parts = _split_parts(text)
        placed = _by_start(raw, anchor) if anchor and len(parts) > 1 else None
        if years and len(years) == n_cols:
            cols = [f"{c} {y}".strip() for c, y in zip(cols, years)]
        elif len(parts) == n_cols and n_cols > 1:
            cols = [f"{c} {p}".strip() for c, p in zip(cols, parts)]
        elif placed is not None:
            cols = [f"{c} {p}".strip() for c, p in zip(cols, placed)]
        elif len(text.split()) == n_cols > 1 and not re.search(r"\d", text) and not tu.is_spanning_phrase(text):
            cols = [f"{c} {w}".strip() for c, w in zip(cols, text.split())]  # 'Gross Allowance Net'
        elif len(parts) > 1 and n_cols % len(parts) == 0:
            k = n_cols // len(parts)
            cols = [f"{c} {parts[j // k]}".strip() for j, c in enumerate(cols)]
        elif tu.as_of_date(text) is not None or parse_scale(text)[0] != 1:
            stubs.append(text)
        elif len(parts) == 1:
            cols = [f"{c} {text}".strip() for c in cols]
    return [" ".join(c.split()) for c in cols], stubs


def unmatched_header_lines(lines: list[str], n_cols: int) -> list[str]:
    """Header lines of several parts that no rule of build_headers places."""
    anchor = _anchor(lines, n_cols)
    out = []
    for raw in lines:
        text = raw.strip()
        parts = _split_parts(text)
        if len(parts) < 2 or len(parts) == n_cols or n_cols % len(parts) == 0 or header_years(text):
            continue
        if (anchor and _by_start(raw, anchor) is not None) or len(text.split()) == n_cols:
            continue
        if tu.as_of_date(text) is None and parse_scale(text)[0] == 1:
            out.append(text)
    return out


def _anchor(lines: list[str], n_cols: int) -> list[int] | None:
    """Start positions of the parts of the first header line with one part per column."""
    for raw in lines:
        if n_cols > 1 and len(_split_parts(raw)) == n_cols:
            return [m.start() for m in re.finditer(r"\S+(?: \S+)*", raw)]
    return None


def _by_start(line: str, anchor: list[int]) -> list[str] | None:
    """The parts of a header line placed under the anchor line's parts: each starts exactly
    where an anchor part starts and ends before the next one starts; else None."""
    out = [""] * len(anchor)
    for m in re.finditer(r"\S+(?: \S+)*", line):
        j = anchor.index(m.start()) if m.start() in anchor else -1
        if j < 0 or out[j] or (j + 1 < len(anchor) and m.end() >= anchor[j + 1]):
            return None  # not at a part's start, or running into the next part's place
        out[j] = m.group()
    return out


# ----------------------------------------------------------------------------- table


def _cell(source: Source, tok: Tok) -> Cell:
    cell = parse_cell(tok.text)
    cell.source = source.span(tok.start, tok.end)
    cell.currency = cell.currency or tok.currency
    return cell


def _place(source: Source, row: RowLine, reads: list[list[Tok]], n_cols: int, siblings: list[str],
           warnings: list[str]) -> tuple[list[Cell], list[Cell]]:
    """The row's cells (one per column) and the values it could not place."""
    fit = prefer_family(row, [r for r in reads if len(values_of(r)) == n_cols], siblings)
    distinct = {tuple((t.text, t.to_label) for t in r) for r in fit}
    if len(distinct) == 1:
        if fit[0][0].to_label:
            t = fit[0][0]
            row.label = row.label + (" " if t.start > row.label_end else "") + t.text
            row.label_end = t.end
        return [_cell(source, t) for t in values_of(fit[0])], []
    where = f"line {row.line} ({row.label!r})"
    for t in row.tokens:
        if parse_cell(t.text).kind == CellKind.text:
            warnings.append(f"{where}: {t.text!r} is not a well-formed amount (cut off?); left unplaced")
    if len(distinct) > 1:
        shown = "; ".join(" ".join(("label+" if lab else "") + x for x, lab in d) for d in sorted(distinct)[:3])
        warnings.append(f"{where}: the digits can be split into {n_cols} amounts in "
                        f"{len(distinct)} ways ({shown}); left unplaced — check the source")
    elif len(reads) == 1 and len(reads[0]) < n_cols:
        warnings.append(f"{where}: {len(reads[0])} value(s) for {n_cols} columns; "
                        "their columns cannot be told from the layout")
    else:
        warnings.append(f"{where}: no reading of the values gives {n_cols} columns; left unplaced")
    extra = []
    for t in row.tokens:
        c = _cell(source, t)
        c.status, c.candidates = Status.ambiguous, list(range(n_cols))
        extra.append(c)
    return [Cell(kind=CellKind.missing) for _ in range(n_cols)], extra


def _layout_grid(source: Source, block: Block, reads: list[list[list[Tok]]], separators: bool) -> rg.Grid | None:
    """The page grid of a table whose values are right-aligned at shared positions, or None
    (a row whose digits must be split — glued runs — is read by counting instead).

    Text whose thousands separators were dropped after layout ('20945' where the page had
    '20,945') has each later figure shifted left by the commas lost before it; when the
    positions as printed do not line up, the positions with those commas put back are tried."""
    plain = [_plain_reading(row, rd) for row, rd in zip(block.rows, reads)]
    if not reads or any(p is None for p in plain):
        return None
    heads = [source.line_text(n) for n in block.header]
    label_ends = [r.label_end - source.line_starts[r.line - 1] for r in block.rows]
    for restore in (False, True) if not separators else (False,):
        spans = []
        for row, rd in zip(block.rows, plain):
            base, lost = source.line_starts[row.line - 1], 0
            line = []
            for t in rd or []:
                lost += _lost_commas(t.text) if restore else 0
                line.append((t.start - base + lost, t.end - base + lost))
            spans.append(line)
        g = rg.grid(spans, label_ends, heads)
        if g is not None:
            return g
    return None


def _plain_reading(row: RowLine, reads: list[list[Tok]]) -> list[Tok] | None:
    """The reading that takes every token as printed (no split, nothing back to the label),
    when there is one; a short number one space after the label ('Level 3  848') may end
    the label, so a row with one has no plain reading."""
    texts = [t.text for t in row.tokens]
    for r in reads:
        if [t.text for t in r] == texts and not any(t.to_label for t in r):
            first = row.tokens[0]
            if len(reads) > 1 and first.start - row.label_end < 2:
                return None
            return r
    return None


def _gap_columns(source: Source, block: Block, reads: list[list[list[Tok]]], n_cols: int) -> list[list[int] | None]:
    """Per row short of values, their columns told by the widths of the gaps (cells joined by
    a fixed separator); None for full rows and rows the gaps do not settle."""
    plain = [_plain_reading(row, rd) for row, rd in zip(block.rows, reads)]
    if any(p is None for p in plain):
        return [None] * len(block.rows)
    rows = []
    for row, rd in zip(block.rows, plain):
        base = source.line_starts[row.line - 1]
        rows.append((row.label_end - base, [(t.start - base, t.end - base) for t in rd or []],
                     len(source.line_text(row.line))))
    cols = rg.gap_columns(rows, n_cols)
    return [c if c is not None and len(p or []) < n_cols else None for c, p in zip(cols, plain)]


def _lost_commas(text: str) -> int:
    whole = re.sub(r"[^\d.]", "", text).split(".")[0]
    return (len(whole) - 1) // 3 if len(whole) > 3 else 0


def _place_grid(source: Source, reading: list[Tok], cols: list[int], n_cols: int) -> list[Cell]:
    """The row's cells by the column each value sits under; an empty position stays missing."""
    cells = [Cell(kind=CellKind.missing) for _ in range(n_cols)]
    for t, j in zip(values_of(reading), cols):
        cells[j] = _cell(source, t)
    return cells


def header_count(texts: list[str]) -> int:
    """The most '  '-separated parts a header line has (a corner 'As of ...' stub and
    spanning phrases aside), for a table whose every row lost the same cell."""
    best = 0
    for text in texts:
        parts = _split_parts(text)
        parts = [p for k, p in enumerate(parts) if k or not re.match(r"(?i)(as\s+(of|at)|at)\b", p)]
        if len(parts) > 1 and not header_years(text) and not any(tu.is_spanning_phrase(p) for p in parts):
            best = max(best, len(parts))
    return best


def _columns(source: Source, block: Block, reads: list[list[list[Tok]]], g: rg.Grid | None,
             texts: list[str]) -> tuple[list[Column], list[str], str]:
    """The columns (headers, periods, roles), the stub lines and the caption."""
    if g is not None:
        lines = [source.line_text(n) for n in block.header]

        def build(order: list[str]) -> tuple[list[str], list[str]]:
            rg.assign_headers(g, order)
            return rg.header_texts(g), list(g.stubs)
    else:
        lines = [source.line_text(n) for n in block.header]
        years = next((y for y in map(header_years, texts) if y), None)
        n_cols = column_count(reads, years)
        if header_count(texts) > n_cols and any(len(values_of(r[0])) < header_count(texts) for r in reads):
            n_cols = header_count(texts)

        def build(order: list[str]) -> tuple[list[str], list[str]]:
            return build_headers(order, n_cols)
    headers, stubs = best_order(lines, build)
    caption = tu.caption_of(block.prose)
    stub = next((s for s in stubs if tu.as_of_date(s)), "")
    ctx = tu.PeriodContext(as_of=tu.as_of_date(stub) if stub else None, as_of_text=stub,
                           caption=caption or block.prose)
    periods = tu.column_periods(headers, ctx)
    roles = tu.column_roles(headers)
    columns = [Column(index=j, header=h, period=periods[j], role=roles[j]) for j, h in enumerate(headers)]
    return columns, stubs, caption


def best_order(lines: list[str], build: Callable[[list[str]], tuple[list[str], list[str]]]
               ) -> tuple[list[str], list[str]]:
    """Headers (and stubs) from the header lines in the order that dates the most columns:
    lines copied out of order ('31, 2005' above 'December') are put back in an order
    under which each column's header reads as a date (or a duration). The printed order
    wins ties, and so does it when orders that score alike date the columns differently."""
    printed = build(lines)
    if not 2 <= len(lines) <= 7 or not any(_YEAR_PIECE.search(x) for x in lines) \
            or _dated(printed[0]) == 2 * len(printed[0]):
        return printed  # nothing to date, or every column dated (and a duration) already
    best, score, dates = printed, _dated(printed[0]), {_dates_of(printed[0])}
    for order in itertools.islice(itertools.permutations(lines), 1, 5040):
        got = build(list(order))
        s = _dated(got[0])
        if s > score:
            best, score, dates = got, s, {_dates_of(got[0])}
        elif s == score and score > _dated(printed[0]):
            dates.add(_dates_of(got[0]))
    return best if len(dates) == 1 else printed


def _dates_of(headers: list[str]) -> tuple:
    return tuple(tuple(find_dates(h)) for h in headers)


def _dated(headers: list[str]) -> int:
    """Columns whose header names a date, plus those whose header reads as a duration."""
    return sum(bool(find_dates(h)) + (duration_months(h) is not None) for h in headers)


def _ocr_warnings(block: Block) -> list[str]:
    return [f"line {r.line} ({r.label!r}): read {t.ocr!r} as {t.text!r} (OCR letters inside a number)"
            for r in block.rows for t in r.tokens if t.ocr]


def build_table(source: Source, block: Block, separators: bool) -> Table:
    warnings: list[str] = _ocr_warnings(block)
    reads = [readings(r, separators) for r in block.rows]
    texts = [source.line_text(n).strip() for n in block.header]
    g = _layout_grid(source, block, reads, separators)
    columns, _stubs, caption = _columns(source, block, reads, g, texts)
    n_cols = len(columns)
    rows = []
    sure = [_label_if_unique(r, rd, n_cols) for r, rd in zip(block.rows, reads)]
    gapped = _gap_columns(source, block, reads, n_cols) if g is None else []
    if g is None:
        warnings += [f"header line {x!r} matches none of the {n_cols} columns; left out of the headers"
                     for x in unmatched_header_lines([source.line_text(n) for n in block.header], n_cols)]
    for i, (row, rd) in enumerate(zip(block.rows, reads)):
        if g is not None:
            cells, extra = _place_grid(source, _plain_reading(row, rd) or [], g.cols[i], n_cols), []
        elif gapped[i] is not None:
            cells, extra = _place_grid(source, _plain_reading(row, rd) or [], gapped[i], n_cols), []
        else:
            cells, extra = _place(source, row, rd, n_cols, [x for x in sure if x], warnings)
        label, notes = split_label_notes(row.label)
        section = next((block.sections[k] for k in sorted(block.sections, reverse=True) if k <= i), None)
        rows.append(Row(index=i, label=label, notes=notes, cells=cells, extra=extra, section=section,
                        is_total=tu.is_total_label(label), role=tu.role_of(label),
                        source=source.span(row.label_start, max([row.label_end] + [t.end for t in row.tokens]))))
    return _table(source, block, columns, rows, texts, caption, warnings)


def _table(source: Source, block: Block, columns: list[Column], rows: list[Row], texts: list[str],
           caption: str, warnings: list[str]) -> Table:
    headers = [c.header for c in columns]
    periods = [c.period for c in columns]
    roles = [c.role for c in columns]
    scale, scale_text = parse_scale(" ".join([block.prose] + texts))
    marks = {c.currency for r in rows for c in r.cells if c.currency}
    first, last = (block.header or [block.rows[0].line])[0], block.rows[-1].line
    t = Table(doc=source.doc, table_id="", title=block.title, caption=caption, layout=LAYOUT,
              kind=tu.table_kind(headers, periods, [r.label for r in rows]), scale=scale, scale_text=scale_text,
              currency=tu.stated_currency(block.prose + " " + " ".join(texts))
              or (marks.pop() if len(marks) == 1 else None),
              columns=columns, rows=rows, warnings=warnings, source=source.line_span(first, last))
    if t.kind == "movement" and "opening" not in roles:
        t.orientation = "rows"
    elif t.kind == "movement":
        t.orientation = "columns"
    if any(r.extra for r in rows):
        t.status = Status.ambiguous
    return t


def _label_if_unique(row: RowLine, reads: list[list[Tok]], n_cols: int) -> str | None:
    """The row's label when only one reading fits the column count (a sibling pattern)."""
    fit = {tuple((t.text, t.to_label) for t in r) for r in reads if len(values_of(r)) == n_cols}
    if len(fit) != 1:
        return None
    first = next(iter(fit))[0]
    return f"{row.label} {first[0]}" if first[1] else row.label


def _uses_separators(blocks: list[Block]) -> bool:
    return any(re.search(r"\d,\d{3}", t.text) for b in blocks for r in b.rows for t in r.tokens)


def parse(source: Source) -> list[Table]:
    blocks = find_blocks(source)
    seps = _uses_separators(blocks)
    return [build_table(source, b, seps) for b in blocks]


# ----------------------------------------------------------------------------- detector


_GROUPED_OR_NEGATIVE = re.compile(r"\d,\d{3}|\(\d")


def score(source: Source) -> float:
    """Share of the lines with digits that read as 'label then values', in runs of two or
    more; lines of `|`-separated cells (pipes, XBRL dumps) do not count."""
    numeric = rows = run = 0
    for n, text in enumerate(source.lines(), 1):
        if not _ANY_DIGIT.search(text):
            continue
        numeric += 1
        if "|" in text or _line_parts(text) is None or find_dates(text.strip()) and \
                not _GROUPED_OR_NEGATIVE.search(text):
            run = 0
            continue
        run += 1
        rows += 1 if run > 1 else 0
        if run == 2:
            rows += 1
    return round(rows / numeric, 3) if numeric else 0.0
