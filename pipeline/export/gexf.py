"""GEXF 1.2 for Gephi, through networkx's writer on a sanitised copy.

networkx's GEXF writer reads some attribute names as GEXF structure: a node's
"id" would become its GEXF id and an edge's "type" its directedness. Those
attributes are renamed here so they stay data.
"""
from __future__ import annotations

from pathlib import Path

import networkx as nx

from pipeline.export.graphml import xml_safe

__all__ = ["write_gexf"]

# Names networkx's GEXF writer pops as structure (gexf.py add_nodes/add_edges).
_NODE_RESERVED = {"id": "directive_id", "pid": "gexf_pid", "start": "gexf_start", "end": "gexf_end",
                  "viz": "gexf_viz", "parents": "gexf_parents", "slices": "gexf_slices",
                  "spells": "gexf_spells"}
_EDGE_RESERVED = {"id": "edge_id", "type": "relation", "weight": "gexf_weight",
                  "start": "gexf_start", "end": "gexf_end", "slices": "gexf_slices",
                  "spells": "gexf_spells"}


def _clean(attrs: dict, reserved: dict[str, str]) -> dict:
    return {reserved.get(k, k): xml_safe(v) if isinstance(v, str) else v
            for k, v in attrs.items() if v is not None}


def write_gexf(G: nx.MultiDiGraph, path: str | Path) -> None:
    """Write `G` as GEXF; edge "type" is written as "relation".

    >>> write_gexf(build_graph(store), "outputs/graph.gexf")   # doctest: +SKIP
    """
    H = nx.MultiDiGraph()
    for node, attrs in G.nodes(data=True):
        H.add_node(xml_safe(str(node)), **_clean({"label": str(node), **attrs}, _NODE_RESERVED))
    for i, (u, v, attrs) in enumerate(G.edges(data=True)):
        H.add_edge(xml_safe(str(u)), xml_safe(str(v)), key=i,
                   **{"id": f"e{i}", **_clean(attrs, _EDGE_RESERVED)})
    nx.write_gexf(H, str(path), version="1.2draft")
