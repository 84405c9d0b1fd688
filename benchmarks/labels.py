"""Ground-truth labels of real photos: polygons plus an edge-refinement step, rendered to masks.

A label is a small JSON file, ``benchmarks/labels/<set>/<name>.json``; the photo itself stays
outside the repository (in the evaluation folder, or in the photo cache filled by
``fetch_photos.py``). Format::

    {
      "set": "real-scenes", "name": "scg_5847", "size": [W, H],
      "kind": "lake",                  # scene kind, one of KINDS
      "water_type": "still",           # none | still | waves | flowing
      "source": "...", "licence": "...",
      "sky_from_mask": false,          # true: sky is the set's own mask (masks/NAME.png > 127)
      "refine_px": 6,                  # half width of the band that edge refinement may change
      "regions": [                     # painted in order, later ones win
        {"class": "sky", "polygon": [[x, y], ...]},
        {"class": "water", "polygon": [[x, y], ...], "clip": "animate-mask"},
        {"class": "other", "polygon": [[x, y], ...]}
      ]
    }

Coordinates are photo pixels (x right, y down). ``"clip": "animate-mask"`` keeps only the pixels
of the polygon that are white in the set's ``animate-masks/NAME.png`` (an exact author mask);
``"clip": "not-animate-mask"`` keeps the others. Edge refinement re-decides only pixels within
``refine_px`` of a hand-drawn polygon edge (GrabCut with everything else fixed), so a polygon
drawn a few pixels off snaps to the photo's real edge; exact mask edges are never moved.

Usage::

    python benchmarks/labels.py grid PHOTO -o grid.png [--step 50]
    python benchmarks/labels.py render LABEL.json [-o overlay.png]
    python benchmarks/labels.py check [SET ...]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parent
LABELS = ROOT / "labels"
KINDS = ("sea", "lake", "river", "open", "forest", "city", "night", "indoor")
WATER_TYPES = ("none", "still", "waves", "flowing")
CLASSES = {"other": 0, "sky": 1, "water": 2}


def eval_root() -> Path:
    """The shared evaluation folder (``CINEMAGRAPH_EVAL`` or ``../shared/eval`` beside the repo)."""
    env = os.environ.get("CINEMAGRAPH_EVAL")
    return Path(env) if env else ROOT.parents[1] / "shared" / "eval"


def photo_cache() -> Path:
    """Where ``fetch_photos.py`` puts photos taken from package registries."""
    env = os.environ.get("CINEMAGRAPH_PHOTO_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "cinemagraph-photos"


def set_dir(name: str) -> Path:
    for base in (eval_root(), photo_cache()):
        if (base / name / "images").is_dir():
            return base / name
    return eval_root() / name


def photo_path(set_name: str, name: str) -> Path:
    d = set_dir(set_name) / "images"
    for ext in (".jpg", ".jpeg", ".png", ".webp"):
        p = d / (name + ext)
        if p.is_file():
            return p
    raise FileNotFoundError(f"no photo {set_name}/{name} under {d}")


def read_rgb(path: Path) -> np.ndarray:
    bgr = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if bgr is None:
        raise ValueError(f"cannot read {path}")
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def working(image: np.ndarray, long_side: int = 1024) -> np.ndarray:
    """The photo shrunk (area interpolation) to the analysis working size used for scoring."""
    h, w = image.shape[:2]
    s = long_side / max(h, w)
    if s >= 1.0:
        return image
    return cv2.resize(image, (round(w * s), round(h * s)), interpolation=cv2.INTER_AREA)


def _read_gray(path: Path, shape: tuple[int, int]) -> np.ndarray:
    m = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
    if m is None:
        raise ValueError(f"cannot read mask {path}")
    if m.shape != shape:
        m = cv2.resize(m, (shape[1], shape[0]), interpolation=cv2.INTER_NEAREST)
    return m > 127


@dataclass(frozen=True)
class Label:
    """One labelled photo: the photo, boolean sky and water masks, and its metadata."""

    set: str
    name: str
    image: np.ndarray
    sky: np.ndarray
    water: np.ndarray
    meta: dict

    @property
    def kind(self) -> str:
        return self.meta.get("kind", "")


def _raster(shape: tuple[int, int], poly) -> np.ndarray:
    m = np.zeros(shape, np.uint8)
    pts = np.round(np.asarray(poly, np.float64)).astype(np.int32).reshape(-1, 1, 2)
    if len(pts) >= 3:
        cv2.fillPoly(m, [pts], 1)
    return m.astype(bool)


def _refine(image: np.ndarray, fg: np.ndarray, band: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """GrabCut of ``fg`` inside ``band`` only (outside it every pixel keeps its side)."""
    if not band.any() or fg[band].all() or not fg[band].any():
        return fg
    ys, xs = np.nonzero(band)
    pad = 24
    y0, y1 = max(0, ys.min() - pad), min(fg.shape[0], ys.max() + pad + 1)
    x0, x1 = max(0, xs.min() - pad), min(fg.shape[1], xs.max() + pad + 1)
    sub_fg, sub_band = fg[y0:y1, x0:x1], band[y0:y1, x0:x1]
    gc = np.where(sub_fg, cv2.GC_FGD, cv2.GC_BGD).astype(np.uint8)
    gc[sub_band & sub_fg] = cv2.GC_PR_FGD
    gc[sub_band & ~sub_fg] = cv2.GC_PR_BGD
    if not (gc == cv2.GC_FGD).any() or not (gc == cv2.GC_BGD).any():
        return fg
    bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    bgr = np.ascontiguousarray(image[y0:y1, x0:x1, ::-1])
    cv2.setRNGSeed(0)
    cv2.grabCut(bgr, gc, None, bgd, fgd, 4, cv2.GC_INIT_WITH_MASK)
    out = fg.copy()
    new = (gc == cv2.GC_FGD) | (gc == cv2.GC_PR_FGD)
    sub = out[y0:y1, x0:x1]
    sub[sub_band] = new[sub_band] & allowed[y0:y1, x0:x1][sub_band]
    return out


def render(meta: dict, image: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Render a label to (image, sky, water); masks are boolean at the photo's size."""
    set_name, name = meta["set"], meta["name"]
    if image is None:
        image = read_rgb(photo_path(set_name, name))
    shape = image.shape[:2]
    if "size" in meta and tuple(meta["size"]) != (shape[1], shape[0]):
        raise ValueError(f"{set_name}/{name}: label size {meta['size']} != photo {shape[1]}x{shape[0]}")
    cls = np.zeros(shape, np.uint8)
    drawn_edge = np.zeros(shape, bool)
    animate = None
    if meta.get("sky_from_mask"):
        sky0 = _read_gray(set_dir(set_name) / "masks" / f"{name}.png", shape)
        cls[sky0] = CLASSES["sky"]
    for reg in meta.get("regions", []):
        c = CLASSES[reg["class"]]
        area = _raster(shape, reg["polygon"])
        clip = reg.get("clip")
        edge_src = area
        if clip in ("animate-mask", "not-animate-mask"):
            if animate is None:
                animate = _read_gray(set_dir(set_name) / "animate-masks" / f"{name}.png", shape)
            area = area & (animate if clip == "animate-mask" else ~animate)
        elif clip is not None:
            raise ValueError(f"{set_name}/{name}: unknown clip {clip!r}")
        if meta.get("sky_from_mask") and c != CLASSES["sky"]:
            area = area & (cls != CLASSES["sky"])  # the set's sky mask is exact: keep it
        grad = cv2.morphologyEx(edge_src.astype(np.uint8), cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8)) > 0
        drawn_edge |= grad
        cls[area] = c
    r = int(meta.get("refine_px", 6))
    if r > 0 and drawn_edge.any():
        k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1))
        band = cv2.dilate(drawn_edge.astype(np.uint8), k) > 0
        if animate is not None:
            # an author's mask edge is exact: its neighbourhood is not refined
            aedge = cv2.morphologyEx(animate.astype(np.uint8), cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8)) > 0
            band &= ~(cv2.dilate(aedge.astype(np.uint8), k) > 0)
        if meta.get("sky_from_mask"):
            band &= cls != CLASSES["sky"]
        for c in (CLASSES["water"], CLASSES["sky"]):
            allowed = np.ones(shape, bool)
            if animate is not None:
                allowed = animate if any(g.get("clip") == "animate-mask" and CLASSES[g["class"]] == c
                                         for g in meta.get("regions", [])) else allowed
            fg = cls == c
            cband = band & ((cls == c) | (cls == CLASSES["other"]))
            new = _refine(image, fg, cband, allowed)
            cls[cband & new] = c
            cls[cband & ~new & (cls == c)] = CLASSES["other"]
    return image, cls == CLASSES["sky"], cls == CLASSES["water"]


