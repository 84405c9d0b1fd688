"""Numba kernels for motion synthesis and fused compositing.

Rules: kernels take arrays and scalars only, write into ``out`` (or update an array in place
when the docstring says so), never read globals. Each has a numpy twin in ``tests/reference.py``.
Flow convention everywhere: ``flow[..., 0] = dx`` (columns), ``flow[..., 1] = dy`` (rows), in
pixels; a backward warp samples ``out[y, x] = src[y + dy, x + dx]`` (cv2.remap convention).
"""

from __future__ import annotations

import math

import numba
import numpy as np

ngjit = numba.njit(nogil=True, cache=True)
ngjit_par = numba.njit(nogil=True, cache=True, parallel=True)


@ngjit
def _bilinear2(field, y, x):
    """Bilinear sample of an (h, w, 2) field at (y, x) in grid units, clamped at the border."""
    h, w = field.shape[0], field.shape[1]
    if x < 0.0:
        x = 0.0
    elif x > w - 1.0:
        x = w - 1.0
    if y < 0.0:
        y = 0.0
    elif y > h - 1.0:
        y = h - 1.0
    x0 = int(x)
    y0 = int(y)
    x1 = min(x0 + 1, w - 1)
    y1 = min(y0 + 1, h - 1)
    fx = x - x0
    fy = y - y0
    a0 = (field[y0, x0, 0] * (1 - fx) + field[y0, x1, 0] * fx) * (1 - fy) + \
         (field[y1, x0, 0] * (1 - fx) + field[y1, x1, 0] * fx) * fy
    a1 = (field[y0, x0, 1] * (1 - fx) + field[y0, x1, 1] * fx) * (1 - fy) + \
         (field[y1, x0, 1] * (1 - fx) + field[y1, x1, 1] * fx) * fy
    return a0, a1


@ngjit
def wind_field(psi, dir_x, dir_y, speed, turbulence, horizon, perspective, out):
    """Cloud wind on a coarse grid: a base wind plus the curl of a stream function.

    psi : (h, w) float32 stream function, scaled so its largest gradient is about 1 per cell.
    dir_x, dir_y : unit wind direction (dir_y > 0 = downwards in image rows).
    speed : wind speed at the top row, in grid cells per frame.
    turbulence : curl amplitude relative to ``speed``.
    horizon : horizon row in grid cells (speed falls toward it).
    perspective : fraction of the speed lost at the horizon, in [0, 1].
    out : (h, w, 2) float32, the flow (dx, dy) in grid cells per frame.

    The curl term (d psi/dy, -d psi/dx) is divergence-free; the base wind is scaled by
    ``1 - perspective * (y / horizon) ** 1.5`` (clamped below the horizon).
    """
    h, w = psi.shape
    for y in range(h):
        r = y / horizon if horizon > 0 else 1.0
        if r > 1.0:
            r = 1.0
        f = 1.0 - perspective * r ** 1.5
        ym = max(y - 1, 0)
        yp = min(y + 1, h - 1)
        for x in range(w):
            xm = max(x - 1, 0)
            xp = min(x + 1, w - 1)
            dpsi_dy = (psi[yp, x] - psi[ym, x]) / max(yp - ym, 1)
            dpsi_dx = (psi[y, xp] - psi[y, xm]) / max(xp - xm, 1)
            out[y, x, 0] = f * speed * (dir_x + turbulence * dpsi_dy)
            out[y, x, 1] = f * speed * (dir_y - turbulence * dpsi_dx)


@ngjit_par
def advect_positions(field, pos, n_steps, sign, cell_x, cell_y):
    """Trace positions through a static flow, in place: ``p <- p - sign * M(p)``, ``n_steps`` times.

    field : (h, w, 2) float32 flow in grid cells per frame (coarse grid).
    pos : (h, w, 2) float32 positions (x, y) in output pixels, updated in place.
    sign : +1 traces where content came from ``n`` frames ago (forward motion),
           -1 where it will come from (the motion run backwards).
    cell_x, cell_y : output pixels per grid cell along x and y.
    """
    h, w = pos.shape[0], pos.shape[1]
    for y in numba.prange(h):
        for x in range(w):
            px = pos[y, x, 0]
            py = pos[y, x, 1]
            for _ in range(n_steps):
                gx = (px + 0.5) / cell_x - 0.5
                gy = (py + 0.5) / cell_y - 0.5
                vx, vy = _bilinear2(field, gy, gx)
                px -= sign * vx * cell_x
                py -= sign * vy * cell_y
            pos[y, x, 0] = px
            pos[y, x, 1] = py


@ngjit_par
def blend_composite(a, b, mean, weight, gain, plate, alpha, frame):
    """Blend two warps of a layer, restore their contrast, and add the change to ``frame``.

    ``layer = mean + gain * ((1 - weight) * a + weight * b - mean)`` and then, in place,
    ``frame += alpha * (layer - plate)`` rounded and clipped to uint8. Adding the *change* of
    the layer (rather than pasting it) keeps soft edges exact: where alpha == 0, or where the
    layer equals the plate, ``frame`` is untouched.

    a, b, plate, frame : (H, W, 3) uint8; mean : (H, W, 3) float32; alpha : (H, W) float32.
    """
    h, w = a.shape[0], a.shape[1]
    for y in numba.prange(h):
        for x in range(w):
            al = alpha[y, x]
            if al <= 0.0:
                continue
            for c in range(3):
                v = (1.0 - weight) * a[y, x, c] + weight * b[y, x, c]
                m = mean[y, x, c]
                v = m + gain * (v - m)
                if v < 0.0:
                    v = 0.0
                elif v > 255.0:
                    v = 255.0
                f = np.float32(frame[y, x, c]) + al * (v - np.float32(plate[y, x, c]))
                frame[y, x, c] = np.uint8(min(max(math.floor(f + 0.5), 0.0), 255.0))
