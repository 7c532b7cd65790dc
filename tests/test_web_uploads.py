"""The web app's upload path under stress: mixed batches, restarts, slow and vanishing clients,
hostile text in the page's JSON island. (The everyday upload tests are in test_web.py.)"""
from __future__ import annotations

import asyncio
import html
import json
import logging
import re
import time
from dataclasses import replace
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from graph_samples import document_a
from pipeline.render import render_pdf
from pipeline.store import Store
from pipeline.web import WebConfig, create_app
from pipeline.web.jobs import JobBook
from pipeline.web.security import BodyLimitMiddleware, json_island
from pipeline.web.uploads import FileOutcome, UploadIndex

ROOT = Path(__file__).resolve().parents[1]
BASE = "http://127.0.0.1"
HOSTILE = "Giao <!--<script>alert(1)</script> và </script><b>"


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> Path:
    return render_pdf(ROOT / "corpus" / "kh_ubnd_xa.txt", tmp_path_factory.mktemp("pdf") / "kh.pdf")


def client_for(db: Path) -> TestClient:
    client = TestClient(create_app(WebConfig(db=db)), base_url=BASE)
    client.cookies.set("nqgraph_lang", "en")
    return client


def csrf(client: TestClient) -> str:
    return re.search(r'name="csrf" value="([0-9a-f]+)"', client.get("/upload").text).group(1)


def wait_done(client: TestClient, url: str) -> dict:
    """Poll a job until it is done; the limit only bounds a failing test."""
    for _ in range(600):
        job = client.get(url).json()
        if job["done"]:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job never finished: {job}")


# ---- the graph page's JSON island -------------------------------------------------

def test_every_angle_bracket_in_the_json_island_is_escaped(tmp_path):
    db = tmp_path / "s.sqlite"
    base = document_a()
    heading = replace(base.clauses[0], text=HOSTILE)
    with Store(db) as store:
        store.add(replace(base, clauses=(heading,)))
    page = client_for(db).get("/graph").text
    island = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.S).group(1)
    assert "<" not in island and ">" not in island
    assert any(HOSTILE in e["data"]["title"] for e in json.loads(island))


def test_json_island_reads_back():
    value = {"t": "<!-- </script> & \u2028 ok"}
    assert json.loads(json_island(value)) == value
    assert not set("<>&\u2028") & set(json_island(value))


# ---- batches: the good files go in, the bad ones are named for what they are -------

def test_a_batch_stores_the_good_files_and_names_the_real_type_of_the_bad(tmp_path, pdf):
    client = client_for(tmp_path / "s.sqlite")
    answer = client.post("/upload", data={"csrf": csrf(client)}, files=[
        ("files", ("ghi chú.txt", "Nghị quyết số 35-NQ/TW\n1. Giao Ủy ban".encode(), "text/plain")),
        ("files", ("kh.pdf", pdf.read_bytes(), "application/pdf")),
        ("files", ("anh.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png"))])
    assert answer.status_code == 200
    text = html.unescape(re.sub(r"\s+", " ", answer.text))
    assert "ghi chú.txt: this is plain text, not a PDF or a Word (DOCX) file" in text
    assert "anh.png: this is a PNG image" in text and ".bin" not in text
    assert "<strong>added</strong> kh.pdf: added" in text
    with Store(tmp_path / "s.sqlite") as store:
        assert [d["source"] for d in store.documents()] == ["kh.pdf"]


# ---- restarts: jobs and the CSRF secret live on disk ----------------------------

def test_a_job_and_the_form_token_outlive_a_restart(tmp_path, pdf):
    db = tmp_path / "s.sqlite"
    before = client_for(db)
    token = csrf(before)
    answer = before.post("/upload", data={"csrf": token}, headers={"accept": "application/json"},
                         files=[("files", ("a.pdf", pdf.read_bytes(), "application/pdf"))])
    url = answer.json()["status_url"]
    wait_done(before, url)
    after = client_for(db)  # a new app over the same folder: the server restarted
    assert [(f["name"], f["status"]) for f in after.get(url).json()["files"]] == [("a.pdf", "added")]
    after.cookies.update(before.cookies)
    resent = after.post("/upload", data={"csrf": token}, files=[("files", ("b.pdf", pdf.read_bytes(), "application/pdf"))])
    assert resent.status_code == 200 and "already in the store" in resent.text
    assert (db.parent / "nqgraph-csrf.key").stat().st_mode & 0o777 == 0o600


