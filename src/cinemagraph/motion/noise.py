"""Smooth random fields for the motions (the wind's stream function, the clumping of glints).

>>> from cinemagraph.motion.noise import fractal_noise
>>> n = fractal_noise(4, 6, seed=0)
>>> n.shape, float(n.min()), float(n.max())
((4, 6), 0.0, 1.0)
"""

from __future__ import annotations

import cv2
import numpy as np


def fractal_noise(height: int, width: int, *, seed: int, octaves: int = 6,
                  base_cells: int = 4, persistence: float = 0.55) -> np.ndarray:
    """Fractal (fBm) value noise in [0, 1], shape (height, width), float32.

    Each octave is a random grid of ``base_cells * 2**k`` cells upsampled with bicubic
    interpolation; amplitudes fall by ``persistence`` per octave.
    """
    rng = np.random.default_rng(seed)
    acc = np.zeros((height, width), np.float32)
    amp, total = 1.0, 0.0
    for k in range(octaves):
        cells = base_cells * 2**k
        gh = max(2, int(round(cells * height / max(height, width))) + 2)
        gw = max(2, int(round(cells * width / max(height, width))) + 2)
        grid = rng.random((gh, gw)).astype(np.float32)
        acc += amp * cv2.resize(grid, (width, height), interpolation=cv2.INTER_CUBIC)
        total += amp
        amp *= persistence
    acc /= total
    lo, hi = float(acc.min()), float(acc.max())
    return (acc - lo) / max(hi - lo, 1e-6)
