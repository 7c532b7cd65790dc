"""Every entry of models/body_vocabulary.yaml does its work in its example and not in its counter-example."""
from __future__ import annotations

import pytest

from pipeline.tag.bodies import find_bodies
from pipeline.tag.bodies.registry import load_vocabulary

ENTRIES = [(section, e) for section, entries in load_vocabulary().items() for e in entries]
IDS = [f"{section}:{e.get('phrase') or e.get('name')}" for section, e in ENTRIES]


@pytest.mark.parametrize("section,entry", ENTRIES, ids=IDS)
def test_example(section, entry):
    role, name = entry["gives"].split(" ", 1)
    found = [(b.role, b.name) for b in find_bodies(entry["example"])]
    assert (role, name) in found, f"{entry['example']!r} gave {found}"


@pytest.mark.parametrize("section,entry", ENTRIES, ids=IDS)
def test_counter_example(section, entry):
    found = [b.name for b in find_bodies(entry["counter"])]
    absent = entry["absent"].lower()
    assert not any(absent in name.lower() for name in found), f"{entry['counter']!r} gave {found}"