def _cache_path(meta: dict) -> Path:
    digest = hashlib.sha256(json.dumps(meta, sort_keys=True).encode()).hexdigest()[:16]
    return photo_cache() / "rendered" / meta["set"] / f"{meta['name']}-{digest}.png"


def load(path: Path) -> Label:
    """Load one label file, rendering (and caching) its masks."""
    meta = json.loads(Path(path).read_text())
    image = read_rgb(photo_path(meta["set"], meta["name"]))
    cache = _cache_path(meta)
    m = cv2.imread(str(cache), cv2.IMREAD_GRAYSCALE) if cache.is_file() else None
    if m is not None and m.shape == image.shape[:2]:
        sky, water = m == 255, m == 128
    else:
        _, sky, water = render(meta, image)
        cache.parent.mkdir(parents=True, exist_ok=True)
        out = np.zeros(image.shape[:2], np.uint8)
        out[water] = 128
        out[sky] = 255
        tmp = cache.with_suffix(".tmp.png")
        cv2.imwrite(str(tmp), out)
        os.replace(tmp, cache)
    return Label(meta["set"], meta["name"], image, sky, water, meta)


def label_files(sets: list[str] | None = None) -> list[Path]:
    out = []
    for d in sorted(LABELS.iterdir()) if LABELS.is_dir() else []:
        if d.is_dir() and (not sets or d.name in sets):
            out.extend(sorted(d.glob("*.json")))
    return out


