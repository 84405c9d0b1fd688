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
from .layers import layer_plate, region_bbox, thin_structure_guard
from .resample import upsample2x

COARSE_LONG_SIDE = 160
LO_FACTOR = 4
DETAIL_SIGMA_PX = 3.0
FIXED_SCALE = 16
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

    plate : (H, W, 3) uint8 sky with the foreground filled in (see ``layer_plate``).
    plate_ref : (H, W, 3) float32 the plate as the two bands give it back (fine detail kept
        only well inside the sky): the frame changes by ``warp(bands) - plate_ref``.
    bands2 : (2H, 2W, 6) int16 plate supersampled 2x, smooth band and fine detail (fixed point).
    alpha : (H, W) float32 sky alpha.
    field : (h, w, 2) float32 coarse wind, grid cells per frame (dx, dy).
    n_frames : loop length N.
    """

    plate: np.ndarray
    plate_ref: np.ndarray
    bands2: np.ndarray
    detail_gain: float
    detail_weight: float
    plate_lo: np.ndarray
    alpha_lo: np.ndarray
    alpha: np.ndarray
    field: np.ndarray
    n_frames: int
    cell: tuple[float, float]
    bbox: tuple[int, int, int, int]
    fwd_ckpt: tuple[np.ndarray, ...]
    bwd_ckpt: tuple[np.ndarray, ...]

    @classmethod
    def prepare(cls, image: np.ndarray, alpha: np.ndarray, spec: CloudSpec, *, n_frames: int,
                fps: float, seed: int, horizon_y: float | None = None,
                guard: bool = True) -> "CloudMotion | None":
        """Build the wind and trajectories for ``image`` (H, W, 3) uint8 and sky ``alpha``.

        With ``guard`` (the default), thin high-contrast structures inside the mask are kept
        still (see :func:`~cinemagraph.motion.layers.thin_structure_guard`).
        Returns None when there is nothing to animate (no sky, or speed 0).
        """
        if not spec.enabled or spec.speed_frac_per_s <= 0 or not (alpha > 0).any():
            return None
        H, W = alpha.shape
        if guard:
            alpha = thin_structure_guard(image, alpha, size_px=max(7, int(max(H, W) / 90) | 1))
        bbox = region_bbox(alpha)
        if bbox is None:
            return None
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
        plate = layer_plate(image, alpha)
        lo = (max(1, W // LO_FACTOR), max(1, H // LO_FACTOR))
        plate_lo = cv2.resize(plate, lo, interpolation=cv2.INTER_AREA)
        # the smooth and detail bands, in 1/16 grey levels (int16) so that storing them adds no
        # visible quantisation noise to smooth skies
        plate_f = plate.astype(np.float32)
        smooth = cv2.GaussianBlur(plate_f, (0, 0), DETAIL_SIGMA_PX)
        # fine detail only well inside the sky: next to edges it would carry the seam between
        # photo and fill along with the wind and leave ghost edges
        clean = cv2.erode((alpha >= 0.9).astype(np.uint8), np.ones((7, 7), np.uint8))
        clean = cv2.GaussianBlur(clean.astype(np.float32), (0, 0), 1.5)[..., None]
        detail2 = supersample2((plate_f - smooth) * clean)
        bands2 = np.ascontiguousarray(np.concatenate([supersample2(smooth), detail2], axis=2))
        core = clean[..., 0]
        # what the bands give back at zero displacement: the composite adds the change from it
        plate_ref = (smooth + (plate_f - smooth) * clean).astype(np.float32)
        detail_gain, detail_weight = _fine_band_gains(detail2, core)
        alpha_lo = cv2.resize(alpha, lo, interpolation=cv2.INTER_AREA)
        return cls(plate, plate_ref, bands2, detail_gain, detail_weight, plate_lo, alpha_lo,
                   alpha, field, n_frames, cell, bbox, tuple(fwd), tuple(bwd))

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

    def displacement(self, k: int, sign: float) -> np.ndarray:
        """Coarse (h, w, 2) displacement (dx, dy) in output pixels after ``k`` frames."""
        h, w = self.field.shape[:2]
        return self.positions(k, sign) - _grid_positions(h, w, self.cell)

    def warp_map(self, k: int, sign: float) -> np.ndarray:
        """Full-resolution remap map of the bbox crop, (h, w, 2) float32 image pixels
        (the convention ``out[y, x] = plate[map[y, x, 1], map[y, x, 0]]``)."""
        y0, y1, x0, x1 = self.bbox
        H, W = self.alpha.shape
        full = cv2.resize(self.displacement(k, sign), (W, H), interpolation=cv2.INTER_LINEAR)[y0:y1, x0:x1]
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
        disp_f = self.displacement(t, 1.0)
        disp_b = self.displacement(n - t, -1.0)
        mean_lo, gain = self._blend_stats(disp_f, disp_b, wgt)
        H, W = self.alpha.shape
        lo_x = W / mean_lo.shape[1]
        lo_y = H / mean_lo.shape[0]
        # restore the fine band's energy only as far as it holds texture, not rounding noise
        gain_fine = 1.0 + (self.detail_gain / math.sqrt((1.0 - wgt) ** 2 + wgt**2) - 1.0) * self.detail_weight
        K.cloud_composite(self.bands2, 1.0 / FIXED_SCALE, disp_f, disp_b,
                          self.cell[0], self.cell[1], y0, x0, mean_lo, lo_x, lo_y, wgt, gain,
                          gain_fine, self.plate_ref[y0:y1, x0:x1],
                          self.alpha[y0:y1, x0:x1], frame[y0:y1, x0:x1])

    def _blend_stats(self, disp_f: np.ndarray, disp_b: np.ndarray, wgt: float) -> tuple[np.ndarray, float]:
        """Low-resolution local mean of the blend and the gain that restores the band-pass
        energy a plain blend of the two warps loses (both measured at 1/LO_FACTOR size)."""
        hl, wl = self.plate_lo.shape[:2]
        H, W = self.alpha.shape
        a = _remap(self.plate_lo, _lo_map(disp_f, hl, wl, W / wl, H / hl))
        b = _remap(self.plate_lo, _lo_map(disp_b, hl, wl, W / wl, H / hl))
        return _blend_stats(a, b, wgt, self.alpha_lo)

    def energy(self, n: int) -> np.ndarray:
        """Per-frame motion energy in [0, 1] (constant drift: the wind speed)."""
        speed = float(np.sqrt((self.field**2).sum(-1)).max()) * self.cell[0]
        return np.full(n, min(1.0, speed / 1.5), np.float32)

def _grid_positions(h: int, w: int, cell: tuple[float, float]) -> np.ndarray:
    gy, gx = np.mgrid[0:h, 0:w].astype(np.float32)
    return np.stack([(gx + 0.5) * cell[0] - 0.5, (gy + 0.5) * cell[1] - 0.5], axis=-1).astype(np.float32)


def _remap(plate: np.ndarray, xy: np.ndarray) -> np.ndarray:
    return cv2.remap(plate, xy, None, interpolation=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REFLECT101)


def supersample2(plate: np.ndarray) -> np.ndarray:
    """Float plate upsampled 2x on a pixel-aligned grid (:func:`~.resample.upsample2x`),
    returned as int16 in units of 1/FIXED_SCALE grey level, shape (2H, 2W, 3)."""
    up = upsample2x(plate.astype(np.float32))
    return np.clip(np.round(up * FIXED_SCALE), -32768, 32767).astype(np.int16)


def _smooth(img: np.ndarray, sigma: float) -> np.ndarray:
    """Fast Gaussian-like low-pass (two box filters of matching variance)."""
    k = max(1, int(round(sigma * math.sqrt(6.0)))) | 1
    return cv2.blur(cv2.blur(img, (k, k), borderType=cv2.BORDER_REFLECT101), (k, k),
                    borderType=cv2.BORDER_REFLECT101)


def _fine_band_gains(detail2: np.ndarray, core: np.ndarray, *, phase: float = 0.17,
                     floor: float = 2.0, span: float = 6.0) -> tuple[float, float]:
    """Two figures of the fine band, measured as Laplacian energy where ``core > 0.5``.

    * the gain that restores the energy lost to bilinear sampling of the 2x plate at a typical
      sub-pixel phase (``phase`` in 2x-grid units; 0.21 would have the mean blur of a uniformly
      random phase; a little less avoids over-sharpening), in [1, 1.5];
    * how much of the band is texture rather than 8-bit rounding noise, in [0, 1]: a smooth
      sky stored in 8 bits has an energy of about 1 grey level squared (rounding noise, which
      every output frame gets afresh anyway), a textured sky tens; below ``floor`` the weight
      is 0, above ``floor + span`` 1.

    detail2 : (2H, 2W, 3) fixed-point fine band; core : (H, W) weight of the sky's interior.
    """
    sel = core > 0.5
    if sel.sum() < 64:
        return 1.0, 0.0
    h2, w2 = detail2.shape[:2]
    d = detail2.astype(np.float32) / FIXED_SCALE
    gy, gx = np.mgrid[0:h2:2, 0:w2:2].astype(np.float32)
    moved = cv2.remap(d, gx + phase, gy + phase, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT101)
    e0 = float(cv2.Laplacian(d[::2, ::2].mean(-1), cv2.CV_32F)[sel].var())
    e1 = float(cv2.Laplacian(moved.mean(-1), cv2.CV_32F)[sel].var())
    gain = float(min(max(math.sqrt(e0 / e1), 1.0), 1.5)) if e1 > 1e-9 else 1.0
    return gain, float(np.clip((e0 - floor) / span, 0.0, 1.0))


def _lo_map(disp: np.ndarray, hl: int, wl: int, sx: float, sy: float) -> np.ndarray:
    """Remap map for the low-resolution plate from a coarse displacement field."""
    d = cv2.resize(disp, (wl, hl), interpolation=cv2.INTER_LINEAR)
    gy, gx = np.mgrid[0:hl, 0:wl].astype(np.float32)
    d[..., 0] = gx + d[..., 0] / sx
    d[..., 1] = gy + d[..., 1] / sy
    return d


def _blend_stats(a4: np.ndarray, b4: np.ndarray, wgt: float, alpha4: np.ndarray,
                 sigma: float = 6.0) -> tuple[np.ndarray, float]:
    """Local mean of the blend of two low-resolution warps (float32, same size) and the
    gain that restores the band-pass energy a plain blend of ``a4`` and ``b4`` loses."""
    a4 = a4.astype(np.float32)
    b4 = b4.astype(np.float32)
    m4 = (1 - wgt) * a4 + wgt * b4
    mean4 = _smooth(m4, sigma)
    sel = alpha4 > 0.5
    if sel.sum() < 16:
        return mean4, 1.0
    ha = (a4 - _smooth(a4, sigma))[sel]
    hb = (b4 - _smooth(b4, sigma))[sel]
    hm = (m4 - mean4)[sel]
    want = (1 - wgt) * float((ha * ha).mean()) + wgt * float((hb * hb).mean())
    have = float((hm * hm).mean())
    gain = math.sqrt(want / have) if have > 1e-6 else 1.0
    return mean4, float(min(max(gain, 1.0), 1.6))
