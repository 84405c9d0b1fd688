"""Sky (and water) segmentation benchmark.

Real photos: any folder with ``images/*.jpg|png`` and ``masks/NAME.png`` (mask > 127 = sky).
Images are grouped by their true sky share: ``sky`` (>= 5 %, scored by IoU), ``no_sky``
(< 0.5 %, scored by the false-sky area fraction) and ``between`` (both figures). Speed is the
wall time of :func:`cinemagraph.analysis.sky.sky_alpha` per megapixel of input, on one thread.

Synthetic scenes: the generators of :mod:`cinemagraph.testing` with exact sky and water masks.

Usage::

    python benchmarks/bench_segmentation.py --data DIR [--json] [--per-image] [--overlays OUT]
    python benchmarks/bench_segmentation.py --synthetic [--json]
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import cv2  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from cinemagraph.analysis.sky import sky_alpha  # noqa: E402

SKY_MIN, NO_SKY_MAX = 0.05, 0.005


def iou(pred: np.ndarray, truth: np.ndarray) -> float:
    union = np.logical_or(pred, truth).sum()
    return 1.0 if union == 0 else float(np.logical_and(pred, truth).sum() / union)


def _pairs(data: Path):
    for img_path in sorted((data / "images").iterdir()):
        if img_path.suffix.lower() not in (".jpg", ".jpeg", ".png"):
            continue
        mask_path = data / "masks" / (img_path.stem + ".png")
        if mask_path.is_file():
            yield img_path, mask_path


def _overlay(rgb: np.ndarray, alpha: np.ndarray, truth: np.ndarray) -> np.ndarray:
    out = rgb.astype(np.float32)
    tint = np.array((40, 120, 255), np.float32)
    out = out * (1 - 0.55 * alpha[..., None]) + tint * 0.55 * alpha[..., None]
    edge = cv2.morphologyEx(truth.astype(np.uint8), cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8)) > 0
    out[edge] = (255, 255, 0)
    return np.clip(out, 0, 255).astype(np.uint8)


def run_real(data: Path, *, per_image: bool = False, overlays: Path | None = None) -> dict:
    cv2.setNumThreads(1)
    groups: dict[str, list[dict]] = {"sky": [], "no_sky": [], "between": []}
    seconds, mpix = 0.0, 0.0
    warm = True
    for img_path, mask_path in _pairs(data):
        bgr = cv2.imread(str(img_path), cv2.IMREAD_COLOR)
        truth_u8 = cv2.imread(str(mask_path), cv2.IMREAD_GRAYSCALE)
        if bgr is None or truth_u8 is None:
            continue
        rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
        if truth_u8.shape != rgb.shape[:2]:
            truth_u8 = cv2.resize(truth_u8, (rgb.shape[1], rgb.shape[0]), interpolation=cv2.INTER_NEAREST)
        truth = truth_u8 > 127
        if warm:
            sky_alpha(rgb)
            warm = False
        t0 = time.perf_counter()
        alpha = sky_alpha(rgb)
        seconds += time.perf_counter() - t0
        mpix += rgb.shape[0] * rgb.shape[1] / 1e6
        pred = alpha > 0.5
        frac = float(truth.mean())
        row = {"name": img_path.name, "true_sky": round(frac, 4), "iou": round(iou(pred, truth), 4),
               "false_sky": round(float((pred & ~truth).mean()), 4),
               "pred_sky": round(float(pred.mean()), 4)}
        key = "sky" if frac >= SKY_MIN else ("no_sky" if frac < NO_SKY_MAX else "between")
        groups[key].append(row)
        if overlays is not None:
            overlays.mkdir(parents=True, exist_ok=True)
            ov = _overlay(rgb, alpha, truth)
            cv2.imwrite(str(overlays / f"{key}_{row['iou']:.2f}_{img_path.stem}.jpg"),
                        cv2.cvtColor(ov, cv2.COLOR_RGB2BGR))

    def mean(rows, k):
        return round(float(np.mean([r[k] for r in rows])), 4) if rows else None

    result = {
        "data": str(data),
        "sky": {"count": len(groups["sky"]), "mean_iou": mean(groups["sky"], "iou")},
        "no_sky": {"count": len(groups["no_sky"]), "mean_false_sky": mean(groups["no_sky"], "false_sky")},
        "between": {"count": len(groups["between"]), "mean_iou": mean(groups["between"], "iou"),
                    "mean_false_sky": mean(groups["between"], "false_sky")},
        "seconds_per_megapixel": round(seconds / max(mpix, 1e-9), 4),
        "megapixels": round(mpix, 3),
    }
    if per_image:
        result["images"] = groups
    return result


def run_synthetic() -> dict:
    from cinemagraph import testing
    from cinemagraph.analysis import analyze_photo

    rows = []
    for scene in testing.benchmark_scenes():
        result = analyze_photo(scene.image, detect_faces=False)
        row = {"name": scene.name}
        if scene.sky.max() > 0:
            row["sky_iou"] = round(iou(result.sky > 0.5, scene.sky > 0.5), 4)
        else:
            row["false_sky"] = round(float((result.sky > 0.5).mean()), 4)
        if scene.water.max() > 0:
            row["water_iou"] = round(iou(result.water > 0.5, scene.water > 0.5), 4)
        else:
            row["false_water"] = round(float((result.water > 0.5).mean()), 4)
        rows.append(row)
    sky_scored = [r["sky_iou"] for r in rows if "sky_iou" in r]
    water_scored = [r["water_iou"] for r in rows if "water_iou" in r]
    return {"scenes": rows,
            "mean_sky_iou": round(float(np.mean(sky_scored)), 4),
            "max_false_sky": max([r["false_sky"] for r in rows if "false_sky" in r], default=0.0),
            "max_false_water": max([r["false_water"] for r in rows if "false_water" in r], default=0.0),
            "mean_water_iou": round(float(np.mean(water_scored)), 4) if water_scored else None}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, help="folder with images/ and masks/")
    ap.add_argument("--synthetic", action="store_true", help="score the synthetic generators")
    ap.add_argument("--json", action="store_true", help="print JSON")
    ap.add_argument("--per-image", action="store_true", help="include per-image rows")
    ap.add_argument("--overlays", type=Path, help="write overlay JPEGs for inspection here")
    args = ap.parse_args(argv)
    if args.data is None and not args.synthetic:
        ap.error("give --data DIR and/or --synthetic")
    out: dict = {}
    if args.data is not None:
        out["real"] = run_real(args.data, per_image=args.per_image, overlays=args.overlays)
    if args.synthetic:
        out["synthetic"] = run_synthetic()
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        if "real" in out:
            r = out["real"]
            print(f"sky images ({r['sky']['count']}): mean IoU {r['sky']['mean_iou']}")
            print(f"no-sky images ({r['no_sky']['count']}): mean false-sky {r['no_sky']['mean_false_sky']}")
            print(f"in-between ({r['between']['count']}): mean IoU {r['between']['mean_iou']}, "
                  f"mean false-sky {r['between']['mean_false_sky']}")
            print(f"speed: {r['seconds_per_megapixel']} s per megapixel (1 thread)")
            if args.per_image:
                for k, rows in r["images"].items():
                    for row in rows:
                        print(k, row)
        if "synthetic" in out:
            s = out["synthetic"]
            for row in s["scenes"]:
                print(row)
            print(f"synthetic: mean sky IoU {s['mean_sky_iou']}, mean water IoU {s['mean_water_iou']}, "
                  f"worst false sky {s['max_false_sky']}, worst false water {s['max_false_water']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
