"""The upload page's routes: stage the files sent, read them one at a time, report each.

A batch is never refused whole for one bad file: the good files are stored and
read, the bad ones listed with what they really are ("plain text", "a PNG
image"), each under its own name. Jobs are kept in a `JobBook` on disk, so the
page's progress survives a restart and a file queued when the server stopped is
read when it starts again.

>>> register(app, config, render=render, error_page=error_page, signer=signer, index=index)  # doctest: +SKIP
"""
from __future__ import annotations

import asyncio
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Optional

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.datastructures import UploadFile

from pipeline.web.jobs import JobBook
from pipeline.web.security import CSRF_COOKIE, CSRF_FIELD, CSRF_HEADER, CsrfSigner, describe_content, sniff_kind
from pipeline.web.uploads import FileOutcome, UploadIndex, display_name, ingest_upload

__all__ = ["register"]

SNIFF_BYTES = 512  # enough to tell text from binary, and HTML from plain text
Staged = Optional[tuple[Path, str]]  # where an accepted file's bytes are, and its kind; None if refused


def _refused(upload: UploadFile, head: bytes) -> FileOutcome:
    name = display_name(upload.filename, None)
    return FileOutcome(name, "failed", f"{name}: this is {describe_content(head)}, not a PDF or a Word (DOCX) file, "
                                       "whatever its name says. Open it and save or export it as PDF, then upload that.")


def register(app: FastAPI, config, *, render: Callable[..., HTMLResponse], error_page: Callable[..., HTMLResponse],
             signer: CsrfSigner, index: UploadIndex) -> None:
    """Add GET/POST /upload and GET /jobs/{id}; resume the files a stopped server left unread."""
    book = JobBook(index.path)
    # One parse at a time: each runs in its own worker process and the machine is small.
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nqgraph-parse")

    def read(job: str, position: int, outcome: FileOutcome, stored: Path, kind: str) -> None:
        outcome.status = "parsing"
        book.save(job, position, outcome)
        # A scan's OCR page k/n reaches the page's poll of /jobs/{id} through the book.
        ingest_upload(stored, outcome.name, kind, config.db, index, config.limits, outcome,
                      progress=lambda seen: book.save(job, position, seen))
        book.save(job, position, outcome)

    def run_job(job: str, outcomes: list[FileOutcome], staged: list[Staged]) -> None:
        for position, (outcome, where) in enumerate(zip(outcomes, staged)):
            if where is not None:
                read(job, position, outcome, *where)

    for pending in book.pending():
        executor.submit(read, *pending)

    async def stage(request: Request) -> tuple[list[FileOutcome], list[Staged], Optional[Response]]:
        """Check the CSRF token and each file's first bytes; store the good files under generated names."""
        form = await request.form(max_files=config.max_files, max_fields=10)
        token = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER)
        if not signer.check(request.cookies.get(CSRF_COOKIE), token if isinstance(token, str) else None):
            return [], [], error_page(request, 403, "The form has expired", [
                "The page's security token is missing or does not match. Reload the upload page and try again."])
        files = [f for f in form.getlist("files") if isinstance(f, UploadFile) and (f.filename or f.size)]
        if not files:
            return [], [], error_page(request, 400, "No file chosen", ["Choose one or more PDF or DOCX files."])
        outcomes, staged = [], []
        for upload in files:
            head = await upload.read(SNIFF_BYTES)
            kind = sniff_kind(head)
            if kind is None:
                outcomes.append(_refused(upload, head))
                staged.append(None)
                continue
            path = index.new_path(kind)
            await upload.seek(0)
            with path.open("wb") as handle:
                while chunk := await upload.read(1 << 20):
                    handle.write(chunk)
            outcomes.append(FileOutcome(display_name(upload.filename, kind)))
            staged.append((path, kind))
        return outcomes, staged, None

    def wants_json(request: Request) -> bool:
        return "application/json" in request.headers.get("accept", "")

    @app.get("/upload", response_class=HTMLResponse)
    def upload_form(request: Request):
        return render(request, "upload.html", {"outcomes": []})

    @app.post("/upload")
    async def upload(request: Request):
        outcomes, staged, refusal = await stage(request)
        if refusal is not None:
            return refusal
        if not any(staged):
            refused = [o.message for o in outcomes]
            if wants_json(request):
                return JSONResponse({"error": "unsupported", "files": refused}, status_code=415)
            return error_page(request, 415, "File type not accepted", refused)
        job = uuid.uuid4().hex
        book.create(job, outcomes, staged)
        if wants_json(request):  # the page's script polls /jobs/{id} for progress
            executor.submit(run_job, job, outcomes, staged)
            return JSONResponse({"job": job, "status_url": f"/jobs/{job}",
                                 "files": [o.to_json() for o in outcomes]}, status_code=202)
        await asyncio.get_running_loop().run_in_executor(executor, run_job, job, outcomes, staged)
        status = 422 if all(o.status == "failed" for o in outcomes) else 200
        return render(request, "upload.html", {"outcomes": outcomes}, status)

    @app.get("/jobs/{job_id}")
    def job_status(job_id: str):
        outcomes = book.get(job_id)
        if outcomes is None:
            return JSONResponse({"error": "no such job"}, status_code=404)
        done = all(o.status not in ("queued", "parsing") for o in outcomes)
        return {"done": done, "files": [o.to_json() for o in outcomes]}
