"""Sky grading: a slow, periodic time-of-day colour transfer.

The sky (and, at ``REFLECTION`` strength, the water that mirrors it) moves toward a look's
colours and back once per loop along a raised cosine, ``w(t) = peak * (1 - cos(2 pi t / N)) / 2``;
the rest of the scene follows with a gentle per-channel change of light
(``GradeSpec.scene_light``). ``w(0) = w(N) = 0``: frame 0 is the ungraded frame and the loop is
exact. The peak is lowered for short loops so that no frame differs from the previous one by
more than ``MAX_STEP`` (2 %) in relative luminance -- far below the 10 % of a WCAG 2.3.1 flash.
With look ``none`` nothing is prepared and no pixel changes.

Examples
--------
>>> import numpy as np
>>> from cinemagraph.grade import GradeMotion
>>> from cinemagraph.recipe import GradeSpec
>>> sky = np.zeros((4, 6), np.float32); sky[:2] = 1
>>> g = GradeMotion.prepare(sky, np.zeros_like(sky), GradeSpec(look="sunset"), n_frames=180)
>>> g.weight(0), round(g.weight(90), 2), g.weight(180)
(0.0, 0.6, 0.0)
>>> GradeMotion.prepare(sky, sky, GradeSpec(look="none"), n_frames=10) is None
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..frames import check_frame, region_box
from ..recipe import GradeSpec
from . import _kernels as K
from .looks import LOOK_TABLE, Look

REFLECTION = 0.7
"""Share of the sky's change of colour that reaches the water mirroring it."""
MAX_STEP = 0.02
"""Largest relative change of luminance from one frame to the next that grading may cause."""

_IDENTITY = np.array([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0], np.float64)


def row_matrices(look: Look, height: int, horizon_row: float) -> np.ndarray:
    """(height, 12) full-strength sky transforms per row; rows below the horizon take the
    transform of the sky row they mirror."""
    hy = max(1.0, float(horizon_row))
    y = np.arange(height, dtype=np.float64) + 0.5
    mirrored = np.where(y <= hy, y, 2 * hy - y)
    s = np.clip(mirrored / hy, 0.0, 1.0)
    return np.stack([look.sky_matrix(float(v)).ravel() for v in s])


@dataclass(frozen=True, eq=False, kw_only=True)
class GradeMotion:
    """A prepared time-of-day grade (see the module docstring).

    weight_map : (h, w) uint8 sky weight in 1/255 steps inside the box at ``origin`` (y0, x0),
        or a 1x1 zero.
    mats : (H, 12) float64 full-strength per-row sky transforms.
    peak : strength at the middle of the loop (``GradeSpec.strength``, lowered for short loops).
    """

    look: Look
    weight_map: np.ndarray
    origin: tuple[int, int]
    mats: np.ndarray
    peak: float
    scene_light: float
    n_frames: int

    @classmethod
    def prepare(cls, sky: np.ndarray, water: np.ndarray, spec: GradeSpec, *, n_frames: int,
                horizon_y: float | None = None) -> "GradeMotion | None":
        """Prepare the grade for sky and water alphas (H, W) float32; None for look ``none``
        or when nothing would change."""
        if spec.look == "none" or spec.strength <= 0:
            return None
        look = LOOK_TABLE[spec.look]
        H = sky.shape[0]
        wmap = np.clip(sky + REFLECTION * water, 0.0, 1.0).astype(np.float32)
        box = region_box(wmap)
        if box is None and spec.scene_light <= 0:
            return None
        if horizon_y is not None:
            hy = horizon_y * H
        else:
            rows = np.flatnonzero(sky.max(axis=1) > 0.5)
            hy = float(rows[-1] + 1) if rows.size else float(H)
        peak = min(spec.strength,
                   MAX_STEP * n_frames / (math.pi * look.peak_change(spec.scene_light)))
        if box is None:
            weight, origin = np.zeros((1, 1), np.uint8), (0, 0)
        else:
            y0, y1, x0, x1 = box
            weight, origin = np.rint(wmap[y0:y1, x0:x1] * 255.0).astype(np.uint8), (y0, x0)
        return cls(look=look, weight_map=weight, origin=origin, mats=row_matrices(look, H, hy),
                   peak=float(peak), scene_light=float(spec.scene_light), n_frames=int(n_frames))

    def weight(self, t: int) -> float:
        """Grade strength of frame ``t``: a raised cosine, 0 at t = 0 and ``peak`` at N / 2."""
        t = int(t) % self.n_frames
        return self.peak * 0.5 * (1.0 - math.cos(2.0 * math.pi * t / self.n_frames))

    def frame_tables(self, t: int) -> tuple[np.ndarray, np.ndarray]:
        """Per-row sky transforms (H, 12) and the per-channel scene-light gains (3,) of frame
        ``t``."""
        w = self.weight(t)
        mats = _IDENTITY + w * (self.mats - _IDENTITY)
        gain = 1.0 + w * self.scene_light * (np.array(self.look.scene_gain, np.float64) - 1.0)
        return np.ascontiguousarray(mats), gain

    def apply(self, frame: np.ndarray, t: int) -> np.ndarray:
        """Grade ``frame`` (H, W, 3) uint8 in place and return it; frame 0 (and N) is left
        untouched."""
        check_frame(frame)
        if self.weight(t) == 0.0:
            return frame
        mats, gain = self.frame_tables(t)
        full = bool((gain != 1.0).any())
        K.grade_frame(frame, self.weight_map, self.origin[0], self.origin[1], mats, gain, full)
        return frame

    def energy(self, n: int) -> np.ndarray:
        """Grading is not motion: no energy."""
        return np.zeros(n, np.float32)
