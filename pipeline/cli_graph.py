"""The graph commands of `nqgraph`: tasks, ask, directives, bodies, show, remove, export.

Thin: each command opens the store, calls query/ask/graph/export, prints.
Exit 0 ok, 1 nothing found, 2 bad input (one line on stderr).
"""
from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

from pipeline.console import LazyConsole
from pipeline.defaults import DEFAULT_DB
from pipeline.errors import NqgraphError

if TYPE_CHECKING:
    from pipeline.store import Store

__all__ = ["register"]

out = LazyConsole(soft_wrap=True)
err = LazyConsole(stderr=True, soft_wrap=True)

# `--format` offers exactly the formats the exporter writes.
# pipeline.export.FORMATS, named here so that a query does not import the writers (and
# networkx) at start-up; tests/test_cli.py checks the two lists agree.
EXPORT_FORMATS = ("graphml", "graphml-yed", "gexf", "json", "csv", "cypher")
ExportFormat = Enum("ExportFormat", {name: name for name in EXPORT_FORMATS}, type=str)

DB = typer.Option(DEFAULT_DB, "--db", envvar="NQGRAPH_DB", show_envvar=True,
                  help="The SQLite store (made by `nqgraph ingest`).")
TODAY = typer.Option(None, "--today", metavar="YYYY-MM-DD",
                     help="The day 'overdue', 'this quarter' and 'next month' count from (default: today).")
AS_CSV = typer.Option(False, "--csv", help="Print CSV.")
LIMIT = typer.Option(None, "--limit", min=1, help="Show at most N tasks [default: 50 in the table; every one with --json or --csv].")
SHOW_ALL = typer.Option(False, "--all", help="Show every matching task.")


def _fail(error: NqgraphError) -> None:
    err.print(str(error), markup=False, highlight=False)
    raise typer.Exit(2)


def _deadline_cell(task: dict) -> str:
    """Deadlines as the source said them ("hằng quý", "6 tháng đầu năm 2018"), not ISO."""
    from pipeline.periods import say_deadline

    return "; ".join(dict.fromkeys(say_deadline(d["kind"], d["value"]) for d in task["deadlines"]))


def _bodies_cell(task: dict) -> str:
    return "; ".join(f"{b['name']} ({b['role']})" for b in task["bodies"])


def _owners_cell(task: dict) -> str:
    owners = [b["name"] for b in task["bodies"] if b["role"] == "owner"]
    supports = [b["name"] for b in task["bodies"] if b["role"] == "support"]
    return "; ".join(dict.fromkeys(owners)) + (f" (+{len(set(supports))} phối hợp)" if supports else "")


def _print_tasks(tasks: list[dict], as_json: bool, as_csv: bool, full: bool = False, page=None) -> None:
    if as_json:
        sys.stdout.write(json.dumps(tasks, ensure_ascii=False, indent=1) + "\n")
        return
    if as_csv:
        from pipeline.export.spreadsheet import TASK_COLUMNS, task_row, write_spreadsheet_csv
        sys.stdout.flush()
        write_spreadsheet_csv(sys.stdout.buffer, TASK_COLUMNS, (task_row(t) for t in tasks))
        return
    # One line a task that fits the terminal. The id is what `nqgraph show` takes, so it is
    # never cut: on a narrow terminal the owners, the due date, then the document go first.
    cells = {"id": lambda t: t["id"], "document": lambda t: t["document"]["number"] or t["document"]["source"],
             "label": lambda t: t["label"], "task": lambda t: t["text"] if full else " ".join(t["text"].split()),
             "owners": _owners_cell, "due": _deadline_cell}
    fixed = {name: max(len(name), *(len(cells[name](t)) for t in tasks)) for name in ("id", "document", "label")}
    flexible = {"task": (0.55, 16), "owners": (0.28, 12), "due": (0.17, 10)}
    columns = list(cells)
    for drop in ("owners", "due", "document", None):
        used = sum(fixed.get(c, 0) + flexible.get(c, (0, 0))[1] + 3 for c in columns) + 1
        if used <= out.width or drop is None:
            break
        columns.remove(drop)
    # What the fixed columns leave, past each flexible column's least width, is shared out.
    spare = out.width - sum(fixed.get(c, 0) + flexible.get(c, (0, 0))[1] + 3 for c in columns) - 1
    shares = sum(flexible[c][0] for c in columns if c in flexible)
    from rich.table import Table  # here: parse and --json output never draw one

    table = Table(show_lines=full)
    for name in columns:
        if name in fixed:
            table.add_column(name, no_wrap=True, width=fixed[name])
        else:
            share, least = flexible[name]
            table.add_column(name, overflow="fold" if full else "ellipsis", no_wrap=not full,
                             width=least + max(int(spare * share / shares), 0))
    for t in tasks:
        table.add_row(*(cells[name](t) for name in columns))
    out.print(table)
    shown = f"{len(tasks)} task(s)"
    if page is not None and page.rest:  # staff see that there is more, and how to get it
        shown = (f"{len(tasks)} of {page.total:,} tasks" if page.exact else
                 f"{len(tasks)} of more than {page.total:,} tasks") + " (--limit N or --all shows more)"
    out.print(f"{shown}; `nqgraph show ID` shows one in context, --full prints whole texts",
              highlight=False, markup=False)


