"""Water: kernels against their twins, known answers, exact loops, untouched static pixels,
bounded displacement, perspective, flow direction and glints."""

import hashlib
import math

import numpy as np
import pytest

from cinemagraph.motion import _kernels as K
from cinemagraph.motion.layers import alpha_rows, fields_first
from cinemagraph.motion.resample import remap2x, upsample2x
from cinemagraph.motion.water import (FlowMotion, RippleMotion, SparkleMotion, frame_coefs,
                                      prepare_water, wave_components)
from cinemagraph.recipe import WaterSpec

import reference as R


def _geom(horizon, depth, cx, sy=1, sx=1, amp=2.0, max_grad=0.6, vmin=0.02):
    return np.array([horizon, depth, cx, sy, sx, amp, max_grad, vmin], np.float64)


def _basis(xs, ys, comps, geom):
    out = np.zeros((ys.size, xs.size, 2 * len(comps), 2), np.float32)
    K.ripple_basis(xs, ys, comps, *geom, out)
    return out


# ---- kernels ----------------------------------------------------------------------------------

def test_ripple_basis_matches_reference(rng):
    comps, _ = wave_components(WaterSpec(), 200, seed=3)
    xs = np.arange(0, 200, 3, dtype=np.float32)
    ys = np.arange(40, 120, 2, dtype=np.float32)
    geom = _geom(30.0, 89.0, 100.0, 2, 3, amp=1.5)
    np.testing.assert_allclose(_basis(xs, ys, comps, geom), R.ripple_basis(xs, ys, comps, *geom),
                               atol=2e-5, rtol=1e-4)


def test_single_component_gives_the_analytic_displacement():
    """One wave with crests across the view: dy = -amp * v * cos(kz * depth / v + phase)."""
    kz, phase, amp, horizon, depth = 0.05, 0.7, 0.5, 0.0, 200.0
    comps = np.array([[0.0, kz, phase, 1.0, 0.0]], np.float32)
    xs = np.array([10.0, 50.0], np.float32)
    ys = np.arange(120, 200, dtype=np.float32)
    b = _basis(xs, ys, comps, _geom(horizon, depth, 30.0, amp=amp, max_grad=10.0))
    disp = np.empty((ys.size, 2, 2), np.float32)
    K.combine_basis(fields_first(b), np.array([1.0, 0.0]), disp)  # t = 0
    v = (ys - horizon) / depth
    want = -amp * v * np.cos(kz * depth / v + phase)
    np.testing.assert_allclose(disp[:, 0, 1], want, atol=1e-5)
    np.testing.assert_allclose(disp[:, 1, 1], want, atol=1e-5)
    assert np.abs(disp[..., 0]).max() < 1e-6


def test_single_component_travels_with_time():
    """Frame t equals the wave with phase shifted by -2 pi m t / N (the cos/sin split is exact)."""
    comps = np.array([[0.08, 0.0, 0.3, 1.0, 0.0]], np.float32)  # crests along the view
    xs = np.arange(0, 64, dtype=np.float32)
    ys = np.array([99.0], np.float32)
    b = _basis(xs, ys, comps, _geom(-1.0, 100.0, 32.0, amp=0.8, max_grad=10.0))
    m, n, t = 3, 24, 5
    disp = np.empty((1, 64, 2), np.float32)
    K.combine_basis(fields_first(b), frame_coefs(np.array([m]), t, n), disp)
    # in perspective the crests converge on the vanishing point: direction (1, -u/depth)
    u = xs - 32.0
    wave = 0.8 * np.cos(0.08 * u + 0.3 - 2 * math.pi * m * t / n)
    norm = np.sqrt(1 + (u / 100.0) ** 2)
    np.testing.assert_allclose(disp[0, :, 0], wave / norm, atol=1e-5)
    np.testing.assert_allclose(disp[0, :, 1], -wave * (u / 100.0) / norm, atol=1e-5)


def test_fine_waves_fade_out_toward_the_horizon():
    comps = np.array([[0.0, 0.3, 0.0, 1.0, 0.0]], np.float32)
    xs = np.array([0.0], np.float32)
    ys = np.arange(0, 100, dtype=np.float32)
    b = _basis(xs, ys, comps, _geom(0.0, 99.0, 0.0, amp=1.0, max_grad=100.0))
    a = np.hypot(b[:, 0, 0, 1], b[:, 0, 1, 1])
    assert a[:40].max() == 0.0  # would alias: wavelength below 4 px
    assert a[-1] > 0.9


