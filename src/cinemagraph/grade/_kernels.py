"""Numba kernels of sky grading.

Rules as in :mod:`cinemagraph._jit`: arrays and scalars only, frames updated in place where
the docstring says so, no globals; each kernel has a numpy twin in ``tests/reference.py``.
"""

from __future__ import annotations

import numba
import numpy as np

from .._jit import ngjit_row, ngjit_vec


@ngjit_vec
def grade_frame(frame, wgt, wy0, wx0, mats, gain, full):
    """Time-of-day grade of one frame, in place: a per-row colour transform on the sky (and its
    reflection) and a per-channel change of light everywhere.

    ``out = round(L + a * (M[y] @ (r, g, b, 1) - L))`` (clipped to 0..255) where ``L = gain * v``
    is the scene's change of light per channel and ``a`` the sky weight, rounded once: where
    ``a == 0`` the pixel is ``round(gain * v)``, and where the gain is 1 too it is untouched;
    with ``full`` False only the weight's box is visited (the gain must then be 1).

    frame : (H, W, 3) uint8; wgt : (h, w) uint8 sky weight in 1/255 steps of the box whose top-left pixel is
    (wy0, wx0); mats : (H, 12) float64 per-row 3x4 affine colour transform on 0..255 values;
    gain : (3,) float64; full : visit every pixel (the gain is not 1).
    """
    H, W = frame.shape[0], frame.shape[1]
    h, w = wgt.shape[0], wgt.shape[1]
    ylo, yhi = (0, H) if full else (max(0, wy0), min(H, wy0 + h))
    bx0, bx1 = max(0, wx0), min(W, wx0 + w)
    xlo, xhi = (0, W) if full else (bx0, bx1)
    g0, g1, g2 = np.float32(gain[0]), np.float32(gain[1]), np.float32(gain[2])
    gains = np.empty(3 * W, np.float32)  # the gain of every value of a row (one flat loop)
    for x in range(W):
        gains[3 * x] = g0
        gains[3 * x + 1] = g1
        gains[3 * x + 2] = g2
    for y in numba.prange(ylo, yhi):
        fr = frame[y].ravel()
        iy = y - wy0
        if 0 <= iy < h:
            m = np.empty(12, np.float32)
            for k in range(12):
                m[k] = mats[y, k]
            _light_row(fr[3 * xlo:3 * bx0], gains)
            _sky_row(fr[3 * bx0:3 * bx1], wgt[iy][bx0 - wx0:bx1 - wx0], m, g0, g1, g2)
            _light_row(fr[3 * bx1:3 * xhi], gains)
        else:
            _light_row(fr[3 * xlo:3 * xhi], gains)


@ngjit_row
def _light_row(fr, gains):
    """``v = round(gain * v)`` on a flat interleaved RGB row, in place; ``gains`` holds the
    gain of each value (channel pattern from index 0, at least as long as the row). The value
    is never negative, so truncating ``gain * v + 0.5`` rounds it."""
    half = np.float32(0.5)
    hi = np.float32(255.0)
    for i in range(fr.shape[0]):
        fr[i] = np.uint8(np.int32(min(np.float32(fr[i]) * gains[i] + half, hi)))


@ngjit_row
def _sky_row(fr, a_row, m, g0, g1, g2):
    """The grade of :func:`grade_frame` on a flat interleaved RGB row under weights ``a_row``
    (the matrix in scalars, so that nothing is reloaded inside the vectorised loop)."""
    half = np.float32(0.5)
    lo = np.float32(0.0)
    hi = np.float32(255.0)
    inv = np.float32(1.0 / 255.0)
    m0, m1, m2, m3 = m[0], m[1], m[2], m[3]
    m4, m5, m6, m7 = m[4], m[5], m[6], m[7]
    m8, m9, m10, m11 = m[8], m[9], m[10], m[11]
    for x in range(a_row.shape[0]):
        a = np.float32(a_row[x]) * inv
        r = np.float32(fr[3 * x])
        g = np.float32(fr[3 * x + 1])
        b = np.float32(fr[3 * x + 2])
        s0 = r * g0
        s1 = g * g1
        s2 = b * g2
        k0 = m0 * r + m1 * g + m2 * b + m3
        k1 = m4 * r + m5 * g + m6 * b + m7
        k2 = m8 * r + m9 * g + m10 * b + m11
        fr[3 * x] = np.uint8(np.int32(min(max(s0 + a * (k0 - s0) + half, lo), hi)))
        fr[3 * x + 1] = np.uint8(np.int32(min(max(s1 + a * (k1 - s1) + half, lo), hi)))
        fr[3 * x + 2] = np.uint8(np.int32(min(max(s2 + a * (k2 - s2) + half, lo), hi)))
