"""Water: spectral ripples and reflection shimmer, Eulerian flow, and periodic glints.

Ripples (lakes, the sea)
    The displacement of the water layer is a sum of plane waves on the water surface seen in
    perspective (Chuang et al. 2005): ``d(p, t) = sum_k a_k(p) g_k(p) cos(theta_k(p) - 2 pi m_k t
    / N)``. Every component makes a whole number ``m_k`` of cycles per loop, so frame N is
    frame 0 exactly, with no blending at all. Wavelengths follow a small wave spectrum around
    ``WaterSpec.wavelength_frac``; shorter waves are faster (deep-water dispersion, rounded to
    whole cycles). Toward the horizon (``SceneSummary.horizon_y``) wavelengths shrink (by ``v``
    across the view and ``v**2`` along it) and amplitudes by ``v``; components that would be
    finer than 4 grid steps fade out, and the field is scaled down wherever it could fold.
    Reflection shimmer adds short waves whose crests run across the picture and which move the
    image sideways only: reflected verticals (masts, trunks, posts) wobble in horizontal bands.

    The field is a linear combination of basis fields prepared once on a coarse grid; a frame
    costs one weighted sum, one map, one ``cv2.remap`` of a 2x supersampled water plate (see
    ``motion.resample``) and one fused delta composite (``frame += alpha * (warped - plate)``),
    all inside the water's bounding box.

Flow (rivers, waterfalls)
    A static flow along ``WaterSpec.flow_direction_deg``, looped with the same forward/backward
    blend as the clouds. It *is* the cloud machinery (``CloudMotion``) run on the picture turned
    upside down, so its perspective (slower toward the horizon) points the right way.

Glints
    Already-bright water pixels brighten toward white now and then, each with its own phase and
    a whole number of glints per loop. Nothing darkens; nothing outside the water changes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..frames import Box, check_frame, region_box
from ..recipe import CloudSpec, WaterSpec
from . import _kernels as K
from .layers import alpha_rows, fields_first, layer_plate
from .noise import fractal_noise
from .resample import remap2x, upsample2x

if TYPE_CHECKING:  # clouds are imported where flowing water is prepared, not at import time
    from .clouds import CloudMotion

STRIP_ROWS = 48
"""Rows of the water box warped at a time (maps and warped rows: about 0.9 MB at 1080p)."""
N_RIPPLES = 10
N_SHIMMER = 4
MAX_GRAD = 0.6
"""Largest displacement gradient (3 sigma) allowed anywhere: keeps the warp one-to-one."""
STILL_WATER_SCALE = 0.5
"""Ripple amplitude factor for water the analysis calls still."""
DEFAULT_FLOW_SPEED = 0.02
"""Flow speed (fraction of the width per second) when the scene says flowing and the recipe 0."""


def grid_steps(height: int, width: int) -> tuple[int, int]:
    """Grid steps (rows, columns) of the ripple field: 1 px up to 480 px; at 1080p 2 px down
    and 4 px across (perspective makes waves much finer along the view than across it)."""
    sx = int(max(1, min(4, round(max(height, width) / 480))))
    return max(1, sx // 2), sx


def wave_components(spec: WaterSpec, width: int, *, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Random wave spectrum for a recipe: ``(comps (K, 5) float32, cycles (K,) int64)``.

    ``comps`` rows are ``kx, kz, phase, weight, mode`` (see ``_kernels.ripple_basis``).
    Ripple weights have unit root-sum-square (so ``amplitude`` is the typical peak of the sum),
    shimmer weights root-sum-square ``spec.shimmer``; ``cycles`` are whole numbers of periods
    per loop, at least ``spec.cycles_per_loop``.
    """
    rng = np.random.default_rng([int(seed), 0x57A7E2])
    lam0 = spec.wavelength_frac * width
    rows, cycles = [], []
    lam = lam0 * 2.0 ** rng.uniform(-0.5, 1.5, N_RIPPLES)
    ang = math.pi / 2 + rng.normal(0.0, 0.45, N_RIPPLES)
    sign = np.where(rng.random(N_RIPPLES) < 0.75, 1.0, -1.0)
    wgt = np.sqrt(lam / lam0)
    wgt /= np.sqrt((wgt * wgt).sum())
    phase = rng.uniform(0, 2 * math.pi, N_RIPPLES)
    lam_max = float(lam.max())
    for k in range(N_RIPPLES):
        kk = 2 * math.pi / lam[k]
        rows.append((kk * math.cos(ang[k]), sign[k] * kk * math.sin(ang[k]), phase[k], wgt[k], 0.0))
        cycles.append(int(round(spec.cycles_per_loop * math.sqrt(lam_max / lam[k]))))
    if spec.shimmer > 0:
        lam_s = lam0 * 2.0 ** rng.uniform(-1.6, -0.6, N_SHIMMER)
        ang_s = math.pi / 2 + rng.normal(0.0, 0.15, N_SHIMMER)
        phase_s = rng.uniform(0, 2 * math.pi, N_SHIMMER)
        mult = rng.uniform(1.5, 3.0, N_SHIMMER)
        for k in range(N_SHIMMER):
            kk = 2 * math.pi / lam_s[k]
            rows.append((kk * math.cos(ang_s[k]), kk * math.sin(ang_s[k]), phase_s[k],
                         spec.shimmer / math.sqrt(N_SHIMMER), 1.0))
            cycles.append(int(max(spec.cycles_per_loop + 1, round(spec.cycles_per_loop * mult[k]))))
    return np.array(rows, np.float32), np.array(cycles, np.int64)


