"""The dashboard in a real headless Chromium (Debian's `chromium`) against `streamlit run` on a free port."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

playwright = pytest.importorskip("playwright.sync_api")

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOAD_MS = 180_000
# page title -> what shows that the page has finished drawing
PAGES = {
    "Compare paths": "text=Cost vs confidence",
    "Batch audit": '[data-testid="stFileUploader"]',
    "History": 'button:has-text("Reproduce")',  # the decision made above, recorded and opened
    "Model": '[data-testid="stPlotlyChart"]',
}

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PATHLENS_STORE": str(tmp_path_factory.mktemp("store") / "d.sqlite")}
    command = [shutil.which("streamlit", path=str(ROOT / ".venv" / "bin")) or "streamlit", "run", "app.py"]
    options = ["--server.headless", "true", "--server.port", str(port), "--browser.gatherUsageStats", "false"]
    server = subprocess.Popen(
        [*command, *options], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright.sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _open(browser: object, url: str) -> object:
    page = browser.new_page(viewport={"width": 1500, "height": 1100})
    deadline = time.monotonic() + 60
    while True:  # the server may still be binding its port: retry the first connection, not a fixed sleep
        try:
            page.goto(url)
            break
        except playwright.Error:
            if time.monotonic() > deadline:
                raise
            page.wait_for_timeout(250)
    page.wait_for_selector("textarea", timeout=LOAD_MS)
    return page


def _type(page: object, text: str) -> None:
    area = page.locator("textarea")
    area.fill(text)
    area.press("Control+Enter")


def test_decide_with_a_head_off_and_a_group_withheld(browser: object, app_url: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page = _open(browser, app_url)
    _type(page, "Awful service. Call me on +44 20 7946 0958, I want my money back today.")
    path_box = page.locator('[data-testid="stSidebar"] input[type="text"]').first
    page.locator('[aria-label="Layer 2"] button').nth(3).click()
    page.wait_for_function("el => el.value === 'heads_off=2.3'", arg=path_box.element_handle(), timeout=30_000)
    page.locator('[data-testid="stSidebar"]').get_by_text("phone", exact=True).click()
    page.wait_for_function(
        "el => el.value === 'heads_off=2.3; withhold=phone'", arg=path_box.element_handle(), timeout=30_000
    )
    page.wait_for_selector('.pl-withheld[data-group="phone"]')  # the live preview, before anything runs

    started = time.perf_counter()
    page.get_by_role("button", name="Decide").click()
    page.wait_for_selector('[data-testid="stMetric"]', timeout=LOAD_MS)
    first_decision_s = time.perf_counter() - started
    page.wait_for_selector(".pl-score", timeout=LOAD_MS)  # the attribution heatmap over the text
    page.wait_for_selector("text=Attention of the heads that ran (rows", timeout=LOAD_MS)  # the attention grid
    heatmap = page.locator(".pl-text").last
    assert heatmap.locator('.pl-withheld[data-group="phone"]').count() == 1
    assert "7946" in heatmap.inner_text()  # marked, struck through: shown to the analyst, never read by the model
    assert page.locator('[data-testid="stPlotlyChart"]').count() >= 5
    assert page.locator('[data-testid="stException"]').count() == 0
    (ARTIFACTS / "first_decision_s.txt").write_text(f"{first_decision_s:.2f}\n")
    page.screenshot(path=str(ARTIFACTS / "decide.png"), full_page=True)

    page.locator("text=Attention of the heads that ran (rows").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "decide_attention.png"))
    page.locator(".pl-score").first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "decide_attribution.png"))
    page.locator("text=Faithfulness: does the model").scroll_into_view_if_needed()
    page.wait_for_selector("text=Agreement between methods", timeout=LOAD_MS)
    page.screenshot(path=str(ARTIFACTS / "decide_faithfulness.png"))

    for title, drawn in PAGES.items():
        page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click()
        page.wait_for_selector(f"h1:has-text('{title}')", timeout=LOAD_MS)
        page.wait_for_selector(drawn, timeout=LOAD_MS)
        assert page.locator('[data-testid="stException"]').count() == 0, title
        page.screenshot(path=str(ARTIFACTS / f"{title.lower().replace(' ', '_')}.png"), full_page=True)


def test_markup_in_the_text_stays_inert(browser: object, app_url: str) -> None:
    page = _open(browser, app_url)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    _type(page, '<img src=x onerror="window.__xss=1;alert(1)"><script>window.__xss=2</script> lovely film')
    page.wait_for_selector(".pl-text:has-text('<img src=x')")
    page.get_by_role("button", name="Decide").click()
    page.wait_for_selector(".pl-score", timeout=LOAD_MS)
    assert page.evaluate("window.__xss") is None
    assert page.locator(".pl-text img, .pl-text script").count() == 0
    assert dialogs == []
    page.screenshot(path=str(ARTIFACTS / "xss.png"), full_page=True)
