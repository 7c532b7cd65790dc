"""GEXF 1.2 for Gephi, through networkx's writer on a sanitised copy.

networkx's GEXF writer reads some attribute names as GEXF structure: a node's
"id" would become its GEXF id and an edge's "type" its directedness. Those
attributes are renamed here so they stay data.
"""
from __future__ import annotations

from pathlib import Path

import networkx as nx

from pipeline.export.graphml import escape_id, xml_safe

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


def _gexf_id(key: str) -> str:
    """The key itself when XML can hold it, else its reversible escape (two keys must not merge)."""
    return key if xml_safe(key) == key else escape_id(key)


def _one_type_per_attribute(items: list[dict]) -> None:
    """networkx declares an attribute's GEXF type from its first value and cannot read back the
    others if they differ (an int column holding a string); mixed columns become strings."""
    kinds: dict[str, set] = {}
    for attrs in items:
        for name, value in attrs.items():
            kinds.setdefault(name, set()).add(type(value))
    mixed = {name for name, types in kinds.items() if len(types) > 1}
    for attrs in items:
        for name in mixed & attrs.keys():
            attrs[name] = xml_safe(str(attrs[name]))


def write_gexf(G: nx.MultiDiGraph, path: str | Path) -> None:
    """Write `G` as GEXF; edge "type" is written as "relation".

    >>> write_gexf(build_graph(store), "outputs/graph.gexf")   # doctest: +SKIP
    """
    H = nx.MultiDiGraph()
    nodes = [(node, _clean({"label": str(node), **attrs}, _NODE_RESERVED)) for node, attrs in G.nodes(data=True)]
    edges = [(u, v, {"id": f"e{i}", **_clean(attrs, _EDGE_RESERVED)}) for i, (u, v, attrs) in enumerate(G.edges(data=True))]
    _one_type_per_attribute([a for _, a in nodes])
    _one_type_per_attribute([a for *_, a in edges])
    for node, attrs in nodes:
        H.add_node(_gexf_id(str(node)), **attrs)
    for i, (u, v, attrs) in enumerate(edges):
        H.add_edge(_gexf_id(str(u)), _gexf_id(str(v)), key=i, **attrs)
    nx.write_gexf(H, str(path), version="1.2draft")
