"""Question → QueryPlan: deterministic, offline reading of what is asked.

Operation from question words ("percentage change", "share of", "why did ... change"),
periods from years, dates and "six/nine months", the concept from the shared lexicon
(write-offs, charge-offs, amounts written off → writeoff), filters (related parties or
not), and the remaining content words as the subject. No LLM is needed or used here.
"""

from __future__ import annotations

import re

from extractor.periods import find_dates, years_in

from .concepts import OP_WORDS, years_of, concept_of, concept_words, expand, stem, tokens
from .models import QueryPlan

_MONTHS_RX = re.compile(r"\b(three|six|nine|twelve|3|6|9|12)[\s-]+months?\b", re.IGNORECASE)
_MONTH_N = {"three": 3, "six": 6, "nine": 9, "twelve": 12}

# (operation, pattern) in priority order
_OPS: list[tuple[str, str]] = [
    ("periods", r"^(?:in |for )?(?:which|what) (?:years|periods|(?:fiscal|financial) years'?|dates)(?:\b|$|\s)(?!.*\b(?:more|less|greater|"
                r"higher|lower|exceed|above|below|larger|smaller|than)\b)"
                r"|\bwhat (?:are the |were the )?(?:years|periods)\b"),
    ("items", r"\b(?:what|which) (?:are the |were the )?(?:financial )?(?:items|components|types|categories|"
              r"elements|line items)\b|\bwhat (?:does|did) .* consist of\b"),
    ("rollforward", r"\bwhy\b|\bwhat (?:drove|explains|caused)\b|\broll[\s-]*forward\b|\bexplain\b|\breconcil"),
    ("growth_rate", r"\bcagr\b|\bcompound(?:ed)? annual\b|\bannual(?:ised|ized)? growth rate\b"),
    ("pct_change", r"(?:percent(?:age)?|%)\s+(?:change|increase|decrease|growth|decline|drop|rise)"
                   r"|\bgrowth rate\b|\bby (?:what|how much) (?:percent|%)|\bhow many percent"
                   r"|\bpercentage (?:of )?(?:change|increase|decrease)"),
    ("pct_change", r"\bchange\s*\(%\)|\(%\)\s*change|\bpercentage\b.*\b(?:change|increase|decrease|difference)\b"),
    ("share", r"\bwhat (?:share|proportion|percentage|percent|fraction|portion)\b|\bshare of\b"
              r"|\bpercentage (?:constitution|composition)\b|\bproportion,? (?:\(?in percentage\)?,? )?of\b"
              r"|\bas a (?:percentage|percent|share|proportion) of\b|\bpercentage of\b|\bproportion of\b"
              r"|\bpercent of\b|\b% of\b"),
    ("ratio", r"\bratio\b"),
    ("average", r"\baverage\b|\bmean\b"),
    ("compare", r"\b(?:which|what) (?:fiscal )?(?:years?|periods?|fy|quarters?)\b.*\b(?:less|lower|smaller|fewer|below|"
                r"under|more|greater|higher|larger|above|exceed\w*)\b"
                r"|\b(?:which|what)\b.*\b(?:largest|highest|most|biggest|greatest|smallest|lowest|least|"
                r"larger|higher|smaller|lower|more|less)\b"
                r"|\bin which (?:year|period)\b.*\b(?:largest|highest|most|smallest|lowest|least|larger|higher|"
                r"smaller|lower|greater|more|less)\b"),
    ("difference", r"\bchange[ds]?\b|\bdifferen|\bincrease[ds]?\b|\bdecrease[ds]?\b|\bgrow(?:th|n)?\b|\bgrew\b"
                   r"|\bdeclin|\brise\b|\brose\b|\bfell\b|\bdrop(?:ped)?\b|\bvariance\b|\bmovement in\b"),
    ("sum", r"\bsum\b|\bcombined\b|\bin total\b|\btotal of\b|\baltogether\b|\badd(?:ed)? up\b"),
    ("breakdown", r"\bbreak(?:down| down)\b|\bbroken down\b|\bby (?:service line|segment|product|type|member|"
                  r"category|line)\b|\bcomponents?\b|\bsplit\b"),
    ("count", r"\bhow many (?:of the )?(?:years|periods|quarters|types|categories|components|items|kinds|"
              r"classes|segments|lines|members|service lines)\b"),
]
_OPS_RX = [(op, re.compile(p, re.IGNORECASE)) for op, p in _OPS]

