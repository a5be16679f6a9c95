"""The fact index with the hash embedder: add, exact lookups, search, filters, idempotency."""

from __future__ import annotations

import os
from decimal import Decimal

import pytest

from extractor.errors import NotFoundError
from extractor.models import Document
from qa.embed import CachedEmbedder, HashEmbedder, get_embedder
from qa.index import FactIndex, chroma_where, open_index
from tests.test_facts import balance_by_rows, movement_across_columns


class CountingEmbedder(HashEmbedder):
    def __init__(self):
        super().__init__()
        self.texts: list[str] = []

    def embed(self, texts):
        self.texts.extend(texts)
        return super().embed(texts)


def _docs() -> list[Document]:
    return [Document(doc="acme-q2.htm", sha256="a" * 64, tables=[movement_across_columns()]),
            Document(doc="beta.txt", sha256="b" * 64, tables=[balance_by_rows()])]


@pytest.fixture
def index(tmp_path):
    emb = CountingEmbedder()
    return FactIndex(tmp_path / "idx", embedder=emb), emb


def test_add_and_exact_lookups(index):
    ix, _ = index
    a, b = _docs()
    assert ix.add_document(a) == 10
    assert ix.add_document(b) == 3
    assert ix.count() == 13
    assert ix.documents() == ["acme-q2.htm", "beta.txt"]
    assert [f.citation.column for f in ix.facts("acme-q2.htm", "t2")][:4] == [0, 1, 2, 3]
    t = ix.table("beta.txt", "t1")
    assert t.rows[1].cells[0].value == Decimal(-50)
    assert [t.table_id for t in ix.tables()] == ["t2", "t1"]
    with pytest.raises(NotFoundError, match="ingest"):
        ix.table("beta.txt", "t9")


def test_readding_is_idempotent_and_does_not_reembed(index):
    ix, emb = index
    a, b = _docs()
    ix.add_document(a)
    n_texts = len(emb.texts)
    assert ix.add_document(a) == 0
    assert len(emb.texts) == n_texts
    assert ix.count() == 10 and ix.collection.count() == 10


def test_changed_document_replaces_stale_facts(index):
    ix, _ = index
    a, _ = _docs()
    ix.add_document(a)
    a.tables[0].rows[0].cells[0].value = Decimal(999)
    assert ix.add_document(a) == 1
    assert ix.count() == 10 and ix.collection.count() == 10
    assert Decimal(999) in {f.value for f in ix.facts("acme-q2.htm")}


def test_search_ranks_the_named_cell_and_filters(index):
    ix, _ = index
    for d in _docs():
        ix.add_document(d)
    hits = ix.search("amounts charged off wholesale loans", n=3)
    assert hits[0][0].subject == "Wholesale loans" and hits[0][0].concept == "writeoff"
    assert hits[0][1] >= hits[-1][1]
    only = ix.search("allowance", n=20, doc="beta.txt")
    assert {f.doc for f, _ in only} == {"beta.txt"}
    net = ix.search("receivables", where={"concept": "net"})
    assert [f.value for f, _ in net] == [Decimal(1200)]
    dated = ix.search("balance", where={"period_end": {"$gte": "2030-01-01"}})
    assert dated and all(f.period.end_date.year == 2032 for f, _ in dated)


def test_where_translation():
    assert chroma_where({"doc": "x"}) == {"doc": "x"}
    assert chroma_where({"concept": ["net", "gross"], "period_end": "2024-12-31"}) == {
        "$and": [{"concept": {"$in": ["net", "gross"]}}, {"period_end": 20241231}]}
    assert chroma_where(None) is None


def test_open_index_is_cached_per_home(tmp_path):
    assert open_index(tmp_path / "h") is open_index(tmp_path / "h")
    assert open_index(tmp_path / "h") is not open_index(tmp_path / "g")


def test_hash_embedder_is_deterministic():
    e = HashEmbedder()
    v1, v2 = e.embed(["write-offs 2025", "write-offs 2025"])
    assert v1 == v2 and len(v1) == 384
    assert abs(sum(x * x for x in v1) - 1.0) < 1e-9


def test_cached_embedder_counts_hits(tmp_path):
    e = CachedEmbedder(CountingEmbedder(), tmp_path / "c.sqlite")
    e.embed(["a b", "c d"])
    e.embed(["a b", "e f"])
    assert (e.computed, e.hits) == (3, 1)
    assert isinstance(get_embedder(tmp_path).inner, HashEmbedder)


@pytest.mark.slow
def test_local_model_loads_offline():
    import os
    import time

    from qa.embed import LocalEmbedder, local_model_path

    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert (local_model_path() / "model.safetensors").exists()
    t0 = time.perf_counter()
    v = LocalEmbedder().embed(["allowance for doubtful accounts", "reserve for bad debts on receivables",
                              "a sunny afternoon in the park"])
    assert len(v) == 3 and all(len(x) == 384 for x in v)
    sim = lambda a, b: sum(x * y for x, y in zip(a, b))  # noqa: E731
    assert sim(v[0], v[1]) > sim(v[0], v[2])
    assert time.perf_counter() - t0 < 120


