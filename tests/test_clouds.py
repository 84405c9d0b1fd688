"""Cloud drift: exact loop, static pixels untouched, determinism, bounded and smooth motion."""

import hashlib

import cv2
import numpy as np
import pytest

from cinemagraph.analysis.scene import Scene, SceneSummary
from cinemagraph.io.photo import photo_from_array
from cinemagraph.motion.clouds import CloudMotion
from cinemagraph.pipeline import Clip
from cinemagraph.recipe import CloudSpec, Recipe


def test_convention_flow_backward_warp():
    """out[y, x] = src[y + dy, x + dx]: the flow convention used everywhere."""
    rng = np.random.default_rng(0)
    src = rng.integers(0, 255, (40, 50, 3), dtype=np.uint8)
    dx, dy = 3, -2
    gy, gx = np.mgrid[0:40, 0:50].astype(np.float32)
    xy = np.stack([gx + dx, gy + dy], -1)
    out = cv2.remap(src, xy, None, cv2.INTER_LINEAR)
    assert np.array_equal(out[5:35, 5:40], src[5 + dy:35 + dy, 5 + dx:40 + dx])


def _gt_clip(sea, n=24, fps=12, speed=0.03, seed=0, **kw):
    alpha = (cv2.GaussianBlur(sea.sky, (0, 0), 1.0) * sea.sky).astype(np.float32)
    scene = Scene(sky=alpha, water=sea.water, freeze=np.zeros_like(alpha),
                  summary=SceneSummary(horizon_y=sea.horizon_row / 180))
    rec = Recipe(duration_s=n / fps, fps=fps, size_px=320, seed=seed,
                 clouds=CloudSpec(speed_frac_per_s=speed, **kw))
    photo = photo_from_array(sea.image)
    clouds = CloudMotion.prepare(photo.pixels, alpha, rec.clouds, n_frames=n, fps=fps, seed=seed,
                                 horizon_y=scene.summary.horizon_y)
    return Clip(photo, scene, rec, [clouds]), alpha


@pytest.mark.jit
def test_loop_is_exact_and_seam_is_small(sea):
    clip, _ = _gt_clip(sea)
    n = len(clip)
    frames = [clip[t].astype(np.float32) for t in range(n)]
    assert np.array_equal(clip[n], clip[0])
    steps = [np.abs(frames[t + 1] - frames[t]).mean() for t in range(n - 1)]
    seam = np.abs(frames[0] - frames[-1]).mean()
    assert np.median(steps) > 0.05, "the sky must actually move"
    assert seam / np.median(steps) <= 1.5


@pytest.mark.jit
def test_pixels_outside_sky_are_bit_identical(sea):
    clip, alpha = _gt_clip(sea)
    still = alpha == 0
    assert still.sum() > 1000
    for t in range(len(clip)):
        assert np.array_equal(clip[t][still], sea.image[still])


@pytest.mark.jit
def test_frame_zero_is_the_photo(sea):
    clip, _ = _gt_clip(sea)
    assert np.array_equal(clip[0], sea.image)


@pytest.mark.jit
def test_same_seed_same_frames_different_seed_differs(sea):
    def hashes(seed):
        clip, _ = _gt_clip(sea, n=8, seed=seed)
        return [hashlib.sha256(clip[t].tobytes()).hexdigest() for t in range(8)]

    a, b, c = hashes(5), hashes(5), hashes(6)
    assert a == b
    assert a[1:] != c[1:]


