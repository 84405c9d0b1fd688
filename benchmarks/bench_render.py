"""Render speed: wall time and frames/s for 1280x720 and 1920x1080, 5 s at 30 fps.

Usage: python benchmarks/bench_render.py [--repeat 3] [--json] [--sound none|auto]

Each size renders the procedural seascape end to end (decode, analysis, motion, encode to
H.264) ``--repeat`` times into a temp dir; the median is reported, with the split between
stages from the fastest run. A first warm-up render compiles the Numba kernels (cached).
``fps loop`` is the frame loop alone (frames made on worker threads while the main thread
feeds the encoder): frames over the sum of the ``render`` (waiting for frames) and ``encode``
(writing them) stages.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("NUMBA_CACHE_DIR", str(Path(__file__).resolve().parents[1] / ".cache" / "numba"))

SIZES = {"1280x720": (1280, 720), "1920x1080": (1920, 1080)}


def bench(width: int, height: int, repeat: int, sound: str, tmp: str) -> dict:
    import cinemagraph
    from cinemagraph.testing import seascape

    image = seascape(width, height, seed=1).image
    walls, results = [], []
    for i in range(repeat):
        t0 = time.perf_counter()
        res = cinemagraph.render(image, os.path.join(tmp, f"b{width}_{i}.mp4"), duration_s=5, fps=30,
                                 size_px=max(width, height), audio__sound=sound)
        walls.append(time.perf_counter() - t0)
        results.append(res)
    best = results[min(range(repeat), key=walls.__getitem__)]
    wall = statistics.median(walls)
    frames = best.n_frames
    # frames are made on worker threads while the main thread feeds the encoder: "render" is
    # the time spent waiting for frames, "encode" the time spent writing them
    loop = best.timings_s["render"] + best.timings_s["encode"]
    return {
        "size": f"{width}x{height}", "frames": frames, "wall_s_median": round(wall, 3),
        "fps_end_to_end": round(frames / wall, 1),
        "fps_frame_loop": round(frames / loop, 1) if loop > 0 else None,
        "stages_s": {k: round(v, 3) for k, v in best.timings_s.items()},
        "runs_s": [round(w, 3) for w in walls],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--sound", default="none")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    import cinemagraph
    from cinemagraph.testing import seascape

    with tempfile.TemporaryDirectory() as tmp:
        cinemagraph.render(seascape(320, 180).image, os.path.join(tmp, "warm.mp4"), duration_s=1,
                           fps=10, size_px=320, audio__sound="none")  # compile/load kernels
        rows = [bench(w, h, args.repeat, args.sound, tmp) for w, h in SIZES.values()]
    if args.json:
        print(json.dumps({"cpu_count": os.cpu_count(), "results": rows}, indent=2))
        return
    print(f"render benchmark: 5 s at 30 fps, seascape, {args.repeat} runs, median; {os.cpu_count()} CPUs")
    print(f"{'size':>10} {'wall s':>8} {'fps e2e':>8} {'fps loop':>9}  stages (s)")
    for r in rows:
        st = " ".join(f"{k}={v}" for k, v in r["stages_s"].items())
        print(f"{r['size']:>10} {r['wall_s_median']:>8.2f} {r['fps_end_to_end']:>8.1f} "
              f"{r['fps_frame_loop']:>9.1f}  {st}")


if __name__ == "__main__":
    main()