def _store(db: Path) -> Store:
    """The existing store at `db`; a query never creates an empty one from a mistyped path."""
    from pipeline.errors import StoreError
    from pipeline.store import Store

    if not db.exists():
        raise StoreError("no store here", path=db,
                         hint="Check --db (or NQGRAPH_DB), or add documents first: nqgraph ingest FILES.")
    return Store(db)


def _today(value: Optional[str]):
    from datetime import date

    from pipeline.errors import QueryError
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise QueryError(f"cannot read --today {value!r}; give a day as YYYY-MM-DD") from None


def _run_tasks(db: Path, q, as_json: bool, as_csv: bool, full: bool = False, limit: Optional[int] = None,
               show_all: bool = False) -> None:
    from pipeline.pages import PAGE_SIZE, task_page

    # A person reads a page and is told how many more there are; --json and --csv feed
    # programs and spreadsheets, which get every task unless --limit says otherwise.
    if show_all or (limit is None and (as_json or as_csv)):
        limit = None
    elif limit is None:
        limit = PAGE_SIZE
    try:
        with _store(db) as store:
            page = task_page(store, q, limit=limit)
    except NqgraphError as error:
        _fail(error)
    if not page.tasks:
        err.print("no matching tasks", highlight=False)
        raise typer.Exit(1)
    _print_tasks(page.tasks, as_json, as_csv, full, page)


def tasks(
    body: Optional[str] = typer.Option(None, "--body", help="Responsible body: any of its names, abbreviation or English name, with or without diacritics or place."),
    role: Optional[str] = typer.Option(None, "--role", help="owner (chủ trì, lead) or support (phối hợp)."),
    cites: Optional[str] = typer.Option(None, "--cites", help="Cited directive: 57-NQ/TW, 57, \"Nghị quyết 57\", or words of a title."),
    doc: Optional[str] = typer.Option(None, "--doc", help="Only this document: number (173/KH-UBND or 173), file name or stem."),
    due_in: Optional[str] = typer.Option(None, "--due-in", help="Due within: 2026, quý I/2026, tháng 6/2026, 31/3/2026, \"6 tháng cuối năm\", \"this quarter\"."),
    due_before: Optional[str] = typer.Option(None, "--due-before", help="Due no later than the end of that time (same forms)."),
    due_after: Optional[str] = typer.Option(None, "--due-after", help="Due after the end of that time (same forms)."),
    overdue: bool = typer.Option(False, "--overdue", help="Due before today."),
    ongoing: bool = typer.Option(False, "--ongoing", help="Only tasks marked as ongoing ('thường xuyên')."),
    full: bool = typer.Option(False, "--full", help="Whole texts instead of one line a task."),
    as_json: bool = typer.Option(False, "--json", help="Print SPEC clause JSON."),
    as_csv: bool = AS_CSV,
    limit: Optional[int] = LIMIT,
    show_all: bool = SHOW_ALL,
    today: Optional[str] = TODAY,
    db: Path = DB,
) -> None:
    """List the tasks matching every filter given.

    Example: nqgraph tasks --body "Sở Nội vụ" --due-in "quý I/2026"
    """
    from pipeline.query import staff_query
    try:
        q = staff_query(body=body, role=role, cites=cites, doc=doc, due_in=due_in, due_before=due_before,
                        due_after=due_after, overdue=overdue, ongoing=ongoing, today=_today(today))
    except NqgraphError as error:
        _fail(error)
    _run_tasks(db, q, as_json, as_csv, full, limit, show_all)


