"""Train the sky/water segmenter and the scene-kind classifier from the labelled real photos.

Needs the training extra (``pip install -e ".[train]"``: scikit-learn) and the labelled photos
(``benchmarks/labels``, photos from ``../shared/eval`` and ``benchmarks/fetch_photos.py``).
Writes ``src/cinemagraph/analysis/model/segmenter.npz``: plain arrays plus a JSON ``meta``
record (feature names, training photos per set, thresholds and the calibration curve).

Splits (``benchmarks/labels.split_of``): trees are fitted on ``train``; the decision thresholds
are chosen on out-of-fold predictions of ``train`` (each fold's models never saw it) so that
false sky and false water stay under their targets; ``val`` is never read here.

Usage::

    python scripts/train_segmenter.py [--out PATH] [--iters 120] [--stages 2] [--jobs 2]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import labels as labelset  # noqa: E402
from cinemagraph.analysis import segment as seg  # noqa: E402

WORK_LONG_SIDE = 1024
CELLS_PER_PHOTO = 1600
SET_WEIGHT = {"sky-camvid": 0.25, "sky-cityscapes": 0.5, "synthetic": 1.0}
# the sky masks shipped with the GoPro set mark snow, haze and water as sky on most photos
# (see docs/analysis.md): scored, never trained on
EXCLUDED_SETS = {"sky-gopro"}
WATER_CLASS_WEIGHT = 2.0
FALSE_SKY_TARGET, FALSE_WATER_TARGET = 0.01, 0.02


def working(image: np.ndarray) -> np.ndarray:
    return labelset.working(image, WORK_LONG_SIDE)


def photo_record(path: Path) -> dict:
    lab = labelset.load(path)
    img = working(lab.image)
    base, grid = seg.grid_features(img)
    gh, gw = grid
    frac = np.stack([cv2.resize(m.astype(np.float32), (gw, gh), interpolation=cv2.INTER_AREA)
                     for m in (~(lab.sky | lab.water), lab.sky, lab.water)], axis=2).reshape(-1, 3)
    return {"set": lab.set, "name": lab.name, "kind": lab.kind, "split": labelset.split_of(lab.set, lab.name),
            "base": base, "grid": grid, "frac": frac, "sky_share": float(lab.sky.mean()),
            "water_share": float(lab.water.mean())}


SYNTHETIC_KINDS = {"seascape": "sea", "lake": "lake", "river": "river", "skyline": "city", "overcast skyline": "city",
                   "overcast": "open", "night": "night", "indoor room": "indoor", "blue wall": "indoor",
                   "window room": "indoor", "white room": "indoor"}


def synthetic_records(seeds=range(100, 108)) -> list[dict]:
    """The project's synthetic scenes (exact masks) at seeds the tests never use, as a small
    extra training set so the generators' known answers keep holding."""
    from cinemagraph import testing

    def grey_skyline(**kw):
        return testing.skyline(overcast=True, **kw)

    gens = [testing.seascape, testing.lake, testing.river, testing.skyline, grey_skyline, testing.overcast,
            testing.night_sky, testing.indoor_room, testing.blue_wall, testing.window_room, testing.white_room]
    out = []
    for seed in seeds:
        for g in gens:
            size = (640, 360) if seed % 2 == 0 else (960, 540)
            sc = g(width=size[0], height=size[1], seed=seed)
            base, grid = seg.grid_features(sc.image)
            gh, gw = grid
            sky, water = sc.sky > 0.5, sc.water > 0.5
            frac = np.stack([cv2.resize(m.astype(np.float32), (gw, gh), interpolation=cv2.INTER_AREA)
                             for m in (~(sky | water), sky, water)], axis=2).reshape(-1, 3)
            out.append({"set": "synthetic", "name": f"{sc.name}-{seed}", "kind": SYNTHETIC_KINDS.get(sc.name, ""),
                        "split": "train", "base": base, "grid": grid, "frac": frac,
                        "sky_share": float(sky.mean()), "water_share": float(water.mean())})
    return out


