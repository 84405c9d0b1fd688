"""Sky segmentation: a soft alpha matte of the sky.

The method (details and measured figures in ``docs/analysis.md``):

1. **Cues** at a small working size (long side 320 px): CIELAB colour, gradient energy of the
   lightness (texture), position.
2. **Seeds**: smooth regions that touch the top of the frame. Each is scored as a whole:
   blue sky (b* clearly negative), bright neutral sky (overcast, haze: among the brightest
   things in the photo and far brighter than the ground), dusk/sunset gradients and dark night
   skies. Warm, dull or narrow regions (ceilings, walls, blue walls seen through a gap) are
   rejected, and so are regions crossed by creases (straight step edges: a ceiling meeting a
   wall) or holding rectangular holes (pictures, windows): when unsure, do not animate. A
   bright patch enclosed by a leafy canopy seeds the sky of a tree tunnel; without any open
   sky, a blue region with the gradients of a daylight sky is taken as sky seen through a
   window.
3. **Colour model**: histograms of the seed colours against confident non-sky colours give a
   per-pixel sky posterior; smooth-enough pixels above the per-column sky/ground boundary
   with a high posterior join the sky (clouds, sky under arches and between branches).
4. **Boundary**: a per-column sky/ground boundary by dynamic programming
   (:mod:`cinemagraph.analysis.skyline`); sky-coloured pixels above it join the sky.
5. **Matte**: the binary decision is softened and brought back to full resolution with a
   guided filter whose guide is the full-resolution photo, then gated per pixel by colour
   (local sky colour, interpolated colour model, clouds), so thin structures (branches,
   wires, masts) stay out; sky through foliage is decided per full-resolution pixel.
"""

from __future__ import annotations

import cv2
import numpy as np
from scipy import ndimage as ndi

from cinemagraph.analysis.masks import as_float_rgb, guided_upsample, resize_long_side
from cinemagraph.analysis.skyline import column_boundary

__all__ = ["sky_alpha", "sky_cues"]

WORK_LONG_SIDE = 320
#: texture (mean |grad L*| per working pixel) below which a pixel is "smooth" for seeding
SEED_TEXTURE = 1.6
#: looser texture limit for pixels that join through the colour model (cloud edges)
GROW_TEXTURE = 3.5


def sky_cues(rgb: np.ndarray) -> dict[str, np.ndarray]:
    """Per-pixel cues of a float32 RGB image: ``L``, ``a``, ``b`` (CIELAB) and ``tex``.

    ``tex`` is the local mean of the lightness gradient magnitude (L* units per pixel).
    """
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2Lab)
    L, a, b = lab[..., 0].copy(), lab[..., 1].copy(), lab[..., 2].copy()
    Ls = cv2.GaussianBlur(L, (0, 0), 0.8)
    gx = cv2.Sobel(Ls, cv2.CV_32F, 1, 0, ksize=3) / 8.0
    gy = cv2.Sobel(Ls, cv2.CV_32F, 0, 1, ksize=3) / 8.0
    grad = np.sqrt(gx * gx + gy * gy)
    tex = cv2.blur(grad, (5, 5))
    fine = cv2.blur(grad, (3, 3))
    return {"L": L, "a": a, "b": b, "tex": tex, "fine": fine, "grad": grad}