def split_group(set_name: str, name: str) -> str:
    """Near-duplicate photos share a group: a CamVid sequence, or a real-scenes photo and its
    ``s``-prefixed animated-sample twin."""
    group = name
    if set_name == "sky-camvid":
        group = name.split("_")[0]
    elif set_name == "real-scenes" and name.startswith("scg_s") and name[5:].isdigit() and len(name) == 9:
        group = "scg_" + name[5:]
    return f"{set_name}/{group}"


def split_of(set_name: str, name: str) -> str:
    """The fixed split of a photo: ``"val"`` (about 35 %) or ``"train"``.

    Trees are fitted and decision thresholds calibrated (on out-of-fold predictions) on
    ``train``; figures are reported on ``val``, which nothing is fitted or tuned on. A group
    of near-duplicates (:func:`split_group`) never straddles the two.
    """
    h = int(hashlib.sha256(split_group(set_name, name).encode()).hexdigest()[:8], 16) % 100
    return "val" if h < 35 else "train"


def overlay(image: np.ndarray, sky: np.ndarray, water: np.ndarray) -> np.ndarray:
    out = image.astype(np.float32)
    for m, tint in ((sky, (60, 140, 255)), (water, (0, 255, 120))):
        out[m] = out[m] * 0.45 + np.array(tint, np.float32) * 0.55
        edge = cv2.morphologyEx(m.astype(np.uint8), cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8)) > 0
        out[edge] = (255, 255, 0) if tint[0] == 60 else (255, 0, 255)
    return np.clip(out, 0, 255).astype(np.uint8)


def grid(image: np.ndarray, step: int = 50) -> np.ndarray:
    out = image.copy()
    h, w = out.shape[:2]
    for x in range(0, w, step):
        cv2.line(out, (x, 0), (x, h - 1), (255, 0, 0) if x % (2 * step) == 0 else (255, 255, 0), 1)
        cv2.putText(out, str(x), (x + 2, 12), cv2.FONT_HERSHEY_SIMPLEX, 0.35, (255, 255, 255), 1, cv2.LINE_AA)
    for y in range(0, h, step):
        cv2.line(out, (0, y), (w - 1, y), (255, 0, 0) if y % (2 * step) == 0 else (255, 255, 0), 1)
        cv2.putText(out, str(y), (2, y - 2), cv2.FONT_HERSHEY_SIMPLEX, 0.35, (255, 255, 255), 1, cv2.LINE_AA)
    return out


