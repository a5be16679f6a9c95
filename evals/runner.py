"""`tickmark eval`: run every eval, write a Markdown + JSON report, compare with the previous
run, and (with --gate) fail when a headline metric falls below its floor (evals/floors.toml).
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
import tomllib
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from extractor.config import get_settings

FLOORS_FILE = Path(__file__).parent / "floors.toml"


def _call(module: str, func: str, **kw: Any) -> Callable[[], dict[str, Any]]:
    def run() -> dict[str, Any]:
        return getattr(importlib.import_module(module), func)(**kw)

    return run


# name -> (runner, part of the fast CI subset)
EVALS: dict[str, tuple[Callable[[], dict[str, Any]], bool]] = {
    "extraction": (_call("evals.extraction", "eval_seed_extraction"), True),
    "html_roundtrip": (_call("evals.extraction", "eval_html_roundtrip"), True),
    "edgar": (_call("evals.extraction", "eval_edgar"), True),
    "checks": (_call("evals.extraction", "eval_checks"), True),
    "mutations": (_call("evals.extraction", "eval_mutations"), True),
    "garbled": (_call("evals.garbled", "run_garbled_eval"), True),
    "seed_qa": (_call("evals.qa_eval", "run_seed_qa"), True),
    "tatqa": (_call("evals.tatqa", "run_tatqa"), False),
}

# (eval, dotted metric path, label for the summary)
HEADLINE: list[tuple[str, str, str]] = [
    ("extraction", "overall.f1", "seed cell F1"),
    ("extraction", "overall.precision", "seed cell precision"),
    ("extraction", "overall.recall", "seed cell recall"),
    ("extraction", "overall.table_exact_rate", "seed table exact match"),
    ("extraction", "overall.wrong_placed", "seed cells placed wrongly"),
    ("extraction", "overall.ambiguous", "seed cells left ambiguous"),
    ("extraction", "overall.accounted", "seed cells exact or ambiguous"),
    ("extraction", "by_layout.pipes.f1", "pipes cell F1 (seed 000)"),
    ("extraction", "by_layout.cell_lines.f1", "cell_lines cell F1 (seed 001)"),
    ("extraction", "by_layout.xbrl_details.f1", "xbrl_details cell F1 (002, 003)"),
    ("html_roundtrip", "overall.f1", "HTML round-trip cell F1"),
    ("edgar", "crashed", "EDGAR files crashed"),
    ("edgar", "tables", "EDGAR data tables found"),
    ("checks", "check_pass_rate", "seed check pass rate"),
    ("checks", "tieout_pass_rate", "seed tie-out pass rate"),
    ("mutations", "catch_rate", "mutation catch rate"),
    ("garbled", "deterministic_rate", "garbled: recovered deterministically"),
    ("garbled", "sent_to_llm", "garbled: sent to LLM"),
    ("garbled", "accepted", "garbled: LLM accepted"),
    ("garbled", "quarantined", "garbled: quarantined"),
    ("garbled", "silently_wrong", "garbled: wrong values left ok"),
    ("garbled", "ok_but_periods_wrong", "garbled: wrong periods left ok"),
    ("seed_qa", "numeric_accuracy", "QA numeric accuracy"),
    ("seed_qa", "citation_accuracy", "QA citation accuracy"),
    ("seed_qa", "refusal_precision", "QA refusal precision"),
    ("seed_qa", "refusal_recall", "QA refusal recall"),
    ("seed_qa", "latency_ms_p50", "QA latency p50 ms"),
    ("seed_qa", "latency_ms_p95", "QA latency p95 ms"),
    ("tatqa", "em", "TAT-QA table-only EM"),
    ("tatqa", "em_by_type.arithmetic", "TAT-QA EM arithmetic"),
    ("tatqa", "em_by_type.span", "TAT-QA EM span"),
]
LOWER_IS_BETTER = {"wrong_placed", "crashed", "latency_ms_p50", "latency_ms_p95", "sent_to_llm", "quarantined",
                   "silently_wrong", "ok_but_periods_wrong", "ambiguous"}


def get_path(d: dict[str, Any], path: str) -> Any:
    cur: Any = d
    for part in path.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return None
        cur = cur[part]
    return cur


def load_floors(path: Path = FLOORS_FILE) -> list[dict[str, Any]]:
    """Floors: [[floor]] eval, metric, min or max, reason."""
    return tomllib.loads(path.read_text())["floor"]


def gate(results: dict[str, Any], floors: list[dict[str, Any]], ran: set[str]) -> list[str]:
    """Messages for every floor that is broken (only for evals that ran)."""
    broken = []
    for f in floors:
        if f["eval"] not in ran:
            continue
        res = results.get(f["eval"], {})
        v = get_path(res, f["metric"])
        name = f"{f['eval']}.{f['metric']}"
        if "error" in res:
            broken.append(f"{name}: the eval failed ({res['error']}) — floor {f.get('min', f.get('max'))}")
        elif v is None:
            broken.append(f"{name}: metric missing — floor {f.get('min', f.get('max'))} ({f['reason']})")
        elif "min" in f and v < f["min"]:
            broken.append(f"{name} = {v} is below its floor {f['min']} ({f['reason']})")
        elif "max" in f and v > f["max"]:
            broken.append(f"{name} = {v} is above its ceiling {f['max']} ({f['reason']})")
    return broken


def run_evals(names: list[str]) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for name in names:
        runner, _ = EVALS[name]
        t0 = time.perf_counter()
        print(f"eval {name} ...", file=sys.stderr, flush=True)
        try:
            res = runner()
        except Exception as e:  # one eval's failure is reported, the others still run  # noqa: BLE001
            res = {"error": f"{type(e).__name__}: {e}"}
        res["seconds"] = round(time.perf_counter() - t0, 2)
        results[name] = res
    return results


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.4f}" if v <= 1 else f"{v:.1f}"
    return "—" if v is None else str(v)


def summary_rows(results: dict[str, Any], previous: dict[str, Any] | None) -> list[tuple[str, str, str, str]]:
    rows = []
    for ev, path, label in HEADLINE:
        if ev not in results:
            continue
        v = get_path(results[ev], path)
        if "error" in results[ev]:
            v = "ERROR"
        prev = get_path(previous.get(ev, {}), path) if previous else None
        mark = ""
        if isinstance(v, (int, float)) and isinstance(prev, (int, float)) and v != prev:
            worse = v > prev if path.split(".")[-1] in LOWER_IS_BETTER else v < prev
            mark = "REGRESSION" if worse else "improved"
            if "latency" in path and abs(v - prev) <= max(5, 0.5 * prev):
                mark = ""
        rows.append((label, _fmt(v), _fmt(prev), mark))
    return rows


def render_markdown(results: dict[str, Any], rows, broken: list[str], stamp: str) -> str:
    out = [f"# Tickmark eval report — {stamp}", "", "| metric | value | previous | |", "|---|---|---|---|"]
    out += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    out += ["", "## Floors", ""]
    out += [f"- ✗ {b}" for b in broken] or ["- ✓ every floor holds"]
    for name, res in results.items():
        out += ["", f"## {name}", "", "```json", json.dumps(res, indent=2, default=str)[:6000], "```"]
    return "\n".join(out) + "\n"


def previous_results(root: Path) -> dict[str, Any] | None:
    runs = sorted(p for p in root.glob("*/results.json"))
    return json.loads(runs[-1].read_text()) if runs else None


def run_eval(args: argparse.Namespace) -> int:
    names = list(EVALS)
    if args.only:
        unknown = [n for n in args.only if n not in EVALS]
        if unknown:
            print(f"unknown eval(s) {unknown}; choose from {', '.join(EVALS)}", file=sys.stderr)
            return 2
        names = args.only
    elif args.fast:
        names = [n for n, (_, fast) in EVALS.items() if fast]
    if getattr(args, "llm", False) and not get_settings().llm_configured:
        print("--llm: no LLM endpoint configured (set TICKMARK_LLM_BASE_URL and TICKMARK_LLM_MODEL); "
              "running the offline evals only", file=sys.stderr)
    root = get_settings().ensure_home() / "evals"
    previous = previous_results(root)
    results = run_evals(names)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    rows = summary_rows(results, previous)
    broken = gate(results, load_floors(), set(names))
    out = root / stamp
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2, default=str))
    (out / "report.md").write_text(render_markdown(results, rows, broken, stamp))
    width = max((len(r[0]) for r in rows), default=10)
    print(f"{'metric':<{width}}  {'value':>10}  {'previous':>10}")
    for a, b, c, d in rows:
        print(f"{a:<{width}}  {b:>10}  {c:>10}  {d}")
    for name, res in results.items():
        if "error" in res:
            print(f"eval {name} failed: {res['error']}")
    print(f"report: {out / 'report.md'}")
    if broken:
        print("floors broken:" if args.gate else "below floor (not gating):")
        for b in broken:
            print(f"  ✗ {b}")
    return 1 if (args.gate and broken) else 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m evals", description="Run the Tickmark evals.")
    p.add_argument("--only", action="append")
    p.add_argument("--llm", action="store_true")
    p.add_argument("--fast", action="store_true")
    p.add_argument("--gate", action="store_true")
    return run_eval(p.parse_args(argv))