def test_exact_doc_search_agrees_with_chroma(index):
    ix, _ = index
    for d in _docs():
        ix.add_document(d)
    exact = ix.search("balance at end of year retail", n=5, doc="acme-q2.htm")
    ann = ix.search("balance at end of year retail", n=5, where={"doc": "acme-q2.htm", "status": "flagged"})
    assert [f.id for f, _ in exact] == [f.id for f, _ in ann]
    assert all(abs(a - b) < 1e-4 for (_, a), (_, b) in zip(exact, ann))
    assert [f.concept for f, _ in ix.search("x", n=9, doc="beta.txt", where={"concept": "net"})] == ["net"]


def test_composed_granularity_and_settings_are_kept(tmp_path):
    from extractor.errors import BadInputError

    ix = FactIndex(tmp_path / "c", embedder=HashEmbedder(), granularity="composed")
    ix.add_document(_docs()[0])
    top = ix.search("amounts charged off retail loans fiscal 2032", n=3, doc="acme-q2.htm")
    assert top[0][0].subject == "Retail loans" or top[0][0].concept == "writeoff"
    with pytest.raises(BadInputError, match="granularity"):
        FactIndex(tmp_path / "c", embedder=HashEmbedder(), granularity="fact")
    assert FactIndex(tmp_path / "c", embedder=HashEmbedder()).granularity == "composed"  # kept when not asked
    with pytest.raises(BadInputError, match="embedder"):
        FactIndex(tmp_path / "c", embedder=HashEmbedder(dim=64), granularity="composed")


def test_torch_threads(monkeypatch):
    from qa.embed import torch_threads

    monkeypatch.delenv("TICKMARK_EMBED_THREADS", raising=False)
    assert torch_threads(1) == 1
    assert 1 <= torch_threads(500) <= (os.cpu_count() or 1)
    monkeypatch.setenv("TICKMARK_EMBED_THREADS", "3")
    assert torch_threads(1) == 3


def _two_year_table():
    """One row, two fiscal years: the row's facts share one vector, the year tells them apart."""
    from datetime import date

    from extractor.models import Cell, CellKind, Column, Period, Row, Table

    def per(y):
        return Period(kind="duration", start=date(y, 1, 1), end=date(y, 12, 31), months=12, text=f"{y}")

    cols = [Column(index=0, header="2031", period=per(2031)), Column(index=1, header="2030", period=per(2030))]
    rows = [Row(index=k, label=label, cells=[Cell(raw=a, value=Decimal(a), kind=CellKind.number),
                                             Cell(raw=b, value=Decimal(b), kind=CellKind.number)])
            for k, (label, a, b) in enumerate([("Beginning balance", "50", "40"), ("Write-offs", "7", "9"),
                                               ("Ending balance", "43", "31")])]
    return Table(doc="gamma.txt", table_id="t1", title="Note 4 — Allowance for doubtful accounts",
                 columns=cols, rows=rows, orientation="rows")


def test_row_granularity_embeds_each_row_once_and_the_column_decides(tmp_path):
    emb = CountingEmbedder()
    ix = FactIndex(tmp_path / "r", embedder=emb)
    assert ix.granularity == "row"  # the default
    ix.add_document(Document(doc="gamma.txt", sha256="c" * 64, tables=[_two_year_table()]))
    assert ix.count() == 6 and len(emb.texts) == 3  # 6 facts, 3 row texts through the model
    vecs = ix.vectors_by_id([f.id for f in ix.facts("gamma.txt")])
    by_row = {}
    for f in ix.facts("gamma.txt"):
        by_row.setdefault(f.citation.row, set()).add(tuple(vecs[f.id]))
    assert all(len(v) == 1 for v in by_row.values())  # a row's facts share its vector
    for q, want in [("amounts written off in 2030", Decimal(9)), ("write-offs 2031", Decimal(7))]:
        exact = ix.search(q, n=2, doc="gamma.txt")
        ann = ix.search(q, n=2)
        assert exact[0][0].value == want and ann[0][0].value == want, q
        assert exact[0][1] > exact[1][1]


def test_column_match_reads_years_months_headers_and_concepts():
    from extractor.facts import table_facts
    from qa.concepts import concepts_in
    from qa.index import column_match, query_terms

    t = _two_year_table()
    facts = table_facts(t)
    wo31 = next(f for f in facts if f.subject == "Write-offs" and f.period.end.year == 2031)
    assert column_match(query_terms("charge-offs in 2031"), wo31) == 2  # year + concept
    assert column_match(query_terms("charge-offs in 2030"), wo31) == 1
    assert concepts_in("receivables, net of allowance") == ["net"]
    assert concepts_in("loans before allowance and write-offs") == ["gross", "writeoff"]
