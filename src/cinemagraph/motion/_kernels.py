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


@ngjit
def _reflect(i, n):
    """Index reflected into [0, n) without repeating the edge (cv2.BORDER_REFLECT_101)."""
    if n == 1:
        return 0
    period = 2 * n - 2
    i = abs(i) % period
    return period - i if i >= n else i


@ngjit
def _taps(y, x, h, w):
    """Bilinear tap rows/columns and weights at (y, x) on an (h, w) grid, reflect-101 borders."""
    fx0 = math.floor(x)
    fy0 = math.floor(y)
    fx = x - fx0
    fy = y - fy0
    ix = int(fx0)
    iy = int(fy0)
    if ix >= 0 and ix + 1 < w:
        xa = ix
        xb = ix + 1
    else:
        xa = _reflect(ix, w)
        xb = _reflect(ix + 1, w)
    if iy >= 0 and iy + 1 < h:
        ya = iy
        yb = iy + 1
    else:
        ya = _reflect(iy, h)
        yb = _reflect(iy + 1, h)
    return ya, yb, xa, xb, (1.0 - fx) * (1.0 - fy), fx * (1.0 - fy), (1.0 - fx) * fy, fx * fy


@ngjit_par
def cloud_composite(bands2, unit, disp_f, disp_b, cell_x, cell_y, y0, x0, mean_lo,
                    lo_x, lo_y, weight, gain, gain_fine, plate, alpha, frame):
    """One cloud frame, fused: two warps, contrast-keeping blend and delta composite.

    For each pixel (Y, X) = (y0 + y, x0 + x) of the crop with ``alpha > 0``:

    * the forward and backward displacements are bilinear samples of the coarse
      ``disp_f`` / ``disp_b`` (h, w, 2) fields (dx, dy in pixels; grid cell centre
      ``i`` sits at pixel ``(i + 0.5) * cell - 0.5``);
    * ``bands2`` (2H, 2W, 6) holds the plate supersampled 2x on a pixel-aligned grid (pixel X
      is at 2X), split in two bands: channels 0-2 its smooth part, 3-5 its fine detail (plate
      minus its blur), as integers in steps of ``unit`` grey levels (fixed point). ``a``/``da``
      and ``b``/``db`` are bilinear samples of the two bands at ``2 * (X + dx, Y + dy)`` for the
      two warps; sampling the 2x grid halves the sub-pixel blur of plain bilinear sampling;
    * ``layer = mean + gain * ((1 - w) * a + w * b - mean) + gain_fine * ((1 - w) * da + w * db)``
      where ``mean`` is the bilinear sample of ``mean_lo`` (pixel X at
      ``(X + 0.5) / lo_x - 0.5``): the coarse band keeps the contrast measured each frame,
      the fine band (uncorrelated between the two warps) keeps its energy with
      ``gain_fine = 1 / sqrt((1 - w)**2 + w**2)``;
    * ``frame += alpha * (layer - plate)`` rounded to uint8.

    frame, plate (uint8 or float32), alpha are the crop (h, w[, 3]); frame is updated in place.
    """
    h, w = frame.shape[0], frame.shape[1]
    H2, W2 = bands2.shape[0], bands2.shape[1]
    hl, wl = mean_lo.shape[0], mean_lo.shape[1]
    hc, wc = disp_f.shape[0], disp_f.shape[1]
    wa = (1.0 - weight) * unit
    wb = weight * unit
    fa = gain * wa
    fb = gain * wb
    ga = gain_fine * wa
    gb = gain_fine * wb
    for y in numba.prange(h):
        Y = y0 + y
        # the coarse fields and the mean interpolated to this row once (they are smooth)
        gy = min(max((Y + 0.5) / cell_y - 0.5, 0.0), hc - 1.0)
        gy0 = int(gy)
        gy1 = min(gy0 + 1, hc - 1)
        fgy = gy - gy0
        rf = np.empty((wc, 2))
        rb = np.empty((wc, 2))
        for i in range(wc):
            for k in range(2):
                rf[i, k] = disp_f[gy0, i, k] * (1.0 - fgy) + disp_f[gy1, i, k] * fgy
                rb[i, k] = disp_b[gy0, i, k] * (1.0 - fgy) + disp_b[gy1, i, k] * fgy
        my = min(max((Y + 0.5) / lo_y - 0.5, 0.0), hl - 1.0)
        my0 = int(my)
        my1 = min(my0 + 1, hl - 1)
        fmy = my - my0
        rm = np.empty((wl, 3))
        for i in range(wl):
            for c in range(3):
                rm[i, c] = mean_lo[my0, i, c] * (1.0 - fmy) + mean_lo[my1, i, c] * fmy
        for x in range(w):
            al = alpha[y, x]
            if al <= 0.0:
                continue
            X = x0 + x
            gx = min(max((X + 0.5) / cell_x - 0.5, 0.0), wc - 1.0)
            gx0 = int(gx)
            gx1 = min(gx0 + 1, wc - 1)
            fgx = gx - gx0
            dfx = rf[gx0, 0] * (1.0 - fgx) + rf[gx1, 0] * fgx
            dfy = rf[gx0, 1] * (1.0 - fgx) + rf[gx1, 1] * fgx
            dbx = rb[gx0, 0] * (1.0 - fgx) + rb[gx1, 0] * fgx
            dby = rb[gx0, 1] * (1.0 - fgx) + rb[gx1, 1] * fgx
            ya, yb, xa, xb, a00, a01, a10, a11 = _taps(2.0 * (Y + dfy), 2.0 * (X + dfx), H2, W2)
            yc, yd, xc, xd, b00, b01, b10, b11 = _taps(2.0 * (Y + dby), 2.0 * (X + dbx), H2, W2)
            mx = min(max((X + 0.5) / lo_x - 0.5, 0.0), wl - 1.0)
            mx0 = int(mx)
            mx1 = min(mx0 + 1, wl - 1)
            fmx = mx - mx0
            for c in range(3):
                e = c + 3
                sa = bands2[ya, xa, c] * a00 + bands2[ya, xb, c] * a01 + bands2[yb, xa, c] * a10 + bands2[yb, xb, c] * a11
                da = bands2[ya, xa, e] * a00 + bands2[ya, xb, e] * a01 + bands2[yb, xa, e] * a10 + bands2[yb, xb, e] * a11
                sb = bands2[yc, xc, c] * b00 + bands2[yc, xd, c] * b01 + bands2[yd, xc, c] * b10 + bands2[yd, xd, c] * b11
                db = bands2[yc, xc, e] * b00 + bands2[yc, xd, e] * b01 + bands2[yd, xc, e] * b10 + bands2[yd, xd, e] * b11
                m = rm[mx0, c] * (1.0 - fmx) + rm[mx1, c] * fmx
                v = m * (1.0 - gain) + fa * sa + fb * sb + ga * da + gb * db
                if v < 0.0:
                    v = 0.0
                elif v > 255.0:
                    v = 255.0
                f = frame[y, x, c] + al * (v - plate[y, x, c])
                frame[y, x, c] = np.uint8(min(max(math.floor(f + 0.5), 0.0), 255.0))


