"""Camera: a slow, periodic, sub-pixel push-in or sideways drift of the whole frame.

Applied last, to the finished frame, as a sub-pixel scale-and-shift resampling (never the
whole-pixel steps of ffmpeg's zoompan). Both moves follow a raised cosine over the loop, so
frame N equals frame 0 and speed is zero at the loop point.

* push-in: zoom ``z(t) = z0 + A (1 - cos(2 pi t / N)) / 2`` about the centre, ``A =
  CameraSpec.amount_frac``;
* drift: a constant zoom ``z0`` that leaves a margin of ``A`` of the width on each side, and a
  horizontal shift ``A * W * sin(2 pi t / N)`` within it.

``z0`` is slightly above 1 (at least ``BASE_ZOOM``) for both: every frame is resampled and
every frame holds the full range of sub-pixel phases, so sharpness does not pulse between a
perfectly sharp frame 0 and softer frames elsewhere.

Each region still sweeps through sub-pixel phases as the zoom changes, and bilinear sampling
is sharp at phase 0 and soft half-way. So every output pixel is sampled with four taps per axis
chosen for its phase (``resample_taps``) so that every output pixel of every frame has the same
blur, 3/8 px^2 per axis: a little more than the softest bilinear phase, so that fine periodic
texture (ripples) does not pulse either (docs/motion.md has the measurements). The price is a
slightly softer picture in every camera frame.

The warp has no rotation, so the taps are separable: ``_kernels.camera_resample`` runs a
vertical pass into a row buffer, then a horizontal pass in runs of outputs whose taps sit at a
constant offset (``column_runs``), both vectorised (its cost is in docs/benchmarks.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..frames import check_frame
from ..recipe import CameraSpec
from . import _kernels as K

BASE_ZOOM = 0.005
"""Smallest extra zoom of every frame (0.5 %): enough for sub-pixel phases to vary across it."""


TARGET_BLUR = 0.375
"""Blur (variance, px^2 per axis) of every camera frame's pixels: that of bilinear sampling
half-way between pixels (1/4) and half as much again, which halves how much more detail near
the pixel pitch whole-pixel phases keep than half-way ones (see :func:`resample_taps`)."""


def resample_taps(scale: float, offset: float, n: int, n_src: int, *,
                  blur: float = TARGET_BLUR) -> tuple[np.ndarray, np.ndarray]:
    """The four taps of each of ``n`` outputs along one axis of the warp ``src = scale * out +
    offset`` (clamped to the ``n_src`` source pixels), which give every output the blur
    (variance, px^2) ``blur`` whatever its phase ``f``:

    * up to 1/4: bilinear sampling at ``f`` convolved with a blur ``[a, 1 - 2 a, a]``,
      ``2 a + f (1 - f) = blur`` (``a = 0`` where bilinear alone is softer);
    * from 1/4 to 1/2: that kernel at 1/4 mixed with the quadratic B-spline of a half-pixel
      box, ``[(1 - f)^2, 2 - f^2, 2 - (1 - f)^2, f^2] / 4`` (variance 1/2 at every phase, and
      no response at all at the pixel pitch), in the proportion that gives ``blur``.

    Variance alone does not make detail near the pixel pitch equal: the first kernel keeps half
    of it at whole-pixel phases and none half-way, so fine periodic texture (ripples) pulses as
    a zoom sweeps the phases. Every four-tap kernel that is symmetric at whole-pixel phases
    (which keeps the taps continuous as the phase wraps) has that mismatch ``1 - 2 blur``; the
    mixture reaches it.

    Returns the first tap's source index (n,) int64 (from -1) and the weights (n, 4) float32,
    which sum to 1 and keep the sample's centre at ``src``."""
    s = np.clip(scale * np.arange(n, dtype=np.float64) + offset, 0.0, n_src - 1.0)
    x0 = np.floor(s)
    f = s - x0
    g = 1.0 - f
    a = np.clip((min(blur, 0.25) - f * g) / 2.0, 0.0, 0.25)
    w = np.stack([g * a, g * (1 - 2 * a) + f * a, g * a + f * (1 - 2 * a), f * a], -1)
    mix = min(max((blur - 0.25) / 0.25, 0.0), 1.0)
    if mix > 0:
        spline = np.stack([g * g, 2 - f * f, 2 - g * g, f * f], -1) / 4.0
        w = (1.0 - mix) * w + mix * spline
    return x0.astype(np.int64) - 1, w.astype(np.float32)


