"""CSV in the layout `neo4j-admin database import full` reads.

One `nodes_<type>.csv` per node type (header `key:ID,:LABEL,...`) and one
`relationships.csv` (`:START_ID,:END_ID,:TYPE,...`). Typed columns carry
neo4j's suffixes (`:int`, `:boolean`). Cells a spreadsheet would run as a
formula (starting with = + - @, tab or CR) get a leading apostrophe.
"""
from __future__ import annotations

import csv
from collections import defaultdict
from contextlib import ExitStack
from pathlib import Path
import networkx as nx

from pipeline.graph import GraphView, graph_view

__all__ = ["neutralise", "write_csv"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """A cell that spreadsheets will not evaluate.

    >>> neutralise("=HYPERLINK(1)"), neutralise("- thực hiện")
    ("'=HYPERLINK(1)", "'- thực hiện")
    """
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _column(name: str, types: set[type]) -> str:
    """`name` with neo4j's type suffix when every value has the one type."""
    if types == {bool}:
        return f"{name}:boolean"
    if types == {int}:
        return f"{name}:int"
    return name


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return neutralise(str(value))


def _note_types(columns: dict[str, set[type]], attrs: dict, skip: tuple[str, ...]) -> None:
    for name, value in attrs.items():
        if value is not None and name not in skip:
            columns[name].add(type(value))


def _header(columns: dict[str, set[type]]) -> tuple[list[str], list[str]]:
    """Attribute names (sorted) and their typed header cells."""
    names = sorted(columns)
    return names, [_column(n, columns[n]) for n in names]


def write_csv(graph: "nx.Graph | GraphView", directory: str | Path) -> list[Path]:
    """Write node and relationship CSVs into `directory`; return the files written.

    Streams like the GraphML writer: a first pass reads each file's columns, the
    second writes rows as they come (one open file per node type).

    >>> write_csv(StoreGraph(store), "outputs/neo4j")   # doctest: +SKIP
    [PosixPath('outputs/neo4j/nodes_body.csv'), ...]
    """
    view = graph_view(graph)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    types: dict[str, dict[str, set[type]]] = defaultdict(lambda: defaultdict(set))
    for _, attrs in view.iter_nodes():
        _note_types(types[attrs.get("type", "node")], attrs, ("key", "type"))
    by_type = {node_type: _header(columns) for node_type, columns in types.items()}
    written = [directory / f"nodes_{t}.csv" for t in sorted(by_type)]
    with ExitStack() as files:
        writers = {}
        for node_type in sorted(by_type):
            handle = files.enter_context((directory / f"nodes_{node_type}.csv").open("w", newline="", encoding="utf-8"))
            writers[node_type] = csv.writer(handle)
            writers[node_type].writerow(["key:ID", ":LABEL"] + by_type[node_type][1])
        for node, attrs in view.iter_nodes():
            node_type = attrs.get("type", "node")
            names = by_type[node_type][0]
            writers[node_type].writerow([_cell(node), node_type.capitalize()] + [_cell(attrs.get(n)) for n in names])
    edge_types: dict[str, set[type]] = defaultdict(set)
    for *_, attrs in view.iter_edges():
        _note_types(edge_types, attrs, ("type",))
    names, header = _header(edge_types)
    path = directory / "relationships.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([":START_ID", ":END_ID", ":TYPE"] + header)
        for u, v, attrs in view.iter_edges():
            writer.writerow([_cell(u), _cell(v), _cell(attrs.get("type", "related").upper())]
                            + [_cell(attrs.get(n)) for n in names])
    written.append(path)
    return written
