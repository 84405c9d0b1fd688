"""Drifting clouds: a static Eulerian wind over the sky, looped exactly.

The wind M is a base direction and speed (slower toward the horizon: perspective) plus the
curl of a smooth noise stream function (divergence-free turbulence, so clouds also slowly
change shape). Frame t blends two warps of the sky plate (Holynski et al. 2021):

* the plate advected forward for t frames, and
* the plate advected *backward* for N - t frames,

with weight t / N. At t = 0 the first is the photo, at t = N the second is, so frame N equals
frame 0 and the loop point is no bigger a step than any other.

Blending two different images loses contrast in the middle of the loop (a visible pulse of
"softness"). The blend is therefore re-contrasted about its local mean with a gain measured
each frame from the band-pass energy of the two warps, so sharpness stays constant.

Trajectories are integrated on a coarse grid (the wind is smooth) and kept as checkpoints
every few frames, so any frame can be made in O(1) memory and in any order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from ..recipe import CloudSpec
from . import _kernels as K
from .layers import fill_plate, region_bbox

COARSE_LONG_SIDE = 160
CHECKPOINT_EVERY = 8


def stream_function(h: int, w: int, *, seed: int, cells: int = 3) -> np.ndarray:
    """Smooth noise stream function on an (h, w) grid, scaled so max |grad| is 1 per cell."""
    from ..testing import fractal_noise

    psi = fractal_noise(h, w, seed=seed, octaves=3, base_cells=cells, persistence=0.5)
    gy, gx = np.gradient(psi)
    g = float(np.sqrt(gx**2 + gy**2).max())
    return (psi / max(g, 1e-9)).astype(np.float32)


@dataclass(frozen=True, eq=False)
class CloudMotion:
    """A prepared cloud drift for one photo; call :meth:`layer` for each frame.

    plate : (H, W, 3) uint8 sky with the foreground filled in.
    alpha : (H, W) float32 sky alpha.
    field : (h, w, 2) float32 coarse wind, grid cells per frame (dx, dy).
    n_frames : loop length N.
    """

    plate: np.ndarray
    alpha: np.ndarray
    field: np.ndarray
    n_frames: int
    cell: tuple[float, float]
    bbox: tuple[int, int, int, int]
    fwd_ckpt: tuple[np.ndarray, ...]
    bwd_ckpt: tuple[np.ndarray, ...]

    @classmethod
    def prepare(cls, image: np.ndarray, alpha: np.ndarray, spec: CloudSpec, *, n_frames: int,
                fps: float, seed: int, horizon_y: float | None = None) -> "CloudMotion | None":
        """Build the wind and trajectories for ``image`` (H, W, 3) uint8 and sky ``alpha``.

        Returns None when there is nothing to animate (no sky, or speed 0).
        """
        bbox = region_bbox(alpha)
        if bbox is None or not spec.enabled or spec.speed_frac_per_s <= 0:
            return None
        H, W = alpha.shape
        s = COARSE_LONG_SIDE / max(H, W)
        h, w = max(4, round(H * s)), max(4, round(W * s))
        cell = (W / w, H / h)
        if horizon_y is None:
            rows = np.flatnonzero(alpha.max(axis=1) > 0.5)
            horizon_y = (rows[-1] + 1) / H if rows.size else 1.0
        horizon_rows = max(1.0, horizon_y * h)
        theta = math.radians(spec.direction_deg)
        speed_px = spec.speed_frac_per_s * W / fps  # output px per frame at the top
        psi = stream_function(h, w, seed=seed)
        field = np.zeros((h, w, 2), np.float32)
        K.wind_field(psi, math.cos(theta), -math.sin(theta), speed_px / cell[0], spec.turbulence,
                     horizon_rows, spec.perspective, field)
        # the wind is in grid cells per frame along x; rescale dy to row cells
        field[..., 1] *= cell[0] / cell[1]

        grid = _grid_positions(h, w, cell)
        fwd, bwd = [grid.copy()], [grid.copy()]
        for ckpts, sign in ((fwd, 1.0), (bwd, -1.0)):
            pos = grid.copy()
            for _ in range(n_frames // CHECKPOINT_EVERY):
                K.advect_positions(field, pos, CHECKPOINT_EVERY, sign, cell[0], cell[1])
                ckpts.append(pos.copy())
        plate = fill_plate(image, alpha >= 0.98)
        return cls(plate, alpha, field, n_frames, cell, bbox, tuple(fwd), tuple(bwd))

    # ---------------------------------------------------------------------------------
    def positions(self, k: int, sign: float) -> np.ndarray:
        """Coarse (h, w, 2) source positions after ``k`` frames of motion (sign +1) or of
        reversed motion (sign -1), in output pixels."""
        ckpts = self.fwd_ckpt if sign > 0 else self.bwd_ckpt
        base = min(k // CHECKPOINT_EVERY, len(ckpts) - 1)
        pos = ckpts[base].copy()
        rest = k - base * CHECKPOINT_EVERY
        if rest:
            K.advect_positions(self.field, pos, rest, sign, self.cell[0], self.cell[1])
        return pos

    def warp_map(self, k: int, sign: float) -> np.ndarray:
        """Full-resolution remap map (bbox crop), shape (h, w, 2) float32 in image pixels."""
        y0, y1, x0, x1 = self.bbox
        H, W = self.alpha.shape
        h, w = self.field.shape[:2]
        disp = self.positions(k, sign) - _grid_positions(h, w, self.cell)
        full = cv2.resize(disp, (W, H), interpolation=cv2.INTER_LINEAR)[y0:y1, x0:x1]
        gy, gx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
        full[..., 0] += gx
        full[..., 1] += gy
        return full

    def apply(self, frame: np.ndarray, t: int) -> None:
        """Add the cloud motion of frame ``t`` to ``frame`` (H, W, 3) uint8, in place.

        Frame 0 (and so frame N) is left exactly as it is.
        """
        n = self.n_frames
        t = t % n
        if t == 0:
            return
        y0, y1, x0, x1 = self.bbox
        wgt = t / n
        a = _remap(self.plate, self.warp_map(t, 1.0))
        b = _remap(self.plate, self.warp_map(n - t, -1.0))
        mean, gain = _blend_stats(a, b, wgt, self.alpha_crop)
        crop = frame[y0:y1, x0:x1]
        K.blend_composite(a, b, mean, np.float32(wgt), np.float32(gain),
                          np.ascontiguousarray(self.plate[y0:y1, x0:x1]), self.alpha_crop, crop)

    def energy(self, n: int) -> np.ndarray:
        """Per-frame motion energy in [0, 1] (constant drift: the wind speed)."""
        speed = float(np.sqrt((self.field**2).sum(-1)).max()) * self.cell[0]
        return np.full(n, min(1.0, speed / 1.5), np.float32)

    @property
    def alpha_crop(self) -> np.ndarray:
        y0, y1, x0, x1 = self.bbox
        return np.ascontiguousarray(self.alpha[y0:y1, x0:x1])


def _grid_positions(h: int, w: int, cell: tuple[float, float]) -> np.ndarray:
    gy, gx = np.mgrid[0:h, 0:w].astype(np.float32)
    return np.stack([(gx + 0.5) * cell[0] - 0.5, (gy + 0.5) * cell[1] - 0.5], axis=-1).astype(np.float32)


def _remap(plate: np.ndarray, xy: np.ndarray) -> np.ndarray:
    return cv2.remap(plate, xy, None, interpolation=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REFLECT101)


def _blend_stats(a: np.ndarray, b: np.ndarray, wgt: float, alpha: np.ndarray,
                 factor: int = 4) -> tuple[np.ndarray, float]:
    """Local mean of the blend (full size, float32) and the gain that restores the
    band-pass energy a plain blend of ``a`` and ``b`` loses."""
    h, w = a.shape[:2]
    sw, sh = max(1, w // factor), max(1, h // factor)
    a4 = cv2.resize(a, (sw, sh), interpolation=cv2.INTER_AREA).astype(np.float32)
    b4 = cv2.resize(b, (sw, sh), interpolation=cv2.INTER_AREA).astype(np.float32)
    m4 = (1 - wgt) * a4 + wgt * b4
    sigma = 6.0
    mean4 = cv2.GaussianBlur(m4, (0, 0), sigma)
    mean = cv2.resize(mean4, (w, h), interpolation=cv2.INTER_LINEAR)
    sel = cv2.resize(alpha, (sw, sh), interpolation=cv2.INTER_AREA) > 0.5
    if sel.sum() < 16:
        return mean, 1.0
    ha = (a4 - cv2.GaussianBlur(a4, (0, 0), sigma))[sel]
    hb = (b4 - cv2.GaussianBlur(b4, (0, 0), sigma))[sel]
    hm = (m4 - mean4)[sel]
    want = (1 - wgt) * float((ha * ha).mean()) + wgt * float((hb * hb).mean())
    have = float((hm * hm).mean())
    gain = math.sqrt(want / have) if have > 1e-6 else 1.0
    return mean, float(min(max(gain, 1.0), 1.6))
