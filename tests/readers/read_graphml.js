// Read a GraphML file with graphology-graphml and print what a viewer built on it sees:
// graph kind, node and edge counts, each node's label, and the edge count by type.
// Usage: node read_graphml.js FILE
const fs = require("fs");
const path = require("path");
const Graph = require(path.join(__dirname, "node_modules", "graphology"));
const { parse } = require(path.join(__dirname, "node_modules", "graphology-graphml"));

const graph = parse(Graph, fs.readFileSync(process.argv[2], "utf8"), { addMissingNodes: false });
const labels = {};
graph.forEachNode((node, attrs) => { labels[node] = attrs.label; });
const edgeTypes = {};
graph.forEachEdge((edge, attrs) => { edgeTypes[attrs.type] = (edgeTypes[attrs.type] || 0) + 1; });
process.stdout.write(JSON.stringify({
  type: graph.type, multi: graph.multi, nodes: graph.order, edges: graph.size, labels, edgeTypes,
}));