def test_fold_guard_keeps_the_warp_one_to_one():
    comps, _ = wave_components(WaterSpec(amplitude_frac=0.02, wavelength_frac=0.02), 150, seed=1)
    xs = np.arange(0, 150, dtype=np.float32)
    ys = np.arange(60, 110, dtype=np.float32)
    b = _basis(xs, ys, comps, _geom(40.0, 69.0, 75.0, amp=6.0, max_grad=0.6))
    for t in range(0, 16, 3):
        disp = np.empty((ys.size, xs.size, 2), np.float32)
        K.combine_basis(fields_first(b), frame_coefs(np.arange(1, len(comps) + 1), t, 16), disp)
        assert (1 + np.diff(disp[..., 0], axis=1)).min() > 0
        assert (1 + np.diff(disp[..., 1], axis=0)).min() > 0


def test_combine_basis_matches_reference(rng):
    basis = rng.standard_normal((7, 9, 6, 2)).astype(np.float32)
    coefs = rng.standard_normal(6)
    disp = np.empty((7, 9, 2), np.float32)
    K.combine_basis(fields_first(basis), coefs, disp)
    np.testing.assert_allclose(disp, R.combine_basis(fields_first(basis), coefs), atol=1e-5)


def test_delta_composite_matches_reference_and_keeps_alpha_zero(rng):
    layer, plate = (rng.integers(0, 256, (11, 13, 3), dtype=np.uint8) for _ in range(2))
    frame = rng.integers(0, 256, (16, 20, 3), dtype=np.uint8)
    alpha = rng.random((11, 13)).astype(np.float32)
    alpha[alpha < 0.4] = 0
    got = frame.copy()
    alpha3 = alpha_rows(alpha)
    K.delta_composite(layer, plate, alpha3, 3, 5, got)
    assert np.abs(got.astype(int) - R.delta_composite(layer, plate, alpha3, 3, 5, frame)).max() <= 1
    keep = np.ones((16, 20), bool)
    keep[3:14, 5:18] = alpha == 0
    assert np.array_equal(got[keep], frame[keep])


