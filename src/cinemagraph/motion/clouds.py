"""Drifting clouds: a static Eulerian wind over the sky, looped exactly.

The wind M is a base direction and speed (slower toward the horizon: perspective) plus the
curl of a smooth noise stream function (divergence-free turbulence, so clouds also slowly
change shape). Frame t blends two warps of the sky plate (Holynski et al. 2021):

* the plate advected forward for t frames, and
* the plate advected *backward* for N - t frames,

with weight t / N. At t = 0 the first is the photo, at t = N the second is, so frame N equals
frame 0 and the loop point is no bigger a step than any other.

The plate is split in two bands. The coarse band (a blur of the plate, kept at a quarter of
the resolution) is warped and blended at that low resolution, where both warps cost little,
and re-contrasted about its local mean, so the blend does not visibly lose contrast in the
middle of the loop. The fine band (luma only) is warped at full resolution from a 2x
supersampled copy, so slow sub-pixel motion does not pulse between sharp and soft. Both bands
are blended with a gain that keeps their energy constant, ``1 / sqrt((1 - w)^2 + w^2 + 2 w (1
- w) rho)`` for a band whose two warps correlate by ``rho``; for a static wind the two warps'
sources always lie N frames apart along the wind, so ``rho`` is measured once. Per frame: two
small warps of the coarse band, two ``cv2.remap`` of the one-channel fine band, and one fused
kernel that adds the bands and composites the change under the mask.

Trajectories are integrated once on a coarse grid (the wind is smooth) and kept for every
frame (a few hundred kB each; every few frames for very long loops), so any frame can be made
in any order.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import cv2
import numpy as np

from ..frames import Box, check_frame, region_box
from ..recipe import CloudSpec
from . import _kernels as K
from .layers import alpha_rows, layer_plate, thin_structure_guard
from .noise import fractal_noise
from .resample import upsample2x

COARSE_LONG_SIDE = 160
LO_FACTOR = 4
DETAIL_SIGMA_PX = 3.0
MEAN_SIGMA_LO = 6.0
"""Blur (low-resolution pixels) of the local mean the coarse band is re-contrasted about."""
MAX_COARSE_GAIN = 1.6
CHECKPOINT_BYTES = 64 << 20
"""Most memory the stored trajectories may take; longer loops keep every few frames only."""
STRIP_ROWS = 64
"""Rows per strip of the sky's bounding box that the composite visits (empty strips are skipped)."""
FINE_NOISE_STD = 0.75
"""A fine band with less spread than this (grey levels) inside the sky is noise: it stays put."""
HI_UNIT = 1.0 / 16
"""The fine band is stored as int16 in steps of this many grey levels (fixed point): whole
grey levels would add rounding noise that every moved frame shows and the photo does not."""


def stream_function(h: int, w: int, *, seed: int, cells: int = 3) -> np.ndarray:
    """Smooth noise stream function on an (h, w) grid, scaled so max |grad| is 1 per cell."""
    psi = fractal_noise(h, w, seed=seed, octaves=3, base_cells=cells, persistence=0.5)
    gy, gx = np.gradient(psi)
    g = float(np.sqrt(gx**2 + gy**2).max())
    return (psi / max(g, 1e-9)).astype(np.float32)


