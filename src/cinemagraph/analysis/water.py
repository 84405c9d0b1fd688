"""Water segmentation (sea, lakes, rivers, waterfalls) and water type."""

from __future__ import annotations

import numpy as np

__all__ = ["water_alpha"]


def water_alpha(image: np.ndarray, sky: np.ndarray) -> tuple[np.ndarray, str]:
    """Soft alpha of water below the horizon and its type (none/still/waves/flowing)."""
    h, w = np.asarray(image).shape[:2]
    return np.zeros((h, w), np.float32), "none"