def ask(
    question: str = typer.Argument(..., help="A question in English or Vietnamese, with or without diacritics."),
    full: bool = typer.Option(False, "--full", help="Whole texts instead of one line a task."),
    as_json: bool = typer.Option(False, "--json", help="Print SPEC clause JSON."),
    as_csv: bool = AS_CSV,
    limit: Optional[int] = LIMIT,
    show_all: bool = SHOW_ALL,
    today: Optional[str] = TODAY,
    db: Path = DB,
) -> None:
    """Answer a plain-words question; prints the equivalent `nqgraph tasks` command first.

    Example: nqgraph ask "Sở Nội vụ phải làm gì trong quý I/2026?"
    """
    from dataclasses import replace

    from pipeline.ask import describe, parse_question
    try:
        day = _today(today)
        q = parse_question(question, day)
    except NqgraphError as error:
        _fail(error)
    if q.overdue:
        q = replace(q, today=day.isoformat())
    # With --json or --csv stdout stays pure data, so the command line goes to stderr.
    (err if as_json or as_csv else out).print(describe(q), markup=False, highlight=False)
    _run_tasks(db, q, as_json, as_csv, full, limit, show_all)


def documents(
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    as_csv: bool = AS_CSV,
    db: Path = DB,
) -> None:
    """List the documents in the store: number, kind, issuer, date, clauses, tasks, source, sha256.

    Example: nqgraph documents
    """
    from pipeline.periods import say_date

    # The sha256 prefix names one document where two offices print the same number
    # (`nqgraph remove 3f2c9a1b`).
    _print_listing(db, _document_rows, as_json, as_csv,
                   ("number", "kind", "issuer", "date", "clauses", "tasks", "source", "sha256"),
                   lambda r: (r["number"] or "—", r["kind"] or "", r["issuer"] or "", say_date(r["date"]),
                              str(r["clauses"]), str(r["tasks"]), r["source"], r["sha256"][:10]))


def _document_rows(store: Store) -> list[dict]:
    rows = store.documents()
    counts = dict(store.rows("SELECT doc, count(*) FROM clauses WHERE kind IN ('task', 'target') GROUP BY doc"))
    return [{k: v for k, v in {**r, "tasks": counts.get(r["doc"], 0)}.items()} for r in rows]


def _print_listing(db: Path, fetch, as_json: bool, as_csv: bool, columns: tuple[str, ...], row) -> None:
    """Fetch rows from the store; print JSON, CSV or a table, exit 1 when there are none."""
    try:
        with _store(db) as store:
            rows = fetch(store)
    except NqgraphError as error:
        _fail(error)
    if not rows:
        raise typer.Exit(1)
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
        return
    if as_csv:
        from pipeline.export.spreadsheet import write_spreadsheet_csv
        sys.stdout.flush()
        write_spreadsheet_csv(sys.stdout.buffer, columns, (row(r) for r in rows))
        return
    from rich.table import Table

    table = Table()
    for i, column in enumerate(columns):
        # The first column names the row (a number, a body, a directive): never broken.
        table.add_column(column, overflow="fold", no_wrap=i == 0)
    for r in rows:
        table.add_row(*row(r))
    out.print(table)


def directives(
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    as_csv: bool = AS_CSV,
    db: Path = DB,
) -> None:
    """List cited directives, most-cited first, with the documents citing them.

    Example: nqgraph directives --json
    """
    from pipeline.query import directives as list_directives

    _print_listing(db, list_directives, as_json, as_csv, ("directive", "type", "issued by", "cited", "documents"),
                   lambda r: (r["id"] or r["title"] or r["key"], r["type"] or "", r["issued_by"] or "",
                              str(r["citations"]), ", ".join(r["documents"])))


def bodies(
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    as_csv: bool = AS_CSV,
    db: Path = DB,
) -> None:
    """List responsible bodies, each with its level and place, and how many clauses it owns or supports.

    Example: nqgraph bodies
    """
    from pipeline.query import bodies as list_bodies

    _print_listing(db, list_bodies, as_json, as_csv, ("body", "level", "place", "English", "tasks", "owner", "support"),
                   lambda r: (r["name"], r["level"], r["place"], r["en"] or "", str(r["tasks"]), str(r["owner"]),
                              str(r["support"])))


def _citations_cell(task: dict) -> str:
    return "; ".join(c["id"] or c["title"] or c["text"] for c in task["citations"])