@dataclass(frozen=True, eq=False)
class _Band:
    """A band of the plate ready to be warped: ``pixels`` cover every position a warp of the
    loop can reach (reflected past the photo's edges, so ``cv2.remap`` never needs its slow
    border path); ``origin`` (y, x) is the position of ``pixels[0, 0]`` in the band's grid."""

    pixels: np.ndarray
    origin: tuple[int, int]

    @classmethod
    def reaching(cls, img: np.ndarray, ys: tuple[float, float], xs: tuple[float, float],
                 margin: int = 2) -> "_Band":
        """The part of ``img`` covering rows ``ys`` and columns ``xs`` (ranges of positions,
        possibly beyond the image), plus ``margin``, reflect-101 outside the image."""
        H, W = img.shape[:2]
        y_lo, y_hi = int(math.floor(ys[0])) - margin, int(math.ceil(ys[1])) + margin + 1
        x_lo, x_hi = int(math.floor(xs[0])) - margin, int(math.ceil(xs[1])) + margin + 1
        y_lo, y_hi = max(y_lo, -4 * H), min(y_hi, 5 * H)  # far beyond the image: mirrored anyway
        x_lo, x_hi = max(x_lo, -4 * W), min(x_hi, 5 * W)
        top, bottom = max(0, -y_lo), max(0, y_hi - H)
        left, right = max(0, -x_lo), max(0, x_hi - W)
        padded = img
        if top or bottom or left or right:
            padded = _reflect_pad(img, top, bottom, left, right)
        crop = padded[y_lo + top:y_hi + top, x_lo + left:x_hi + left]
        return cls(np.ascontiguousarray(crop), (y_lo, x_lo))


def _reflect_pad(img: np.ndarray, top: int, bottom: int, left: int, right: int) -> np.ndarray:
    """``cv2.copyMakeBorder`` with BORDER_REFLECT_101, also for pads larger than the image."""
    out = img
    while top or bottom or left or right:
        h, w = out.shape[:2]
        t, b = min(top, h - 1), min(bottom, h - 1)
        l, r = min(left, w - 1), min(right, w - 1)
        if h == 1:
            t, b = 0, 0
            out = np.concatenate([out] * (1 + top + bottom), axis=0)
            top = bottom = 0
        if w == 1:
            l, r = 0, 0
            out = np.concatenate([out] * (1 + left + right), axis=1)
            left = right = 0
        out = cv2.copyMakeBorder(out, t, b, l, r, cv2.BORDER_REFLECT_101)
        top, bottom, left, right = top - t, bottom - b, left - l, right - r
    return out


