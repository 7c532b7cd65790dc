"""Exports: GraphML that networkx and igraph read back identically, GEXF, JSON, neo4j CSV, Cypher."""
import csv
import functools
import json
import subprocess
from collections import Counter
from pathlib import Path

import defusedxml.ElementTree as DET
import defusedxml.sax
import xml.sax.handler
import igraph
import networkx as nx
import pytest
from lxml import etree

from graph_samples import sample_documents
from pipeline.errors import ExportError
from pipeline.export import export, write_csv, write_cypher, write_gexf, write_graphml, write_json
from pipeline.export.csv import neutralise
from pipeline.export.graphml import escape_id, unescape_id, xml_safe
from pipeline.graph import StoreGraph, build_graph

NS = "{http://graphml.graphdrawing.org/xmlns}"
Y = "{http://www.yworks.com/xml/graphml}"
XSI = "{http://www.w3.org/2001/XMLSchema-instance}"
SCHEMAS = Path(__file__).parent / "data" / "graphml"


@functools.cache
def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


@pytest.fixture(scope="module")
def G():
    return build_graph(sample_documents())


def _sanitised(attrs):
    return {k: xml_safe(v) if isinstance(v, str) else v for k, v in attrs.items()}


@pytest.mark.parametrize("key", ["dir:35-NQ/TW", "clause:030_nq_hdnd/Điều 1..a)", "body:a_5f_b", "x y\t/_"])
def test_id_escaping_is_reversible_nmtoken(key):
    escaped = escape_id(key)
    assert all(ch.isascii() and (ch.isalnum() or ch in "._-") for ch in escaped)
    assert unescape_id(escaped) == key


def test_graphml_round_trips_through_networkx(G, tmp_path):
    path = tmp_path / "g.graphml"
    write_graphml(G, path)
    H = nx.read_graphml(path, force_multigraph=True)
    assert {unescape_id(n) for n in H} == set(G)
    for n, attrs in H.nodes(data=True):
        assert attrs == _sanitised(G.nodes[unescape_id(n)]), n
    edges_in = Counter((u, v, tuple(sorted(_sanitised(a).items()))) for u, v, a in G.edges(data=True))
    edges_out = Counter((unescape_id(u), unescape_id(v), tuple(sorted(a.items()))) for u, v, a in H.edges(data=True))
    assert edges_in == edges_out


def test_graphml_structure(G, tmp_path):
    path = tmp_path / "g.graphml"
    write_graphml(G, path)
    root = DET.parse(path).getroot()
    assert root.tag == f"{NS}graphml"
    keys = {k.get("id"): k for k in root.findall(f"{NS}key")}
    assert all(k.get("attr.type") in {"boolean", "long", "double", "string"}
               for k in keys.values() if k.get("yfiles.type") is None)
    graph = root.find(f"{NS}graph")
    assert graph.get("edgedefault") == "directed"
    # Keys come before the graph, nodes before edges, as the schema's sequence requires.
    tags = [child.tag for child in root]
    assert tags == [f"{NS}key"] * len(keys) + [f"{NS}graph"]
    edge_ids = [e.get("id") for e in graph.findall(f"{NS}edge")]
    assert len(edge_ids) == len(set(edge_ids)) == G.number_of_edges()
    node_ids = {n.get("id") for n in graph.findall(f"{NS}node")}
    assert all(e.get("source") in node_ids and e.get("target") in node_ids for e in graph.findall(f"{NS}edge"))
    for element in graph.iter(f"{NS}data"):
        assert element.get("key") in keys
    labels = [n.find(f"{NS}data/{Y}ShapeNode/{Y}NodeLabel").text for n in graph.findall(f"{NS}node")]
    assert "Nghị quyết 12-NQ/ĐU" in labels and all(labels)
    assert "\x0b" not in path.read_text(encoding="utf-8")


def test_graphml_read_by_igraph(G, tmp_path):
    path = tmp_path / "g.graphml"
    write_graphml(G, path)
    with pytest.warns(RuntimeWarning):  # igraph keeps node ids out of "id": directives use that name
        g = igraph.Graph.Read_GraphML(str(path))
    assert (g.vcount(), g.ecount()) == (G.number_of_nodes(), G.number_of_edges())
    assert sorted(g.vs["key"]) == sorted(G)
    assert Counter(g.es["type"]) == Counter(a["type"] for *_, a in G.edges(data=True))


READERS = Path(__file__).parent / "readers"


