"""Motion models: each prepared once per photo, then applied to frame t in place.

A prepared model has ``apply(frame, t)`` (frame: (H, W, 3) uint8, changed in place; frame 0 of
every model leaves the photo untouched or is periodic with period N) and optionally
``energy(n)`` (per-frame motion energy in [0, 1], for the sound mix).
"""

from __future__ import annotations

import numpy as np

from ..analysis.scene import Scene
from ..recipe import Recipe


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


def prepare_motions(image: np.ndarray, scene: Scene, recipe: Recipe) -> list:
    """Prepare every motion model that applies to ``scene``, in compositing order."""
    from .clouds import CloudMotion

    motions: list = []
    sky = scene.sky * (1.0 - scene.freeze) if scene.freeze.any() else scene.sky
    sky = sky_above_water(sky, scene.water, scene.summary.horizon_y)
    clouds = CloudMotion.prepare(image, sky.astype(np.float32), recipe.clouds,
                                 n_frames=recipe.n_frames, fps=recipe.fps, seed=recipe.seed,
                                 horizon_y=scene.summary.horizon_y)
    if clouds is not None:
        motions.append(clouds)
    motions.extend(_prepare_more(image, scene, recipe))
    return motions


def _prepare_more(image: np.ndarray, scene: Scene, recipe: Recipe) -> list:
    """Water, then faces, then grading, then the camera (applied last, to the whole frame)."""
    from .water import prepare_water

    keep = 1.0 - scene.freeze if scene.freeze.any() else None
    water = scene.water if keep is None else scene.water * keep
    models = prepare_water(image, water.astype(np.float32), recipe.water, n_frames=recipe.n_frames,
                           fps=recipe.fps, seed=recipe.seed, horizon_y=scene.summary.horizon_y,
                           water_type=scene.summary.water_type)
    from .faces import prepare_faces

    models += prepare_faces(image, scene.faces, recipe.faces, n_frames=recipe.n_frames,
                            fps=recipe.fps, seed=recipe.seed)
    from ..grade import GradeMotion

    sky = scene.sky if keep is None else scene.sky * keep
    grade = GradeMotion.prepare(sky.astype(np.float32), water.astype(np.float32), recipe.grade,
                                n_frames=recipe.n_frames, horizon_y=scene.summary.horizon_y)
    if grade is not None:
        models.append(grade)
    from .camera import CameraMotion

    h, w = image.shape[:2]
    camera = CameraMotion.prepare((w, h), recipe.camera, n_frames=recipe.n_frames)
    if camera is not None:
        models.append(camera)
    return models
