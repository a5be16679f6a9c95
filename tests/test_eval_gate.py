"""The CI gate: a deliberately broken parser makes `tickmark eval --gate` fail, naming the metric."""

from __future__ import annotations

import argparse
from decimal import Decimal

import pytest

from evals import runner
from extractor.layouts import pipes


def _args(**kw) -> argparse.Namespace:
    base = dict(only=["extraction"], fast=False, gate=True, llm=False)
    base.update(kw)
    return argparse.Namespace(**base)


def test_gate_passes_on_the_real_parsers(capsys):
    assert runner.run_eval(_args()) == 0
    assert "floors broken" not in capsys.readouterr().out


def test_broken_parser_fails_the_gate_naming_the_metric(monkeypatch, capsys):
    real_parse = pipes.parse

    def broken(source):  # drop the last row of every table and nudge one value
        tables = real_parse(source)
        for t in tables:
            t.rows = t.rows[:-1]
            if t.rows and t.rows[0].cells and t.rows[0].cells[-1].value is not None:
                t.rows[0].cells[-1].value += Decimal(1)
        return tables

    monkeypatch.setattr(pipes, "parse", broken)
    assert runner.run_eval(_args()) == 1
    out = capsys.readouterr().out
    assert "floors broken" in out
    assert "extraction.by_layout.pipes.recall" in out and "below its floor 1.0" in out
    assert "extraction.overall.precision" in out


def test_gate_names_a_failed_eval(monkeypatch, capsys):
    def boom():
        raise RuntimeError("parser exploded")

    monkeypatch.setitem(runner.EVALS, "extraction", (boom, True))
    assert runner.run_eval(_args()) == 1
    assert "the eval failed (RuntimeError: parser exploded)" in capsys.readouterr().out


@pytest.mark.parametrize("value,broken", [(1.0, False), (0.98, True)])
def test_floor_arithmetic(value, broken):
    floors = [{"eval": "x", "metric": "a.b", "min": 0.99, "reason": "r"}]
    msgs = runner.gate({"x": {"a": {"b": value}}}, floors, {"x"})
    assert bool(msgs) is broken