def test_graphml_read_by_graphology(G, tmp_path):
    """A third reader, in another language: graphology-graphml (the GraphML parser of the
    graphology library Gephi Lite is built on) sees every node with its label and every edge."""
    G = G.copy()
    u, v, attrs = next(iter(G.edges(data=True)))
    G.add_edge(u, v, **attrs)  # a parallel edge (a clause citing one directive twice) must survive
    path = tmp_path / "g.graphml"
    write_graphml(G, path)
    done = subprocess.run(["node", str(READERS / "read_graphml.js"), str(path)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert (seen["type"], seen["multi"]) == ("directed", True)
    assert (seen["nodes"], seen["edges"]) == (G.number_of_nodes(), G.number_of_edges())
    assert seen["labels"] == {escape_id(n): xml_safe(a["label"]) for n, a in G.nodes(data=True)}
    assert seen["edgeTypes"] == Counter(a["type"] for *_, a in G.edges(data=True))


def test_gexf_reads_back(G, tmp_path):
    path = tmp_path / "g.gexf"
    write_gexf(G, path)
    H = nx.read_gexf(path)
    assert set(H) == set(G) and H.number_of_edges() == G.number_of_edges()
    assert H.nodes["dir:35-NQ/TW"]["directive_id"] == "35-NQ/TW"
    assert Counter(a["relation"] for *_, a in H.edges(data=True))["cites"] == 5


def test_json_node_link(G, tmp_path):
    path = tmp_path / "g.json"
    write_json(G, path)
    H = nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="edges")
    assert set(H) == set(G) and H.number_of_edges() == G.number_of_edges()


def test_neo4j_csv_layout(G, tmp_path):
    files = write_csv(G, tmp_path / "neo4j")
    assert sorted(f.name for f in files) == ["nodes_body.csv", "nodes_clause.csv", "nodes_directive.csv",
                                             "nodes_document.csv", "relationships.csv"]
    rows = list(csv.reader((tmp_path / "neo4j" / "relationships.csv").open(encoding="utf-8")))
    assert rows[0][:3] == [":START_ID", ":END_ID", ":TYPE"] and "order:int" in rows[0]
    assert len(rows) - 1 == G.number_of_edges()
    header = next(csv.reader((tmp_path / "neo4j" / "nodes_directive.csv").open(encoding="utf-8")))
    assert header[:2] == ["key:ID", ":LABEL"] and "year:int" in header
    node_ids = {r[0] for f in files if f.name.startswith("nodes_")
                for r in list(csv.reader(f.open(encoding="utf-8")))[1:]}
    assert {r[0] for r in rows[1:]} | {r[1] for r in rows[1:]} <= node_ids


@pytest.mark.parametrize("cell,safe", [("=1+1", "'=1+1"), ("+84", "'+84"), ("- thực hiện", "'- thực hiện"),
                                       ("@SUM(A1)", "'@SUM(A1)"), ("Nghị quyết", "Nghị quyết")])
def test_formula_cells_neutralised(cell, safe):
    assert neutralise(cell) == safe


def test_cypher_statements(G, tmp_path):
    path = tmp_path / "g.cypher"
    write_cypher(G, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert sum(line.startswith("CREATE (:") for line in lines) == G.number_of_nodes()
    assert sum(line.startswith("MATCH ") for line in lines) == G.number_of_edges()
    assert "CREATE (a)-[:IS {}]->(b);" in "\n".join(lines)


# --- schema validation ------------------------------------------------------------------------

@pytest.mark.parametrize("yed,schema_name", [(True, "ygraphml.xsd"), (False, "graphml.xsd")])
def test_graphml_validates_against_the_schema_it_names(G, tmp_path, yed, schema_name):
    path = tmp_path / "g.graphml"
    write_graphml(G, path, yed=yed)
    tree = etree.parse(str(path))
    assert schema(schema_name).validate(tree), schema(schema_name).error_log
    assert tree.getroot().get(f"{XSI}schemaLocation").endswith("/" + schema_name)


def _second_node_takes_first_id(root):
    first, second, *_ = root.iter(f"{NS}node")
    second.set("id", first.get("id"))


def _edge_to_missing_node(root):
    next(root.iter(f"{NS}edge")).set("target", "no-such-node")


def _data_with_undeclared_key(root):
    next(root.iter(f"{NS}data")).set("key", "n999")


def _unknown_attr_type(root):
    next(root.iter(f"{NS}key")).set("attr.type", "text")


def _no_edgedefault(root):
    del next(root.iter(f"{NS}graph")).attrib["edgedefault"]


def _node_id_with_a_space(root):
    next(root.iter(f"{NS}node")).set("id", "doc 1")


def _edges_share_an_id(root):
    first, second, *_ = root.iter(f"{NS}edge")
    second.set("id", first.get("id"))


def _graph_before_keys(root):
    graph = next(root.iter(f"{NS}graph"))
    root.remove(graph)
    root.insert(0, graph)


@pytest.mark.parametrize("break_it", [
    _second_node_takes_first_id, _edge_to_missing_node, _data_with_undeclared_key, _unknown_attr_type,
    _no_edgedefault, _node_id_with_a_space, _edges_share_an_id, _graph_before_keys])
def test_schema_rejects_broken_graphml(G, tmp_path, break_it):
    """The schema is not a rubber stamp: each of these faults in an otherwise valid file fails it."""
    path = tmp_path / "g.graphml"
    write_graphml(G, path)
    tree = etree.parse(str(path))
    break_it(tree.getroot())
    assert not schema("ygraphml.xsd").validate(tree)


def test_plain_schema_rejects_yed_elements(G, tmp_path):
    path = tmp_path / "g.graphml"
    write_graphml(G, path, yed=True)
    assert not schema("graphml.xsd").validate(etree.parse(str(path)))


# --- what the desktop tools show ----------------------------------------------------------------

class CytoscapeLikeReader(xml.sax.handler.ContentHandler):
    """What Cytoscape 3's GraphML reader (io-impl GraphMLParser, a SAX handler) does with a
    file, kept to what decides what users see: tags are matched by their qualified name; a
    node is named by its id until a <data> whose key's attr.name is "name" sets the name;
    an edge whose ends have not been read yet is dropped."""

    def __init__(self):
        super().__init__()
        self.key_names, self.names, self.edges, self.dropped = {}, {}, 0, 0
        self.node = self.data_key = None
        self.text = []

    def startElement(self, tag, attrs):
        self.text = []
        if tag == "key":
            self.key_names[attrs["id"]] = attrs.get("attr.name")
        elif tag == "node":
            self.node = attrs["id"]
            self.names[self.node] = attrs["id"]
        elif tag == "edge":
            self.node = None
            if attrs["source"] in self.names and attrs["target"] in self.names:
                self.edges += 1
            else:
                self.dropped += 1
        elif tag == "data":
            self.data_key = attrs["key"]

    def characters(self, content):
        self.text.append(content)

    def endElement(self, tag):
        if tag == "data" and self.node and self.key_names.get(self.data_key) == "name":
            self.names[self.node] = "".join(self.text).strip()


def test_each_desktop_tool_finds_a_readable_label_on_every_node(G, tmp_path):
    path = tmp_path / "g.graphml"
    write_graphml(G, path)
    root = DET.parse(path).getroot()
    label_key = next(k.get("id") for k in root.iter(f"{NS}key") if k.get("attr.name") == "label")
    expected = {escape_id(n): xml_safe(a["label"]) for n, a in G.nodes(data=True)}
    # Gephi: the node attribute named "label"; yEd: the y:NodeLabel of the node graphics.
    gephi = {n.get("id"): n.find(f"{NS}data[@key='{label_key}']").text for n in root.iter(f"{NS}node")}
    yed = {n.get("id"): n.find(f"{NS}data/{Y}ShapeNode/{Y}NodeLabel").text for n in root.iter(f"{NS}node")}
    cytoscape = CytoscapeLikeReader()
    defusedxml.sax.parse(str(path), cytoscape)
    assert gephi == yed == cytoscape.names == expected
    assert all(expected.values())
    assert (cytoscape.edges, cytoscape.dropped) == (G.number_of_edges(), 0)


# --- streaming from the store ----------------------------------------------------------------

def _read_back(path):
    H = nx.read_graphml(path, force_multigraph=True)
    nodes = {n: attrs for n, attrs in H.nodes(data=True)}
    edges = Counter((u, v, tuple(sorted(a.items()))) for u, v, a in H.edges(data=True))
    return nodes, edges


@pytest.mark.parametrize("selection", [{}, {"body": "UBKT"}, {"doc": "12-NQ/ĐU"}])
def test_streamed_export_is_the_networkx_graph(store, tmp_path, selection):
    streamed, collected = tmp_path / "streamed.graphml", tmp_path / "collected.graphml"
    counts = export(StoreGraph(store, **selection), "graphml", streamed)
    G = build_graph(store, **selection)
    write_graphml(G, collected)
    assert _read_back(streamed) == _read_back(collected)
    assert (counts.nodes, counts.edges) == (G.number_of_nodes(), G.number_of_edges())
    assert schema("ygraphml.xsd").validate(etree.parse(str(streamed)))


def test_streamed_csv_json_and_cypher_match_networkx(store, tmp_path):
    G = build_graph(store)
    for fmt in ("json", "cypher"):
        export(StoreGraph(store), fmt, tmp_path / f"streamed.{fmt}")
        export(G, fmt, tmp_path / f"collected.{fmt}")
        streamed = sorted((tmp_path / f"streamed.{fmt}").read_text(encoding="utf-8").splitlines())
        assert streamed == sorted((tmp_path / f"collected.{fmt}").read_text(encoding="utf-8").splitlines())
    export(StoreGraph(store), "csv", tmp_path / "streamed")
    export(G, "csv", tmp_path / "collected")
    for file in (tmp_path / "collected").iterdir():
        rows = sorted((tmp_path / "streamed" / file.name).read_text(encoding="utf-8").splitlines())
        assert rows == sorted(file.read_text(encoding="utf-8").splitlines()), file.name


def test_failed_export_leaves_no_file_and_says_where(store, tmp_path):
    target = tmp_path / "taken"
    target.mkdir()
    with pytest.raises(ExportError, match="taken: cannot write the graphml export"):
        export(StoreGraph(store), "graphml", target)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []
