"""The web app through HTTP (starlette's TestClient): uploads, guards, pages, downloads."""
from __future__ import annotations

import html
import io
import re
import time
import zipfile
from pathlib import Path

import networkx as nx
import pytest
from starlette.testclient import TestClient

from pipeline.ask import parse_question
from pipeline.query import TaskQuery, find_tasks
from pipeline.render import render_pdf
from pipeline.store import Store
from pipeline.web import WebConfig, create_app
from pipeline.web.charts import bar_chart, column_chart
from pipeline.web.security import CsrfSigner, sniff_kind
from pipeline.web.uploads import display_name, pdf_page_estimate

ROOT = Path(__file__).resolve().parents[1]
BASE = "http://127.0.0.1"
UUID_NAME = re.compile(r"^[0-9a-f]{32}\.(pdf|docx)$")


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> Path:
    return render_pdf(ROOT / "corpus" / "kh_ubnd_xa.txt", tmp_path_factory.mktemp("pdf") / "kh.pdf")


def make_client(tmp: Path, **options) -> tuple[TestClient, WebConfig]:
    """A client that reads the page in English (the page's Vietnamese is tested in test_web_i18n.py)."""
    config = WebConfig(db=tmp / "store" / "nq.sqlite", **options)
    client = TestClient(create_app(config), base_url=BASE)
    client.cookies.set("nqgraph_lang", "en")
    return client, config


def csrf(client: TestClient) -> str:
    page = client.get("/upload")
    return re.search(r'name="csrf" value="([0-9a-f]+)"', page.text).group(1)


def stored_files(config: WebConfig) -> list[str]:
    return sorted(p.name for p in config.uploads().iterdir() if p.name != "uploads.sqlite")


@pytest.fixture(scope="module")
def loaded(tmp_path_factory, pdf):
    """A client whose store holds one document uploaded through the form."""
    client, config = make_client(tmp_path_factory.mktemp("web"))
    answer = client.post("/upload", data={"csrf": csrf(client)},
                         files=[("files", ("../../Kế hoạch 87.pdf", pdf.read_bytes(), "application/pdf"))])
    return client, config, answer


# ---- upload ----------------------------------------------------------------

def test_upload_stores_the_document_under_a_generated_name(loaded):
    client, config, answer = loaded
    assert answer.status_code == 200
    assert "added Kế hoạch 87.pdf: added (Kế hoạch 87/KH-UBND" in re.sub(r"<[^>]+>|\s+", " ", answer.text).replace("  ", " ")
    with Store(config.db) as store:
        docs = store.documents()
    assert [(d["source"], d["number"]) for d in docs] == [("Kế hoạch 87.pdf", "87/KH-UBND")]
    files = stored_files(config)
    assert len(files) == 1 and UUID_NAME.match(files[0])
    assert not (config.uploads() / "Kế hoạch 87.pdf").exists()


def test_same_bytes_again_are_unchanged(loaded, pdf):
    client, config, _ = loaded
    answer = client.post("/upload", data={"csrf": csrf(client)},
                         files=[("files", ("copy.pdf", pdf.read_bytes(), "application/pdf"))])
    assert answer.status_code == 200
    assert "copy.pdf: already in the store, nothing to do." in answer.text
    assert len(stored_files(config)) == 1


def test_upload_with_javascript_returns_a_job_to_poll(tmp_path, pdf):
    client, config = make_client(tmp_path)
    answer = client.post("/upload", data={"csrf": csrf(client)}, headers={"accept": "application/json"},
                         files=[("files", ("a.pdf", pdf.read_bytes(), "application/pdf"))])
    assert answer.status_code == 202
    url = answer.json()["status_url"]
    for _ in range(120):
        job = client.get(url).json()
        if job["done"]:
            break
        time.sleep(0.5)
    assert job["done"] is True
    assert [(f["name"], f["status"], f["url"]) for f in job["files"]] == [("a.pdf", "added", "/documents/1")]


