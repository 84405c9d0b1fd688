"""Layers: a region of the photo with the rest filled in underneath, ready to be warped.

Moving a sky layer must never drag a roof along, so the layer's plate keeps only confident
region pixels and fills everything else from them (a push-pull pyramid fill: smooth, fast at
any size, and it only ever spreads colours that are already in the region).
"""

from __future__ import annotations

import cv2
import numpy as np

from ..analysis.lines import draw_lines, straight_lines


def fill_plate(image: np.ndarray, known: np.ndarray) -> np.ndarray:
    """Fill the pixels where ``known`` is False from the known ones (push-pull pyramid).

    Parameters
    ----------
    image : ndarray, shape (H, W, 3), uint8.
    known : ndarray, shape (H, W), bool or float weight in [0, 1].

    Returns
    -------
    ndarray, shape (H, W, 3), uint8: equal to ``image`` where ``known`` is 1.
    """
    wgt = known.astype(np.float32)
    if wgt.max() <= 0:
        return image.copy()
    img = image.astype(np.float32)
    levels = [(img * wgt[..., None], wgt)]
    while min(levels[-1][1].shape) > 4:
        c, w = levels[-1]
        levels.append((cv2.pyrDown(c), cv2.pyrDown(w)))
    c, w = levels[-1]
    filled = c / np.maximum(w, 1e-6)[..., None]
    if (w <= 1e-6).any():  # coarsest level still has holes: use the global mean
        mean = (c.reshape(-1, 3).sum(0) / max(w.sum(), 1e-6)).astype(np.float32)
        filled[w <= 1e-6] = mean
    for c, w in reversed(levels[:-1]):
        up = cv2.resize(filled, (c.shape[1], c.shape[0]), interpolation=cv2.INTER_LINEAR)
        wn = np.clip(w, 0, 1)[..., None]
        own = c / np.maximum(w, 1e-6)[..., None]
        filled = own * wn + up * (1 - wn)
    k = known.astype(np.float32)[..., None]
    out = img * k + filled * (1 - k)
    return np.clip(out + 0.5, 0, 255).astype(np.uint8)


def layer_plate(image: np.ndarray, alpha: np.ndarray, *, lo: float = 0.7, hi: float = 0.9,
                near: float = 4.0, far: float = 12.0, unsure: float = 0.5) -> np.ndarray:
    """The region's own colours everywhere: the plate a layer warps.

    Motion is composited as a *change*, ``frame += alpha * (warp(plate) - plate)``, which is
    exact only where the plate holds the colour the photo shows for the region. So the plate
    is the photo itself wherever the photo shows the region: where the matte is confident
    (``alpha >= hi``, fading out to ``lo``) or, where the matte is at least ``unsure``, where
    the pixel's colour is within ``near`` grey levels of the region's colour filled in around
    it (fading out at ``far``) -- a soft matte can be unsure of pixels that are plainly sky. Everywhere else (foreground, and the
    mixed pixels of an edge) it is the region's colour filled in from confident pixels, so a
    warp never drags the foreground along.

    image : (H, W, 3) uint8; alpha : (H, W) float32. Returns (H, W, 3) uint8.
    """
    inside8 = fill_plate(image, alpha >= 0.98)
    d = cv2.absdiff(np.ascontiguousarray(image), inside8)
    dist = np.maximum(np.maximum(d[..., 0], d[..., 1]), d[..., 2]).astype(np.float32)
    img = image.astype(np.float32)
    inside = inside8.astype(np.float32)
    close = np.clip((far - dist) / (far - near), 0.0, 1.0)
    sure = np.clip((alpha - lo) / (hi - lo), 0.0, 1.0)
    w = np.maximum(close * (alpha >= unsure), sure)[..., None]
    return np.clip(img * w + inside * (1.0 - w) + 0.5, 0, 255).astype(np.uint8)


def alpha_rows(alpha: np.ndarray) -> np.ndarray:
    """The alpha laid out as the compositing kernels read it: (h, 3 w) uint8, the alpha in 1/255
    steps with each value repeated for the three channels of a frame row. 0 stays 0 and 1
    stays 255 exactly."""
    a8 = np.rint(np.clip(np.asarray(alpha, np.float32), 0.0, 1.0) * 255.0).astype(np.uint8)
    return np.repeat(a8, 3, axis=1)


def fields_first(basis: np.ndarray) -> np.ndarray:
    """A basis of unit fields (h, w, n, 2), as the kernels that build it write it, in the
    layout ``_kernels.combine_basis`` reads: (h, n, w, 2), C-ordered, each field's row
    contiguous."""
    return np.ascontiguousarray(basis.transpose(0, 2, 1, 3))


def thin_structure_guard(image: np.ndarray, alpha: np.ndarray, *, size_px: int = 7,
                         contrast: float = 0.06) -> np.ndarray:
    """Alpha with thin, straight, high-contrast structures inside the region taken out.

    Masts, wires, antennas and poles that a mask (automatic or painted by hand) lets into a
    sky would be dragged along by the motion and leave ghost copies. Candidates are strong
    white/black top-hat responses (narrower than ``size_px``, brighter or darker than their
    surroundings by more than ``contrast`` in [0, 1] luma); of those, only pixels on long
    straight runs (a probabilistic Hough transform, runs of at least 6 % of the long side)
    are kept, so cloud wisps and blue gaps between clouds still move. They are grown by 2 px
    and removed from the alpha with a soft edge.

    image : (H, W, 3) uint8; alpha : (H, W) float32. Returns float32 (H, W).
    """
    luma = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY).astype(np.float32) / 255.0
    k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size_px, size_px))
    white = cv2.morphologyEx(luma, cv2.MORPH_TOPHAT, k)
    black = cv2.morphologyEx(luma, cv2.MORPH_BLACKHAT, k)
    cand = ((np.maximum(white, black) > contrast) & (alpha > 0)).astype(np.uint8)
    if not cand.any():
        return alpha
    # only the outlines of filled candidate blobs vote for lines (a thin line is its own outline)
    core = cand & (1 - cv2.erode(cand, np.ones((3, 3), np.uint8)))
    min_len = max(12, int(0.06 * max(alpha.shape)))
    lines = straight_lines(core * 255, min_len=min_len, votes=max(15, min_len // 3), max_gap=6)
    if len(lines) == 0:
        return alpha
    thin = cand & draw_lines(cand.shape, lines, thickness=3, dtype=cand.dtype)
    if not thin.any():
        return alpha
    thin = cv2.dilate(thin, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5)))
    soft = cv2.GaussianBlur(thin.astype(np.float32), (0, 0), 1.0)
    return (alpha * np.clip(1.0 - 1.5 * soft, 0.0, 1.0)).astype(np.float32)