@pytest.mark.parametrize("sharpness", [6.0, 2.5])
def test_sparkle_matches_reference_and_only_brightens(rng, sharpness):
    """Whole powers are multiplied out, others go through pow(): both match the twin."""
    frame = rng.integers(0, 256, (20, 20, 3), dtype=np.uint8)
    idx = rng.permutation(400)[:50]
    ys, xs = (idx // 20).astype(np.int32), (idx % 20).astype(np.int32)
    strength = rng.random(50).astype(np.float32)
    phase = rng.uniform(0, 6.28, 50).astype(np.float32)
    cycles = rng.integers(1, 4, 50).astype(np.int32)
    got = frame.copy()
    K.sparkle_apply(ys, xs, strength, phase, cycles, 0.3, sharpness, got)
    want = R.sparkle_apply(ys, xs, strength, phase, cycles, 0.3, sharpness, frame)
    assert np.abs(got.astype(int) - want).max() <= 1
    assert (got >= frame).all()
    untouched = np.ones((20, 20), bool)
    untouched[ys, xs] = False
    assert np.array_equal(got[untouched], frame[untouched])


def test_upsample2x_keeps_pixels_and_remap2x_is_exact_on_them(rng):
    img = rng.integers(0, 256, (9, 12, 3), dtype=np.uint8)
    up = upsample2x(img)
    assert np.array_equal(up[::2, ::2], img)
    gy, gx = np.mgrid[0:9, 0:12].astype(np.float32)
    assert np.array_equal(remap2x(up, np.stack([2 * gx, 2 * gy], -1)), img)


# ---- the model --------------------------------------------------------------------------------

def _sea(w=96, h=64, seed=0):
    rng = np.random.default_rng(seed)
    img = rng.integers(40, 200, (h, w, 3), dtype=np.uint8)
    img[: h // 3] = (120, 160, 220)
    alpha = np.zeros((h, w), np.float32)
    alpha[h // 3:h - 6, 4:w - 4] = 1.0
    alpha[h // 3:h // 3 + 2] = 0.5
    return img, alpha


from cinemagraph.testing import apply_motions as _frames  # noqa: E402


@pytest.mark.parametrize("spec", [WaterSpec(), WaterSpec(shimmer=0.0, cycles_per_loop=3),
                                  WaterSpec(sparkle=1.0)])
def test_ripples_loop_exactly_and_leave_static_pixels_alone(spec):
    img, alpha = _sea()
    img[40:44, 30:40] = 250  # something bright to sparkle
    n = 10
    models = prepare_water(img, alpha, spec, n_frames=n, fps=10, seed=1, horizon_y=1 / 3)
    assert isinstance(models[0], RippleMotion)
    frames = _frames(models, img, n)
    assert np.array_equal(frames[n], frames[0])
    assert any(not np.array_equal(frames[t], frames[0]) for t in range(1, n))
    still = alpha == 0
    for f in frames:
        assert np.array_equal(f[still], img[still])


def test_displacement_bounded_by_amplitude():
    img, alpha = _sea(120, 80)
    spec = WaterSpec(amplitude_frac=0.01, wavelength_frac=0.1)
    m = RippleMotion.prepare(img, alpha, spec, n_frames=12, seed=2, horizon_y=0.2)
    comps, cycles = wave_components(spec, 120, seed=2)
    assert m.max_displacement_px == pytest.approx(0.01 * 80 * comps[:, 3].sum(), rel=1e-6)
    assert (cycles >= spec.cycles_per_loop).all() and cycles.dtype.kind == "i"
    for t in range(12):
        d = m.displacement(t)
        assert np.hypot(d[..., 0], d[..., 1]).max() <= m.max_displacement_px + 1e-4


def test_waves_are_smaller_toward_the_horizon():
    img, alpha = _sea(160, 120)
    alpha[:] = 0
    alpha[30:118] = 1
    m = RippleMotion.prepare(img, alpha, WaterSpec(wavelength_frac=0.1, amplitude_frac=0.005),
                             n_frames=8, seed=0, horizon_y=0.2)
    d = np.stack([m.displacement(t) for t in range(8)])
    mag = np.hypot(d[..., 0], d[..., 1]).mean(axis=(0, 2))
    assert mag[:10].mean() < 0.5 * mag[-10:].mean()


def test_same_seed_same_frames_other_seed_differs():
    img, alpha = _sea()

    def hashes(seed):
        ms = prepare_water(img, alpha, WaterSpec(), n_frames=6, fps=6, seed=seed, horizon_y=1 / 3)
        return [hashlib.sha256(f.tobytes()).hexdigest() for f in _frames(ms, img, 5)]

    assert hashes(4) == hashes(4)
    assert hashes(4)[1:] != hashes(5)[1:]


def test_no_water_or_disabled_gives_no_model():
    img, alpha = _sea()
    assert prepare_water(img, np.zeros_like(alpha), WaterSpec(), n_frames=8, fps=8, seed=0) == []
    assert prepare_water(img, alpha, WaterSpec(enabled=False), n_frames=8, fps=8, seed=0) == []


def test_sparkle_only_on_bright_water_and_periodic():
    img, alpha = _sea()
    img[45:50, 20:30] = 240
    img[5:10, 5:10] = 255  # bright but in the sky: never sparkles
    m = SparkleMotion.prepare(img, alpha, WaterSpec(sparkle=1.0), n_frames=12, seed=0)
    assert m is not None and alpha[m.ys, m.xs].min() >= 0.5
    frames = _frames([m], img, 12)
    assert np.array_equal(frames[12], frames[0])
    changed = np.zeros(alpha.shape, bool)
    for f in frames:
        assert (f >= img).all()
        changed |= (f != img).any(-1)
    assert changed.any() and not changed[:20].any()


def test_flowing_water_moves_along_the_flow_direction():
    """A textured river flowing down: frame t looks like the photo shifted down by ~speed*t."""
    import cv2

    rng = np.random.default_rng(5)
    tex = cv2.GaussianBlur(rng.random((60, 80)).astype(np.float32), (0, 0), 2.0)
    img = np.repeat((tex / tex.max() * 255).astype(np.uint8)[..., None], 3, 2)
    alpha = np.ones((60, 80), np.float32)
    spec = WaterSpec(flow_speed_frac_per_s=0.1, flow_direction_deg=270.0)
    models = prepare_water(img, alpha, spec, n_frames=40, fps=10, seed=0, horizon_y=None,
                           water_type="waves")
    assert isinstance(models[0], FlowMotion)
    frame = img.copy()
    models[0].apply(frame, 4)  # 0.1 * 80 / 10 = 0.8 px per frame, about 3.2 px after 4 frames
    err = [np.abs(frame[15:45, 15:65].astype(int) - np.roll(img, s, axis=0)[15:45, 15:65]).mean()
           for s in range(-6, 7)]
    assert int(np.argmin(err)) - 6 in (3, 4)
    f0, fn = img.copy(), img.copy()
    models[0].apply(f0, 0)
    models[0].apply(fn, 40)
    assert np.array_equal(f0, fn) and np.array_equal(f0, img)


def test_quantized_basis_gives_the_same_field(rng):
    """int8 with a unit per row and field: the field is the float one within half a unit per
    field on every row, however much smaller far rows' waves are."""
    from cinemagraph.motion.water import quantize_basis

    scales = np.array([1, 3, 0.01, 5, 0, 2])[None, None, :, None]
    rows = np.geomspace(1e-3, 1.0, 7)[:, None, None, None]  # far rows: tiny waves
    basis = (rng.standard_normal((7, 9, 6, 2)) * scales * rows).astype(np.float32)
    q, unit = quantize_basis(basis)
    assert q.dtype == np.int8 and unit.shape == (7, 6)
    assert np.abs(q).max() == 127
    coefs = rng.standard_normal(6)
    want = R.combine_basis(fields_first(basis), coefs)
    got = np.empty((7, 9, 2), np.float32)
    K.combine_basis_rows(fields_first(q), coefs, unit, got)
    bound = 0.5 * np.abs(coefs[None, :] * unit).sum(axis=1) + 1e-6  # (rows,)
    assert (np.abs(got - want).max(axis=(1, 2)) <= bound).all()
    assert bound[0] < 0.01 * bound[-1], "far rows keep their own precision"
    np.testing.assert_allclose(got, R.combine_basis_rows(fields_first(q), coefs, unit), atol=1e-6)


@pytest.mark.jit
def test_rows_whose_field_is_zero_are_left_out_and_frames_are_unchanged(monkeypatch):
    """Near the horizon every fine component fades out: those rows leave the box, and every
    frame is the same as with the whole box warped."""
    import cinemagraph.motion.water as W

    img, alpha = _sea(160, 120)
    alpha[:] = 0
    alpha[25:118] = 1
    spec = WaterSpec(wavelength_frac=0.02, amplitude_frac=0.004)
    args = dict(n_frames=8, seed=0, horizon_y=0.2)
    cut = RippleMotion.prepare(img, alpha, spec, **args)
    with monkeypatch.context() as mp:
        mp.setattr(W, "live_rows", lambda b: (0, b.shape[0] - 1))
        whole = RippleMotion.prepare(img, alpha, spec, **args)
    assert cut.bbox[0] > whole.bbox[0] and cut.bbox[2:] == whole.bbox[2:]
    assert cut.basis.shape[0] < whole.basis.shape[0]
    for t in range(8):
        a, b = img.copy(), img.copy()
        cut.apply(a, t)
        whole.apply(b, t)
        assert np.array_equal(a, b)
    assert W.live_rows(np.zeros((4, 2, 3, 2), np.int16)) is None


@pytest.mark.parametrize("rows", [5, 32])
def test_ripples_warped_in_strips_are_the_whole_box_warped_at_once(monkeypatch, rows):
    """apply() warps the box a strip of rows at a time: every frame is the one the whole box's
    maps give (remap and composite of the box in one go)."""
    import cinemagraph.motion.water as W
    from cinemagraph.motion import _kernels as K
    from cinemagraph.motion.resample import remap2x

    monkeypatch.setattr(W, "STRIP_ROWS", rows)
    img, alpha = _sea(160, 120)
    m = RippleMotion.prepare(img, alpha, WaterSpec(wavelength_frac=0.05, amplitude_frac=0.006),
                             n_frames=8, seed=3, horizon_y=0.2)
    y0, y1, x0, _ = m.bbox
    assert (y1 - y0) % rows != 0 and y1 - y0 > 2 * rows
    for t in (1, 3, 6):
        got, want = img.copy(), img.copy()
        m.apply(got, t)
        K.delta_composite(remap2x(m.plate2x, *m.maps(t, 2.0)), m.plate, m.alpha3, y0, x0, want)
        assert np.array_equal(got, want)
        assert not np.array_equal(got, img)
