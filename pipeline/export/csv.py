"""CSV in the layout `neo4j-admin database import full` reads, value for value.

One `nodes_<type>.csv` per node type (header `key:ID,:LABEL,...`) and one
`relationships.csv` (`:START_ID,:END_ID,:TYPE,...`). Typed columns carry
neo4j's suffixes (`:long`, `:double`, `:boolean`: Cypher's own integer and float, where
`:int` and `:float` would be Java's 32-bit ones). A database import is not a spreadsheet:
no cell is altered (a label "- a)" stays "- a)"; spreadsheets get
`pipeline.export.spreadsheet` instead). Every text cell is quoted, so an empty
text is `""` (neo4j imports it as "") and a missing value an empty field (no
property). Cells may hold line breaks; the import then needs
`--multiline-fields=true`, which `neo4j_import_command` adds.
"""
from __future__ import annotations

import shlex
from collections import defaultdict
from contextlib import ExitStack
from pathlib import Path

import networkx as nx

from pipeline.graph import GraphView, graph_view

__all__ = ["NEO4J_IMPORT_NOTE", "Neo4jFiles", "neo4j_cell", "neo4j_import_command", "write_csv"]

# What to say before the command: `import full` writes a database that does not exist yet,
# and refuses an existing one unless told to replace it.
NEO4J_IMPORT_NOTE = "To load it into Neo4j 5, run (with --overwrite-destination=true if the database exists):"


class Neo4jFiles(list):
    """The files `write_csv` wrote (a list of paths), and whether any cell spans lines."""
    multiline: bool = False


def neo4j_cell(value) -> str:
    """A CSV field neo4j-admin reads back as exactly `value` (None: no property).

    >>> neo4j_cell("- a)"), neo4j_cell('a "b" c'), neo4j_cell(""), neo4j_cell(None), neo4j_cell(3)
    ('"- a)"', '"a ""b"" c"', '""', '', '3')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return '"' + str(value).replace('"', '""') + '"'


def _column(name: str, types: set[type]) -> str:
    """`name` with neo4j's type suffix when every value has the one type."""
    if types == {bool}:
        return f"{name}:boolean"
    if types == {int}:
        return f"{name}:long"
    if float in types and types <= {int, float}:
        return f"{name}:double"
    return name


def _note_types(columns: dict[str, set[type]], attrs: dict, skip: tuple[str, ...]) -> None:
    for name, value in attrs.items():
        if value is not None and name not in skip:
            columns[name].add(type(value))


def _header(columns: dict[str, set[type]]) -> tuple[list[str], list[str]]:
    """Attribute names (sorted) and their typed header cells."""
    names = sorted(columns)
    return names, [_column(n, columns[n]) for n in names]


class _Rows:
    """Writes rows of fields to one file, noting whether a field spans lines."""

    def __init__(self, handle, files: Neo4jFiles):
        self.handle, self.files = handle, files

    def write(self, values: list) -> None:
        for value in values:
            if isinstance(value, str) and ("\n" in value or "\r" in value):
                self.files.multiline = True
        self.handle.write(",".join(neo4j_cell(v) for v in values) + "\n")

    def header(self, cells: list[str]) -> None:
        self.handle.write(",".join(cells) + "\n")


def write_csv(graph: "nx.Graph | GraphView", directory: str | Path) -> Neo4jFiles:
    """Write node and relationship CSVs into `directory`; return the files written.

    Streams like the GraphML writer: a first pass reads each file's columns, the
    second writes rows as they come (one open file per node type).

    >>> write_csv(StoreGraph(store), "outputs/neo4j")   # doctest: +SKIP
    [PosixPath('outputs/neo4j/nodes_body.csv'), ...]
    """
    view = graph_view(graph)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    types: dict[str, dict[str, set[type]]] = defaultdict(lambda: defaultdict(set))
    for _, attrs in view.iter_nodes():
        _note_types(types[attrs.get("type", "node")], attrs, ("key", "type"))
    by_type = {node_type: _header(columns) for node_type, columns in types.items()}
    written = Neo4jFiles(directory / f"nodes_{t}.csv" for t in sorted(by_type))
    with ExitStack() as files:
        writers = {}
        for node_type in sorted(by_type):
            handle = files.enter_context((directory / f"nodes_{node_type}.csv").open("w", encoding="utf-8", newline=""))
            writers[node_type] = _Rows(handle, written)
            writers[node_type].header(["key:ID", ":LABEL"] + by_type[node_type][1])
        for node, attrs in view.iter_nodes():
            node_type = attrs.get("type", "node")
            names = by_type[node_type][0]
            writers[node_type].write([node, node_type.capitalize()] + [attrs.get(n) for n in names])
    edge_types: dict[str, set[type]] = defaultdict(set)
    for *_, attrs in view.iter_edges():
        _note_types(edge_types, attrs, ("type",))
    names, header = _header(edge_types)
    path = directory / "relationships.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        rows = _Rows(handle, written)
        rows.header([":START_ID", ":END_ID", ":TYPE"] + header)
        for u, v, attrs in view.iter_edges():
            rows.write([u, v, attrs.get("type", "related").upper()] + [attrs.get(n) for n in names])
    written.append(path)
    return written


def neo4j_import_command(files: Neo4jFiles, database: str = "neo4j", *, under: str | Path | None = None) -> str:
    """The `neo4j-admin` command that loads `files` into an empty (or new) `database`,
    naming them in directory `under` if given (where a download unpacks them).

    The database comes straight after `full`: from Neo4j 5.19 a name after the
    file options is read as one more file. The node files carry their labels in a
    `:LABEL` column, so they are named without one; relationships find their ends
    in the one global id space.

    >>> neo4j_import_command(write_csv(G, "out"))   # doctest: +SKIP
    'neo4j-admin database import full neo4j --multiline-fields=true --nodes=out/nodes_body.csv ...'
    """
    def name(file: Path) -> Path:
        return Path(under) / file.name if under is not None else file

    parts = ["neo4j-admin", "database", "import", "full", database]
    if files.multiline:
        parts.append("--multiline-fields=true")
    parts += [f"--nodes={name(f)}" for f in files if f.name.startswith("nodes_")]
    parts += [f"--relationships={name(f)}" for f in files if f.name == "relationships.csv"]
    return shlex.join(parts)
