"""Time-of-day looks: what the sky turns toward, and how the light on the rest changes.

A look recolours the sky toward a vertical gradient (``zenith`` at the top of the sky,
``horizon`` at the horizon) while keeping each pixel's luminance (clouds keep their shading),
then scales it by ``exposure`` and lifts it by ``lift``. The rest of the scene gets per-channel
``scene_gain`` (scaled by ``GradeSpec.scene_light``).

Examples
--------
>>> from cinemagraph.grade.looks import LOOK_TABLE
>>> sorted(LOOK_TABLE)
['blue-hour', 'dreamy', 'golden-hour', 'storm', 'sunset']
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

LUMA = np.array([0.2126, 0.7152, 0.0722])
"""Rec. 709 luma weights (applied to the encoded values, as video does)."""


@dataclass(frozen=True)
class Look:
    """One time-of-day look. Colours are RGB in [0, 1]."""

    name: str
    zenith: tuple[float, float, float]
    """Sky colour the top of the sky moves toward."""
    horizon: tuple[float, float, float]
    """Sky colour the horizon moves toward (reflections take the colour of the sky they mirror)."""
    chroma: float
    """How much of each sky pixel's colour is replaced (its luminance is kept), 0 to 1."""
    exposure: float
    """Sky brightness factor at full strength."""
    lift: float
    """Added to the sky at full strength (0 to 1 of full scale): a hazy, milky sky."""
    scene_gain: tuple[float, float, float]
    """Per-channel light on the rest of the scene at full strength and scene_light 1."""

    def sky_matrix(self, s: float) -> np.ndarray:
        """3x4 affine transform (on 0..255 values) for a sky row at height ``s`` (0 = zenith,
        1 = horizon), at full strength."""
        c = (1 - s) * np.array(self.zenith) + s * np.array(self.horizon)
        tint = c / max(float(c @ LUMA), 1e-6)
        m = self.exposure * ((1 - self.chroma) * np.eye(3) + self.chroma * np.outer(tint, LUMA))
        return np.concatenate([m, np.full((3, 1), 255.0 * self.lift)], axis=1)

    def peak_change(self, scene_light: float = 1.0) -> float:
        """Upper estimate of the relative change of luminance this look makes at full strength,
        in the sky (recolouring keeps encoded luma, but not exactly linear luminance: counted
        as 0.3 of ``chroma``) or on the rest of the scene."""
        sky = abs(self.exposure - 1.0) + self.lift + 0.3 * self.chroma
        scene = scene_light * float(np.abs(np.array(self.scene_gain) - 1.0).max())
        return max(sky, scene, 1e-3)


LOOK_TABLE: dict[str, Look] = {
    "golden-hour": Look("golden-hour", zenith=(0.62, 0.66, 0.80), horizon=(1.00, 0.76, 0.42),
                        chroma=0.55, exposure=1.03, lift=0.0, scene_gain=(1.08, 1.00, 0.86)),
    "sunset": Look("sunset", zenith=(0.48, 0.40, 0.66), horizon=(1.00, 0.52, 0.28),
                   chroma=0.70, exposure=0.94, lift=0.0, scene_gain=(1.05, 0.92, 0.82)),
    "blue-hour": Look("blue-hour", zenith=(0.18, 0.26, 0.62), horizon=(0.55, 0.62, 0.90),
                      chroma=0.65, exposure=0.80, lift=0.0, scene_gain=(0.84, 0.90, 1.04)),
    "storm": Look("storm", zenith=(0.38, 0.41, 0.47), horizon=(0.60, 0.62, 0.64),
                  chroma=0.60, exposure=0.78, lift=0.0, scene_gain=(0.86, 0.88, 0.92)),
    "dreamy": Look("dreamy", zenith=(0.80, 0.76, 0.95), horizon=(1.00, 0.84, 0.90),
                   chroma=0.40, exposure=1.02, lift=0.04, scene_gain=(1.04, 1.00, 1.05)),
}