_MAX_RX = re.compile(r"\b(largest|highest|most|biggest|greatest|larger|higher|more|greater|maximum)\b", re.I)
_MIN_RX = re.compile(r"\b(smallest|lowest|least|smaller|lower|less|fewest|minimum)\b", re.I)
_BREAKDOWN_RX = re.compile(r"\bby (?:service line|segment|product|type|member|category|line|service)\b"
                           r"|\bbreak(?:down| down)\b|\bbroken down\b|\beach (?:service|segment|line)\b", re.I)
_NOT_RP_RX = re.compile(r"\b(?:excluding|excl\.?|not including|other than|third[\s-]party|non[\s-]related)\b"
                        r"|\bconsolidated\b", re.I)
_RANGE_RX = re.compile(r"\b(?:from|between)\s+(?:fiscal\s+)?(?:years?\s+)?(?:19|20)\d\d\s+(?:to|through|until|-)\s+(?:fiscal\s+)?(?:19|20)\d\d"
                       r"|\b(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d", re.I)
_RP_RX = re.compile(r"related[\s-]+part(?:y|ies)", re.I)

_FILLER = set("""current prior previous last latest recent report reported disclose disclosed note notes
table show shown record recorded recognized recognised generated group company companys registrant
how much many what which did does was were is are unaudited audited calendar fiscal quarter quarters
line lines member members respectively from over compared end start as portfolio portfolios
segment segments category categories type types kind kinds class classes constitution composition
expressed represented representing based proportion percentage financial item items listed list
component components consist consists consisting considered calculating calculation making make
respective information highlighted presented provided displayed""".split())


_LEAD_DIFF_RX = re.compile(r"^(?:what|how much) (?:is|was|were|did) the (?:nominal |net )?(?:change|increase|decrease|"
                           r"difference|increase\s*/\s*\(?decrease\)?)\b(?!.*(?:percentage (?:change|increase|decrease|"
                           r"difference)|% change|\(%\)))", re.I)


def operation_of(q: str) -> str:
    if re.search(r"^(?:from .*?, |in \d{4}, )?how many (?:of the )?(?:years|periods|quarters|types|categories|"
                 r"components|items|kinds|classes|segments|lines)\b", q, re.I):
        return "count"
    if re.search(r"^(?:in |during )?(?:which|what) (?:fiscal |financial )?(?:year|period|quarter)s?\b.*\b(?:larger|largest|"
                 r"higher|highest|greater|greatest|more|most|smaller|smallest|lower|lowest|less|least|bigger|biggest)\b",
                 q, re.I) and not re.search(r"\bthan\b", q, re.I):
        return "compare"  # "in which year was the X ratio larger": the year is the answer, not a ratio
    if re.search(r"\brespective(?:ly)?\b", q, re.I) and re.search(r"\b(?:values?|amounts?|figures?)\b", q, re.I) \
            and not re.search(r"\b(?:largest|highest|most|biggest|greatest|smallest|lowest|least|change|"
                              r"difference|increase|decrease|average|ratio|percentage)\b", q, re.I):
        return "value"  # "the respective values of X that are less than one year and 2-5 years"
    if re.search(r"\babsolute (?:percentage )?(?:change|difference)\b|\bpercentage points?\b"
                 r"|\bhow many percent(?:age points)? did\b", q, re.I):
        return "difference"  # a change of a rate, in points
    if re.search(r"^what (?:is|was|were) the average\b", q, re.I) and not re.search(r"\baverage .* and (?:the )?average\b", q, re.I):
        return "average"
    if _LEAD_DIFF_RX.search(q) and not re.search(r"\bbetween (?:the )?average\b|\baverage .* and average\b", q, re.I):
        return "difference"
    for op, rx in _OPS_RX:
        if rx.search(q):
            return op
    return "value"


