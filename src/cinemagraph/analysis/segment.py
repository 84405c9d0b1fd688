"""Learned sky/water segmentation: hand-made features on a coarse grid, a shipped tree ensemble.

How it works
------------
1. The photo is shrunk to a grid of cells (long side :data:`GRID_LONG_SIDE`). Every cell gets
   :data:`N_BASE` features made by hand (:func:`grid_features`): Lab colour at two blurs,
   position, texture at three scales, gradient orientation (water is streaked horizontally),
   colour of the cells above and below, the colour of the cell mirrored about the photo's
   strongest long horizontal edge (a reflection in calm water repeats what is above it), and a
   few whole-photo statistics.
2. A gradient-boosted tree ensemble, trained by ``scripts/train_segmenter.py`` on labelled real
   photos and shipped as plain arrays (``model/segmenter.npz``), turns the features into
   probabilities of sky, water and other. A second stage sees the first stage's probabilities
   around each cell (above, below, mirrored, the whole row): "auto-context".
3. A class is kept where its probability passes a threshold calibrated for a low false-alarm
   rate (when unsure, do not animate), together with the connected cells that pass a lower,
   also calibrated, threshold; small islands are dropped, and the decision is brought to full
   size by an edge-aware guided upsampling.

The ensemble is evaluated by the Numba kernel :func:`cinemagraph.analysis._kernels.forest_raw`
(with a numpy twin in the tests); nothing is downloaded and no scikit-learn is needed at run time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import cv2
import numpy as np

from cinemagraph.analysis.lines import draw_lines, straight_lines
from cinemagraph.analysis.masks import guided_upsample

__all__ = ["Forest", "SegmenterModel", "Segmentation", "load_model", "grid_features", "context_features",
           "stage_inputs", "kind_features",
           "segment", "CLASSES", "KINDS", "GRID_LONG_SIDE"]

CLASSES = ("other", "sky", "water")
"""Output columns of the pixel classifier."""
KINDS = ("sea", "lake", "river", "open", "forest", "city", "night", "indoor")
"""Scene kinds of the photo classifier (see :mod:`cinemagraph.audio.match`)."""
GRID_LONG_SIDE = 128
"""Long side of the classification grid, in cells."""
_FEATURE_LONG_SIDE = 2 * GRID_LONG_SIDE  # texture is measured at twice the grid resolution


@dataclass(frozen=True)
class Forest:
    """An additive tree ensemble as flat arrays (see :func:`~cinemagraph.analysis._kernels.forest_raw`)."""

    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    roots: np.ndarray
    tree_class: np.ndarray
    baseline: np.ndarray

    def raw(self, x: np.ndarray) -> np.ndarray:
        """Raw scores, shape (n, K) float64, of features ``x`` (n, F)."""
        import numba

        from cinemagraph.analysis._kernels import forest_raw

        x = np.ascontiguousarray(x, dtype=np.float32)
        if numba.config.DISABLE_JIT and x.shape[0] * self.n_trees > 100_000:
            return self._raw_by_level(x)  # the kernel as plain Python would take minutes
        out = np.empty((x.shape[0], self.baseline.shape[0]), np.float64)
        forest_raw(x, self.feature, self.threshold, self.left, self.right, self.value, self.roots,
                   self.tree_class, self.baseline, out)
        return out

    def _raw_by_level(self, x: np.ndarray) -> np.ndarray:
        """The same sums as the kernel (trees added in the same order), every row walking a
        tree at once with numpy; used only when Numba's JIT is switched off."""
        n = x.shape[0]
        out = np.tile(self.baseline, (n, 1))
        rows = np.arange(n)
        for t in range(self.n_trees):
            node = np.full(n, self.roots[t], np.int64)
            inner = self.left[node] != -1
            while inner.any():
                go_left = x[rows, self.feature[node]] <= self.threshold[node]
                node = np.where(inner, np.where(go_left, self.left[node], self.right[node]), node)
                inner = self.left[node] != -1
            out[:, self.tree_class[t]] += self.value[node]
        return out

    def proba(self, x: np.ndarray) -> np.ndarray:
        """Softmax probabilities, shape (n, K) float32."""
        return softmax(self.raw(x))

    @property
    def n_trees(self) -> int:
        return int(self.roots.shape[0])


