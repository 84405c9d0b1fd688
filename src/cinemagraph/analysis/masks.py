"""Mask helpers: dtype policy, user mask files, feathering and edge-aware refinement.

All masks are float32 soft alphas in [0, 1] with the photo's H x W.
"""

from __future__ import annotations

import os
from pathlib import Path

import cv2
import numpy as np

from cinemagraph.errors import InputError

__all__ = ["as_float_rgb", "resize_long_side", "load_mask", "feather", "guided_upsample", "check_mask"]


def as_float_rgb(image: np.ndarray) -> np.ndarray:
    """Return ``image`` as float32 RGB in [0, 1] (a new array; the input is never modified).

    image : ndarray, shape (H, W, 3), uint8 or float in [0, 1].
    """
    image = np.asarray(image)
    if image.ndim != 3 or image.shape[2] != 3:
        raise ValueError(f"image must have shape (H, W, 3), got {image.shape}")
    if image.dtype == np.uint8:
        return image.astype(np.float32) * (1.0 / 255.0)
    return np.clip(image.astype(np.float32), 0.0, 1.0)


def resize_long_side(image: np.ndarray, long_side: int) -> np.ndarray:
    """Shrink ``image`` (area interpolation) so its long side is at most ``long_side``."""
    h, w = image.shape[:2]
    s = long_side / max(h, w)
    if s >= 1.0:
        return image
    size = (max(1, int(round(w * s))), max(1, int(round(h * s))))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA)


def check_mask(mask: np.ndarray, shape: tuple[int, int], name: str = "mask") -> np.ndarray:
    """A user mask array as a float32 alpha of ``shape`` (H, W) in [0, 1].

    Integer arrays are grey levels of their type (uint8: 255 = region), booleans 0 and 1, and
    float arrays are alphas in [0, 1] (a float array whose maximum exceeds 1 holds 0..255 grey
    levels). Colour arrays are averaged over their first three channels. A mask of another size
    is resized (area averaging when it shrinks, bilinear when it grows).
    """
    m = np.asarray(mask)
    full = float(np.iinfo(m.dtype).max) if m.dtype.kind in "ui" else 1.0
    m = m.astype(np.float32)
    if m.ndim == 3:
        m = m[..., :3].mean(axis=2)
    m = m / full
    if m.ndim != 2:
        raise InputError(f"{name} must be a 2-D array, got shape {m.shape}")
    m = np.nan_to_num(m.astype(np.float32))
    if m.size and float(m.max()) > 1.0:
        m = m / 255.0
    m = np.clip(m, 0.0, 1.0)
    h, w = int(shape[0]), int(shape[1])
    if m.shape != (h, w):
        interp = cv2.INTER_AREA if m.shape[0] > h else cv2.INTER_LINEAR
        m = cv2.resize(m, (w, h), interpolation=interp)
    return np.clip(m, 0.0, 1.0).astype(np.float32)


def load_mask(path: str | os.PathLike, shape: tuple[int, int]) -> np.ndarray:
    """Read a user mask image (white = region) and resize it to ``shape``.

    Parameters
    ----------
    path : PNG/JPG (or any format OpenCV reads) of any size; colour images are converted to
        grey, an alpha channel (if any) multiplies the grey value.
    shape : (H, W) of the working photo.

    Returns
    -------
    ndarray, shape (H, W), float32 in [0, 1].

    Raises
    ------
    InputError
        When the file is missing, empty or cannot be decoded.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(f"mask file not found: {p}")
    data = np.fromfile(str(p), dtype=np.uint8)
    if data.size == 0:
        raise InputError(f"mask file is empty: {p}")
    img = cv2.imdecode(data, cv2.IMREAD_UNCHANGED)
    if img is None or img.size == 0:
        raise InputError(f"mask file is not a readable image: {p}")
    img = img.astype(np.float32)
    scale = 65535.0 if data.size and img.max() > 255 else 255.0
    if img.ndim == 3:
        alpha = img[..., 3] / scale if img.shape[2] == 4 else None
        grey = img[..., :3].mean(axis=2) / scale
        if alpha is not None:
            grey = grey * alpha
    else:
        grey = img / scale
    return check_mask(np.clip(grey, 0.0, 1.0), shape, f"mask {p.name}")


def feather(mask: np.ndarray, radius_px: float) -> np.ndarray:
    """Soften the edges of ``mask`` with a Gaussian of about ``radius_px`` pixels.

    Returns a new float32 array in [0, 1]; ``radius_px <= 0`` returns a clipped copy.
    """
    m = np.clip(np.asarray(mask, dtype=np.float32), 0.0, 1.0)
    if radius_px <= 0:
        return m.copy()
    sigma = float(radius_px) / 2.0
    k = int(2 * round(3 * sigma) + 1)
    return np.clip(cv2.GaussianBlur(m, (k, k), sigma, borderType=cv2.BORDER_REPLICATE), 0.0, 1.0)


def _box(x: np.ndarray, r: int) -> np.ndarray:
    return cv2.boxFilter(x, -1, (2 * r + 1, 2 * r + 1), normalize=True, borderType=cv2.BORDER_REFLECT)


def guided_coefficients(guide: np.ndarray, p: np.ndarray, radius: int, eps: float) -> tuple[np.ndarray, np.ndarray]:
    """Grey guided filter (He et al.): mean-filtered linear coefficients (a, b), q = a * I + b."""
    mi = _box(guide, radius)
    mp = _box(p, radius)
    cov = _box(guide * p, radius) - mi * mp
    var = _box(guide * guide, radius) - mi * mi
    a = cov / (var + eps)
    b = mp - a * mi
    return _box(a, radius), _box(b, radius)


def guided_upsample(alpha_small: np.ndarray, guide_small: np.ndarray, guide_full: np.ndarray,
                    *, radius: int = 4, eps: float = 1e-3) -> np.ndarray:
    """Fast guided filter: fit the alpha/guide linear model at low resolution, apply at full.

    alpha_small, guide_small : (h, w) float32; guide_full : (H, W) float32 grey in [0, 1].
    Thin dark structures (branches, wires) in the full-resolution guide stay out of the matte.
    """
    a, b = guided_coefficients(guide_small.astype(np.float32), alpha_small.astype(np.float32), radius, eps)
    H, W = guide_full.shape
    if a.shape != (H, W):
        a = cv2.resize(a, (W, H), interpolation=cv2.INTER_LINEAR)
        b = cv2.resize(b, (W, H), interpolation=cv2.INTER_LINEAR)
    return np.clip(a * guide_full + b, 0.0, 1.0).astype(np.float32)