# ---- water, faces, camera, grading ----


@ngjit_par
def ripple_basis(xs, ys, comps, geom, out):
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
    geom : (8,) float64 ``horizon, depth, cx, step_y, step_x, amp, max_grad, vmin``: horizon
        row, rows from the horizon to the nearest water row, optical centre column, grid steps in
        pixels, amplitude in pixels at the nearest row, largest allowed displacement gradient
        (keeps the warp from folding; measured as 3 times the root-sum-square of the component
        gradients, a bound the sum exceeds very rarely), smallest perspective factor.
    out : (gh, gw, 2K, 2) float32 basis: cos and sin parts of (dx, dy) per component.

    Perspective: with ``v = (y - horizon) / depth`` (1 at the nearest row, 0 at the horizon) the
    ground coordinates are ``X = (x - cx) / v`` and ``Z = 1 / v * depth``: wavelengths shrink as
    ``v`` across and ``v**2`` along the view, amplitudes as ``v``. Components whose image-space
    wavelength falls below 4 grid steps (along either axis) fade out: no aliasing near the horizon.
    """
    horizon, depth, cx = geom[0], geom[1], geom[2]
    step_y, step_x, amp, max_grad, vmin = geom[3], geom[4], geom[5], geom[6], geom[7]
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


@ngjit_par
def combine_basis(basis, coefs, out):
    """``out[y, x] = sum_i coefs[i] * basis[y, x, i]``: one frame of a spectral field.

    basis : (h, w, n, 2) float32; coefs : (n,) float64; out : (h, w, 2) float32.
    """
    h, w, n = basis.shape[0], basis.shape[1], basis.shape[2]
    for y in numba.prange(h):
        for x in range(w):
            ax = 0.0
            ay = 0.0
            for i in range(n):
                ax += coefs[i] * basis[y, x, i, 0]
                ay += coefs[i] * basis[y, x, i, 1]
            out[y, x, 0] = ax
            out[y, x, 1] = ay


@ngjit_par
def displace_map(disp, step_y, step_x, ox, oy, scale, out):
    """Full-resolution remap map from a coarse displacement: ``out = scale * (p + o + disp(p))``.

    disp : (gh, gw, 2) float32 displacement (dx, dy) in pixels on a grid whose point (i, j) lies
        at pixel (x = j * step_x, y = i * step_y); bilinear in between, clamped at the border.
    step_y, step_x : grid steps in pixels (1 = disp is already full resolution).
    ox, oy : offset of the output's pixel (0, 0) in the source image, in pixels.
    scale : 1 to sample the image itself, 2 to sample a 2x supersampled copy (see
        ``motion.resample``).
    out : (h, w, 2) float32 map for ``cv2.remap`` (backward warp: ``out[y, x] = src[y + dy, x + dx]``).
    """
    h, w = out.shape[0], out.shape[1]
    gh, gw = disp.shape[0], disp.shape[1]
    inv_y = 1.0 / step_y
    inv_x = 1.0 / step_x
    for y in numba.prange(h):
        gy = y * inv_y
        if gy > gh - 1.0:
            gy = gh - 1.0
        y0 = int(gy)
        y1 = min(y0 + 1, gh - 1)
        fy = gy - y0
        for x in range(w):
            gx = x * inv_x
            if gx > gw - 1.0:
                gx = gw - 1.0
            x0 = int(gx)
            x1 = min(x0 + 1, gw - 1)
            fx = gx - x0
            dx = (disp[y0, x0, 0] * (1 - fx) + disp[y0, x1, 0] * fx) * (1 - fy) + \
                 (disp[y1, x0, 0] * (1 - fx) + disp[y1, x1, 0] * fx) * fy
            dy = (disp[y0, x0, 1] * (1 - fx) + disp[y0, x1, 1] * fx) * (1 - fy) + \
                 (disp[y1, x0, 1] * (1 - fx) + disp[y1, x1, 1] * fx) * fy
            out[y, x, 0] = scale * (x + ox + dx)
            out[y, x, 1] = scale * (y + oy + dy)


@ngjit_par
def delta_composite(layer, plate, alpha, frame):
    """``frame += alpha * (layer - plate)``, rounded and clipped, in place.

    layer, plate, frame : (h, w, 3) uint8; alpha : (h, w) float32. Where alpha == 0, or where the
    layer equals the plate, ``frame`` is untouched (bit-identical).
    """
    h, w = frame.shape[0], frame.shape[1]
    for y in numba.prange(h):
        for x in range(w):
            al = alpha[y, x]
            if al <= 0.0:
                continue
            for c in range(3):
                d = np.float32(layer[y, x, c]) - np.float32(plate[y, x, c])
                if d == 0.0:
                    continue
                f = np.float32(frame[y, x, c]) + al * d
                frame[y, x, c] = np.uint8(min(max(math.floor(f + 0.5), 0.0), 255.0))


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
    for i in numba.prange(n):
        c = math.cos(2.0 * math.pi * ((cycles[i] * t_frac) % 1.0) + phase[i])
        if c <= 0.0:
            continue
        g = strength[i] * c ** sharpness
        y = ys[i]
        x = xs[i]
        for ch in range(3):
            v = np.float32(frame[y, x, ch])
            f = v + g * (255.0 - v)
            frame[y, x, ch] = np.uint8(min(math.floor(f + 0.5), 255.0))


@ngjit_par
def grade_frame(frame, wgt, wy0, wx0, mats, lut, full):
    """Time-of-day grade of one frame, in place: a per-row colour transform on the sky (and its
    reflection) and a per-channel change of light everywhere.

    ``out = L(v) + a * (M[y] @ (r, g, b, 1) - L(v))`` where ``L`` is the per-channel lookup table
    (scene light) and ``a`` the sky weight. Where the table is the identity and ``a == 0`` pixels
    are untouched; with ``full`` False only the weight's box is visited.

    frame : (H, W, 3) uint8; wgt : (h, w) float32 sky weight of the box whose top-left pixel is
    (wy0, wx0); mats : (H, 12) float64 per-row 3x4 affine colour transform on 0..255 values;
    lut : (3, 256) uint8; full : visit every pixel (the table is not the identity).
    """
    H, W = frame.shape[0], frame.shape[1]
    h, w = wgt.shape[0], wgt.shape[1]
    if full:
        ylo, yhi, xlo, xhi = 0, H, 0, W
    else:
        ylo, yhi, xlo, xhi = wy0, min(H, wy0 + h), wx0, min(W, wx0 + w)
    for y in numba.prange(ylo, yhi):
        iy = y - wy0
        inside_y = 0 <= iy < h
        for x in range(xlo, xhi):
            ix = x - wx0
            a = 0.0
            if inside_y and 0 <= ix < w:
                a = wgt[iy, ix]
            r = frame[y, x, 0]
            g = frame[y, x, 1]
            b = frame[y, x, 2]
            if a <= 0.0:
                frame[y, x, 0] = lut[0, r]
                frame[y, x, 1] = lut[1, g]
                frame[y, x, 2] = lut[2, b]
                continue
            for c in range(3):
                s = np.float64(lut[c, frame[y, x, c]])
                k = 4 * c
                sky = mats[y, k] * r + mats[y, k + 1] * g + mats[y, k + 2] * b + mats[y, k + 3]
                f = s + a * (sky - s)
                frame[y, x, c] = np.uint8(min(max(math.floor(f + 0.5), 0.0), 255.0))


@ngjit_par
def face_basis(geom, eyes, out):
    """Unit deformation fields of one face on its crop: breathing, sway and one blink per eye.

    geom : (8,) float64 ``ccx, ccy, half_w, half_h, pivot_x, pivot_y, reach, flat`` in crop
        pixels: centre and half-sizes of the ellipse inscribed in the dilated face box (the
        window is 1 inside ``flat`` of its radius and falls to 0 on the ellipse along a raised
        cosine), the neck pivot, and the pivot-to-crown distance.
    eyes : (E, 5) float64 per eye ``ex, ey, half_width, above, below`` in crop pixels: the
        eyelid moves down over ``[ey - above, ey + below]``, most at ``ey``.
    out : (h, w, 2 + E, 2) float32 backward-warp displacements (dx, dy) per unit coefficient:
        0 breathing (rise plus a slight scale about the pivot), 1 sway (rotation about the
        pivot, 1 px at ``reach``), 2 + e eyelid of eye e (samples from above: the upper lid
        slides down). All are 0 outside the ellipse.
    """
    ccx, ccy, hw, hh = geom[0], geom[1], geom[2], geom[3]
    px, py, reach, flat = geom[4], geom[5], geom[6], geom[7]
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


@ngjit_par
def camera_map(zoom, cx, cy, shift_x, shift_y, out):
    """Remap map of a camera zoom about (cx, cy) followed by a shift, for the whole frame:
    ``out[y, x] = (cx + (x - cx) / zoom + shift_x, cy + (y - cy) / zoom + shift_y)``.

    zoom : > 0 (> 1 magnifies); shift_x, shift_y : source offset in pixels (a positive shift
    moves the picture left/up); out : (H, W, 2) float32 (cv2.remap convention).
    """
    h, w = out.shape[0], out.shape[1]
    inv = 1.0 / zoom
    for y in numba.prange(h):
        sy = cy + (y - cy) * inv + shift_y
        for x in range(w):
            out[y, x, 0] = cx + (x - cx) * inv + shift_x
            out[y, x, 1] = sy