def _check(meta: dict, path: Path) -> list[str]:
    errs = []
    for key in ("set", "name", "kind", "water_type", "source", "licence"):
        if key not in meta:
            errs.append(f"{path}: missing {key!r}")
    if meta.get("kind") not in KINDS:
        errs.append(f"{path}: kind {meta.get('kind')!r} not in {KINDS}")
    if meta.get("water_type") not in WATER_TYPES:
        errs.append(f"{path}: water_type {meta.get('water_type')!r} not in {WATER_TYPES}")
    if path.stem != meta.get("name") or path.parent.name != meta.get("set"):
        errs.append(f"{path}: file name does not match set/name")
    for reg in meta.get("regions", []):
        if reg.get("class") not in CLASSES:
            errs.append(f"{path}: unknown class {reg.get('class')!r}")
        if len(reg.get("polygon", [])) < 3:
            errs.append(f"{path}: polygon with fewer than 3 points")
    return errs


def _stats(sets: list[str] | None) -> int:
    """A Markdown table of the labelled photos (from the label files; nothing is rendered)."""
    from collections import Counter, defaultdict

    rows: dict[str, Counter] = defaultdict(Counter)
    kinds: dict[str, Counter] = defaultdict(Counter)
    licences: dict[str, Counter] = defaultdict(Counter)
    for p in label_files(sets):
        m = json.loads(p.read_text())
        wet = any(r["class"] == "water" for r in m.get("regions", []))
        sp = split_of(m["set"], m["name"])
        rows[m["set"]][f"{sp}_{'water' if wet else 'dry'}"] += 1
        kinds[m["set"]][m.get("kind", "?")] += 1
        licences[m["set"]][m.get("licence", "?")] += 1
    print("| set | photos | with water (train / val) | without water (train / val) | kinds | licences |")
    print("|---|---|---|---|---|---|")
    tot = Counter()
    for name, c in sorted(rows.items()):
        tot.update(c)
        k = ", ".join(f"{a} {b}" for a, b in kinds[name].most_common())
        lic = "; ".join(f"{a} ({b})" for a, b in licences[name].most_common())
        print(f"| {name} | {sum(c.values())} | {c['train_water']} / {c['val_water']} | "
              f"{c['train_dry']} / {c['val_dry']} | {k} | {lic} |")
    print(f"| all | {sum(tot.values())} | {tot['train_water']} / {tot['val_water']} | "
          f"{tot['train_dry']} / {tot['val_dry']} | | |")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("grid", help="the photo with a labelled coordinate grid")
    g.add_argument("photo")
    g.add_argument("-o", "--out", required=True)
    g.add_argument("--step", type=int, default=50)
    r = sub.add_parser("render", help="render a label and write an overlay PNG")
    r.add_argument("label")
    r.add_argument("-o", "--out")
    st = sub.add_parser("stats", help="photos per set and split: with water, dry, kinds, licences")
    st.add_argument("sets", nargs="*")
    c = sub.add_parser("check", help="validate every label file (and render it)")
    c.add_argument("sets", nargs="*")
    c.add_argument("--no-render", action="store_true")
    a = ap.parse_args(argv)
    if a.cmd == "grid":
        img = read_rgb(Path(a.photo))
        cv2.imwrite(a.out, cv2.cvtColor(grid(img, a.step), cv2.COLOR_RGB2BGR))
        print(f"{a.out}: {img.shape[1]}x{img.shape[0]}")
        return 0
    if a.cmd == "render":
        lab = load(Path(a.label))
        out = a.out or str(Path(a.label).with_suffix(".overlay.png").name)
        cv2.imwrite(out, cv2.cvtColor(overlay(lab.image, lab.sky, lab.water), cv2.COLOR_RGB2BGR))
        print(f"{out}: sky {lab.sky.mean():.3f}, water {lab.water.mean():.3f}, kind {lab.kind}, "
              f"split {split_of(lab.set, lab.name)}")
        return 0
    if a.cmd == "stats":
        return _stats(a.sets or None)
    errs, n = [], 0
    for p in label_files(a.sets or None):
        meta = json.loads(p.read_text())
        errs += _check(meta, p)
        n += 1
        if not a.no_render and not errs:
            try:
                load(p)
            except Exception as exc:  # noqa: BLE001 - report every broken label, not just the first
                errs.append(f"{p}: {exc}")
    print("\n".join(errs) if errs else f"{n} labels OK")
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
