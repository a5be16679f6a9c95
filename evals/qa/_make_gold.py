"""Hand-written gold for the seed QA eval (values read from the seeds by hand).

Each entry: id, doc, question, answerable, answer_value (decimal string; for writeoff and
allowance questions the magnitude), unit ('%' or null), places (compare after rounding),
answer_text (for 'which' questions), citations (doc implied; table ids with duplicates
as alternatives, row label, column period key, value as printed, sign applied).
Run once to regenerate seed_questions.jsonl; it never calls Tickmark.
"""
import json
from pathlib import Path

D0, D1, D2, D3 = ("000_83a695f89e1b9147.txt", "001_1c603578861a95ba.txt",
                  "002_f875258200c9b815.txt", "003_213d149a13cd0eb8.txt")
Y = lambda y: f"{y}-01-01..{y}-12-31"
H1 = lambda y: f"{y}-01-01..{y}-06-30"
N9 = lambda y: f"{y}-01-01..{y}-09-30"
LF, PF, RS = ("Contract assets from loan facilitation service", "Contract assets from post facilitation service",
              "Contract assets from referral services")


def c(table, row, period, value):
    return {"tables": table if isinstance(table, list) else [table], "row": row, "period": period, "value": value}


def q(id, doc, question, value=None, cites=(), unit=None, places=0, text=None):
    return {"id": id, "doc": doc, "question": question, "answerable": True, "answer_value": value,
            "unit": unit, "places": places, "answer_text": text, "citations": list(cites)}


def r(id, doc, question, why):
    return {"id": id, "doc": doc, "question": question, "answerable": False, "why": why}