def test_a_broken_pdf_fails_in_plain_words_and_leaves_nothing(tmp_path, pdf):
    client, config = make_client(tmp_path)
    answer = client.post("/upload", data={"csrf": csrf(client)}, files=[
        ("files", ("hỏng.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n%%EOF garbage", "application/pdf")),
        ("files", ("tốt.pdf", pdf.read_bytes(), "application/pdf"))])
    assert answer.status_code == 200  # one of two files went in
    text = re.sub(r"\s+", " ", answer.text)
    assert re.search(r"<strong>failed</strong> hỏng\.pdf: [^<]+\(error E\d{3}\)", text)
    assert "<strong>added</strong> tốt.pdf: added" in text
    with Store(config.db) as store:
        assert [d["source"] for d in store.documents()] == ["tốt.pdf"]
    assert len(stored_files(config)) == 1


# ---- guards ----------------------------------------------------------------

def test_body_over_the_limit_is_refused_whatever_content_length_says(tmp_path):
    client, config = make_client(tmp_path, max_body_bytes=1024 * 1024)
    token = csrf(client)
    big = b"%PDF-" + b"x" * (2 * 1024 * 1024)
    lying = client.post("/upload", content=big, headers={
        "content-type": "multipart/form-data; boundary=b", "content-length": "100",
        "cookie": f"nqgraph_csrf={client.cookies.get('nqgraph_csrf')}", "x-csrf-token": token})
    assert lying.status_code == 413

    def chunks():
        for _ in range(40):
            yield b"y" * 65536

    missing = client.post("/upload", content=chunks(), headers={"content-type": "multipart/form-data; boundary=b"})
    assert missing.status_code == 413
    declared = client.post("/upload", content=b"z", headers={"content-length": str(5 * 1024 * 1024)})
    assert declared.status_code == 413
    assert "larger than 1 MB" in declared.text
    assert stored_files(config) == []


def test_a_renamed_text_file_is_refused_with_415(tmp_path):
    client, config = make_client(tmp_path)
    answer = client.post("/upload", data={"csrf": csrf(client)}, files=[
        ("files", ("nghi_quyet.pdf", "Nghị quyết số 35-NQ/TW\n1. Giao Ủy ban nhân dân".encode(), "application/pdf"))])
    assert answer.status_code == 415
    assert "nghi_quyet.pdf: this is plain text, not a PDF or a Word (DOCX) file" in answer.text
    assert stored_files(config) == []
    with Store(config.db) as store:
        assert store.documents() == []


@pytest.mark.parametrize("token", [None, "0" * 64])
def test_upload_without_a_valid_csrf_token_is_refused(tmp_path, pdf, token):
    client, config = make_client(tmp_path)
    client.get("/upload")  # sets the cookie
    data = {"csrf": token} if token else {}
    answer = client.post("/upload", data=data, files=[("files", ("a.pdf", pdf.read_bytes(), "application/pdf"))])
    assert answer.status_code == 403
    assert "security token" in answer.text
    assert stored_files(config) == []


def test_a_token_from_another_cookie_is_refused(tmp_path, pdf):
    client, _ = make_client(tmp_path)
    token = csrf(client)
    client.cookies.clear()
    client.cookies.set("nqgraph_csrf", "someone-else")
    answer = client.post("/upload", data={"csrf": token}, files=[("files", ("a.pdf", pdf.read_bytes(), "application/pdf"))])
    assert answer.status_code == 403


@pytest.mark.parametrize("host,status", [("evil.example", 400), ("127.0.0.1:8000", 200), ("localhost", 200)])
def test_host_header_allow_list(tmp_path, host, status):
    client, _ = make_client(tmp_path)
    assert client.get("/", headers={"host": host}).status_code == status


def test_pages_carry_security_headers(loaded):
    client, _, _ = loaded
    headers = client.get("/").headers
    assert headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self'" in headers["content-security-policy"]


# ---- pages -----------------------------------------------------------------

