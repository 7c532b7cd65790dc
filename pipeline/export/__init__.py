"""Writers for the graph: GraphML (plain and yEd's), GEXF, node-link JSON, neo4j-admin CSV,
Cypher; and CSV for spreadsheets (`spreadsheet`), which people's tables use.

Each graph writer takes a networkx graph or a `StoreGraph`; all but GEXF stream
the latter to disk without holding the graph (networkx's GEXF writer needs all of it).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Union

import networkx as nx

from pipeline.errors import ExportError, QueryError
from pipeline.export.csv import neo4j_import_command, write_csv
from pipeline.export.cypher import write_cypher
from pipeline.export.gexf import write_gexf
from pipeline.export.graphml import write_graphml, write_graphml_yed
from pipeline.export.nodelink import write_json
from pipeline.graph import EdgeItem, GraphView, NodeItem, graph_view

__all__ = ["FORMATS", "Exported", "export", "neo4j_import_command", "write_csv", "write_cypher", "write_gexf",
           "write_graphml", "write_graphml_yed", "write_json"]

# The choices of `nqgraph export --format` and of the web page's downloads, in that order.
FORMATS = {"graphml": write_graphml, "graphml-yed": write_graphml_yed, "gexf": write_gexf, "json": write_json,
           "csv": write_csv, "cypher": write_cypher}


@dataclass
class Exported:
    """How many nodes and edges the last full pass of a writer went through, and
    what to run next to load the files (the neo4j-admin command for "csv")."""
    nodes: int = 0
    edges: int = 0
    next_step: str = ""


class _Counting:
    def __init__(self, view: GraphView, counts: Exported):
        self.view, self.counts = view, counts

    def iter_nodes(self) -> Iterator[NodeItem]:
        self.counts.nodes = 0
        for item in self.view.iter_nodes():
            self.counts.nodes += 1
            yield item

    def iter_edges(self) -> Iterator[EdgeItem]:
        self.counts.edges = 0
        for item in self.view.iter_edges():
            self.counts.edges += 1
            yield item


def export(graph: Union[nx.Graph, GraphView], fmt: str, path: str | Path) -> Exported:
    """Write `graph` in format `fmt` ("csv" writes a directory of files); return the counts.

    A file is written beside its target and renamed into place when complete, so
    an interrupted export never leaves half a file under the name asked for.

    >>> export(StoreGraph(store), "graphml", "outputs/graph.graphml")   # doctest: +SKIP
    Exported(nodes=317, edges=427)
    """
    if fmt not in FORMATS:
        raise QueryError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    counts = Exported()
    view = _Counting(graph_view(graph), counts)
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "csv":
            counts.next_step = neo4j_import_command(write_csv(view, path))
            return counts
        partial = path.with_name(f".{path.name}.partial")
        try:
            FORMATS[fmt](view, partial)
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
    except OSError as error:
        raise ExportError(f"cannot write the {fmt} export: {error.strerror or error}", path=path) from error
    return counts
