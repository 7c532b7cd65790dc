"""The one native part: the pdfium engine's per-character passes (pipeline/extract/pdfium_native.c),
optional: without a C compiler pdfium_words.py runs the same passes in Python."""
from setuptools import Extension, setup

# -ffp-contract=off: no fused multiply-adds, so every box is the double Python computes.
setup(ext_modules=[Extension("pipeline.extract._pdfium_native", ["pipeline/extract/pdfium_native.c"],
                             extra_compile_args=["-O2", "-ffp-contract=off"], optional=True)])
