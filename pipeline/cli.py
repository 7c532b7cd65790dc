"""The `nqgraph` command line: thin — it parses arguments, calls the stages, prints.

Exit codes: 0 ok, 1 found nothing / partly failed, 2 bad input.
"""
from __future__ import annotations

import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, List, Optional

import typer

from .console import LazyConsole
from .defaults import DEFAULT_DB
from .errors import NqgraphError

if TYPE_CHECKING:  # drawn only for the tree view; --json and the queries never load it
    from rich.tree import Tree

app = typer.Typer(
    help="nqgraph: turn Vietnamese resolutions into a graph of who must do what, by when, under which directive.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)
out = LazyConsole(soft_wrap=True)
err = LazyConsole(stderr=True, soft_wrap=True)


def _help_type(param, ctx) -> Optional[str]:
    """What help shows for a parameter's value: TEXT, PATH, NUMBER, the choices, or
    nothing for a flag. typer 0.29 shows Python types (`<bool>`, `<list[Path]>`)."""
    if param.metavar is not None:
        return param.metavar
    if getattr(param, "is_flag", False):
        return None
    desc = param.type_descriptor
    if desc.is_choice:
        label = "|".join(str(getattr(c, "value", c)) for c in desc.choices or ())
    else:
        bare = param.bare_type()
        label = "PATH" if desc.is_path or "Path" in bare else {"int": "NUMBER", "float": "NUMBER"}.get(bare, "TEXT")
    return label + ("..." if desc.is_list or param.nargs != 1 else "")


def _argument_name(param) -> str:
    """FILE, FILE... or [FILE] in usage lines, as Unix help writes them (typer writes {file})."""
    name = param.display_name_raw.upper()
    name += "..." if param.nargs != 1 else ""
    return name if param.required else f"[{name}]"


def _plain_help_types() -> None:
    from typer import core

    core.TyperOption.display_type_rich = _help_type
    core.TyperArgument.display_type_rich = _help_type
    core.TyperArgument._usage_display_name = _argument_name
    core.TyperArgument._rich_display_name = lambda param: param.display_name_raw.upper() + (
        "..." if param.nargs != 1 else "")


_plain_help_types()

INPUT_SUFFIXES = {".pdf", ".docx", ".txt"}
DEBUG = {"on": False}


def fail(error: Exception, code: int = 2) -> None:
    """Print one line for a user error and exit; a traceback only with --debug."""
    if DEBUG["on"]:
        raise error
    err.print(str(error), markup=False, highlight=False)
    raise typer.Exit(code)


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        out.print(f"nqgraph {version('nqgraph')}", highlight=False)
        raise typer.Exit()


@app.callback()
def main(debug: bool = typer.Option(False, "--debug", help="Show tracebacks instead of one-line errors."),
         _version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                       help="Print the version and exit.")) -> None:
    DEBUG["on"] = debug
    if not debug:
        # pdfminer logs every oddity of a damaged PDF; our one-line errors say what matters.
        import logging

        for name in ("pdfminer", "pdfplumber", "pypdf"):
            logging.getLogger(name).setLevel(logging.ERROR)


def _render_tree(doc) -> Tree:
    from rich.tree import Tree

    from .periods import say_deadline

    info = doc.info
    title = " · ".join(x for x in (info.kind, info.number, info.issuer, info.date) if x) or doc.source
    tree = Tree(f"[bold]{title}[/bold]")
    nodes = {(): tree}
    for clause in doc.walk():
        tags = []
        for b in clause.bodies:
            tags.append(f"[cyan]{'↳' if b.inherited else ''}{b.role}: {b.name}[/cyan]")
        for d in clause.deadlines:
            if not d.inherited:  # as the office wrote it ("hằng quý"), not the ISO value
                tags.append(f"[yellow]{_escape(say_deadline(d.kind, d.value))}[/yellow]")
        for c in clause.citations:
            tags.append(f"[magenta]cites {c.id or c.title}[/magenta]")
        text = clause.text.replace("\n", " ")
        short = text if len(text) <= 90 else text[:87] + "…"
        label = f"[bold]{clause.label}[/bold] [dim]{clause.kind}, p.{clause.page}[/dim] {_escape(short)}"
        if tags:
            label += "\n" + "  ".join(tags)
        parent = nodes.get(clause.path[:-1], tree)
        nodes[clause.path] = parent.add(label)
    return tree


