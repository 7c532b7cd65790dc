"""The graph commands of `nqgraph`: tasks, ask, directives, bodies, show, remove, export.

Thin: each command opens the store, calls query/ask/graph/export, prints.
Exit 0 ok, 1 nothing found, 2 bad input (one line on stderr).
"""
from __future__ import annotations

import csv
import json
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from pipeline.errors import NqgraphError
from pipeline.export import FORMATS as EXPORT_FORMATS
from pipeline.store import DEFAULT_DB, Store

__all__ = ["register"]

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

# `--format` offers exactly the formats the exporter writes.
ExportFormat = Enum("ExportFormat", {name: name for name in EXPORT_FORMATS}, type=str)

DB = typer.Option(DEFAULT_DB, "--db", help="The SQLite store.")
AS_CSV = typer.Option(False, "--csv", help="Print CSV.")


def _fail(error: NqgraphError) -> None:
    err.print(str(error), markup=False, highlight=False)
    raise typer.Exit(2)


def _deadline_cell(task: dict) -> str:
    return "; ".join(d["value"] or d["kind"] for d in task["deadlines"])


def _bodies_cell(task: dict) -> str:
    return "; ".join(f"{b['name']} ({b['role']})" for b in task["bodies"])


def _print_tasks(tasks: list[dict], as_json: bool, as_csv: bool) -> None:
    if as_json:
        sys.stdout.write(json.dumps(tasks, ensure_ascii=False, indent=1) + "\n")
        return
    if as_csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(["id", "document", "label", "kind", "bodies", "deadlines", "citations", "text"])
        for t in tasks:
            writer.writerow([t["id"], t["document"]["number"] or t["document"]["source"], t["label"],
                             t["kind"], _bodies_cell(t), _deadline_cell(t),
                             _citations_cell(t),
                             t["text"]])
        return
    table = Table(show_lines=True)
    for column in ("document", "clause", "bodies", "due", "text"):
        table.add_column(column, overflow="fold")
    for t in tasks:
        table.add_row(t["document"]["number"] or t["document"]["source"], " ".join(t["path"]),
                      _bodies_cell(t), _deadline_cell(t), t["text"])
    out.print(table)
    out.print(f"{len(tasks)} clause(s)", highlight=False)


def _run_tasks(db: Path, q, as_json: bool, as_csv: bool) -> None:
    from pipeline.query import find_tasks
    try:
        with Store(db) as store:
            tasks = find_tasks(store, q)
    except NqgraphError as error:
        _fail(error)
    if not tasks:
        err.print("no matching clauses", highlight=False)
        raise typer.Exit(1)
    _print_tasks(tasks, as_json, as_csv)


def tasks(
    body: Optional[str] = typer.Option(None, "--body", help="Responsible body: Vietnamese, English, abbreviation, with or without diacritics."),
    role: Optional[str] = typer.Option(None, "--role", help="owner or support."),
    cites: Optional[str] = typer.Option(None, "--cites", help="Cited directive: 57-NQ/TW, 57/NQ-TW, 57, or words of a title."),
    due_before: Optional[str] = typer.Option(None, "--due-before", help="ISO period: 2025, 2025-12, 2025-Q3 (compared by the period's end)."),
    ongoing: bool = typer.Option(False, "--ongoing", help="Only clauses marked as ongoing ('thường xuyên')."),
    doc: Optional[str] = typer.Option(None, "--doc", help="Only this document: number, file name or stem."),
    as_json: bool = typer.Option(False, "--json", help="Print SPEC clause JSON."),
    as_csv: bool = AS_CSV,
    db: Path = DB,
) -> None:
    """List the tasks matching every filter given.

    Example: nqgraph tasks --body UBKT --due-before 2025-12
    """
    from pipeline.query import TaskQuery
    _run_tasks(db, TaskQuery(body=body, role=role, cites=cites, due_before=due_before,
                             ongoing=ongoing, doc=doc), as_json, as_csv)


