"""Synthetic documents for the store/graph/export/query tests (written for the tests,
in the style of Party and People's Council resolutions)."""
from __future__ import annotations

import hashlib

from pipeline.model import BodyRef, Citation, Clause, Deadline, DocInfo, Document

UBKT = dict(name="Ủy ban Kiểm tra Đảng ủy", en="Party Inspection Committee",
            key="phuong-an-hoa/uy-ban-kiem-tra-dang-uy")
UBND = dict(name="Ủy ban nhân dân phường", en="Ward People's Committee",
            key="phuong-an-hoa/uy-ban-nhan-dan-phuong")
VAN_PHONG = dict(name="Văn phòng Đảng ủy", en="Party Committee Office", key=None)


def body(spec: dict, role: str = "owner", inherited: bool = False, mention: str | None = None) -> BodyRef:
    return BodyRef(mention=mention or spec["name"], name=spec["name"], role=role, en=spec["en"],
                   key=spec["key"], inherited=inherited)


def cite(text: str, id: str | None = None, **kw) -> Citation:
    return Citation(text=text, id=id, **kw)


def _clause(stem, path, text, kind, children=(), **tags) -> Clause:
    return Clause(id=f"{stem}/{'.'.join(path)}", label=path[-1], path=tuple(path), text=text,
                  start=0, end=len(text), label_start=0, tree_end=len(text), page=1, kind=kind,
                  children=tuple(children), **{k: tuple(v) for k, v in tags.items()})


def document_a() -> Document:
    s = "012_nq_an_hoa"
    return Document(
        source=f"{s}.pdf", sha256=hashlib.sha256(b"a-v1").hexdigest(),
        info=DocInfo(number="12-NQ/ĐU", kind="Nghị quyết", issuer="Đảng ủy phường An Hòa",
                     place="An Hòa", date="2024-03-05", title="Về công tác kiểm tra, giám sát"),
        pages=3, text="",
        clauses=(
            _clause(s, ["I-"], "NHIỆM VỤ VÀ GIẢI PHÁP", "heading", children=[
                _clause(s, ["I-", "1."], "Ủy ban Kiểm tra Đảng ủy", "heading",
                        bodies=[body(UBKT, mention="Uỷ ban kiểm tra Đảng uỷ")], children=[
                    _clause(s, ["I-", "1.", "(1)"],
                            "Chủ trì, phối hợp với Văn phòng Đảng ủy kiểm tra việc thực hiện "
                            "Nghị quyết số 35-NQ/TW ngày 22/10/2018 của Bộ Chính trị; hoàn thành "
                            "trong tháng 8/2025.", "task",
                            bodies=[body(UBKT, inherited=True), body(VAN_PHONG, role="support")],
                            deadlines=[Deadline("hoàn thành trong tháng 8/2025", "due", "2025-08")],
                            citations=[cite("Nghị quyết số 35-NQ/TW ngày 22/10/2018 của Bộ Chính trị",
                                            "35-NQ/TW", type="Nghị quyết", number="35", code="NQ",
                                            issuer_code="TW", year=2018, date="2018-10-22",
                                            issued_by="Bộ Chính trị")]),
                    _clause(s, ["I-", "1.", "(2)"],
                            "Phấn đấu hằng năm 100% tổ chức đảng được kiểm tra.", "target",
                            bodies=[body(UBKT, inherited=True)],
                            deadlines=[Deadline("hằng năm", "recurring", "R/P1Y")]),
                ]),
                _clause(s, ["I-", "2."],
                        "Ủy ban nhân dân phường thực hiện thường xuyên việc công khai theo "
                        "Luật Thực hiện dân chủ ở cơ sở.", "task",
                        bodies=[body(UBND, mention="UBND phường")],
                        deadlines=[Deadline("thực hiện thường xuyên", "ongoing", None)],
                        citations=[cite("Luật Thực hiện dân chủ ở cơ sở",
                                        title="Luật Thực hiện dân chủ ở cơ sở", type="Luật")]),
            ]),
        ))


def document_b(version: bytes = b"b-v1") -> Document:
    s = "030_nq_hdnd"
    return Document(
        source=f"{s}.pdf", sha256=hashlib.sha256(version).hexdigest(),
        info=DocInfo(number="30/NQ-HĐND", kind="Nghị quyết", issuer="Hội đồng nhân dân phường An Hòa",
                     place="An Hòa", date="2024-07-10", title="Về chương trình giám sát\x0b năm 2025"),
        pages=2, text="",
        clauses=(
            _clause(s, ["Điều 1."], "Thông qua chương trình giám sát.", "other", children=[
                _clause(s, ["Điều 1.", "a)"],
                        "Ủy ban Kiểm tra Đảng ủy phối hợp giám sát việc thực hiện Nghị quyết số "
                        "12-NQ/ĐU và Nghị quyết số 57-NQ/TW; trong quý III/2025.", "task",
                        bodies=[body(UBND), body(UBKT, role="support", mention="UBKT Đảng ủy")],
                        deadlines=[Deadline("trong quý III/2025", "due", "2025-Q3")],
                        citations=[cite("Nghị quyết số 12-NQ/ĐU", "12-NQ/ĐU", type="Nghị quyết",
                                        number="12", code="NQ", issuer_code="ĐU"),
                                   cite("Nghị quyết số 57-NQ/TW", "57-NQ/TW", type="Nghị quyết",
                                        number="57", code="NQ", issuer_code="TW",
                                        issued_by="Bộ Chính trị")]),
                _clause(s, ["Điều 1.", "b)"],
                        "Ủy ban nhân dân phường triển khai Nghị quyết số 35-NQ/TW giai đoạn "
                        "2026 - 2030.", "task",
                        bodies=[body(UBND)],
                        deadlines=[Deadline("giai đoạn 2026 - 2030", "period", "2026/2030")],
                        citations=[cite("Nghị quyết số 35-NQ/TW", "35-NQ/TW", type="Nghị quyết",
                                        number="35", code="NQ", issuer_code="TW")]),
            ]),
        ))


def sample_documents() -> list[Document]:
    return [document_a(), document_b()]