def softmax(raw: np.ndarray) -> np.ndarray:
    z = raw - raw.max(axis=1, keepdims=True)
    e = np.exp(z)
    return (e / e.sum(axis=1, keepdims=True)).astype(np.float32)


@dataclass(frozen=True)
class SegmenterModel:
    """The shipped model: pixel stages, scene-kind classifier and calibrated thresholds."""

    stages: tuple[Forest, ...]
    kind: Forest | None
    sky_threshold: float
    water_threshold: float
    meta: dict
    sky_grow: float | None = None
    water_grow: float | None = None
    """Lower thresholds a region may grow into from cells that pass the main threshold
    (hysteresis); None: no growth."""


_FOREST_KEYS = ("feature", "threshold", "left", "right", "value", "roots", "tree_class", "baseline")
_DTYPES = {"feature": np.int32, "threshold": np.float64, "left": np.int32, "right": np.int32,
           "value": np.float64, "roots": np.int32, "tree_class": np.int32, "baseline": np.float64}


def forest_from_arrays(arrays, prefix: str) -> Forest:
    return Forest(**{k: np.ascontiguousarray(arrays[f"{prefix}{k}"], dtype=_DTYPES[k]) for k in _FOREST_KEYS})


def forest_arrays(forest: Forest, prefix: str) -> dict[str, np.ndarray]:
    return {f"{prefix}{k}": getattr(forest, k) for k in _FOREST_KEYS}


def model_from_npz(path) -> SegmenterModel:
    """Read a model written by ``scripts/train_segmenter.py``."""
    with np.load(path, allow_pickle=False) as z:
        meta = json.loads(bytes(z["meta"]).decode())
        stages = tuple(forest_from_arrays(z, f"s{i}_") for i in range(int(meta["n_stages"])))
        kind = forest_from_arrays(z, "kind_") if "kind_roots" in z.files else None
    grow = {k: (float(meta[k]) if meta.get(k) is not None else None) for k in ("sky_grow", "water_grow")}
    return SegmenterModel(stages=stages, kind=kind, sky_threshold=float(meta["sky_threshold"]),
                          water_threshold=float(meta["water_threshold"]), meta=meta, **grow)


@lru_cache(maxsize=1)
def load_model() -> SegmenterModel:
    """The model shipped inside the package (read once per process)."""
    ref = resources.files("cinemagraph.analysis").joinpath("model", "segmenter.npz")
    with resources.as_file(ref) as path:
        return model_from_npz(path)


# ----------------------------------------------------------------------------- features

BASE_FEATURES = (
    "L", "a", "b", "chroma", "L_blur", "a_blur", "b_blur",
    "y", "x_centre",
    "std_fine", "std_mid", "std_coarse", "grad_fine", "grad_coarse", "vert_fine", "vert_coarse", "lap_fine",
    "L_rel", "b_rel",
    "L_up1", "b_up1", "L_up2", "b_up2", "L_dn1", "b_dn1", "L_dn2", "b_dn2",
    "L_above_mean", "b_above_mean", "std_above", "L_below_mean", "std_below",
    "row_L_mean", "row_L_std", "row_std_mean",
    "y_rel_horizon", "mirror_dL", "mirror_dab", "mirror_dstd", "horizon_strength",
    "g_L_mean", "g_L_std", "g_top_L", "g_top_b", "g_bottom_L", "g_chroma",
    "lines_near", "lines_wide",
)
N_BASE = len(BASE_FEATURES)


def _box(x: np.ndarray, k: int) -> np.ndarray:
    return cv2.boxFilter(x, -1, (k, k), normalize=True, borderType=cv2.BORDER_REFLECT)


def _local_std(x: np.ndarray, k: int) -> np.ndarray:
    m = _box(x, k)
    return np.sqrt(np.maximum(_box(x * x, k) - m * m, 0.0))


def _shift_rows(x: np.ndarray, d: int) -> np.ndarray:
    """x shifted so that out[y] = x[y + d] (rows clamped at the border)."""
    h = x.shape[0]
    idx = np.clip(np.arange(h) + d, 0, h - 1)
    return x[idx]