def test_document_page_shows_the_tree_with_chips_and_pdf_pages(loaded):
    client, config, _ = loaded
    with Store(config.db) as store:
        doc = store.document_json(1)
    page = client.get("/documents/1")
    assert page.status_code == 200
    assert page.text.count('<li id="c') == len(doc["clauses"])
    first_owner = next(b for c in doc["clauses"] for b in c["bodies"] if not b["inherited"])
    assert f'?body={first_owner["name"].replace(" ", "+")}"' in page.text.replace("%20", "+") or \
        first_owner["name"] in page.text
    pages = sorted({c["page"] for c in doc["clauses"]})
    for n in pages:
        assert f'href="/documents/1/file#page={n}"' in page.text
    pdf = client.get("/documents/1/file")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")


def test_document_page_filters_by_a_body(loaded):
    client, config, _ = loaded
    with Store(config.db) as store:
        doc = store.document_json(1)
    name = next(b["name"] for c in doc["clauses"] for b in c["bodies"])
    hits = [c for c in doc["clauses"] if any(b["name"] == name for b in c["bodies"])]
    page = client.get("/documents/1", params={"body": name})
    assert page.status_code == 200
    assert page.text.count(" hit\"") == len(hits)
    assert f"Showing {len(hits)} clause" in page.text


def test_search_takes_plain_words_without_diacritics(loaded):
    client, config, _ = loaded
    question = "nhiem vu cua Phong Kinh te"
    with Store(config.db) as store:
        expected = find_tasks(store, parse_question(question))
    assert expected, "the synthetic plan gives the Economic Division tasks"
    page = client.get("/tasks", params={"q": question})
    assert page.status_code == 200
    assert f'<strong id="task-count">{len(expected)}</strong>' in page.text
    assert 'body: Phong Kinh te' in page.text  # the selection in words, not a command line
    for task in expected:
        assert task["label"] in page.text


def test_filter_panel_narrows_by_role(loaded):
    client, config, _ = loaded
    with Store(config.db) as store:
        expected = find_tasks(store, TaskQuery(role="support"))
    page = client.get("/tasks", params={"role": "support"})
    assert f'<strong id="task-count">{len(expected)}</strong>' in page.text


def test_a_broad_question_shows_a_page_and_says_more_than(loaded, monkeypatch):
    """Past the exact bound the page reads only the tasks it shows and counts up to a limit
    (pipeline/pages.py), and says so; the shown tasks are the answer's first, in order."""
    from pipeline import pages
    from pipeline.web import app

    client, config, _ = loaded
    with Store(config.db) as store:
        every = find_tasks(store, TaskQuery(role="owner"))
    assert len(every) > 6, "the loaded store holds the synthetic plan's tasks"
    monkeypatch.setattr(pages, "EXACT_UP_TO", 3)
    monkeypatch.setattr(pages, "COUNT_UP_TO", 5)
    monkeypatch.setattr(app, "RESULT_LIMIT", 4)
    page = client.get("/tasks", params={"role": "owner", "lang": "en"})
    assert page.status_code == 200
    assert 'more than <strong id="task-count">5</strong>' in page.text
    shown = re.findall(r'<li class="task ', page.text)
    assert len(shown) == 4 and "(first 4 shown)" in page.text
    texts = re.findall(r'<div class="text">([^<]*)</div>', page.text)
    assert texts == [html.escape(t["text"]) for t in every[:4]]  # the answer's first, in order
    vietnamese = client.get("/tasks", params={"role": "owner", "lang": "vi"})
    assert 'hơn <strong id="task-count">5</strong>' in vietnamese.text


def test_an_unreadable_question_says_how_to_ask(loaded):
    client, _, _ = loaded
    page = client.get("/tasks", params={"q": "xin chào"})
    assert page.status_code == 400
    assert "Cannot read the question" in page.text and "hãy hỏi theo một trong các dạng" in page.text


