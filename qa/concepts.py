"""Words → concepts and tokens: the shared lexicon of the planner and the matcher.

A concept is what a column or row measures (opening, provision, writeoff, ending,
gross, allowance, net, revenue ...). The same patterns read a question, a column
header and a row label, so "charge-offs" in a question meets "Write off in the
current year" in a header.
"""

from __future__ import annotations

import re

# order matters: the first pattern that matches a text decides its concept
CONCEPT_PATTERNS: list[tuple[str, str]] = [
    ("net", r"\bnet of (?:the |an? )?(?:allowances?|reserves?)"),
    ("gross", r"\b(?:before|gross of) (?:the |an? )?(?:allowances?|reserves?)"),
    ("writeoff", r"write[\s-]*offs?|written[\s-]*off|writing[\s-]*off|charge[\s-]*offs?|charged[\s-]*off"
                 r"|write[\s-]*downs?"),
    ("recovery", r"recover(?:y|ies|ed)"),
    ("reclassification", r"reclassifi"),
    ("opening", r"opening|beginning(?: of (?:the )?(?:year|period))?(?: balance)?|balance at (?:the )?beginning"),
    ("ending", r"ending(?:\s+balance)|\bending\b(?!\s+(?:on\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|\d))"
               r"|closing|balance at (?:the )?end|end of (?:the )?(?:year|period) balance"),
    ("provision", r"provisions?\b|provided for|credit loss(?:es)? expense|bad debt expense|impairment (?:loss|charge)"
                  r"|expected credit loss(?:es)?\b(?! allowance)"),
    ("allowance", r"allowances?\b|reserves?\b(?! for)"),
    ("net", r",\s*net\b|\bnet(?= (?:contract assets?|accounts? receivables?|receivables?|amount|carrying|"
            r"trade receivables?|loans?))"),
    ("revenue", r"revenues?\b|\bsales\b"),
    ("gross", r"\bgross\b"),
]
_COMPILED = [(c, re.compile(p, re.IGNORECASE)) for c, p in CONCEPT_PATTERNS]

STOP = set("""a an the of in on at for to from by with and or as is are was were be been being did do does
what which who whom how why when where much many there their its it this that these those than then
between during over under per each all any both total totals amount amounts value values figure figures
year years period periods ended ending_ as_of change changed changes difference differ increase increased
decrease decreased grow grew growth rate percentage percent share proportion ratio average mean sum
respectively compared compare vs versus against show give tell me list report reported group company
companys s please about across also into out up down fy""".split())

# question words that belong to the operation, not the line item
OP_WORDS = set("""change changed changes difference differ increase increased increases decrease decreased
decreases grow grew growth rate percentage percent share proportion ratio average mean sum combined
largest highest smallest lowest most least maximum minimum rollforward roll forward movement movements
explain drove driven drive breakdown break broken why compare comparison respectively both annual
compound cagr yoy year-over-year larger higher greater smaller lower bigger less more expensive cheaper
cheapest negative positive exceed exceeded exceeds""".split())

# common verbs and words of questions that never name a line item
STOP |= set("""had has have having came come comes coming same make made makes account_ go went get got
recorded record reports note dollar dollars us usd rmb cny yuan renminbi currency value valued worth
approximately approx around roughly exactly respective relative whose whom within without including
included includes under above below like also just only still yet more less most least than then
versus vs compare compared comparing comparison contribute contributed contribution attributable
attributed due come from to thousand thousands million millions billion billions""".split())

MONTH_WORDS = set("""january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec six nine three twelve months month""".split())

_IRREGULAR = {"services": "service", "liabilities": "liability", "assets": "asset", "receivables": "receivable",
              "parties": "party", "facilities": "facility", "activities": "activity", "losses": "loss",
              "expenses": "expense", "revenues": "revenue", "sales": "sales", "taxes": "tax",
              "businesses": "business", "incomes": "income", "fees": "fee", "obligations": "obligation",
              "originations": "origination", "lines": "line"}


def stem(word: str) -> str:
    """A light, predictable stemmer: plurals only (services → service, assets → asset)."""
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def words(text: str) -> list[str]:
    """Lower-case word tokens (letters/digits), hyphens split: 'write-offs' → ['write', 'offs']."""
    return re.findall(r"[a-z0-9]+(?:\.[0-9]+)?", text.lower().replace("’", "'").replace("'s", ""))


def tokens(text: str) -> set[str]:
    """Stemmed content tokens without stop words, years or bare numbers."""
    out = set()
    for w in words(text):
        if w in STOP or w in MONTH_WORDS or re.fullmatch(r"[\d.]+|fy?\d{2}|fy\d{4}|q[1-4]", w):
            continue
        out.add(stem(w))
    return out


# words that imply another: "receivables" are "accounts receivable"
_IMPLIES = {"receivable": {"account"}}
GENERIC = {"current", "movement", "balance", "uncollectible", "period", "opening", "ending", "closing",
           "beginning", "member", "line", "item", "abstract", "axis", "domain"}


def expand(toks: set[str]) -> set[str]:
    out = set(toks)
    for t in toks:
        out |= _IMPLIES.get(t, set())
    return out


def concept_of(text: str) -> str | None:
    """The first concept whose pattern occurs in text, or None."""
    for concept, rx in _COMPILED:
        if rx.search(text):
            return concept
    return None


def concepts_in(text: str) -> list[str]:
    """Every concept text names, each phrase read once, in pattern order: "net of allowance"
    is net (the words are used up), not also allowance."""
    found = []
    for concept, rx in _COMPILED:
        text, n = rx.subn(" ", text)
        if n:
            found.append(concept)
    return found


def concept_words(text: str) -> set[str]:
    """The tokens inside the concept phrases of text (so they are not also read as subject)."""
    out: set[str] = set()
    for _, rx in _COMPILED:
        for m in rx.finditer(text):
            out |= tokens(m.group(0))
    return out


def header_concept(header: str, role: str | None = None) -> str | None:
    """A column header's (or row label's) concept; an extractor-assigned role wins."""
    if role and role not in ("value", "component", "total"):
        return role
    c = concept_of(header)
    if c is None and re.search(r"receivable|asset|loan|principal", header, re.IGNORECASE):
        return "gross"
    return c


RELATED_RX = re.compile(r"related[\s-]+part(?:y|ies)", re.IGNORECASE)


def is_related_party(text: str) -> bool:
    return bool(RELATED_RX.search(text))


_FY_RX = re.compile(r"\b(?:FY|F)\s?'?(\d{2})\b(?!\d)", re.IGNORECASE)


def years_of(text: str) -> list[int]:
    """Four-digit years and fiscal short forms ('FY19', 'F18', "FY '20"), in order, unique."""
    from extractor.periods import years_in

    text = re.sub(r"(?<!\d)(?:19|20)\d\d\s*/\s*((?:19|20)\d\d)(?!\d)", r"\1", text)  # fiscal 2018/2019 -> 2019
    text = re.sub(r"\b([12]) ([09]) (\d) (\d)\b", r"\1\2\3\4", text)  # letter-spaced "2 0 1 8"
    found = [(m.start(), int(m.group(1))) for m in re.finditer(r"(?<!\d)((?:19|20)\d\d)(?!\d)", text)]
    found += [(m.start(), 2000 + int(m.group(1))) for m in _FY_RX.finditer(text)]
    out: list[int] = []
    for _, y in sorted(found):
        if y not in out:
            out.append(y)
    return out if found else years_in(text)