def cell_sample(rec: dict, rng: np.random.Generator) -> np.ndarray:
    """Up to CELLS_PER_PHOTO clear cells (one class covers >= 60 % of the cell), shared
    equally among the classes present so small water areas are not drowned by the rest."""
    frac = rec["frac"]
    ok = frac.max(axis=1) >= 0.6
    cls = frac.argmax(axis=1)
    present = [c for c in range(3) if np.any(ok & (cls == c))]
    picks = []
    for c in present:
        idx = np.nonzero(ok & (cls == c))[0]
        n = min(idx.size, CELLS_PER_PHOTO // len(present))
        picks.append(rng.choice(idx, n, replace=False) if idx.size > n else idx)
    return np.sort(np.concatenate(picks)) if picks else np.zeros(0, np.int64)


def export(clf) -> seg.Forest:
    """Flatten a fitted HistGradientBoostingClassifier into a Forest."""
    feats, thr, left, right, value, roots, tclass = [], [], [], [], [], [], []
    offset = 0
    for it in clf._predictors:
        for k, pred in enumerate(it):
            nodes = pred.nodes
            leaf = nodes["is_leaf"].astype(bool)
            roots.append(offset)
            tclass.append(k)
            feats.append(np.where(leaf, 0, nodes["feature_idx"]).astype(np.int32))
            thr.append(np.where(leaf, 0.0, nodes["num_threshold"]).astype(np.float64))
            left.append(np.where(leaf, -1, nodes["left"] + offset).astype(np.int32))
            right.append(np.where(leaf, -1, nodes["right"] + offset).astype(np.int32))
            value.append(np.where(leaf, nodes["value"], 0.0).astype(np.float64))
            offset += len(nodes)
    base = np.asarray(clf._baseline_prediction, np.float64).reshape(-1)
    n_classes = len(clf.classes_)
    if base.size == 1 and n_classes == 2:
        raise ValueError("binary models are not used here")
    return seg.Forest(feature=np.concatenate(feats), threshold=np.concatenate(thr), left=np.concatenate(left),
                      right=np.concatenate(right), value=np.concatenate(value), roots=np.asarray(roots, np.int32),
                      tree_class=np.asarray(tclass, np.int32), baseline=base)


def fit(x, y, w, iters: int, *, n_classes: int = 3, leaves: int = 31, min_leaf: int = 40, seed: int = 0):
    from sklearn.ensemble import HistGradientBoostingClassifier

    missing = [k for k in range(n_classes) if not np.any(y == k)]
    if missing:  # every class keeps its output column, even one absent from these photos
        x = np.vstack([x, np.repeat(x.mean(axis=0, keepdims=True), len(missing), axis=0)])
        y = np.concatenate([y, missing])
        w = np.concatenate([w, np.full(len(missing), 1e-6)])

    clf = HistGradientBoostingClassifier(max_iter=iters, learning_rate=0.1, max_leaf_nodes=leaves,
                                         min_samples_leaf=min_leaf, l2_regularization=1.0, early_stopping=False,
                                         random_state=seed)
    clf.fit(x, y, sample_weight=w)
    forest = export(clf)
    probe = x[: min(2000, len(x))]
    ours = forest.raw(probe)
    theirs = clf._raw_predict(probe)
    if not np.allclose(ours, theirs, atol=1e-9):
        raise RuntimeError(f"exported forest differs from scikit-learn: {np.abs(ours - theirs).max()}")
    return forest


def calibrate(recs, oof: dict) -> dict:
    """Thresholds from out-of-fold probabilities of the training photos.

    For each class, every pair (threshold, grow threshold <= threshold) is scored: mean IoU on
    photos with the class, and mean false area on photos without it (weighted like training,
    so the many near-identical street frames do not outvote the rest). The pair with the best
    IoU whose false area stays under the target (and, for water, whose 95th percentile over the
    dry photos stays under 0.05, so hardly any dry road, deck or floor ripples) is chosen; the
    curve of the best pair at every main threshold is kept for the model card. (Asking the
    worst dry photo to stay under 0.05 left no feasible water threshold, and the most cautious
    one lost the water of the procedural seascape.)
    """
    grid_t = [round(float(t), 3) for t in np.arange(0.30, 0.976, 0.025)]
    out: dict = {"curve": []}
    for cls, col, share_key, target, p95 in (("sky", 1, "sky_share", FALSE_SKY_TARGET, None),
                                             ("water", 2, "water_share", FALSE_WATER_TARGET, 0.05)):
        other = 2 if col == 1 else 1
        gh_recs = [(r, oof[(r["set"], r["name"])]) for r in recs]
        best, rows = None, []
        for hi in grid_t:
            best_hi = None
            for lo in [t for t in grid_t if t <= hi]:
                ious, false, wts = [], [], []
                for r, p in gh_recs:
                    gh, gw = r["grid"]
                    pp = p.reshape(gh, gw, 3)
                    pred = seg._hysteresis(pp[..., col], pp[..., col] >= pp[..., other] if col == 1
                                           else pp[..., col] > pp[..., other], hi, lo).reshape(-1)
                    truth = r["frac"][:, col] >= 0.5
                    if r[share_key] >= 0.05:
                        u = (pred | truth).sum()
                        ious.append(1.0 if u == 0 else (pred & truth).sum() / u)
                    elif r[share_key] < 0.005:
                        false.append(float(pred.mean()))
                        wts.append(SET_WEIGHT.get(r["set"], 1.0))
                row = {"t": hi, "grow": lo, "iou": round(float(np.mean(ious)), 4),
                       "false": round(float(np.average(false, weights=wts)), 4),
                       "false_p95": round(float(np.percentile(false, 95)), 4),
                       "false_max": round(float(np.max(false)), 4)}
                ok = row["false"] <= target and (p95 is None or row["false_p95"] <= p95)
                if ok and (best_hi is None or row["iou"] > best_hi["iou"]):
                    best_hi = row
                if ok and (best is None or row["iou"] > best["iou"]):
                    best = row
            rows.append(best_hi or {"t": hi, "grow": None})
        if best is None:
            best = {"t": grid_t[-1], "grow": None}
        out[f"{cls}_threshold"], out[f"{cls}_grow"] = best["t"], best["grow"]
        out["curve"].append({"class": cls, "best_per_threshold": rows})
    return out


def oof_report(recs, oof: dict, cal: dict) -> list[dict]:
    """Per training photo: its labelled sky and water shares and the out-of-fold predicted
    areas at the sky threshold 0.5 and at the calibrated thresholds (grid cells), worst first."""
    rows = []
    for r in recs:
        gh, gw = r["grid"]
        pp = oof[(r["set"], r["name"])].reshape(gh, gw, 3)
        sky_cells = pp[..., 1] >= pp[..., 2]
        row = {"set": r["set"], "name": r["name"], "sky_share": round(r["sky_share"], 4),
               "water_share": round(r["water_share"], 4)}
        for key, col, other, t, g in (("sky", 1, 2, 0.5, None), ("sky_cal", 1, 2, cal["sky_threshold"], cal["sky_grow"]),
                                      ("water_cal", 2, 1, cal["water_threshold"], cal["water_grow"])):
            keep = sky_cells if col == 1 else pp[..., 2] > pp[..., 1]
            pred = seg._hysteresis(pp[..., col], keep, t, g if g is not None else t).reshape(-1)
            truth = r["frac"][:, col] >= 0.5
            row[f"{key}_area"] = round(float(pred.mean()), 4)
            row[f"{key}_false"] = round(float((pred & ~truth).mean()), 4)
        rows.append(row)
    return sorted(rows, key=lambda x: -(x["sky_false"] + x["water_cal_false"]))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=str(ROOT / "src/cinemagraph/analysis/model/segmenter.npz"))
    ap.add_argument("--iters", type=int, default=120)
    ap.add_argument("--stages", type=int, default=2)
    ap.add_argument("--kind-iters", type=int, default=80)
    ap.add_argument("--folds", type=int, default=4)
    ap.add_argument("--sets", nargs="*", help="label sets to train on (default: all but the excluded ones)")
    ap.add_argument("--oof-report", type=Path, help="also write every training photo's out-of-fold sky "
                                                     "and water areas (JSON), to find labels to check")
    ap.add_argument("--licences", nargs="*", help="keep only photos whose licence text contains one of these "
                                                  "(e.g. MIT CC0 'public domain')")
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    files = labelset.label_files()
    recs = []
    for i, p in enumerate(files):
        meta = json.loads(p.read_text())
        split = labelset.split_of(meta["set"], meta["name"])
        if split == "val" or meta["set"] in EXCLUDED_SETS or (a.sets and meta["set"] not in a.sets):
            continue
        if a.licences and not any(x.lower() in meta.get("licence", "").lower() for x in a.licences):
            continue
        recs.append(photo_record(p))
        if (i + 1) % 50 == 0:
            print(f"  features {i + 1}/{len(files)}", file=sys.stderr)
    recs += synthetic_records()
    train = [r for r in recs if r["split"] == "train"]
    print(f"{len(train)} training photos ({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    rng = np.random.default_rng(0)
    for r in train:
        r["cells"] = cell_sample(r, rng)
    y = np.concatenate([r["frac"][r["cells"]].argmax(axis=1) for r in train])
    # every photo weighs the same whatever its number of cells (times its set's weight)
    w = np.concatenate([np.full(r["cells"].size,
                                SET_WEIGHT.get(r["set"], 1.0) * CELLS_PER_PHOTO / max(1, r["cells"].size))
                        for r in train])
    w = w * np.where(y == 2, WATER_CLASS_WEIGHT, 1.0)
    # folds by photo group for out-of-fold stage probabilities (the next stage's context)
    def fold(r):
        g = labelset.split_group(r["set"], r["name"]) if r["set"] != "synthetic" else r["name"]
        return int(hashlib.sha256(g.encode()).hexdigest()[:8], 16) % a.folds
    fold_of = {(r["set"], r["name"]): fold(r) for r in train}
    cell_fold = np.concatenate([np.full(r["cells"].size, fold_of[(r["set"], r["name"])]) for r in train])
    stages: list[seg.Forest] = []
    fold_stages: list[list[seg.Forest]] = [[] for _ in range(a.folds)]
    for s in range(a.stages):
        if s == 0:
            x = np.concatenate([r["base"][r["cells"]] for r in train])
        else:
            xs = []
            for r in train:
                f = fold_of[(r["set"], r["name"])]
                prob = seg.stage_probabilities(fold_stages[f], r["base"], r["grid"])[-1]
                xs.append(seg.stage_inputs(r["base"], prob, r["grid"])[r["cells"]])
            x = np.concatenate(xs)
        print(f"stage {s}: {x.shape[0]} cells x {x.shape[1]} features", file=sys.stderr)
        stages.append(fit(x, y, w, a.iters, seed=s))
        for f in range(a.folds):
            keep = cell_fold != f
            fold_stages[f].append(fit(x[keep], y[keep], w[keep], a.iters, seed=s))
        print(f"  stage {s} done ({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    # out-of-fold probabilities of every training photo: the fold's own stages never saw it
    # (their later-stage inputs came from out-of-fold earlier stages, as at run time)
    oof = {}
    for r in train:
        oof[(r["set"], r["name"])] = seg.stage_probabilities(fold_stages[fold_of[(r["set"], r["name"])]],
                                                             r["base"], r["grid"])[-1]
    # thresholds are for real photos: the synthetic scenes (easy, exact) are trained on, never
    # calibrated on
    real = [r for r in train if r["set"] != "synthetic"]
    cal = calibrate(real, oof)
    if a.oof_report:
        a.oof_report.write_text(json.dumps(oof_report(real, oof, cal), indent=1))
    sky_t, water_t, curve = cal["sky_threshold"], cal["water_threshold"], cal["curve"]
    print(f"thresholds: sky {sky_t} (grow {cal['sky_grow']}), water {water_t} (grow {cal['water_grow']})",
          file=sys.stderr)
    # scene kind: one row per photo, from its out-of-fold probabilities
    kind_rows, kind_y = [], []
    for r in train:
        if r["kind"] not in seg.KINDS:
            continue
        kind_rows.append(seg.kind_features(r["base"], oof[(r["set"], r["name"])], r["grid"])[0])
        kind_y.append(seg.KINDS.index(r["kind"]))
    kind_x, kind_y = np.asarray(kind_rows, np.float32), np.asarray(kind_y)
    kw = np.array([SET_WEIGHT.get(r["set"], 1.0) for r in train if r["kind"] in seg.KINDS])
    counts = np.bincount(kind_y, minlength=len(seg.KINDS)).astype(np.float64)
    kw = kw * (len(kind_y) / (len(seg.KINDS) * np.maximum(counts[kind_y], 1)))
    kind = fit(kind_x, kind_y, kw, a.kind_iters, n_classes=len(seg.KINDS), leaves=8, min_leaf=3, seed=7)
    meta = {
        "n_stages": len(stages), "grid_long_side": seg.GRID_LONG_SIDE, "work_long_side": WORK_LONG_SIDE,
        "base_features": list(seg.BASE_FEATURES), "context_features": list(seg.CONTEXT_FEATURES),
        "stage_inputs": "base + context + kind_features",
        "kind_features": list(seg.KIND_FEATURES), "classes": list(seg.CLASSES), "kinds": list(seg.KINDS),
        "sky_threshold": sky_t, "water_threshold": water_t, "calibration_curve": curve,
        "sky_grow": cal["sky_grow"], "water_grow": cal["water_grow"],
        "iters": a.iters, "cells": int(y.size),
        "train_photos": {s: sum(1 for r in train if r["set"] == s) for s in sorted({r["set"] for r in train})},
        "kind_photos": int(len(kind_rows)),
    }
    arrays = {"meta": np.frombuffer(json.dumps(meta, sort_keys=True).encode(), np.uint8)}
    for i, f in enumerate(stages):
        arrays.update(seg.forest_arrays(f, f"s{i}_"))
    arrays.update(seg.forest_arrays(kind, "kind_"))
    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp.npz")
    np.savez_compressed(tmp, **arrays)
    tmp.replace(out)
    print(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB, {sum(f.n_trees for f in stages)} pixel trees, "
          f"{time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
