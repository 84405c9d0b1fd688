"""Frame hashes of every preset on the synthetic scenes, to prove a change kept behaviour.

Each case renders frames (no encoding) of one synthetic scene with one preset at a small size
and records the sha256 of every frame; a face case, a freeze-mask case and a camera case cover
the motions the plain scenes do not reach. Write the hashes before a change, then compare::

    python benchmarks/frame_hashes.py --out before.json
    python benchmarks/frame_hashes.py --compare before.json      # exit 1 on any difference
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from cinemagraph import testing  # noqa: E402
from cinemagraph.analysis import Face, Scene  # noqa: E402
from cinemagraph.pipeline import Clip, analyze_scene, build_recipe, load_input, plan_motion  # noqa: E402
from cinemagraph.presets import PRESETS  # noqa: E402

SIZE, FPS, DURATION = 256, 8, 2.0


def _digest(clip: Clip) -> str:
    h = hashlib.sha256()
    for f in clip.frame_hashes():
        h.update(f.encode())
    return h.hexdigest()


def _clip(image: np.ndarray, recipe, *, freeze=None, faces=()) -> Clip:
    photo = load_input(image, recipe.size_px)
    scene = analyze_scene(photo, freeze_mask=freeze, detect_faces=False)
    if faces:
        scene = dataclasses.replace(scene, faces=tuple(faces))
    return Clip(photo, scene, recipe, plan_motion(photo, scene, recipe))


def _box(x, y, w, h):
    """A face box in the form this version's Face takes (a Box; a plain (x, y, w, h) tuple
    before there was one), so hashes of older versions can be written for comparison."""
    if Face.__dataclass_fields__["box"].type == "Box":
        from cinemagraph.frames import Box

        return Box.from_xywh(x, y, w, h)
    return (x, y, w, h)


def cases():
    """(name, clip factory) for every case."""
    scenes = testing.benchmark_scenes(320, 180)
    for i, sc in enumerate(scenes):
        for preset in PRESETS:
            rec = build_recipe(PRESETS[preset], size_px=SIZE, fps=FPS, duration_s=DURATION)
            yield f"{i:02d}-{sc.name}-{preset}", (lambda sc=sc, rec=rec: _clip(sc.image, rec))
    sea = testing.seascape(SIZE, SIZE * 9 // 16, seed=3)  # at the working size: masks are not resized
    rec = build_recipe(PRESETS["breezy"], size_px=SIZE, fps=FPS, duration_s=DURATION)
    w = sea.image.shape[1]
    binary = np.zeros(sea.image.shape[:2], np.float32)
    binary[:, : w // 3] = 1.0
    soft = binary.copy()
    soft[:, w // 3: w // 2] = 0.5
    yield "seascape-freeze", lambda: _clip(sea.image, rec, freeze=binary)
    yield "seascape-freeze-soft", lambda: _clip(sea.image, rec, freeze=soft)
    face = Face(box=_box(100, 40, 40, 48), eyes=((112.0, 58.0), (128.0, 58.0)), mouth=(120.0, 76.0), score=0.9)
    yield "seascape-face", lambda: _clip(sea.image, rec, faces=[face])
    cam = build_recipe(PRESETS["dreamy"], size_px=SIZE, fps=FPS, duration_s=DURATION, camera__mode="drift")
    yield "seascape-drift", lambda: _clip(sea.image, cam)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", help="write the hashes to this JSON file")
    ap.add_argument("--compare", help="compare with hashes written earlier; exit 1 on a difference")
    a = ap.parse_args(argv)
    hashes = {}
    for name, make in cases():
        hashes[name] = _digest(make())
    print(f"{len(hashes)} cases")
    if a.out:
        Path(a.out).write_text(json.dumps(hashes, indent=1, sort_keys=True))
    if a.compare:
        old = json.loads(Path(a.compare).read_text())
        diff = sorted(k for k in set(old) | set(hashes) if old.get(k) != hashes.get(k))
        for k in diff:
            print(f"differs: {k}")
        print(f"{len(hashes) - len(diff)} of {len(hashes)} cases identical")
        return 1 if diff else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