def quantize_basis(basis: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Basis fields (h, w, n, 2) float32 in int8 fixed point, with one unit per grid row and
    field (the row's largest value of that field maps to 127): a quarter of the bytes of
    float32 to read per frame, and a rounding error of at most ``unit / 2`` per field, i.e.
    0.4 % of the field's peak on that row (perspective makes far rows' waves small, and each
    row keeps its own precision). Returns ``(q, unit)`` with ``unit`` (h, n) float64 and
    ``basis ~ q * unit[:, None, :, None]``."""
    h, n = basis.shape[0], basis.shape[2]
    flat = basis.reshape(h, -1, 2 * n)  # per row, columns of (field, component) pairs
    peak = np.maximum(flat.max(axis=1), -flat.min(axis=1)).reshape(h, n, 2).max(axis=2)
    peak = peak.astype(np.float64)  # (h, n)
    unit = peak / 127.0  # 0 for a field that is 0 on the whole row
    inv = np.divide(127.0, peak, out=np.zeros_like(peak), where=peak > 0)
    q = basis * inv.astype(np.float32)[:, None, :, None]
    np.rint(q, out=q)
    np.clip(q, -127, 127, out=q)
    return q.astype(np.int8), unit


def live_rows(basis: np.ndarray) -> tuple[int, int] | None:
    """The first and last grid rows a ripple box needs: one row on either side of the rows
    where any field of ``basis`` (gh, ...) is non-zero (so the field between them is still
    interpolated), or None when every field is 0 everywhere."""
    live = np.flatnonzero(basis.reshape(basis.shape[0], -1).any(axis=1))
    if live.size == 0:
        return None
    return max(0, int(live[0]) - 1), min(basis.shape[0] - 1, int(live[-1]) + 1)


def frame_coefs(cycles: np.ndarray, t: int, n_frames: int) -> np.ndarray:
    """Per-frame weights of the basis fields: ``cos, sin`` of ``2 pi m_k t / N`` interleaved."""
    ang = 2.0 * math.pi * ((cycles * (int(t) % n_frames)) % n_frames) / n_frames
    coefs = np.empty(2 * cycles.size, np.float64)
    coefs[0::2] = np.cos(ang)
    coefs[1::2] = np.sin(ang)
    return coefs


@dataclass(frozen=True, eq=False, kw_only=True)
class RippleMotion:
    """Prepared ripples and shimmer for one photo (bbox-cropped arrays).

    plate : (h, w, 3) uint8 water plate inside the bbox; plate2x : 2x supersampled plate of the
    bbox grown by ``pad`` pixels; basis : (gh, 2K, gw, 2) int8 (``layers.fields_first``) on
    a grid of ``steps`` (rows, columns) pixels anchored at the bbox corner, field i of grid row
    j in units of ``basis_unit[j, i]`` pixels (``quantize_basis``); cycles : (K,) whole
    cycles per loop; max_displacement_px : hard bound on the displacement (sum of the weights);
    alpha3 : (h, 3 w) uint8 the alpha as the kernels read it (``layers.alpha_rows``).
    """

    plate: np.ndarray
    plate2x: np.ndarray
    alpha3: np.ndarray
    bbox: Box
    pad: tuple[int, int]
    basis: np.ndarray
    basis_unit: np.ndarray
    cycles: np.ndarray
    steps: tuple[int, int]
    n_frames: int
    amplitude_px: float
    max_displacement_px: float

    @classmethod
    def prepare(cls, image: np.ndarray, alpha: np.ndarray, spec: WaterSpec, *, n_frames: int,
                seed: int, horizon_y: float | None = None, still: bool = False) -> "RippleMotion | None":
        """Build the ripple field of ``image`` (H, W, 3) uint8 under water ``alpha`` (H, W).

        ``horizon_y`` is the horizon row as a fraction of the height (None: guessed from the
        water's extent). Returns None when there is nothing to animate.
        """
        bbox = region_box(alpha, pad=2)
        if bbox is None or not spec.enabled or spec.amplitude_frac <= 0:
            return None
        H, W = alpha.shape
        y0, y1, x0, x1 = bbox
        amp = spec.amplitude_frac * H * (STILL_WATER_SCALE if still else 1.0)
        if horizon_y is not None and horizon_y * H < y1 - 2:
            hy = float(horizon_y * H)
        else:
            hy = y0 - 0.5 * (y1 - y0)
        depth = max(1.0, y1 - 1 - hy)
        sy, sx = grid_steps(H, W)
        h, w = y1 - y0, x1 - x0
        gh, gw = (h - 1) // sy + 2, (w - 1) // sx + 2
        xs = (x0 + sx * np.arange(gw)).astype(np.float32)
        ys = (y0 + sy * np.arange(gh)).astype(np.float32)
        comps, cycles = wave_components(spec, W, seed=seed)
        basis = np.zeros((gh, gw, 2 * len(comps), 2), np.float32)
        K.ripple_basis(xs, ys, comps, float(hy), float(depth), W / 2.0, float(sy), float(sx), float(amp),
                       MAX_GRAD, 0.02, basis)
        basis, unit = quantize_basis(basis)
        plate_full = layer_plate(image, alpha)
        bound = amp * float(comps[:, 3].sum())
        m = int(math.ceil(bound)) + 3
        py0, py1, px0, px1 = max(0, y0 - m), min(H, y1 + m), max(0, x0 - m), min(W, x1 + m)
        plate2x = upsample2x(np.ascontiguousarray(plate_full[py0:py1, px0:px1]))
        # rows of the box whose field is exactly 0 in every frame (components that fade out
        # towards the horizon) would be warped onto themselves: leave them out of the box,
        # keeping the grid anchored on its rows (frames are unchanged)
        rows = live_rows(basis)
        if rows is None:
            return None
        top, last = rows
        y0, y1 = y0 + top * sy, min(y1, y0 + last * sy)
        basis, unit = fields_first(basis[top:last + 1]), np.ascontiguousarray(unit[top:last + 1])
        return cls(plate=np.ascontiguousarray(plate_full[y0:y1, x0:x1]), plate2x=plate2x,
                   alpha3=alpha_rows(alpha[y0:y1, x0:x1]), bbox=Box(y0, y1, x0, x1), pad=(y0 - py0, x0 - px0),
                   basis=basis, basis_unit=unit, cycles=cycles, steps=(sy, sx), n_frames=n_frames,
                   amplitude_px=float(amp), max_displacement_px=bound)

    def displacement(self, t: int) -> np.ndarray:
        """Coarse (gh, gw, 2) displacement (dx, dy) in pixels of frame ``t`` (backward warp)."""
        disp = np.empty((self.basis.shape[0], self.basis.shape[2], 2), np.float32)
        K.combine_basis_rows(self.basis, frame_coefs(self.cycles, t, self.n_frames), self.basis_unit,
                             disp)
        return disp

    def maps(self, t: int, scale: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
        """Full-resolution x and y maps ((h, w) float32) of frame ``t`` for the bbox, in
        pixels of the padded plate times ``scale`` (2 for ``plate2x``)."""
        y0, y1, x0, x1 = self.bbox
        mx = np.empty((y1 - y0, x1 - x0), np.float32)
        my = np.empty_like(mx)
        self._fill_maps(self.displacement(t), 0, scale, mx, my)
        return mx, my

    def _fill_maps(self, disp: np.ndarray, a: int, scale: float, mx: np.ndarray,
                   my: np.ndarray) -> None:
        """The rows of :meth:`maps` from box row ``a`` on (as many as ``mx`` holds), for the
        coarse displacement ``disp``: the grid starts ``a`` rows higher, the plate ``a`` rows
        lower."""
        sy, sx = self.steps
        py, px = self.pad
        K.field_maps(disp, 0.0, float(-a), float(sx), float(sy), float(px), float(py + a),
                     scale, scale, scale, mx, my)

    def warp_map(self, t: int, scale: float = 1.0) -> np.ndarray:
        """The maps of :meth:`maps` as one (h, w, 2) float32 array (cv2.remap convention)."""
        return np.stack(self.maps(t, scale), axis=-1)

    def apply(self, frame: np.ndarray, t: int) -> np.ndarray:
        """Ripple ``frame`` (H, W, 3) uint8 in place and return it; pixels with alpha 0 never
        change.

        The box is warped ``STRIP_ROWS`` rows at a time (maps, remap, composite), so the maps
        and the warped rows never leave the core's cache; the frame is the same as warping the
        whole box at once."""
        check_frame(frame)
        y0, y1, x0, x1 = self.bbox
        disp = self.displacement(t)
        h, w = y1 - y0, x1 - x0
        rows = min(h, STRIP_ROWS)
        mx = np.empty((rows, w), np.float32)
        my = np.empty_like(mx)
        warped = np.empty((rows, w, 3), np.uint8)
        for a in range(0, h, rows):
            b = min(h, a + rows)
            self._fill_maps(disp, a, 2.0, mx[:b - a], my[:b - a])
            layer = remap2x(self.plate2x, mx[:b - a], my[:b - a], warped[:b - a])
            K.delta_composite(layer, self.plate[a:b], self.alpha3[a:b], y0 + a, x0, frame)
        return frame

    def energy(self, n: int) -> np.ndarray:
        """Per-frame motion energy in [0, 1] (stationary waves: constant)."""
        speed = self.amplitude_px * 2 * math.pi * float(self.cycles.max()) / self.n_frames
        return np.full(n, min(1.0, 0.2 + speed), np.float32)


@dataclass(frozen=True, eq=False, kw_only=True)
class FlowMotion:
    """Flowing water: the cloud drift run on the picture turned upside down."""

    inner: CloudMotion

    @classmethod
    def prepare(cls, image: np.ndarray, alpha: np.ndarray, spec: WaterSpec, *, n_frames: int,
                fps: float, seed: int, horizon_y: float | None = None) -> "FlowMotion | None":
        from .clouds import CloudMotion

        speed = spec.flow_speed_frac_per_s if spec.flow_speed_frac_per_s > 0 else DEFAULT_FLOW_SPEED
        # upside down: up and down swap, so the angle changes sign
        direction = -spec.flow_direction_deg
        cspec = CloudSpec(enabled=True, direction_deg=direction, speed_frac_per_s=min(speed, 0.1),
                          turbulence=0.25, perspective=0.5 if horizon_y is not None else 0.0)
        inner = CloudMotion.prepare(np.ascontiguousarray(image[::-1]),
                                    np.ascontiguousarray(alpha[::-1]), cspec, n_frames=n_frames,
                                    fps=fps, seed=seed + 7919,
                                    horizon_y=None if horizon_y is None else 1.0 - horizon_y,
                                    guard=False)  # foam streaks are what should flow
        return None if inner is None else cls(inner=inner)

    def apply(self, frame: np.ndarray, t: int) -> np.ndarray:
        """Flow ``frame`` (H, W, 3) uint8 in place and return it."""
        if t % self.inner.n_frames == 0:
            return frame
        # the kernels want C-ordered rows: flip the rows the flow touches, then flip them back
        y0, y1 = self.inner.bbox[:2]
        h = frame.shape[0]
        rows = frame[h - y1:h - y0]
        work = np.empty_like(frame)
        work[y0:y1] = rows[::-1]
        self.inner.apply(work, t)
        rows[...] = work[y0:y1][::-1]
        return frame

    def energy(self, n: int) -> np.ndarray:
        return self.inner.energy(n)


@dataclass(frozen=True, eq=False, kw_only=True)
class SparkleMotion:
    """Periodic glints on the brightest water pixels (sparse lists)."""

    ys: np.ndarray
    xs: np.ndarray
    strength: np.ndarray
    phase: np.ndarray
    cycles: np.ndarray
    n_frames: int
    sharpness: float = 6.0

    @classmethod
    def prepare(cls, image: np.ndarray, alpha: np.ndarray, spec: WaterSpec, *, n_frames: int,
                seed: int, max_fraction: float = 0.02) -> "SparkleMotion | None":
        """Pick bright water pixels (luma >= max(190, 97th percentile)) as glint sites."""
        if not spec.enabled or spec.sparkle <= 0:
            return None
        inside = alpha >= 0.5
        n_in = int(inside.sum())
        if n_in == 0:
            return None
        luma = image.astype(np.float32) @ np.array([0.2126, 0.7152, 0.0722], np.float32)
        vals = luma[inside]
        thr = max(190.0, float(np.percentile(vals, 97)))
        cand = inside & (luma >= thr)
        ys, xs = np.nonzero(cand)
        if ys.size == 0:
            return None
        keep = int(max(1, max_fraction * n_in))
        if ys.size > keep:
            order = np.argsort(-luma[ys, xs], kind="stable")[:keep]
            order.sort()
            ys, xs = ys[order], xs[order]
        rng = np.random.default_rng([int(seed), 0x5BA12C])
        H, W = alpha.shape
        clump = fractal_noise(H, W, seed=int(rng.integers(2**31)), octaves=2, base_cells=24)
        phase = (2 * math.pi * (2.0 * clump[ys, xs] + 0.15 * rng.random(ys.size))).astype(np.float32)
        cyc_base = max(1, spec.cycles_per_loop)
        cycles = (cyc_base * rng.integers(2, 5, ys.size)).astype(np.int32)
        rel = np.clip((luma[ys, xs] - thr) / max(255.0 - thr, 1.0), 0, 1)
        strength = (0.55 * spec.sparkle * np.sqrt(0.3 + 0.7 * rel) * alpha[ys, xs]).astype(np.float32)
        return cls(ys=ys.astype(np.int32), xs=xs.astype(np.int32), strength=strength, phase=phase,
                   cycles=cycles, n_frames=n_frames)

    def apply(self, frame: np.ndarray, t: int) -> np.ndarray:
        """Brighten the glint sites of frame ``t`` in place and return the frame."""
        check_frame(frame)
        t_frac = (int(t) % self.n_frames) / self.n_frames
        K.sparkle_apply(self.ys, self.xs, self.strength, self.phase, self.cycles, t_frac,
                        self.sharpness, frame)
        return frame

    def energy(self, n: int) -> np.ndarray:
        """Glints change light, not position: no energy."""
        return np.zeros(n, np.float32)


def prepare_water(image: np.ndarray, alpha: np.ndarray, spec: WaterSpec, *, n_frames: int,
                  fps: float, seed: int, horizon_y: float | None = None,
                  water_type: str = "waves") -> list:
    """Every water model for this photo, in compositing order (motion first, glints last).

    ``water_type`` comes from the scene (none, still, waves, flowing); a recipe flow speed > 0
    forces flowing water.
    """
    if not spec.enabled or region_box(alpha, pad=2) is None:
        return []
    models: list = []
    if spec.flow_speed_frac_per_s > 0 or water_type == "flowing":
        flow = FlowMotion.prepare(image, alpha, spec, n_frames=n_frames, fps=fps, seed=seed,
                                  horizon_y=horizon_y)
        if flow is not None:
            models.append(flow)
    else:
        rip = RippleMotion.prepare(image, alpha, spec, n_frames=n_frames, seed=seed,
                                   horizon_y=horizon_y, still=water_type == "still")
        if rip is not None:
            models.append(rip)
    sparkle = SparkleMotion.prepare(image, alpha, spec, n_frames=n_frames, seed=seed)
    if sparkle is not None:
        models.append(sparkle)
    return models
