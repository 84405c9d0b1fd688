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


def _reflect101(i, n):
    period = 2 * n - 2
    i = np.abs(i) % period
    return np.where(i >= n, period - i, i)


def sample_rgb(img, y, x):
    """Bilinear samples of (H, W, 3) ``img`` at arrays y, x, reflect-101 borders -> (..., 3)."""
    h, w = img.shape[:2]
    y0 = np.floor(y).astype(int)
    x0 = np.floor(x).astype(int)
    fy = (y - y0)[..., None]
    fx = (x - x0)[..., None]
    ya, yb = _reflect101(y0, h), _reflect101(y0 + 1, h)
    xa, xb = _reflect101(x0, w), _reflect101(x0 + 1, w)
    im = img.astype(np.float64)
    return (im[ya, xa] * (1 - fx) + im[ya, xb] * fx) * (1 - fy) + (im[yb, xa] * (1 - fx) + im[yb, xb] * fx) * fy


def cloud_composite(bands2, unit, disp_f, disp_b, cell_x, cell_y, y0, x0, mean_lo, lo_x, lo_y,
                    weight, gain, gain_fine, plate, alpha, frame):
    plate2, detail2 = bands2[..., :3], bands2[..., 3:]
    h, w = frame.shape[:2]
    Y, X = np.mgrid[y0:y0 + h, x0:x0 + w].astype(np.float64)
    gy, gx = (Y + 0.5) / cell_y - 0.5, (X + 0.5) / cell_x - 0.5
    df = bilinear2(disp_f.astype(np.float64), gy, gx)
    db = bilinear2(disp_b.astype(np.float64), gy, gx)
    sa = sample_rgb(plate2, 2 * (Y + df[..., 1]), 2 * (X + df[..., 0]))
    sb = sample_rgb(plate2, 2 * (Y + db[..., 1]), 2 * (X + db[..., 0]))
    da = sample_rgb(detail2, 2 * (Y + df[..., 1]), 2 * (X + df[..., 0]))
    dd = sample_rgb(detail2, 2 * (Y + db[..., 1]), 2 * (X + db[..., 0]))
    m = bilinear2(mean_lo.astype(np.float64), (Y + 0.5) / lo_y - 0.5, (X + 0.5) / lo_x - 0.5)
    v = unit * ((1 - weight) * sa + weight * sb)
    v = m + gain * (v - m) + gain_fine * unit * ((1 - weight) * da + weight * dd)
    v = np.clip(v, 0, 255)
    f = frame.astype(np.float64) + alpha[..., None] * (v - plate.astype(np.float64))
    out = np.clip(np.floor(f + 0.5), 0, 255).astype(np.uint8)
    return np.where((alpha > 0)[..., None], out, frame)


# ---- water, faces, camera, grading ----


def ripple_basis(xs, ys, comps, geom):
    horizon, depth, cx, step_y, step_x, amp, max_grad, vmin = [float(g) for g in geom]
    c = comps.astype(np.float64)
    v = np.clip((ys.astype(np.float64) - horizon) / depth, vmin, 1.0)[:, None, None]
    u = (xs.astype(np.float64) - cx)[None, :, None]
    kx, kz, ph, wt, mode = (c[:, i][None, None, :] for i in range(5))
    gx = kx / v + 0 * u
    gy = -(kx * u / depth + kz) / (v * v)
    g = np.sqrt(gx**2 + gy**2)
    lim = 0.5 * np.pi
    r = np.clip((lim - np.maximum(np.abs(gx) * step_x, np.abs(gy) * step_y)) / (0.5 * lim), 0, 1)
    att = r * r * (3 - 2 * r)
    a = amp * v * wt * att
    theta = kx * u / v + kz * depth / v + ph
    shimmer = mode > 0.5
    with np.errstate(invalid="ignore", divide="ignore"):
        ux = np.where(shimmer, 1.0, np.where(g > 0, gx / g, 0.0))
        uy = np.where(shimmer, 0.0, np.where(g > 0, gy / g, 0.0))
    grad = 3.0 * np.sqrt(((a * g) ** 2).sum(-1, keepdims=True))
    f = np.where(grad > max_grad, max_grad / np.maximum(grad, 1e-30), 1.0)
    a = a * f
    gh, gw, n = a.shape
    out = np.zeros((gh, gw, 2 * n, 2))
    out[:, :, 0::2, 0] = a * ux * np.cos(theta)
    out[:, :, 0::2, 1] = a * uy * np.cos(theta)
    out[:, :, 1::2, 0] = a * ux * np.sin(theta)
    out[:, :, 1::2, 1] = a * uy * np.sin(theta)
    return out.astype(np.float32)