def _region_stats(m: np.ndarray, c: dict, h: int, w: int) -> dict:
    L, a, b = c["L"][m], c["a"][m], c["b"][m]
    ys = np.nonzero(m)[0]
    return {
        "area": m.sum() / float(h * w),
        "L": float(L.mean()), "a": float(a.mean()), "b": float(b.mean()),
        "Lstd": float(L.std()),
        "tex": float(c["tex"][m].mean()),
        "topw": float(m[0].sum() / w) if m[0].any() else float(m[: max(1, h // 30)].any(axis=0).sum() / w),
        "cy": float(ys.mean() / h),
        "L_below": _below_lightness(m, c["L"]),
        "b_drop": _elevation_drop(m, ys, c["b"]),
    }


def _elevation_drop(m: np.ndarray, ys: np.ndarray, b: np.ndarray) -> float:
    """b* of the region's upper third minus b* of its lower third (< 0: bluer higher up).

    A clear or hazy sky is bluest overhead and paler toward the horizon.
    """
    if ys.size < 30:
        return 0.0
    lo, hi = np.percentile(ys, (33, 67))
    rows = np.arange(m.shape[0])[:, None]
    up, dn = m & (rows <= lo), m & (rows >= hi)
    if up.sum() < 10 or dn.sum() < 10:
        return 0.0
    return float(np.median(b[up]) - np.median(b[dn]))


def _top_coherent(m: np.ndarray, c: dict, top_rows: int, *, max_de: float = 10.0) -> np.ndarray | None:
    """The part of region ``m`` connected to the top whose colour is close to the top's colour.

    Returns None when that part is (almost) the whole region.
    """
    top = m.copy()
    top[max(top_rows, m.shape[0] // 10):] = False
    if top.sum() < 10:
        return None
    L0, a0, b0 = (float(np.median(c[k][top])) for k in ("L", "a", "b"))
    de = np.sqrt(0.25 * (c["L"] - L0) ** 2 + (c["a"] - a0) ** 2 + (c["b"] - b0) ** 2)
    near = m & (de < max_de)
    n, lab = cv2.connectedComponents(near.astype(np.uint8), connectivity=4)
    keep = np.unique(lab[:top_rows + 1][near[:top_rows + 1]])
    part = np.isin(lab, keep[keep > 0])
    if part.sum() > 0.8 * m.sum():
        return None
    return part


def _below_lightness(m: np.ndarray, L: np.ndarray) -> float:
    """Median lightness of the band just below a region (what the region stands on)."""
    h = m.shape[0]
    band = max(2, h // 12)
    grown = cv2.dilate(m.astype(np.uint8), np.ones((2 * band + 1, 1), np.uint8), anchor=(0, 2 * band)) > 0
    under = grown & ~m
    under[: max(1, h // 30)] = False
    return float(np.median(L[under])) if under.sum() > 10 else 0.0


def _framed_holes(m: np.ndarray) -> float:
    """Area (frame fraction) of the rectangular holes of region ``m``.

    Clouds, birds and tree tops in a sky leave irregular holes; pictures, posters and
    windows on a wall leave rectangles (filling at least 85 % of their rotated bounding box).
    """
    h, w = m.shape
    holes = ndi.binary_fill_holes(m) & ~m
    if not holes.any():
        return 0.0
    n, lab, st, _ = cv2.connectedComponentsWithStats(holes.astype(np.uint8), connectivity=4)
    total = 0
    for i in range(1, n):
        area = int(st[i, cv2.CC_STAT_AREA])
        if area < 0.001 * h * w:
            continue
        x, y, ww, hh = st[i, :4]
        sub = (lab[y:y + hh, x:x + ww] == i).astype(np.uint8)
        contours, _ = cv2.findContours(sub, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        (_, _), (rw, rh), _ = cv2.minAreaRect(max(contours, key=cv2.contourArea))
        if area > 0.85 * rw * rh:
            total += area
    return total / float(h * w)


def _through_foliage(m: np.ndarray, s: dict, c: dict) -> bool:
    """A bright, neutral or bluish patch at the top enclosed by a leafy canopy (tree tunnel).

    Too small, too bright and too broken up by leaves to pass as open sky, but a canopy does
    not enclose lamps, blown-out windows or white ceilings: at least 35 % of the ring around
    the patch must be vegetation (textured and green, or textured and dark).
    """
    if not (s["L"] > 90 and np.hypot(s["a"], s["b"]) < 12 and s["b"] < 6):
        return False
    ring = (cv2.dilate(m.astype(np.uint8), np.ones((9, 9), np.uint8)) > 0) & ~m
    if ring.sum() < 20:
        return False
    L, a, b, tex = c["L"], c["a"], c["b"], c["tex"]
    veg = (tex > SEED_TEXTURE) & (((a < -4) & (b > 4)) | (L < 30))
    return float(veg[ring].mean()) > 0.35


def _score_region(s: dict, g: dict) -> float:
    """Sky score of a smooth region touching the top, in [0, 1] (>= 0.5 = accept).

    ``s`` holds the region's statistics, ``g`` the photo's. Neutral and warm regions need
    more evidence than blue ones, and lose it when straight lines bound them (walls,
    ceilings, window frames).
    """
    L, a, b = s["L"], s["a"], s["b"]
    chroma = float(np.hypot(a, b))
    lrest = L - g["L_rest_med"]
    # what the region stands on: a ceiling stands on walls about as bright as itself
    on_dark = min(1.0, max(0.0, (L - s["L_below"] - 8.0) / 10.0))
    straight = s["straight"]
    top_bright = L >= g["L_p95"] - 8
    score = 0.0
    # blue sky: clearly negative b*, not too dark, hue not purple or green
    if b < -5 and L > 30 and -15 < a < 10:
        blue = min(1.0, (-b - 5) / 10.0)
        score = max(score, 0.5 + 0.4 * blue)
        if s["topw"] < 0.25 and b > -20:
            score -= 0.3  # narrow blue patch: more likely a wall or an object
        score -= 0.6 * max(0.0, straight - 0.35)
    # bright neutral sky (overcast, haze, blown): among the brightest things, far above the
    # ground, very smooth and wide; straight non-horizontal borders and warmth count against
    if chroma < 14 and b < 8 and L > 75 and top_bright:
        e_bright = min(1.0, max(0.0, (L - 80) / 10.0))
        e_far = min(1.0, max(0.0, (lrest - 25) / 20.0))
        e_smooth = min(1.0, max(0.0, (0.45 - s["tex"]) / 0.25))
        e_wide = min(1.0, s["topw"] / 0.6)
        warm_pen = max(0.0, b - 5) / 10.0
        ev = ((0.3 * e_bright + 0.25 * e_far + 0.25 * e_smooth + 0.2 * e_wide) * on_dark
              - 1.0 * straight - warm_pen)
        score = max(score, ev - 0.1)
    # grey or pale overcast sky: neutral, smooth, wide and well above the ground
    if (-8 <= b < 3 and chroma < 10 and L > 60 and lrest > 20 and s["topw"] > 0.5
            and s["tex"] < 0.3 and (straight < 0.12 or (straight < 0.4 and L - s["L_below"] > 25))):
        score = max(score, 0.75 * (1.0 - straight))
    # hazy sky: pale, smooth, wide, well above the ground and bluer overhead than lower down
    if (chroma < 12 and b < -2 and L > 55 and lrest > 15 and s["topw"] > 0.8 and s["tex"] < 0.5
            and s["Lstd"] < 5 and straight < 0.15 and s["b_drop"] < -4):
        score = max(score, 0.6 + 0.2 * min(1.0, (-s["b_drop"] - 4) / 6))
    # uniform bright haze: very even, spanning the top, standing on much darker ground
    if (chroma < 8 and 80 < L < 98 and s["Lstd"] < 3 and s["tex"] < 0.25 and s["topw"] > 0.8
            and L - s["L_below"] > 25 and lrest > 30 and straight < 0.7):
        score = max(score, 0.6)
    # dusk / sunset: warm but very smooth, wide and the brightest band of the photo
    if g["dusk"] and s["topw"] > 0.7 and s["tex"] < 0.6 and lrest > 30 and top_bright:
        score = max(score, 0.7 * (1.0 - 1.3 * straight))
    # dusk / blue hour: deep blue, wide, smooth and unbroken by straight edges
    if b < -10 and 10 < L <= 30 and s["topw"] > 0.6 and s["tex"] < 0.8:
        score = max(score, 0.8 * (1.0 - straight))
    # night: dark, smooth, wide, neutral or blue sky over a dark photo
    if g["night"] and L < 35 and b < 2 and s["topw"] > 0.6 and s["tex"] < 0.6:
        score = max(score, 0.7 * (1.0 - 1.3 * straight))
    # a large sky always shows a brightness gradient with elevation; a perfectly even
    # large region is a painted wall or a backdrop
    if s["area"] > 0.1 and s["Lstd"] < 1.5 and L < 97:
        score = min(score, 0.3)
    # straight step edges through the region: a ceiling meeting a wall, two walls meeting
    score -= 2.0 * s.get("creases", 0.0)
    # rectangles hanging in it (pictures, posters, windows): a wall
    if s.get("framed", 0.0) > 0.01:
        score = min(score, 0.3)
    if b > 12 and not g["dusk"]:
        score = 0.0
    # clipped, perfectly flat patches have nothing to animate and are often windows or lamps
    if L > 98.5 and s["Lstd"] < 0.5 and s["topw"] < 0.5:
        score = min(score, 0.3)
    return score


def _line_segments(small: np.ndarray) -> np.ndarray:
    """Long straight, non-horizontal edge segments, shape (n, 4) as ``x0, y0, x1, y1``.

    Near-horizontal lines are left out: a straight horizon is typical of sky, not of rooms.
    """
    h, w = small.shape[:2]
    grey = (cv2.cvtColor(small, cv2.COLOR_RGB2GRAY) * 255).astype(np.uint8)
    edges = cv2.Canny(grey, 40, 120)
    lines = cv2.HoughLinesP(edges, 1, np.pi / 180, 25, minLineLength=int(0.08 * max(h, w)), maxLineGap=3)
    if lines is None:
        return np.zeros((0, 4), np.int64)
    seg = lines[:, 0].astype(np.int64)
    keep = np.abs(seg[:, 3] - seg[:, 1]) >= 0.2 * np.abs(seg[:, 2] - seg[:, 0])
    return seg[keep]


def _straight_lines(small: np.ndarray, segments: np.ndarray | None = None) -> np.ndarray:
    """Mask of long straight, non-horizontal edges (wall corners, ceilings, window frames)."""
    h, w = small.shape[:2]
    out = np.zeros((h, w), np.uint8)
    for x0, y0, x1, y1 in (_line_segments(small) if segments is None else segments):
        cv2.line(out, (int(x0), int(y0)), (int(x1), int(y1)), 1, 3)
    return out > 0


def _creases(m: np.ndarray, L: np.ndarray, segments: np.ndarray, *, step: float = 3.0) -> float:
    """Length (in image widths) of straight step edges running *through* region ``m``.

    Where a ceiling meets a wall, or two walls meet, a smooth region carries a long straight
    line with different lightness on its two sides. A wire or a contrail crossing a sky is a
    thin line with the same sky on both sides (no step), and a horizon bounds the sky rather
    than crossing it.
    """
    h, w = m.shape
    inner = cv2.erode(m.astype(np.uint8), np.ones((7, 7), np.uint8)) > 0
    total = 0.0
    for x0, y0, x1, y1 in segments:
        n = max(2, int(np.hypot(x1 - x0, y1 - y0)))
        t = np.linspace(0.0, 1.0, n)
        xs, ys = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
        nx, ny = -(y1 - y0) / float(n), (x1 - x0) / float(n)
        xi, yi = np.clip(np.round(xs).astype(int), 0, w - 1), np.clip(np.round(ys).astype(int), 0, h - 1)
        if inner[yi, xi].mean() < 0.8:
            continue
        pa = (np.clip(np.round(ys + 3 * ny).astype(int), 0, h - 1), np.clip(np.round(xs + 3 * nx).astype(int), 0, w - 1))
        pb = (np.clip(np.round(ys - 3 * ny).astype(int), 0, h - 1), np.clip(np.round(xs - 3 * nx).astype(int), 0, w - 1))
        if abs(float(np.median(L[pa] - L[pb]))) > step:
            total += n / float(w)
    return total


def _straightness(m: np.ndarray, lines: np.ndarray) -> float:
    """Share of a region's inner boundary (image border excluded) lying on long straight edges."""
    ring = (cv2.dilate(m.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0) & ~m
    ring[:2], ring[-2:], ring[:, :2], ring[:, -2:] = False, False, False, False
    n = int(ring.sum())
    if n < 20:
        return 0.0
    return float((ring & lines).sum() / n)


_BINS = (8, 12, 12)


def _colour_bins(L: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    Lq = np.clip((L / 100.0 * _BINS[0]).astype(np.int32), 0, _BINS[0] - 1)
    aq = np.clip(((a + 48) / 96.0 * _BINS[1]).astype(np.int32), 0, _BINS[1] - 1)
    bq = np.clip(((b + 60) / 120.0 * _BINS[2]).astype(np.int32), 0, _BINS[2] - 1)
    return (Lq * _BINS[1] + aq) * _BINS[2] + bq


def _colour_model(c: dict, sky: np.ndarray, nonsky: np.ndarray) -> np.ndarray:
    """Posterior P(sky | colour bin) from histograms of sky and non-sky pixels."""
    idx = _colour_bins(c["L"], c["a"], c["b"])
    n = _BINS[0] * _BINS[1] * _BINS[2]
    hs = np.bincount(idx[sky], minlength=n).astype(np.float32)
    hn = np.bincount(idx[nonsky], minlength=n).astype(np.float32)
    ps = (hs + 0.1) / (hs.sum() + 0.1 * n)
    pn = (hn + 0.1) / (hn.sum() + 0.1 * n)
    return (ps / (ps + pn)).astype(np.float32)


def sky_mask_small(small: np.ndarray, *, debug: dict | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """Binary sky decision at working size, and the colour model (None without sky).

    small : (h, w, 3) float32 RGB.
    debug : optional dict that receives intermediate masks (seeds, posterior, joinable pixels)
        for inspection.
    """
    h, w = small.shape[:2]
    c = sky_cues(small)
    L, a, b, tex = c["L"], c["a"], c["b"], c["tex"]
    L_p95 = float(np.percentile(L, 95))
    L_med = float(np.median(L))
    night = L_med < 22 and float(np.percentile(L, 99)) > 40
    cand = (tex < SEED_TEXTURE) & ((L > 25) | night | ((b < -8) & (L > 8)))
    cand = cv2.morphologyEx(cand.astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    n, lab, stats, _ = cv2.connectedComponentsWithStats(cand, connectivity=4)
    top_rows = max(1, int(0.03 * h))
    seeds = np.zeros((h, w), bool)
    rest = cand == 0
    L_rest_med = float(np.median(L[rest])) if rest.any() else L_med
    upper = L[: h // 3]
    dusk = bool(np.median(b[: h // 4]) > 8 and np.median(a[: h // 4]) > 3
                and float(np.median(upper)) > L_rest_med + 25)
    segments = _line_segments(small)
    lines = _straight_lines(small, segments)
    g = {"L_p95": L_p95, "L_med": L_med, "L_rest_med": L_rest_med, "night": night, "dusk": dusk}
    for i in range(1, n):
        x, y, ww, hh, area = stats[i]
        if y > top_rows or area < 0.004 * h * w:
            continue
        m = lab == i
        s = _region_stats(m, c, h, w)
        s["straight"] = _straightness(m, lines)
        s["creases"] = _creases(m, L, segments)
        s["framed"] = _framed_holes(m)
        if _score_region(s, g) >= 0.5 or _through_foliage(m, s, c):
            seeds |= m
            continue
        # a smooth region may run from the sky into smooth ground of another colour (haze
        # over sand or snow): score the part whose colour matches the region's top
        part = _top_coherent(m, c, top_rows)
        if part is not None and part.sum() >= 0.004 * h * w and part[0].mean() > 0.5:
            s = _region_stats(part, c, h, w)
            s["straight"] = _straightness(part, lines)
            s["creases"] = _creases(part, L, segments)
            s["framed"] = _framed_holes(part)
            if _score_region(s, g) >= 0.5:
                seeds |= part
    if debug is not None:
        debug["seeds"] = seeds.copy()
    if seeds.sum() < 0.004 * h * w:
        # no open sky: sky may still be seen through an opening (a window, a gap in a wall)
        return _opening_sky(c, lines)

    rows = np.arange(h)[:, None]
    spread = max(3, w // 12)

    def boundary(mask: np.ndarray) -> np.ndarray:
        # per-column sky/ground boundary: lowest sky row, spread to neighbouring columns
        has = mask.any(axis=0)
        low = np.where(has, h - 1 - np.argmax(mask[::-1], axis=0), -1).astype(np.float32)
        return ndi.maximum_filter1d(low, size=2 * spread + 1, mode="nearest")

    low = boundary(seeds)
    above = rows <= (low[None, :] + 0.02 * h)
    seed_d = cv2.dilate(seeds.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    chroma = np.hypot(a, b)
    sky_L = float(np.median(L[seeds]))
    # textured pixels above the boundary are non-sky evidence, except cloud-coloured ones
    cloud_col = (L > max(50.0, sky_L - 20.0)) & (chroma < 16) & (b < 6)
    nonsky = (~seed_d) & (((tex > SEED_TEXTURE) & ~cloud_col) | ~above)
    model = _colour_model(c, seeds, nonsky)
    post = model[_colour_bins(L, a, b)]
    not_line = cv2.dilate(lines.astype(np.uint8), np.ones((3, 3), np.uint8)) == 0
    # sky-coloured smooth pixels, and clouds: bright, neutral, soft-edged, not on straight edges
    joinable = (post > 0.6) & (c["fine"] < GROW_TEXTURE)
    if float(np.median(b[seeds])) < -8:
        # clouds in a blue sky: white to blue-grey, shaded parts well below the sky's lightness
        # (shaded cumulus takes the sky's blue: allowed more chroma when bluish)
        cloud = ((L > max(55.0, sky_L - 25.0)) & (b < 6) & (a < 6)
                 & ((chroma < 22) | ((b < 0) & (np.abs(a) < 8) & (chroma < 32))))
    else:
        # grey skies: only clouds as bright as the sky (grey sea and roads are not clouds)
        cloud = (L > max(60.0, sky_L - 15.0)) & (chroma < 14) & (b < 6)
    joinable |= cloud & (c["fine"] < 2 * GROW_TEXTURE) & not_line
    if debug is not None:
        debug.update(post=post, joinable=joinable.copy())
    sky = seeds
    for _ in range(4):
        # grow in passes: the boundary may move down a little each pass
        grow = (joinable & (rows <= (low[None, :] + 0.06 * h))) | seeds
        n2, lab2 = cv2.connectedComponents(grow.astype(np.uint8), connectivity=8)
        touch = np.zeros(n2, bool)
        touch[np.unique(lab2[seeds])] = True
        touch[0] = False
        new_sky = touch[lab2]
        if new_sky.sum() <= sky.sum():
            break
        sky = new_sky
        low = boundary(sky)
    horizon = int(low.max())
    pocket = (~sky) & (rows <= horizon) & (post > 0.8) & (c["fine"] < GROW_TEXTURE)
    if pocket.any():
        n3, lab3, st3, _ = cv2.connectedComponentsWithStats(pocket.astype(np.uint8), connectivity=8)
        ok = st3[:, cv2.CC_STAT_AREA] >= 0.0005 * h * w
        ok[0] = False
        sky |= ok[lab3]
    # clouds and sky left out by the growth (shaded, textured cumulus; sky between girders):
    # sky-coloured or cloud-coloured patches above the column's lowest sky pixel that touch
    # the sky, soft inside and free of straight edges
    sky |= _cloud_pockets(sky, c, post, not_line, sky_L)
    sky |= _zone_fill(sky, c, post, not_line, cloud)
    if debug is not None:
        debug["extra1"] = sky.copy()
    # holes enclosed by sky: clouds, birds, aircraft
    filled = ndi.binary_fill_holes(sky)
    holes = filled & ~sky
    if holes.any():
        n4, lab4, st4, _ = cv2.connectedComponentsWithStats(holes.astype(np.uint8), connectivity=4)
        small_hole = st4[:, cv2.CC_STAT_AREA] < 0.003 * h * w
        mean_post = ndi.mean(post, lab4, index=np.arange(n4))
        ok = small_hole | (np.asarray(mean_post) > 0.4)
        ok[0] = False
        sky |= ok[lab4]
    final_model = _colour_model(c, sky, ~(cv2.dilate(sky.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0))
    return sky, final_model


def _opening_sky(c: dict, lines: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """Sky seen through an opening (a window, a door, a gap in a wall), when there is no
    open sky touching the top of the frame.

    Only strong evidence counts: a smooth, clearly blue region in the upper part of the frame
    that shows the two gradients of a daylight sky at once: bluer higher up *and* brighter
    lower down (toward the horizon). A blue wall, a backdrop or a blue object is evenly
    coloured, or lit from above (brighter higher up). The sky grows only inside the opening's
    bounding box, through its own colour model.
    """
    h, w = c["L"].shape
    L, a, b, tex = c["L"], c["a"], c["b"], c["tex"]
    cand = (tex < SEED_TEXTURE) & (L > 45) & (b < -4) & (a > -10) & (a < 16)
    cand = cv2.morphologyEx(cand.astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    n, lab, st, _ = cv2.connectedComponentsWithStats(cand, connectivity=4)
    rows = np.arange(h)[:, None]
    seeds = np.zeros((h, w), bool)
    for i in range(1, n):
        x, y, ww, hh, area = st[i]
        if area < 0.006 * h * w or y > 0.6 * h or hh < 0.06 * h:
            continue
        m = lab == i
        ys = np.nonzero(m)[0]
        lo, hi = np.percentile(ys, (33, 67))
        up, dn = m & (rows <= lo), m & (rows >= hi)
        if up.sum() < 10 or dn.sum() < 10:
            continue
        b_drop = float(np.median(b[up]) - np.median(b[dn]))
        L_drop = float(np.median(L[up]) - np.median(L[dn]))
        mb, Ls = float(b[m].mean()), float(L[m].std())
        if (b_drop < -3.0 and L_drop <= 0.5 and mb < -6 and Ls > 1.5 and float(tex[m].mean()) < 0.8
                and _straightness(m, lines) < 0.5):
            seeds |= m
    if seeds.sum() < 0.006 * h * w:
        return np.zeros((h, w), bool), None
    nonsky = ~(cv2.dilate(seeds.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0)
    model = _colour_model(c, seeds, nonsky)
    post = model[_colour_bins(L, a, b)]
    ys, xs = np.nonzero(seeds)
    pad = max(2, h // 40)
    box = np.zeros((h, w), bool)
    box[max(0, ys.min() - pad):ys.max() + pad + 1, max(0, xs.min() - pad):xs.max() + pad + 1] = True
    grow = ((post > 0.6) & (c["fine"] < GROW_TEXTURE) & box) | seeds
    n2, lab2 = cv2.connectedComponents(grow.astype(np.uint8), connectivity=8)
    touch = np.zeros(n2, bool)
    touch[np.unique(lab2[seeds])] = True
    touch[0] = False
    sky = touch[lab2]
    filled = ndi.binary_fill_holes(sky)
    holes = filled & ~sky
    if holes.any():
        n4, lab4, st4, _ = cv2.connectedComponentsWithStats(holes.astype(np.uint8), connectivity=4)
        ok = st4[:, cv2.CC_STAT_AREA] < 0.002 * h * w
        ok[0] = False
        sky |= ok[lab4]
    model = _colour_model(c, sky, ~(cv2.dilate(sky.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0))
    return sky, model


def _cloud_pockets(sky: np.ndarray, c: dict, post: np.ndarray, not_line: np.ndarray,
                   sky_L: float) -> np.ndarray:
    """Pixels to add to ``sky``: cloud- or sky-coloured patches hanging in the sky."""
    h, w = sky.shape
    L, a, b, fine = c["L"], c["a"], c["b"], c["fine"]
    has = sky.any(axis=0)
    if not has.any():
        return np.zeros_like(sky)
    low = np.where(has, h - 1 - np.argmax(sky[::-1], axis=0), -1).astype(np.float32)
    low = ndi.maximum_filter1d(low, size=3, mode="nearest")
    rows = np.arange(h)[:, None]
    chroma = np.hypot(a, b)
    cloudish = (chroma < 16) & (b < 10) & (L > min(45.0, sky_L - 10.0)) & (fine < 3 * GROW_TEXTURE)
    skyish = ((post > 0.5) & (fine < 2 * GROW_TEXTURE)) | cloudish
    cand = (~sky) & skyish & not_line & (rows <= low[None, :])
    if not cand.any():
        return np.zeros_like(sky)
    n, lab, st, _ = cv2.connectedComponentsWithStats(cand.astype(np.uint8), connectivity=8)
    ring = cv2.dilate(sky.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    touch = np.zeros(n, bool)
    touch[np.unique(lab[ring & cand])] = True
    mean_fine = np.asarray(ndi.mean(fine, lab, index=np.arange(n)))
    ok = touch & (st[:, cv2.CC_STAT_AREA] >= 4) & (mean_fine < 2 * GROW_TEXTURE)
    ok[0] = False
    return ok[lab]


def _zone_fill(sky: np.ndarray, c: dict, post: np.ndarray, not_line: np.ndarray,
               cloud: np.ndarray) -> np.ndarray:
    """Pixels to add to ``sky``: sky- or cloud-coloured pixels above the sky/ground boundary.

    The boundary is found per column by dynamic programming (:func:`column_boundary`) on a
    score that is positive on sky and sky-coloured smooth pixels and negative on textured,
    ground-coloured pixels and straight edges. Above it, sky seen under arches, between
    girders and between buildings joins the sky without having to touch it.
    """
    h, w = sky.shape
    fine = c["fine"]
    s = np.clip(2.0 * post - 1.0, -1.0, 1.0)
    s = np.where(fine > GROW_TEXTURE, np.minimum(s, -0.5), s)
    # clouds connected to the sky count for it (shaded, textured cumulus down to the horizon)
    cl = ((cloud & not_line & (fine < 2 * GROW_TEXTURE)) | sky).astype(np.uint8)
    n0, lab0 = cv2.connectedComponents(cl, connectivity=8)
    touch0 = np.zeros(n0, bool)
    touch0[np.unique(lab0[sky])] = True
    touch0[0] = False
    s = np.where(touch0[lab0], np.maximum(s, 0.5), s)
    s = np.where(not_line, s, -1.0)
    s[sky] = 1.0
    b = column_boundary(s, smooth=1.0, max_jump_cost=0.25 * h)
    zone = np.arange(h)[:, None] < b[None, :]
    cand = zone & ~sky & not_line & (((post > 0.45) & (fine < GROW_TEXTURE))
                                     | (cloud & (fine < 2 * GROW_TEXTURE)))
    if not cand.any():
        return cand
    n, lab, st, _ = cv2.connectedComponentsWithStats(cand.astype(np.uint8), connectivity=8)
    mean_post = np.asarray(ndi.mean(post, lab, index=np.arange(n)))
    mean_cloud = np.asarray(ndi.mean(cloud, lab, index=np.arange(n)))
    # cloud-coloured patches must touch the sky (white walls, boats and bedding do not float
    # in it); sky-coloured ones may stand alone (sky under an arch)
    ring = cv2.dilate(sky.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    touch = np.zeros(n, bool)
    touch[np.unique(lab[ring & cand])] = True
    ok = (st[:, cv2.CC_STAT_AREA] >= 3) & ((mean_post > 0.45) | ((mean_cloud > 0.5) & touch))
    ok[0] = False
    return ok[lab]


def sky_alpha(image: np.ndarray, *, work_long_side: int = WORK_LONG_SIDE) -> np.ndarray:
    """Soft alpha of the sky.

    Parameters
    ----------
    image : ndarray, shape (H, W, 3), uint8 or float32 in [0, 1], RGB.
    work_long_side : the cues are computed at this long side; the matte is brought back to
        (H, W) with an edge-aware (guided) upsampling.

    Returns
    -------
    ndarray, shape (H, W), float32 in [0, 1]; 1 = sky.

    Examples
    --------
    >>> from cinemagraph.testing import seascape
    >>> alpha = sky_alpha(seascape(width=320, height=180).image)
    >>> alpha.shape, alpha.dtype
    ((180, 320), dtype('float32'))
    """
    rgb = as_float_rgb(image)
    small = resize_long_side(rgb, work_long_side)
    h, w = small.shape[:2]
    sky, model = sky_mask_small(small)
    if model is None or not sky.any():
        return np.zeros(rgb.shape[:2], np.float32)
    alpha_small = cv2.GaussianBlur(sky.astype(np.float32), (0, 0), 0.7)
    grey_small = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
    grey_full = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    r = max(2, int(round(4 * max(h, w) / 320)))
    alpha = guided_upsample(alpha_small, grey_small, grey_full, radius=r, eps=2e-3)
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2Lab)
    lab_small = cv2.cvtColor(small, cv2.COLOR_RGB2Lab)
    alpha = alpha * _colour_gate(lab, lab_small, sky, model)
    canopy = _canopy_zone(small, lab_small, sky, model)
    if canopy.any():
        # sky seen through leaves: holes far smaller than a working pixel, so the decision
        # is made per full-resolution pixel by colour, inside the canopy zone only
        zone = cv2.resize(cv2.GaussianBlur(canopy.astype(np.float32), (0, 0), 1.0), (rgb.shape[1], rgb.shape[0]),
                          interpolation=cv2.INTER_LINEAR)
        L, a, b = lab[..., 0], lab[..., 1], lab[..., 2]
        p = _smooth_lookup(model, L, a, b)
        ref = np.median(lab_small[sky], axis=0)
        dist = np.sqrt(0.5 * (L - ref[0]) ** 2 + (a - ref[1]) ** 2 + (b - ref[2]) ** 2)
        holes = np.clip((p - 0.6) / 0.25, 0.0, 1.0) * np.clip((18.0 - dist) / 8.0, 0.0, 1.0)
        alpha = np.maximum(alpha, zone * holes)
    return np.clip(alpha, 0.0, 1.0).astype(np.float32)


def _canopy_zone(small: np.ndarray, lab_small: np.ndarray, sky: np.ndarray, model: np.ndarray) -> np.ndarray:
    """Working-size zone where sky may show through foliage: textured, above the sky line,
    off straight edges, with sky-coloured pixels scattered through it."""
    h, w = sky.shape
    has = sky.any(axis=0)
    if has.sum() < 0.05 * w:
        return np.zeros_like(sky)
    low = h - 1 - np.argmax(sky[::-1], axis=0)
    line = float(np.percentile(low[has], 75))
    c = sky_cues(small)
    post = model[_colour_bins(c["L"], c["a"], c["b"])]
    sky_like = (post > 0.7).astype(np.float32)
    density = cv2.blur(sky_like, (7, 7))
    lines = cv2.dilate(_straight_lines(small).astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    rows = np.arange(h)[:, None]
    zone = ((rows <= line) & ~sky & (c["tex"] > SEED_TEXTURE) & (density > 0.08) & ~lines)
    return zone


def _smooth_lookup(model: np.ndarray, L: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The colour model evaluated with trilinear interpolation between bin centres.

    A plain bin lookup jumps at bin edges, which draws contours (staircases) across smooth
    gradients of the sky at full resolution.
    """
    table = model.reshape(_BINS)
    cL = L / 100.0 * _BINS[0] - 0.5
    ca = (a + 48) / 96.0 * _BINS[1] - 0.5
    cb = (b + 60) / 120.0 * _BINS[2] - 0.5
    coords = np.stack([cL.ravel(), ca.ravel(), cb.ravel()])
    out = ndi.map_coordinates(table, coords, order=1, mode="nearest")
    return out.reshape(L.shape).astype(np.float32)


def _colour_gate(lab: np.ndarray, lab_small: np.ndarray, sky: np.ndarray, model: np.ndarray) -> np.ndarray:
    """Per full-resolution pixel factor in [0, 1] that keeps thin non-sky structures out.

    A pixel keeps the matte when its colour is close to the sky around it (a local mean of
    the sky's colour, which follows every gradient of the sky smoothly), when the colour
    model calls its colour sky, or when it is bright and neutral (clouds). Thin structures
    whose colour is neither (towers, branches, wires) get a low factor.
    """
    H, W = lab.shape[:2]
    m = sky.astype(np.float32)
    sig = max(2.0, 0.02 * max(sky.shape))
    wsum = cv2.GaussianBlur(m, (0, 0), sig)
    ref = np.dstack([cv2.GaussianBlur(lab_small[..., k] * m, (0, 0), sig) for k in range(3)])
    ref /= np.maximum(wsum, 1e-3)[..., None]
    ref = cv2.resize(ref, (W, H), interpolation=cv2.INTER_LINEAR)
    L, a, b = lab[..., 0], lab[..., 1], lab[..., 2]
    dist = np.sqrt(0.5 * (L - ref[..., 0]) ** 2 + (a - ref[..., 1]) ** 2 + (b - ref[..., 2]) ** 2)
    near = np.clip((14.0 - dist) / 8.0, 0.0, 1.0)
    p = _smooth_lookup(model, L, a, b)
    gate = np.maximum(np.clip((p - 0.1) / 0.3, 0.0, 1.0), near)
    cloudy = (np.clip((L - 55.0) / 10.0, 0.0, 1.0) * np.clip((12.0 - np.abs(a)) / 4.0, 0.0, 1.0)
              * np.clip((14.0 - np.abs(b)) / 4.0, 0.0, 1.0))
    return np.maximum(gate, cloudy)
