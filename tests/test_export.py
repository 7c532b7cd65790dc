"""Exports, checked by the official schemas and read back by the tools people use.

GraphML must validate against the official graphml.xsd and GEXF against the official GEXF
1.2 schema, both taken from Debian's libjgrapht-java (tests/readers/official_schemas.py),
and read back in networkx, igraph, graph-tool (system python3), JGraphT (Java) and
graphology (Node.js). None of these is skipped: scripts/setup.sh installs them all, and a
missing one fails with the line that says so. yEd's flavour validates against the official
schema as yEd redefines it. Neo4j CSV is value-exact, Cypher can be loaded twice, and CSV
for spreadsheets carries a BOM and disarms formulas.
"""
import csv
import json
import shutil
import subprocess
import warnings
from collections import Counter
from pathlib import Path

import defusedxml.ElementTree as DET
import defusedxml.sax
import igraph
import networkx as nx
import pytest
import xml.sax.handler
from lxml import etree

from graph_samples import sample_documents
from pipeline.errors import ExportError
from pipeline.export import FORMATS, export, write_csv, write_gexf, write_graphml, write_graphml_yed, write_json
from pipeline.export.graphml import escape_id, unescape_id, xml_safe
from pipeline.graph import StoreGraph, build_graph
from readers.official_schemas import JGRAPHT_JARS, SETUP_HINT, official_schema, yed_schema

NS = "{http://graphml.graphdrawing.org/xmlns}"
Y = "{http://www.yworks.com/xml/graphml}"
XSI = "{http://www.w3.org/2001/XMLSchema-instance}"
READERS = Path(__file__).parent / "readers"
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's python3-graph-tool installs for it only


@pytest.fixture(scope="module")
def G():
    return build_graph(sample_documents())


@pytest.fixture
def with_parallel_edge(G):
    """G plus a second identical citation: a clause citing one directive twice must survive."""
    H = G.copy()
    u, v, attrs = next((u, v, a) for u, v, a in H.edges(data=True) if a["type"] == "cites")
    H.add_edge(u, v, **attrs)
    return H


def _sanitised(attrs):
    return {k: xml_safe(v) if isinstance(v, str) else v for k, v in attrs.items()}


def _valid(schema, path) -> None:
    tree = etree.parse(str(path))
    assert schema.validate(tree), "\n".join(str(e) for e in list(schema.error_log)[:10])


@pytest.mark.parametrize("key", ["dir:35-NQ/TW", "clause:030_nq_hdnd/Điều 1..a)", "body:a_5f_b", "x y\t/_"])
def test_id_escaping_is_reversible_nmtoken(key):
    escaped = escape_id(key)
    assert all(ch.isascii() and (ch.isalnum() or ch in "._-") for ch in escaped)
    assert unescape_id(escaped) == key


def test_formats_offered():
    assert list(FORMATS) == ["graphml", "graphml-yed", "gexf", "json", "csv", "cypher"]


# --- the official schemas ----------------------------------------------------------------------

def test_graphml_validates_against_the_official_schema(G, with_parallel_edge, tmp_path):
    for graph in (G, with_parallel_edge):
        write_graphml(graph, tmp_path / "g.graphml")
        _valid(official_schema("graphml.xsd"), tmp_path / "g.graphml")
    root = etree.parse(str(tmp_path / "g.graphml")).getroot()
    assert root.get(f"{XSI}schemaLocation").endswith("graphdrawing.org/xmlns/1.0/graphml.xsd")
    assert "yworks" not in (tmp_path / "g.graphml").read_text(encoding="utf-8")  # nothing of yEd's


@pytest.mark.parametrize("selection", [{}, {"body": "UBKT"}, {"doc": "12-NQ/ĐU"}])
def test_graphml_streamed_from_the_store_validates(store, tmp_path, selection):
    export(StoreGraph(store, **selection), "graphml", tmp_path / "g.graphml")
    _valid(official_schema("graphml.xsd"), tmp_path / "g.graphml")


def test_gexf_validates_against_the_official_schema(G, with_parallel_edge, tmp_path):
    for graph in (G, with_parallel_edge):
        write_gexf(graph, tmp_path / "g.gexf")
        _valid(official_schema("gexf.xsd"), tmp_path / "g.gexf")
    graph = etree.parse(str(tmp_path / "g.gexf")).getroot()[-1]
    assert graph.tag.endswith("graph") and "name" not in graph.attrib  # GEXF 1.2 has none


