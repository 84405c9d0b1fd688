"""Resampling for slow sub-pixel motion: a 2x supersampled layer sampled bilinearly.

Bilinear sampling of an image at a fractional offset ``f`` blurs it by a kernel of variance
``f (1 - f)`` per axis: sharp on whole pixels, softest half-way. When the offset is shared by a
whole region (slow drift), the region visibly pulses between sharp and soft. Sampling a copy
that was upsampled 2x once with a Lanczos kernel (original pixels kept exactly at even indices)
cuts the largest extra blur by 4x while costing one ``cv2.remap`` per frame. Ripples add
spatially varying offsets, so every frame holds every sub-pixel phase in the same proportions
and the remaining blur is the same in every frame.

Examples
--------
>>> import numpy as np
>>> img = np.arange(48, dtype=np.uint8).reshape(4, 4, 3)
>>> up = upsample2x(img)
>>> up.shape, bool((up[::2, ::2] == img).all())
((8, 8, 3), True)
"""

from __future__ import annotations

import cv2
import numpy as np


def upsample2x(image: np.ndarray) -> np.ndarray:
    """2x Lanczos upsampling with ``out[2i, 2j] == image[i, j]`` exactly.

    image : ndarray, shape (H, W, C) or (H, W), uint8 or float32 (C <= 4).
    Returns shape (2H, 2W[, C]), same dtype.
    """
    h, w = image.shape[:2]
    ys = (np.arange(2 * h, dtype=np.float32) * 0.5)[:, None]
    xs = (np.arange(2 * w, dtype=np.float32) * 0.5)[None, :]
    mx = np.ascontiguousarray(np.broadcast_to(xs, (2 * h, 2 * w)))
    my = np.ascontiguousarray(np.broadcast_to(ys, (2 * h, 2 * w)))
    return cv2.remap(image, mx, my, interpolation=cv2.INTER_LANCZOS4,
                     borderMode=cv2.BORDER_REFLECT101)


def remap2x(image2x: np.ndarray, map2x: np.ndarray, map2y: np.ndarray | None = None,
            dst: np.ndarray | None = None) -> np.ndarray:
    """Sample a 2x supersampled image at ``map2x`` (positions already in 2x pixels, i.e. twice
    the original coordinates), bilinearly, mirrored at the border.

    image2x : (2H, 2W, 3) uint8 from :func:`upsample2x`; map2x : (h, w, 2) float32, cv2.remap
    convention (``out[y, x] = image2x[map[y, x, 1], map[y, x, 0]]``), or with ``map2y`` the
    (h, w) x positions and ``map2y`` the y positions. Returns (h, w, 3) uint8 (``dst`` when
    given: a C-ordered array of that shape, written over).
    """
    return cv2.remap(image2x, map2x, map2y, interpolation=cv2.INTER_LINEAR, dst=dst,
                     borderMode=cv2.BORDER_REFLECT101)
