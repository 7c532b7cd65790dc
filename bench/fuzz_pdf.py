"""Bounded mutation fuzz of the PDF entry point, through the isolated worker.

Random byte mutations (flip, delete, duplicate, splice a PDF keyword) of the
project's own rendered PDFs go through `parse_isolated`. A crash is anything
that is not a Document or an NqgraphError with a one-line message, or a worker
past its budget. Each crash is saved under outputs/fuzz/ for a regression test.

    .venv/bin/python bench/fuzz_pdf.py --seconds 60
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = [b"obj", b"endobj", b"stream", b"endstream", b"xref", b"trailer", b"/Length 999999999", b"<<", b">>",
            b"[", b"]", b"R", b"/Type /Pages", b"/Kids [1 0 R]", b"/Filter /FlateDecode", b"%%EOF", b"(", b")"]


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One to eight random edits of `data`."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        at = rng.randrange(len(out))
        edit = rng.choice(("flip", "delete", "duplicate", "keyword"))
        if edit == "flip":
            out[at] = rng.randrange(256)
        elif edit == "delete":
            del out[at:at + rng.randint(1, 64)]
        elif edit == "duplicate":
            out[at:at] = out[at:at + rng.randint(1, 256)]
        else:
            out[at:at] = rng.choice(KEYWORDS)
    return bytes(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="total budget")
    parser.add_argument("--timeout", type=float, default=10.0, help="budget for one mutated file")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    from pipeline.errors import NqgraphError, ResourceLimitError
    from pipeline.ingest import parse_isolated
    from pipeline.render import render_pdf

    rng = random.Random(args.seed)
    crashes = ROOT / "outputs" / "fuzz"
    with tempfile.TemporaryDirectory() as tmp:
        seeds = [render_pdf(src, Path(tmp) / f"{src.stem}.pdf").read_bytes() for src in sorted((ROOT / "corpus").glob("*.txt"))]
        runs, outcomes, found = 0, {}, 0
        end = time.monotonic() + args.seconds
        while time.monotonic() < end:
            case = Path(tmp) / "case.pdf"
            data = mutate(rng.choice(seeds), rng)
            case.write_bytes(data)
            runs += 1
            try:
                parse_isolated(case, timeout=args.timeout, max_memory_mb=1024)
                outcome = "parsed"
            except ResourceLimitError as error:
                outcome = f"{error.code} (crash: {error.message})"
            except NqgraphError as error:
                outcome = error.code if "\n" not in str(error) else f"{error.code} (crash: multi-line message)"
            except Exception as error:  # noqa: BLE001 - exactly what the fuzzer hunts
                outcome = f"crash: {type(error).__name__}"
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            if "crash" in outcome:
                found += 1
                crashes.mkdir(parents=True, exist_ok=True)
                (crashes / f"crash_{args.seed}_{runs}.pdf").write_bytes(data)
    print(f"{runs} mutated PDFs in {args.seconds:g} s (seed {args.seed}): "
          + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))
    print(f"{found} crashes" + (f", saved under {crashes}/" if found else ""))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