def _print_clause(clause: dict) -> None:
    """The clause in context: its document, its ancestors indented, then it and its tags."""
    document = clause["document"]
    out.print(" — ".join(filter(None, (document["number"], document["title"]))) + f" ({document['source']})",
              style="bold", markup=False, highlight=False)
    for depth, ancestor in enumerate(clause["ancestors"]):
        text = ancestor["text"] if len(ancestor["text"]) <= 100 else ancestor["text"][:99] + "…"
        out.print(f"{'  ' * depth}{ancestor['label']} {text}", markup=False, highlight=False)
    indent = "  " * len(clause["ancestors"])
    out.print(f"{indent}{clause['label']} {clause['text']}", style="bold", markup=False, highlight=False)
    for name, cell in (("bodies", _bodies_cell(clause)), ("due", _deadline_cell(clause)),
                       ("cites", _citations_cell(clause)), ("kind", clause["kind"]), ("id", clause["id"])):
        if cell:
            out.print(f"{indent}  {name}: {cell}", markup=False, highlight=False)


def show(
    clause_id: str = typer.Argument(..., help="A clause id as printed in the first column of `nqgraph tasks`."),
    as_json: bool = typer.Option(False, "--json", help="Print the clause's SPEC JSON with its document and ancestors."),
    as_csv: bool = typer.Option(False, "--csv", help="Print CSV: the ancestors, outermost first, then the clause."),
    db: Path = DB,
) -> None:
    """Show one clause in context: its document, ancestors, bodies, deadlines and citations.

    Example: nqgraph show "ctr_dang_uy_phuong_text/B-.I-.1"
    """
    from pipeline.query import show as show_clause
    try:
        with _store(db) as store:
            clause = show_clause(store, clause_id)
    except NqgraphError as error:
        _fail(error)
    if as_json:
        sys.stdout.write(json.dumps(clause, ensure_ascii=False, indent=1) + "\n")
    elif as_csv:
        from pipeline.export.spreadsheet import write_spreadsheet_csv
        rows = [[depth, a["id"], a["label"], a["kind"], "", "", "", a["text"]]
                for depth, a in enumerate(clause["ancestors"])]
        rows.append([len(clause["ancestors"]), clause["id"], clause["label"], clause["kind"], _bodies_cell(clause),
                     _deadline_cell(clause), _citations_cell(clause), clause["text"]])
        sys.stdout.flush()
        write_spreadsheet_csv(sys.stdout.buffer, ["level", "id", "label", "kind", "bodies", "deadlines",
                                                  "citations", "text"], rows)
    else:
        _print_clause(clause)


def remove(
    doc: str = typer.Argument(..., help="Document number, file name, stem or sha256."),
    db: Path = DB,
) -> None:
    """Remove one document (and what only it referred to) from the store.

    Example: nqgraph remove 12-NQ/ĐU
    """
    try:
        with _store(db) as store:
            source = store.remove(doc)
    except NqgraphError as error:
        _fail(error)
    out.print(f"removed {source}", markup=False, highlight=False)


def export(
    fmt: ExportFormat = typer.Option(
        "graphml", "--format", help="graphml (plain, for every tool), graphml-yed (labels yEd shows), gexf"
        " (Gephi), json (node-link), csv (a directory for neo4j-admin import) or cypher (MERGE statements)."),
    output: Path = typer.Option(..., "-o", "--output", help="File (directory for csv) to write."),
    body: Optional[str] = typer.Option(None, "--body", help="Only the clauses of this body, with their ancestors."),
    doc: Optional[str] = typer.Option(None, "--doc", help="Only this document."),
    db: Path = DB,
) -> None:
    """Export the task-and-citation graph.

    Example: nqgraph export --format graphml -o outputs/graph.graphml --body UBKT
    """
    from pipeline.export import export as write
    from pipeline.graph import StoreGraph
    try:
        # Streamed from the store as it is written: memory stays flat whatever its size.
        with _store(db) as store:
            counts = write(StoreGraph(store, body=body, doc=doc), ExportFormat(fmt).value, output)
    except NqgraphError as error:
        _fail(error)
    out.print(f"wrote {output} ({counts.nodes} nodes, {counts.edges} edges)", markup=False, highlight=False)
    if counts.next_step:
        from pipeline.export.csv import NEO4J_IMPORT_NOTE
        out.print(f"{NEO4J_IMPORT_NOTE}\n  {counts.next_step}", markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    """Add the graph commands to the `nqgraph` app.

    >>> register(app)   # doctest: +SKIP
    """
    for command in (tasks, ask, documents, directives, bodies, show, remove, export):
        app.command(command.__name__)(command)
