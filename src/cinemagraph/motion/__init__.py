"""Motions: clouds, water, faces and the camera, each a value prepared once per photo.

Every prepared motion follows :class:`cinemagraph.frames.Motion`: ``apply(frame, t)`` gives
frame ``t`` (periodic with period N, so frame N is frame 0) and ``energy(n)`` the per-frame
motion energy for the sound mix. :func:`cinemagraph.pipeline.plan_motion` lists the steps in
compositing order.
"""

from __future__ import annotations

import numpy as np



def sky_above_water(sky: np.ndarray, water: np.ndarray, horizon_y: float | None, *,
                    ramp_px: float = 2.0) -> np.ndarray:
    """Sky alpha with everything below the water's horizon removed.

    Water reflects the sky, so a sky matte can leak into the top of the water, and clouds
    then swirl through the reflection. When the scene has water and a horizon (``horizon_y``,
    a fraction of the height), the sky fades to 0 over ``ramp_px`` rows at the horizon line,
    which is where the real sky/water edge is, so the cut itself is not visible.

    sky, water : (H, W) float32 alphas. Returns float32 (H, W).
    """
    if horizon_y is None or not (water > 0.1).any():
        return sky
    h = sky.shape[0]
    rows = np.arange(h, dtype=np.float32)[:, None] + 0.5
    keep = np.clip((horizon_y * h - rows) / ramp_px + 0.5, 0.0, 1.0)
    return (sky * keep).astype(np.float32)