def _months(q: str) -> int | None:
    m = _MONTHS_RX.search(q)
    if not m:
        return None
    w = m.group(1).lower()
    return _MONTH_N.get(w) or int(w)


def _dates(q: str) -> list[str]:
    """ISO dates named; "October 31, 2019 and 2018" names the same day of both years."""
    # "June 30 and December 31, 2019": the first day takes the year of the second
    q = re.sub(r"\b((?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2})(\s+(?:and|to|&)\s+"
               r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s*((?:19|20)\d\d))",
               r"\1, \3\2", q, flags=re.I)
    out = [d.isoformat() for d in find_dates(q)]
    for m in re.finditer(r"\b(?:19|20)\d\d((?:\s*(?:,|and|&)\s*(?:19|20)\d\d)+)", q):
        base = next((d for d in find_dates(q[:m.end()]) if str(d.year) in q[m.start():m.start() + 4]), None)
        if base is None:
            continue
        for y in re.findall(r"(?:19|20)\d\d", m.group(1)):
            try:
                iso = base.replace(year=int(y)).isoformat()
            except ValueError:
                continue
            if iso not in out:
                out.append(iso)
    return out


def _related(q: str) -> bool | None:
    if _NOT_RP_RX.search(q):
        return False
    if _RP_RX.search(q):
        return True
    return None


def subject_tokens(q: str) -> list[str]:
    """Content words naming the line item: not concept, operation, period or filler words."""
    drop = concept_words(q) | {stem(w) for w in OP_WORDS} | {stem(w) for w in _FILLER}
    drop -= {"account"} if re.search(r"\baccounts?\b", q, re.I) else set()
    drop |= {"consolidated", "excluding", "third"}
    if _RP_RX.search(q):
        drop |= {"related", "party", "parties"}
    q2 = re.sub(r"\b(?:in|as of|at|for|during)\s+(?:the\s+)?(?:year|period|fiscal year)\b", " ", q, flags=re.I)
    return sorted(expand({t for t in tokens(q2) if t not in drop}))


def split_subjects(q: str) -> list[str]:
    """Two named line items: 'between A and B', 'ratio of A to B', 'A as a percentage of B'."""
    m = re.search(r"\b(?:percentage|proportion|share|portion|fraction|percent) of (?:the )?(?:total )?(.+?) "
                  r"(?:is|are|was|were|does|did) (?:made up of|generated from|generated by|from|attributable to|"
                  r"comprised of|accounted for by|represented by|related to|due to|contributed by)?\s*(?:the )?(.+?)"
                  r"(?:\s+(?:form a part of|make up|in|for|as of|at)\b|\?|$)", q, re.IGNORECASE)
    if m and subject_tokens(m.group(1)) and subject_tokens(m.group(2)):
        return [m.group(2), m.group(1)]  # part, whole
    pats = [r"\bbetween (?:the )?(.+?) and (?:the )?(.+?)(?:\s+(?:in|for|as of|at|during|from)\b|\?|$)",
            r"\bratio of (?:the )?(.+?) (?:to|over|and|against) (?:the )?(.+?)(?:\s+(?:in|for|as of|at|during)\b|\?|$)",
            r"\b(?:percentage|proportion|share|portion|fraction|percent)(?: constitution| composition)? of (?:the )?(.+?) "
            r"(?:over|to|in|of|from|against|relative to|among|within) (?:the )?(?:total )?(.+?)(?:\s+(?:in|for|as of|at|during)\b|\?|$)",
            r"\b(?:what (?:is|was|are|were) )?(?:the )?([^,?]+?) (?:expressed )?as a (?:percentage|percent|share|proportion) of "
            r"(?:the )?(.+?)(?:\s+(?:in|for|as of|at)\b|\?|$)"]
    for p in pats:
        m = re.search(p, q, re.IGNORECASE)
        if m:
            a, b = m.group(1), m.group(2)
            if any(re.fullmatch(r"\s*(?:19|20)\d\d\s*", x) or find_dates(x) or not subject_tokens(x) for x in (a, b)):
                return []
            return [a, b]
    return []


def _item_words(text: str) -> list[str]:
    """A named line item's words; a bare concept word ('sales') names the item itself."""
    return subject_tokens(text) or sorted(expand(tokens(text)) & concept_words(text))


