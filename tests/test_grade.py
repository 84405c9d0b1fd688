"""Sky grading: look none changes nothing, exact loop, slow light changes, sky and reflection
take the look, static pixels change only by the global change of light."""

import numpy as np
import pytest

from cinemagraph.grade import MAX_STEP, REFLECTION, GradeMotion, row_matrices
from cinemagraph.grade.looks import LOOK_TABLE
from cinemagraph.grade import _kernels as K
from cinemagraph.recipe import LOOKS, GradeSpec

import reference as R


def _scene(h=48, w=64, seed=0):
    rng = np.random.default_rng(seed)
    img = rng.integers(30, 230, (h, w, 3), dtype=np.uint8)
    img[: h // 2] = np.clip(np.array([90, 140, 220]) + rng.integers(-20, 20, (h // 2, w, 1)), 0, 255)
    sky = np.zeros((h, w), np.float32)
    sky[: h // 2] = 1
    sky[h // 2 - 1] = 0.5
    water = np.zeros((h, w), np.float32)
    water[h // 2 + 2: h - 8, 8:w - 8] = 1
    return img, sky, water


def _rel_luminance(img):
    lin = (img.astype(np.float64) / 255.0) ** 2.2
    return lin @ np.array([0.2126, 0.7152, 0.0722])


def test_kernel_matches_reference(rng):
    frame = rng.integers(0, 256, (20, 30, 3), dtype=np.uint8)
    wgt = (rng.random((9, 14)) * 255).astype(np.uint8)
    wgt[wgt < 80] = 0
    mats = np.tile(np.array([1.1, 0.05, 0, 3, 0, 0.9, 0.1, -2, 0.02, 0, 0.8, 1]), (20, 1))
    mats += rng.normal(0, 0.02, mats.shape)
    for gain, full in ((np.ones(3), False), (np.array([1.05, 1.0, 0.9]), True)):
        got = frame.copy()
        K.grade_frame(got, wgt, 5, 11, mats, gain, full)
        want = R.grade_frame(frame, wgt, 5, 11, mats, gain, full)
        assert np.abs(got.astype(int) - want).max() <= 1
    got = frame.copy()
    K.grade_frame(got, wgt, 5, 11, mats, np.ones(3), False)
    outside = np.ones((20, 30), bool)
    outside[5:14, 11:25] = (wgt == 0)
    assert np.array_equal(got[outside], frame[outside])


def test_look_none_prepares_nothing():
    _, sky, water = _scene()
    assert GradeMotion.prepare(sky, water, GradeSpec(look="none"), n_frames=10) is None
    assert GradeMotion.prepare(sky, water, GradeSpec(look="storm", strength=0.0), n_frames=10) is None


@pytest.mark.parametrize("look", [lk for lk in LOOKS if lk != "none"])
def test_every_look_loops_exactly_and_never_flashes(look):
    img, sky, water = _scene()
    n = 12  # a short loop: the peak is lowered so no step exceeds MAX_STEP
    g = GradeMotion.prepare(sky, water, GradeSpec(look=look, strength=1.0, scene_light=1.0), n_frames=n)
    frames = []
    for t in range(n + 1):
        f = img.copy()
        g.apply(f, t)
        frames.append(f)
    assert np.array_equal(frames[0], img) and np.array_equal(frames[n], frames[0])
    assert not np.array_equal(frames[n // 2], img)
    lum = [_rel_luminance(f) for f in frames]
    for a, b in zip(lum, lum[1:]):
        rel = np.abs(b.mean() - a.mean()) / a.mean()
        assert rel <= 1.5 * MAX_STEP
        assert np.abs(b - a).max() < 0.1  # no pixel jumps by a flash-sized step


def test_static_pixels_untouched_without_scene_light():
    img, sky, water = _scene()
    g = GradeMotion.prepare(sky, water, GradeSpec(look="sunset", scene_light=0.0), n_frames=20)
    still = (sky == 0) & (water == 0)
    for t in (3, 10, 17):
        f = img.copy()
        g.apply(f, t)
        assert np.array_equal(f[still], img[still])
        assert not np.array_equal(f[sky == 1], img[sky == 1])


def test_scene_light_is_one_global_change_per_value():
    img, sky, water = _scene()
    g = GradeMotion.prepare(sky, water, GradeSpec(look="golden-hour", scene_light=1.0), n_frames=40)
    f = img.copy()
    g.apply(f, 20)
    still = (sky == 0) & (water == 0)
    _, gain_t = g.frame_tables(20)
    lut = np.clip(np.floor(np.arange(256)[None, :] * gain_t[:, None] + 0.5), 0, 255).astype(np.uint8)
    for c in range(3):
        assert np.abs(f[still][:, c].astype(int) - lut[c][img[still][:, c]]).max() <= 1
        # one output per input value: the same value always maps to the same value
        for v in np.unique(img[still][:, c])[:20]:
            assert np.unique(f[still][:, c][img[still][:, c] == v]).size == 1
    gain = np.array(LOOK_TABLE["golden-hour"].scene_gain)
    assert np.abs(f[still].astype(float) - img[still]).max() <= 255 * np.abs(gain - 1).max() * g.peak + 1


def test_sunset_reddens_the_sky_and_its_reflection_storm_darkens():
    img, sky, water = _scene()
    img[:] = (100, 150, 220)
    base = img.astype(float)

    def at_peak(look):
        g = GradeMotion.prepare(sky, water, GradeSpec(look=look, strength=1.0, scene_light=0.0),
                                n_frames=200, horizon_y=0.5)
        f = img.copy()
        g.apply(f, 100)
        return f.astype(float)

    s = at_peak("sunset")
    ratio = lambda a, m: a[m][:, 0].mean() / a[m][:, 2].mean()  # noqa: E731
    sk, wt = sky == 1, water == 1
    assert ratio(s, sk) > ratio(base, sk) + 0.3
    assert ratio(s, wt) > ratio(base, wt) + 0.1
    assert ratio(s, wt) < ratio(s, sk)  # the reflection takes the colour, more weakly
    storm = at_peak("storm")
    assert storm[sk].mean() < 0.9 * base[sk].mean()


def test_reflection_rows_mirror_the_sky_rows():
    m = row_matrices(LOOK_TABLE["sunset"], 100, 40.0)
    np.testing.assert_allclose(m[45], m[34], atol=1e-9)  # row 45 mirrors row 34 (about 40)
    np.testing.assert_allclose(m[39], LOOK_TABLE["sunset"].sky_matrix(39.5 / 40).ravel())
    assert 0 < REFLECTION < 1