def test_drift_follows_wind_direction():
    """A textured sky drifting right: frame t matches the photo shifted right by ~v*t."""
    rng = np.random.default_rng(3)
    tex = cv2.GaussianBlur(rng.random((120, 200)).astype(np.float32), (0, 0), 2.0)
    img = (np.repeat(tex[..., None], 3, 2) * 255 / tex.max()).astype(np.uint8)
    alpha = np.ones((120, 200), np.float32)
    spec = CloudSpec(direction_deg=0.0, speed_frac_per_s=0.05, turbulence=0.0, perspective=0.0)
    m = CloudMotion.prepare(img, alpha, spec, n_frames=40, fps=10, seed=0, horizon_y=1.0, guard=False)
    frame = img.copy()
    m.apply(frame, 4)  # 4 frames of 1 px/frame; blend weight 0.1 toward the reversed warp
    shift = np.array([np.abs(frame[:, 20:180].astype(int) - np.roll(img, s, axis=1)[:, 20:180]).mean()
                      for s in range(-8, 9)])
    assert np.argmin(shift) - 8 == 4


def test_displacement_bounded_by_speed():
    rng = np.random.default_rng(3)
    img = rng.integers(0, 255, (60, 100, 3), dtype=np.uint8)
    spec = CloudSpec(speed_frac_per_s=0.02, turbulence=0.5, perspective=0.5)
    m = CloudMotion.prepare(img, np.ones((60, 100), np.float32), spec, n_frames=30, fps=10, seed=1,
                            guard=False)
    gy, gx = np.mgrid[0:60, 0:100].astype(np.float32)
    for k in (1, 10, 30):
        xy = m.warp_map(k, 1.0)
        disp = np.hypot(xy[..., 0] - gx, xy[..., 1] - gy)
        # per frame at most speed * (1 + turbulence) px
        assert disp.max() <= k * 0.02 * 100 / 10 * 1.5 + 1e-3


def test_no_sky_no_motion():
    img = np.full((50, 60, 3), 100, np.uint8)
    assert CloudMotion.prepare(img, np.zeros((50, 60), np.float32), CloudSpec(), n_frames=10,
                               fps=10, seed=0) is None


