"""Responsible bodies: role rules from a table, canonical names, keys, lookups, spaCy view."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.model import DocContext, DocInfo
from pipeline.tag.bodies import body_key, find_bodies, lookup_bodies

TABLE = Path(__file__).parent / "data" / "bodies.tsv"


def load_cases(path: Path) -> list[tuple[str, bool, list[tuple[str, str]]]]:
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, heading, expected = (line.split("\t") + [""])[:3]
        text = text.replace("\\n", "\n")  # a row's line break is written \n
        pairs = [tuple(x.strip().split(":", 1)) for x in expected.split(" | ") if x.strip()]
        cases.append((text, heading == "1", pairs))
    return cases


CASES = load_cases(TABLE)


@pytest.mark.parametrize("text,heading,expected", CASES, ids=[c[0][:40] for c in CASES])
def test_roles_table(text, heading, expected):
    found = [(b.role, b.name) for b in find_bodies(text, heading=heading)]
    assert found == expected


@pytest.mark.parametrize("text,heading,expected", CASES, ids=[c[0][:40] for c in CASES])
def test_mentions_slice_the_text(text, heading, expected):
    for b in find_bodies(text, heading=heading):
        assert text[b.start:b.end] == b.mention
        assert b.inherited is False and b.en and b.key


def test_english_names():
    by_name = {b.name: b.en for b in find_bodies(
        "Giao Uỷ ban kiểm tra Đảng uỷ chủ trì, phối hợp với Văn phòng Đảng ủy, HĐND xã và MTTQ xã.")}
    assert by_name == {
        "Ủy ban Kiểm tra Đảng ủy": "Party Inspection Committee",
        "Văn phòng Đảng ủy": "Party Committee Office",
        "Hội đồng nhân dân xã": "commune People's Council",
        "Mặt trận Tổ quốc xã": "commune Fatherland Front",
    }


@pytest.mark.parametrize("text,en", [
    ("Sở Khoa học và Công nghệ chủ trì thẩm định.", "Department of Science and Technology"),
    ("Giám đốc Sở Tài chính bố trí kinh phí.", "Director of the Department of Finance"),
    ("Phòng Tư pháp huyện rà soát văn bản.", "district Division of Justice"),
    ("Bí thư cấp ủy chịu trách nhiệm trước cấp trên.", "Secretaries of the Party committees"),
    # A topic the tables cannot render is no half translation: the kind in English, then the name.
    ("Ban Chỉ đạo thực hiện Đề án 06 huyện chủ trì.", "district Steering Committee – Ban Chỉ đạo thực hiện Đề án 06 huyện"),
    ("Giao Ban Chỉ đạo quốc gia về chuyển đổi số chủ trì.", "National Steering Committee on Digital Transformation"),
    ("Giao Bộ Quốc phòng chủ trì.", "Ministry of National Defence"),
    ("Giao Phòng Quản lý Công nghiệp chủ trì.", "Division of Industry Management"),
    ("Giao Trung tâm Bảo tồn Di sản Thăng Long - Hà Nội chủ trì.", "Centre of Heritage Conservation (Thăng Long - Hà Nội)"),
])
def test_english_of_unlisted_organs_and_offices(text, en):
    assert [b.en for b in find_bodies(text)] == [en]


WARD_A = DocContext(info=DocInfo(issuer="Đảng ủy phường Hải Đông"))
WARD_B = DocContext(info=DocInfo(issuer="Đảng ủy phường Hải Yên"))


@pytest.mark.parametrize("name,ctx,key", [
    ("Ủy ban Kiểm tra Đảng ủy", WARD_A, "ubkt@dang-uy-phuong-hai-dong"),
    ("Uỷ ban kiểm tra", WARD_A, "ubkt@dang-uy-phuong-hai-dong"),
    ("UBKT Đảng uỷ phường", WARD_A, "ubkt@dang-uy-phuong-hai-dong"),
    ("Ủy ban Kiểm tra Đảng ủy", WARD_B, "ubkt@dang-uy-phuong-hai-yen"),
    ("Hội đồng nhân dân phường", WARD_A, "hdnd@phuong-hai-dong"),
    ("UBND tỉnh", WARD_A, "ubnd@tinh"),
    ("Ban Thường vụ Tỉnh ủy", WARD_A, "btv@tinh-uy"),
    ("Ủy ban nhân dân thành phố Cẩm Phả", WARD_A, "ubnd@thanh-pho-cam-pha"),
    ("các cơ quan liên quan", WARD_A, "cac-co-quan-lien-quan@phuong-hai-dong"),
    ("Ủy ban Kiểm tra", None, "ubkt@dang-uy"),
])
def test_body_key(name, ctx, key):
    assert body_key(name, ctx) == key


def test_found_bodies_carry_the_same_key_as_body_key():
    [b] = find_bodies("Giao Uỷ ban kiểm tra Đảng uỷ chủ trì.", WARD_A)
    assert b.key == body_key("Ủy ban Kiểm tra Đảng ủy", WARD_A) == "ubkt@dang-uy-phuong-hai-dong"


@pytest.mark.parametrize("query", ["Inspection Committee", "Ủy ban Kiểm tra", "UBKT", "uy ban kiem tra"])
def test_lookup_inspection_committee(query):
    assert lookup_bodies(query)[0] == {"name": "Ủy ban Kiểm tra", "en": "Inspection Committee",
                                       "aliases": ["UBKT"], "id": "ubkt", "group": "party"}


def test_lookup_partial_and_unknown():
    assert [e["id"] for e in lookup_bodies("People's Council")] == ["hdnd", "tt-hdnd", "vp-doan-dbqh-hdnd"]
    assert lookup_bodies("mat tran to quoc")[0]["id"] == "mttq"
    assert lookup_bodies("xyz") == []


WORDS = st.sampled_from(["Ban", "Chấp hành", "Đảng ủy", "uỷ", "phường", "Giao", "giao", "chủ trì", ",", ";",
                         "phối hợp với", "các", "cơ quan", "liên quan", "và", "Đề nghị", "UBND", "Móng Cái",
                         "1", "Đối với", ":", "đã", "Trung tâm", "Y tế", ".", "-", "của", "Bí thư", "\n"])


@settings(max_examples=200, deadline=None)
@given(st.lists(WORDS, max_size=25).map(" ".join), st.booleans())
def test_never_raises_and_offsets_hold(text, heading):
    for b in find_bodies(text, heading=heading):
        assert text[b.start:b.end] == b.mention
        assert b.role in ("owner", "support")


def test_to_spacy_span_groups_and_html():
    from pipeline.model import Deadline
    from pipeline.tag.nlp import render_html, to_spacy

    text = "Giao Uỷ ban kiểm tra Đảng uỷ chủ trì, phối hợp với Văn phòng Đảng ủy (hoàn thành trong tháng 8/2026)."
    at = text.index("hoàn thành")
    deadline = Deadline(text="hoàn thành trong tháng 8/2026", kind="due", value="2026-08",
                        start=at, end=at + len("hoàn thành trong tháng 8/2026"))
    doc = to_spacy(text, find_bodies(text), [deadline], [])
    assert [(s.text, s.label_) for s in doc.spans["bodies"]] == [
        ("Uỷ ban kiểm tra Đảng uỷ", "owner"), ("Văn phòng Đảng ủy", "support")]
    assert [(s.text, s.label_) for s in doc.spans["deadlines"]] == [("hoàn thành trong tháng 8/2026", "due")]
    assert ("Uỷ ban kiểm tra", "ubkt") in [(s.text, s.id_) for s in doc.spans["registry"]]
    html = render_html(doc)
    assert "owner" in html and "support" in html and "due" in html


@pytest.mark.parametrize("name,key,level,place,bare", [
    ("UBND tỉnh Lào Cai", "", "tỉnh", "Lào Cai", "Ủy ban nhân dân tỉnh"),
    # Two "Hội đồng nhân dân tỉnh" of two provinces: the key's scope tells them apart.
    ("Hội đồng nhân dân tỉnh", "hdnd@tinh-lao-cai", "tỉnh", "lao-cai", "Hội đồng nhân dân tỉnh"),
    ("Hội đồng nhân dân tỉnh", "hdnd@tinh-gia-lai", "tỉnh", "gia-lai", "Hội đồng nhân dân tỉnh"),
    ("Sở Văn hóa và Thể thao Hà Nội", "", "", "Hà Nội", "Sở Văn hóa và Thể thao"),
    ("Bảo tàng Hà Nội", "", "", "", "Bảo tàng Hà Nội"),
])
def test_level_and_place_of_a_body(name, key, level, place, bare):
    from pipeline.tag.bodies import describe_body

    found = describe_body(name, key)
    assert (found["level"], found["place"], found["bare"]) == (level, place, bare)


SHORT_NAME_LETTER = """SỞ Y TẾ
Số: 12/SYT-NV
Lâm Hà, ngày 10 tháng 3 năm 2026
V/v tăng cường kiểm tra an toàn thực phẩm trong dịp lễ hội đầu năm 2026
Kính gửi: Ủy ban nhân dân các huyện, thị xã, thành phố.
I. NHIỆM VỤ CỤ THỂ
1. Đề nghị Ủy ban nhân dân các huyện, thị xã, thành phố (sau đây gọi chung là UBND cấp huyện):
a) Kiểm tra các cơ sở kinh doanh thực phẩm trên địa bàn, hoàn thành trước ngày 30/4/2026.
b) Tổng hợp kết quả, gửi về Sở Y tế trước ngày 10/5/2026.
2. UBND cấp huyện chỉ đạo Trạm Y tế các xã tuyên truyền cho người dân trong suốt mùa lễ hội.
3. Chi cục An toàn vệ sinh thực phẩm phối hợp với UBND cấp huyện kiểm tra đột xuất khi có phản ánh.
"""


def test_a_short_name_the_document_defines_names_that_body(tmp_path):
    """"X (sau đây gọi chung là Y)": a later "Y" is X, as a careful reader takes it."""
    from pipeline import parse

    path = tmp_path / "cv_short_name.txt"
    path.write_text(SHORT_NAME_LETTER, encoding="utf-8")
    doc = parse(path)
    found = [(b.role, b.name) for c in doc.clauses for k in c.walk() for b in k.bodies if not b.inherited]
    full = "Ủy ban nhân dân các huyện, thị xã, thành phố"
    assert ("owner", full) in found and ("support", full) in found
    assert not any("cấp huyện" in name for _, name in found), found


BARE_SHORT_NAME_PLAN = """TỈNH ĐOÀN HÒA SƠN
Số: 21-KH/TĐTN
Hòa Sơn, ngày 4 tháng 5 năm 2026
KẾ HOẠCH
Tổ chức hoạt động hè năm 2026
1. Hội đồng Đội tỉnh phối hợp với Trung tâm Văn hóa - Thể thao tỉnh (sau đây gọi tắt là Trung tâm) mở lớp kỹ năng.
2. Trung tâm bố trí địa điểm, cơ sở vật chất cho các lớp; hoàn thành trước ngày 30/5/2026.
3. Ủy ban nhân dân các xã xây dựng trung tâm sinh hoạt cộng đồng tại thôn.
"""


def test_a_bare_short_name_is_the_body_it_stands_for(tmp_path):
    """A short name that is only a head noun ("Trung tâm") is that body where it stands capitalised
    as a subject; a lower-case "trung tâm" is a building, no body."""
    from pipeline import parse

    path = tmp_path / "kh_bare_short_name.txt"
    path.write_text(BARE_SHORT_NAME_PLAN, encoding="utf-8")
    doc = parse(path)
    owners = {c.label: [b.name for b in c.bodies if b.role == "owner"] for c in doc.clauses}
    assert owners["2."] == ["Trung tâm Văn hóa - Thể thao tỉnh"]
    assert owners["3."] == ["Ủy ban nhân dân các xã"]


EACH_POINT_BLOCK_PLAN = """BỘ NỘI VỤ
Số: 15/KH-BNV
Hà Nội, ngày 10 tháng 3 năm 2026
KẾ HOẠCH
Thực hiện chuyển đổi số trong công tác lưu trữ năm 2026
I. NHIỆM VỤ CỤ THỂ
1. Hoàn thiện thể chế
1.1. Xây dựng Thông tư hướng dẫn số hóa tài liệu lưu trữ, trình Bộ trưởng ban hành trong năm 2026.
Cơ quan chủ trì: Cục Văn thư và Lưu trữ nhà nước; Cơ quan phối hợp: Vụ Pháp chế; Thời gian hoàn thành: Quý III/2026.
1.2. Rà soát các quy định về thời hạn bảo quản tài liệu điện tử, đề xuất sửa đổi, bổ sung.
Cơ quan chủ trì: Vụ Pháp chế; Cơ quan phối hợp: Văn phòng Bộ; Thời gian hoàn thành: Quý IV/2026.
"""


def test_each_point_keeps_its_own_block(tmp_path):
    """When every point closes with its own "Cơ quan chủ trì: …" line, the last one is that point's
    block, not the section's: the section heading gets no owner from it."""
    from pipeline import parse

    path = tmp_path / "kh_each_point.txt"
    path.write_text(EACH_POINT_BLOCK_PLAN, encoding="utf-8")
    by_label = {k.label: k for c in parse(path).clauses for k in c.walk()}
    assert [b.name for b in by_label["1."].bodies] == []
    assert ("owner", "Vụ Pháp chế") in [(b.role, b.name) for b in by_label["1.2."].bodies]


