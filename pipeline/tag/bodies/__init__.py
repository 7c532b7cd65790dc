"""Responsible bodies (SPEC §3): who owns each task, who supports it.

Two halves, as in spaCy's SpanRuler: a *grammar* of Vietnamese organisation
names that reads one body at a position, and *role rules* that say where in a
clause a body is made responsible. The rooms, by what a change is about:

- registry.py   models/bodies.yaml and models/body_vocabulary.yaml, loaded and compiled once
- spans.py      the parts a name is read into; word-level helpers
- names.py      the grammar of a name: organs, levels, groups, unlisted names
- places.py     places in a name, and the places a plural level lists
- reading.py    one body at a position: the longest reading (office, organ chain, group, unlisted)
- verbs.py      where an unlisted name ends (stop words, its first verb read in context)
- lists.py      lists of bodies and distribution ("các Sở: Nội vụ, Tài chính")
- relative.py   a group named by a relative clause ("cơ quan, đơn vị được giao …")
- cues.py       the role cues of models/body_vocabulary.yaml, compiled once
- fields.py     field labels ("Đơn vị chủ trì: X", "Cơ quan phối hợp: Y")
- roles.py      owner / support from the clause's grammar; `find_bodies`
- aliases.py    short names a document defines ("… (sau đây gọi chung là UBND cấp huyện)")
- naming.py     canonical name, English name and key

Matching runs on a copy of the text with modern tone marks ("uỷ" → "ủy"), same
length, so offsets index the caller's text and mentions stay as written.

>>> [(b.name, b.role) for b in find_bodies("Giao Sở Tài chính chủ trì, phối hợp với các cơ quan liên quan.")]
[('Sở Tài chính', 'owner'), ('các cơ quan liên quan', 'support')]
"""
from __future__ import annotations

from .naming import body_key, describe_body
from .registry import _modern_tones, lookup_bodies, registry_phrases
from .aliases import short_names
from .fields import field_lines
from .roles import assigned_bodies, find_bodies, subject_offset

__all__ = ["find_bodies", "short_names", "assigned_bodies", "field_lines", "subject_offset", "lookup_bodies", "body_key", "describe_body", "registry_phrases",
           "_modern_tones"]