def _escape(text: str) -> str:
    from rich.markup import escape
    return escape(text)


class PdfEngine(str, Enum):
    """Readers of a PDF's text layer (extract/pdf.py ENGINES): the same words, pdfium ~7x faster."""
    pdfium = "pdfium"
    pdfplumber = "pdfplumber"


@app.command()
def parse(
    # readable=False: an unreadable file gets our one-line error, not click's usage box
    file: Path = typer.Argument(..., help="A resolution: PDF, DOCX or TXT.", readable=False),
    as_json: bool = typer.Option(False, "--json", help="Print the SPEC JSON instead of a tree."),
    html: Optional[Path] = typer.Option(None, "--html", help="Also write the tagged text as displaCy HTML to this file."),
    timeout: Optional[float] = typer.Option(None, "--timeout", help="Seconds allowed for one document "
                                            "[default: 60 + 1 a page + 20 an OCR page per core]."),
    max_memory: int = typer.Option(1024, "--max-memory", help="Megabytes the document may use."),
    engine: PdfEngine = typer.Option(PdfEngine.pdfium, "--engine", envvar="NQGRAPH_PDF_ENGINE", show_envvar=True,
                                     help="Reader of a PDF's text layer: pdfium (fast) or pdfplumber (the reference; same result)."),
) -> None:
    """Parse one document and show its clause tree with tags.

    Example: nqgraph parse corpus/nq_hdnd_thanh_pho.txt --json > out.json
    """
    from .ingest import parse_isolated

    try:
        # The same isolated, time- and memory-limited worker as ingest: a hostile
        # PDF costs its worker, never a hang of the command. One file: nothing to warm for others.
        os.environ["NQGRAPH_PDF_ENGINE"] = engine.value  # the forked worker reads it (extract/pdf.py)
        doc = parse_isolated(file, timeout=timeout, max_memory_mb=max_memory, warm=False)
    except NqgraphError as error:
        fail(error)
    if html:
        from .tag.nlp import render_html, to_spacy

        spans = [(c.bodies, c.deadlines, c.citations) for c in doc.walk()]
        bodies = [b for s in spans for b in s[0] if b.start is not None]
        deadlines = [d for s in spans for d in s[1] if d.start is not None]
        citations = [c for s in spans for c in s[2] if c.start is not None]
        html.write_text(render_html(to_spacy(doc.text, bodies, deadlines, citations)), encoding="utf-8")
    if as_json:
        sys.stdout.write(json.dumps(doc.to_json(), ensure_ascii=False, indent=1) + "\n")
    else:
        out.print(_render_tree(doc))
        from .extract.textlayer import page_sources_line

        out.print(page_sources_line(doc.page_sources), markup=False, highlight=False)
        for w in doc.warnings:
            err.print(f"warning {w.code}: {w.message}" + (f" (page {w.page})" if w.page else ""), markup=False)


@app.command()
def audit(
    file: Path = typer.Argument(..., help="A resolution: PDF, DOCX, TXT or MD.", readable=False),
    as_json: bool = typer.Option(False, "--json", help="Print every mention as JSON."),
    residue_only: bool = typer.Option(False, "--residue", help="List only what nothing explains."),
) -> None:
    """List every time expression and document number, and what became of each:
    a clause's deadline, a citation, a named rule that refused it, or residue.

    Example: nqgraph audit corpus/kh_so.txt --residue
    """
    from dataclasses import asdict

    from .audit import audit as audit_document, residue
    from .ingest import parse_isolated

    try:
        doc = parse_isolated(file, timeout=120.0, max_memory_mb=1024, warm=False)
    except NqgraphError as error:
        fail(error)
    mentions = [m for m in audit_document(doc) if m.fate == "residue" or not residue_only]
    if as_json:
        sys.stdout.write(json.dumps([asdict(m) for m in mentions], ensure_ascii=False, indent=1) + "\n")
        return
    from rich.table import Table

    table = Table("kind", "text", "fate", "why")
    for m in mentions:
        table.add_row(m.kind, _escape(m.text), m.fate, _escape(m.why))
    out.print(table)
    left = residue(mentions)
    out.print(f"residue: {left['time']} time expressions, {left['number']} document numbers")


