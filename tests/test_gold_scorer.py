"""Regression: the gold scorer once keyed cells on (row, period) only, so two columns of the
same period (gross / allowance / net of one balance table) overwrote each other and a value
swapped between them went unnoticed."""

from evals.gold import load_gold, score_table


def test_values_swapped_between_same_period_columns_are_caught():
    gold = load_gold("000_83a695f89e1b9147.txt")["tables"][2]  # contract assets, all 2024-12-31
    assert len({c["period"] for c in gold["columns"]}) == 1 and len(gold["columns"]) == 3
    good = {"doc": "d", "table_id": "t3", "columns": [{"period": {"key": c["period"]}, "currency": None,
                                                       "header": c["header"]} for c in gold["columns"]],
            "rows": [{"label": r["label"], "members": [], "values": list(r["values"])} for r in gold["rows"]]}
    assert score_table(good, gold).tables_exact == 1
    good["rows"][0]["values"][0], good["rows"][0]["values"][2] = good["rows"][0]["values"][2], good["rows"][0]["values"][0]
    s = score_table(good, gold)
    assert s.tables_exact == 0 and s.wrong_placed == 2 and s.tp == sum(
        v is not None for r in gold["rows"] for v in r["values"]) - 2
