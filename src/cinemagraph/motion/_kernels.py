"""Numba kernels for motion synthesis and fused compositing.

Rules as in :mod:`cinemagraph._jit`: arrays and scalars only, results written into ``out``
(or an array updated in place where the docstring says so), no globals; each kernel has a numpy
twin in ``tests/reference.py``.
Flow convention everywhere: ``flow[..., 0] = dx`` (columns), ``flow[..., 1] = dy`` (rows), in
pixels; a backward warp samples ``out[y, x] = src[y + dy, x + dx]`` (cv2.remap convention).
"""

from __future__ import annotations

import math

import numba
import numpy as np

from .._jit import ngjit, ngjit_par, ngjit_row, ngjit_vec


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


@ngjit
def _lerp_table(n, gox, step, w):
    """Column table of a linear interpolation from a grid of ``n`` points, point j at output
    column ``gox + j * step`` (clamped outside): for every column x < w the left grid index
    (int32) and the weight of the right one (float32)."""
    idx = np.empty(w, np.int32)
    frac = np.empty(w, np.float32)
    for x in range(w):
        g = min(max((x - gox) / step, 0.0), n - 1.0)
        i = min(int(g), max(n - 2, 0))
        idx[x] = i
        frac[x] = g - i
    return idx, frac


@ngjit
def _lerp_ramp_row(vals, idx, frac, slope, out):
    """``out[x] = slope * x`` plus the interpolation of :func:`_lerp_row` (n >= 2)."""
    s = np.float32(slope)
    for x in range(out.shape[0]):
        i = idx[x]
        out[x] = vals[i] + frac[x] * (vals[i + 1] - vals[i]) + s * np.float32(x)


@ngjit
def _lerp_row(vals, idx, frac, out):
    """``out[x] = vals[idx[x]] * (1 - frac[x]) + vals[idx[x] + 1] * frac[x]`` (see
    :func:`_lerp_table`; a single grid point gives a constant row)."""
    n = vals.shape[0]
    if n == 1:
        for x in range(out.shape[0]):
            out[x] = vals[0]
        return
    for x in range(out.shape[0]):
        i = idx[x]
        out[x] = vals[i] + frac[x] * (vals[i + 1] - vals[i])


