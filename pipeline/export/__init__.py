"""Writers for the graph: GraphML, GEXF, node-link JSON, neo4j-admin CSV, Cypher."""
from __future__ import annotations

from pathlib import Path

import networkx as nx

from pipeline.errors import QueryError
from pipeline.export.csv import write_csv
from pipeline.export.cypher import write_cypher
from pipeline.export.gexf import write_gexf
from pipeline.export.graphml import write_graphml
from pipeline.export.nodelink import write_json

__all__ = ["FORMATS", "export", "write_csv", "write_cypher", "write_gexf", "write_graphml", "write_json"]

FORMATS = {"graphml": write_graphml, "gexf": write_gexf, "json": write_json, "csv": write_csv,
           "cypher": write_cypher}


def export(G: nx.MultiDiGraph, fmt: str, path: str | Path) -> None:
    """Write `G` in format `fmt` ("csv" writes a directory of files).

    >>> export(build_graph(store), "graphml", "outputs/graph.graphml")   # doctest: +SKIP
    """
    if fmt not in FORMATS:
        raise QueryError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    FORMATS[fmt](G, path)
