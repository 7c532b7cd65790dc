"""Read a GraphML file with graph-tool and print, as JSON, what a program built on it sees.

graph-tool is Debian's python3-graph-tool, importable only from the system
python3 (/usr/bin/python3), not from the project's virtual environment: the
tests run this file in a subprocess. Printed: directedness, counts, the file's
vertex ids (graph-tool keeps them in the `_graphml_vertex_id` property), each
vertex's label, edges by type, and the value type graph-tool chose for each
vertex property.

Usage: /usr/bin/python3 read_graph_tool.py FILE
"""
import json
import sys
from collections import Counter

# The package, not graph_tool.all: that also loads the drawing module, which needs matplotlib.
from graph_tool import load_graph

graph = load_graph(sys.argv[1], fmt="graphml")
ids = graph.vp["_graphml_vertex_id"]
json.dump({
    "directed": graph.is_directed(),
    "vertices": graph.num_vertices(),
    "edges": graph.num_edges(),
    "ids": sorted(ids[v] for v in graph.vertices()),
    "labels": {ids[v]: graph.vp["label"][v] for v in graph.vertices()},
    "edgeTypes": Counter(graph.ep["type"][e] for e in graph.edges()),
    "vertexTypes": {name: prop.value_type() for name, prop in graph.vp.items()},
}, sys.stdout, ensure_ascii=False)
