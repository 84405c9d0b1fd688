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


def _rows(lo, y0, h, lo_y, lo_y0):
    """Rows of ``lo`` (hl, W, C) interpolated at photo rows y0..y0+h (clamped)."""
    my = np.clip((np.arange(y0, y0 + h) + 0.5) / lo_y - 0.5 - lo_y0, 0, lo.shape[0] - 1)
    r0 = np.floor(my).astype(int)
    r1 = np.minimum(r0 + 1, lo.shape[0] - 1)
    f = (my - r0)[:, None, None]
    return lo[r0].astype(np.float64) * (1 - f) + lo[r1].astype(np.float64) * f


def cloud_composite(ha, hb, wa, wb, bias, lo, lo_y, lo_y0, plate, alpha3, y0, x0, frame):
    h, w = ha.shape
    alpha = alpha3[:, ::3] / 255.0
    m = _rows(lo, y0, h, lo_y, lo_y0)[:, x0:x0 + w]
    d = wa * ha.astype(np.float64) + wb * hb.astype(np.float64) + bias
    v = np.clip(m + d[..., None], 0, 255)
    box = frame[y0:y0 + h, x0:x0 + w].astype(np.float64)
    out = frame.copy()
    out[y0:y0 + h, x0:x0 + w] = np.clip(np.floor(box + alpha[..., None] * (v - plate) + 0.5), 0, 255)
    return out


def coarse_composite(dlo, lo_y, lo_y0, alpha3, y0, x0, frame):
    h = alpha3.shape[0]
    w = alpha3.shape[1] // 3
    alpha = alpha3[:, ::3] / 255.0
    m = _rows(dlo, y0, h, lo_y, lo_y0)[:, x0:x0 + w]
    box = frame[y0:y0 + h, x0:x0 + w].astype(np.float64)
    out = frame.copy()
    out[y0:y0 + h, x0:x0 + w] = np.clip(np.floor(box + alpha[..., None] * m + 0.5), 0, 255)
    return out


# ---- water, faces, camera, grading ----


def ripple_basis(xs, ys, comps, horizon, depth, cx, step_y, step_x, amp, max_grad, vmin):
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
    """basis in the fields-first layout (h, n, w, 2)."""
    return np.einsum("hnwc,n->hwc", basis.astype(np.float64), coefs).astype(np.float32)


def combine_basis_rows(basis, coefs, units):
    """basis (h, n, w, 2), units (h, n)."""
    return np.einsum("hnwc,hn->hwc", basis.astype(np.float64), coefs[None, :] * units).astype(np.float32)


def field_maps(disp, gox, goy, step_x, step_y, ox, oy, scale, dscale_x, dscale_y, h, w):
    gh, gw = disp.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    gy = np.clip((yy - goy) / step_y, 0, gh - 1.0)
    gx = np.clip((xx - gox) / step_x, 0, gw - 1.0)
    d = bilinear2(disp.astype(np.float64), gy, gx)
    return scale * (xx + ox) + dscale_x * d[..., 0], scale * (yy + oy) + dscale_y * d[..., 1]


def delta_composite(layer, plate, alpha3, y0, x0, frame):
    h, w = layer.shape[:2]
    alpha = alpha3[:, ::3] / 255.0
    box = frame[y0:y0 + h, x0:x0 + w]
    d = layer.astype(np.float32) - plate.astype(np.float32)
    f = box.astype(np.float32) + alpha[..., None] * d
    res = np.clip(np.floor(f + 0.5), 0, 255).astype(np.uint8)
    out = frame.copy()
    out[y0:y0 + h, x0:x0 + w] = np.where(((alpha > 0)[..., None]) & (d != 0), res, box)
    return out


def sparkle_apply(ys, xs, strength, phase, cycles, t_frac, sharpness, frame):
    out = frame.copy()
    c = np.cos(2 * np.pi * ((cycles * t_frac) % 1.0) + phase)
    g = np.where(c > 0, strength * np.maximum(c, 0) ** sharpness, 0.0)[:, None]
    v = frame[ys, xs].astype(np.float32)
    out[ys, xs] = np.where(g > 0, np.minimum(np.floor(v + g * (255 - v) + 0.5), 255), v).astype(np.uint8)
    return out


def grade_frame(frame, wgt, wy0, wx0, mats, gain, full):
    v = np.arange(256, dtype=np.float64)
    lut = np.clip(np.floor(v[None, :] * np.asarray(gain, np.float64)[:, None] + 0.5), 0, 255).astype(np.uint8)
    H, W = frame.shape[:2]
    a = np.zeros((H, W))
    h, w = wgt.shape
    a[wy0:wy0 + h, wx0:wx0 + w] = wgt[: H - wy0, : W - wx0] / 255.0
    f = frame.astype(np.float64)
    s = np.stack([lut[c][frame[..., c]] for c in range(3)], -1).astype(np.float64)
    m = mats.reshape(H, 3, 4)
    sky = np.einsum("yck,yxk->yxc", m[:, :, :3], f) + m[:, None, :, 3]
    light = f * np.asarray(gain, np.float64)  # blended unrounded, rounded once
    out = np.clip(np.floor(light + a[..., None] * (sky - light) + 0.5), 0, 255).astype(np.uint8)
    out = np.where((a > 0)[..., None], out, s.astype(np.uint8))
    if not full:
        keep = np.ones((H, W), bool)
        keep[wy0:wy0 + h, wx0:wx0 + w] = False
        out[keep] = frame[keep]
    return out


def face_basis(ccx, ccy, hw, hh, px, py, reach, flat, eyes, h, w):
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


def camera_resample(frame, ry, wy, run_at, run_off, wx):
    f = frame.astype(np.float64)
    hs, ws = f.shape[:2]
    rows = np.clip(ry[:, None] + np.arange(4)[None], 0, hs - 1)  # (H, 4)
    v = np.einsum("hj,hjwc->hwc", wy.astype(np.float64), f[rows])
    v = np.concatenate([v[:, :1], v[:, :1], v, v[:, -1:], v[:, -1:]], 1).reshape(len(ry), -1)
    n = wx.shape[1]
    off = np.repeat(run_off, np.diff(run_at))  # (3 W,)
    i = np.arange(n)
    out = sum(wx[j].astype(np.float64)[None] * v[:, i + off + 3 * j] for j in range(4))
    return np.floor(np.clip(out, 0, 255) + 0.5).astype(np.uint8).reshape(len(ry), n // 3, 3)


def forest_raw(x, feature, threshold, left, right, value, roots, tree_class, baseline):
    """Every row walks every tree at once; trees are summed in order, as in the kernel."""
    x = np.asarray(x, np.float32)
    n = x.shape[0]
    out = np.tile(np.asarray(baseline, np.float64), (n, 1))
    rows = np.arange(n)
    for t in range(len(roots)):
        node = np.full(n, roots[t], np.int64)
        while True:
            inner = left[node] != -1
            if not inner.any():
                break
            go_left = x[rows, feature[node]] <= threshold[node]
            node = np.where(inner, np.where(go_left, left[node], right[node]), node)
        out[:, tree_class[t]] += value[node]
    return out
