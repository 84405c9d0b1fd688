"""Water segmentation (sea, lakes, rivers, waterfalls) below the horizon, and water type.

Water in a photo is recognised by what makes it water, not by its colour alone:

* **position**: below the horizon, i.e. below the per-column bottom of the sky;
* **reflection**: the colour mirrors what stands above the horizon (a still lake mirrors the
  shore; the sea takes the sky's colour), measured against the mirrored photo and against a
  colour model of the sky;
* **streaks**: ripples and waves make horizontal streaks, so the vertical gradient dominates
  the horizontal one; falling water makes vertical streaks;
* **continuity**: water is one wide region that reaches up to the horizon.

A photo without sky gives no automatic water (coffee cups, blue cars, wet roads and pools seen
from above stay still): when unsure, do not animate. A user water mask always wins.
"""

from __future__ import annotations

import cv2
import numpy as np
from scipy import ndimage as ndi

from cinemagraph.analysis.masks import as_float_rgb, guided_upsample, resize_long_side

__all__ = ["water_alpha", "water_type"]

WORK_LONG_SIDE = 320


def _streaks(L: np.ndarray, win: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    Ls = cv2.GaussianBlur(L, (0, 0), 0.8)
    gx = np.abs(cv2.Sobel(Ls, cv2.CV_32F, 1, 0, ksize=3)) / 8.0
    gy = np.abs(cv2.Sobel(Ls, cv2.CV_32F, 0, 1, ksize=3)) / 8.0
    mx = cv2.blur(gx, (win, win))
    my = cv2.blur(gy, (win, win))
    return mx, my, np.sqrt(mx * mx + my * my)


def _sky_bottom(sky: np.ndarray) -> np.ndarray:
    """Per-column lowest sky row (-1 where the column has no sky), smoothed across columns."""
    h, w = sky.shape
    m = sky > 0.5
    has = m.any(axis=0)
    low = np.where(has, h - 1 - np.argmax(m[::-1], axis=0), -1).astype(np.float32)
    if has.sum() >= 2:
        xs = np.arange(w)
        low = np.interp(xs, xs[has], low[has]).astype(np.float32)
    return low


def _mirror_axis(L: np.ndarray, start: int, h: int) -> float:
    """Row about which the photo below best mirrors the photo above (searched from ``start``).

    Compares a band above each candidate row, flipped, with the band below it (normalised
    cross-correlation of the lightness, row-mean removed). Returns ``start`` when no row
    mirrors clearly.
    """
    k = max(4, h // 10)
    best, best_y = 0.55, float(start)
    Lc = L - L.mean(axis=1, keepdims=True) * 0.0
    for y in range(max(k, start), min(h - k, int(0.95 * h))):
        up = Lc[y - k:y][::-1]
        dn = Lc[y:y + k]
        u = up - up.mean()
        d = dn - dn.mean()
        den = float(np.sqrt((u * u).sum() * (d * d).sum()))
        if den <= 1e-6:
            continue
        r = float((u * d).sum() / den)
        if r > best + 0.02:
            best, best_y = r, float(y)
    return best_y


def _mirror_ncc(L: np.ndarray, map_x: np.ndarray, map_y: np.ndarray, below: np.ndarray,
                *, win: int = 7) -> np.ndarray:
    """Evidence in [0, 1] that each pixel's neighbourhood mirrors the photo above the axis.

    Local normalised cross-correlation (``win`` x ``win`` windows) of the lightness with the
    lightness mirrored about the axis (``map_x``, ``map_y``: the mirror's sampling maps).
    Invariant to the darkening and tint of a reflection; needs structure on both sides.
    """
    M = cv2.remap(L, map_x, map_y, cv2.INTER_LINEAR)
    k = (win, win)
    mL, mM = cv2.blur(L, k), cv2.blur(M, k)
    vL = np.maximum(cv2.blur(L * L, k) - mL * mL, 0.0)
    vM = np.maximum(cv2.blur(M * M, k) - mM * mM, 0.0)
    cov = cv2.blur(L * M, k) - mL * mM
    ncc = cov / np.sqrt(vL * vM + 1e-6)
    structured = np.clip((np.sqrt(np.minimum(vL, vM)) - 0.8) / 1.2, 0.0, 1.0)
    return (np.clip((ncc - 0.5) / 0.3, 0.0, 1.0) * structured * below).astype(np.float32)


def _mirror_band(water: np.ndarray, low: np.ndarray, axis: float, e_mirror: np.ndarray) -> np.ndarray:
    """The reflection of the far shore: pixels between the mirror axis and the mirror image
    of the sky line, in columns where water lies right below that band, that match their
    mirror image. Green or dark, they fail every colour test, yet they are water."""
    h, w = water.shape
    rows = np.arange(h)[:, None]
    foot = np.clip(np.round(2 * axis - low), 0, h - 1).astype(np.int64)  # mirrored sky line
    band = (rows > axis) & (rows <= foot[None, :]) & (low[None, :] >= 0) & (low[None, :] < axis)
    if not band.any():
        return np.zeros_like(water)
    # the band must stand on water found independently: water within a few rows below its foot
    below_foot = np.zeros(w, bool)
    for dy in range(1, max(3, h // 40) + 1):
        below_foot |= water[np.clip(foot + dy, 0, h - 1), np.arange(w)]
    band &= below_foot[None, :] & (e_mirror > 0.5)
    return band


def _grow_water(water: np.ndarray, lab: np.ndarray, below: np.ndarray, mag: np.ndarray,
                veto: np.ndarray) -> np.ndarray:
    """Extend confident water with pixels of water colour connected to it (reflections of
    clouds, the narrow far reaches of a river), using colour histograms of the water against
    the rest of the ground."""
    h, w = water.shape
    L, a, b = lab[..., 0], lab[..., 1], lab[..., 2]
    Lq = np.clip((L / 100.0 * 10).astype(np.int32), 0, 9)
    aq = np.clip(((a + 40) / 80.0 * 16).astype(np.int32), 0, 15)
    bq = np.clip(((b + 50) / 100.0 * 16).astype(np.int32), 0, 15)
    idx = (Lq * 16 + aq) * 16 + bq
    n = 10 * 16 * 16
    ground = below & ~(cv2.dilate(water.astype(np.uint8), np.ones((7, 7), np.uint8)) > 0)
    if ground.sum() < 50:
        return water
    hw = np.bincount(idx[water], minlength=n).astype(np.float32)
    hg = np.bincount(idx[ground], minlength=n).astype(np.float32)
    pw = (hw + 0.1) / (hw.sum() + 0.1 * n)
    pg = (hg + 0.1) / (hg.sum() + 0.1 * n)
    post = (pw / (pw + pg))[idx]
    post = cv2.blur(post, (3, 3))
    join = below & (post > 0.7) & (mag < 5.0) & ~veto
    grow = (join | water).astype(np.uint8)
    grow = cv2.morphologyEx(grow, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8)) | water.astype(np.uint8)
    n2, lab2 = cv2.connectedComponents(grow, connectivity=8)
    touch = np.zeros(n2, bool)
    touch[np.unique(lab2[water])] = True
    touch[0] = False
    return touch[lab2]


def water_type(image: np.ndarray, water: np.ndarray) -> str:
    """Classify the water inside a mask as ``still``, ``waves`` or ``flowing`` (``none`` if empty).

    image : (H, W, 3) uint8 or float RGB; water : (H, W) float alpha.
    """
    rgb = resize_long_side(as_float_rgb(image), WORK_LONG_SIDE)
    h, w = rgb.shape[:2]
    m = cv2.resize(np.asarray(water, np.float32), (w, h), interpolation=cv2.INTER_AREA) > 0.5
    if m.sum() < 0.002 * h * w:
        return "none"
    L = cv2.cvtColor(rgb, cv2.COLOR_RGB2Lab)[..., 0]
    mx, my, mag = _streaks(L, 5)
    gx, gy, t = float(mx[m].mean()), float(my[m].mean()), float(mag[m].mean())
    if gx > 1.3 * gy and t > 1.0:
        return "flowing"  # vertical streaks: falling or rushing water
    if t < 1.2:
        return "still"
    return "waves"


def water_alpha(image: np.ndarray, sky: np.ndarray) -> tuple[np.ndarray, str]:
    """Soft alpha of water below the horizon and its type.

    Parameters
    ----------
    image : ndarray, shape (H, W, 3), uint8 or float32 in [0, 1], RGB.
    sky : ndarray, shape (H, W), float32 sky alpha (from :func:`~cinemagraph.analysis.sky.sky_alpha`
        or a user mask).

    Returns
    -------
    (alpha, kind) : alpha (H, W) float32 in [0, 1]; kind one of ``none``, ``still``, ``waves``,
    ``flowing``.
    """
    rgb_full = as_float_rgb(image)
    H, W = rgb_full.shape[:2]
    none = (np.zeros((H, W), np.float32), "none")
    rgb = resize_long_side(rgb_full, WORK_LONG_SIDE)
    h, w = rgb.shape[:2]
    sky_s = cv2.resize(np.asarray(sky, np.float32), (w, h), interpolation=cv2.INTER_AREA)
    skym = sky_s > 0.5
    if skym.sum() < 0.01 * h * w or skym.any(axis=0).sum() < 0.3 * w:
        return none
    if not skym[: max(1, h // 10)].any():
        # sky seen only through an opening (a window): what lies below it is a room
        return none
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2Lab)
    L, a, b = lab[..., 0], lab[..., 1], lab[..., 2]
    low = _sky_bottom(sky_s)
    rows = np.arange(h, dtype=np.float32)[:, None]
    horizon = float(np.median(low[low >= 0]))
    below = rows > (low[None, :] + 1)
    if horizon > 0.92 * h:
        return none

    # reflection: colour of the pixel mirrored about the waterline (the horizon for the sea,
    # the foot of the far shore for a lake)
    axis = _mirror_axis(L, int(horizon), h)
    src = np.clip(2 * axis - rows, 0, h - 1).astype(np.float32)
    map_y = np.broadcast_to(src, (h, w)).astype(np.float32)
    map_x = np.broadcast_to(np.arange(w, dtype=np.float32)[None, :], (h, w)).astype(np.float32)
    mirror = cv2.remap(cv2.GaussianBlur(lab, (0, 0), 2.0), map_x, map_y, cv2.INTER_LINEAR)
    labs = cv2.GaussianBlur(lab, (0, 0), 2.0)
    dmir = np.sqrt(((labs[..., 1:] - mirror[..., 1:]) ** 2).sum(-1) + 0.25 * (labs[..., 0] - mirror[..., 0]) ** 2)
    # sky colour: distance in chroma to the sky's mean chroma near the horizon
    band = skym & (rows > horizon - 0.25 * h)
    if band.sum() < 20:
        band = skym
    sa, sb = float(np.median(a[band])), float(np.median(b[band]))
    dsky = np.hypot(labs[..., 1] - sa, labs[..., 2] - sb)
    mx, my, mag = _streaks(L, 7)
    horiz = my / (mx + 0.15)

    e_mirror = np.clip((14.0 - dmir) / 10.0, 0, 1)
    # a darkened or tinted reflection fails the colour test but keeps the pattern: local
    # normalised cross-correlation of the lightness with its mirror image
    e_ncc = _mirror_ncc(L, map_x, map_y, below)
    e_mirror = np.maximum(e_mirror, e_ncc)
    # colour continuity with the sky only means something when the sky has a colour
    e_sky = np.clip((14.0 - dsky) / 10.0, 0, 1) * float(np.clip((np.hypot(sa, sb) - 4.0) / 8.0, 0, 1))
    e_streak = np.clip((horiz - 1.1) / 0.8, 0, 1) * (mag > 0.3)
    e_calm = np.clip((4.0 - mag) / 3.0, 0, 1)
    green = (a < -6) & (b > 8)  # vegetation
    # a mirror match is strong evidence where the mirrored side has structure (a shore, trees)
    mag_src = cv2.remap(mag, map_x, map_y, cv2.INTER_LINEAR)
    e_struct = np.clip((mag_src - 0.8) / 1.5, 0, 1)
    score = 0.35 * np.maximum(e_mirror, e_sky) + 0.35 * e_streak + 0.3 * e_calm
    # a mirrored shore is green too: vegetation colours count against water only where the
    # photo does not mirror structure above the waterline
    mirrored = 0.75 * e_mirror * e_struct
    score = np.maximum(score, mirrored) * ~green
    cand = below & (score > 0.55)
    cand = cv2.morphologyEx(cand.astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    cand = cv2.morphologyEx(cand, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
    n, lab_c, st, _ = cv2.connectedComponentsWithStats(cand, connectivity=8)
    water = np.zeros((h, w), bool)
    # long straight non-horizontal edges: walls, windows and building corners, not water
    from cinemagraph.analysis.sky import _straight_lines

    walls = cv2.dilate(_straight_lines(rgb).astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    sky_low = np.where(skym.any(axis=0), h - 1 - np.argmax(skym[::-1], axis=0), -1)
    for i in range(1, n):
        x, y, ww, hh, area = st[i]
        if area < 0.02 * h * w or ww < 0.15 * w:
            continue
        m = lab_c == i
        # must reach up toward the waterline (rivers narrow with distance, so allow some room)
        top = float(np.percentile(np.nonzero(m)[0], 2))
        if top > max(horizon, axis) + 0.35 * h:
            continue
        streak = float(e_streak[m].mean())
        refl = float(np.maximum(e_mirror * np.maximum(e_struct, 0.5), e_sky)[m].mean())
        if streak < 0.25 and refl < 0.5:
            continue
        if float(mag[m].mean()) > 5.0:
            continue
        if float(walls[m].mean()) > 0.08:
            continue
        # water lies below the sky: a region with sky beside it reaching well below its top
        # (a building with sky seen beside it down to the street) is not water
        k = max(2, w // 10)
        side = np.r_[sky_low[max(0, x - k):x], sky_low[x + ww:x + ww + k]]
        if side.size and float(side.max()) > top + 0.05 * h:
            continue
        water |= m
    if water.sum() < 0.02 * h * w:
        return none
    water = _grow_water(water, lab, below, mag, green & (mirrored < 0.4))
    water |= _mirror_band(water, low, axis, np.maximum(e_mirror, e_ncc))
    water = ndi.binary_fill_holes(water) & below
    alpha_small = cv2.GaussianBlur(water.astype(np.float32), (0, 0), 0.8)
    grey_small = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    grey_full = cv2.cvtColor(rgb_full, cv2.COLOR_RGB2GRAY)
    alpha = guided_upsample(alpha_small, grey_small, grey_full, radius=max(2, round(4 * max(h, w) / 320)),
                            eps=5e-3)
    alpha = alpha * (1.0 - np.clip(np.asarray(sky, np.float32), 0, 1))
    alpha = np.clip(alpha, 0, 1).astype(np.float32)
    return alpha, water_type(rgb_full, alpha)
