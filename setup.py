"""The one native part: pdfium_words.py's per-character loop, optional (pure Python without a C compiler)."""
from setuptools import Extension, setup

setup(ext_modules=[Extension("pipeline.extract._pdfium_loop", ["pipeline/extract/pdfium_loop.c"], optional=True)])
