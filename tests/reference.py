"""Slow, obviously-correct numpy twins of every Numba kernel (compared in the tests)."""

from __future__ import annotations

import numpy as np


def bilinear2(field, y, x):
    h, w = field.shape[:2]
    x = np.clip(x, 0.0, w - 1.0)
    y = np.clip(y, 0.0, h - 1.0)
    x0 = np.floor(x).astype(int)
    y0 = np.floor(y).astype(int)
    x1 = np.minimum(x0 + 1, w - 1)
    y1 = np.minimum(y0 + 1, h - 1)
    fx = (x - x0)[..., None]
    fy = (y - y0)[..., None]
    top = field[y0, x0] * (1 - fx) + field[y0, x1] * fx
    bot = field[y1, x0] * (1 - fx) + field[y1, x1] * fx
    return top * (1 - fy) + bot * fy


def wind_field(psi, dir_x, dir_y, speed, turbulence, horizon, perspective):
    h, w = psi.shape
    p = np.pad(psi, 1, mode="edge")
    dpsi_dy = (p[2:, 1:-1] - p[:-2, 1:-1]) / 2.0
    dpsi_dx = (p[1:-1, 2:] - p[1:-1, :-2]) / 2.0
    # one-sided at the border, as np.pad(edge) gives half the span there
    dpsi_dy[0] *= 2
    dpsi_dy[-1] *= 2
    dpsi_dx[:, 0] *= 2
    dpsi_dx[:, -1] *= 2
    r = np.clip(np.arange(h) / horizon, None, 1.0) if horizon > 0 else np.ones(h)
    f = (1.0 - perspective * r**1.5)[:, None]
    out = np.empty((h, w, 2), np.float32)
    out[..., 0] = f * speed * (dir_x + turbulence * dpsi_dy)
    out[..., 1] = f * speed * (dir_y - turbulence * dpsi_dx)
    return out


def advect_positions(field, pos, n_steps, sign, cell_x, cell_y):
    p = pos.astype(np.float64).copy()
    for _ in range(n_steps):
        gx = (p[..., 0] + 0.5) / cell_x - 0.5
        gy = (p[..., 1] + 0.5) / cell_y - 0.5
        v = bilinear2(field.astype(np.float64), gy, gx)
        p[..., 0] -= sign * v[..., 0] * cell_x
        p[..., 1] -= sign * v[..., 1] * cell_y
    return p.astype(np.float32)


def blend_composite(a, b, mean, weight, gain, plate, alpha, frame):
    v = (1 - weight) * a.astype(np.float32) + weight * b.astype(np.float32)
    v = np.clip(mean + gain * (v - mean), 0, 255)
    f = frame.astype(np.float32) + alpha[..., None] * (v - plate.astype(np.float32))
    out = np.clip(np.floor(f + 0.5), 0, 255).astype(np.uint8)
    return np.where((alpha > 0)[..., None], out, frame)
