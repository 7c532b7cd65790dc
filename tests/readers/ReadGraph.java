// Read a GraphML or GEXF file with JGraphT (Debian's libjgrapht-java) and print, as JSON, what a
// Java program built on it sees: directedness, vertex ids, each vertex's label, edge count, and
// edges by type. JGraphT's importers validate against the official schema they ship
// (graphml.xsd, gexf.xsd) before reading, so a file that fails it ends the run with exit 1.
// Usage: java -cp <jgrapht jars> ReadGraph.java graphml|gexf FILE
import java.io.FileReader;
import java.io.Reader;
import java.util.Map;
import java.util.TreeMap;

import org.jgrapht.Graph;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.builder.GraphTypeBuilder;
import org.jgrapht.nio.BaseEventDrivenImporter;
import org.jgrapht.nio.GraphImporter;
import org.jgrapht.nio.gexf.SimpleGEXFImporter;
import org.jgrapht.nio.graphml.GraphMLImporter;
import org.jgrapht.util.SupplierUtil;

public class ReadGraph {
    public static void main(String[] args) throws Exception {
        // A multigraph with loops: a clause may cite one directive twice.
        Graph<String, DefaultEdge> graph = GraphTypeBuilder.<String, DefaultEdge>directed()
            .allowingMultipleEdges(true).allowingSelfLoops(true).vertexClass(String.class)
            .edgeSupplier(SupplierUtil.createDefaultEdgeSupplier()).buildGraph();
        Map<String, String> labels = new TreeMap<>();
        Map<String, Integer> edgeTypes = new TreeMap<>();
        GraphImporter<String, DefaultEdge> importer;
        BaseEventDrivenImporter<String, DefaultEdge> events;
        if (args[0].equals("graphml")) {
            GraphMLImporter<String, DefaultEdge> graphml = new GraphMLImporter<>();
            graphml.setSchemaValidation(true);
            graphml.setVertexFactory(id -> id);  // keep the file's ids as the vertices
            importer = graphml;
            events = graphml;
        } else {
            SimpleGEXFImporter<String, DefaultEdge> gexf = new SimpleGEXFImporter<>();
            gexf.setSchemaValidation(true);
            gexf.setVertexFactory(id -> id);
            importer = gexf;
            events = gexf;
        }
        events.addVertexAttributeConsumer((pair, attribute) -> {
            if (pair.getSecond().equals("label")) {
                labels.put(pair.getFirst(), attribute.getValue());
            }
        });
        // GraphML names the relation "type"; the GEXF writer renames it "relation".
        events.addEdgeAttributeConsumer((pair, attribute) -> {
            if (pair.getSecond().equals("type") || pair.getSecond().equals("relation")) {
                edgeTypes.merge(attribute.getValue(), 1, Integer::sum);
            }
        });
        try (Reader reader = new FileReader(args[1], java.nio.charset.StandardCharsets.UTF_8)) {
            importer.importGraph(graph, reader);
        }
        StringBuilder out = new StringBuilder("{\"directed\": ").append(graph.getType().isDirected());
        out.append(", \"edges\": ").append(graph.edgeSet().size()).append(", \"vertices\": [");
        String sep = "";
        for (String vertex : new java.util.TreeSet<>(graph.vertexSet())) {
            out.append(sep).append(json(vertex));
            sep = ", ";
        }
        out.append("], \"labels\": {");
        sep = "";
        for (Map.Entry<String, String> entry : labels.entrySet()) {
            out.append(sep).append(json(entry.getKey())).append(": ").append(json(entry.getValue()));
            sep = ", ";
        }
        out.append("}, \"edgeTypes\": {");
        sep = "";
        for (Map.Entry<String, Integer> entry : edgeTypes.entrySet()) {
            out.append(sep).append(json(entry.getKey())).append(": ").append(entry.getValue());
            sep = ", ";
        }
        System.out.println(out.append("}}"));
    }

    /** A JSON string literal (no JSON library is on Debian's JGraphT class path). */
    static String json(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
