"""Sky segmentation: a soft alpha matte of the sky.

See ``docs/analysis.md`` for the method and measured figures.
"""

from __future__ import annotations

import cv2
import numpy as np
from scipy import ndimage as ndi

from cinemagraph.analysis.masks import as_float_rgb, guided_upsample, resize_long_side

__all__ = ["sky_alpha"]

WORK_LONG_SIDE = 320


def _cues(rgb: np.ndarray):
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2Lab)
    L, a, b = lab[..., 0], lab[..., 1], lab[..., 2]
    Ls = cv2.GaussianBlur(L, (0, 0), 1.0)
    gx = cv2.Sobel(Ls, cv2.CV_32F, 1, 0, ksize=3) / 8.0
    gy = cv2.Sobel(Ls, cv2.CV_32F, 0, 1, ksize=3) / 8.0
    grad = np.sqrt(gx * gx + gy * gy)
    tex = cv2.blur(grad, (5, 5))
    return L, a, b, tex


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
    """
    rgb = as_float_rgb(image)
    H, W = rgb.shape[:2]
    small = resize_long_side(rgb, work_long_side)
    h, w = small.shape[:2]
    L, a, b, tex = _cues(small)
    chroma = np.sqrt(a * a + b * b)
    p80 = float(np.percentile(L, 80))
    smooth = tex < 1.2
    blue = (b < -4.0) & (L > 25)
    bright = (L > max(60.0, p80 - 5)) & (chroma < 18)
    cand = smooth & (blue | bright)
    cand = cv2.morphologyEx(cand.astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    n, lab, stats, _ = cv2.connectedComponentsWithStats(cand, connectivity=8)
    top_rows = max(1, int(0.03 * h))
    keep = np.zeros(n, bool)
    for i in range(1, n):
        x, y, ww, hh, area = stats[i]
        if y > top_rows or area < 0.005 * h * w:
            continue
        keep[i] = True
    sky = keep[lab]
    sky = ndi.binary_fill_holes(sky)
    alpha_small = cv2.GaussianBlur(sky.astype(np.float32), (0, 0), 0.7)
    grey_small = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
    grey_full = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    r = max(2, int(round(4 * w / 320)))
    return guided_upsample(alpha_small, grey_small, grey_full, radius=r, eps=2e-3)
