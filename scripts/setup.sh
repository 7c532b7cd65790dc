#!/usr/bin/env bash
# Set up nqgraph on a fresh Debian machine with python3: system packages
# (a C compiler for the one native loop, Tesseract with its Vietnamese model, DejaVu fonts for rendering PDFs, Chromium
# and its driver for the browser test, Node.js, a JDK with Debian's JGraphT, and graph-tool for the readers
# the export tests open GraphML and GEXF with), then a virtual environment in .venv with
# the package and its test extras.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
# pip builds the pdfium engine's per-character passes (pipeline/extract/pdfium_native.c) with it.
command -v cc >/dev/null 2>&1 || need_apt+=(gcc libc6-dev)
command -v tesseract >/dev/null 2>&1 || need_apt+=(tesseract-ocr)
[ -n "$(ls /usr/share/tesseract-ocr/*/tessdata/vie.traineddata 2>/dev/null)" ] || need_apt+=(tesseract-ocr-vie)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf ] || need_apt+=(fonts-dejavu-core fonts-dejavu-extra)
# The web page's end-to-end test drives Debian's Chromium headless.
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need_apt+=(chromium-driver)
# A second, independent GraphML reader for the export tests runs on Node.js.
command -v npm >/dev/null 2>&1 || need_apt+=(nodejs npm)
# The export tests validate GraphML and GEXF against the official schemas in JGraphT's jar and
# read them back with JGraphT (Java, run from source: a JDK) and graph-tool (the system python3's).
# Without their recommends: graph-tool's alone would pull matplotlib, Tk and sympy.
need_lean=()
[ -f /usr/share/java/jgrapht-io.jar ] || need_lean+=(libjgrapht-java)
command -v javac >/dev/null 2>&1 || need_lean+=(default-jdk-headless)
/usr/bin/python3 -c "import graph_tool" >/dev/null 2>&1 || need_lean+=(python3-graph-tool)
if [ $((${#need_apt[@]} + ${#need_lean[@]})) -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "Installing system packages: ${need_apt[*]} ${need_lean[*]}"
    $SUDO apt-get update -qq
    [ ${#need_apt[@]} -eq 0 ] || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
    [ ${#need_lean[@]} -eq 0 ] || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
      "${need_lean[@]}" >/dev/null
  else
    echo "warning: cannot install ${need_apt[*]} ${need_lean[*]} (no apt-get); OCR of scanned PDFs will be unavailable" >&2
  fi
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip 2>&1 | grep -v WARNING || true
# setuptools warns at length about every editable install that builds an extension; a warning only.
PYTHONWARNINGS=ignore .venv/bin/python -m pip install -q -e '.[test]' 2>&1 | grep -v WARNING || true
# graphology-graphml, pinned by tests/readers/package-lock.json.
npm ci --prefix tests/readers --no-audit --no-fund --loglevel=error >/dev/null
.venv/bin/python -c "import pipeline.cli, pdfplumber, spacy, underthesea, orjson, fastapi, selenium" || { echo "setup failed: the Python packages did not install" >&2; exit 1; }
echo "nqgraph is set up in .venv (run .venv/bin/nqgraph --help)"