def _textured_sky(h=90, w=160, seed=4):
    rng = np.random.default_rng(seed)
    tex = cv2.GaussianBlur(rng.random((h, w)).astype(np.float32), (0, 0), 1.5)
    tex = (tex - tex.min()) / (tex.max() - tex.min())
    img = np.stack([60 + 150 * tex, 90 + 130 * tex, 170 + 60 * tex], -1).astype(np.uint8)
    alpha = np.zeros((h, w), np.float32)
    alpha[: h // 2] = 1.0
    return img, alpha


@pytest.mark.parametrize("textured", [False, True])
@pytest.mark.parametrize("t", [3, pytest.param(11, marks=pytest.mark.jit)])
def test_kernel_path_equals_reference_composite(sea, t, textured):
    """The frame is the kernel's twin applied to the motion's own bands (smooth sky: the fine
    band stays put; textured sky: it moves with both warps)."""
    import reference as R
    from cinemagraph.motion.clouds import HI_UNIT

    if textured:
        img, alpha = _textured_sky()
        m = CloudMotion.prepare(img, alpha, CloudSpec(speed_frac_per_s=0.05), n_frames=24, fps=12,
                                seed=0, horizon_y=0.5, guard=False)
        assert m.fine.moves
        frame = img.copy()
        m.apply(frame, t)
    else:
        clip, _ = _gt_clip(sea)
        m, img = clip.motions[0], sea.image
        frame = clip[t]
    n = m.n_frames
    wgt = t / n
    y0, y1, x0, x1 = m.bbox
    disp_f, disp_b = m.displacement(t, 1.0), m.displacement(n - t, -1.0)
    lo = m.coarse_layer(disp_f, disp_b, wgt)
    H, W = m.shape
    lo_y, r0 = H / m.coarse.shape[0], m.coarse.rows[0]
    wide = lambda a: cv2.resize(a, (W, a.shape[0]), interpolation=cv2.INTER_LINEAR)  # noqa: E731
    want = img
    for box, plate, alpha3 in zip(m.strips, m.fine.plate_ref, m.alpha3):
        if m.fine.moves:
            g = m.fine.gain(wgt)
            want = R.cloud_composite(m.warp_fine(disp_f, box), m.warp_fine(disp_b, box),
                                     (1 - wgt) * g * HI_UNIT, wgt * g * HI_UNIT, 0.0, wide(lo), lo_y,
                                     r0, plate, alpha3, box[0], box[2], want)
        else:
            want = R.coarse_composite(wide(lo - m.coarse.still), lo_y, r0, alpha3, box[0], box[2], want)
    assert np.abs(frame.astype(int) - want.astype(int)).max() <= 1


def test_strips_cover_every_sky_pixel_and_skip_empty_rows():
    from cinemagraph.motion.clouds import STRIP_ROWS, _strips

    alpha = np.zeros((200, 120), np.float32)
    alpha[:40, 10:100] = 1.0
    alpha[150:160, 60:70] = 0.5  # a gap of sky far below
    boxes = _strips(alpha, (0, 160, 0, 120))
    covered = np.zeros_like(alpha, bool)
    for a, b, c, d in boxes:
        assert b - a <= STRIP_ROWS
        covered[a:b, c:d] = True
    assert covered[alpha > 0].all()
    assert covered.sum() < 0.5 * 160 * 120, "rows without sky are skipped"


def test_bands_reach_past_the_edges_as_a_mirror():
    """A band cropped to what the warps reach is the image mirrored (reflect-101) beyond it."""
    from cinemagraph.motion.clouds import _Band

    img = np.random.default_rng(1).random((7, 9)).astype(np.float32)
    band = _Band.reaching(img, (-20.0, 30.0), (-3.5, 12.2), margin=1)
    y_lo, x_lo = band.origin
    assert (y_lo, x_lo) == (-21, -5)
    want = np.pad(img, ((30, 30), (30, 30)), mode="reflect")
    h, w = band.pixels.shape
    assert np.array_equal(band.pixels, want[30 + y_lo:30 + y_lo + h, 30 + x_lo:30 + x_lo + w])


def test_fine_band_moves_with_the_wind():
    """On a textured sky the fine band's warp is the band shifted by the displacement."""
    img, alpha = _textured_sky()
    spec = CloudSpec(direction_deg=0.0, speed_frac_per_s=0.1, turbulence=0.0, perspective=0.0)
    m = CloudMotion.prepare(img, alpha, spec, n_frames=20, fps=10, seed=0, horizon_y=0.5, guard=False)
    moved = m.warp_fine(m.displacement(5, 1.0)).astype(np.float32)  # 5 frames of 1.6 px
    still = np.concatenate(m.fine.still, axis=0).astype(np.float32)  # full-width strips
    assert still.shape == moved.shape
    err = [np.abs(moved[5:40, 20:140] - np.roll(still, s, axis=1)[5:40, 20:140]).mean() for s in range(12)]
    assert int(np.argmin(err)) == 8


@pytest.mark.jit
def test_sharpness_does_not_pulse():
    """Fine texture drifting at a sub-pixel speed keeps its Laplacian energy in every frame."""
    rng = np.random.default_rng(5)
    tex = cv2.GaussianBlur(rng.random((96, 160)).astype(np.float32), (0, 0), 1.2)
    tex = (tex - tex.min()) / (tex.max() - tex.min())
    img = np.repeat((40 + 170 * tex)[..., None], 3, 2).astype(np.uint8)
    alpha = np.ones((96, 160), np.float32)
    spec = CloudSpec(speed_frac_per_s=0.5 / 160 * 10, turbulence=0.0, perspective=0.0)  # 0.5 px/frame
    m = CloudMotion.prepare(img, alpha, spec, n_frames=20, fps=10, seed=0, horizon_y=1.0, guard=False)
    lap = []
    for t in range(20):
        f = img.copy()
        m.apply(f, t)
        lap.append(cv2.Laplacian(f[..., 0].astype(np.float32), cv2.CV_32F)[8:-8, 8:-8].var())
    lap = np.array(lap)
    assert lap.std() / lap.mean() <= 0.05, np.round(lap / lap[0], 3)


def test_thin_structures_in_the_mask_do_not_move():
    """A mast painted into the sky mask must not be dragged along (no ghost copies)."""
    from cinemagraph.motion.layers import thin_structure_guard

    h, w = 80, 120
    yy, xx = np.mgrid[0:h, 0:w]
    img = np.zeros((h, w, 3), np.uint8)
    img[...] = np.stack([40 + yy * 0.5, 70 + yy * 0.5, 150 + yy * 0.3], -1).astype(np.uint8)
    img[10:80, 58:61] = 235  # a 3 px white mast
    alpha = np.ones((h, w), np.float32)  # the mask wrongly includes the mast
    guarded = thin_structure_guard(img, alpha)
    assert guarded[40, 59] == 0.0 and guarded[40, 20] == 1.0
    m = CloudMotion.prepare(img, alpha, CloudSpec(speed_frac_per_s=0.05, turbulence=0.0), n_frames=20,
                            fps=10, seed=0)
    for t in (5, 10, 15):
        f = img.copy()
        m.apply(f, t)
        assert np.array_equal(f[12:, 58:61], img[12:, 58:61])
        assert f[:, 40:56].max() < 200 and f[:, 63:80].max() < 200, "no ghost of the mast"


def test_soft_alpha_moves_the_photo_not_a_fill():
    """Where the matte is soft (0 < alpha < 1) the moving layer is the photo's own sky, so the
    result is a mix of the moved and the still photo, with no overshoot from filled colours."""
    rng = np.random.default_rng(9)
    tex = cv2.GaussianBlur(rng.random((80, 140)).astype(np.float32), (0, 0), 3.0)
    tex = (tex - tex.min()) / (tex.max() - tex.min())
    img = np.repeat((30 + 190 * tex)[..., None], 3, 2).astype(np.uint8)
    alpha = np.ones((80, 140), np.float32)
    alpha[30:60] = 0.9
    spec = CloudSpec(speed_frac_per_s=1.0 / 140 * 10, turbulence=0.0, perspective=0.0)  # 1 px/frame right
    m = CloudMotion.prepare(img, alpha, spec, n_frames=40, fps=10, seed=0, horizon_y=1.0, guard=False)
    f = img.copy()
    m.apply(f, 2)
    want = 0.9 * np.roll(img.astype(np.float32), 2, axis=1) + 0.1 * img
    err = np.abs(f[34:56, 10:130].astype(np.float32) - want[34:56, 10:130]).mean()
    assert err < 2.5, err


def test_smooth_sky_moves_its_coarse_band_only():
    """A sky with nothing finer than soft blobs: the fine band is noise and stays put, the
    coarse band still drifts with the wind, and the loop and the still pixels stay exact."""
    h, w = 96, 160
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    blob = np.exp(-((xx - 60) ** 2 + (yy - 25) ** 2) / (2 * 24.0**2))
    img = np.stack([70 + 90 * blob, 110 + 80 * blob, 200 + 30 * blob], -1).astype(np.uint8)
    alpha = np.zeros((h, w), np.float32)
    alpha[:60] = 1.0
    spec = CloudSpec(direction_deg=0.0, speed_frac_per_s=0.1, turbulence=0.0, perspective=0.0)
    m = CloudMotion.prepare(img, alpha, spec, n_frames=20, fps=10, seed=0, horizon_y=0.6, guard=False)
    assert not m.fine.moves
    frames = []
    for t in (0, 5, 20):
        f = img.copy()
        m.apply(f, t)
        frames.append(f)
    assert np.array_equal(frames[0], img) and np.array_equal(frames[2], img)
    assert np.array_equal(frames[1][60:], img[60:])
    # frame 5 of 20 at 1.6 px per frame: 3/4 of the sky carried 8 px right, 1/4 carried back
    # 24 px (the frames that lead into the loop point), up to the blend's contrast gain
    f1 = frames[1][8:52, 30:130].astype(np.float32)
    src = np.pad(img.astype(np.float32), ((0, 0), (40, 40), (0, 0)), mode="reflect")

    def shifted(s):  # the photo carried s px right, mirrored past its edges
        return src[:, 40 - s:40 - s + w]

    blend = 0.75 * shifted(8) + 0.25 * shifted(-24)
    err_blend = np.abs(f1 - blend[8:52, 30:130]).mean()
    err_still = np.abs(f1 - img[8:52, 30:130].astype(np.float32)).mean()
    assert err_still > 1.0 and err_blend < 0.8 * err_still, (err_blend, err_still)


def _grain_sky(seed=3, h=120, w=200):
    """A smooth sky gradient with fine grain: the fine band moves, but it counts only in part
    as texture (``detail_weight`` below 1 before the grain is kept)."""
    rng = np.random.default_rng(seed)
    yy = np.mgrid[0:h, 0:w][0].astype(np.float32)
    grain = cv2.GaussianBlur(rng.standard_normal((h, w)).astype(np.float32), (0, 0), 0.7) * 2.2
    base = np.stack([90 + 0.3 * yy, 130 + 0.2 * yy, 215 - 0.1 * yy], -1)
    return np.clip(base + grain[..., None] + rng.random((h, w, 1)), 0, 255).astype(np.uint8)


@pytest.mark.jit
def test_grain_of_a_near_flat_sky_does_not_fade_at_mid_loop(monkeypatch):
    """The blend of two uncorrelated warps of a grain-like fine band loses energy at N / 2;
    the motion raises the fine band's weight so the mid-loop frame keeps the photo's
    Laplacian energy (within a few %), where the weight measured on the band alone loses
    about a tenth of it."""
    from cinemagraph.motion.clouds import _lap_energy

    img = _grain_sky()
    alpha = np.ones(img.shape[:2], np.float32)
    spec = CloudSpec(speed_frac_per_s=0.02, turbulence=0.3, perspective=0.0)
    n = 40

    def prepare():
        return CloudMotion.prepare(img, alpha, spec, n_frames=n, fps=10, seed=1, horizon_y=1.0,
                                   guard=False)

    m = prepare()
    with monkeypatch.context() as mp:
        mp.setattr(CloudMotion, "_with_grain_kept", lambda self, *a: self)
        base = prepare()
    assert m.fine.moves and base.fine.detail_weight < m.fine.detail_weight <= 1.0
    sel = np.zeros(img.shape[:2], bool)
    sel[12:-12, 12:-12] = True
    e0 = _lap_energy(img, sel)

    def energy(motion, t):
        f = img.copy()
        motion.apply(f, t)
        return _lap_energy(f, sel) / e0

    assert abs(energy(m, n // 2) - 1.0) <= 0.04, energy(m, n // 2)
    assert energy(base, n // 2) < 0.93, energy(base, n // 2)
    kept = np.array([energy(m, t) for t in range(0, n, 4)])
    assert kept.std() / kept.mean() <= 0.05, np.round(kept, 3)


def test_grain_keeping_leaves_textured_skies_alone():
    """A sky whose texture is strong already has its full weight: nothing to raise."""
    rng = np.random.default_rng(5)
    tex = cv2.GaussianBlur(rng.random((96, 160)).astype(np.float32), (0, 0), 1.2)
    tex = (tex - tex.min()) / (tex.max() - tex.min())
    img = np.repeat((40 + 170 * tex)[..., None], 3, 2).astype(np.uint8)
    spec = CloudSpec(speed_frac_per_s=0.03, turbulence=0.0, perspective=0.0)
    m = CloudMotion.prepare(img, np.ones((96, 160), np.float32), spec, n_frames=20, fps=10, seed=0,
                            horizon_y=1.0, guard=False)
    assert m.fine.detail_weight == 1.0
