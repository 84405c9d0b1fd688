"""Camera: a slow, periodic, sub-pixel push-in or sideways drift of the whole frame.

Applied last, to the finished frame, as a sub-pixel affine warp (``cv2.warpAffine``, bilinear;
never the whole-pixel steps of ffmpeg's zoompan). Both moves follow a raised cosine over the loop, so frame N equals
frame 0 and speed is zero at the loop point.

* push-in: zoom ``z(t) = z0 + A (1 - cos(2 pi t / N)) / 2`` about the centre, ``A =
  CameraSpec.amount_frac``;
* drift: a constant zoom ``z0`` that leaves a margin of ``A`` of the width on each side, and a
  horizontal shift ``A * W * sin(2 pi t / N)`` within it.

``z0`` is slightly above 1 (at least ``BASE_ZOOM``) for both: every frame is resampled and
every frame holds the full range of sub-pixel phases, so sharpness does not pulse between a
perfectly sharp frame 0 and softer frames elsewhere.

Each region still sweeps through sub-pixel phases as the zoom changes (a region 175 px from the
centre passes through three whole pixels during a 1.5 % push-in), and bilinear sampling is
sharp at phase 0 and soft half-way. So before the warp every frame is blurred by a separable
3-tap kernel whose weight follows the phase, column by column and row by row
(``equalizing_weights``, ``_kernels.equalize_blur``): every output pixel of every frame gets
the blur of the softest phase, and local detail no longer turns soft and sharp in turn.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from ..recipe import CameraSpec
from . import _kernels as K

BASE_ZOOM = 0.005
"""Smallest extra zoom of every frame (0.5 %): enough for sub-pixel phases to vary across it."""


TARGET_BLUR = 0.25
"""Blur (variance, px^2 per axis) of every camera frame's pixels: that of bilinear sampling
half-way between pixels, the softest phase."""


def equalizing_weights(scale: float, offset: float, n: int) -> np.ndarray:
    """For each of ``n`` source pixels along one axis of the warp ``src = scale * out +
    offset``: the weight ``a`` of the 3-tap blur ``[a, 1 - 2 a, a]`` that, added to bilinear
    sampling at the phase ``f`` at which the outputs next to it sample it, gives
    ``TARGET_BLUR`` (``2 a + f (1 - f)``), float64 (n,) in [0, 1/8]."""
    j = np.arange(n, dtype=np.float64)
    first = np.ceil((j - offset) / scale - 1e-9)  # the first output that samples at or past j
    f = np.clip(first * scale + offset - j, 0.0, 1.0)
    return np.clip((TARGET_BLUR - f * (1.0 - f)) / 2.0, 0.0, 0.125)


@dataclass(frozen=True, eq=False)
class CameraMotion:
    """A prepared camera move for frames of ``size`` (width, height)."""

    mode: str
    amount: float
    size: tuple[int, int]
    n_frames: int

    @classmethod
    def prepare(cls, size: tuple[int, int], spec: CameraSpec, *, n_frames: int) -> "CameraMotion | None":
        """None when the mode is ``none`` or the amount is 0."""
        if spec.mode == "none" or spec.amount_frac <= 0:
            return None
        return cls(spec.mode, float(spec.amount_frac), (int(size[0]), int(size[1])), int(n_frames))

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

    def warp_map(self, t: int) -> np.ndarray:
        """(H, W, 2) float32 map of frame ``t`` (cv2.remap convention)."""
        w, h = self.size
        zoom, sx, sy = self.params(t)
        out = np.empty((h, w, 2), np.float32)
        K.camera_map(zoom, (w - 1) / 2.0, (h - 1) / 2.0, sx, sy, out)
        return out

    def affine(self, t: int) -> np.ndarray:
        """(2, 3) float64 matrix from output to source pixels of frame ``t``: the same map as
        :meth:`warp_map`, as ``cv2.warpAffine`` takes it with ``WARP_INVERSE_MAP``."""
        w, h = self.size
        zoom, sx, sy = self.params(t)
        cx, cy = (w - 1) / 2.0, (h - 1) / 2.0
        inv = 1.0 / zoom
        return np.array([[inv, 0.0, cx - cx * inv + sx], [0.0, inv, cy - cy * inv + sy]], np.float64)

    def blur_weights(self, t: int) -> tuple[np.ndarray, np.ndarray]:
        """Per-column (repeated for the three channels, (3 W,)) and per-row ((H,)) float32
        weights of the blur that :meth:`warped` applies before the warp of frame ``t``."""
        w, h = self.size
        m = self.affine(t)
        ax = equalizing_weights(m[0, 0], m[0, 2], w)
        ay = equalizing_weights(m[1, 1], m[1, 2], h)
        return np.repeat(ax, 3).astype(np.float32), ay.astype(np.float32)

    def warped(self, frame: np.ndarray, t: int) -> np.ndarray:
        """``frame`` (H, W, 3) uint8 seen by the camera of frame ``t``: a new array. The frame
        is first blurred by the amount that brings every output pixel to the blur of the
        softest bilinear phase (``K.equalize_blur``), then warped (an affine warp: no map to
        build or read)."""
        ax3, ay = self.blur_weights(t)
        src = np.ascontiguousarray(frame)
        even = np.empty_like(src)
        K.equalize_blur(src, ax3, ay, even)
        return cv2.warpAffine(even, self.affine(t), self.size,
                              flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                              borderMode=cv2.BORDER_REFLECT101)

    def apply(self, frame: np.ndarray, t: int) -> None:
        """Move the camera over ``frame`` (H, W, 3) uint8, in place (see :meth:`warped`)."""
        np.copyto(frame, self.warped(frame, t))

    def max_shift_px(self) -> float:
        """Largest distance any output pixel's source moves from its position in frame 0."""
        w, h = self.size
        r = math.hypot(w, h) / 2
        z_lo, z_hi = self.params(0)[0], self.params(self.n_frames // 2)[0]
        if self.mode == "push-in":
            return r * abs(1 / z_lo - 1 / z_hi)
        return 2 * self.amount * w

    def energy(self, n: int) -> np.ndarray:
        return np.zeros(n, np.float32)
