#!/usr/bin/env python
"""Benchmark the ambient sound: per bed, the loudness, true peak and seam of a mixed loop and
the time to decode and mix it.

For every bed of the library a ``--duration`` (default 10 s) track is mixed with
``make_soundtrack`` for the chosen loudness profile, with the decode cache cleared first (so
the time includes decoding the OGG file). Printed per bed:

* file LUFS  -- integrated loudness of the bundled file (from the manifest)
* LUFS       -- integrated loudness of the mixed track (target: the profile)
* dBTP       -- true peak of the mixed track, 4x oversampled (limit -1)
* seam       -- step across the loop seam / 99th percentile of the steps inside (<= 1)
* mix ms     -- wall time of make_soundtrack (decode + cut + normalise)

Usage: ``PYTHONPATH=src python benchmarks/bench_audio.py [--profile social] [--json]``
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from cinemagraph.analysis.scene import SceneSummary  # noqa: E402
from cinemagraph.audio import library as _library  # noqa: E402
from cinemagraph.audio import load_library, make_soundtrack, seam_step_ratio  # noqa: E402
from cinemagraph.recipe import SOUND_PROFILES, AudioSpec  # noqa: E402

SCENES = {
    "auto: seascape": SceneSummary(sky_fraction=0.4, water_fraction=0.35, water_type="waves", brightness=0.6),
    "auto: night lake": SceneSummary(sky_fraction=0.3, water_fraction=0.3, water_type="still", night=True,
                                     brightness=0.1),
    "auto: indoor portrait": SceneSummary(indoor=True, face_count=1, face_fraction=0.15, brightness=0.45),
    "auto: city skyline": SceneSummary(sky_fraction=0.4, brightness=0.4, warmth=-0.1),
}


def run(profile: str, duration_s: float, seed: int) -> list[dict]:
    lib = load_library()
    make_soundtrack(SceneSummary(), AudioSpec(sound=lib.names[0]), duration_s=1.0, seed=0)  # warm imports
    fps = 30
    energy = 0.5 + 0.5 * np.sin(np.linspace(0, 2 * np.pi, int(round(duration_s * fps)), endpoint=False))
    jobs = [(s.name, s.name, SceneSummary(), s.loudness_lufs) for s in lib.sounds]
    jobs += [(label, "auto", scene, None) for label, scene in SCENES.items()]
    rows = []
    for label, sound, scene, file_lufs in jobs:
        _library._read_sound.cache_clear()
        t0 = time.perf_counter()
        st = make_soundtrack(scene, AudioSpec(sound=sound, profile=profile), duration_s=duration_s, seed=seed,
                             motion_energy=energy)
        ms = 1000 * (time.perf_counter() - t0)
        rows.append({
            "sound": label,
            "bed": st.bed,
            "layer": st.layer,
            "file_lufs": file_lufs,
            "lufs": round(st.loudness_lufs, 2),
            "true_peak_dbtp": round(st.true_peak_dbtp, 2),
            "seam_step_ratio": round(seam_step_ratio(st.samples), 3),
            "samples": int(st.samples.shape[0]),
            "mix_ms": round(ms, 1),
        })
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--profile", choices=sorted(SOUND_PROFILES), default="ambient")
    ap.add_argument("--duration", type=float, default=10.0, help="track length in seconds (default 10)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = ap.parse_args(argv)
    rows = run(args.profile, args.duration, args.seed)
    if args.json:
        print(json.dumps({"profile": args.profile, "target_lufs": SOUND_PROFILES[args.profile],
                          "duration_s": args.duration, "rows": rows}, indent=2))
        return 0
    print(f"profile {args.profile} ({SOUND_PROFILES[args.profile]:g} LUFS), {args.duration:g} s tracks, "
          f"true-peak limit -1 dBTP, seam ratio limit 1")
    head = f"{'sound':<22} {'bed + layer':<30} {'file LUFS':>9} {'LUFS':>7} {'dBTP':>6} {'seam':>6} {'mix ms':>7}"
    print(head)
    print("-" * len(head))
    for r in rows:
        pair = r["bed"] + (f" + {r['layer']}" if r["layer"] else "")
        fl = "-" if r["file_lufs"] is None else f"{r['file_lufs']:.2f}"
        print(f"{r['sound']:<22} {pair:<30} {fl:>9} {r['lufs']:>7.2f} {r['true_peak_dbtp']:>6.2f} "
              f"{r['seam_step_ratio']:>6.3f} {r['mix_ms']:>7.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
