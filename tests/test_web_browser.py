"""End to end in a real browser: Debian's chromium, headless, driven by Selenium.

upload → document page → question → graph → GraphML download, read back with
networkx. Screenshots of the main pages go to outputs/screenshots/.
Needs the apt packages `chromium` and `chromium-driver`; without them the test
fails (never skips) and says so.
"""
from __future__ import annotations

import socket
import threading
from contextlib import contextmanager
import time
from pathlib import Path

import networkx as nx
import pytest
import uvicorn

from pipeline.render import render_pdf
from pipeline.web import WebConfig, create_app

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "outputs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,1000")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _serving(db: Path):
    """The app over the store at `db`, on a free local port, for the length of the block."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(WebConfig(db=db)), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture
def server(tmp_path):
    with _serving(tmp_path / "store" / "nq.sqlite") as url:
        yield url


@pytest.fixture
def browser(tmp_path):
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not Path(p).exists()]
    if missing:
        pytest.fail(f"{', '.join(missing)} not found: install the Debian packages with "
                    "`apt-get install -y chromium chromium-driver` (scripts/setup.sh does this).")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.downloads = downloads
    yield driver
    driver.quit()


def _wait(driver, condition, timeout: float = 90):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(condition)


def test_upload_read_ask_and_download(server, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC

    SHOTS.mkdir(parents=True, exist_ok=True)
    pdf = render_pdf(ROOT / "corpus" / "kh_ubnd_xa.txt", tmp_path / "Kế hoạch 87.pdf")

    browser.get(server + "/upload")
    browser.find_element(By.ID, "files").send_keys(str(pdf))
    browser.find_element(By.CSS_SELECTOR, "#upload-form button").click()
    link = _wait(browser, EC.element_to_be_clickable((By.CSS_SELECTOR, "#job-files a.open-document")))
    assert browser.find_element(By.ID, "progress-text").text == "Xong."  # the page speaks Vietnamese
    assert browser.find_element(By.CSS_SELECTOR, "#job-files li").text.startswith("đã thêm Kế hoạch 87.pdf")
    browser.save_screenshot(str(SHOTS / "upload.png"))

    link.click()
    _wait(browser, EC.presence_of_element_located((By.CSS_SELECTOR, "ol.tree li.clause")))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Kế hoạch 87/KH-UBND"
    page_links = browser.find_elements(By.CSS_SELECTOR, "ol.tree a.page")
    assert page_links and page_links[0].get_attribute("href").endswith("/documents/1/file#page=1")
    browser.save_screenshot(str(SHOTS / "document.png"))

    ask = browser.find_element(By.ID, "top-q")
    ask.send_keys("nhiem vu cua Phong Kinh te")
    ask.submit()
    count = _wait(browser, EC.presence_of_element_located((By.ID, "task-count")))
    assert int(count.text) > 0
    assert len(browser.find_elements(By.CSS_SELECTOR, "ol.results li.task")) == int(count.text)
    browser.save_screenshot(str(SHOTS / "tasks.png"))

    browser.find_element(By.LINK_TEXT, "xem dạng sơ đồ").click()
    _wait(browser, lambda d: d.execute_script("return window.nqgraphCy && window.nqgraphCy.nodes().length"))
    drawn = browser.execute_script("return window.nqgraphCy.nodes().length")
    browser.save_screenshot(str(SHOTS / "graph.png"))

    browser.find_element(By.ID, "download-graphml").click()
    target = browser.downloads / "nqgraph-selection.graphml"
    _wait(browser, lambda d: target.exists() and not list(browser.downloads.glob("*.crdownload")), timeout=30)
    G = nx.read_graphml(target)
    assert G.number_of_nodes() == drawn
    assert {d["type"] for _, d in G.nodes(data=True)} >= {"document", "clause", "body"}

    browser.get(server + "/")
    _wait(browser, EC.presence_of_element_located((By.CSS_SELECTOR, "svg.chart")))
    browser.save_screenshot(str(SHOTS / "overview.png"))


SIZES = {"desktop": (1366, 768), "phone": (390, 844)}
PAGES = {"overview": "/", "tasks": "/tasks?body=UBND", "graph": "/graph", "document": "/documents/1",
         "upload": "/upload"}


@pytest.fixture
def filled_server(tmp_path):
    """The app over a store holding four corpus documents, as staff would have it."""
    from pipeline import parse
    from pipeline.store import Store

    db = tmp_path / "store" / "nq.sqlite"
    db.parent.mkdir()
    with Store(db) as store:
        for name in ("kh_ubnd_xa", "nq_hdnd_thanh_pho", "ctr_dang_uy_phuong", "qd_ubnd_tinh"):
            store.add(parse(ROOT / "corpus" / f"{name}.txt"))
    with _serving(db) as url:
        yield url


@pytest.mark.parametrize("size", SIZES)
def test_every_page_fits_desktop_and_phone_in_vietnamese(filled_server, browser, size):
    """Screenshots at 1366×768 and 390×844 (outputs/screenshots/<page>-<size>.png); no page
    is wider than the screen, the page is Vietnamese, and the graph draws at once."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC

    SHOTS.mkdir(parents=True, exist_ok=True)
    width, height = SIZES[size]
    browser.set_window_size(width, height)
    for name, path in PAGES.items():
        browser.get(filled_server + path)
        _wait(browser, EC.presence_of_element_located((By.TAG_NAME, "footer")))
        if name == "graph":
            _wait(browser, lambda d: d.execute_script("return window.nqgraphCy && window.nqgraphCy.nodes().length"))
        assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "vi"
        assert browser.find_element(By.CSS_SELECTOR, "nav a[href='/tasks']").text == "Nhiệm vụ"
        overflow = browser.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        browser.save_screenshot(str(SHOTS / f"{name}-{size}.png"))
        assert overflow <= 0, f"{name} is {overflow} px wider than a {width} px screen"
    browser.find_element(By.ID, "lang-switch").click()
    _wait(browser, EC.presence_of_element_located((By.CSS_SELECTOR, "html[lang='en']")))
    assert browser.find_element(By.CSS_SELECTOR, "nav a[href='/tasks']").text == "Tasks"