def test_graphml_download_reads_back_with_networkx(loaded, tmp_path):
    client, config, _ = loaded
    answer = client.get("/export/graphml", params={"body": "Phòng Kinh tế"})
    assert answer.status_code == 200
    assert answer.headers["content-disposition"] == 'attachment; filename="nqgraph-selection.graphml"'
    path = tmp_path / "g.graphml"
    path.write_bytes(answer.content)
    G = nx.read_graphml(path)
    with Store(config.db) as store:
        tasks = find_tasks(store, TaskQuery(body="Phòng Kinh tế"))
    types = [d["type"] for _, d in G.nodes(data=True)]
    assert types.count("document") == 1
    assert types.count("body") >= 1
    clause_keys = {d["key"] for _, d in G.nodes(data=True) if d["type"] == "clause"}
    assert {f"clause:{t['id']}" for t in tasks} <= clause_keys


def test_other_downloads(loaded, tmp_path):
    client, _, _ = loaded
    gexf = client.get("/export/gexf")
    (tmp_path / "g.gexf").write_bytes(gexf.content)
    assert nx.read_gexf(tmp_path / "g.gexf").number_of_nodes() > 0
    assert client.get("/export/json").json()["nodes"]
    names = zipfile.ZipFile(io.BytesIO(client.get("/export/csv").content)).namelist()
    assert "nqgraph-csv/IMPORT.txt" in names  # the neo4j-admin command
    assert all(n.startswith("nqgraph-csv/") and n.endswith(".csv") for n in names if not n.endswith("IMPORT.txt"))
    assert client.get("/export/exe").status_code == 404


def test_overview_and_graph_pages(loaded):
    client, _, _ = loaded
    overview = client.get("/")
    assert overview.status_code == 200
    assert overview.text.count('<svg class="chart"') == 3  # bodies, directives, due per week
    assert overview.text.count('<g class="col">') == 13  # the next 90 days, week by week
    assert "87/KH-UBND" in overview.text
    graph = client.get("/graph", params={"body": "Phòng Kinh tế"})
    assert graph.status_code == 200
    assert '<script type="application/json" id="graph-data">[{' in graph.text


def test_remove_needs_the_token(tmp_path, pdf):
    client, config = make_client(tmp_path)
    client.post("/upload", data={"csrf": csrf(client)}, files=[("files", ("a.pdf", pdf.read_bytes(), "application/pdf"))])
    assert client.post("/documents/1/delete", data={}).status_code == 403
    answer = client.post("/documents/1/delete", data={"csrf": csrf(client)}, follow_redirects=False)
    assert answer.status_code == 303
    with Store(config.db) as store:
        assert store.documents() == []
    assert stored_files(config) == []


# ---- pure parts ------------------------------------------------------------

@pytest.mark.parametrize("head,kind", [(b"%PDF-1.7", "pdf"), (b"PK\x03\x04\x14\x00", "docx"),
                                       (b"Nghi quyet", None), (b"\xd0\xcf\x11\xe0", None), (b"", None)])
def test_sniff_kind(head, kind):
    assert sniff_kind(head) == kind


@pytest.mark.parametrize("raw,kind,expected", [
    ("Nghị quyết 35.pdf", "pdf", "Nghị quyết 35.pdf"),
    ("../../etc/passwd", "pdf", "passwd.pdf"),
    ("C:\\Users\\a\\KH 12.docx", "docx", "KH 12.docx"),
    ("bad\x00name\n.pdf", "pdf", "badname.pdf"),
    ("....", "pdf", "upload.pdf"),
    (None, "docx", "upload.docx"),
])
def test_display_name(raw, kind, expected):
    assert display_name(raw, kind) == expected


def test_csrf_signer():
    signer = CsrfSigner(b"s" * 32)
    cookie = signer.new_cookie()
    assert signer.check(cookie, signer.token(cookie)) is True
    assert signer.check(cookie, CsrfSigner(b"t" * 32).token(cookie)) is False
    assert signer.check(None, signer.token(cookie)) is False


def test_page_estimate(pdf):
    assert pdf_page_estimate(pdf) == 3


def test_charts_escape_labels():
    svg = bar_chart([("<b>x</b>", 2, "/tasks?body=a&b"), ("y", 1, None)])
    assert "&lt;b&gt;x&lt;/b&gt;" in svg and "/tasks?body=a&amp;b" in svg
    assert svg.count("<rect") == 2
    assert column_chart([]) == '<p class="empty">Nothing to chart yet.</p>'
