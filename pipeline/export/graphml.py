"""GraphML in two flavours: plain GraphML that validates against the official schema
(networkx, igraph, graph-tool, JGraphT, Gephi, Cytoscape), and yEd's (`yed=True`).

Written by hand rather than with networkx's writer, which declares no key for
attributes of mixed type, fails on None, gives parallel edges of a
MultiDiGraph the same id (yEd then drops them) and aborts on control
characters (networkx issues #3167, #878, #2827). Here: one typed <key> per
attribute, node ids escaped into xs:NMTOKEN reversibly (the logical key stays
in the `key` attribute), unique edge ids, and characters XML 1.0 forbids
dropped. The yEd flavour adds a `yfiles.type="nodegraphics"` key and a
y:ShapeNode with a y:NodeLabel on every node, because yEd shows only that
label; the official schema forbids both, so they are never in the plain file.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

import networkx as nx

from pipeline.graph import GraphView, graph_view
from ..patterns import compiled

__all__ = ["escape_id", "unescape_id", "xml_safe", "write_graphml", "write_graphml_yed"]

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
YFILES_NS = "http://www.yworks.com/xml/graphml"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{GRAPHML_NS} http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"
# yEd's own files name this schema: it is graphml.xsd with <data> opened to other
# namespaces, which the y:ShapeNode inside our label data needs to be valid.
YED_SCHEMA_LOCATION = f"{GRAPHML_NS} http://www.yworks.com/xml/schema/graphml/1.1/ygraphml.xsd"

# NMTOKEN allows more, but plain ASCII ids survive every tool; "_" is the escape.
_ID_UNSAFE = compiled(r"[^A-Za-z0-9.\-]")
_ID_ESCAPE = compiled(r"_([0-9a-f]+)_")
# XML 1.0 §2.2: no C0 controls but tab/newline/CR, no surrogates, no U+FFFE/U+FFFF.
_XML_FORBIDDEN = compiled(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def escape_id(key: str) -> str:
    """A reversible xs:NMTOKEN for a logical node key.

    >>> escape_id("dir:35-NQ/TW")
    'dir_3a_35-NQ_2f_TW'
    """
    return _ID_UNSAFE.sub(lambda m: f"_{ord(m.group()):x}_", key)


def unescape_id(node_id: str) -> str:
    """Inverse of `escape_id`.

    >>> unescape_id("dir_3a_35-NQ_2f_TW")
    'dir:35-NQ/TW'
    """
    return _ID_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), node_id)


def xml_safe(text: str) -> str:
    """Text with the characters XML 1.0 forbids dropped and line ends as "\\n"
    (a parser turns a bare CR into LF, so writing one would not round-trip).

    >>> xml_safe("giám sát\\x0b năm\\r\\n2025")
    'giám sát năm\\n2025'
    """
    return _XML_FORBIDDEN.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _attr_type(values: Iterable[Any]) -> str:
    """The narrowest GraphML type holding every value (bool before int: bool is an int)."""
    values = list(values)
    if all(isinstance(v, bool) for v in values):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "long"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return "double"
    return "string"


def _format(value: Any, attr_type: str) -> str:
    if attr_type == "boolean":
        return "true" if value else "false"
    if attr_type == "string" and isinstance(value, bool):
        return "true" if value else "false"
    if not isinstance(value, str):
        return str(value)  # a number's digits need no cleaning
    return xml_safe(value)


def _attribute_types(items: Iterable[dict]) -> dict[str, str]:
    """Attribute name → GraphML type, from one sample value per (name, Python type):
    that decides the type as well as every value would, without holding them all."""
    seen: dict[str, dict[type, Any]] = {}
    for attrs in items:
        for name, value in attrs.items():
            if value is not None:
                seen.setdefault(name, {}).setdefault(type(value), value)
    return {name: _attr_type(seen[name].values()) for name in sorted(seen)}


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: str) -> str:
    """A quoted attribute value; tab and newline as references, which parsers keep."""
    return '"' + _text(value).replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;") + '"'


def _data(attrs: dict, keys: dict[str, tuple[str, str]], indent: str) -> str:
    return "".join(f'{indent}<data key="{keys[name][0]}">{_text(_format(value, keys[name][1]))}</data>\n'
                   for name, value in attrs.items() if value is not None)


def _with_label(node: str, attrs: dict) -> dict:
    return {**attrs, "key": attrs.get("key", node), "label": attrs.get("label", node)}


def write_graphml(graph: "nx.Graph | GraphView", path: str | Path, *, yed: bool = False) -> None:
    """Write `graph` (a networkx graph, or a `StoreGraph` streamed from the store) as
    GraphML in UTF-8. Every node gets a `label` (its key when it has none). Plain
    GraphML, valid against the official schema, unless `yed` (see `write_graphml_yed`).

    Streams: each node and edge goes to the file as it is read, nodes before edges,
    so memory stays flat however large the store; a first pass reads the attribute
    types the <key> declarations need. Markup is written as text, escaped here:
    lxml's incremental writer repeats the namespace declarations on every element.

    >>> write_graphml(StoreGraph(store), "outputs/graph.graphml")   # doctest: +SKIP
    """
    view = graph_view(graph)
    node_types = _attribute_types(_with_label(n, a) for n, a in view.iter_nodes())
    edge_types = _attribute_types(a for *_, a in view.iter_edges())
    node_keys = {name: (f"n{i}", t) for i, (name, t) in enumerate(node_types.items())}
    edge_keys = {name: (f"e{i}", t) for i, (name, t) in enumerate(edge_types.items())}
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write("<?xml version='1.0' encoding='UTF-8'?>\n")
        y_ns = f' xmlns:y="{YFILES_NS}"' if yed else ""
        location = YED_SCHEMA_LOCATION if yed else SCHEMA_LOCATION
        out.write(f'<graphml xmlns="{GRAPHML_NS}" xmlns:xsi="{XSI_NS}"{y_ns} xsi:schemaLocation="{location}">\n')
        for domain, keys in (("node", node_keys), ("edge", edge_keys)):
            for name, (key_id, attr_type) in keys.items():
                out.write(f'  <key id="{key_id}" for="{domain}" attr.name={_attr(xml_safe(name))}'
                          f' attr.type="{attr_type}"/>\n')
        if yed:
            # yEd shows y:NodeLabel, not a plain `label` attribute.
            out.write('  <key id="yfiles_node" for="node" yfiles.type="nodegraphics"/>\n')
        out.write('  <graph id="G" edgedefault="directed">\n')
        # Nodes first: Cytoscape's reader drops an edge whose ends it has not met yet.
        for node, attrs in view.iter_nodes():
            attrs = _with_label(node, attrs)
            out.write(f'    <node id="{escape_id(node)}">\n{_data(attrs, node_keys, "      ")}')
            if yed:
                label = _text(xml_safe(str(attrs["label"])))
                out.write(f'      <data key="yfiles_node"><y:ShapeNode><y:NodeLabel>{label}'
                          '</y:NodeLabel></y:ShapeNode></data>\n')
            out.write("    </node>\n")
        for i, (u, v, attrs) in enumerate(view.iter_edges()):
            out.write(f'    <edge id="e{i}" source="{escape_id(u)}" target="{escape_id(v)}">\n'
                      f'{_data(attrs, edge_keys, "      ")}    </edge>\n')
        out.write("  </graph>\n</graphml>\n")


def write_graphml_yed(graph: "nx.Graph | GraphView", path: str | Path) -> None:
    """Write `graph` as yEd's GraphML: the plain file plus a y:ShapeNode label per node.

    >>> write_graphml_yed(StoreGraph(store), "outputs/graph-yed.graphml")   # doctest: +SKIP
    """
    write_graphml(graph, path, yed=True)