@dataclass(frozen=True, eq=False, kw_only=True)
class Wind:
    """The static wind and where it carries the coarse grid in every frame.

    field : (h, w, 2) float32 wind on the coarse grid, in grid cells per frame (dx, dy).
    cell : (width, height) of a grid cell in photo pixels.
    fwd, bwd : (N // every + 1, h, w, 2) float32 displacement in photo pixels after
        ``k * every`` frames of the wind and of the wind run backwards (``every`` is 1 unless
        that would hold more than ``CHECKPOINT_BYTES``).
    """

    field: np.ndarray
    cell: tuple[float, float]
    n_frames: int
    fwd: np.ndarray
    bwd: np.ndarray
    every: int

    def displacement(self, k: int, sign: float) -> np.ndarray:
        """Coarse (h, w, 2) displacement (dx, dy) in output pixels after ``k`` frames of
        motion (sign +1) or of reversed motion (sign -1), 0 <= k <= N."""
        ckpts = self.fwd if sign > 0 else self.bwd
        base = min(k // self.every, len(ckpts) - 1)
        rest = k - base * self.every
        if rest == 0:
            return ckpts[base]
        h, w = self.field.shape[:2]
        grid = _grid_positions(h, w, self.cell)
        pos = grid + ckpts[base]
        K.advect_positions(self.field, pos, rest, sign, self.cell[0], self.cell[1])
        return pos - grid


@dataclass(frozen=True, eq=False, kw_only=True)
class CoarseBand:
    """The plate's coarse band at 1 / ``LO_FACTOR`` resolution.

    band : the band (float32, a ``_Band``) covering every position the loop's warps reach.
    shape : (hl, wl) of that resolution; rows : the rows of it the sky's box needs (r0, r1);
    still : those rows unmoved; alpha : the sky alpha at that resolution; rho : how much the
    two warps' band-pass correlates (see :meth:`CloudMotion._correlations`).
    """

    band: _Band
    shape: tuple[int, int]
    rows: tuple[int, int]
    still: np.ndarray
    alpha: np.ndarray
    rho: float = 0.0


@dataclass(frozen=True, eq=False, kw_only=True)
class FineBand:
    """The plate's fine band (luma only) at full resolution.

    band : the band supersampled 2x, int16 in ``HI_UNIT`` steps (a ``_Band`` on the 2x grid:
        pixel X of the photo at 2X).
    still : per strip, (h, w) int16 the band unmoved; plate_ref : per strip, (h, w, 3) float32
        the sky plate as the two bands give it back (the frame changes by ``layer - plate_ref``).
    moves : whether the band holds more than noise (std above ``FINE_NOISE_STD`` inside the
        sky) and so moves with the wind (otherwise it stays put, which costs nothing).
    detail_gain, detail_weight : see :func:`_fine_band_gains`; rho : how much its two warps
        correlate.
    """

    band: _Band
    still: tuple[np.ndarray, ...]
    plate_ref: tuple[np.ndarray, ...]
    moves: bool
    detail_gain: float
    detail_weight: float
    rho: float = 0.0

    def gain(self, wgt: float) -> float:
        """Gain of the band at blend weight ``wgt``: the energy a blend of two warps that
        correlate by ``rho`` loses (:func:`blend_gain`), times the sub-pixel sharpening
        ``detail_gain``, restored as far as the band holds texture rather than rounding noise
        (``detail_weight``)."""
        return 1.0 + (self.detail_gain * blend_gain(wgt, self.rho) - 1.0) * self.detail_weight


@dataclass(frozen=True, eq=False, kw_only=True)
class CloudMotion:
    """A prepared cloud drift for one photo; call :meth:`apply` for each frame.

    shape : (H, W) of the photo; bbox : the box of the sky (alpha > 0, grown by 2 px).
    strips : boxes of at most ``STRIP_ROWS`` rows that cover every pixel with alpha > 0 (a sky
        seen through gaps fills little of its box: the rest is skipped); alpha3 : per strip,
        the sky alpha as the kernels read it (``layers.alpha_rows``).
    wind, coarse, fine : the wind and the plate's two bands (the plate is the sky with the
        foreground filled in, see ``layers.layer_plate``).
    """

    shape: tuple[int, int]
    bbox: Box
    strips: tuple[Box, ...]
    alpha3: tuple[np.ndarray, ...]
    wind: Wind
    coarse: CoarseBand
    fine: FineBand

    @property
    def n_frames(self) -> int:
        return self.wind.n_frames

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
        bbox = region_box(alpha, pad=2)
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
        # displacement after k frames of motion (fwd) or of the motion run backwards (bwd),
        # every frame unless that is too much memory for a long loop; the extent of every
        # frame's displacement sets how far the bands must reach
        every = max(1, math.ceil(2 * (n_frames + 1) * grid.nbytes / CHECKPOINT_BYTES))
        fwd = np.zeros((n_frames // every + 1, h, w, 2), np.float32)
        bwd = np.zeros_like(fwd)
        lo_ext = np.zeros(2, np.float64)
        hi_ext = np.zeros(2, np.float64)
        for disp, sign in ((fwd, 1.0), (bwd, -1.0)):
            pos = grid.copy()
            for k in range(1, n_frames + 1):
                K.advect_positions(field, pos, 1, sign, cell[0], cell[1])
                d = pos - grid
                np.minimum(lo_ext, d.reshape(-1, 2).min(axis=0), out=lo_ext)
                np.maximum(hi_ext, d.reshape(-1, 2).max(axis=0), out=hi_ext)
                if k % every == 0:
                    disp[k // every] = d
        dx, dy = (lo_ext[0], hi_ext[0]), (lo_ext[1], hi_ext[1])

        plate = layer_plate(image, alpha)
        hl, wl = max(1, H // LO_FACTOR), max(1, W // LO_FACTOR)
        # coarse band: the blurred plate at low resolution; fine band: what its bilinear
        # upsampling (the kernel's) misses, kept only well inside the sky (next to edges it
        # would carry the seam between photo and fill along with the wind: ghost edges)
        plate_f = plate.astype(np.float32)
        lo = cv2.resize(cv2.GaussianBlur(plate_f, (0, 0), DETAIL_SIGMA_PX), (wl, hl),
                        interpolation=cv2.INTER_AREA)
        lo_ref = upsample_lo(lo, (H, W))
        clean = cv2.erode((alpha >= 0.9).astype(np.uint8), np.ones((7, 7), np.uint8))
        clean = cv2.GaussianBlur(clean.astype(np.float32), (0, 0), 1.5)
        # the fine band keeps luma only (added to all three channels): fine colour detail is
        # what the eye resolves least (the reason for 4:2:0 video), and one channel costs a third
        hi = (plate_f - lo_ref).mean(axis=2) * clean
        hi2 = np.clip(np.round(upsample2x(hi) / HI_UNIT), -32768, 32767).astype(np.int16)
        # what the bands give back at zero displacement: the composite adds the change from it
        y0, y1, x0, x1 = bbox
        fine_box = hi2[2 * y0:2 * y1:2, 2 * x0:2 * x1:2]
        fine_moves = _holds_texture(fine_box, clean[y0:y1, x0:x1])
        strips = tuple(Box(*b) for b in _strips(alpha, bbox))
        fine_still = tuple(np.ascontiguousarray(hi2[2 * a:2 * b:2, 2 * c:2 * d:2]) for a, b, c, d in strips)
        plate_ref = tuple(np.ascontiguousarray(lo_ref[a:b, c:d] + f.astype(np.float32)[..., None] * HI_UNIT)
                          for (a, b, c, d), f in zip(strips, fine_still))
        alpha3 = tuple(alpha_rows(alpha[a:b, c:d]) for a, b, c, d in strips)
        detail_gain, detail_weight = _fine_band_gains(hi2, clean)
        alpha_lo = cv2.resize(alpha, (wl, hl), interpolation=cv2.INTER_AREA)
        fx, fy = W / wl, H / hl
        hi_band = _Band.reaching(hi2, (2 * (y0 + dy[0]), 2 * (y1 - 1 + dy[1]) + 1),
                                 (2 * (x0 + dx[0]), 2 * (x1 - 1 + dx[1]) + 1))
        lo_band = _Band.reaching(lo, (dy[0] / fy, hl - 1 + dy[1] / fy), (dx[0] / fx, wl - 1 + dx[1] / fx))
        # the low-resolution rows the bbox's bilinear samples reach, plus the local mean's margin
        margin = int(math.ceil(2 * MEAN_SIGMA_LO))
        r0 = max(0, int(math.floor((y0 + 0.5) / fy - 0.5)) - margin)
        r1 = min(hl, int(math.ceil((y1 - 0.5) / fy - 0.5)) + 1 + margin)
        motion = cls(shape=(H, W), bbox=bbox, strips=strips, alpha3=alpha3,
                     wind=Wind(field=field, cell=cell, n_frames=n_frames, fwd=fwd, bwd=bwd, every=every),
                     coarse=CoarseBand(band=lo_band, shape=(hl, wl), rows=(r0, r1),
                                       still=np.ascontiguousarray(lo[r0:r1]), alpha=alpha_lo),
                     fine=FineBand(band=hi_band, still=fine_still, plate_ref=plate_ref, moves=fine_moves,
                                   detail_gain=detail_gain, detail_weight=detail_weight))
        rho, rho_lo = motion._correlations(clean)
        motion = dataclasses.replace(motion, coarse=dataclasses.replace(motion.coarse, rho=rho_lo),
                                     fine=dataclasses.replace(motion.fine, rho=rho))
        return motion._with_grain_kept(image, clean)

    def displacement(self, k: int, sign: float) -> np.ndarray:
        """The wind's coarse displacement after ``k`` frames (see :meth:`Wind.displacement`)."""
        return self.wind.displacement(k, sign)

    def _fine_maps(self, disp: np.ndarray, box: tuple[int, int, int, int] | None = None,
                   origin: tuple[int, int] | None = None,
                   scale: float = 2.0) -> tuple[np.ndarray, np.ndarray]:
        """Maps of ``box`` (default the bbox) at full resolution into a grid ``scale`` times
        finer than the photo's whose pixel (0, 0) sits at ``origin`` (default: the 2x fine band;
        origin (0, 0) and ``scale`` 1 for the photo itself)."""
        y0, y1, x0, x1 = self.bbox if box is None else box
        cx, cy = self.wind.cell
        oy, ox = self.fine.band.origin if origin is None else origin
        return _field_maps(disp, (y1 - y0, x1 - x0), 0.5 * cx - 0.5 - x0, 0.5 * cy - 0.5 - y0,
                           cx, cy, x0 - ox / scale, y0 - oy / scale, scale, scale, scale)

    def _lo_maps(self, disp: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Maps of the low-resolution rows ``coarse.rows`` into the coarse band."""
        hl, wl = self.coarse.shape
        H, W = self.shape
        fx, fy = W / wl, H / hl
        cx, cy = self.wind.cell
        oy, ox = self.coarse.band.origin
        r0, r1 = self.coarse.rows
        return _field_maps(disp, (r1 - r0, wl), 0.5 * cx / fx - 0.5, 0.5 * cy / fy - 0.5 - r0,
                           cx / fx, cy / fy, -ox, r0 - oy, 1.0, 1.0 / fx, 1.0 / fy)

    def warp_map(self, k: int, sign: float) -> np.ndarray:
        """Full-resolution remap map of the bbox crop, (h, w, 2) float32 photo pixels
        (the convention ``out[y, x] = plate[map[y, x, 1], map[y, x, 0]]``)."""
        mx, my = self._fine_maps(self.displacement(k, sign), None, (0, 0), 1.0)
        return np.stack([mx, my], axis=-1)

    def apply(self, frame: np.ndarray, t: int) -> np.ndarray:
        """Add the cloud motion of frame ``t`` to ``frame`` (H, W, 3) uint8, in place, and
        return it. Frame 0 (and so frame N) is left exactly as it is.
        """
        check_frame(frame)
        n = self.n_frames
        t = t % n
        if t == 0:
            return frame
        wgt = t / n
        disp_f = self.displacement(t, 1.0)
        disp_b = self.displacement(n - t, -1.0)
        lo = self.coarse_layer(disp_f, disp_b, wgt)
        H, W = self.shape
        lo_y, r0 = H / self.coarse.shape[0], self.coarse.rows[0]
        if not self.fine.moves:
            # a fine band that is only noise stays where it is (moving it would not show): the
            # frame changes by the coarse band's change alone
            change = _widen(lo - self.coarse.still, W)
            for (a, _, c, _), alpha3 in zip(self.strips, self.alpha3):
                K.coarse_composite(change, lo_y, r0, alpha3, a, c, frame)
            return frame
        g = self.fine.gain(wgt)
        wa, wb = (1.0 - wgt) * g * HI_UNIT, wgt * g * HI_UNIT
        wide = _widen(lo, W)
        for box, plate, alpha3 in zip(self.strips, self.fine.plate_ref, self.alpha3):
            K.cloud_composite(self.warp_fine(disp_f, box), self.warp_fine(disp_b, box), wa, wb,
                              0.0, wide, lo_y, r0, plate, alpha3, box[0], box[2], frame)
        return frame

    def warp_fine(self, disp: np.ndarray, box: tuple[int, int, int, int] | None = None) -> np.ndarray:
        """The fine band warped by a coarse displacement, over ``box`` (default the bbox;
        (h, w) int16 in ``HI_UNIT`` steps)."""
        mx, my = self._fine_maps(disp, box)
        return cv2.remap(self.fine.band.pixels, mx, my, interpolation=cv2.INTER_LINEAR,
                         borderMode=cv2.BORDER_REFLECT101)

    def warp_lo(self, disp: np.ndarray) -> np.ndarray:
        """The coarse band's rows ``coarse.rows`` warped by a coarse displacement (float32)."""
        mx, my = self._lo_maps(disp)
        return cv2.remap(self.coarse.band.pixels, mx, my, interpolation=cv2.INTER_LINEAR,
                         borderMode=cv2.BORDER_REFLECT101)

    def _with_grain_kept(self, image: np.ndarray, core: np.ndarray) -> "CloudMotion":
        """This motion with ``detail_weight`` raised, if need be, so that the frame at mid-loop
        keeps the photo's Laplacian energy inside the sky (``core > 0.5``).

        A fine band that is mostly 8-bit grain gets no energy back by ``detail_weight`` (its
        texture is too weak to measure), yet the blend of its two uncorrelated warps halves
        its energy at mid-loop: the grain would fade and come back once per loop. Energy is
        linear in the square of the fine gain, so two trial frames at N / 2 (the present
        weight and full restoration) give the gain that keeps the photo's energy; the weight
        only ever goes up, to at most 1 (a sky whose energy already rises, as requantising a
        strong change does, is left as it is).
        """
        k = self.n_frames // 2
        sel = core > 0.5
        if not self.fine.moves or k == 0 or sel.sum() < 64 or self.fine.detail_weight >= 1.0:
            return self
        wgt = k / self.n_frames
        full = self._with_detail_weight(1.0)
        g1, g2 = self.fine.gain(wgt), full.fine.gain(wgt)
        if g2 <= g1 + 1e-3:
            return self
        e0 = _lap_energy(image, sel)
        e1 = _lap_energy(self._frame_of(image, k), sel)
        if e1 >= e0:
            return self
        e2 = _lap_energy(full._frame_of(image, k), sel)
        per_gain2 = (e2 - e1) / (g2 * g2 - g1 * g1)
        if per_gain2 <= 1e-9:
            return self
        g = math.sqrt(max(e0 - (e1 - g1 * g1 * per_gain2), 0.0) / per_gain2)
        g = min(max(g, g1), g2)
        weight = (g - 1.0) / (g2 - 1.0)
        return self._with_detail_weight(float(min(max(weight, self.fine.detail_weight), 1.0)))

    def _with_detail_weight(self, weight: float) -> "CloudMotion":
        return dataclasses.replace(self, fine=dataclasses.replace(self.fine, detail_weight=weight))

    def _frame_of(self, image: np.ndarray, t: int) -> np.ndarray:
        return self.apply(np.ascontiguousarray(image).copy(), t)

    def coarse_layer(self, disp_f: np.ndarray, disp_b: np.ndarray, wgt: float) -> np.ndarray:
        """The coarse band of the frame at low resolution: both warps, blended with weight
        ``wgt`` and re-contrasted about their local mean by the gain that keeps the band-pass
        energy of either warp (float32 (r1 - r0, wl, 3): the rows ``coarse.rows``)."""
        blend = cv2.addWeighted(self.warp_lo(disp_f), 1.0 - wgt, self.warp_lo(disp_b), wgt, 0.0)
        gain = min(blend_gain(wgt, self.coarse.rho), MAX_COARSE_GAIN)
        return cv2.addWeighted(blend, gain, _smooth(blend, MEAN_SIGMA_LO), 1.0 - gain, 0.0)

    def _correlations(self, core: np.ndarray) -> tuple[float, float]:
        """How much the two warps of each band correlate: the fine band where ``core > 0.5``
        (over the bbox), the coarse band's band-pass where the sky is. Their
        sources lie N frames apart along the wind at every frame of the loop, so one
        measurement (at N / 2) holds for all."""
        k = self.n_frames // 2
        disp_f, disp_b = self.displacement(k, 1.0), self.displacement(self.n_frames - k, -1.0)
        a, b = self.warp_lo(disp_f), self.warp_lo(disp_b)
        sel = self.coarse.alpha[self.coarse.rows[0]:self.coarse.rows[1]] > 0.5
        rho_lo = 0.0
        if sel.sum() >= 16:
            rho_lo = correlation((a - _smooth(a, MEAN_SIGMA_LO))[sel], (b - _smooth(b, MEAN_SIGMA_LO))[sel])
        y0, y1, x0, x1 = self.bbox
        sel = core[y0:y1, x0:x1] > 0.5
        if sel.sum() < 64:
            return 0.0, rho_lo
        fa = self.warp_fine(disp_f)[sel]
        fb = self.warp_fine(disp_b)[sel]
        return correlation(fa, fb), rho_lo

    def energy(self, n: int) -> np.ndarray:
        """Per-frame motion energy in [0, 1] (constant drift: the wind speed)."""
        speed = float(np.sqrt((self.wind.field**2).sum(-1)).max()) * self.wind.cell[0]
        return np.full(n, min(1.0, speed / 1.5), np.float32)


def _strips(alpha: np.ndarray, bbox: tuple[int, int, int, int]) -> tuple[tuple[int, int, int, int], ...]:
    """Boxes of at most ``STRIP_ROWS`` rows of ``bbox``, each trimmed to the columns where
    ``alpha > 0`` and left out where there is none."""
    y0, y1, x0, x1 = bbox
    out = []
    for a in range(y0, y1, STRIP_ROWS):
        b = min(y1, a + STRIP_ROWS)
        cols = np.flatnonzero(alpha[a:b, x0:x1].max(axis=0) > 0)
        if cols.size:
            out.append((a, b, x0 + int(cols[0]), x0 + int(cols[-1]) + 1))
    return tuple(out)


def _lap_var(img: np.ndarray, sel: np.ndarray) -> float:
    """Variance of the Laplacian of a float32 image where ``sel``: its fine energy."""
    return float(cv2.Laplacian(img, cv2.CV_32F)[sel].var())


def _lap_energy(frame: np.ndarray, sel: np.ndarray) -> float:
    """:func:`_lap_var` of an RGB frame's grey levels."""
    return _lap_var(cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY).astype(np.float32), sel)


def _widen(lo: np.ndarray, width: int) -> np.ndarray:
    """Low-resolution rows upsampled along x only, to ``width`` (bilinear, pixel X at
    ``(X + 0.5) * wl / width - 0.5``, clamped): what the composite kernels interpolate between."""
    return cv2.resize(lo, (width, lo.shape[0]), interpolation=cv2.INTER_LINEAR)


def _field_maps(disp: np.ndarray, shape: tuple[int, int], gox: float, goy: float, step_x: float,
                step_y: float, ox: float, oy: float, scale: float, dscale_x: float,
                dscale_y: float) -> tuple[np.ndarray, np.ndarray]:
    """Allocate and fill the two maps of :func:`~cinemagraph.motion._kernels.field_maps`."""
    mx = np.empty(shape, np.float32)
    my = np.empty(shape, np.float32)
    K.field_maps(disp, float(gox), float(goy), float(step_x), float(step_y), float(ox), float(oy),
                 float(scale), float(dscale_x), float(dscale_y), mx, my)
    return mx, my


def _grid_positions(h: int, w: int, cell: tuple[float, float]) -> np.ndarray:
    gy, gx = np.mgrid[0:h, 0:w].astype(np.float32)
    return np.stack([(gx + 0.5) * cell[0] - 0.5, (gy + 0.5) * cell[1] - 0.5], axis=-1).astype(np.float32)


def upsample_lo(lo: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Bilinear upsampling of a low-resolution band to ``shape`` (H, W) exactly as the cloud
    kernel samples it (pixel X at ``(X + 0.5) * wl / W - 0.5``, clamped at the border)."""
    H, W = shape
    return cv2.resize(lo, (W, H), interpolation=cv2.INTER_LINEAR)


def _smooth(img: np.ndarray, sigma: float) -> np.ndarray:
    """Fast Gaussian-like low-pass of scale ``sigma`` px: a Gaussian at a quarter of the
    resolution, upsampled bilinearly (a local mean; it needs no finer detail)."""
    h, w = img.shape[:2]
    if min(h, w) < 16:
        return cv2.GaussianBlur(img, (0, 0), sigma, borderType=cv2.BORDER_REFLECT101)
    small = cv2.resize(img, (max(1, w // 4), max(1, h // 4)), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (0, 0), sigma / 4.0, borderType=cv2.BORDER_REFLECT101)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def _fine_band_gains(hi2: np.ndarray, core: np.ndarray, *, phase: float = 0.17,
                     floor: float = 2.0, span: float = 6.0) -> tuple[float, float]:
    """Two figures of the fine band, measured as Laplacian energy where ``core > 0.5``.

    * the gain that restores the energy lost to bilinear sampling of the 2x plate at a typical
      sub-pixel phase (``phase`` in 2x-grid units; 0.21 would have the mean blur of a uniformly
      random phase; a little less avoids over-sharpening), in [1, 1.5];
    * how much of the band is texture rather than 8-bit rounding noise, in [0, 1]: a smooth
      sky stored in 8 bits has an energy of about 1 grey level squared (rounding noise, which
      every output frame gets afresh anyway), a textured sky tens; below ``floor`` the weight
      is 0, above ``floor + span`` 1.

    hi2 : (2H, 2W) int16 fine band (``HI_UNIT`` steps); core : (H, W) weight of the sky's
    interior.
    """
    sel = core > 0.5
    if sel.sum() < 64:
        return 1.0, 0.0
    h2, w2 = hi2.shape[:2]
    d = hi2.astype(np.float32) * HI_UNIT
    gy, gx = np.mgrid[0:h2:2, 0:w2:2].astype(np.float32)
    moved = cv2.remap(d, gx + phase, gy + phase, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT101)
    e0 = _lap_var(np.ascontiguousarray(d[::2, ::2]), sel)
    e1 = _lap_var(moved, sel)
    gain = float(min(max(math.sqrt(e0 / e1), 1.0), 1.5)) if e1 > 1e-9 else 1.0
    return gain, float(np.clip((e0 - floor) / span, 0.0, 1.0))


def _holds_texture(fine: np.ndarray, core: np.ndarray) -> bool:
    """Whether the fine band (int16, ``HI_UNIT`` steps) spreads more than noise where
    ``core > 0.5``."""
    sel = core > 0.5
    return bool(sel.sum() >= 64 and float(fine[sel].astype(np.float32).std()) * HI_UNIT > FINE_NOISE_STD)


def blend_gain(wgt: float, rho: float) -> float:
    """Gain that gives ``(1 - wgt) * a + wgt * b`` the energy of ``a`` and ``b`` when both have
    the same energy and correlate by ``rho``: ``1 / sqrt((1 - w)^2 + w^2 + 2 w (1 - w) rho)``."""
    keep = (1.0 - wgt) ** 2 + wgt**2 + 2.0 * wgt * (1.0 - wgt) * rho
    return 1.0 / math.sqrt(max(keep, 1e-6))


def correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Correlation (about 0) of two equally shaped arrays, clipped to [0, 1]."""
    a = a.astype(np.float64).ravel()
    b = b.astype(np.float64).ravel()
    den = math.sqrt(float(a @ a) * float(b @ b))
    return float(np.clip((a @ b) / den, 0.0, 1.0)) if den > 1e-9 else 0.0