@ngjit_row
def _lerp4_row(vals, slope, out):
    """:func:`_lerp_step_row` for ``k == 4`` (the ripples at 1080p), the same values: the row
    seen as (columns / 4, 4), one pass over the grid writing the four phases of each point
    together (unrolled, so the stores stay contiguous)."""
    nj = vals.shape[0] - 1
    s = np.float32(slope)
    w = out.shape[0]
    cnt = min(w // 4, nj)
    o = out[:4 * cnt].reshape((cnt, 4))
    f1 = np.float32(0.25)
    f2 = np.float32(0.5)
    f3 = np.float32(0.75)
    for j in range(cnt):
        a = vals[j]
        d = vals[j + 1] - a
        o[j, 0] = a + np.float32(0.0) * d + s * np.float32(4 * j)
        o[j, 1] = a + f1 * d + s * np.float32(4 * j + 1)
        o[j, 2] = a + f2 * d + s * np.float32(4 * j + 2)
        o[j, 3] = a + f3 * d + s * np.float32(4 * j + 3)
    for x in range(4 * cnt, w):
        j = x // 4
        if j < nj:
            out[x] = vals[j] + np.float32((x - 4 * j) / 4) * (vals[j + 1] - vals[j]) + s * np.float32(x)
        else:
            out[x] = vals[nj] + s * np.float32(x)


@ngjit_row
def _lerp_step_row(vals, k, slope, out):
    """``out[x] = slope * x`` plus the linear interpolation of ``vals`` with point j at column
    ``j * k`` (clamped past the last point): for each phase m of k, one contiguous pass over
    the grid writing ``out[m::k]``."""
    nj = vals.shape[0] - 1
    s = np.float32(slope)
    for m in range(k):
        f = np.float32(m / k)
        o = out[m::k]
        cnt = min(o.shape[0], nj)
        for j in range(cnt):
            o[j] = vals[j] + f * (vals[j + 1] - vals[j]) + s * np.float32(j * k + m)
        for j in range(cnt, o.shape[0]):
            o[j] = vals[nj] + s * np.float32(j * k + m)


@ngjit_vec
def field_maps(disp, gox, goy, step_x, step_y, ox, oy, scale, dscale_x, dscale_y, mapx, mapy):
    """Remap maps from a coarse displacement field (bilinear in between grid points).

    disp : (gh, gw, 2) float32 displacement (dx, dy); grid point (i, j) lies at output pixel
        (x = gox + j * step_x, y = goy + i * step_y); outside the grid the field is clamped to
        its border.
    mapx, mapy : (h, w) float32 maps for ``cv2.remap`` (backward warp),
        ``mapx = scale * (x + ox) + dscale_x * dx`` and ``mapy = scale * (y + oy) + dscale_y *
        dy``: e.g. ``scale = dscale = 2`` samples a 2x supersampled copy (``motion.resample``)
        of an image whose pixel (0, 0) sits at output pixel (-ox, -oy).
    """
    h, w = mapx.shape[0], mapx.shape[1]
    gh, gw = disp.shape[0], disp.shape[1]
    # grid columns on whole pixels from column 0 (the ripples, the faces): a row is then k
    # strided passes, each a contiguous loop over the grid (vectorised), instead of a gather
    # through the column table (which is then not needed)
    k = int(step_x)
    whole = gox == 0.0 and step_x == k and k >= 1 and gw > 1
    idx, frac = _lerp_table(gw, gox, step_x, 0 if whole else w)
    for y in numba.prange(h):
        gy = min(max((y - goy) / step_y, 0.0), gh - 1.0)
        gy0 = int(gy)
        gy1 = min(gy0 + 1, gh - 1)
        fy = np.float32(gy - gy0)
        ey = np.float32(1.0) - fy
        bx = np.float32(scale * ox)
        by = np.float32(scale * (y + oy))
        sx = np.float32(dscale_x)
        sy = np.float32(dscale_y)
        d0 = disp[gy0].ravel()
        d1 = disp[gy1].ravel()
        rx = np.empty(gw, np.float32)
        ry = np.empty(gw, np.float32)
        for j in range(gw):
            rx[j] = bx + sx * (d0[2 * j] * ey + d1[2 * j] * fy)
            ry[j] = by + sy * (d0[2 * j + 1] * ey + d1[2 * j + 1] * fy)
        if whole and k == 4:
            _lerp4_row(rx, scale, mapx[y])
            _lerp4_row(ry, 0.0, mapy[y])
            continue
        if whole:
            _lerp_step_row(rx, k, scale, mapx[y])
            _lerp_step_row(ry, k, 0.0, mapy[y])
            continue
        if gw > 1:
            _lerp_ramp_row(rx, idx, frac, scale, mapx[y])
        else:
            _lerp_row(rx, idx, frac, mapx[y])
            for x in range(w):
                mapx[y, x] += np.float32(scale) * np.float32(x)
        _lerp_row(ry, idx, frac, mapy[y])


@ngjit
def _lo_rows(lo, my):
    """The two rows of ``lo`` around fractional row ``my`` (clamped) and their weights."""
    hl = lo.shape[0]
    my = min(max(my, 0.0), hl - 1.0)
    my0 = int(my)
    fy = np.float32(my - my0)
    return my0, min(my0 + 1, hl - 1), np.float32(1.0) - fy, fy


@ngjit_vec
def cloud_composite(ha, hb, wa, wb, bias, lo, lo_y, lo_y0, plate, alpha3, y0, x0, frame):
    """One cloud frame: the coarse layer plus the fine band of two warps, delta-composited
    into the box of ``frame`` whose top-left pixel is (y0, x0).

    For each pixel (y, x) of the box, photo pixel (Y, X) = (y0 + y, x0 + x):

    * ``lo`` (hl, W, 3) float32 is this frame's coarse layer at low vertical resolution, already
      upsampled along x to the frame's width (both warps blended): it is interpolated linearly
      between its rows with photo row Y at ``(Y + 0.5) / lo_y - 0.5 - lo_y0`` (clamped);
    * ``ha``, ``hb`` (h, w) integer arrays are the two warps of the fine (luma) band in fixed
      point, ``d = wa * ha + wb * hb + bias`` in grey levels (``wa``, ``wb`` hold the blend
      weights, the band's gain and its unit, ``bias`` any offset);
    * ``layer = clip(lo + d, 0, 255)`` per channel;
    * ``frame += alpha * (layer - plate)`` rounded to uint8 (``plate``: what the bands give
      back at zero displacement).

    plate (h, w, 3) float32 is the box; alpha3 (h, 3 w) uint8 its alpha in 1/255 steps, repeated
    for each channel value (the layout of a frame row, ``layers.alpha_rows``); frame
    (H, W, 3) uint8, C-ordered, is updated in place and untouched (bit-identical) where the
    alpha is 0.
    """
    h, w = ha.shape[0], ha.shape[1]
    inv = np.float32(1.0 / 255.0)
    wa32 = np.float32(wa)
    wb32 = np.float32(wb)
    bias32 = np.float32(bias)
    for y in numba.prange(h):
        r0, r1, g0, g1 = _lo_rows(lo, (y0 + y + 0.5) / lo_y - 0.5 - lo_y0)
        u0 = lo[r0].ravel()[3 * x0:3 * (x0 + w)]
        u1 = lo[r1].ravel()[3 * x0:3 * (x0 + w)]
        ra = ha[y]
        rb = hb[y]
        d3 = np.empty(3 * w, np.float32)
        for x in range(w):
            d = wa32 * np.float32(ra[x]) + wb32 * np.float32(rb[x]) + bias32
            d3[3 * x] = d
            d3[3 * x + 1] = d
            d3[3 * x + 2] = d
        a = alpha3[y]
        pl = plate[y].ravel()
        fr = frame[y0 + y].ravel()[3 * x0:3 * (x0 + w)]
        for k in range(3 * w):
            v = min(max(u0[k] * g0 + u1[k] * g1 + d3[k], np.float32(0.0)), np.float32(255.0))
            o = np.float32(fr[k]) + (np.float32(a[k]) * inv) * (v - pl[k]) + np.float32(0.5)
            fr[k] = np.uint8(np.int32(min(max(o, np.float32(0.0)), np.float32(255.0))))


@ngjit_vec
def coarse_composite(dlo, lo_y, lo_y0, alpha3, y0, x0, frame):
    """``frame += alpha * dlo`` over the box whose top-left pixel is (y0, x0), rounded to uint8:
    a change given at low vertical resolution (float32 (hl, W, 3), interpolated between rows
    as ``lo`` in :func:`cloud_composite`). alpha3 (h, 3 w) uint8 is the box's alpha in 1/255
    steps, repeated for each channel value; frame (H, W, 3) uint8 is untouched where it is 0."""
    h, w3 = alpha3.shape[0], alpha3.shape[1]
    inv = np.float32(1.0 / 255.0)
    for y in numba.prange(h):
        r0, r1, g0, g1 = _lo_rows(dlo, (y0 + y + 0.5) / lo_y - 0.5 - lo_y0)
        u0 = dlo[r0].ravel()[3 * x0:3 * x0 + w3]
        u1 = dlo[r1].ravel()[3 * x0:3 * x0 + w3]
        a = alpha3[y]
        fr = frame[y0 + y].ravel()[3 * x0:3 * x0 + w3]
        for k in range(w3):
            o = np.float32(fr[k]) + (np.float32(a[k]) * inv) * (u0[k] * g0 + u1[k] * g1) + np.float32(0.5)
            fr[k] = np.uint8(np.int32(min(max(o, np.float32(0.0)), np.float32(255.0))))


# ---- water, faces, camera, grading ----


@ngjit_par
def ripple_basis(xs, ys, comps, horizon, depth, cx, step_y, step_x, amp, max_grad, vmin, out):
    """Spectral basis of the water displacement on a coarse grid (prepared once per photo).

    The displacement at frame t is ``sum_k out[..., 2k, :] * cos(w_k t) + out[..., 2k+1, :] *
    sin(w_k t)`` (see :func:`combine_basis`), i.e. ``sum_k a_k g_k cos(theta_k - w_k t)``: each
    component is a plane wave on the water surface seen in perspective.

    xs : (gw,) float32 column of every grid point, in image pixels.
    ys : (gh,) float32 row of every grid point, in image pixels.
    comps : (K, 5) float32, per component ``kx, kz, phase, weight, mode``: ground wavenumbers in
        radians per pixel of the nearest water row (x across, z into the picture), phase in
        radians, displacement weight (the weights of one mode sum to 1), and mode 0 = ripple
        (displacement along the image-space wave direction) or 1 = shimmer (horizontal only).
    horizon, depth, cx, step_y, step_x, amp, max_grad, vmin : floats: horizon row, rows
        from the horizon to the nearest water row, optical centre column, grid steps in pixels, amplitude in pixels at the nearest row, largest allowed displacement gradient
        (keeps the warp from folding; measured as 3 times the root-sum-square of the component
        gradients, a bound the sum exceeds very rarely), smallest perspective factor.
    out : (gh, gw, 2K, 2) float32 basis: cos and sin parts of (dx, dy) per component.

    Perspective: with ``v = (y - horizon) / depth`` (1 at the nearest row, 0 at the horizon) the
    ground coordinates are ``X = (x - cx) / v`` and ``Z = 1 / v * depth``: wavelengths shrink as
    ``v`` across and ``v**2`` along the view, amplitudes as ``v``. Components whose image-space
    wavelength falls below 4 grid steps (along either axis) fade out: no aliasing near the horizon.
    """
    gh, gw = ys.shape[0], xs.shape[0]
    n = comps.shape[0]
    lim = 0.5 * math.pi  # radians per grid step: 4 grid steps per wavelength
    for i in numba.prange(gh):
        v = (ys[i] - horizon) / depth
        if v < vmin:
            v = vmin
        elif v > 1.0:
            v = 1.0
        for j in range(gw):
            u = xs[j] - cx
            grad_total = 0.0
            for k in range(n):
                kx = comps[k, 0]
                kz = comps[k, 1]
                gx = kx / v
                gy = -(kx * u / depth + kz) / (v * v)
                g = math.sqrt(gx * gx + gy * gy)
                r = (lim - max(abs(gx) * step_x, abs(gy) * step_y)) / (0.5 * lim)
                if r <= 0.0:
                    att = 0.0
                elif r >= 1.0:
                    att = 1.0
                else:
                    att = r * r * (3.0 - 2.0 * r)
                a = amp * v * comps[k, 3] * att
                theta = kx * u / v + kz * depth / v + comps[k, 2]
                if comps[k, 4] > 0.5:
                    ux = 1.0
                    uy = 0.0
                elif g > 0.0:
                    ux = gx / g
                    uy = gy / g
                else:
                    ux = 0.0
                    uy = 0.0
                c = math.cos(theta)
                s = math.sin(theta)
                out[i, j, 2 * k, 0] = a * ux * c
                out[i, j, 2 * k, 1] = a * uy * c
                out[i, j, 2 * k + 1, 0] = a * ux * s
                out[i, j, 2 * k + 1, 1] = a * uy * s
                grad_total += (a * g) * (a * g)
            grad_total = 3.0 * math.sqrt(grad_total)
            if grad_total > max_grad:
                f = max_grad / grad_total
                for k in range(2 * n):
                    out[i, j, k, 0] *= f
                    out[i, j, k, 1] *= f


@ngjit_row
def _fields_row(b, c, o):
    """``o[k] = sum_i c[i] * b[i, k]`` over the fields of one row, field by field (each value
    summed in field order: vectorised along the row without reordering any sum)."""
    m = o.shape[0]
    for k in range(m):
        o[k] = np.float32(0.0)
    for i in range(b.shape[0]):
        bi = b[i].ravel()
        ci = c[i]
        for k in range(m):
            o[k] += ci * np.float32(bi[k])


@ngjit_vec
def combine_basis(basis, coefs, out):
    """``out[y, x] = sum_i coefs[i] * basis[y, i, x]``: one frame of a spectral field.

    basis : (h, n, w, 2) float32 or int16 (fixed point: fold each field's unit into its
    coefficient), C-ordered, fields before columns (``layers.fields_first``) so that each
    field's row is contiguous; coefs : (n,) float64; out : (h, w, 2) float32, C-ordered. Sums
    in float32, in field order.
    """
    h, n = basis.shape[0], basis.shape[1]
    c = np.empty(n, np.float32)
    for i in range(n):
        c[i] = coefs[i]
    for y in numba.prange(h):
        _fields_row(basis[y], c, out[y].ravel())


@ngjit_vec
def combine_basis_rows(basis, coefs, units, out):
    """:func:`combine_basis` with a unit per grid row and field (fixed point whose precision
    follows the field's size on each row): ``out[y, x] = sum_i coefs[i] * units[y, i] *
    basis[y, i, x]``, summed in float32 in field order.

    basis : (h, n, w, 2) int8 (or any integer or float type), C-ordered, fields first;
    coefs : (n,) float64; units : (h, n) float64; out : (h, w, 2) float32, C-ordered.
    """
    h, n = basis.shape[0], basis.shape[1]
    for y in numba.prange(h):
        c = np.empty(n, np.float32)
        for i in range(n):
            c[i] = coefs[i] * units[y, i]
        _fields_row(basis[y], c, out[y].ravel())


@ngjit_vec
def delta_composite(layer, plate, alpha3, y0, x0, frame):
    """``frame += alpha * (layer - plate)`` over the box of ``frame`` whose top-left pixel is
    (y0, x0), rounded and clipped, in place.

    layer, plate : (h, w, 3) uint8, the box; alpha3 : (h, 3 w) uint8 the box's alpha in 1/255
    steps, repeated for each channel value (the layout of a frame row, ``layers.alpha_rows``);
    frame : (H, W, 3) uint8, C-ordered. Where the alpha is 0, or where the layer equals the
    plate, ``frame`` is untouched (bit-identical).
    """
    h, w = layer.shape[0], layer.shape[1]
    inv = np.float32(1.0 / 255.0)
    for y in numba.prange(h):
        la = layer[y].ravel()
        pl = plate[y].ravel()
        a = alpha3[y]
        fr = frame[y0 + y].ravel()[3 * x0:3 * (x0 + w)]
        for k in range(3 * w):
            d = np.float32(la[k]) - np.float32(pl[k])
            f = np.float32(fr[k]) + (np.float32(a[k]) * inv) * d + np.float32(0.5)
            fr[k] = np.uint8(np.int32(min(max(f, np.float32(0.0)), np.float32(255.0))))


@ngjit_par
def sparkle_apply(ys, xs, strength, phase, cycles, t_frac, sharpness, frame):
    """Periodic specular glints on a sparse list of bright pixels, in place.

    Pixel i is brightened toward white by ``strength[i] * max(0, cos(2 pi (cycles[i] * t_frac)
    + phase[i])) ** sharpness``: ``v += g * (255 - v)``. Never darkens. ``cycles`` are whole
    numbers, so ``t_frac = t / N`` and ``t_frac + 1`` give the same frame.

    ys, xs : (n,) int32 pixel rows and columns; strength, phase : (n,) float32;
    cycles : (n,) int32; frame : (H, W, 3) uint8.
    """
    n = ys.shape[0]
    k = int(sharpness)
    whole = k == sharpness and 0 <= k <= 32  # a whole power: multiplications, not pow()
    for i in numba.prange(n):
        c = math.cos(2.0 * math.pi * ((cycles[i] * t_frac) % 1.0) + phase[i])
        if c <= 0.0:
            continue
        if whole:
            p = 1.0
            for _ in range(k):
                p *= c
        else:
            p = c ** sharpness
        g = strength[i] * p
        y = ys[i]
        x = xs[i]
        for ch in range(3):
            v = np.float32(frame[y, x, ch])
            f = v + g * (255.0 - v)
            frame[y, x, ch] = np.uint8(min(math.floor(f + 0.5), 255.0))


@ngjit_par
def face_basis(ccx, ccy, hw, hh, px, py, reach, flat, eyes, out):
    """Unit deformation fields of one face on its crop: breathing, sway and one blink per eye.

    ccx, ccy, hw, hh, px, py, reach, flat : floats in crop pixels: centre and half-sizes of the ellipse inscribed in the dilated face box (the
        window is 1 inside ``flat`` of its radius and falls to 0 on the ellipse along a raised
        cosine), the neck pivot, and the pivot-to-crown distance.
    eyes : (E, 5) float64 per eye ``ex, ey, half_width, above, below`` in crop pixels: the
        eyelid moves down over ``[ey - above, ey + below]``, most at ``ey``.
    out : (h, w, 2 + E, 2) float32 backward-warp displacements (dx, dy) per unit coefficient:
        0 breathing (rise plus a slight scale about the pivot), 1 sway (rotation about the
        pivot, 1 px at ``reach``), 2 + e eyelid of eye e (samples from above: the upper lid
        slides down). All are 0 outside the ellipse.
    """
    h, w = out.shape[0], out.shape[1]
    n_eyes = eyes.shape[0]
    for y in numba.prange(h):
        for x in range(w):
            ux = (x - ccx) / hw
            uy = (y - ccy) / hh
            rho = math.sqrt(ux * ux + uy * uy)
            if rho >= 1.0:
                win = 0.0
            elif rho <= flat:
                win = 1.0
            else:
                c = math.cos(0.5 * math.pi * (rho - flat) / (1.0 - flat))
                win = c * c
            vx = (x - px) / reach
            vy = (y - py) / reach
            out[y, x, 0, 0] = win * (-0.4 * vx)
            out[y, x, 0, 1] = win * (0.6 - 0.4 * vy)
            out[y, x, 1, 0] = win * vy
            out[y, x, 1, 1] = -win * vx
            for e in range(n_eyes):
                ex, ey, ehw, up, down = eyes[e, 0], eyes[e, 1], eyes[e, 2], eyes[e, 3], eyes[e, 4]
                val = 0.0
                dxe = abs(x - ex)
                if dxe < ehw and y > ey - up and y < ey + down:
                    cx_ = math.cos(0.5 * math.pi * dxe / ehw)
                    if y <= ey:
                        s = math.sin(0.5 * math.pi * (y - (ey - up)) / up)
                    else:
                        s = math.cos(0.5 * math.pi * (y - ey) / down)
                    val = cx_ * cx_ * s * s
                out[y, x, 2 + e, 0] = 0.0
                out[y, x, 2 + e, 1] = -win * val


@ngjit_row
def _taps_row(r0, r1, r2, r3, a0, a1, a2, a3, buf, pad):
    """``buf[pad + k] = a0 r0[k] + a1 r1[k] + a2 r2[k] + a3 r3[k]`` over flat uint8 rows."""
    for k in range(r0.shape[0]):
        buf[pad + k] = (a0 * np.float32(r0[k]) + a1 * np.float32(r1[k])
                        + a2 * np.float32(r2[k]) + a3 * np.float32(r3[k]))


@ngjit_row
def _taps_run(buf, w0, w1, w2, w3, off, i0, i1, o):
    """``o[i] = round(w0[i] buf[i + off] + w1[i] buf[i + off + 3] + w2[i] buf[i + off + 6]
    + w3[i] buf[i + off + 9])`` for i in [i0, i1), clamped to uint8 (on zero-based views of
    the run, which is what lets LLVM vectorise the loop)."""
    half = np.float32(0.5)
    lo = np.float32(0.0)
    hi = np.float32(255.0)
    b = buf[i0 + off:]
    oo = o[i0:i1]
    a0 = w0[i0:i1]
    a1 = w1[i0:i1]
    a2 = w2[i0:i1]
    a3 = w3[i0:i1]
    for i in range(i1 - i0):
        v = a0[i] * b[i] + a1[i] * b[i + 3] + a2[i] * b[i + 6] + a3[i] * b[i + 9]
        oo[i] = np.uint8(np.int32(min(max(v, lo), hi) + half))


@ngjit_vec
def camera_resample(frame, ry, wy, run_at, run_off, wx, out):
    """A separable 4-tap resampling of a whole frame: row ``y`` of the output is
    ``sum_j wy[y, j] frame[ry[y] + j]`` (rows clamped to the frame), and each of its values
    ``i = 3 x + c`` is then ``sum_j wx[j, i] v[i + run_off[r] + 3 j]`` on that vertical result
    ``v`` padded by two pixels each side (edge pixels repeated), for ``i`` in the run
    ``[run_at[r], run_at[r + 1])``. Within a run the taps' offset from the output is constant,
    so every run is one contiguous, vectorised loop.

    A scale-and-shift warp (the camera) is this with bilinear weights; the camera folds its
    blur equalisation into the same four taps.

    frame : (Hs, Ws, 3) uint8 C-ordered; ry : (H,) int64; wy : (H, 4) float32;
    run_at : (R + 1,) int64 from 0 to 3 W; run_off : (R,) int64, every tap index
    ``i + run_off[r] + 3 j`` in [0, 3 Ws + 12); wx : (4, 3 W) float32; out : (H, W, 3) uint8.
    """
    h = out.shape[0]
    hs, ws = frame.shape[0], frame.shape[1]
    n = 3 * ws
    for y in numba.prange(h):
        r = ry[y]
        buf = np.empty(n + 12, np.float32)
        _taps_row(frame[min(max(r, 0), hs - 1)].ravel(), frame[min(max(r + 1, 0), hs - 1)].ravel(),
                  frame[min(max(r + 2, 0), hs - 1)].ravel(), frame[min(max(r + 3, 0), hs - 1)].ravel(),
                  wy[y, 0], wy[y, 1], wy[y, 2], wy[y, 3], buf, 6)
        for k in range(6):
            buf[k] = buf[6 + k % 3]
            buf[n + 6 + k] = buf[n + 3 + k % 3]
        o = out[y].ravel()
        for j in range(run_off.shape[0]):
            _taps_run(buf, wx[0], wx[1], wx[2], wx[3], run_off[j], run_at[j], run_at[j + 1], o)
