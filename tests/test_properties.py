"""Property tests: the NLP stages never raise and keep offsets on resolution-like text;
the exporters write files every reader opens, whatever the text holds.
"""
from __future__ import annotations

import csv
import math
import unicodedata

import networkx as nx
from defusedxml import ElementTree as SafeET
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from pipeline import document_from_extracted
from pipeline.export.csv import write_csv
from pipeline.export.gexf import write_gexf
from pipeline.export.graphml import escape_id, write_graphml, xml_safe
from pipeline.extract.assemble import assemble
from pipeline.extract.text import text_layout
from pipeline.segment import segment
from pipeline.tag import tag
from pipeline.tag.bodies import find_bodies
from pipeline.tag.citations import find_citations
from pipeline.tag.deadlines import find_deadlines
from readers.official_schemas import official_schema

# --- resolution-like text ---------------------------------------------------------------

LABELS = ["Điều 1.", "Điều 12.", "A-", "B.", "I-", "II.", "IV-", "1.", "2.1.", "1.1.2.", "3.1.Tăng cường", "(1)",
          "(16)", "(i3)", "a)", "b)", "(a)", "-", "+", "–"]
BODIES = ["Ủy ban nhân dân xã", "UBND huyện", "Uỷ ban kiểm tra Đảng uỷ", "Ban Thường vụ Huyện ủy", "MTTQ tỉnh",
          "Hội đồng nhân dân thành phố", "các cơ quan liên quan", "Đoàn Thanh niên", "BCH Đảng bộ phường",
          "Văn phòng HĐND và UBND", "Công an tỉnh", "các chi, đảng bộ trực thuộc"]
VERBS = ["Giao {b} chủ trì", "{b} phối hợp", "Đề nghị {b}", "phối hợp với {b}", "{b} tổ chức", "báo cáo {b}"]
CODES = ["NQ/TW", "QĐ/TU", "KH/UBKTTW", "TB/TU", "CT/TW", "KL/HU", "QĐi/TW"]
STATE_CODES = ["NQ-HĐND", "QĐ-TTg", "QĐ-UBND", "KH-UBND", "BC-ĐGS"]
KINDS = ["Nghị quyết", "Quyết định", "Quy định", "Kế hoạch", "Chỉ thị", "Kết luận", "Thông báo"]
DEADLINES = ["hoàn thành trong tháng {m}/{y}", "đến năm {y}", "trước năm {y}", "trong quý {q}/{y}",
             "thực hiện từ năm {y}", "giai đoạn {y} - {y2}", "định kỳ hằng năm", "hằng quý", "thực hiện thường xuyên",
             "thường xuyên, liên tục", "ngày {d}/{m}//{y}"]
NOISE = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)

years = st.integers(1990, 2045)


@st.composite
def citation(draw) -> str:
    kind, y = draw(st.sampled_from(KINDS)), draw(years)
    if draw(st.booleans()):
        number = f"{draw(st.integers(1, 999))}-{draw(st.sampled_from(CODES))}"
    else:
        number = f"{draw(st.integers(1, 999))}/{draw(st.sampled_from(STATE_CODES))}"
    date = draw(st.sampled_from(["", f" ngày {draw(st.integers(1, 31))}/{draw(st.integers(1, 12))}/{y}"]))
    so = draw(st.sampled_from(["số ", "", "số"]))
    return f"{kind} {so}{number}{date}"


@st.composite
def deadline(draw) -> str:
    y = draw(years)
    return draw(st.sampled_from(DEADLINES)).format(m=draw(st.integers(0, 13)), y=y, y2=y + draw(st.integers(-2, 6)),
                                                   q=draw(st.sampled_from(["I", "II", "III", "IV", "V"])),
                                                   d=draw(st.integers(0, 32)))


@st.composite
def sentence(draw) -> str:
    parts = [draw(st.sampled_from(VERBS)).format(b=draw(st.sampled_from(BODIES)))]
    for _ in range(draw(st.integers(0, 3))):
        parts.append(draw(st.one_of(citation(), deadline(), st.sampled_from(BODIES), NOISE,
                                    st.sampled_from(LABELS))))
    text = " ".join(parts) + draw(st.sampled_from([".", ";", ":", "", ",", "…"]))
    return unicodedata.normalize(draw(st.sampled_from(["NFC", "NFD"])), text)


@st.composite
def resolution(draw) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 12))):
        label = draw(st.sampled_from(LABELS + [""]))
        lines.append(f"{label} {draw(sentence())}".strip())
    return "\n".join(lines)


def document(text: str):
    layout, pages = text_layout(text.encode("utf-8"))
    return document_from_extracted("fuzz.txt", "0" * 64, assemble(layout, ["text"] * pages))


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(sentence())
def test_taggers_never_raise_and_spans_slice_back(text):
    for found in (find_citations(text), find_deadlines(text), find_bodies(text)):
        for span in found:
            if span.start is not None:
                assert 0 <= span.start < span.end <= len(text)
                assert text[span.start:span.end] == getattr(span, "mention", None) or text[span.start:span.end] == span.text
    assert find_citations(text) == find_citations(text)
    assert find_deadlines(text) == find_deadlines(text)
    assert find_bodies(text) == find_bodies(text)