def column_runs(first: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``run_at`` and ``run_off`` of :func:`_kernels.camera_resample` for first column taps
    ``first`` (W,): runs of outputs whose taps sit at a constant offset from them."""
    x = np.arange(first.shape[0])
    off = 3 * (first + 2 - x)  # into the vertical result padded by two pixels
    starts = np.flatnonzero(np.diff(off)) + 1
    run_at = np.concatenate([[0], starts, [first.shape[0]]]).astype(np.int64) * 3
    return run_at, off[run_at[:-1] // 3].astype(np.int64)


@dataclass(frozen=True, eq=False, kw_only=True)
class CameraMotion:
    """A prepared camera move for frames of ``size`` (width, height)."""

    mode: str
    amount: float
    size: tuple[int, int]
    n_frames: int
    blur: float = TARGET_BLUR
    """Blur (variance, px^2 per axis) every output pixel is brought to; 0 is plain bilinear."""

    @classmethod
    def prepare(cls, size: tuple[int, int], spec: CameraSpec, *, n_frames: int) -> "CameraMotion | None":
        """None when the mode is ``none`` or the amount is 0."""
        if spec.mode == "none" or spec.amount_frac <= 0:
            return None
        return cls(mode=spec.mode, amount=float(spec.amount_frac), size=(int(size[0]), int(size[1])),
                   n_frames=int(n_frames))

    def params(self, t: int) -> tuple[float, float, float]:
        """(zoom, shift_x, shift_y) of frame ``t``; shifts in source pixels."""
        t = int(t) % self.n_frames
        a = 2 * math.pi * t / self.n_frames
        w = self.size[0]
        if self.mode == "push-in":
            z0 = 1.0 + max(BASE_ZOOM, 0.25 * self.amount)
            return z0 + self.amount * 0.5 * (1 - math.cos(a)), 0.0, 0.0
        z0 = 1.0 / (1.0 - 2.0 * self.amount) + BASE_ZOOM
        return z0, self.amount * w * math.sin(a), 0.0

    def affine(self, t: int) -> np.ndarray:
        """(2, 3) float64 matrix from output to source pixels of frame ``t``: a zoom of
        :meth:`params` about the centre plus the shift (``cv2.warpAffine`` with
        ``WARP_INVERSE_MAP`` takes it so)."""
        w, h = self.size
        zoom, sx, sy = self.params(t)
        cx, cy = (w - 1) / 2.0, (h - 1) / 2.0
        inv = 1.0 / zoom
        return np.array([[inv, 0.0, cx - cx * inv + sx], [0.0, inv, cy - cy * inv + sy]], np.float64)

    def taps(self, t: int) -> tuple:
        """The arguments of :func:`_kernels.camera_resample` for frame ``t``, after the frame:
        row taps, row weights, column runs and column weights (repeated for the channels)."""
        w, h = self.size
        m = self.affine(t)
        ry, wy = resample_taps(m[1, 1], m[1, 2], h, h, blur=self.blur)
        cx, wx = resample_taps(m[0, 0], m[0, 2], w, w, blur=self.blur)
        run_at, run_off = column_runs(cx)
        return ry, wy, run_at, run_off, np.ascontiguousarray(np.repeat(wx.T, 3, axis=1))

    def warped(self, frame: np.ndarray, t: int) -> np.ndarray:
        """``frame`` (H, W, 3) uint8 seen by the camera of frame ``t``: a new array, sampled
        where :meth:`affine` says with four separable taps per axis that hold every output
        pixel at the blur :attr:`blur` (``K.camera_resample``; no map to build or read)."""
        out = np.empty_like(frame, order="C")
        K.camera_resample(np.ascontiguousarray(frame), *self.taps(t), out)
        return out

    def apply(self, frame: np.ndarray, t: int) -> np.ndarray:
        """The camera's view of ``frame`` (H, W, 3) uint8 at frame ``t``: a new array (the
        whole frame moves, so nothing can be changed in place; see :meth:`warped`)."""
        check_frame(frame)
        return self.warped(frame, t)

    def energy(self, n: int) -> np.ndarray:
        """A camera move is not motion in the scene: no energy."""
        return np.zeros(n, np.float32)