def _input_files(paths: List[Path]) -> List[Path]:
    files: List[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES)
        else:
            files.append(path)
    return files


@app.command()
def ingest(
    paths: List[Path] = typer.Argument(..., help="Files or directories (PDF, DOCX, TXT).", readable=False),
    db: Path = typer.Option(DEFAULT_DB, "--db", envvar="NQGRAPH_DB", show_envvar=True,
                            help="The SQLite store (made here if it does not exist)."),
    timeout: Optional[float] = typer.Option(None, "--timeout", help="Seconds allowed for one document "
                                            "[default: 60 + 1 a page + 20 an OCR page per core]."),
    max_memory: int = typer.Option(1024, "--max-memory", help="Megabytes one document may use."),
    workers: int = typer.Option(1, "--workers", min=1, help="Documents parsed at once, each in its own process."),
    replace: bool = typer.Option(False, "--replace", help="Store a new version even when it parses worse than the stored one."),
    engine: PdfEngine = typer.Option(PdfEngine.pdfium, "--engine", envvar="NQGRAPH_PDF_ENGINE", show_envvar=True,
                                     help="Reader of a PDF's text layer: pdfium (fast) or pdfplumber (the reference; same result)."),
) -> None:
    """Parse documents and add them to the store; unchanged files are skipped.

    A document is its issuer, number and date: the same number from another
    office or year is another document. New bytes of a stored document replace
    it and keep the old version (see `nqgraph history`), unless the new file
    parses worse (fewer clauses, more warnings): then it is refused, unless
    --replace. One line per file; exit 1 when some files were not stored.

    Example: nqgraph ingest corpus/pdf/ --db outputs/nqgraph.sqlite
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from .ingest import ingest_files

    os.environ["NQGRAPH_PDF_ENGINE"] = engine.value  # the forked workers read it (extract/pdf.py)

    files = _input_files(paths)
    if not files:
        fail(NqgraphError("no PDF, DOCX or TXT files found", ", ".join(map(str, paths))))
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=err,
                  transient=True, disable=not err.is_terminal) as progress:
        task = progress.add_task("ingesting", total=len(files))
        results = []
        try:
            for result in ingest_files(files, db, timeout=timeout, max_memory_mb=max_memory, workers=workers,
                                       replace=replace):
                results.append(result)
                progress.advance(task)
                progress.console.print(result.line(), markup=False, highlight=False)
        except NqgraphError as error:  # the store itself cannot be opened or written
            fail(error)
    failed = [r for r in results if r.error]
    if failed and len(failed) == len(results):
        raise typer.Exit(2)
    bad = failed + [r for r in results if r.status == "refused"]
    if bad:
        err.print(f"{len(bad)} of {len(results)} files could not be ingested (listed above).", markup=False)
        raise typer.Exit(1)


@app.command()
def history(
    doc: Optional[str] = typer.Argument(None, help="A number, file name, stem or sha256; all kept versions if left out."),
    restore: Optional[int] = typer.Option(None, "--restore", help="Put kept version N back; the current one is kept in its place."),
    purge: bool = typer.Option(False, "--purge", help="Forget the kept versions (of DOC, or all) for good."),
    as_json: bool = typer.Option(False, "--json", help="Print the kept versions as JSON."),
    db: Path = typer.Option(DEFAULT_DB, "--db", envvar="NQGRAPH_DB", show_envvar=True, help="The SQLite store."),
) -> None:
    """List the earlier versions of documents the store keeps (replaced or removed); restore or purge them.

    Example: nqgraph history 87/KH-UBND    then    nqgraph history --restore 3
    """
    from .errors import StoreError
    from .store import Store

    if not db.exists():  # never make an empty store from a mistyped path
        fail(StoreError("no store here", path=db,
                        hint="Check --db (or NQGRAPH_DB), or add documents first: nqgraph ingest FILES."))
    try:
        with Store(db) as store:
            if restore is not None:
                out.print(f"restored version {restore} ({store.restore(restore)})", markup=False, highlight=False)
                return
            if purge:
                out.print(f"purged {store.purge(doc)} kept versions", markup=False)
                return
            versions = store.history(doc)
    except NqgraphError as error:
        fail(error)
    if as_json:
        sys.stdout.write(json.dumps(versions, ensure_ascii=False, indent=1) + "\n")
        return
    if not versions:
        err.print("no kept versions" + (f" of {doc}" if doc else ""), markup=False)
        raise typer.Exit(1)
    for v in versions:
        what = " · ".join(x for x in (v["number"], v["issuer"], v["date"]) if x) or "no number"
        out.print(f"version {v['version']}: {v['source']} ({what}; {v['clauses']} clauses, {v['warnings']} warnings)"
                  f"\n  kept since {v['replaced_at']}: {v['reason']}", markup=False, highlight=False)


@app.command("eval")
def evaluate(
    gold: List[Path] = typer.Argument(..., help="Gold files in the SPEC shape."),
    pred: Optional[Path] = typer.Option(None, "--pred", help="The pipeline's SPEC JSON to score."),
    input_file: Optional[Path] = typer.Option(None, "--input", help="Parse this document and score it."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
    worst: int = typer.Option(10, "--worst", help="How many worst-matched clauses to list."),
) -> None:
    """Score pipeline output against gold annotations: P/R/F1 per SPEC field.

    Example: nqgraph eval ../shared/gold/000_part_a.json --input ../shared/corpus/pdf/000_text.pdf
    """
    from . import parse as run_parse
    from .evaluate import score

    try:
        if pred:
            system = json.loads(pred.read_text(encoding="utf-8"))
        elif input_file:
            system = run_parse(input_file).to_json()
        else:
            raise NqgraphError("give --pred FILE (SPEC JSON) or --input FILE (a document to parse)")
        results = {g.name: score(system, json.loads(g.read_text(encoding="utf-8")), worst) for g in gold}
    except NqgraphError as error:
        fail(error)
    except (OSError, ValueError, KeyError) as error:
        fail(NqgraphError(f"cannot read gold or prediction: {error}"))
    if as_json:
        sys.stdout.write(json.dumps({k: {"figures": v.figures, "worst": v.worst} for k, v in results.items()},
                                    ensure_ascii=False, indent=1) + "\n")
        return
    for name, result in results.items():
        out.print(f"[bold]== {name}[/bold]")
        for key, value in result.figures.items():
            if isinstance(value, dict) and "f1" in value:
                value = f"P {value['p']:.3f}  R {value['r']:.3f}  F1 {value['f1']:.3f}  (tp {value['tp']}, fp {value['fp']}, fn {value['fn']})"
            out.print(f"  {key:24s} {value}", markup=False, highlight=False)
        if result.worst:
            out.print("  worst-matched clauses:")
            for w in result.worst:
                state = "missing" if w["missing"] else "extra" if w["extra"] else f"{w['errors']} tag errors"
                out.print(f"    {'/'.join(w['path'] or [])}  {state}: {w['text']}", markup=False, highlight=False)


@app.command()
def demo(
    db: Path = typer.Option(DEFAULT_DB, "--db", help="The SQLite store."),
    corpus: Path = typer.Option(Path("corpus"), "--corpus", help="The synthetic corpus to render and ingest."),
    graphml: Path = typer.Option(Path("outputs/graph.graphml"), "-o", help="Where to write the GraphML."),
) -> None:
    """Render the bundled corpus to PDF, ingest it, answer one question and export GraphML.

    Example: nqgraph demo
    """
    from . import cli_graph
    from .render import render_corpus

    pdf_dir = Path("outputs/corpus_pdf")
    out.print(f"Rendering {corpus}/ to PDF in {pdf_dir}/ …", markup=False)
    render_corpus(corpus, pdf_dir)
    try:
        ingest([pdf_dir], db=db, timeout=120.0, max_memory=1024, workers=1, replace=False, engine=PdfEngine.pdfium)
    except typer.Exit as done:
        if done.exit_code:
            raise
    question = "which tasks belong to the Inspection Committee?"
    out.print(f'\nnqgraph ask "{question}"', style="bold", markup=False)
    cli_graph.ask(question=question, full=False, as_json=False, as_csv=False, limit=None, show_all=False,
                  today=None, db=db)
    cli_graph.export(fmt="graphml", output=graphml, body=None, doc=None, db=db)


from .cli_graph import register as register_graph_commands  # noqa: E402
from .cli_web import register as register_web_commands  # noqa: E402

register_graph_commands(app)
register_web_commands(app)

if __name__ == "__main__":
    app()