_ORD = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "last": -1,
        "final": -1}
def ordinals(q: str) -> list[int]:
    """'the first month', 'between the first to second month period' → [1] / [1, 2]."""
    m = re.search(r"\b((?:first|1st|second|2nd|third|3rd|fourth|4th|last|final)"
                  r"(?:\s+(?:to|and|-)\s+(?:the\s+)?(?:first|second|third|fourth|last|final))*)"
                  r"\s+(?:\w+\s+)?(?:month|quarter|period|half|week)s?\b", q, re.I)
    if not m:
        return []
    return [_ORD[w.lower()] for w in re.findall(r"first|1st|second|2nd|third|3rd|fourth|4th|last|final", m.group(1), re.I)]


def plan_question(question: str, *, doc: str | None = None) -> QueryPlan:
    """Read a question into a QueryPlan (deterministic)."""
    q = " ".join(question.split())
    op = operation_of(q)
    years = years_of(q)
    dates = _dates(q)
    plan = QueryPlan(question=q, operation=op, doc=doc, years=years, dates=dates, months=_months(q))
    plan.concept = concept_of(q)
    plan.subject = subject_tokens(q)
    plan.ordinals = ordinals(q)
    plan.related_party = _related(q)
    plan.instant = bool(re.search(r"\b(?:as of|as at|at the end of|at)\b\s+(?:\w+\.?\s+\d|\d|the end)", q, re.I))
    plan.breakdown = bool(_BREAKDOWN_RX.search(q)) or op == "breakdown"
    plan.wants_total = bool(re.search(r"\btotal\b", q, re.I))
    if op in ("compare",):
        plan.extreme = "max" if _MAX_RX.search(q) else ("min" if _MIN_RX.search(q) else None)
    if op in ("share", "pct_change", "growth_rate") or re.search(r"\bin percent|\bas a percent", q, re.I):
        plan.percent_out = True
    if op in ("difference", "ratio", "share", "sum"):
        subs = split_subjects(q)
        if len(subs) == 2:
            plan.subjects = [subject_tokens(s) for s in subs]
            plan.subject_concepts = [concept_of(s) for s in subs]
            plan.subject_years = [(years_in(s) or [None])[-1] for s in subs]
            plan.notes.append(f"two line items: {subs[0]!r} and {subs[1]!r}")
    if re.search(r"\b(?:ratio|proportion)\b", q, re.I) and not re.search(r"percent", q, re.I):
        plan.percent_out = False
    if op == "value" and len(years) >= 2 and re.search(r"\btotal\b|\bsum\b|\baltogether\b", q, re.I):
        op = plan.operation = "sum"  # "total X in 2018 and 2019": add the periods up
    if op == "value" and re.search(r"\brespective(?:ly)?\b", q, re.I):
        pair = re.search(r"\b(?:of|for|in|were|was|are|is) (?:the )?([A-Za-z][\w &,'’-]*?) and (?:the )?([A-Za-z][\w &'’-]*?)"
                         r"(?: segments?| divisions?| lines?)?(?:\s+(?:on|in|as of|at|for|during)\b|,|\?|\s+respectively)",
                         q, re.I)
        if pair and not years_of(pair.group(1)) and _item_words(pair.group(1)) and _item_words(pair.group(2)):
            plan.subjects = [_item_words(pair.group(1)), _item_words(pair.group(2))]
            plan.notes.append(f"two line items, respectively: {pair.group(1)!r}, {pair.group(2)!r}")
        rng = re.search(r"((?:19|20)\d\d)\s+(?:to|through|-)\s+((?:19|20)\d\d)", q)
        if rng:
            a, b = int(rng.group(1)), int(rng.group(2))
            plan.years = list(range(a, b - 1, -1)) if a > b else list(range(a, b + 1))
    if op in ("average", "sum", "growth_rate") and len(years) == 2 and _RANGE_RX.search(q):
        plan.years = list(range(min(years), max(years) + 1))
        plan.notes.append(f"years {years[0]}-{years[1]} read as a range")
    plan.notes.append(f"operation {op} from the question words")
    return plan
