"""Segmentation benchmark: sky and water on labelled real photos, train and validation side by side.

Labelled photos (``benchmarks/labels``, rendered by ``labels.py``): every set is scored per
split (``train`` = fitted and calibrated on, ``val`` = neither):

* sky: mean IoU over photos with >= 5 % sky, mean false-sky area over photos with < 0.5 % sky;
* water: mean IoU over photos with >= 1 % water, mean and worst false-water area over photos
  without water;
* scene kind: share of photos whose kind is right, and share whose sound bed comes from the
  right family (``sound_family``);
* speed: median seconds of ``analyze_photo`` on a 1024 px working image, on one thread.

A PNG sheet of the ten worst overlays of every set goes to ``--sheets DIR``.

Any folder with ``images/*.jpg|png`` and ``masks/NAME.png`` (mask > 127 = sky) can be scored
for sky alone with ``--data DIR``. Synthetic scenes: ``--synthetic``.

Usage::

    python benchmarks/bench_segmentation.py [--sets S ...] [--splits val ...] [--json OUT] [--sheets DIR]
    python benchmarks/bench_segmentation.py --data DIR
    python benchmarks/bench_segmentation.py --synthetic
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
sys.path.insert(0, str(Path(__file__).resolve().parent))

import labels as labelset  # noqa: E402

WORK_LONG_SIDE = 1024
SKY_MIN, NO_SKY_MAX = 0.05, 0.005
WATER_MIN, NO_WATER_MAX = 0.01, 0.001
SOUND_FAMILY = {"sea": {"water"}, "lake": {"water"}, "river": {"water"}, "open": {"wind", "birds"},
                "forest": {"birds"}, "city": {"city"}, "night": {"insects", "city"}, "indoor": {"room"}}
"""The sound families that are right for each labelled scene kind."""


def iou(pred: np.ndarray, truth: np.ndarray) -> float:
    union = np.logical_or(pred, truth).sum()
    return 1.0 if union == 0 else float(np.logical_and(pred, truth).sum() / union)


def working(image: np.ndarray) -> np.ndarray:
    return labelset.working(image, WORK_LONG_SIDE)


def _nearest(mask: np.ndarray, shape) -> np.ndarray:
    if mask.shape == tuple(shape):
        return mask
    return cv2.resize(mask.astype(np.uint8), (shape[1], shape[0]), interpolation=cv2.INTER_NEAREST) > 0


def overlay(rgb: np.ndarray, sky: np.ndarray, water: np.ndarray, t_sky: np.ndarray, t_water: np.ndarray) -> np.ndarray:
    """Predicted sky tinted blue and water green; true edges outlined (sky yellow, water magenta)."""
    out = rgb.astype(np.float32)
    for a, tint in ((sky, (40, 120, 255)), (water, (0, 230, 90))):
        out = out * (1 - 0.55 * a[..., None]) + np.array(tint, np.float32) * 0.55 * a[..., None]
    k = np.ones((3, 3), np.uint8)
    for t, colour in ((t_sky, (255, 255, 0)), (t_water, (255, 0, 255))):
        edge = cv2.morphologyEx(t.astype(np.uint8), cv2.MORPH_GRADIENT, k) > 0
        out[edge] = colour
    return np.clip(out, 0, 255).astype(np.uint8)


def _family(scene) -> str:
    from cinemagraph.audio.library import load_library
    from cinemagraph.audio.match import match_sounds

    return match_sounds(scene.summary, load_library().sounds, seed=0).bed.family


def score_photo(lab) -> tuple[dict, np.ndarray]:
    from cinemagraph.analysis import analyze_photo

    img = working(lab.image)
    t0 = time.perf_counter()
    scene = analyze_photo(img, detect_faces=False)
    dt = time.perf_counter() - t0
    sky_t, water_t = _nearest(lab.sky, img.shape[:2]), _nearest(lab.water, img.shape[:2])
    sky_p, water_p = scene.sky > 0.5, scene.water > 0.5
    row = {"set": lab.set, "name": lab.name, "split": labelset.split_of(lab.set, lab.name), "kind": lab.kind,
           "true_sky": round(float(sky_t.mean()), 4), "true_water": round(float(water_t.mean()), 4),
           "sky_iou": round(iou(sky_p, sky_t), 4), "water_iou": round(iou(water_p, water_t), 4),
           "false_sky": round(float((sky_p & ~sky_t).mean()), 4),
           "false_water": round(float((water_p & ~water_t).mean()), 4),
           "pred_kind": scene.summary.kind, "seconds": round(dt, 4)}
    if lab.kind in SOUND_FAMILY:
        row["family"] = _family(scene)
        row["family_ok"] = row["family"] in SOUND_FAMILY[lab.kind]
    ov = overlay(img, scene.sky, scene.water, sky_t, water_t)
    return row, ov


def summarise(rows: list[dict]) -> dict:
    def mean(vals):
        return round(float(np.mean(vals)), 4) if vals else None

    sky = [r for r in rows if r["true_sky"] >= SKY_MIN]
    no_sky = [r for r in rows if r["true_sky"] < NO_SKY_MAX]
    wet = [r for r in rows if r["true_water"] >= WATER_MIN]
    dry = [r for r in rows if r["true_water"] < NO_WATER_MAX]
    fam = [r for r in rows if "family_ok" in r]
    return {
        "photos": len(rows),
        "sky": {"count": len(sky), "mean_iou": mean([r["sky_iou"] for r in sky])},
        "no_sky": {"count": len(no_sky), "mean_false_sky": mean([r["false_sky"] for r in no_sky])},
        "water": {"count": len(wet), "mean_iou": mean([r["water_iou"] for r in wet])},
        "dry": {"count": len(dry), "mean_false_water": mean([r["false_water"] for r in dry]),
                "max_false_water": round(max([r["false_water"] for r in dry], default=0.0), 4),
                "over_0.05": sorted(r["name"] for r in dry if r["false_water"] > 0.05)},
        "kind_right": mean([float(r["pred_kind"] == r["kind"]) for r in rows if r["kind"]]),
        "sound_family_right": mean([float(r["family_ok"]) for r in fam]),
    }


def _badness(r: dict) -> float:
    bad = 0.0
    if r["true_sky"] >= SKY_MIN:
        bad += 1.0 - r["sky_iou"]
    bad += 10.0 * r["false_sky"] if r["true_sky"] < NO_SKY_MAX else 0.0
    if r["true_water"] >= WATER_MIN:
        bad += 1.0 - r["water_iou"]
    bad += 10.0 * r["false_water"] if r["true_water"] < NO_WATER_MAX else 0.0
    return bad


def sheet(items: list[tuple[dict, np.ndarray]], path: Path, *, tile: int = 320) -> None:
    tiles = []
    for r, ov in items:
        s = tile / max(ov.shape[:2])
        t = cv2.resize(ov, (round(ov.shape[1] * s), round(ov.shape[0] * s)), interpolation=cv2.INTER_AREA)
        canvas = np.full((tile + 34, tile, 3), 255, np.uint8)
        canvas[:t.shape[0], :t.shape[1]] = t
        txt1 = f"{r['name'][:38]} ({r['split']})"
        txt2 = f"sky {r['sky_iou']:.2f} fs {r['false_sky']:.2f} water {r['water_iou']:.2f} fw {r['false_water']:.2f}"
        cv2.putText(canvas, txt1, (3, tile + 13), cv2.FONT_HERSHEY_SIMPLEX, 0.38, (0, 0, 0), 1, cv2.LINE_AA)
        cv2.putText(canvas, txt2, (3, tile + 29), cv2.FONT_HERSHEY_SIMPLEX, 0.38, (0, 0, 0), 1, cv2.LINE_AA)
        tiles.append(canvas)
    while len(tiles) % 5:
        tiles.append(np.full_like(tiles[0], 255))
    rows = [np.hstack(tiles[i:i + 5]) for i in range(0, len(tiles), 5)]
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), cv2.cvtColor(np.vstack(rows), cv2.COLOR_RGB2BGR))


def run_labels(sets: list[str] | None, splits: list[str] | None, sheets: Path | None) -> dict:
    cv2.setNumThreads(1)
    rows_by_set: dict[str, list] = {}
    worst: dict[str, list] = {}
    files = labelset.label_files(sets)
    from cinemagraph.analysis import analyze_photo

    analyze_photo(np.zeros((64, 64, 3), np.uint8), detect_faces=False)  # compile and load once
    for i, p in enumerate(files):
        meta = json.loads(p.read_text())
        split = labelset.split_of(meta["set"], meta["name"])
        if splits and split not in splits:
            continue
        lab = labelset.load(p)
        row, ov = score_photo(lab)
        rows_by_set.setdefault(lab.set, []).append(row)
        if sheets is not None:
            w = worst.setdefault(lab.set, [])
            w.append((_badness(row), row, cv2.resize(ov, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)))
            w.sort(key=lambda t: -t[0])
            del w[10:]
        if (i + 1) % 50 == 0:
            print(f"  {i + 1}/{len(files)}", file=sys.stderr)
    out = {"sets": {}, "rows": [r for rows in rows_by_set.values() for r in rows]}
    for name, rows in sorted(rows_by_set.items()):
        out["sets"][name] = {sp: summarise([r for r in rows if r["split"] == sp])
                             for sp in ("train", "val") if any(r["split"] == sp for r in rows)}
    all_rows = out["rows"]
    out["all"] = {sp: summarise([r for r in all_rows if r["split"] == sp])
                  for sp in ("train", "val") if any(r["split"] == sp for r in all_rows)}
    out["median_seconds"] = round(float(np.median([r["seconds"] for r in all_rows])), 4) if all_rows else None
    if sheets is not None:
        for name, w in worst.items():
            sheet([(r, ov) for _, r, ov in w], sheets / f"worst-{name}.png")
    return out


def run_speed(n: int = 7) -> dict:
    """Median seconds of the whole analysis (faces included) of a 1024 px working image."""
    cv2.setNumThreads(1)
    from cinemagraph.analysis import analyze_photo

    files = [p for p in labelset.label_files(["real-scenes"])][:n] or []
    imgs = [working(labelset.read_rgb(labelset.photo_path(json.loads(p.read_text())["set"], p.stem))) for p in files]
    if not imgs:
        from cinemagraph.testing import seascape

        imgs = [seascape(width=1024, height=683).image]
    analyze_photo(imgs[0])
    times = []
    for im in imgs:
        t0 = time.perf_counter()
        analyze_photo(im)
        times.append(time.perf_counter() - t0)
    return {"photos": len(imgs), "median_seconds": round(float(np.median(times)), 4),
            "sizes": sorted({f"{im.shape[1]}x{im.shape[0]}" for im in imgs})}


def run_real(data: Path) -> dict:
    """Sky alone on a folder of photos with sky masks (any set, labelled or not)."""
    from cinemagraph.analysis import analyze_photo

    cv2.setNumThreads(1)
    groups: dict[str, list[float]] = {"sky": [], "no_sky": [], "between_iou": [], "between_false": []}
    for img_path in sorted((data / "images").iterdir()):
        mask_path = data / "masks" / (img_path.stem + ".png")
        if img_path.suffix.lower() not in (".jpg", ".jpeg", ".png") or not mask_path.is_file():
            continue
        rgb = working(labelset.read_rgb(img_path))
        truth = _nearest(cv2.imread(str(mask_path), cv2.IMREAD_GRAYSCALE) > 127, rgb.shape[:2])
        pred = analyze_photo(rgb, detect_faces=False).sky > 0.5
        frac = float(truth.mean())
        if frac >= SKY_MIN:
            groups["sky"].append(iou(pred, truth))
        elif frac < NO_SKY_MAX:
            groups["no_sky"].append(float((pred & ~truth).mean()))
        else:
            groups["between_iou"].append(iou(pred, truth))
            groups["between_false"].append(float((pred & ~truth).mean()))

    def mean(v):
        return round(float(np.mean(v)), 4) if v else None

    return {"data": str(data), "sky": {"count": len(groups["sky"]), "mean_iou": mean(groups["sky"])},
            "no_sky": {"count": len(groups["no_sky"]), "mean_false_sky": mean(groups["no_sky"])},
            "between": {"count": len(groups["between_iou"]), "mean_iou": mean(groups["between_iou"]),
                        "mean_false_sky": mean(groups["between_false"])}}


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


def run_curve(sets, splits) -> list[dict]:
    """The trade-off curve of the shipped model on the grid: for every main threshold (with the
    model's grow thresholds), mean IoU on photos with the class and mean false area on photos
    without it. Reported only: the shipped thresholds were chosen on the training split."""
    from cinemagraph.analysis import segment as seg

    cv2.setNumThreads(1)
    model = seg.load_model()
    recs = []
    for p in labelset.label_files(sets):
        meta = json.loads(p.read_text())
        if splits and labelset.split_of(meta["set"], meta["name"]) not in splits:
            continue
        lab = labelset.load(p)
        img = working(lab.image)
        base, grid = seg.grid_features(img)
        prob = seg.stage_probabilities(model.stages, base, grid)[-1].reshape(grid[0], grid[1], 3)
        frac = [cv2.resize(m.astype(np.float32), (grid[1], grid[0]), interpolation=cv2.INTER_AREA) >= 0.5
                for m in (lab.sky, lab.water)]
        recs.append((float(lab.sky.mean()), float(lab.water.mean()), prob, frac))
    rows = []
    for t in np.arange(0.3, 0.976, 0.05):
        row = {"t": round(float(t), 3)}
        for name, col, idx, grow, lo_share in (("sky", 1, 0, model.sky_grow, SKY_MIN), ("water", 2, 1, model.water_grow, WATER_MIN)):
            ious, false = [], []
            for sky_share, water_share, prob, frac in recs:
                share = sky_share if col == 1 else water_share
                wins = prob[..., 1] >= prob[..., 2] if col == 1 else prob[..., 2] > prob[..., 1]
                pred = seg._hysteresis(prob[..., col], wins, float(t), grow)
                if share >= lo_share:
                    ious.append(iou(pred, frac[idx]))
                elif share < (NO_SKY_MAX if col == 1 else NO_WATER_MAX):
                    false.append(float(pred.mean()))
            row[f"{name}_iou"] = round(float(np.mean(ious)), 3) if ious else None
            row[f"{name}_false"] = round(float(np.mean(false)), 4) if false else None
        rows.append(row)
    return rows


def _table(result: dict) -> str:
    lines = ["| set | split | photos | sky IoU (n) | false sky (n) | water IoU (n) | false water mean / max (n) | kind | sound family |",
             "|---|---|---|---|---|---|---|---|---|"]

    def f(v):
        return "-" if v is None else f"{v:.3f}"

    for name, splits in list(result["sets"].items()) + [("all", result["all"])]:
        for sp, s in splits.items():
            lines.append(f"| {name} | {sp} | {s['photos']} | {f(s['sky']['mean_iou'])} ({s['sky']['count']}) | "
                         f"{f(s['no_sky']['mean_false_sky'])} ({s['no_sky']['count']}) | "
                         f"{f(s['water']['mean_iou'])} ({s['water']['count']}) | "
                         f"{f(s['dry']['mean_false_water'])} / {f(s['dry']['max_false_water'])} ({s['dry']['count']}) | "
                         f"{f(s['kind_right'])} | {f(s['sound_family_right'])} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="*", help="label sets to score (default: all)")
    ap.add_argument("--splits", nargs="*", choices=("train", "val"), help="splits to score (default: all)")
    ap.add_argument("--sheets", type=Path, help="write a PNG of the ten worst overlays per set here")
    ap.add_argument("--json", type=Path, help="write the full result (every photo) as JSON here")
    ap.add_argument("--data", type=Path, help="score sky alone on a folder with images/ and masks/")
    ap.add_argument("--synthetic", action="store_true", help="score the synthetic generators")
    ap.add_argument("--speed", action="store_true", help="time the whole analysis of 1024 px photos")
    ap.add_argument("--curve", action="store_true", help="the trade-off curve of threshold against IoU and false area")
    args = ap.parse_args(argv)
    out: dict = {}
    if args.data is not None:
        out["real"] = run_real(args.data)
        print(json.dumps(out["real"], indent=2))
    elif args.synthetic:
        out["synthetic"] = s = run_synthetic()
        for row in s["scenes"]:
            print(row)
        print(f"synthetic: mean sky IoU {s['mean_sky_iou']}, mean water IoU {s['mean_water_iou']}, "
              f"worst false sky {s['max_false_sky']}, worst false water {s['max_false_water']}")
    elif args.curve:
        out["curve"] = run_curve(args.sets, args.splits)
        print("| threshold | sky IoU | false sky | water IoU | false water |\n|---|---|---|---|---|")
        for r in out["curve"]:
            print(f"| {r['t']} | {r['sky_iou']} | {r['sky_false']} | {r['water_iou']} | {r['water_false']} |")
    elif args.speed:
        out["speed"] = run_speed()
        print(json.dumps(out["speed"]))
    else:
        out = run_labels(args.sets, args.splits, args.sheets)
        print(_table(out))
        print(f"median analysis time per photo (masks only, 1 thread): {out['median_seconds']} s")
    if args.json is not None:
        args.json.write_text(json.dumps(out, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