GENERIC_PREFACE_LETTER = """SỞ Y TẾ
Số: 21/SYT-NV
Lâm Hà, ngày 12 tháng 3 năm 2026
V/v tăng cường công tác phòng, chống dịch bệnh mùa hè năm 2026
Kính gửi: Ủy ban nhân dân các huyện, thị xã, thành phố.
Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh, Sở Y tế đề nghị các cơ quan, đơn vị quan tâm thực hiện một số nội dung sau:
I. VỀ GIÁM SÁT DỊCH BỆNH
1. Đề nghị Ủy ban nhân dân các huyện chỉ đạo giám sát chặt chẽ các ổ dịch cũ, báo cáo trước ngày 30/4/2026.
2. Trung tâm Kiểm soát bệnh tật tỉnh tổng hợp số liệu hằng tuần.
II. VỀ TRUYỀN THÔNG
Tổ chức tuyên truyền các biện pháp phòng bệnh trên các phương tiện thông tin đại chúng.
"""


def test_a_generic_preface_yields_to_the_sections_own_owners(tmp_path):
    """"Sở … đề nghị các cơ quan, đơn vị thực hiện một số nội dung sau:" addresses the bodies the
    sections name; a section whose points name their own owners inherits nothing from it."""
    from pipeline import parse

    path = tmp_path / "cv_generic_preface.txt"
    path.write_text(GENERIC_PREFACE_LETTER, encoding="utf-8")
    by_path = {tuple(k.path): k for c in parse(path).clauses for k in c.walk()}
    assert [b.name for b in by_path[("I.",)].bodies] == []
    assert "các cơ quan, đơn vị" in [b.name for b in by_path[("II.",)].bodies]
