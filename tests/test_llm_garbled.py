"""The garbled corpus: deterministic, each degradation does what it says, and the eval runs
with no endpoint (everything sent comes back quarantined) and with an oracle LLM."""

from __future__ import annotations

import json
import random
import re


from evals import garbled
from evals.garbled import DEGRADATIONS, corpus, garble, run_garbled_eval
from extractor.fallback import BEGIN, END
from extractor.llm import Usage

TABLE = {  # invented: a by-segment breakdown with a dash and a negative, scale in thousands
    "index": 1, "title": "9. DEFERRED REVENUE", "caption": "Deferred revenue by segment (in thousands):",
    "scale": 1000, "currency": None, "ambiguous_ok": [],
    "columns": [{"header": "September 30, 2031", "period": "2031-09-30", "currency": None},
                {"header": "September 30, 2030", "period": "2030-09-30", "currency": None}],
    "rows": [{"label": "Subscriptions and maintenance services", "members": [], "values": ["15210", "0"]},
             {"label": "Hardware", "members": [], "values": ["-1501", "7105"]},
             {"label": "Total deferred revenue", "members": [], "values": ["13709", "7105"]}],
}


def g(deg: str, layout: str = "row_lines"):
    return garble(TABLE, deg, layout, random.Random(3), f"x_{deg}.txt")


def test_corpus_is_deterministic_and_covers_every_degradation():
    a, b = corpus(n_seed=2, n_invented=2), corpus(n_seed=2, n_invented=2)
    assert [x.text for x in a] == [x.text for x in b]
    assert {x.degradation for x in a} == set(DEGRADATIONS)
    assert [x.text for x in corpus(seed=12, n_seed=0, n_invented=2)] != [x.text for x in corpus(n_seed=0, n_invented=2)]


def test_wrap_labels_splits_long_labels_and_keeps_value_positions():
    lines = g("wrap_labels").text.split("\n")
    k = lines.index("Subscriptions and")
    assert lines[k + 1].startswith("maintenance services ") and lines[k + 1].rstrip().endswith("—")
    assert lines[k + 1].index("15,210") == lines[k + 2].index("(1,501)") + len("(1,501)") - len("15,210")


def test_merge_values_puts_a_row_on_one_line():
    assert "\n(1,501) 7,105\n" in g("merge_values", "cell_lines").text


def test_drop_dashes_removes_them_and_gold_follows_the_print():
    x = g("drop_dashes")
    assert "—" not in x.text
    assert x.gold["tables"][0]["rows"][0]["values"] == ["15210", None]


def test_shuffle_headers_permutes_header_lines_only():
    clean = g("lose_separators", "cell_lines").text  # same header lines, other numbers
    x = g("shuffle_headers", "cell_lines").text
    heads = ["September 30,", "2031", "2030"]
    assert sorted(h for h in x.split("\n") if h in heads) == sorted(h for h in clean.split("\n") if h in heads)
    assert x.split("\n").index("Subscriptions and maintenance services") == \
        clean.split("\n").index("Subscriptions and maintenance services")


def test_lose_separators_and_page_noise_and_ocr():
    assert "15210" in g("lose_separators").text and "15,210" not in g("lose_separators").text
    noisy = g("page_noise").text
    assert len(re.findall(r"^Page \d+$", noisy, re.M)) >= 2
    ocr = [x for x in corpus(n_seed=0, n_invented=6) if x.degradation == "ocr_digits"]
    assert any(re.search(r"\d[,\d]*[OlS]|[OlS][,\d]*\d", x.text) for x in ocr)
    assert all(v is None or re.fullmatch(r"-?\d+(\.\d+)?", v)
               for x in ocr for r in x.gold["tables"][0]["rows"] for v in r["values"])


def test_scale_and_period_stay_readable():
    text = g("lose_separators").text
    assert "(in thousands)" in text
    heads = text.split("\n")[2:4]  # the wrapped header: "September 30," over the year
    assert heads[0].split() == ["September", "30,", "September", "30,"] and heads[1].split() == ["2031", "2030"]


