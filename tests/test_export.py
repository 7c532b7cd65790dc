"""Exports: GraphML that networkx and igraph read back identically, GEXF, JSON, neo4j CSV, Cypher."""
import csv
import json
from collections import Counter

import defusedxml.ElementTree as DET
import igraph
import networkx as nx
import pytest

from graph_samples import sample_documents
from pipeline.export import write_csv, write_cypher, write_gexf, write_graphml, write_json
from pipeline.export.csv import neutralise
from pipeline.export.graphml import escape_id, unescape_id, xml_safe
from pipeline.graph import build_graph

NS = "{http://graphml.graphdrawing.org/xmlns}"
Y = "{http://www.yworks.com/xml/graphml}"


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
