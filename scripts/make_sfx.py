#!/usr/bin/env python
"""Regenerate the bundled ambient sound library (assets/sfx) from scratch.

Deterministic: every bed comes from its synthesis function and seed in
``cinemagraph.audio.synth.BEDS``. Same as ``cinemagraph sfx build``.

Usage::

    python scripts/make_sfx.py                 # all beds into assets/sfx
    python scripts/make_sfx.py -o /tmp/sfx     # somewhere else
    python scripts/make_sfx.py stream rain     # only some beds
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from cinemagraph.audio.synth import BEDS, build_library  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"beds to build (default: all of {', '.join(BEDS)})")
    parser.add_argument("-o", "--out", type=Path, default=ROOT / "assets" / "sfx", help="output folder")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    manifest = build_library(args.out, names=args.names or None,
                             progress=lambda name: print(f"synthesizing {name} ...", flush=True))
    print(f"wrote {manifest} in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