def _grid_shape(h: int, w: int) -> tuple[int, int]:
    s = GRID_LONG_SIDE / max(h, w)
    return max(4, int(round(h * s))), max(4, int(round(w * s)))


def _horizon(L: np.ndarray) -> tuple[int, float]:
    """Row of the photo's strongest long horizontal edge (in the middle 10-90 % of the height)
    and how much it stands out (its step over the median step)."""
    h = L.shape[0]
    step = np.abs(np.diff(cv2.GaussianBlur(L, (0, 0), 1.0), axis=0)).mean(axis=1)
    lo, hi = max(1, int(0.1 * h)), max(2, int(0.9 * h))
    seg = step[lo:hi]
    k = int(np.argmax(seg))
    return lo + k + 1, float(seg[k] / (np.median(step) + 0.5))


def _line_map(L: np.ndarray) -> np.ndarray:
    """Long straight edges that are not horizontal (wall corners, window frames, ceilings;
    a horizon is horizontal and clouds have none), drawn into a map of L's size."""
    h, w = L.shape
    edges = cv2.Canny(np.clip(L * 2.55, 0, 255).astype(np.uint8), 40, 100)
    min_len = max(8, int(0.08 * max(h, w)))
    segs = straight_lines(edges, min_len=min_len, votes=max(10, min_len // 2), max_gap=2)
    steep = np.abs(segs[:, 3] - segs[:, 1]) > 0.18 * np.abs(segs[:, 2] - segs[:, 0])  # over ~10 degrees
    return draw_lines((h, w), segs[steep])


def grid_features(image: np.ndarray) -> tuple[np.ndarray, tuple[int, int]]:
    """Hand-made features of every grid cell.

    Parameters
    ----------
    image : ndarray, shape (H, W, 3), uint8 RGB.

    Returns
    -------
    features : ndarray, shape (gh * gw, N_BASE), float32 (names in :data:`BASE_FEATURES`).
    grid : (gh, gw), the grid shape (cells in row-major order).
    """
    image = np.asarray(image)
    if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
        raise ValueError(f"image must be (H, W, 3) uint8, got {image.shape} {image.dtype}")
    h, w = image.shape[:2]
    gh, gw = _grid_shape(h, w)
    fh, fw = 2 * gh, 2 * gw
    small = cv2.resize(image, (fw, fh), interpolation=cv2.INTER_AREA).astype(np.float32) * (1.0 / 255.0)
    lab = cv2.cvtColor(small, cv2.COLOR_RGB2Lab)
    L, a, b = lab[..., 0], lab[..., 1], lab[..., 2]
    gx = cv2.Sobel(L, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(L, cv2.CV_32F, 0, 1, ksize=3)
    gx2, gy2 = gx * gx, gy * gy
    e_f, e_c = _box(gx2 + gy2, 5), _box(gx2 + gy2, 15)
    vert_f = _box(gy2, 5) / (e_f + 1.0)
    vert_c = _box(gy2, 15) / (e_c + 1.0)
    lap = _box(np.abs(cv2.Laplacian(L, cv2.CV_32F, ksize=3)), 5)
    lines = _line_map(L)
    fine = np.stack([L, a, b, np.hypot(a, b), _local_std(L, 3), _local_std(L, 7), _local_std(L, 15),
                     np.sqrt(e_f), np.sqrt(e_c), vert_f, vert_c, lap,
                     cv2.GaussianBlur(lines, (0, 0), 4.0), cv2.GaussianBlur(lines, (0, 0), 16.0)], axis=2)
    g = cv2.resize(fine, (gw, gh), interpolation=cv2.INTER_AREA)
    gL, ga, gb = g[..., 0], g[..., 1], g[..., 2]
    blur = cv2.GaussianBlur(g[..., :3], (0, 0), 2.0)
    bL, bb = blur[..., 0], blur[..., 2]
    ys = (np.arange(gh, dtype=np.float32) + 0.5) / gh
    xs = (np.arange(gw, dtype=np.float32) + 0.5) / gw
    Y = np.broadcast_to(ys[:, None], (gh, gw))
    X = np.broadcast_to(np.abs(xs[None, :] - 0.5), (gh, gw))
    med_L, med_b = float(np.median(gL)), float(np.median(gb))
    d1, d2 = max(1, int(round(0.08 * gh))), max(2, int(round(0.25 * gh)))
    # mean colour and texture of everything above / below each cell in its column
    rows = np.arange(1, gh + 1, dtype=np.float32)[:, None]
    std_m = g[..., 5]
    cum_L, cum_b, cum_s = np.cumsum(bL, axis=0), np.cumsum(bb, axis=0), np.cumsum(std_m, axis=0)
    above_L, above_b, above_s = cum_L / rows, cum_b / rows, cum_s / rows
    tot_L, tot_s = cum_L[-1:], cum_s[-1:]
    n_below = np.maximum(gh - rows + 1.0, 1.0)
    below_L = (tot_L - cum_L + bL) / n_below
    below_s = (tot_s - cum_s + std_m) / n_below
    row_L_mean = np.broadcast_to(gL.mean(axis=1, keepdims=True), (gh, gw))
    row_L_std = np.broadcast_to(gL.std(axis=1, keepdims=True), (gh, gw))
    row_std_mean = np.broadcast_to(std_m.mean(axis=1, keepdims=True), (gh, gw))
    # reflection: compare each cell below the strongest horizontal edge with its mirror image
    hz, hz_strength = _horizon(gL)
    mirror_rows = np.clip(2 * hz - 1 - np.arange(gh), 0, gh - 1)
    below_hz = (np.arange(gh) >= hz)[:, None]
    mL, mab, ms = bL[mirror_rows], blur[mirror_rows][..., 1:], std_m[mirror_rows]
    dL = np.where(below_hz, np.abs(bL - mL), 100.0)
    dab = np.where(below_hz, np.abs(blur[..., 1:] - mab).sum(axis=2), 100.0)
    dstd = np.where(below_hz, np.abs(std_m - ms), 100.0)
    top = max(1, gh // 10)
    glob = np.array([gL.mean(), gL.std(), gL[:top].mean(), gb[:top].mean(), gL[-top:].mean(),
                     g[..., 3].mean()], np.float32)
    cols = [gL, ga, gb, g[..., 3], bL, blur[..., 1], bb, Y, X,
            g[..., 4], g[..., 5], g[..., 6], g[..., 7], g[..., 8], g[..., 9], g[..., 10], g[..., 11],
            gL - med_L, gb - med_b,
            _shift_rows(bL, -d1), _shift_rows(bb, -d1), _shift_rows(bL, -d2), _shift_rows(bb, -d2),
            _shift_rows(bL, d1), _shift_rows(bb, d1), _shift_rows(bL, d2), _shift_rows(bb, d2),
            above_L, above_b, above_s, below_L, below_s,
            row_L_mean, row_L_std, row_std_mean,
            Y - hz / gh, dL, dab, dstd, np.full((gh, gw), hz_strength, np.float32)]
    cols += [np.full((gh, gw), v, np.float32) for v in glob]
    cols += [g[..., 12] * 10.0, g[..., 13] * 10.0]
    feats = np.stack([np.asarray(c, np.float32) for c in cols], axis=2).reshape(gh * gw, N_BASE)
    return np.ascontiguousarray(feats), (gh, gw)


CONTEXT_FEATURES = (
    "p_sky", "p_water", "p_sky_b3", "p_water_b3", "p_sky_b8", "p_water_b8",
    "p_sky_up", "p_water_up", "p_sky_dn", "p_water_dn",
    "p_sky_above_max", "p_water_above_mean", "p_water_below_mean", "p_sky_below_max",
    "row_p_sky", "row_p_water", "p_sky_mirror", "p_water_mirror", "y_rel_skyline", "sky_share", "water_share",
)


def context_features(prob: np.ndarray, grid: tuple[int, int]) -> np.ndarray:
    """Auto-context features from a stage's probabilities.

    prob : (gh * gw, 3) float32 probabilities of :data:`CLASSES`. Returns (gh * gw, len(CONTEXT_FEATURES)).
    """
    gh, gw = grid
    p = prob.reshape(gh, gw, 3).astype(np.float32)
    ps, pw = np.ascontiguousarray(p[..., 1]), np.ascontiguousarray(p[..., 2])
    b3 = cv2.GaussianBlur(p, (0, 0), 3.0)
    b8 = cv2.GaussianBlur(p, (0, 0), 8.0)
    d = max(1, int(round(0.06 * gh)))
    rows = np.arange(1, gh + 1, dtype=np.float32)[:, None]
    above_max = np.maximum.accumulate(ps, axis=0)
    above_max = np.vstack([np.zeros((1, gw), np.float32), above_max[:-1]])
    below_max = np.maximum.accumulate(ps[::-1], axis=0)[::-1]
    below_max = np.vstack([below_max[1:], np.zeros((1, gw), np.float32)])
    cw = np.cumsum(pw, axis=0)
    w_above = cw / rows
    w_below = (cw[-1:] - cw + pw) / np.maximum(gh - rows + 1.0, 1.0)
    # the skyline: per column, the last row where the sky is likely, smoothed across columns
    sky_rows = ps > 0.5
    has = sky_rows.any(axis=0)
    last = np.where(has, gh - 1 - np.argmax(sky_rows[::-1], axis=0), -1).astype(np.float32)
    line = float(np.median(last[has])) if has.any() else -1.0
    last = np.where(has, last, line)
    last = cv2.GaussianBlur(last[None, :].astype(np.float32), (0, 0), 3.0)[0]
    yy = np.arange(gh, dtype=np.float32)[:, None]
    y_rel = (yy - last[None, :]) / gh
    mirror_rows = np.clip(np.round(2 * last[None, :] - yy).astype(np.int64), 0, gh - 1)
    cols_idx = np.broadcast_to(np.arange(gw)[None, :], (gh, gw))
    below_line = yy > last[None, :]
    ps_m = np.where(below_line, ps[mirror_rows, cols_idx], -1.0)
    pw_m = np.where(below_line, pw[mirror_rows, cols_idx], -1.0)
    cols = [ps, pw, b3[..., 1], b3[..., 2], b8[..., 1], b8[..., 2],
            _shift_rows(ps, -d), _shift_rows(pw, -d), _shift_rows(ps, d), _shift_rows(pw, d),
            above_max, w_above, w_below, below_max,
            np.broadcast_to(ps.mean(axis=1, keepdims=True), (gh, gw)),
            np.broadcast_to(pw.mean(axis=1, keepdims=True), (gh, gw)),
            ps_m, pw_m, y_rel,
            np.full((gh, gw), ps.mean(), np.float32), np.full((gh, gw), pw.mean(), np.float32)]
    out = np.stack([np.asarray(c, np.float32) for c in cols], axis=2).reshape(gh * gw, len(CONTEXT_FEATURES))
    return np.ascontiguousarray(out)


def stage_probabilities(stages, base: np.ndarray, grid: tuple[int, int]) -> list[np.ndarray]:
    """Probabilities of every stage of ``stages`` (a sequence of Forest; the last one is the
    answer), each (gh * gw, 3) float32."""
    out = []
    x = base
    for i, forest in enumerate(stages):
        if i > 0:
            x = stage_inputs(base, out[-1], grid)
        out.append(forest.proba(x))
    return out


def stage_inputs(base: np.ndarray, prob: np.ndarray, grid: tuple[int, int]) -> np.ndarray:
    """Inputs of a later stage: the base features and the auto-context of the previous
    stage's probabilities. (Whole-photo features were tried here too: constant over a photo,
    they let the trees memorise training photos, and the validation figures got worse.)"""
    return np.concatenate([base, context_features(prob, grid)], axis=1)


KIND_FEATURES = (
    "sky_share", "water_share", "sky_top_share", "water_bottom_share", "p_sky_mean", "p_water_mean",
    "L_mean", "L_std", "L_p10", "L_p90", "chroma_mean", "green_share", "blue_share", "warm_share",
    "sky_L", "sky_b", "water_L", "water_b", "other_L", "other_std", "other_vert", "texture_mean",
    "grad_mean", "horizon_y", "horizon_strength", "water_std", "water_vert", "dark_share",
)


def kind_features(base: np.ndarray, prob: np.ndarray, grid: tuple[int, int]) -> np.ndarray:
    """Whole-photo features for the scene-kind classifier, shape (1, len(KIND_FEATURES))."""
    gh, gw = grid
    f = {n: base[:, i].reshape(gh, gw) for i, n in enumerate(BASE_FEATURES)}
    ps, pw = prob[:, 1].reshape(gh, gw), prob[:, 2].reshape(gh, gw)
    sky, water = ps > 0.5, pw > 0.5
    other = ~(sky | water)
    L, a, b = f["L"], f["a"], f["b"]

    def mean_in(x, m, default):
        return float(x[m].mean()) if m.any() else default

    top, bottom = slice(0, max(1, gh // 3)), slice(gh - max(1, gh // 3), gh)
    vals = [sky.mean(), water.mean(), sky[top].mean(), water[bottom].mean(), ps.mean(), pw.mean(),
            L.mean(), L.std(), np.percentile(L, 10), np.percentile(L, 90), f["chroma"].mean(),
            ((a < -8) & (b > 5)).mean(), (b < -10).mean(), ((a > 8) & (b > 15)).mean(),
            mean_in(L, sky, -1.0), mean_in(b, sky, -100.0), mean_in(L, water, -1.0), mean_in(b, water, -100.0),
            mean_in(L, other, -1.0), mean_in(f["std_mid"], other, -1.0), mean_in(f["vert_fine"], other, -1.0),
            f["std_mid"].mean(), f["grad_fine"].mean(), float(f["y"][0, 0] - f["y_rel_horizon"][0, 0]),
            float(f["horizon_strength"][0, 0]), mean_in(f["std_mid"], water, -1.0),
            mean_in(f["vert_fine"], water, -1.0), (L < 20).mean()]
    return np.asarray(vals, np.float32)[None, :]


# ----------------------------------------------------------------------------- decision


@dataclass(frozen=True)
class Segmentation:
    """Result of :func:`segment` at the input's size.

    sky, water : (H, W) float32 soft alphas in [0, 1].
    prob : (gh, gw, 3) float32 class probabilities on the grid (other, sky, water).
    kind : the most likely scene kind; kind_confidence its probability; kind_probs all of them.
    """

    sky: np.ndarray
    water: np.ndarray
    prob: np.ndarray
    kind: str
    kind_confidence: float
    kind_probs: dict


def decide(prob: np.ndarray, grid: tuple[int, int], sky_threshold: float, water_threshold: float,
           *, sky_grow: float | None = None, water_grow: float | None = None,
           min_share: float = 0.002) -> tuple[np.ndarray, np.ndarray]:
    """Boolean sky and water decisions on the grid from calibrated thresholds.

    A class is kept where its probability passes its threshold and beats the other class;
    with a ``*_grow`` threshold, the region also takes every cell connected to such a cell
    whose probability passes the lower one (hysteresis: a photo needs confident cells to get
    any, and the region's uncertain rim comes with them). Connected parts smaller than
    ``min_share`` of the grid are dropped.
    """
    gh, gw = grid
    p = prob.reshape(gh, gw, 3)
    min_cells = max(2, int(round(min_share * gh * gw)))
    sky = _hysteresis(p[..., 1], p[..., 1] >= p[..., 2], sky_threshold, sky_grow)
    water = _hysteresis(p[..., 2], p[..., 2] > p[..., 1], water_threshold, water_grow)
    return _drop_small(sky, min_cells), _drop_small(water, min_cells)


def _hysteresis(p: np.ndarray, wins: np.ndarray, high: float, low: float | None) -> np.ndarray:
    core = wins & (p >= high)
    if low is None or low >= high or not core.any():
        return core
    region = wins & (p >= low)
    n, lab = cv2.connectedComponents(region.astype(np.uint8), connectivity=8)
    keep = np.zeros(n, bool)
    keep[np.unique(lab[core])] = True
    keep[0] = False
    return keep[lab]


def _drop_small(m: np.ndarray, min_cells: int) -> np.ndarray:
    if not m.any():
        return m
    n, lab, st, _ = cv2.connectedComponentsWithStats(m.astype(np.uint8), connectivity=8)
    keep = st[:, cv2.CC_STAT_AREA] >= min_cells
    keep[0] = False
    return keep[lab]


def _matte(decision: np.ndarray, grey_grid: np.ndarray, grey_full: np.ndarray) -> np.ndarray:
    if not decision.any():
        return np.zeros(grey_full.shape, np.float32)
    alpha = cv2.GaussianBlur(decision.astype(np.float32), (0, 0), 0.6)
    return guided_upsample(alpha, grey_grid, grey_full, radius=2, eps=2e-3)


def colour_gate(image: np.ndarray, decision: np.ndarray, *, sigma_cells: float = 2.0) -> np.ndarray:
    """Per-pixel agreement in [0, 1] with the region's local colour (full resolution).

    The region's colour near every pixel is a normalised blur of the grid cells decided for
    it; a pixel whose Lab colour is far from it (a mast, a wire, a branch thinner than a cell)
    gets 0. The tolerance grows with the region's local colour spread, so clouds in a blue
    sky pass.
    """
    h, w = image.shape[:2]
    gh, gw = decision.shape
    small = cv2.resize(image, (gw, gh), interpolation=cv2.INTER_AREA).astype(np.float32) * (1.0 / 255.0)
    lab_g = cv2.cvtColor(small, cv2.COLOR_RGB2Lab)
    m = decision.astype(np.float32)
    wsum = cv2.GaussianBlur(m, (0, 0), sigma_cells) + 1e-6
    mean = cv2.GaussianBlur(lab_g * m[..., None], (0, 0), sigma_cells) / wsum[..., None]
    sq = cv2.GaussianBlur((lab_g ** 2) * m[..., None], (0, 0), sigma_cells) / wsum[..., None]
    spread = np.sqrt(np.maximum(sq - mean ** 2, 0.0).sum(axis=2))
    ref = cv2.resize(np.dstack([mean, spread]), (w, h), interpolation=cv2.INTER_LINEAR)
    lab = cv2.cvtColor(image.astype(np.float32) * (1.0 / 255.0), cv2.COLOR_RGB2Lab)
    d = np.sqrt(((lab - ref[..., :3]) ** 2).sum(axis=2))
    tol = 14.0 + 1.5 * ref[..., 3]
    return np.clip((tol + 8.0 - d) / 8.0, 0.0, 1.0).astype(np.float32)


def segment(image: np.ndarray, *, model: SegmenterModel | None = None) -> Segmentation:
    """Sky and water alphas and the scene kind of a photo.

    Parameters
    ----------
    image : ndarray, shape (H, W, 3), uint8 RGB (the working photo).
    model : a model (default: the shipped one, :func:`load_model`).

    Returns
    -------
    Segmentation

    Examples
    --------
    >>> from cinemagraph.testing import seascape
    >>> seg = segment(seascape(width=320, height=180).image)
    >>> seg.sky.shape, seg.sky.dtype, seg.kind in KINDS
    ((180, 320), dtype('float32'), True)
    """
    model = model or load_model()
    image = np.asarray(image)
    base, grid = grid_features(image)
    prob = stage_probabilities(model.stages, base, grid)[-1]
    sky_d, water_d = decide(prob, grid, model.sky_threshold, model.water_threshold,
                            sky_grow=model.sky_grow, water_grow=model.water_grow)
    gh, gw = grid
    grey_full = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY).astype(np.float32) * (1.0 / 255.0)
    grey_grid = cv2.resize(grey_full, (gw, gh), interpolation=cv2.INTER_AREA)
    sky = _matte(sky_d, grey_grid, grey_full)
    if sky_d.any():
        sky = sky * colour_gate(image, sky_d)
    water = _matte(water_d, grey_grid, grey_full)
    water = np.minimum(water, 1.0 - sky)
    kind, conf, kp = "open", 0.0, {}
    if model.kind is not None:
        pk = model.kind.proba(kind_features(base, prob, grid))[0]
        kp = {k: round(float(v), 4) for k, v in zip(KINDS, pk)}
        j = int(np.argmax(pk))
        kind, conf = KINDS[j], float(pk[j])
    return Segmentation(sky=sky.astype(np.float32), water=water.astype(np.float32),
                        prob=prob.reshape(gh, gw, 3), kind=kind, kind_confidence=conf, kind_probs=kp)
