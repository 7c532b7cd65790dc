"""GraphML that Gephi, yEd, Cytoscape, igraph and networkx all open.

Written by hand rather than with networkx's writer, which declares no key for
attributes of mixed type, fails on None, gives parallel edges of a
MultiDiGraph the same id (yEd then drops them) and aborts on control
characters (networkx issues #3167, #878, #2827). Here: one typed <key> per
attribute, node ids escaped into xs:NMTOKEN reversibly (the logical key stays
in the `key` attribute), unique edge ids, a yEd y:NodeLabel beside every
`label`, and characters XML 1.0 forbids dropped.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

import networkx as nx
import regex
from lxml import etree

__all__ = ["escape_id", "unescape_id", "xml_safe", "write_graphml"]

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
YFILES_NS = "http://www.yworks.com/xml/graphml"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{GRAPHML_NS} http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"

# NMTOKEN allows more, but plain ASCII ids survive every tool; "_" is the escape.
_ID_UNSAFE = regex.compile(r"[^A-Za-z0-9.\-]")
_ID_ESCAPE = regex.compile(r"_([0-9a-f]+)_")
# XML 1.0 §2.2: no C0 controls but tab/newline/CR, no surrogates, no U+FFFE/U+FFFF.
_XML_FORBIDDEN = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


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


def _declare_keys(root, domain: str, items: Iterable[dict], prefix: str) -> dict[str, tuple[str, str]]:
    """Add one <key> per attribute name of `domain`; return name → (key id, type)."""
    # One sample value per (name, Python type) decides the type as well as every
    # value would, without holding a list of all of them (131,000 edges).
    seen: dict[str, dict[type, Any]] = {}
    for attrs in items:
        for name, value in attrs.items():
            if value is not None:
                seen.setdefault(name, {}).setdefault(type(value), value)
    keys = {}
    for i, name in enumerate(sorted(seen)):
        key_id, attr_type = f"{prefix}{i}", _attr_type(seen[name].values())
        etree.SubElement(root, f"{{{GRAPHML_NS}}}key", id=key_id, attrib={
            "for": domain, "attr.name": xml_safe(name), "attr.type": attr_type})
        keys[name] = (key_id, attr_type)
    return keys


_DATA = f"{{{GRAPHML_NS}}}data"


def _add_data(element, attrs: dict, keys: dict[str, tuple[str, str]]) -> None:
    for name, value in attrs.items():
        if value is None:
            continue
        key_id, attr_type = keys[name]
        etree.SubElement(element, _DATA, key=key_id).text = _format(value, attr_type)


def write_graphml(G: nx.MultiDiGraph, path: str | Path, *, yed: bool = True) -> None:
    """Write `G` as GraphML (UTF-8). Every node gets a `label` (its key when it has none).

    >>> write_graphml(build_graph(store), "outputs/graph.graphml")   # doctest: +SKIP
    """
    nsmap = {None: GRAPHML_NS, "xsi": XSI_NS}
    if yed:
        nsmap["y"] = YFILES_NS
    root = etree.Element(f"{{{GRAPHML_NS}}}graphml", nsmap=nsmap)
    root.set(f"{{{XSI_NS}}}schemaLocation", SCHEMA_LOCATION)
    nodes = [(n, {**attrs, "key": attrs.get("key", str(n)), "label": attrs.get("label", str(n))})
             for n, attrs in G.nodes(data=True)]
    node_keys = _declare_keys(root, "node", (a for _, a in nodes), "n")
    edge_keys = _declare_keys(root, "edge", (a for *_, a in G.edges(data=True)), "e")
    if yed:
        # yEd shows y:NodeLabel, not a plain `label` attribute.
        etree.SubElement(root, f"{{{GRAPHML_NS}}}key", id="yfiles_node",
                         attrib={"for": "node", "yfiles.type": "nodegraphics"})
    graph = etree.SubElement(root, f"{{{GRAPHML_NS}}}graph", id="G", edgedefault="directed")
    ids = {node: escape_id(str(node)) for node, _ in nodes}  # once per node, not once per edge end
    for node, attrs in nodes:
        element = etree.SubElement(graph, f"{{{GRAPHML_NS}}}node", id=ids[node])
        _add_data(element, attrs, node_keys)
        if yed:
            data = etree.SubElement(element, f"{{{GRAPHML_NS}}}data", key="yfiles_node")
            shape = etree.SubElement(data, f"{{{YFILES_NS}}}ShapeNode")
            etree.SubElement(shape, f"{{{YFILES_NS}}}NodeLabel").text = xml_safe(str(attrs["label"]))
    for i, (u, v, attrs) in enumerate(G.edges(data=True)):
        element = etree.SubElement(graph, f"{{{GRAPHML_NS}}}edge", id=f"e{i}",
                                   source=ids[u], target=ids[v])
        _add_data(element, attrs, edge_keys)
    etree.ElementTree(root).write(str(path), encoding="UTF-8", xml_declaration=True, pretty_print=True)
