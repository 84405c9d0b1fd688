"""Render labelled real photos and show where they move: a review sheet per photo.

For each photo: the clip is prepared with :func:`cinemagraph.animate` (the render path), its
frames are compared with frame 0, and a PNG is written with the photo, the analysis overlay,
a heat map of the largest change of every pixel over the loop, and a strip of frames. It
also reports the share of the moving pixels (change > 8 levels) that lie outside the labelled
sky and water (a deck, a road or an island that moves) and the share of labelled water that
moves.

Usage::

    python benchmarks/render_review.py SET/NAME ... [-o DIR] [--size 640] [--duration 3] [--json OUT]
    python benchmarks/render_review.py --val-water 10 --val-dry 5 [-o DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import labels as labelset  # noqa: E402

MOVE_LEVELS = 8


def _heat(change: np.ndarray) -> np.ndarray:
    v = np.clip(change / 64.0, 0, 1)
    return cv2.cvtColor(cv2.applyColorMap((v * 255).astype(np.uint8), cv2.COLORMAP_INFERNO), cv2.COLOR_BGR2RGB)


def review(set_name: str, name: str, out_dir: Path, *, size: int, duration: float) -> dict:
    import cinemagraph
    from cinemagraph.analysis.report import overlay_image

    lab = labelset.load(labelset.LABELS / set_name / f"{name}.json")
    clip = cinemagraph.animate(lab.image, size_px=size, duration_s=duration, fps=10, seed=1)
    frames = list(clip.frames())
    f0 = frames[0].astype(np.int16)
    change = np.zeros(f0.shape[:2], np.float32)
    for f in frames[1:]:
        change = np.maximum(change, np.abs(f.astype(np.int16) - f0).max(axis=2).astype(np.float32))
    h, w = f0.shape[:2]
    sky_t = cv2.resize(lab.sky.astype(np.uint8), (w, h), interpolation=cv2.INTER_NEAREST) > 0
    water_t = cv2.resize(lab.water.astype(np.uint8), (w, h), interpolation=cv2.INTER_NEAREST) > 0
    # the label overlay and grading change the whole frame a little: count clear motion only
    moving = change > MOVE_LEVELS
    outside = moving & ~cv2.dilate((sky_t | water_t).astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
    row = {"set": set_name, "name": name, "split": labelset.split_of(set_name, name),
           "true_water": round(float(water_t.mean()), 4), "moving": round(float(moving.mean()), 4),
           "moving_outside_sky_water": round(float(outside.mean()), 4),
           "water_moving": round(float(moving[water_t].mean()), 4) if water_t.any() else None,
           "sky_moving": round(float(moving[sky_t].mean()), 4) if sky_t.any() else None,
           "kind": clip.scene.summary.kind, "true_kind": lab.kind,
           "water_type": clip.scene.summary.water_type}
    ov = overlay_image(frames[0], clip.scene.sky, clip.scene.water)
    heat = _heat(change)
    heat[outside] = (0, 255, 0)  # motion outside the labelled sky and water, in green
    top = np.hstack([cv2.resize(lab.image, (w, h), interpolation=cv2.INTER_AREA), ov, heat])
    picks = [frames[i] for i in np.linspace(0, len(frames) - 1, 4).astype(int)[1:]]
    strip = np.hstack(picks + [np.zeros_like(picks[0])] * (3 - len(picks)))
    sheet = np.vstack([top, strip])
    out_dir.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(out_dir / f"{set_name}--{name}.png"), cv2.cvtColor(sheet, cv2.COLOR_RGB2BGR))
    return row


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("photos", nargs="*", help="SET/NAME of labelled photos")
    ap.add_argument("-o", "--out", type=Path, default=Path("review"))
    ap.add_argument("--size", type=int, default=640)
    ap.add_argument("--duration", type=float, default=3.0)
    ap.add_argument("--val-water", type=int, default=0, help="also review this many validation photos with water")
    ap.add_argument("--val-dry", type=int, default=0, help="and this many without water (not street frames)")
    ap.add_argument("--json", type=Path)
    a = ap.parse_args(argv)
    todo = [tuple(p.split("/", 1)) for p in a.photos]
    if a.val_water or a.val_dry:
        wet, dry = [], []
        for p in labelset.label_files():
            meta = json.loads(p.read_text())
            if labelset.split_of(meta["set"], meta["name"]) != "val" or meta["set"] in ("sky-camvid", "sky-cityscapes"):
                continue
            has_water = any(r["class"] == "water" for r in meta.get("regions", []))
            (wet if has_water else dry).append((meta["set"], meta["name"]))
        todo += wet[: a.val_water] + dry[: a.val_dry]
    rows = []
    for set_name, name in todo:
        row = review(set_name, name, a.out, size=a.size, duration=a.duration)
        rows.append(row)
        print(json.dumps(row))
    if a.json:
        a.json.write_text(json.dumps(rows, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
