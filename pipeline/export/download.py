"""Exports as downloads: the bytes, media type and file name the web page sends.

Every graph format of `FORMATS` is offered, plus the tasks themselves as a
spreadsheet (`tasks-csv`). The Neo4j CSV files come zipped in one folder with
IMPORT.txt, the `neo4j-admin` command that loads them from where they unpack.
"""
from __future__ import annotations

import io
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from pipeline.export import FORMATS
from pipeline.export.csv import NEO4J_IMPORT_NOTE, neo4j_import_command, write_csv
from pipeline.export.spreadsheet import TASK_COLUMNS, spreadsheet_csv, task_row

__all__ = ["DOWNLOADS", "TASKS_CSV", "Download", "graph_download", "tasks_download"]

TASKS_CSV = "tasks-csv"
CSV_FOLDER = "nqgraph-csv"
# Format → (media type, file name), in the order the page lists them.
DOWNLOADS = {
    "graphml": ("application/graphml+xml", "nqgraph-selection.graphml"),
    "graphml-yed": ("application/graphml+xml", "nqgraph-selection.yed.graphml"),
    "gexf": ("application/gexf+xml", "nqgraph-selection.gexf"),
    "json": ("application/json", "nqgraph-selection.json"),
    "csv": ("application/zip", "nqgraph-selection.zip"),
    "cypher": ("text/plain; charset=utf-8", "nqgraph-selection.cypher"),
    TASKS_CSV: ("text/csv; charset=utf-8", "nqgraph-tasks.csv"),
}


@dataclass(frozen=True)
class Download:
    data: bytes
    media: str
    name: str


def _zipped_neo4j_csv(G: nx.MultiDiGraph, directory: Path) -> bytes:
    files = write_csv(G, directory)
    command = neo4j_import_command(files, under=CSV_FOLDER)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in files:
            archive.write(file, f"{CSV_FOLDER}/{file.name}")
        archive.writestr(f"{CSV_FOLDER}/IMPORT.txt", f"{NEO4J_IMPORT_NOTE}\n(from the folder holding {CSV_FOLDER}/)"
                         f"\n\n{command}\n")
    return buffer.getvalue()


def graph_download(G: nx.MultiDiGraph, fmt: str) -> Download:
    """`G` written in graph format `fmt` (a key of DOWNLOADS other than tasks-csv).

    >>> graph_download(G, "graphml").name   # doctest: +SKIP
    'nqgraph-selection.graphml'
    """
    media, name = DOWNLOADS[fmt]
    with tempfile.TemporaryDirectory(prefix="nqgraph-export-") as tmp:
        if fmt == "csv":
            data = _zipped_neo4j_csv(G, Path(tmp) / "csv")
        else:
            target = Path(tmp) / name
            FORMATS[fmt](G, target)
            data = target.read_bytes()
    return Download(data, media, name)


def tasks_download(tasks: list[dict]) -> Download:
    """Tasks as `find_tasks` returns them, as spreadsheet CSV (BOM, formulas disarmed).

    >>> tasks_download(find_tasks(store, TaskQuery(body="UBKT"))).name   # doctest: +SKIP
    'nqgraph-tasks.csv'
    """
    media, name = DOWNLOADS[TASKS_CSV]
    return Download(spreadsheet_csv(TASK_COLUMNS, (task_row(t) for t in tasks)), media, name)
