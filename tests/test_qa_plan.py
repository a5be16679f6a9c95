"""Planner: operations, concepts (with synonyms), periods and filters from question words."""

import pytest

from qa.plan import plan_question


@pytest.mark.parametrize("q, op", [
    ("How did contract-asset write-offs change in 2025?", "difference"),
    ("What was the percentage change in charge-offs from 2023 to 2024?", "pct_change"),
    ("By what percent did the reserve grow in 2024?", "pct_change"),
    ("What share of 2025 write-offs came from loan facilitation service?", "share"),
    ("What was the average provision from 2021 to 2023?", "average"),
    ("Why did the allowance for credit losses increase in 2024?", "rollforward"),
    ("Which segment had the largest write-offs in 2025?", "compare"),
    ("Break down the 2025 provision by service line", "breakdown"),
    ("What were net loans as of June 30, 2022?", "value"),
    ("What is the CAGR of revenue from 2019 to 2022?", "growth_rate"),
])
def test_operation_from_question_words(q, op):
    assert plan_question(q).operation == op


@pytest.mark.parametrize("q, concept", [
    ("What were charge-offs in 2024?", "writeoff"),
    ("How much was written off in 2024?", "writeoff"),
    ("What was the credit loss expense in 2023?", "provision"),
    ("What was the loan loss reserve at year end 2024?", "allowance"),
    ("What was the opening balance on January 1, 2023?", "opening"),
    ("What were recoveries in 2022?", "recovery"),
    ("What were net contract assets at December 31, 2024?", "net"),
    ("What was total revenue in 2019?", "revenue"),
    ("What were gross receivables in 2020?", "gross"),
])
def test_concept_synonyms(q, concept):
    assert plan_question(q).concept == concept


def test_periods_months_and_dates():
    p = plan_question("What were write-offs in the nine months ended September 30, 2022?")
    assert p.months == 9 and p.years == [2022] and p.dates == ["2022-09-30"]
    p = plan_question("How did net contract assets change between December 31, 2021 and June 30, 2022?")
    assert sorted(p.dates) == ["2021-12-31", "2022-06-30"] and p.subjects == []


def test_related_party_filter_both_ways():
    assert plan_question("What were related-party write-offs in 2025?").related_party is True
    assert plan_question("What were write-offs in 2023, excluding related parties?").related_party is False
    assert plan_question("What were write-offs in 2023?").related_party is None


def test_subject_keeps_line_item_words_only():
    p = plan_question("How did write-offs of contract assets from loan facilitation service change in 2025?")
    assert set(p.subject) == {"contract", "asset", "loan", "facilitation", "service"}
    assert p.concept == "writeoff"


def test_two_subjects_and_range():
    p = plan_question("What is the difference between gross contract assets and net contract assets in 2025?")
    assert p.operation == "difference" and len(p.subjects) == 2
    assert p.subject_concepts == ["gross", "net"]
    p = plan_question("What was the average provision from 2021 to 2024?")
    assert p.years == [2021, 2022, 2023, 2024]