def test_yed_flavour_is_graphml_as_yed_extends_it(G, tmp_path):
    path = tmp_path / "g.graphml"
    write_graphml_yed(G, path)
    _valid(yed_schema(), path)
    tree = etree.parse(str(path))
    assert not official_schema("graphml.xsd").validate(tree)  # y:ShapeNode, yfiles.type: yEd only
    root = tree.getroot()
    assert root.get(f"{XSI}schemaLocation").endswith("/ygraphml.xsd") and root.nsmap["y"] == Y[1:-1]
    keys = root.findall(f"{NS}key")
    assert [k.get("for") for k in keys if k.get("yfiles.type") == "nodegraphics"] == ["node"]
    labels = [n.find(f"{NS}data/{Y}ShapeNode/{Y}NodeLabel").text for n in root.iter(f"{NS}node")]
    assert "Nghị quyết 12-NQ/ĐU" in labels and all(labels)


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
@pytest.mark.parametrize("flavour", ["plain", "yed"])
def test_schemas_reject_broken_graphml(G, tmp_path, break_it, flavour):
    """Neither schema is a rubber stamp: each of these faults in an otherwise valid file fails it."""
    path = tmp_path / "g.graphml"
    (write_graphml if flavour == "plain" else write_graphml_yed)(G, path)
    tree = etree.parse(str(path))
    break_it(tree.getroot())
    assert not (official_schema("graphml.xsd") if flavour == "plain" else yed_schema()).validate(tree)


# --- read back by the tools ------------------------------------------------------------------------

def test_graphml_round_trips_through_networkx(with_parallel_edge, tmp_path):
    G = with_parallel_edge
    path = tmp_path / "g.graphml"
    write_graphml(G, path)
    H = nx.read_graphml(path, force_multigraph=True)
    assert {unescape_id(n) for n in H} == set(G)
    for n, attrs in H.nodes(data=True):
        assert attrs == _sanitised(G.nodes[unescape_id(n)]), n
    edges_in = Counter((u, v, tuple(sorted(_sanitised(a).items()))) for u, v, a in G.edges(data=True))
    edges_out = Counter((unescape_id(u), unescape_id(v), tuple(sorted(a.items()))) for u, v, a in H.edges(data=True))
    assert edges_in == edges_out


