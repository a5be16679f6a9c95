"""The QA vocabulary: a question's plan, the figures it cites, the computations and ticks.

Tables, facts and citations come from ``extractor.models``; these models add what a
question and its answer need. Numbers are ``Decimal``; every figure carries a citation.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field

from extractor.models import Citation, Status

Operation = Literal[
    "value",  # one figure (or one per matched table / member)
    "difference",  # A - B (change over periods, or between two subjects)
    "pct_change",  # (A - B) / B, in percent
    "sum",  # A + B + ...
    "share",  # part / whole, in percent
    "ratio",  # A / B, as a plain ratio
    "average",  # mean of the figures
    "growth_rate",  # compound annual growth between the first and last period
    "rollforward",  # opening + movements = ending: "why did X change"
    "compare",  # which member / period is the largest or smallest
    "breakdown",  # the components of a total
    "count",  # how many rows / periods
    "periods",  # which years / periods the table reports
    "items",  # which line items the table (or a section of it) lists
]


class QueryPlan(BaseModel):
    """What a question asks for, in machine-readable form. Deterministic by default."""

    question: str
    operation: Operation = "value"
    concept: str | None = Field(default=None, description="normalised concept: writeoff, provision, ...")
    subject: list[str] = Field(default_factory=list, description="content words naming the line item")
    subjects: list[list[str]] = Field(
        default_factory=list, description="two or more subjects compared ('A and B', 'A to B')"
    )
    subject_concepts: list[str | None] = Field(default_factory=list, description="concept of each subject")
    subject_years: list[int | None] = Field(default_factory=list, description="a year named in a subject")
    years: list[int] = Field(default_factory=list, description="years named, in question order")
    dates: list[str] = Field(default_factory=list, description="ISO dates named ('as of ...')")
    months: int | None = Field(default=None, description="6 for 'six months', 9 for 'nine months'")
    instant: bool = Field(default=False, description="'as of' / 'at' a date: a balance")
    related_party: bool | None = Field(
        default=None, description="True: only related-party tables; False: only consolidated"
    )
    extreme: Literal["max", "min"] | None = None
    wants_total: bool = Field(default=False, description="the question says 'total'")
    breakdown: bool = Field(default=False, description="show the components (e.g. by service line)")
    percent_out: bool = Field(default=False, description="the answer is a percentage")
    ordinals: list[int] = Field(default_factory=list, description="'first month' → 1, 'last quarter' → -1")
    doc: str | None = None
    notes: list[str] = Field(default_factory=list, description="how the plan was read")


class Figure(BaseModel):
    """One cited number the answer uses, exactly as reported (sign applied)."""

    n: int = Field(description="citation number shown as [n]")
    value: Decimal
    raw: str = ""
    label: str = Field(description="row label (with members / section when they matter)")
    measure: str = Field(default="", description="column header")
    concept: str | None = None
    period: str | None = Field(default=None, description="Period.key")
    doc: str
    table_id: str
    row: int
    column: int
    scale: int = 1
    currency: str | None = None
    group: str = Field(default="", description="'consolidated', 'related parties', a member ...")
    table_status: Status = Status.ok
    citation: Citation


class Computation(BaseModel):
    op: str
    expression: str = Field(description="the arithmetic written out with the cited figures")
    result: Decimal
    inputs: list[int] = Field(default_factory=list, description="figure numbers used")
    group: str = ""


class CheckResult(BaseModel):
    """A tick mark: an identity of the cited table, recomputed from its cells."""

    kind: str
    doc: str
    table_id: str
    expression: str
    passed: bool
    residual: Decimal | None = None
    stored: bool | None = Field(
        default=None, description="what the extractor's own check said, when it had one"
    )


class Answer(BaseModel):
    question: str
    answer: str = Field(description="the answer in words, figures numbered [n]")
    answer_value: Decimal | None = Field(default=None, description="the headline number, if one")
    answer_values: list[Decimal] = Field(default_factory=list, description="several values asked for")
    answer_text: str | None = Field(default=None, description="the headline span (a year, a label)")
    answer_spans: list[str] = Field(default_factory=list, description="several spans (years, labels)")
    unit: str | None = Field(default=None, description="'%' for percentages, else None")
    figures: list[Figure] = Field(default_factory=list)
    computations: list[Computation] = Field(default_factory=list)
    checks: list[CheckResult] = Field(default_factory=list)
    refused: bool = False
    caveats: list[str] = Field(default_factory=list)
    plan: QueryPlan | None = None
    groups: list[str] = Field(default_factory=list, description="labelled answers, e.g. consolidated")
    elapsed_ms: float | None = None

    def to_record(self) -> dict[str, Any]:
        """The `tickmark ask --json` contract: JSON-ready, numbers as JSON numbers."""
        return _numbers(self.model_dump())


def _numbers(obj: Any) -> Any:
    """Decimals → int (when integral) or float; dates → ISO strings; recursively."""
    if isinstance(obj, Decimal):
        return int(obj) if obj == obj.to_integral_value() else float(obj)
    if isinstance(obj, dict):
        return {k: _numbers(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_numbers(v) for v in obj]
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    if hasattr(obj, "value") and obj.__class__.__module__ == "extractor.models":
        return obj.value  # enums (Status)
    return obj
