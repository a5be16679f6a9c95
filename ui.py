"""Tickmark's browser chat (Gradio Blocks): cited figures you can click back to their source.

Thin by design: every answer comes from ``qa.answer.ask``; this module only formats.
Start with ``tickmark ui`` or ``python ui.py`` (127.0.0.1:7860 by default).
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

# No analytics, no version checks, no telemetry: the app makes no outbound requests.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import gradio as gr  # noqa: E402

from extractor.config import get_settings  # noqa: E402
from extractor.errors import TickmarkError  # noqa: E402
from extractor.models import Status, Table  # noqa: E402

EXAMPLES = [
    "How did contract-asset write-offs change in 2025?",
    "What was the allowance for uncollectible contract assets as of December 31, 2025?",
    "Why did the contract-asset allowance change in 2025?",
    "What were total net revenues in 2019?",
    "What was the provision for contract assets in the six months ended June 30, 2022?",
]
UPLOAD_TYPES = [".txt", ".htm", ".html", ".xml"]
MAX_UPLOAD_MB = 32

CSS = """
.tm-table { border-collapse: collapse; font-size: 13px; width: 100%; }
.tm-table th, .tm-table td { border-bottom: 1px solid #e5e7eb; padding: 3px 8px; }
.tm-table th { background: #f3f4f6; text-align: left; font-weight: 600; vertical-align: bottom; white-space: normal !important; overflow-wrap: break-word; hyphens: auto; max-width: 130px; min-width: 84px; }
.tm-table td.num, .tm-table th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.tm-table tr.total td { font-weight: 600; border-top: 1px solid #9ca3af; }
.tm-table td.cited { background: #fde68a; outline: 2px solid #d97706; font-weight: 700; }
.tm-table td.amb { background: #fee2e2; }
.tm-scroll { overflow-x: auto; max-width: 100%; }
.tm-table td:first-child { min-width: 150px; }
#tm-citations label { font-size: 12.5px; padding: 2px 6px; }
.tm-meta { color: #4b5563; font-size: 12px; margin: 4px 0 8px; }
.tm-badge { display: inline-block; padding: 1px 7px; border-radius: 9px; font-size: 12px; font-weight: 600; }
.tm-ok { background: #dcfce7; color: #166534; }
.tm-flagged { background: #fee2e2; color: #991b1b; }
.tm-ambiguous { background: #fef3c7; color: #92400e; }
.tm-quarantined { background: #e5e7eb; color: #374151; }
.tm-checks li { font-family: ui-monospace, monospace; font-size: 12.5px; }
.tm-pass { color: #166534; } .tm-fail { color: #991b1b; font-weight: 700; }
.tm-warn { background: #fff7ed; border-left: 3px solid #ea580c; padding: 4px 8px; margin: 4px 0; }
"""


# ---------------------------------------------------------------- formatting

def fmt_num(v: Any) -> str:
    """Analyst format: thousands separators, negatives in parentheses."""
    if v is None or v == "":
        return ""
    d = Decimal(str(v))
    places = max(0, -d.as_tuple().exponent)  # as many decimals as reported (36.00 stays 36.00)
    s = f"{abs(d):,.{places}f}"
    return f"({s})" if d < 0 else s


def badge(status: str) -> str:
    return f'<span class="tm-badge tm-{html.escape(status)}">{html.escape(status)}</span>'


def scale_words(t: Table) -> str:
    parts = []
    if t.currency:
        parts.append(t.currency)
    if t.scale and t.scale != 1:
        parts.append(t.scale_text or f"× {t.scale:,}")
    return ", ".join(parts) if parts else "scale and currency not stated in the source"


def render_table(t: Table, cited: set[tuple[int, int]] | None = None) -> str:
    """The source table as HTML with the cited cells highlighted."""
    cited = cited or set()
    lines = "" if not t.source else f", lines {t.source.line_start}–{t.source.line_end}"
    out = [
        f"<div class='tm-meta'><b>{html.escape(t.doc)}</b> · table {html.escape(t.table_id)}{lines} · "
        f"{badge(t.status.value)} · {html.escape(scale_words(t))}</div>",
    ]
    if t.title:
        out.append(f"<div class='tm-meta'>{html.escape(t.title)}</div>")
    if t.caption:
        out.append(f"<div class='tm-meta'><i>{html.escape(t.caption)}</i></div>")
    out.append("<div class='tm-scroll'><table class='tm-table'><thead><tr><th></th>")
    for c in t.columns:
        per = f"<br><small>{html.escape(c.period.key)}</small>" if c.period else ""
        cur = f" <small>{html.escape(c.currency)}</small>" if c.currency else ""
        out.append(f"<th class='num'>{html.escape(c.header)}{cur}{per}</th>")
    out.append("</tr></thead><tbody>")
    for r in t.rows:
        label = " › ".join(r.members + [r.label]) if r.members else r.label
        src = f" title='lines {r.source.line_start}–{r.source.line_end}'" if r.source else ""
        out.append(f"<tr class='{'total' if r.is_total else ''}'{src}><td>{html.escape(label)}</td>")
        for j, c in enumerate(r.cells):
            cls = ["num"]
            if (r.index, j) in cited:
                cls.append("cited")
            if c.status == Status.ambiguous:
                cls.append("amb")
            text = fmt_num(c.value) if c.value is not None else html.escape(c.raw)
            if c.kind.value == "dash":
                text = "—"
            out.append(f"<td class='{' '.join(cls)}' data-row='{r.index}' data-col='{j}'>{text}</td>")
        out.append("</tr>")
    out.append("</tbody></table></div>")
    for w in t.warnings:
        out.append(f"<div class='tm-warn'>⚠ {html.escape(w)}</div>")
    return "".join(out)


def render_checks(checks: list[dict[str, Any]]) -> str:
    if not checks:
        return "<p>No tick marks for this answer yet.</p>"
    items = []
    for c in checks:
        ok = c.get("passed", False)
        mark = "✓" if ok else "✗"
        expr = c.get("expression") or c.get("description") or c.get("kind", "")
        if expr.rstrip().endswith(("✓", "✗")):
            expr = expr.rstrip()[:-1].rstrip()
        where = " ".join(str(c.get(k)) for k in ("doc", "table_id") if c.get(k))
        cls = "tm-pass" if ok else "tm-fail"
        items.append(f"<li><span class='{cls}'>{mark}</span> <b>{html.escape(c.get('kind', ''))}</b> "
                     f"{html.escape(expr)} <span class='{cls}'>{mark}</span> "
                     f"<small>{html.escape(where)}</small></li>")
    return "<ul class='tm-checks'>" + "".join(items) + "</ul>"


# ---------------------------------------------------------------- library calls

def _index():
    from qa.index import open_index

    return open_index()


def answer_question(question: str) -> dict[str, Any]:
    from qa.answer import ask

    return ask(question).model_dump(mode="json")


def short_period(key: str) -> str:
    """'2025-01-01..2025-12-31' -> 'FY 2025'; '2024-12-31' -> 'at 2024-12-31'; else the key."""
    m = re.fullmatch(r"(\d{4})-01-01\.\.(\d{4})-12-31", key or "")
    if m and m.group(1) == m.group(2):
        return f"FY {m.group(1)}"
    if re.fullmatch(r"\d{4}-\d\d-\d\d", key or ""):
        return f"at {key}"
    return key or ""


def citation_label(k: int, f: dict[str, Any]) -> str:
    per = f.get("period") or ""
    if isinstance(per, dict):
        per = per.get("key", "")
    group = f" · {f['group']}" if f.get("group") else ""
    return (f"[{k}] {fmt_num(f.get('value'))} · {f.get('label', '')} · {f.get('measure') or ''} · "
            f"{short_period(per)}{group} · {f.get('table_id', '')}")


def tick_lines(ans: dict[str, Any], limit: int = 2) -> str:
    """The tick marks behind the headline figures, shown in the chat under the answer:
    for each of the first figures, the check of its table that involves its value."""
    checks = ans.get("checks") or []
    out: list[str] = []
    for f in (ans.get("figures") or [])[:limit]:
        mine = [c for c in checks if (c.get("doc"), c.get("table_id")) == (f.get("doc"), f.get("table_id"))]
        v = fmt_num(abs(Decimal(str(f.get("value")))))
        hit = [c for c in mine if v in (c.get("expression") or "")]
        best = sorted(hit or mine, key=lambda c: c.get("kind") != "rollforward")
        if best:
            c = best[0]
            line = (f"{'✓' if c.get('passed') else '✗'} {c.get('kind')}: "
                    f"{(c.get('expression') or '').rstrip(' ✓✗')} ({c.get('table_id')})")
            if line not in out:
                out.append(line)
    bad = [c for c in checks if not c.get("passed")]
    if bad:
        out.append(f"✗ {len(bad)} check(s) fail in the tables used — see Tick marks")
    return "\n".join(out)


def source_view(ans: dict[str, Any] | None, choice: str | None) -> str:
    """The table behind the chosen citation, with every figure of the answer from it highlighted."""
    if not ans or not choice:
        return "<p>Choose a citation to see its source table.</p>"
    m = re.match(r"\[(\d+)\]", choice)
    figs = ans.get("figures") or []
    if not m or int(m.group(1)) > len(figs):
        return "<p>Choose a citation to see its source table.</p>"
    f = figs[int(m.group(1)) - 1]
    try:
        t = _index().table(f["doc"], f["table_id"])
    except TickmarkError as e:
        return f"<p>Source not available: {html.escape(str(e))}</p>"
    cited = {(int(f["row"]), int(f["column"]))}
    return render_table(t, cited)


def documents_panel() -> str:
    try:
        idx = _index()
        tables = idx.tables()
    except TickmarkError as e:
        return f"<p>{html.escape(str(e))}</p>"
    if not tables:
        return "<p>No documents yet: upload filings above, or run <code>tickmark ingest PATH</code>.</p>"
    out = ["<table class='tm-table'><thead><tr><th>document</th><th>table</th><th>caption</th>"
           "<th>kind</th><th>checks</th><th>status</th></tr></thead><tbody>"]
    for t in tables:
        n_ok = sum(c.passed for c in t.checks)
        cap = (t.caption or t.title)[:90]
        out.append(f"<tr><td>{html.escape(t.doc)}</td><td>{t.table_id}</td><td>{html.escape(cap)}</td>"
                   f"<td>{html.escape(t.kind or '')}</td><td class='num'>{n_ok}/{len(t.checks)}</td>"
                   f"<td>{badge(t.status.value)}</td></tr>")
    out.append("</tbody></table>")
    return "".join(out)


def store_uploads(files: list[Any]) -> list[Path]:
    """Copy uploads under $TICKMARK_HOME/uploads (safe names, allowed types and size only)."""
    dest = get_settings().ensure_home() / "uploads"
    dest.mkdir(parents=True, exist_ok=True)
    saved = []
    for f in files or []:
        src = Path(getattr(f, "name", f))
        name = re.sub(r"[^A-Za-z0-9._-]+", "_", src.name).lstrip(".") or "upload.txt"
        if Path(name).suffix.lower() not in UPLOAD_TYPES:
            raise gr.Error(f"{src.name}: only {', '.join(UPLOAD_TYPES)} files can be ingested")
        if src.stat().st_size > MAX_UPLOAD_MB * 1024 * 1024:
            raise gr.Error(f"{src.name}: larger than {MAX_UPLOAD_MB} MB")
        target = _free_name(dest, name, src)
        if dest.resolve() not in target.parents:
            raise gr.Error(f"{src.name}: refused (path outside the data directory)")
        shutil.copyfile(src, target)
        saved.append(target)
    return saved


def _free_name(dest: Path, name: str, src: Path) -> Path:
    """Where an upload goes: its name, unless an earlier upload of that name has other content
    (then name_2, name_3 ...: the earlier document stays; its id is the stored file's name).
    The same content uploaded again goes to the same place."""
    stem, suffix = Path(name).stem, Path(name).suffix
    target, k, data = (dest / name).resolve(), 1, src.read_bytes()
    while target.exists() and target.read_bytes() != data:
        k += 1
        target = (dest / f"{stem}_{k}{suffix}").resolve()
    return target


def ingest_uploads(files: list[Any], progress=gr.Progress()) -> tuple[str, str]:
    from extractor.extract import extract_or_error

    paths = store_uploads(files)
    idx = _index()
    lines = []
    for p in progress.tqdm(paths, desc="ingesting"):
        doc = extract_or_error(p)
        if doc.errors and not doc.tables:
            lines.append(f"✗ {p.name}: {doc.errors[0].message}")
            continue
        n = idx.add_document(doc)
        bad = sum(t.status != Status.ok for t in doc.tables)
        lines.append(f"✓ {p.name}: {len(doc.tables)} tables, {n} new facts" + (f", {bad} not ok" if bad else ""))
    return "\n".join(lines) or "Nothing uploaded.", documents_panel()


# ---------------------------------------------------------------- chat

def _chunks(text: str, size: int = 6) -> list[str]:
    words = text.split(" ")
    return [" ".join(words[: i + size]) for i in range(0, len(words), size)]


def respond(question: str, history: list[dict[str, Any]]):
    """Stream the answer text, then fill the citations, source and tick-mark panels."""
    history = list(history or []) + [{"role": "user", "content": question}]
    if not question or not question.strip():
        yield history, None, gr.update(), gr.update(), gr.update()
        return
    history.append({"role": "assistant", "content": "…"})
    yield history, None, gr.update(choices=[], value=None), gr.update(), gr.update()
    try:
        ans = answer_question(question)
    except TickmarkError as e:
        history[-1]["content"] = f"⚠ {e}"
        yield history, None, gr.update(choices=[], value=None), gr.update(), gr.update()
        return
    text = ans.get("answer", "")
    for part in _chunks(text):
        history[-1]["content"] = part
        yield history, ans, gr.update(), gr.update(), gr.update()
    tail = [tick_lines(ans)] + [f"⚠ {c}" for c in ans.get("caveats") or []]
    tail = [t for t in tail if t]
    if tail:
        history[-1]["content"] = text + "\n\n" + "\n".join(tail)
    figs = ans.get("figures") or []
    choices = [citation_label(k, f) for k, f in enumerate(figs, 1)]
    first = choices[0] if choices else None
    yield (history, ans, gr.update(choices=choices, value=first), source_view(ans, first),
           render_checks(ans.get("checks") or []))


def build_app() -> gr.Blocks:
    with gr.Blocks(title="Tickmark", analytics_enabled=False) as app:
        gr.Markdown("## Tickmark — figures from filing notes, cited and recomputed\n"
                    "Every number links to the row and column it came from; ✓ means the table's "
                    "arithmetic was recomputed and holds, ✗ means it does not.")
        state = gr.State(None)
        with gr.Row():
            with gr.Column(scale=4):
                chat = gr.Chatbot(label="Chat", height=430, elem_id="tm-chat")
                with gr.Row():
                    box = gr.Textbox(placeholder="Ask about the notes, e.g. how did contract-asset "
                                     "write-offs change in 2025?", show_label=False, scale=8,
                                     elem_id="tm-question")
                    send = gr.Button("Ask", variant="primary", scale=1, elem_id="tm-ask")
                gr.Examples(EXAMPLES, inputs=box, label="Examples")
            with gr.Column(scale=5):
                with gr.Tabs():
                    with gr.Tab("Sources"):
                        source = gr.HTML("<p>Ask a question; the table behind each cited figure "
                                         "appears here.</p>", elem_id="tm-source")
                        cites = gr.Radio(choices=[], label="Citations — choose one to open its source",
                                         elem_id="tm-citations")
                    with gr.Tab("Tick marks"):
                        ticks = gr.HTML("<p>No tick marks yet.</p>", elem_id="tm-checks")
                    with gr.Tab("Documents"):
                        upload = gr.File(file_count="multiple", file_types=UPLOAD_TYPES,
                                         label=f"Ingest filings (text, HTML, XML; ≤ {MAX_UPLOAD_MB} MB each)")
                        status = gr.Textbox(label="Ingest log", lines=4, interactive=False)
                        docs = gr.HTML(elem_id="tm-docs")
        outputs = [chat, state, cites, source, ticks]
        box.submit(respond, [box, chat], outputs).then(lambda: "", None, box)
        send.click(respond, [box, chat], outputs).then(lambda: "", None, box)
        cites.change(source_view, [state, cites], source)
        upload.upload(ingest_uploads, upload, [status, docs])
        app.load(documents_panel, None, docs)
    return app


THEME_FONTS = ["ui-sans-serif", "system-ui", "Segoe UI", "Helvetica", "Arial", "sans-serif"]


def launch(host: str = "127.0.0.1", port: int = 7860, auth: str | None = None) -> None:
    app = build_app()
    auth_pair = None
    if auth:
        if ":" not in auth:
            raise TickmarkError("--auth takes USER:PASSWORD")
        auth_pair = tuple(auth.split(":", 1))
    theme = gr.themes.Default(font=THEME_FONTS, font_mono=["ui-monospace", "monospace"])
    app.queue(default_concurrency_limit=4).launch(
        server_name=host, server_port=port, auth=auth_pair, share=False, css=CSS, theme=theme,
        max_file_size=f"{MAX_UPLOAD_MB}mb", footer_links=[], ssr_mode=False, show_error=True,
        mcp_server=False, pwa=False,
    )


def run_ui(args: argparse.Namespace) -> int:
    """`tickmark ui`: optionally ingest, warm the engine, then serve."""
    if getattr(args, "ingest", None):
        from extractor.bulk import expand_inputs
        from extractor.extract import extract_or_error

        files, _ = expand_inputs(args.ingest)
        idx = _index()
        for p in files:
            idx.add_document(extract_or_error(p))
    if _index().count() == 0:
        print("tickmark ui: the index is empty — upload filings in the Documents tab, or run "
              "`tickmark ingest samples/seeds` first", file=sys.stderr)
    else:
        answer_question(EXAMPLES[0])  # warm the models so the first answer is fast
    print(f"Tickmark chat on http://{args.host}:{args.port}", file=sys.stderr)
    launch(args.host, args.port, args.auth)
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Tickmark chat (Gradio)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=7860)
    p.add_argument("--auth")
    p.add_argument("--ingest", nargs="*")
    return run_ui(p.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
