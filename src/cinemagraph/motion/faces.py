"""Faces: breathing, head sway and blinks, as small smooth local deformations.

Each face gets its own phases (from the recipe seed and the face's index) and a deformation
made of a few unit fields prepared once on the face's crop (``_kernels.face_basis``):

* breathing: the head rises and grows very slightly about the neck, a whole number of breaths
  per loop (about one every 4 s);
* sway: a rotation of a fraction of a degree about the neck, a whole number of slow cycles;
* blinks (only with two plausible eye positions): the upper eyelid slides down over the eye
  -- the eye region samples the lid skin just above it, so no pixel is invented -- closing
  over ``BLINK_CLOSE_S`` (150 ms) and opening over ``BLINK_OPEN_S``, at fixed frame indices.

Every field is multiplied by a window that is 1 on the face and falls to exactly 0 on the
ellipse inscribed in the dilated face box, so pixels outside that box never change. The result
is composited as ``frame += window * (warped - photo)``.

Displacement caps (documented in docs/motion.md): breathing plus sway never move a pixel more
than ``HEAD_CAP`` (1.5 %) of the face width; eyelids move at most ``EYELID_CAP`` (4 %) of the
face width, only inside the two eye windows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

import numpy as np

from ..analysis.scene import Face
from ..frames import Box, check_frame
from ..recipe import FaceSpec
from . import _kernels as K
from .layers import alpha_rows, fields_first
from .resample import remap2x, upsample2x

BREATH_FRAC = 0.007
"""Breathing amplitude at strength 1, as a fraction of the face width."""
SWAY_FRAC = 0.006
"""Sway amplitude at the crown at strength 1, as a fraction of the face width."""
HEAD_CAP = 0.015
"""Largest displacement from breathing and sway together, as a fraction of the face width."""
EYELID_CAP = 0.04
"""Largest eyelid displacement, as a fraction of the face width."""
BREATH_PERIOD_S = 4.0
SWAY_PERIOD_S = 8.0
BLINK_EVERY_S = 4.0
BLINK_CLOSE_S = 0.15
BLINK_OPEN_S = 0.25
PAD_SIDE = 0.25
"""Dilation of the face box on the left, right and top, as a fraction of its width."""
PAD_BOTTOM = 0.35
"""Dilation below the face box (chin and neck), as a fraction of its height."""
MIN_FACE_PX = 16
MIN_BLINK_FACE_PX = 28


class HeadShape(NamedTuple):
    """Where a face's fields act, in crop pixels: the centre and half-sizes of the ellipse
    inscribed in the dilated face box (the window is 1 inside ``flat`` of its radius and falls
    to 0 on the ellipse), the neck pivot, and the pivot-to-crown distance."""

    cx: float
    cy: float
    half_w: float
    half_h: float
    pivot_x: float
    pivot_y: float
    reach: float
    flat: float


def plausible_eyes(face: Face) -> tuple[tuple[float, float], ...]:
    """The face's two eye centres if they look like eyes (upper part of the box, level, apart),
    else ()."""
    x, y, w, h = face.box.xywh()
    if len(face.eyes) != 2:
        return ()
    (ax, ay), (bx, by) = sorted(face.eyes)
    ok = (0.2 * w <= bx - ax <= 0.7 * w and abs(ay - by) <= 0.15 * w
          and all(y + 0.15 * h <= ey <= y + 0.65 * h and x <= ex <= x + w for ex, ey in face.eyes))
    return ((ax, ay), (bx, by)) if ok else ()


def blink_profile(t: int, starts: np.ndarray, n_frames: int, fps: float) -> float:
    """Eyelid closure in [0, 1] at frame ``t`` for blinks starting at frames ``starts``
    (periodic over the loop)."""
    c = 0.0
    for s in starts:
        tau = ((int(t) - int(s)) % n_frames) / fps
        if tau < BLINK_CLOSE_S:
            v = math.sin(0.5 * math.pi * tau / BLINK_CLOSE_S) ** 2
        elif tau < BLINK_CLOSE_S + BLINK_OPEN_S:
            v = math.cos(0.5 * math.pi * (tau - BLINK_CLOSE_S) / BLINK_OPEN_S) ** 2
        else:
            v = 0.0
        c = max(c, v)
    return c


@dataclass(frozen=True, eq=False, kw_only=True)
class FaceMotion:
    """One prepared face.

    crop : the part of the photo the face moves in (the dilated face box, clipped).
    basis : (h, n, w, 2) float32 unit fields (``layers.fields_first``), each scaled so its
        largest displacement is 1 px.
    window : (h, w) float32 compositing weight (1 on the face, 0 at the crop's ellipse).
    photo, photo2x : the crop of the photo, and its 2x supersampled copy (grown by ``pad``).
    amps : (n,) float64 amplitudes in pixels (breathing, sway, eyelids...).
    """

    index: int
    crop: Box
    pad: tuple[int, int]
    basis: np.ndarray
    window: np.ndarray
    photo: np.ndarray
    photo2x: np.ndarray
    amps: np.ndarray
    breath_cycles: int
    sway_cycles: int
    phases: np.ndarray
    blink_starts: np.ndarray
    n_frames: int
    fps: float
    face_width: float

    @classmethod
    def prepare(cls, image: np.ndarray, face: Face, spec: FaceSpec, *, index: int, n_frames: int,
                fps: float, seed: int) -> "FaceMotion | None":
        """Prepare face number ``index`` of ``image`` (H, W, 3) uint8; None if too small or off."""
        H, W = image.shape[:2]
        fx, fy, fw, fh = (float(v) for v in face.box.xywh())
        if not spec.enabled or index in spec.disabled or min(fw, fh) < MIN_FACE_PX:
            return None
        dx0, dx1 = fx - PAD_SIDE * fw, fx + fw + PAD_SIDE * fw
        dy0, dy1 = fy - PAD_SIDE * fw, fy + fh + PAD_BOTTOM * fh
        x0, x1 = max(0, int(math.floor(dx0))), min(W, int(math.ceil(dx1)))
        y0, y1 = max(0, int(math.floor(dy0))), min(H, int(math.ceil(dy1)))
        if x1 - x0 < 4 or y1 - y0 < 4:
            return None
        eyes_img = plausible_eyes(face) if spec.blink and fw >= MIN_BLINK_FACE_PX else ()
        eyes = np.array([[ex - x0, ey - y0, 0.14 * fw, 0.12 * fw, 0.08 * fw] for ex, ey in eyes_img],
                        np.float64).reshape(-1, 5)
        shape = HeadShape(cx=(dx0 + dx1) / 2 - x0, cy=(dy0 + dy1) / 2 - y0, half_w=(dx1 - dx0) / 2,
                          half_h=(dy1 - dy0) / 2, pivot_x=fx + fw / 2 - x0, pivot_y=fy + 1.15 * fh - y0,
                          reach=1.15 * fh, flat=0.55)
        h, w = y1 - y0, x1 - x0
        basis = np.zeros((h, w, 2 + len(eyes), 2), np.float32)
        K.face_basis(*shape, eyes, basis)
        peak = np.sqrt((basis.astype(np.float64) ** 2).sum(-1)).max(axis=(0, 1))
        basis /= np.maximum(peak, 1e-9).astype(np.float32)[None, None, :, None]
        rng = np.random.default_rng([int(seed), 0xFACE, int(index)])
        phases = rng.uniform(0, 2 * math.pi, 3)
        duration = n_frames / fps
        n_blinks = max(1, int(round(duration / BLINK_EVERY_S)))
        starts = np.array([int(round((i + 0.15 + 0.7 * rng.random()) / n_blinks * n_frames)) % n_frames
                           for i in range(n_blinks)], np.int64)
        head = spec.breathing * BREATH_FRAC + spec.sway * SWAY_FRAC
        scale = min(1.0, HEAD_CAP / head) if head > 0 else 1.0
        amps = np.array([spec.breathing * BREATH_FRAC * scale * fw, spec.sway * SWAY_FRAC * scale * fw]
                        + [EYELID_CAP * fw] * len(eyes), np.float64)
        if not amps.any():
            return None
        win = _window(shape, h, w)
        pad = int(math.ceil(amps.max())) + 3
        py0, py1, px0, px1 = max(0, y0 - pad), min(H, y1 + pad), max(0, x0 - pad), min(W, x1 + pad)
        photo2x = upsample2x(np.ascontiguousarray(image[py0:py1, px0:px1]))
        return cls(index=index, crop=Box(y0, y1, x0, x1), pad=(y0 - py0, x0 - px0),
                   basis=fields_first(basis), window=win, photo=np.ascontiguousarray(image[y0:y1, x0:x1]),
                   photo2x=photo2x, amps=amps, breath_cycles=max(1, int(round(duration / BREATH_PERIOD_S))),
                   sway_cycles=max(1, int(round(duration / SWAY_PERIOD_S))), phases=phases,
                   blink_starts=starts, n_frames=n_frames, fps=float(fps), face_width=fw)

    def coefs(self, t: int) -> np.ndarray:
        """Per-field coefficients (pixels) of frame ``t``."""
        n = self.n_frames
        t = int(t) % n
        a = 2 * math.pi * t / n
        breath = math.sin(self.breath_cycles * a + self.phases[0])
        sway = (math.sin(self.sway_cycles * a + self.phases[1])
                + 0.4 * math.sin((self.sway_cycles + 1) * a + self.phases[2])) / 1.4
        lid = blink_profile(t, self.blink_starts, n, self.fps)
        c = np.empty(self.amps.size, np.float64)
        c[0], c[1] = breath, sway
        c[2:] = lid
        return c * self.amps

    def displacement(self, t: int) -> np.ndarray:
        """(h, w, 2) float32 backward-warp displacement of frame ``t`` on the crop."""
        disp = np.empty((self.basis.shape[0], self.basis.shape[2], 2), np.float32)
        K.combine_basis(self.basis, self.coefs(t), disp)
        return disp

    def apply(self, frame: np.ndarray, t: int) -> np.ndarray:
        """Move this face in ``frame`` (H, W, 3) uint8, in place, and return the frame."""
        check_frame(frame)
        y0, y1, x0, x1 = self.crop
        mx = np.empty((y1 - y0, x1 - x0), np.float32)
        my = np.empty_like(mx)
        K.field_maps(self.displacement(t), 0.0, 0.0, 1.0, 1.0, float(self.pad[1]), float(self.pad[0]),
                     2.0, 2.0, 2.0, mx, my)
        warped = remap2x(self.photo2x, mx, my)
        K.delta_composite(warped, self.photo, self.alpha3, y0, x0, frame)
        return frame

    @cached_property
    def alpha3(self) -> np.ndarray:
        """The window as the compositing kernel reads it (``layers.alpha_rows``), made once."""
        return alpha_rows(self.window)

    def energy(self, n: int) -> np.ndarray:
        return np.full(n, 0.05, np.float32)


def _window(head: HeadShape, h: int, w: int) -> np.ndarray:
    """(h, w) float32 compositing weight: 1 inside ``head.flat`` of the ellipse's radius,
    falling along a raised cosine to exactly 0 on the ellipse."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    rho = np.hypot((x - head.cx) / head.half_w, (y - head.cy) / head.half_h)
    t = np.clip((rho - head.flat) / (1 - head.flat), 0, 1)
    return np.where(rho >= 1, 0.0, np.cos(0.5 * np.pi * t) ** 2).astype(np.float32)


def prepare_faces(image: np.ndarray, faces: tuple[Face, ...], spec: FaceSpec, *, n_frames: int,
                  fps: float, seed: int) -> list:
    """One :class:`FaceMotion` per face that is on (``spec.enabled``, not in ``spec.disabled``)."""
    if not spec.enabled:
        return []
    out = []
    for i, face in enumerate(faces):
        m = FaceMotion.prepare(image, face, spec, index=i, n_frames=n_frames, fps=fps, seed=seed)
        if m is not None:
            out.append(m)
    return out
