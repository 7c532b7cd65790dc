"""The local web app for office staff: upload resolutions, read their tasks, ask, export.

Thin: every page opens the store, calls query/ask/graph/export, renders a
template. Server-rendered HTML that works without JavaScript; `static/app.js`
adds upload progress and the interactive graph (cytoscape.js, shipped here).

>>> app = create_app(WebConfig(db=Path("outputs/nqgraph.sqlite")))   # doctest: +SKIP
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Optional
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.trustedhost import TrustedHostMiddleware

from pipeline.errors import NqgraphError
from pipeline.export.download import DOWNLOADS, TASKS_CSV, graph_download, tasks_download
from pipeline.pages import TaskPage, task_page
from pipeline.query import TaskQuery, bodies, directives, find_tasks
from pipeline.store import Store
from pipeline.periods import say_date
from pipeline.web.charts import bar_chart, column_chart
from pipeline.web.i18n import COOKIE as LANG_COOKIE
from pipeline.web.i18n import LANGUAGES, ROLE_WORDS, describe_selection, language, translator
from pipeline.web.security import (CSRF_COOKIE, CSRF_FIELD, BodyLimitMiddleware, CsrfSigner,
                                   SecurityHeadersMiddleware, json_island)
from pipeline.web.selection import cytoscape_elements, most_connected, query_from_params, selection_graph
from pipeline.web.upload_routes import register as register_uploads
from pipeline.web.uploads import UploadIndex, UploadLimits

__all__ = ["WebConfig", "create_app"]

HERE = Path(__file__).parent
MB = 1024 * 1024
GRAPH_NODE_LIMIT = 600  # more than this is unreadable in a browser; the downloads have everything
RESULT_LIMIT = 300


@dataclass(frozen=True)
class WebConfig:
    """How the app runs. `upload_dir` defaults to `uploads/` beside the store."""
    db: Path
    upload_dir: Optional[Path] = None
    host: str = "127.0.0.1"
    allowed_hosts: tuple[str, ...] = ()
    max_body_bytes: int = 50 * MB
    max_files: int = 20
    max_concurrent_uploads: int = 4  # request bodies read at once; more get 503 (pipeline/web/security.py)
    upload_min_rate: float = 16 * 1024  # bytes/s an upload must average after its first 30 s, or 408
    limits: UploadLimits = field(default_factory=UploadLimits)

    def uploads(self) -> Path:
        return (self.upload_dir or Path(self.db).parent / "uploads").resolve()

    def hosts(self) -> list[str]:
        hosts = {"localhost", "127.0.0.1", "[::1]", *self.allowed_hosts}
        if self.host not in ("0.0.0.0", "::"):
            hosts.add(self.host)
        return sorted(hosts)


# ---- small view helpers ----------------------------------------------------

def _deadline_label(d: dict) -> str:
    """A deadline as the source says it ("hằng quý", "quý III/2025"), not its ISO value."""
    from pipeline.periods import say_deadline

    return say_deadline(d.get("kind", ""), d.get("value"))


def _for_people(error: NqgraphError) -> str:
    """An error as the page says it: what is wrong, without the command-line advice
    (`--help`, `--db`) the CLI adds."""
    where = f"{error.path}: " if error.path else ""
    message = error.message
    return where + message[:1].upper() + message[1:] + ("" if message.endswith((".", "?")) else ".")


def _task_filter_link(kind: str, value: str) -> str:
    return "/tasks?" + urlencode({kind: value})


def _due_soon(store: Store, today: date, days: int = 90) -> list[dict]:
    """Tasks whose due or period deadline ends within `days` from `today`, soonest first."""
    rows = store.rows(
        "SELECT DISTINCT c.rid, c.id, c.label, c.text, c.page, cd.ends, cd.value, d.doc, d.number, d.source"
        " FROM clause_deadlines cd JOIN clauses c ON c.rid=cd.clause JOIN documents d ON d.doc=c.doc"
        " WHERE cd.ends>=? AND cd.ends<=? AND c.kind IN ('task','target') ORDER BY cd.ends, c.doc, c.ordinal",
        (today.isoformat(), (today + timedelta(days=days)).isoformat()))
    return [dict(r) for r in rows]


def _weekly(due: list[dict], today: date, weeks: int = 13) -> list[tuple[str, int, Optional[str]]]:
    counts = [0] * weeks
    for task in due:
        week = (date.fromisoformat(task["ends"]) - today).days // 7
        counts[min(max(week, 0), weeks - 1)] += 1
    out = []
    for i, n in enumerate(counts):
        start = today + timedelta(days=7 * i)
        out.append((start.strftime("%d/%m"), n, None))
    return out


def _document_rows(doc_json: dict, filters: dict) -> tuple[list[dict], int]:
    """Clauses of one document as display rows (depth, chips); with a filter, only the
    matching clauses and their ancestors. Returns (rows, number matching)."""
    clauses = doc_json.get("clauses", [])

    def matches(c: dict) -> bool:
        if filters.get("body") and not any(b["name"] == filters["body"] for b in c["bodies"]):
            return False
        if filters.get("directive") and not any((x.get("id") or x.get("title") or x["text"]) == filters["directive"]
                                                for x in c["citations"]):
            return False
        if filters.get("deadline") and not any(_deadline_label(d) == filters["deadline"] for d in c["deadlines"]):
            return False
        return True

    active = any(filters.values())
    hits = {tuple(c["path"]) for c in clauses if matches(c)} if active else set()
    shown = {p[:i] for p in hits for i in range(1, len(p) + 1)}
    rows = []
    for i, c in enumerate(clauses):
        path = tuple(c["path"])
        if active and path not in shown:
            continue
        rows.append({**c, "anchor": f"c{i}", "depth": len(path) - 1, "hit": path in hits,
                     "own_deadlines": [d for d in c["deadlines"] if not d.get("inherited")]})
    return rows, len(hits)


# ---- the app ---------------------------------------------------------------

def create_app(config: WebConfig) -> FastAPI:
    """The ASGI app; `nqgraph serve` runs it with uvicorn.

    >>> from starlette.testclient import TestClient                                    # doctest: +SKIP
    >>> TestClient(create_app(WebConfig(db=Path("x.sqlite"))), base_url="http://127.0.0.1").get("/").status_code  # doctest: +SKIP
    200
    """
    app = FastAPI(title="nqgraph", docs_url=None, redoc_url=None, openapi_url=None)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals["task_link"] = _task_filter_link
    templates.env.globals["deadline_label"] = _deadline_label
    templates.env.globals["say_date"] = say_date
    templates.env.globals["role_words"] = ROLE_WORDS
    # In the store's folder: a restart keeps every open form's token valid.
    signer = CsrfSigner.kept_in(Path(config.db).parent / "nqgraph-csrf.key")
    index = UploadIndex(config.uploads())

    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=config.hosts())
    app.add_middleware(BodyLimitMiddleware, limit=config.max_body_bytes, min_rate=config.upload_min_rate,
                       max_concurrent=config.max_concurrent_uploads)
    app.add_middleware(SecurityHeadersMiddleware)

    def store() -> Store:
        return Store(config.db)

    def render(request: Request, name: str, context: dict, status: int = 200) -> HTMLResponse:
        cookie = request.cookies.get(CSRF_COOKIE)
        fresh = not cookie
        cookie = cookie or signer.new_cookie()
        asked = request.query_params.get("lang")
        lang = language(asked, request.cookies.get(LANG_COOKIE))
        other = "en" if lang == "vi" else "vi"
        switch = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "lang"] + [("lang", other)])
        context = {"request": request, "csrf_field": CSRF_FIELD, "csrf_token": signer.token(cookie),
                   "max_mb": config.max_body_bytes // MB, "max_files": config.max_files,
                   "max_pages": config.limits.max_pages, "lang": lang, "_": translator(lang),
                   "other_lang": other, "other_lang_name": LANGUAGES[other],
                   "other_lang_url": f"{request.url.path}?{switch}", **context}
        response = templates.TemplateResponse(request, name, context, status_code=status)
        if fresh:
            response.set_cookie(CSRF_COOKIE, cookie, httponly=True, samesite="strict", path="/")
        if asked == lang:
            response.set_cookie(LANG_COOKIE, lang, samesite="lax", path="/", max_age=365 * 24 * 3600)
        return response

    def page_language(request: Request) -> str:
        return language(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE))

    def error_page(request: Request, status: int, title: str, lines: list[str]) -> HTMLResponse:
        return render(request, "error.html", {"title": title, "lines": lines}, status)

    @app.exception_handler(NqgraphError)
    async def nqgraph_error(request: Request, error: NqgraphError):
        return error_page(request, 400, "That did not work", [_for_people(error)])

    # ---- overview ----

    @app.get("/", response_class=HTMLResponse)
    def overview(request: Request):
        today = date.today()
        _ = translator(page_language(request))
        with store() as s:
            docs = s.documents()
            top_bodies = bodies(s)[:12]
            top_dirs = directives(s)[:12]
            due = _due_soon(s, today)
        return render(request, "overview.html", {
            "documents": docs, "due": due[:50], "due_count": len(due),
            "bodies_chart": bar_chart([(b["name"], b["tasks"], _task_filter_link("body", b["name"]))
                                       for b in top_bodies], title=_("Tasks by body")),
            "directives_chart": bar_chart([(d["id"] or d["title"] or d["key"], d["citations"],
                                            _task_filter_link("cites", d["id"] or d["title"] or ""))
                                           for d in top_dirs], title=_("Most-cited directives")),
            "due_chart": column_chart(_weekly(due, today), title=_("Tasks due in the next 90 days, per week")),
        })

    # ---- upload ----

    register_uploads(app, config, render=render, error_page=error_page, signer=signer, index=index)

    # ---- documents ----

    @app.get("/documents/{doc}", response_class=HTMLResponse)
    def document_page(request: Request, doc: int, body: str = "", directive: str = "", deadline: str = ""):
        with store() as s:
            meta = next((d for d in s.documents() if d["doc"] == doc), None)
            if meta is None:
                return error_page(request, 404, "No such document", [f"No stored document has id {doc}."])
            doc_json = s.document_json(doc)
        filters = {"body": body, "directive": directive, "deadline": deadline}
        rows, hits = _document_rows(doc_json, filters)
        stored = index.file_path(meta["sha256"])
        return render(request, "document.html", {
            "meta": meta, "info": doc_json.get("doc", {}), "rows": rows, "hits": hits, "filters": filters,
            "active": any(filters.values()), "pdf": bool(stored and stored[1]["kind"] == "pdf"),
            "warnings": doc_json.get("warnings", [])})

    @app.get("/documents/{doc}/file")
    def document_file(doc: int):
        with store() as s:
            meta = next((d for d in s.documents() if d["doc"] == doc), None)
        stored = index.file_path(meta["sha256"]) if meta else None
        if stored is None:
            return Response("This document was not uploaded through the web page, so its file is not here.",
                            status_code=404, media_type="text/plain")
        path, row = stored
        media = "application/pdf" if row["kind"] == "pdf" else \
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        disposition = "inline" if row["kind"] == "pdf" else "attachment"
        return FileResponse(path, media_type=media, filename=row["name"], content_disposition_type=disposition)

    @app.post("/documents/{doc}/delete")
    async def document_delete(request: Request, doc: int):
        form = await request.form(max_files=0, max_fields=5)
        if not signer.check(request.cookies.get(CSRF_COOKIE), form.get(CSRF_FIELD)):
            return error_page(request, 403, "The form has expired", ["Reload the page and try again."])
        with store() as s:
            meta = next((d for d in s.documents() if d["doc"] == doc), None)
            if meta is None:
                return error_page(request, 404, "No such document", [f"No stored document has id {doc}."])
            s.remove(meta["sha256"])
        index.drop(meta["sha256"])
        return RedirectResponse("/", status_code=303)

    # ---- tasks, graph, export ----

    def selection(request: Request):
        params = request.query_params
        q, _command = query_from_params(params)
        words = describe_selection(q, page_language(request))
        return q, words, urlencode([(k, v) for k, v in params.multi_items() if v and k != "lang"])

    @app.get("/tasks", response_class=HTMLResponse)
    def tasks_page(request: Request):
        error = None
        page = TaskPage([], 0, 0)
        q = TaskQuery()
        command, query_string = "", ""
        with store() as s:
            docs = s.documents()
            try:
                q, command, query_string = selection(request)
                # The shown tasks and the count, not the whole answer (pages.py): a broad question
                # on a big store decodes only what the page shows.
                page = task_page(s, q, limit=RESULT_LIMIT)
            except NqgraphError as err:
                error = _for_people(err)
        for t in page.tasks:
            t["doc_id"] = t["document"]["doc"]
        return render(request, "tasks.html", {
            "tasks": page.tasks, "total": page.total, "exact": page.exact, "error": error, "selection": command,
            "params": request.query_params, "documents": docs, "q": q, "query_string": query_string,
            "pdfs": {d["doc"] for d in docs if (f := index.file_path(d["sha256"])) and f[1]["kind"] == "pdf"}},
            400 if error else 200)

    @app.get("/graph", response_class=HTMLResponse)
    def graph_page(request: Request):
        error, elements, counts, partial = None, [], {}, False
        query_string = ""
        with store() as s:
            docs = s.documents()
            try:
                q, command, query_string = selection(request)
                G = selection_graph(s, q)
                for _, t in G.nodes(data="type"):
                    counts[t] = counts.get(t, 0) + 1
                if G.number_of_nodes() > GRAPH_NODE_LIMIT:
                    G, partial = most_connected(G, GRAPH_NODE_LIMIT), True
                elements = cytoscape_elements(G)
            except NqgraphError as err:
                error, command = _for_people(err), ""
        return render(request, "graph.html", {
            "elements_json": json_island(elements),
            "counts": counts, "partial": partial, "limit": GRAPH_NODE_LIMIT,
            "error": error, "selection": command, "params": request.query_params, "documents": docs,
            "query_string": query_string}, 400 if error else 200)

    @app.get("/export/{fmt}")
    def export(request: Request, fmt: str):
        if fmt not in DOWNLOADS:
            return Response(f"Unknown format {fmt!r}; use one of {', '.join(DOWNLOADS)}.", status_code=404,
                            media_type="text/plain")
        try:
            with store() as s:
                q, _, _ = selection(request)
                if fmt == TASKS_CSV:
                    file = tasks_download(find_tasks(s, q))
                else:
                    file = graph_download(selection_graph(s, q), fmt)
        except NqgraphError as err:
            return Response(_for_people(err), status_code=400, media_type="text/plain")
        return Response(file.data, media_type=file.media,
                        headers={"content-disposition": f'attachment; filename="{file.name}"'})

    return app
