"""JSON node-link export: networkx's node-link shape, written as a stream."""
from __future__ import annotations

from pathlib import Path

import networkx as nx
import orjson

from pipeline.graph import GraphView, graph_view

__all__ = ["write_json"]


def write_json(graph: "nx.Graph | GraphView", path: str | Path) -> None:
    """Write `graph` as node-link JSON: {"directed", "multigraph", "graph", "nodes", "edges"},
    one node or edge per line, read back by `networkx.node_link_graph(data, edges="edges")`.

    >>> write_json(StoreGraph(store), "outputs/graph.json")   # doctest: +SKIP
    """
    view = graph_view(graph)
    with Path(path).open("wb") as out:
        out.write(b'{"directed": true, "multigraph": true, "graph": {},\n"nodes": [')
        for i, (node, attrs) in enumerate(view.iter_nodes()):
            out.write(b",\n" if i else b"\n")
            out.write(orjson.dumps({**attrs, "id": node}))
        out.write(b'],\n"edges": [')
        for i, (u, v, attrs) in enumerate(view.iter_edges()):
            out.write(b",\n" if i else b"\n")
            out.write(orjson.dumps({**attrs, "source": u, "target": v}))
        out.write(b"]}\n")
