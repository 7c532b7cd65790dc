"""Cypher CREATE statements, for `cypher-shell < graph.cypher` into an empty database.

Nodes carry their logical key in `key` and two labels: their type (`Clause`,
`Body`, ...) and `Nqgraph`, common to all. Relationships find their ends with
MATCH on the common label's key, which the uniqueness constraint written first
indexes, so no statement needs to know the type of a node it did not create.
"""
from __future__ import annotations

from pathlib import Path

import networkx as nx

from pipeline.graph import GraphView, graph_view

__all__ = ["COMMON_LABEL", "cypher_value", "write_cypher"]

COMMON_LABEL = "Nqgraph"


def cypher_value(value) -> str:
    """A Cypher literal.

    >>> cypher_value("Bộ Chính trị's"), cypher_value(True), cypher_value(2018)
    ("'Bộ Chính trị\\\\'s'", 'true', '2018')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value).replace("\\", "\\\\").replace("'", "\\'")
    return "'" + text.replace("\n", "\\n").replace("\r", "\\r") + "'"


def _props(attrs: dict) -> str:
    inner = ", ".join(f"`{k}`: {cypher_value(v)}" for k, v in attrs.items() if v is not None)
    return "{" + inner + "}"


def write_cypher(graph: "nx.Graph | GraphView", path: str | Path) -> None:
    """Write CREATE statements for every node and relationship, streaming.

    >>> write_cypher(StoreGraph(store), "outputs/graph.cypher")   # doctest: +SKIP
    """
    view = graph_view(graph)
    with Path(path).open("w", encoding="utf-8") as out:
        out.write(f"CREATE CONSTRAINT IF NOT EXISTS FOR (n:{COMMON_LABEL}) REQUIRE n.key IS UNIQUE;\n")
        for node, attrs in view.iter_nodes():
            label = attrs.get("type", "node").capitalize()
            out.write(f"CREATE (:{COMMON_LABEL}:{label} {_props({**attrs, 'key': node})});\n")
        for u, v, attrs in view.iter_edges():
            rel = attrs.get("type", "related").upper()
            rest = {k: val for k, val in attrs.items() if k != "type"}
            out.write(f"MATCH (a:{COMMON_LABEL} {{key: {cypher_value(u)}}}), (b:{COMMON_LABEL} {{key: {cypher_value(v)}}})"
                      f" CREATE (a)-[:{rel} {_props(rest)}]->(b);\n")
