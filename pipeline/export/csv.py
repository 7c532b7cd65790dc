"""CSV in the layout `neo4j-admin database import full` reads.

One `nodes_<type>.csv` per node type (header `key:ID,:LABEL,...`) and one
`relationships.csv` (`:START_ID,:END_ID,:TYPE,...`). Typed columns carry
neo4j's suffixes (`:int`, `:boolean`). Cells a spreadsheet would run as a
formula (starting with = + - @, tab or CR) get a leading apostrophe.
"""
from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import networkx as nx

__all__ = ["neutralise", "write_csv"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """A cell that spreadsheets will not evaluate.

    >>> neutralise("=HYPERLINK(1)"), neutralise("- thực hiện")
    ("'=HYPERLINK(1)", "'- thực hiện")
    """
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _column(name: str, values: list) -> str:
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return f"{name}:boolean"
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return f"{name}:int"
    return name


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return neutralise(str(value))


def _write(path: Path, header: list[str], names: list[str], rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow([_cell(row.get(name)) for name in names])


def write_csv(G: nx.MultiDiGraph, directory: str | Path) -> list[Path]:
    """Write node and relationship CSVs into `directory`; return the files written.

    >>> write_csv(build_graph(store), "outputs/neo4j")   # doctest: +SKIP
    [PosixPath('outputs/neo4j/nodes_body.csv'), ...]
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    by_type: dict[str, list[dict]] = defaultdict(list)
    for node, attrs in G.nodes(data=True):
        by_type[attrs.get("type", "node")].append({"key": str(node), **attrs})
    written = []
    for node_type in sorted(by_type):
        rows = by_type[node_type]
        names = sorted({n for r in rows for n in r} - {"key", "type"})
        header = ["key:ID", ":LABEL"] + [_column(n, [r.get(n) for r in rows]) for n in names]
        for r in rows:
            r[":LABEL"] = node_type.capitalize()
        path = directory / f"nodes_{node_type}.csv"
        _write(path, header, ["key", ":LABEL"] + names, rows)
        written.append(path)
    edges = [{":START_ID": str(u), ":END_ID": str(v), ":TYPE": a.get("type", "related").upper(), **a}
             for u, v, a in G.edges(data=True)]
    names = sorted({n for e in edges for n in e} - {":START_ID", ":END_ID", ":TYPE", "type"})
    header = [":START_ID", ":END_ID", ":TYPE"] + [_column(n, [e.get(n) for e in edges]) for n in names]
    path = directory / "relationships.csv"
    _write(path, header, [":START_ID", ":END_ID", ":TYPE"] + names, edges)
    written.append(path)
    return written