def combine_basis(basis, coefs):
    return np.einsum("hwnc,n->hwc", basis.astype(np.float64), coefs).astype(np.float32)


def displace_map(disp, step_y, step_x, ox, oy, scale, h, w):
    gh, gw = disp.shape[:2]
    gy = np.minimum(np.arange(h) / step_y, gh - 1.0)
    gx = np.minimum(np.arange(w) / step_x, gw - 1.0)
    GY, GX = np.meshgrid(gy, gx, indexing="ij")
    d = bilinear2(disp.astype(np.float64), GY, GX)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    return np.stack([scale * (xx + ox + d[..., 0]), scale * (yy + oy + d[..., 1])], -1).astype(np.float32)


def delta_composite(layer, plate, alpha, frame):
    d = layer.astype(np.float32) - plate.astype(np.float32)
    f = frame.astype(np.float32) + alpha[..., None] * d
    out = np.clip(np.floor(f + 0.5), 0, 255).astype(np.uint8)
    return np.where(((alpha > 0)[..., None]) & (d != 0), out, frame)


def sparkle_apply(ys, xs, strength, phase, cycles, t_frac, sharpness, frame):
    out = frame.copy()
    c = np.cos(2 * np.pi * ((cycles * t_frac) % 1.0) + phase)
    g = np.where(c > 0, strength * np.maximum(c, 0) ** sharpness, 0.0)[:, None]
    v = frame[ys, xs].astype(np.float32)
    out[ys, xs] = np.where(g > 0, np.minimum(np.floor(v + g * (255 - v) + 0.5), 255), v).astype(np.uint8)
    return out


def grade_frame(frame, wgt, wy0, wx0, mats, lut, full):
    H, W = frame.shape[:2]
    a = np.zeros((H, W))
    h, w = wgt.shape
    a[wy0:wy0 + h, wx0:wx0 + w] = wgt[: H - wy0, : W - wx0]
    f = frame.astype(np.float64)
    s = np.stack([lut[c][frame[..., c]] for c in range(3)], -1).astype(np.float64)
    m = mats.reshape(H, 3, 4)
    sky = np.einsum("yck,yxk->yxc", m[:, :, :3], f) + m[:, None, :, 3]
    out = np.clip(np.floor(s + a[..., None] * (sky - s) + 0.5), 0, 255).astype(np.uint8)
    out = np.where((a > 0)[..., None], out, s.astype(np.uint8))
    if not full:
        keep = np.ones((H, W), bool)
        keep[wy0:wy0 + h, wx0:wx0 + w] = False
        out[keep] = frame[keep]
    return out


def face_basis(geom, eyes, h, w):
    ccx, ccy, hw, hh, px, py, reach, flat = [float(g) for g in geom]
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    rho = np.hypot((x - ccx) / hw, (y - ccy) / hh)
    t = np.clip((rho - flat) / (1 - flat), 0, 1)
    win = np.where(rho >= 1, 0.0, np.cos(0.5 * np.pi * t) ** 2)
    vx, vy = (x - px) / reach, (y - py) / reach
    out = np.zeros((h, w, 2 + len(eyes), 2))
    out[..., 0, 0] = win * -0.4 * vx
    out[..., 0, 1] = win * (0.6 - 0.4 * vy)
    out[..., 1, 0] = win * vy
    out[..., 1, 1] = -win * vx
    for e, (ex, ey, ehw, up, down) in enumerate(eyes):
        inside = (np.abs(x - ex) < ehw) & (y > ey - up) & (y < ey + down)
        s = np.where(y <= ey, np.sin(0.5 * np.pi * (y - (ey - up)) / up),
                     np.cos(0.5 * np.pi * (y - ey) / down))
        val = np.where(inside, np.cos(0.5 * np.pi * np.abs(x - ex) / ehw) ** 2 * s**2, 0.0)
        out[..., 2 + e, 1] = -win * val
    return out.astype(np.float32)


def camera_map(zoom, cx, cy, shift_x, shift_y, h, w):
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    return np.stack([cx + (x - cx) / zoom + shift_x, cy + (y - cy) / zoom + shift_y], -1).astype(np.float32)
