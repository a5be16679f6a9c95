from datetime import date
from decimal import Decimal

import pytest

from extractor.models import CellKind
from extractor.numbers import join_split_negatives, parse_cell, parse_scale, split_label_notes
from extractor.periods import parse_period


@pytest.mark.parametrize("raw,value,kind,unit,cur", [
    ("(1,234)", Decimal(-1234), CellKind.number, None, None),
    ("1,234", Decimal(1234), CellKind.number, None, None),
    ("—", Decimal(0), CellKind.dash, None, None),
    ("-", Decimal(0), CellKind.dash, None, None),
    ("nil", Decimal(0), CellKind.nil, None, None),
    ("", None, CellKind.missing, None, None),
    ("¥ 1,373,623", Decimal(1373623), CellKind.number, None, "CNY"),
    ("$ 1,151,052", Decimal(1151052), CellKind.number, None, "USD"),
    ("¥ (184,425)", Decimal(-184425), CellKind.number, None, "CNY"),
    ("36.00%", Decimal("36.00"), CellKind.number, "%", None),
    ("12 months", Decimal(12), CellKind.number, "months", None),
    ("2 years", Decimal(2), CellKind.number, "years", None),
    ("true", None, CellKind.text, None, None),
])
def test_parse_cell(raw, value, kind, unit, cur):
    c = parse_cell(raw)
    assert c.value == value and c.kind == kind and c.unit == unit and c.currency == cur


def test_footnotes_kept_as_notes():
    c = parse_cell("4,170,271 [1]")
    assert c.value == 4170271 and c.notes == ["1"]
    assert split_label_notes("Reclassification(1)") == ("Reclassification", ["1"])
    assert split_label_notes("Reclassification (2) ") == ("Reclassification", ["2"])


def test_dash_is_not_missing():
    assert parse_cell("—").kind != parse_cell("").kind


def test_split_negative():
    assert join_split_negatives(["12", "(499", ")", "7"]) == ["12", "(499)", "7"]


def test_scale():
    assert parse_scale("¥ in Thousands, $ in Thousands")[0] == 1000
    assert parse_scale("(in millions)")[0] == 10**6
    assert parse_scale("Total revenue")[0] == 1


@pytest.mark.parametrize("text,key", [
    ("As of December 31, 2024", "2024-12-31"),
    ("Opening balance as of January 1, 2023", "2023-01-01"),
    ("for the six months ended June 30, 2022", "2022-01-01..2022-06-30"),
    ("12 Months Ended Dec. 31, 2019", "2019-01-01..2019-12-31"),
    ("Dec. 31, 2019", "2019-12-31"),
    ("for the nine months ended September 30, 2022", "2022-01-01..2022-09-30"),
    ("year ended December 31, 2023", "2023-01-01..2023-12-31"),
    ("3 Months Ended Mar. 29, 2025", "2024-12-30..2025-03-29"),
])
def test_parse_period(text, key):
    assert parse_period(text).key == key


def test_period_from_context_months():
    p = parse_period("Dec. 31, 2020", months=12)
    assert p.kind == "duration" and p.start == date(2020, 1, 1)
