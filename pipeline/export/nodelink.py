"""JSON node-link export (networkx's node-link shape, keys as written in the graph)."""
from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

__all__ = ["write_json"]


def write_json(G: nx.MultiDiGraph, path: str | Path) -> None:
    """Write `G` as node-link JSON: {"directed", "multigraph", "nodes": [...], "edges": [...]}.

    >>> write_json(build_graph(store), "outputs/graph.json")   # doctest: +SKIP
    """
    data = nx.node_link_data(G, edges="edges")
    Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
