"""GEXF 1.2 for Gephi, through networkx's writer on a sanitised copy.

networkx's GEXF writer reads some attribute names as GEXF structure: a node's
"id" would become its GEXF id and an edge's "type" its directedness. Those
attributes are renamed here so they stay data. It also always writes a `name`
on <graph>, which the GEXF 1.2 schema does not allow: dropped before writing.
"""
from __future__ import annotations

from pathlib import Path

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from pipeline.export.graphml import escape_id, xml_safe
from pipeline.graph import GraphView, graph_view

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


def write_gexf(graph: "nx.Graph | GraphView", path: str | Path) -> None:
    """Write `graph` as GEXF; edge "type" is written as "relation". Not streamed:
    networkx's writer holds the whole graph (GraphML is the format for big stores).

    >>> write_gexf(build_graph(store), "outputs/graph.gexf")   # doctest: +SKIP
    """
    view = graph_view(graph)
    H = nx.MultiDiGraph()
    nodes = [(node, _clean({"label": node, **attrs}, _NODE_RESERVED)) for node, attrs in view.iter_nodes()]
    edges = [(u, v, {"id": f"e{i}", **_clean(attrs, _EDGE_RESERVED)})
             for i, (u, v, attrs) in enumerate(view.iter_edges())]
    _one_type_per_attribute([a for _, a in nodes])
    _one_type_per_attribute([a for *_, a in edges])
    for node, attrs in nodes:
        H.add_node(_gexf_id(node), **attrs)
    for i, (u, v, attrs) in enumerate(edges):
        H.add_edge(_gexf_id(u), _gexf_id(v), key=i, **attrs)
    writer = GEXFWriter(version="1.2draft")
    writer.add_graph(H)
    del writer.graph_element.attrib["name"]
    writer.write(str(path))
