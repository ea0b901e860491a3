"""End to end: `streamlit run app.py` in a subprocess, driven by Playwright in Debian's headless Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing: run `make test-deps` to install it"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"streamlit exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url + "_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"streamlit did not come up in {timeout:.0f}s:\n{log.read_text(errors='replace')}")


@pytest.fixture
def server(app_index_dir, tmp_path):
    """The chat page served on a free port over the session's markdown index; yields its URL."""
    port = _free_port()
    log = tmp_path / "streamlit.log"
    env = {
        **os.environ,
        "LATM_QA_INDEX": str(app_index_dir),
        "LATM_QA_FEEDBACK_DIR": str(tmp_path / "feedback"),
        "HF_HUB_OFFLINE": "1",
    }
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
        "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]
    with open(log, "wb") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_healthy(url, proc, log)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


def test_asking_in_the_browser_cites_the_case_study(server, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(server)
            box = page.locator('[data-testid="stChatInput"] textarea')
            box.wait_for(timeout=120_000)
            sync_api.expect(page.get_by_text("Try one of these questions")).to_be_visible(timeout=120_000)
            box.fill("Which council trains its employees to think commercially?")
            box.press("Enter")
            answer = page.locator(".latm-answer")
            answer.wait_for(timeout=120_000)
            sync_api.expect(answer).to_contain_text("Warrington Borough Council")
            sync_api.expect(answer).to_contain_text("§4.4")
            first_card = page.locator(".latm-hit").first
            sync_api.expect(first_card).to_contain_text("§4.4 Case studies — Warrington Borough Council (2011-Present)")
            sync_api.expect(first_card.locator("mark").first).to_be_visible()
            assert page.locator('[data-testid="stException"]').count() == 0
            page.screenshot(path=str(tmp_path / "answer.png"), full_page=True)

            box.fill("Who should I contact there?")  # a follow-up: Warrington's contact, not another's
            box.press("Enter")
            second = page.locator(".latm-answer").nth(1)
            second.wait_for(timeout=120_000)
            sync_api.expect(second).to_contain_text("Danny Mather")
            sync_api.expect(page.get_by_text("Read as a follow-up about")).to_be_visible()
            citation = second.locator("a.latm-ref").first
            target = citation.get_attribute("href")
            assert target and target.startswith("#card-")
            citation.click()  # the numbered citation jumps to its card
            card = page.locator(target)
            sync_api.expect(card).to_be_in_viewport()
            sync_api.expect(card).to_contain_text("Warrington Borough Council")
            page.screenshot(path=str(tmp_path / "followup.png"), full_page=False)
        finally:
            browser.close()
    assert (tmp_path / "answer.png").stat().st_size > 10_000
    assert (tmp_path / "followup.png").stat().st_size > 10_000