def ask(
    question: str = typer.Argument(..., help="A question in English or Vietnamese."),
    as_json: bool = typer.Option(False, "--json", help="Print SPEC clause JSON."),
    as_csv: bool = AS_CSV,
    db: Path = DB,
) -> None:
    """Answer a plain-words question; prints the equivalent `nqgraph tasks` command first.

    Example: nqgraph ask "nhiệm vụ của Ủy ban Kiểm tra trước tháng 12/2025?"
    """
    from pipeline.ask import describe, parse_question
    try:
        q = parse_question(question)
    except NqgraphError as error:
        _fail(error)
    # With --json or --csv stdout stays pure data, so the command line goes to stderr.
    (err if as_json or as_csv else out).print(describe(q), markup=False, highlight=False)
    _run_tasks(db, q, as_json, as_csv)


def _print_listing(db: Path, fetch, as_json: bool, as_csv: bool, columns: tuple[str, ...], row) -> None:
    """Fetch rows from the store; print JSON, CSV or a table, exit 1 when there are none."""
    try:
        with Store(db) as store:
            rows = fetch(store)
    except NqgraphError as error:
        _fail(error)
    if not rows:
        raise typer.Exit(1)
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
        return
    if as_csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(row(r) for r in rows)
        return
    table = Table()
    for column in columns:
        table.add_column(column, overflow="fold")
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
    """List responsible bodies with how many clauses each owns or supports.

    Example: nqgraph bodies
    """
    from pipeline.query import bodies as list_bodies

    _print_listing(db, list_bodies, as_json, as_csv, ("body", "English", "tasks", "owner", "support"),
                   lambda r: (r["name"], r["en"] or "", str(r["tasks"]), str(r["owner"]), str(r["support"])))


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
    clause_id: str = typer.Argument(..., help="A clause id as printed by `tasks --json`."),
    as_json: bool = typer.Option(False, "--json", help="Print the clause's SPEC JSON with its document and ancestors."),
    as_csv: bool = typer.Option(False, "--csv", help="Print CSV: the ancestors, outermost first, then the clause."),
    db: Path = DB,
) -> None:
    """Show one clause in context: its document, ancestors, bodies, deadlines and citations.

    Example: nqgraph show "012_nq/I-.1.(1)"
    """
    from pipeline.query import show as show_clause
    try:
        with Store(db) as store:
            clause = show_clause(store, clause_id)
    except NqgraphError as error:
        _fail(error)
    if as_json:
        sys.stdout.write(json.dumps(clause, ensure_ascii=False, indent=1) + "\n")
    elif as_csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(["level", "id", "label", "kind", "bodies", "deadlines", "citations", "text"])
        for depth, ancestor in enumerate(clause["ancestors"]):
            writer.writerow([depth, ancestor["id"], ancestor["label"], ancestor["kind"], "", "", "", ancestor["text"]])
        writer.writerow([len(clause["ancestors"]), clause["id"], clause["label"], clause["kind"], _bodies_cell(clause),
                         _deadline_cell(clause), _citations_cell(clause), clause["text"]])
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
        with Store(db) as store:
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
        with Store(db) as store:
            counts = write(StoreGraph(store, body=body, doc=doc), ExportFormat(fmt).value, output)
    except NqgraphError as error:
        _fail(error)
    out.print(f"wrote {output} ({counts.nodes} nodes, {counts.edges} edges)", markup=False, highlight=False)
    if counts.next_step:
        out.print(f"load it into Neo4j (stopped, empty database) with:\n  {counts.next_step}", markup=False,
                  highlight=False)


def register(app: typer.Typer) -> None:
    """Add the graph commands to the `nqgraph` app.

    >>> register(app)   # doctest: +SKIP
    """
    for command in (tasks, ask, directives, bodies, show, remove, export):
        app.command(command.__name__)(command)