def test_graphml_read_by_igraph_keeps_node_ids(G, tmp_path):
    path = tmp_path / "g.graphml"
    write_graphml(G, path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # igraph warns, and drops the ids, when an attribute is named "id"
        g = igraph.Graph.Read_GraphML(str(path))
    assert (g.vcount(), g.ecount(), g.is_directed()) == (G.number_of_nodes(), G.number_of_edges(), True)
    assert sorted(unescape_id(i) for i in g.vs["id"]) == sorted(G)
    assert [unescape_id(i) for i in g.vs["id"]] == g.vs["key"]
    assert Counter(g.es["type"]) == Counter(a["type"] for *_, a in G.edges(data=True))
    directive = g.vs.find(key="dir:35-NQ/TW")
    assert (directive["number"], directive["year"]) == ("35-NQ/TW", 2018)


def _run(command: list[str], what: str) -> str:
    """Run a reader; fail (never skip) with what to install when it is missing or refuses the file."""
    assert shutil.which(command[0]) or Path(command[0]).exists(), f"{command[0]} is missing: {what}"
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_graphml_read_by_graph_tool(with_parallel_edge, tmp_path):
    G = with_parallel_edge
    path = tmp_path / "g.graphml"
    write_graphml(G, path)
    seen = json.loads(_run([SYSTEM_PYTHON, str(READERS / "read_graph_tool.py"), str(path)],
                           "run scripts/setup.sh (it installs Debian's python3-graph-tool)"))
    assert (seen["directed"], seen["vertices"], seen["edges"]) == (True, G.number_of_nodes(), G.number_of_edges())
    assert seen["ids"] == sorted(escape_id(n) for n in G)
    assert seen["labels"] == {escape_id(n): xml_safe(a["label"]) for n, a in G.nodes(data=True)}
    assert seen["edgeTypes"] == Counter(a["type"] for *_, a in G.edges(data=True))
    assert (seen["vertexTypes"]["year"], seen["vertexTypes"]["page"], seen["vertexTypes"]["label"]) == (
        "int64_t", "int64_t", "string")


def _jgrapht(fmt: str, path: Path) -> dict:
    for jar in JGRAPHT_JARS:
        assert jar.exists(), f"{jar} is missing: {SETUP_HINT}"
    classpath = ":".join(str(jar) for jar in JGRAPHT_JARS)
    # Java's single-file launch compiles ReadGraph.java in memory: nothing is left behind.
    return json.loads(_run(["java", "-cp", classpath, str(READERS / "ReadGraph.java"), fmt, str(path)],
                           "run scripts/setup.sh (it installs a JDK and Debian's libjgrapht-java)"))


def test_graphml_and_gexf_read_by_jgrapht(with_parallel_edge, tmp_path):
    """JGraphT validates each file against the official schema it ships before reading it."""
    G = with_parallel_edge
    write_graphml(G, tmp_path / "g.graphml")
    write_gexf(G, tmp_path / "g.gexf")
    edge_types = Counter(a["type"] for *_, a in G.edges(data=True))
    for fmt, node_id in (("graphml", escape_id), ("gexf", str)):
        seen = _jgrapht(fmt, tmp_path / f"g.{fmt}")
        assert (seen["directed"], seen["edges"]) == (True, G.number_of_edges()), fmt
        assert seen["vertices"] == sorted(node_id(n) for n in G), fmt
        assert seen["labels"] == {node_id(n): xml_safe(a["label"]) for n, a in G.nodes(data=True)}, fmt
        assert seen["edgeTypes"] == edge_types, fmt


def test_jgrapht_refuses_the_yed_flavour(G, tmp_path):
    """The reason plain GraphML is the default: a validating reader refuses yEd's extensions."""
    write_graphml_yed(G, tmp_path / "g.graphml")
    classpath = ":".join(str(jar) for jar in JGRAPHT_JARS)
    done = subprocess.run(["java", "-cp", classpath, str(READERS / "ReadGraph.java"), "graphml",
                           str(tmp_path / "g.graphml")], capture_output=True, text=True, timeout=300)
    assert done.returncode != 0 and "Failed to parse GraphML" in done.stderr


def test_graphml_read_by_graphology(with_parallel_edge, tmp_path):
    """graphology-graphml (the GraphML parser of the graphology library Gephi Lite is built on)
    sees every node with its label and every edge, parallel ones included."""
    G = with_parallel_edge
    path = tmp_path / "g.graphml"
    write_graphml(G, path)
    seen = json.loads(_run(["node", str(READERS / "read_graphml.js"), str(path)],
                           "run scripts/setup.sh (it installs Node.js and tests/readers' packages)"))
    assert (seen["type"], seen["multi"]) == ("directed", True)
    assert (seen["nodes"], seen["edges"]) == (G.number_of_nodes(), G.number_of_edges())
    assert seen["labels"] == {escape_id(n): xml_safe(a["label"]) for n, a in G.nodes(data=True)}
    assert seen["edgeTypes"] == Counter(a["type"] for *_, a in G.edges(data=True))


def test_gexf_round_trips_through_networkx(with_parallel_edge, tmp_path):
    """Every node attribute comes back with its type; networkx's reader files a GEXF attribute
    titled "key" under "networkx_key" (its own name for edge keys), the only renaming."""
    G = with_parallel_edge
    path = tmp_path / "g.gexf"
    write_gexf(G, path)
    H = nx.read_gexf(path)
    assert set(H) == set(G) and H.number_of_edges() == G.number_of_edges()
    for node, attrs in H.nodes(data=True):
        attrs = {("key" if name == "networkx_key" else name): value for name, value in attrs.items()}
        assert attrs == _sanitised(G.nodes[node]), node
    def edges(graph, relation):
        return Counter((u, v, a[relation], a.get("role"), a.get("text"), a.get("order"))
                       for u, v, a in graph.edges(data=True))

    assert edges(G, "type") == edges(H, "relation")


def test_json_node_link(G, tmp_path):
    path = tmp_path / "g.json"
    write_json(G, path)
    H = nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="edges")
    assert set(H) == set(G) and H.number_of_edges() == G.number_of_edges()
    assert H.nodes["dir:35-NQ/TW"]["number"] == "35-NQ/TW"  # not lost under the node-link "id"


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
    """Gephi shows the attribute named "label", Cytoscape the one named "name" (both flavours),
    yEd the y:NodeLabel of its node graphics (yEd flavour)."""
    expected = {escape_id(n): xml_safe(a["label"]) for n, a in G.nodes(data=True)}
    assert all(expected.values())
    for writer in (write_graphml, write_graphml_yed):
        path = tmp_path / "g.graphml"
        writer(G, path)
        root = DET.parse(path).getroot()
        label_key = next(k.get("id") for k in root.iter(f"{NS}key") if k.get("attr.name") == "label")
        gephi = {n.get("id"): n.find(f"{NS}data[@key='{label_key}']").text for n in root.iter(f"{NS}node")}
        cytoscape = CytoscapeLikeReader()
        defusedxml.sax.parse(str(path), cytoscape)
        assert gephi == cytoscape.names == expected
        assert (cytoscape.edges, cytoscape.dropped) == (G.number_of_edges(), 0)
    yed = {n.get("id"): n.find(f"{NS}data/{Y}ShapeNode/{Y}NodeLabel").text for n in root.iter(f"{NS}node")}
    assert yed == expected


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
