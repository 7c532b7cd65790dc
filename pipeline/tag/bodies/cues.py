"""The role cues of models/body_vocabulary.yaml, compiled once: assignment and request verbs,
support cues, field labels, predicates after a subject, relative clauses after a group.

>>> bool(_cues().assign.match("Giao Sở Y tế chủ trì"))
True
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from ...fold import fold
from .registry import _LEFT, _RIGHT, _registry


def _words(entries: list[dict]) -> str:
    return "|".join(regex.escape(e["phrase"]).replace(r"\ ", r"[ \t]+") for e in
                    sorted(entries, key=lambda e: len(e["phrase"]), reverse=True))


@dataclass(frozen=True)
class _Cues:
    """The role cues of models/body_vocabulary.yaml, compiled once."""
    assign: "regex.Pattern"  # "Giao X", "Đề nghị (cho) X"
    request: "regex.Pattern"  # "yêu cầu X" at an opening or after the speaking subject
    not_assigning: "regex.Pattern"  # "bàn giao", "được giao"
    allocated: "regex.Pattern"  # "dự toán ngân sách năm 2027 giao X": "giao" allocates a budget
    support: "regex.Pattern"  # "phối hợp (chặt chẽ) (với) X", "với sự phối hợp của X"
    leads_with: "regex.Pattern"  # "X phối hợp với Y": X leads
    agent_predicate: "regex.Pattern"  # "do X chủ trì"
    field: "regex.Pattern"  # "Đơn vị chủ trì: X"
    field_roles: dict[str, str]
    not_field: "regex.Pattern"  # "Đối tượng: …"
    sentence_owner: "regex.Pattern"  # ". X chịu trách nhiệm …"
    assigning: "regex.Pattern"  # "X giao …", "X yêu cầu …": X speaks, owns nothing
    relative_opener: "regex.Pattern"  # "cơ quan, đơn vị được giao …": a relative clause opens
    relative_end: "regex.Pattern"  # "… có trách nhiệm": the main predicate ends it
    strong_ends: frozenset[str]  # ends only a main clause has ("có trách nhiệm", "phải")
    complement_verbs: frozenset[str]  # "được giao | chủ trì": a verb that takes the next one
    main_clause: "regex.Pattern"  # "Nếu …, … thì X …": X is the main clause's subject
    directing: "regex.Pattern"  # "Chỉ đạo X chủ trì": X leads
    parallel: "regex.Pattern"  # "…; đồng thời X đề xuất …": X is given a task of its own


@lru_cache(maxsize=1)
def _cues() -> _Cues:
    c = _registry().cues
    manner = _words(c["manner_adverbs"])
    others = [e for e in c["support_cues"] if not e["phrase"].startswith("phối hợp")]
    return _Cues(
        assign=regex.compile(_LEFT + rf"(?i:{_words(c['assign_verbs'])})(?:[ \t]+(?i:cho))?[ \t]+"),
        request=regex.compile(_LEFT + rf"(?i:{_words(c['request_verbs'])})[ \t]+"),
        not_assigning=regex.compile(rf"(?i:{_words(c['not_assigning_before'])})[ \t]+$"),
        # a budget noun earlier in the same stretch (no punctuation, no "và" right before "giao")
        allocated=regex.compile(rf"(?i:{_words(c['allocated_before'])})" + _RIGHT
                                + r"[^,;:.()\n]*(?<!(?i:và|đồng thời)[ \t]+)$"),
        support=regex.compile(_LEFT + rf"(?i:phối hợp(?:[ \t]+(?:{manner}))?(?:[ \t]+với)?|{_words(others)})[ \t]+"),
        leads_with=regex.compile(rf"(?i:phối hợp(?:[ \t]+(?:{manner}))?[ \t]+với)" + _RIGHT),
        agent_predicate=regex.compile(rf"(?i:{_words(c['agent_predicates'])})" + _RIGHT),
        field=regex.compile(_LEFT + rf"(?P<label>(?i:{_words(c['field_labels'])}))[ \t]*:[ \t]*"),
        field_roles={fold(e["phrase"]): e["role"] for e in c["field_labels"]},
        not_field=regex.compile(rf"[ \t]*(?i:{_words(c['not_field_labels'])})" + _RIGHT),
        sentence_owner=regex.compile(rf"(?i:{_words(c['sentence_owner_predicates'])})" + _RIGHT),
        assigning=regex.compile(rf"(?i:{_words(c['assigning_predicates'])})" + _RIGHT),
        relative_opener=regex.compile(_LEFT + rf"(?i:{_words(c['relative_openers'])})" + _RIGHT),
        relative_end=regex.compile(_LEFT + rf"(?i:{_words(c['relative_clause_ends'])})" + _RIGHT),
        strong_ends=frozenset(fold(e["phrase"]) for e in c["relative_clause_ends"] if e.get("strong")),
        complement_verbs=frozenset(fold(e["phrase"]) for e in c["relative_complement_verbs"]),
        main_clause=regex.compile(_LEFT + rf"(?i:{_words(c['main_clause_openers'])})[ \t]+"),
        directing=regex.compile(_LEFT + rf"(?i:{_words(c['directing_verbs'])})[ \t]+"),
        parallel=regex.compile(rf"(?<=[,;.][ \t]*)(?i:{_words(c['parallel_subject_openers'])})[ \t]*,?[ \t]+"),
    )
