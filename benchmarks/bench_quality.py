"""Motion quality benchmark: every preset on synthetic scenes (exact masks) and real photos.

Usage::

    python benchmarks/bench_quality.py [--size 640] [--duration 4] [--fps 30] [--json]
                                       [--speed-size 1920] [--no-speed] [--presets a,b]
                                       [--photos a.jpg,b.jpg] [--workers N]

Per clip it prints:

* ``seam``: loop seam ratio, mean |frame N-1 -> frame 0| over the median consecutive step
  (target <= 1.2);
* ``static``: fraction of static pixels (outside sky, water and the dilated face boxes) that
  ever change, measured with grading off (target 0; ``cam`` when the camera moves everything);
* ``face``: largest facial displacement over the loop as a fraction of the face width, head
  motion (breathing + sway) / with eyelids (caps 1.5 % / 4 %);
* ``sharp``: std/mean over frames of the variance of the Laplacian inside each moving region
  (sky / water / faces, eroded; with a camera move, the region where the camera shows it in
  each frame), grading off (target <= 5 %). A figure marked ``~`` belongs to
  a flat region: its Laplacian energy in the photo is below that of 8-bit rounding noise
  (``ROUNDING_FLOOR``), so the figure measures how the rounding noise of re-quantised frames
  differs from the photo's own, not sharpness;
* ``lum``: largest frame-to-frame change of mean relative luminance with grading on (flash
  safety: far below 10 %);
* ``fps``: synthesis frames per second at ``--speed-size`` (1920 -> 1920x1080), no encoding, as
  ``Clip.frames`` delivers them (one frame per core at once; ``--workers 1``: one at a time),
  median of 5 runs of 24 frames (a shared machine slows down in bursts of a few seconds).

Synthetic scenes (``cinemagraph.testing``) use Scenes built from their exact masks, which
isolates motion from segmentation quality ("gt"); the skimage photos go through the full
``cinemagraph.animate`` analysis ("auto").
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("NUMBA_CACHE_DIR", str(Path(__file__).resolve().parents[1] / ".cache" / "numba"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import cv2  # noqa: E402
import numpy as np  # noqa: E402

import cinemagraph  # noqa: E402
from cinemagraph.analysis.scene import Scene, SceneSummary  # noqa: E402
from cinemagraph.io.photo import photo_from_array  # noqa: E402
from cinemagraph.motion.camera import CameraMotion  # noqa: E402
from cinemagraph.motion.faces import FaceMotion  # noqa: E402
from cinemagraph.motion.threads import frame_workers  # noqa: E402
from cinemagraph.pipeline import Clip, plan_motion  # noqa: E402
from cinemagraph.presets import PRESETS  # noqa: E402

WATER_TYPE = {"seascape": "waves", "lake": "still", "river": "flowing"}
ROUNDING_FLOOR = 20.0 / 12.0
"""Variance of the 4-neighbour Laplacian of uniform rounding noise (grey levels squared)."""


def synthetic(size: int) -> list[tuple[str, object]]:
    from cinemagraph import testing

    w, h = size, int(round(size * 9 / 16 / 2)) * 2
    out = []
    for name in ("seascape", "lake", "river"):
        gen = getattr(testing, name, None)
        if gen is not None:
            out.append((name, gen(w, h, seed=1)))
    return out


def gt_clip(syn, name: str, recipe) -> Clip:
    img = syn.image
    h = img.shape[0]
    hy = None if syn.horizon_row is None else syn.horizon_row / h
    scene = Scene(sky=syn.sky.astype(np.float32), water=syn.water.astype(np.float32),
                  freeze=np.zeros_like(syn.sky),
                  summary=SceneSummary(horizon_y=hy, water_type=WATER_TYPE.get(name, "waves"),
                                       sky_fraction=float(syn.sky.mean()),
                                       water_fraction=float(syn.water.mean())))
    photo = photo_from_array(img)
    return Clip(photo, scene, recipe, plan_motion(photo, scene, recipe))


def _rel_lum(f: np.ndarray) -> float:
    lin = (f.astype(np.float32) / 255.0) ** 2.2
    return float((lin @ np.array([0.2126, 0.7152, 0.0722], np.float32)).mean())


def _lap_var(f: np.ndarray, region: np.ndarray) -> float:
    g = cv2.cvtColor(f, cv2.COLOR_RGB2GRAY).astype(np.float32)
    return float(cv2.Laplacian(g, cv2.CV_32F)[region].var())


def _follow(region: np.ndarray, camera: CameraMotion, t: int) -> np.ndarray:
    """The region where the camera of frame ``t`` shows it (so the sharpness figure follows the
    picture instead of letting edges slide into a fixed window), eroded 2 px more."""
    m = cv2.warpAffine(region.astype(np.uint8), camera.affine(t), camera.size,
                       flags=cv2.INTER_NEAREST | cv2.WARP_INVERSE_MAP, borderMode=cv2.BORDER_CONSTANT)
    return cv2.erode(m, np.ones((5, 5), np.uint8)) > 0


def measure(full: Clip, motion_only: Clip) -> dict:
    n = len(full)
    frames = [full[t] for t in range(n)]
    steps = [np.abs(frames[t + 1].astype(np.float32) - frames[t]).mean() for t in range(n - 1)]
    seam = np.abs(frames[-1].astype(np.float32) - frames[0]).mean()
    med = float(np.median(steps))
    lum = [_rel_lum(f) for f in frames + frames[:1]]
    lum_step = max(abs(b - a) / max(a, 1e-4) for a, b in zip(lum, lum[1:]))
    del frames

    sc = motion_only.scene
    H, W = sc.shape
    faces = [m for m in motion_only.motions if isinstance(m, FaceMotion)]
    animated = (sc.sky > 0) | (sc.water > 0)
    face_box = np.zeros((H, W), bool)
    for m in faces:
        y0, y1, x0, x1 = m.crop
        face_box[y0:y1, x0:x1] = True
    static = ~(animated | face_box)
    k = np.ones((7, 7), np.uint8)
    regions = {"sky": cv2.erode((sc.sky >= 0.99).astype(np.uint8), k) > 0,
               "water": cv2.erode((sc.water >= 0.99).astype(np.uint8), k) > 0,
               "faces": np.zeros((H, W), bool)}
    for m in faces:
        y0, y1, x0, x1 = m.crop
        regions["faces"][y0:y1, x0:x1] |= m.window >= 0.99
    regions = {k_: v for k_, v in regions.items() if v.sum() > 100}
    cam = motion_only.recipe.camera.mode != "none"
    photo = motion_only.photo.pixels
    changed = np.zeros((H, W), bool)
    sharp: dict[str, list[float]] = {k_: [] for k_ in regions}
    camera = next((m for m in motion_only.motions if isinstance(m, CameraMotion)), None)
    for t in range(n):
        f = motion_only[t]
        if not cam:
            changed |= (f != photo).any(-1)
        for k_, reg in regions.items():
            sharp[k_].append(_lap_var(f, reg if camera is None else _follow(reg, camera, t)))
    face_head = face_all = 0.0
    for m in faces:
        for t in range(n):
            c = m.coefs(t)
            d_all = np.empty((m.basis.shape[0], m.basis.shape[2], 2), np.float32)
            from cinemagraph.motion import _kernels as K

            K.combine_basis(m.basis, c, d_all)
            c_head = c.copy()
            c_head[2:] = 0
            d_head = np.empty_like(d_all)
            K.combine_basis(m.basis, c_head, d_head)
            face_all = max(face_all, float(np.hypot(d_all[..., 0], d_all[..., 1]).max()) / m.face_width)
            face_head = max(face_head, float(np.hypot(d_head[..., 0], d_head[..., 1]).max()) / m.face_width)
    return {
        "frames": n,
        "seam_ratio": round(float(seam / med), 3) if med > 0 else None,
        "median_step": round(med, 4),
        "static_changed": None if cam else round(float(changed[static].mean()) if static.any() else 0.0, 6),
        "face_disp_head": round(face_head, 4) if faces else None,
        "face_disp_all": round(face_all, 4) if faces else None,
        "sharpness_var": {k_: round(float(np.std(v) / max(np.mean(v), 1e-9)), 4) for k_, v in sharp.items()},
        "sharpness_level": {k_: round(float(v[0]), 3) for k_, v in sharp.items()},
        "max_lum_step": round(lum_step, 4),
        "models": [type(m).__name__ for m in full.motions],
    }


def speed(make_clip, n_frames: int = 24, workers: int | None = None, repeat: int = 5) -> float:
    """Frames/s of ``clip.frames`` (several frames at once, one per core unless ``workers``):
    the median of ``repeat`` runs of ``n_frames`` frames."""
    clip = make_clip()
    clip[1]  # compile / warm caches
    rates = []
    for r in range(repeat):
        start = 2 + r * n_frames
        t0 = time.perf_counter()
        for _ in clip.frames(start, start + n_frames, workers=workers):
            pass
        rates.append(n_frames / (time.perf_counter() - t0))
    return float(np.median(rates))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=640, help="long side for the quality clips")
    ap.add_argument("--duration", type=float, default=4.0)
    ap.add_argument("--fps", type=int, default=30)
    ap.add_argument("--speed-size", type=int, default=1920, help="long side for the speed runs")
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument("--presets", default=",".join(PRESETS))
    ap.add_argument("--photos", default="", help="more photos (comma-separated paths), analysed "
                    "automatically like rocket and astronaut")
    ap.add_argument("--workers", type=int, default=None,
                    help="frames computed at once for the speed runs (default: one per core)")
    ap.add_argument("--json", action="store_true", help="print JSON instead of the table")
    args = ap.parse_args(argv)
    from skimage import data

    photos = [("rocket", data.rocket()), ("astronaut", data.astronaut())]
    for path in filter(None, args.photos.split(",")):
        from cinemagraph.io.photo import load_photo

        photos.append((Path(path).stem, load_photo(path).pixels))
    rows = []
    syn_q = synthetic(args.size)
    syn_s = {} if args.no_speed else dict(synthetic(args.speed_size))
    for pname in args.presets.split(","):
        base = PRESETS[pname].with_overrides(duration_s=args.duration, fps=args.fps,
                                             size_px=args.size, audio__sound="none")
        still = base.with_overrides(grade__look="none")
        for name, syn in syn_q:
            row = {"preset": pname, "scene": name, "masks": "gt"}
            row.update(measure(gt_clip(syn, name, base), gt_clip(syn, name, still)))
            if name in syn_s:
                big = base.with_overrides(size_px=args.speed_size)
                row["fps"] = round(speed(lambda: gt_clip(syn_s[name], name, big),
                                         workers=args.workers), 1)
            rows.append(row)
        for name, img in photos:
            row = {"preset": pname, "scene": name, "masks": "auto"}
            row.update(measure(cinemagraph.animate(img, base), cinemagraph.animate(img, still)))
            if not args.no_speed:
                big = base.with_overrides(size_px=args.speed_size)
                row["fps"] = round(speed(lambda: cinemagraph.animate(img, big), workers=args.workers), 1)
            rows.append(row)
            print(f"  done {pname} / {name}", file=sys.stderr)
    if args.json:
        print(json.dumps({"size": args.size, "duration_s": args.duration, "fps": args.fps,
                          "speed_size": args.speed_size, "cpu_count": os.cpu_count(),
                          "workers": frame_workers(args.workers), "clips": rows},
                         indent=2))
        return 0

    def f(v, fmt):
        return "-" if v is None else format(v, fmt)

    print(f"quality at {args.size}px, {args.duration:g}s x {args.fps} fps; speed at {args.speed_size}px "
          f"on {os.cpu_count()} CPUs, {frame_workers(args.workers)} frame(s) at once (synthesis only, "
          f"no encoding); ~ = flat region (Laplacian "
          f"energy below 8-bit rounding noise)")
    print("| preset | scene | masks | seam | static | face head/all | sharp sky/water/face | lum | fps |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        face = "-" if r["face_disp_head"] is None else f"{r['face_disp_head']:.2%}/{r['face_disp_all']:.2%}"
        static = "cam" if r["static_changed"] is None else f"{r['static_changed']:.4%}"
        sv, lv = r["sharpness_var"], r["sharpness_level"]
        sharp = "/".join("-" if k_ not in sv else
                         f"{sv[k_]:.1%}" + ("~" if lv[k_] < ROUNDING_FLOOR else "")
                         for k_ in ("sky", "water", "faces"))
        print(f"| {r['preset']} | {r['scene']} | {r['masks']} | {f(r['seam_ratio'], '.3f')} | {static} | "
              f"{face} | {sharp} | {r['max_lum_step']:.2%} | {f(r.get('fps'), '.1f')} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