Q = [
    # ---- seed 000: annual, 2023-2025, consolidated and related parties ----
    q("s0-01", D0, "How did contract-asset write-offs change in 2025?", "-71868",
      [c("t7", "Total", Y(2025), "-421568"), c("t6", "Total", Y(2024), "-493436")]),
    q("s0-02", D0, "What was the percentage change in write-offs of contract assets in 2025?", "-14.56",
      [c("t7", "Total", Y(2025), "-421568"), c("t6", "Total", Y(2024), "-493436")], unit="%", places=2),
    q("s0-03", D0, "What were contract assets written off in 2024?", "493436", [c("t6", "Total", Y(2024), "-493436")]),
    q("s0-04", D0, "What was the current year net provision for contract assets in 2025?", "337090",
      [c("t7", "Total", Y(2025), "337090")]),
    q("s0-05", D0, "How much did the provision for uncollectible contract assets change in 2025 compared with 2024?",
      "-107706", [c("t7", "Total", Y(2025), "337090"), c("t6", "Total", Y(2024), "444796")]),
    q("s0-06", D0, "What was the allowance for uncollectible contract assets as of December 31, 2025?", "188032",
      [c("t4", "Total", "2025-12-31", "-188032")]),
    q("s0-07", D0, "What were net contract assets as of December 31, 2024?", "2220717",
      [c("t3", "Total", "2024-12-31", "2220717")]),
    q("s0-08", D0, "How did net contract assets change from December 31, 2024 to December 31, 2025?", "-1321309",
      [c("t4", "Total", "2025-12-31", "899408"), c("t3", "Total", "2024-12-31", "2220717")]),
    q("s0-09", D0, "What were gross contract assets from loan facilitation service as of December 31, 2025?",
      "637587", [c("t4", LF, "2025-12-31", "637587")]),
    q("s0-10", D0, "What were accounts receivable as of December 31, 2025?", "72851",
      [c("t2", "Total", "2025-12-31", "72851")]),
    q("s0-11", D0, "What was the opening balance of the allowance for contract assets on January 1, 2023?",
      "314966", [c("t5", "Total", "2023-01-01", "314966")]),
    q("s0-12", D0, "What was the ending balance of the allowance for uncollectible contract assets at "
      "December 31, 2023?", "320676", [c("t5", "Total", "2023-12-31", "320676")]),
    q("s0-13", D0, "Why did the allowance for uncollectible contract assets change in 2025?", "-84004",
      [c("t7", "Total", "2025-01-01", "272036"), c("t7", "Total", "2025-12-31", "188032"),
       c("t7", "Total", Y(2025), "-421568")]),
    q("s0-14", D0, "Why did the allowance for contract assets change in 2024?", "-48640",
      [c("t6", "Total", "2024-01-01", "320676"), c("t6", "Total", "2024-12-31", "272036")]),
    q("s0-15", D0, "What was the reclassification into the allowance for contract assets in 2023?", "22742",
      [c("t5", "Total", Y(2023), "22742")]),
    q("s0-16", D0, "What were write-offs of contract assets from post facilitation service in 2025?", "143691",
      [c("t7", PF, Y(2025), "-143691")]),
    q("s0-17", D0, "How did write-offs of contract assets from loan facilitation service change in 2025?",
      "-103641", [c("t7", LF, Y(2025), "-259785"), c("t6", LF, Y(2024), "-363426")]),
    q("s0-18", D0, "Which service line had the largest contract-asset write-offs in 2025?", None,
      [c("t7", LF, Y(2025), "-259785")], text=LF),
    q("s0-19", D0, "What share of 2025 contract-asset write-offs came from loan facilitation service?", "61.62",
      [c("t7", LF, Y(2025), "-259785"), c("t7", "Total", Y(2025), "-421568")], unit="%", places=2),
    q("s0-20", D0, "What were related-party write-offs of contract assets in 2025?", "6902",
      [c("t11", "Total", Y(2025), "-6902")]),
    q("s0-21", D0, "How did related-party contract asset write-offs change in 2024?", "-20110",
      [c("t10", "Total", Y(2024), "-19078"), c("t9", "Total", Y(2023), "-39188")]),
    q("s0-22", D0, "What was the related-party allowance for uncollectible accounts receivable and contract "
      "assets as of December 31, 2024?", "5763", [c("t8", "Total", "2024-12-31", "-5763")]),
    q("s0-23", D0, "What was the related-party current year net provision in 2023?", "-10809",
      [c("t9", "Total", Y(2023), "-10809")]),
    q("s0-24", D0, "What were write-offs of contract assets in 2023, excluding related parties?", "214188",
      [c("t5", "Total", Y(2023), "-214188")]),
    q("s0-25", D0, "What were the write-offs of contract assets in 2023 and 2024 combined?", "707624",
      [c("t5", "Total", Y(2023), "-214188"), c("t6", "Total", Y(2024), "-493436")]),
    q("s0-26", D0, "What was the average annual provision for uncollectible contract assets from 2023 to 2025?",
      "326347.33", [c("t5", "Total", Y(2023), "197156"), c("t6", "Total", Y(2024), "444796"),
                    c("t7", "Total", Y(2025), "337090")], places=2),
    q("s0-27", D0, "What was the growth rate of net accounts receivable from 2024 to 2025?", "247.82",
      [c("t2", "Total", "2025-12-31", "72851"), c("t1", "Total", "2024-12-31", "20945")], unit="%", places=2),
    q("s0-28", D0, "What were accounts receivable from referral services as of December 31, 2024?", "20945",
      [c("t1", "Accounts receivable from referral services", "2024-12-31", "20945")]),
    q("s0-29", D0, "What was the difference between gross contract assets and net contract assets as of "
      "December 31, 2025?", "188032", [c("t4", "Total", "2025-12-31", "1087440"),
                                       c("t4", "Total", "2025-12-31", "899408")]),
    q("s0-30", D0, "What were contract assets from referral services, net, as of December 31, 2025?", "335428",
      [c("t4", RS, "2025-12-31", "335428")]),
    r("s0-r1", D0, "What were contract-asset write-offs in 2022?", "no 2022 movement is reported"),
    r("s0-r2", D0, "What was goodwill at December 31, 2025?", "goodwill is not in the notes"),
    r("s0-r3", D0, "What were recoveries of contract assets in 2024?", "no recoveries are reported"),
    r("s0-r4", D0, "What was the allowance for contract assets at December 31, 2026?", "2026 is not reported"),
    r("s0-r5", D0, "What was the provision for contract assets in 2026?", "2026 is not reported"),
    r("s0-r6", D0, "What was the net income in 2025?", "income is not in these notes"),
    # ---- seed 001: interim (six and nine months), two filings back to back ----
    q("s1-01", D1, "What were write-offs of contract assets in the six months ended June 30, 2022?", "92766",
      [c("t8", "Total", H1(2022), "-92766")]),
    q("s1-02", D1, "What was the net provision for contract assets in the nine months ended September 30, 2022?",
      "159616", [c("t22", "Total", N9(2022), "159616")]),
    q("s1-03", D1, "How did the contract-asset provision change in the six months ended June 30, 2022 compared "
      "with the same period of 2021?", "16765",
      [c("t8", "Total", H1(2022), "103625"), c("t7", "Total", H1(2021), "86860")]),
    q("s1-04", D1, "What was the percentage change in contract-asset write-offs for the nine months ended "
      "September 30, 2022 versus 2021?", "50.68",
      [c("t22", "Total", N9(2022), "-153537"), c("t21", "Total", N9(2021), "-101893")], unit="%", places=2),
    q("s1-05", D1, "What was the allowance for uncollectible contract assets as of June 30, 2022?", "324713",
      [c("t6", "Total", "2022-06-30", "-324713")]),
    q("s1-06", D1, "What were net contract assets as of September 30, 2022?", "3396386",
      [c("t20", "Total", "2022-09-30", "3396386")]),
    q("s1-07", D1, "What were gross contract assets as of June 30, 2022?", "4090926",
      [c("t6", "Total", "2022-06-30", "4090926")]),
    q("s1-08", D1, "How did net contract assets change between December 31, 2021 and June 30, 2022?", "460551",
      [c("t6", "Total", "2022-06-30", "3766213"), c(["t5", "t19"], "Total", "2021-12-31", "3305662")]),
    q("s1-09", D1, "What were write-offs of accounts receivable in the nine months ended September 30, 2021?",
      "12009", [c("t17", "Total", N9(2021), "-12009")]),
    q("s1-10", D1, "Why did the allowance for contract assets change in the six months ended June 30, 2022?",
      "10859", [c("t8", "Total", "2022-01-01", "313854"), c("t8", "Total", "2022-06-30", "324713")]),
    q("s1-11", D1, "Why did the allowance for uncollectible accounts receivable change in the six months ended "
      "June 30, 2021?", "-22077", [c("t3", "Total", "2021-01-01", "23256"), c("t3", "Total", "2021-06-30", "1179")]),
    q("s1-12", D1, "What were related-party write-offs in the nine months ended September 30, 2022?", "25321",
      [c("t26", "Total", N9(2022), "-25321")]),
    q("s1-13", D1, "What was the related-party provision for the nine months ended September 30, 2022?", "11171",
      [c("t26", "Total", N9(2022), "11171")]),
    q("s1-14", D1, "What were write-offs of contract assets from post facilitation service in the six months "
      "ended June 30, 2022?", "26812", [c("t8", PF, H1(2022), "-26812")]),
    q("s1-15", D1, "What was net accounts receivable as of September 30, 2022?", "10903",
      [c("t16", "Total", "2022-09-30", "10903")]),
    q("s1-16", D1, "What was the allowance for uncollectible accounts receivable as of December 31, 2021?",
      "2058", [c(["t1", "t15"], "Total", "2021-12-31", "-2058")]),
    q("s1-17", D1, "What were related-party accounts receivable and contract assets, net, as of June 30, 2022?",
      "537086", [c("t10", "Total", "2022-06-30", "537086")]),
    q("s1-18", D1, "What was the opening balance of the allowance for contract assets on January 1, 2022?",
      "313854", [c(["t8", "t22"], "Total", "2022-01-01", "313854")]),
    q("s1-19", D1, "What was the ending balance of the related-party allowance as of September 30, 2021?",
      "126017", [c("t25", "Total", "2021-09-30", "126017")]),
    q("s1-20", D1, "Which service line had the largest contract-asset provision in the nine months ended "
      "September 30, 2022?", None, [c("t22", LF, N9(2022), "118281")], text=LF),
    q("s1-21", D1, "What were contract assets from referral services as of September 30, 2022?", "220561",
      [c("t20", RS, "2022-09-30", "220561")]),
    q("s1-22", D1, "What was the related-party allowance for contract assets as of June 30, 2022?", "125176",
      [c("t10", "Total", "2022-06-30", "-125176")]),
    r("s1-r1", D1, "What were contract-asset write-offs in the twelve months ended December 31, 2022?",
      "only six- and nine-month movements are reported"),
    r("s1-r2", D1, "What was the allowance for contract assets as of March 31, 2022?", "no March balance"),
    r("s1-r3", D1, "What was revenue in the six months ended June 30, 2022?", "no revenue in these notes"),
    r("s1-r4", D1, "What were write-offs of contract assets in the six months ended June 30, 2020?",
      "2020 is not reported"),
    # ---- seed 002: XBRL revenue disaggregation, 2020-2022 ----
    q("s2-01", D2, "What was total online lending platform revenue in 2021?", "761451",
      [c("t1", "Total", Y(2021), "761451")]),
    q("s2-02", D2, "What was technical services revenue in 2022?", "327245", [c("t1", "Total", Y(2022), "327245")]),
    q("s2-03", D2, "How did technical services revenue change from 2021 to 2022?", "-90321",
      [c("t1", "Total", Y(2022), "327245"), c("t1", "Total", Y(2021), "417566")]),
    q("s2-04", D2, "What was the percentage change in technical services revenue from 2021 to 2022?", "-21.63",
      [c("t1", "Total", Y(2022), "327245"), c("t1", "Total", Y(2021), "417566")], unit="%", places=2),
    q("s2-05", D2, "What was post origination services revenue in 2020?", "859102",
      [c("t1", "Total", Y(2020), "859102")]),
    q("s2-06", D2, "What share of online lending platform revenue in 2022 came from technical services?", "58.26",
      [c("t1", "Total", Y(2022), "327245"), c("t1", "Total", Y(2022), "561667")], unit="%", places=2),
    q("s2-07", D2, "How did revenue from revolving loan products change from 2020 to 2021?", "-199520",
      [c("t1", "Total", Y(2021), "30604"), c("t1", "Total", Y(2020), "230124")]),
    q("s2-08", D2, "What was total online lending platform revenue in 2020?", "1256005",
      [c("t1", "Total", Y(2020), "1256005")]),
    r("s2-r1", D2, "What was technical services revenue in 2023?", "2023 is not reported"),
    r("s2-r2", D2, "What was the allowance for uncollectible receivables in 2022?", "no allowance here"),
    r("s2-r3", D2, "What were contract asset write-offs in 2021?", "no write-offs here"),
    # ---- seed 003: XBRL revenue recognition details, 2017-2019 ----
    q("s3-01", D3, "What was total net revenue in 2019?", "9219847",
      [c("t1", "Total net revenue", Y(2019), "9219847")]),
    q("s3-02", D3, "How did total net revenue change from 2018 to 2019?", "4772829",
      [c("t1", "Total net revenue", Y(2019), "9219847"), c("t1", "Total net revenue", Y(2018), "4447018")]),
    q("s3-03", D3, "What was the percentage change in total net revenue from 2018 to 2019?", "107.33",
      [c("t1", "Total net revenue", Y(2019), "9219847"), c("t1", "Total net revenue", Y(2018), "4447018")],
      unit="%", places=2),
    q("s3-04", D3, "What was total net revenue in 2019 in US dollars?", "1324348",
      [c("t1", "Total net revenue", Y(2019), "1324348")]),
    q("s3-05", D3, "What was revenue from credit driven services in 2018?", "4170271",
      [c("t1", "Total net revenue", Y(2018), "4170271")]),
    q("s3-06", D3, "What was financing income in 2017?", "50966", [c("t1", "Total net revenue", Y(2017), "50966")]),
    q("s3-07", D3, "How much did revenue from releasing of guarantee liabilities increase from 2017 to 2019?",
      "285076", [c("t1", "Total net revenue", Y(2019), "285407"), c("t1", "Total net revenue", Y(2017), "331")]),
    q("s3-08", D3, "What share of total net revenue came from platform services in 2019?", "13.09",
      [c("t1", "Total net revenue", Y(2019), "1206456"), c("t1", "Total net revenue", Y(2019), "9219847")],
      unit="%", places=2),
    q("s3-09", D3, "What were write-offs of accounts receivable in 2019?", "81019",
      [c("t1", "Write-off in the current year", Y(2019), "-81019")]),
    q("s3-10", D3, "Why did the allowance for uncollectible contract assets change in 2019?", "5714",
      [c("t1", "Opening balance", Y(2019), "1179"), c("t1", "Ending balance", Y(2019), "6893")]),
    q("s3-11", D3, "What was restricted cash related to deposits to the funding banks at December 31, 2019?",
      "1373623", [c("t1", "Restricted cash related to deposit to the funding banks", "2019-12-31", "1373623")]),
    q("s3-12", D3, "What was the provision for contract assets in 2018?", "1971",
      [c("t1", "Current year net provision", Y(2018), "1971")]),
    r("s3-r1", D3, "What was total net revenue in 2016?", "2016 is not reported"),
    r("s3-r2", D3, "What were write-offs of contract assets in 2020?", "2020 is not reported"),
    r("s3-r3", D3, "What was goodwill impairment in 2019?", "goodwill is not in these notes"),
]

if __name__ == "__main__":
    out = Path(__file__).parent / "seed_questions.jsonl"
    out.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in Q))
    print(f"{len(Q)} questions ({sum(x['answerable'] for x in Q)} answerable) -> {out}")