def test_files_left_unread_by_a_stopped_server_are_read_when_it_starts(tmp_path, pdf):
    db = tmp_path / "s.sqlite"
    index = UploadIndex(db.parent / "uploads")
    staged = index.new_path("pdf")
    staged.write_bytes(pdf.read_bytes())
    book = JobBook(index.path)
    book.create("j1", [FileOutcome("kh.pdf", "parsing"), FileOutcome("gone.pdf")],
                [(staged, "pdf"), (index.new_path("pdf"), "pdf")])   # the second file's bytes never landed
    client = client_for(db)
    job = wait_done(client, "/jobs/j1")
    assert [(f["name"], f["status"]) for f in job["files"]] == [("kh.pdf", "added"), ("gone.pdf", "failed")]
    assert "server stopped before this file was read" in job["files"][1]["message"]


# ---- slow, too many, and vanishing clients ---------------------------------------

async def _call(app, receive_chunks, path="/upload"):
    """Drive an ASGI app with a request whose body `receive_chunks` yields; return (status, body)."""
    sent = []
    scope = {"type": "http", "method": "POST", "path": path, "headers": [(b"content-length", b"1000000")]}

    async def send(message):
        sent.append(message)

    await app(scope, receive_chunks, send)
    status = next((m["status"] for m in sent if m["type"] == "http.response.start"), None)
    return status, b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


async def _reads_body(scope, receive, send):
    while (await receive()).get("more_body"):
        pass
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


def test_a_trickling_body_is_cut_off_with_408_and_one_log_line(caplog):
    async def trickle():
        await asyncio.sleep(10)   # a client that sends nothing more
        return {"type": "http.request", "body": b"x", "more_body": True}

    guard = BodyLimitMiddleware(_reads_body, limit=1 << 20, grace=0.2, min_rate=1024)
    with caplog.at_level(logging.WARNING, logger="nqgraph.web"):
        status, body = asyncio.run(_call(guard, trickle))
    assert status == 408 and b"too slowly" in body
    assert len(caplog.records) == 1 and caplog.records[0].exc_info is None


def test_bodies_past_the_cap_are_refused_at_once_with_503():
    async def scenario():
        release = asyncio.Event()

        async def held():
            await release.wait()
            return {"type": "http.request", "body": b"", "more_body": False}

        guard = BodyLimitMiddleware(_reads_body, limit=1 << 20, grace=60, max_concurrent=1)
        first = asyncio.create_task(_call(guard, held))
        await asyncio.sleep(0)   # the first request is now inside, reading its body
        second = await _call(guard, held)
        release.set()
        return second, await first

    (status, body), (first_status, _) = asyncio.run(scenario())
    assert status == 503 and b"try again" in body and first_status == 200


def test_a_client_that_goes_away_mid_upload_is_one_log_line(tmp_path, caplog):
    app = create_app(WebConfig(db=tmp_path / "s.sqlite"))
    boundary = b"nqgraphboundary"
    parts = [{"type": "http.request", "body": b"--" + boundary + b"\r\nContent-Disposition: form-data; "
                                              b'name="files"; filename="a.pdf"\r\n\r\n%PDF-1.7\n', "more_body": True},
             {"type": "http.disconnect"}]

    async def receive():
        return parts.pop(0) if parts else {"type": "http.disconnect"}

    async def call():
        scope = {"type": "http", "method": "POST", "path": "/upload", "raw_path": b"/upload", "query_string": b"",
                 "root_path": "", "scheme": "http", "server": ("127.0.0.1", 80), "http_version": "1.1",
                 "headers": [(b"host", b"127.0.0.1"), (b"content-length", b"1000000"),
                             (b"content-type", b"multipart/form-data; boundary=" + boundary)]}
        sent = []

        async def send(message):
            sent.append(message)

        await app(scope, receive, send)
        return sent

    with caplog.at_level(logging.DEBUG):
        asyncio.run(call())
    mine = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(mine) == 1 and "went away" in mine[0].getMessage() and mine[0].exc_info is None
    assert not list((tmp_path / "uploads").glob("*.pdf"))
