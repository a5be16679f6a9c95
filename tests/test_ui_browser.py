"""End to end in a real browser: Debian's chromium driven by playwright.

Starts the app on a free port over the seeds, asks the user's example question, checks the
answer's figures and that a citation opens the source table with the cited cell
highlighted, measures time to first token and to the whole answer, saves a screenshot.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import REPO, SEEDS

pytestmark = pytest.mark.browser
ARTIFACTS = REPO / "artifacts"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: `make test` installs it (apt-get install chromium)")
        pytest.skip("chromium not installed (run `make browser`)")
    return exe


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    home = tmp_path_factory.mktemp("ui_home")
    env = dict(os.environ, TICKMARK_HOME=str(home), TICKMARK_EMBEDDINGS="hash", HF_HUB_OFFLINE="1",
               GRADIO_ANALYTICS_ENABLED="False")
    subprocess.run([sys.executable, "-m", "extractor.cli", "ingest", str(SEEDS)], env=env, check=True,
                   cwd=REPO, capture_output=True, timeout=300)
    port = _free_port()
    log = open(home / "ui.log", "w")
    proc = subprocess.Popen([sys.executable, "ui.py", "--port", str(port)], env=env, cwd=REPO,
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 120
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"ui exited: {(home / 'ui.log').read_text()[-3000:]}")
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        raise RuntimeError(f"ui did not start: {(home / 'ui.log').read_text()[-3000:]}")
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_user_question_in_browser(app_url):
    from playwright.sync_api import sync_playwright

    exe = _chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=exe,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 950})
        page.goto(app_url, wait_until="load")
        page.wait_for_selector("#tm-question textarea", timeout=30000)
        box = page.locator("#tm-question textarea")
        box.fill("how did contract-asset write-offs change in 2025")
        bot = page.locator("#tm-chat .bot, #tm-chat [data-testid='bot']").last
        t0 = time.perf_counter()
        page.locator("#tm-ask").click()
        page.wait_for_function(
            "() => { const b = document.querySelectorAll('#tm-chat [data-testid=\"bot\"]');"
            " return b.length && /\\d/.test(b[b.length-1].innerText); }", timeout=10000)
        first_token = time.perf_counter() - t0
        page.wait_for_function(
            "() => document.querySelectorAll('#tm-citations input[type=radio]').length > 0", timeout=10000)
        whole = time.perf_counter() - t0
        text = bot.inner_text()
        for figure in ("421,568", "493,436", "71,868"):
            assert figure in text, f"{figure} missing from the answer: {text!r}"
        # the first citation is selected: its source table shows the cited cell highlighted
        page.wait_for_selector("#tm-source td.cited", timeout=10000)
        cited = page.locator("#tm-source td.cited").first.inner_text().strip()
        first_label = page.locator("#tm-citations label").first.inner_text()
        assert first_label.startswith("[1] " + cited), (first_label, cited)
        assert cited.strip("()") in {"421,568", "493,436"}
        # choosing another citation opens its own table and cell
        radios = page.locator("#tm-citations label")
        assert radios.count() > 1
        radios.nth(1).click()
        page.wait_for_function(
            "() => { const c = document.querySelector('#tm-source td.cited');"
            " return c && c.innerText.includes('493,436'); }", timeout=10000)
        radios.first.click()
        page.wait_for_timeout(500)
        page.screenshot(path=str(ARTIFACTS / "ui_answer.png"), full_page=True)
        browser.close()
    print(f"\nfirst token visible after {first_token:.2f} s, whole answer after {whole:.2f} s")
    (ARTIFACTS / "ui_latency.txt").write_text(f"first_token_s={first_token:.3f}\nwhole_answer_s={whole:.3f}\n")
    assert first_token < 1.0, f"first token after {first_token:.2f} s (target < 1 s)"
    assert whole < 2.0, f"whole answer after {whole:.2f} s (target < 2 s)"
