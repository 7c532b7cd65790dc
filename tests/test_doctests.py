"""Every example in the pipeline's docstrings runs and shows what it says (doctest).

The examples document the rules where they are written ("Sở Khoa học và Công nghệ chủ trì"
→ the name's end); run here, a rule changed without its example fails the suite.
Examples marked `# doctest: +SKIP` are illustrations that need a store or a server.
"""
from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import pipeline

# Modules only: the compiled passes (_pdfium_native) are loaded by ctypes, never imported.
MODULES = sorted(m.name for m in pkgutil.walk_packages(pipeline.__path__, "pipeline.")
                 if not m.name.rsplit(".", 1)[-1].startswith("_"))


def test_every_module_is_found():
    assert len(MODULES) > 80 and "pipeline.tag.bodies.names" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    failed, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert failed == 0, f"{failed} docstring example(s) of {name} fail (printed above)"