@PROPERTY
@given(resolution())
def test_segment_and_tag_keep_offsets_and_nesting(text):
    doc = document(text)
    tagged = tag(segment(doc))
    for clause in tagged.walk():
        assert tagged.text[clause.start:clause.end] == clause.text
        assert clause.label_start <= clause.start <= clause.end <= clause.tree_end <= len(tagged.text)
        for child in clause.children:
            assert clause.label_start <= child.label_start and child.tree_end <= clause.tree_end
        for span in (*clause.bodies, *clause.deadlines, *clause.citations):
            if span.start is not None and not getattr(span, "inherited", False):
                shown = getattr(span, "mention", None) or span.text
                assert tagged.text[span.start:span.end] == shown
    assert tag(segment(document(text))) == tagged


# --- exporters -----------------------------------------------------------------------------

VIETNAMESE = "Ủy ban nhân dân xã Thanh Bình giám sát việc thực hiện"
CONTROL = st.sampled_from(["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\ufffe", "\uffff",
                           "\r", "\r\n", "\t", "<", "&", "]]>", '"', "'", "=", "+", "-", "@"])
NASTY_TEXT = st.lists(st.one_of(CONTROL, st.just(VIETNAMESE), st.just(unicodedata.normalize("NFD", VIETNAMESE)),
                                st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=8)),
                      max_size=6).map("".join)
VALUES = st.one_of(NASTY_TEXT, st.integers(-2**62, 2**62), st.floats(allow_nan=False, allow_infinity=False),
                   st.booleans(), st.none())
ATTR_NAMES = st.sampled_from(["text", "label", "kind", "page", "order", "inherited", "role", "tên", "năm", "weight"])


@st.composite
def graphs(draw) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    keys = draw(st.lists(NASTY_TEXT.filter(bool), min_size=1, max_size=8, unique=True))
    for key in keys:
        G.add_node(key, type=draw(st.sampled_from(["clause", "body", "directive"])),
                   **draw(st.dictionaries(ATTR_NAMES, VALUES, max_size=4)))
    for _ in range(draw(st.integers(0, 10))):  # repeats are parallel edges
        G.add_edge(draw(st.sampled_from(keys)), draw(st.sampled_from(keys)), type="contains",
                   **draw(st.dictionaries(ATTR_NAMES, VALUES, max_size=3)))
    return G


def _expected(values: list):
    """What a GraphML reader gets back for one attribute's values (the writer picks one type per key)."""
    present = [v for v in values if v is not None]
    if all(isinstance(v, bool) for v in present):
        return lambda v: v
    if all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return lambda v: v
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return float
    return lambda v: ("true" if v else "false") if isinstance(v, bool) else xml_safe(str(v))


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(graphs())
def test_graphml_always_reads_back(tmp_path, G):
    path = tmp_path / "g.graphml"
    write_graphml(G, path)
    SafeET.parse(str(path))  # well-formed, and no entity tricks
    assert official_schema("graphml.xsd").validate(etree.parse(str(path)))
    back = nx.read_graphml(path, force_multigraph=True)
    assert set(back.nodes) == {escape_id(str(n)) for n in G.nodes}
    assert back.number_of_edges() == G.number_of_edges()
    for name in {n for _, a in G.nodes(data=True) for n in a}:
        expect = _expected([a.get(name) for _, a in G.nodes(data=True)])
        for node, attrs in G.nodes(data=True):
            if attrs.get(name) is not None and name not in ("key", "label"):
                got = back.nodes[escape_id(str(node))].get(name)
                want = expect(attrs[name])
                assert got == want or (isinstance(want, float) and math.isclose(got, want)), (name, got, want)
    for _, attrs in back.nodes(data=True):
        assert attrs["key"] == xml_safe(attrs["key"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(graphs())
def test_gexf_and_csv_are_safe(tmp_path, G):
    gexf = tmp_path / "g.gexf"
    write_gexf(G, gexf)
    SafeET.parse(str(gexf))
    assert official_schema("gexf.xsd").validate(etree.parse(str(gexf)))
    assert nx.read_gexf(gexf).number_of_nodes() == G.number_of_nodes()
    back = {}
    for path in write_csv(G, tmp_path / "csv"):
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        if path.name.startswith("nodes_"):
            names = [cell.split(":")[0] for cell in rows[0]]
            back.update({row[0]: dict(zip(names, row)) for row in rows[1:]})
    # Value-exact: a database import is not a spreadsheet, no formula guard.
    for node, attrs in G.nodes(data=True):
        for name, value in attrs.items():
            if isinstance(value, str) and name not in ("key", "type"):
                assert back[str(node)][name] == value, (node, name)


def test_gexf_regression_mixed_types_and_keys_differing_by_a_control_character(tmp_path):
    """Found by the property above: networkx could not read back an int column holding a string,
    and two keys differing only by a character XML forbids were merged into one node."""
    G = nx.MultiDiGraph()
    G.add_node("body:a", type="body", page=3)
    G.add_node("body:a\x00", type="body", page="")
    write_gexf(G, tmp_path / "g.gexf")
    back = nx.read_gexf(tmp_path / "g.gexf")
    assert sorted(back.nodes) == ["body:a", "body_3a_a_0_"]
    assert back.nodes["body:a"]["page"] == "3"


@given(st.text(alphabet=st.characters(max_codepoint=0x2FFF), max_size=60)
       | st.sampled_from(["Ủy ban Kiểm tra Đảng uỷ", "ĐẠI HỘI Σ İstanbul", "Vie\u0302\u0323t Nam — (cid:12) 57-NQ/TW"]))
@settings(max_examples=400, deadline=None)
def test_fold_by_its_table_equals_fold_by_the_patterns(text):
    """fold goes character by character through a table made from the regular expressions
    (pipeline/fold.py); on any text it gives what they give."""
    from pipeline.fold import fold, fold_by_patterns

    assert fold(text) == fold_by_patterns(text)