def test_eval_without_endpoint_quarantines_everything_it_sends():
    r = run_garbled_eval(n_seed=1, n_invented=2)
    assert r["docs"] == 3 * len(DEGRADATIONS) and not r["llm_configured"]
    assert r["accepted"] == 0 and r["quarantined"] == r["sent_to_llm"]
    assert 0 <= r["deterministic_rate"] <= 1 and set(r["by_degradation"]) == set(DEGRADATIONS)


class OracleBackend:
    """Answers with the gold table of the document named in the prompt (a perfect reader)."""

    model = "oracle"

    def __init__(self, docs):
        self.gold = {x.doc: x.gold["tables"][0] for x in docs}
        self.calls = 0

    def complete_structured(self, messages, schema_model):
        self.calls += 1
        user = messages[1]["content"]
        t = self.gold[re.search(r"Document: (\S+)", user).group(1)]
        block = user[user.index(BEGIN):user.index(END)]
        sep = bool(re.search(r"\d,\d{3}", block))
        answer = {"title": t["title"], "caption": t["caption"], "scale": t["scale"], "currency": None,
                  "columns": [{"header": c["header"], "period": c["period"], "currency": None}
                              for c in t["columns"]],
                  "rows": [{"label": r["label"], "section": None,
                            "values": [garbled.fmt_value(v, separators=sep) if v is not None else None
                                       for v in r["values"]]} for r in t["rows"]]}
        return json.dumps(answer), Usage(tokens_in=1, tokens_out=1)


def _needing_llm(docs):
    """The garbled documents the deterministic parsers leave flagged, ambiguous or unread."""
    from extractor.models import Status

    out = []
    for x in docs:
        doc, _ = garbled.extract_deterministic(x)
        if not doc.tables or any(t.status != Status.ok for t in doc.tables):
            out.append(x)
    return out


def test_eval_with_an_oracle_llm_accepts_grounded_proven_tables(monkeypatch):
    docs = corpus(n_seed=0, n_invented=10)
    oracle = OracleBackend(docs)
    r = run_garbled_eval(oracle, n_seed=0, n_invented=10)
    assert r["llm_configured"] and oracle.calls >= r["sent_to_llm"] > 0
    assert r["accepted"] > 0 and r["accepted"] + r["quarantined"] == r["sent_to_llm"]
    assert r["llm_exact"] <= r["accepted"]


def test_garbled_document_read_by_an_llm_over_http_end_to_end(monkeypatch):
    """extract (deterministic) -> apply_fallback -> OpenAIBackend -> fake server answering as
    a perfect reader: what the LLM path accepts is grounded, proven and exact."""
    from extractor.fallback import apply_fallback
    from extractor.llm import OpenAIBackend
    from extractor.models import Method, Status
    from fake_openai import FakeOpenAI, Reply

    docs = _needing_llm(corpus(n_seed=0, n_invented=10))
    assert docs, "no garbled document left for the LLM path"
    oracle = OracleBackend(docs)
    with FakeOpenAI(responder=lambda body: Reply.text(oracle.complete_structured(body["messages"], None)[0])) as fake:
        monkeypatch.setenv("TICKMARK_LLM_BASE_URL", fake.url)
        monkeypatch.setenv("TICKMARK_LLM_MODEL", "fake-model")
        backend = OpenAIBackend(backoff=0.001)
        accepted = 0
        for x in docs:
            doc, source = garbled.extract_deterministic(x)
            apply_fallback(doc, source, backend)
            for t in doc.tables:
                if t.method == Method.llm and t.status == Status.ok:
                    accepted += 1
                    assert garbled.exact_table(t, x.gold["tables"][0])
        assert fake.requests and all(r["response_format"]["type"] == "json_schema" for r in fake.requests)
        assert accepted > 0
