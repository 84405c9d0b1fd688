"""Camera: none changes nothing, exact loop, sub-pixel smooth moves, kernel twin, known shift."""

import numpy as np
import pytest

from cinemagraph.motion import _kernels as K
from cinemagraph.motion.camera import CameraMotion
from cinemagraph.recipe import CameraSpec

import reference as R


def warp_map(cam: CameraMotion, t: int) -> np.ndarray:
    """(H, W, 2) source positions of frame ``t`` (cv2.remap convention), from its parameters."""
    w, h = cam.size
    zoom, sx, sy = cam.params(t)
    return R.camera_map(zoom, (w - 1) / 2.0, (h - 1) / 2.0, sx, sy, h, w)


def test_affine_is_the_map():
    cam = CameraMotion.prepare((13, 9), CameraSpec(mode="drift", amount_frac=0.03), n_frames=24)
    m = cam.affine(5)
    y, x = np.mgrid[0:9, 0:13].astype(np.float64)
    want = warp_map(cam, 5)
    np.testing.assert_allclose(m[0, 0] * x + m[0, 1] * y + m[0, 2], want[..., 0], atol=1e-4)
    np.testing.assert_allclose(m[1, 0] * x + m[1, 1] * y + m[1, 2], want[..., 1], atol=1e-4)


@pytest.mark.parametrize("mode", ["push-in", "drift"])
def test_warp_samples_where_the_map_says(mode):
    """With no blur added, warped() is bilinear sampling at warp_map()'s positions."""
    import dataclasses

    import cv2

    rng = np.random.default_rng(2)
    img = cv2.GaussianBlur(rng.integers(0, 256, (48, 64, 3), dtype=np.uint8), (0, 0), 1.0)
    cam = CameraMotion.prepare((64, 48), CameraSpec(mode=mode, amount_frac=0.03), n_frames=24)
    plain = dataclasses.replace(cam, blur=0.0)
    for t in (3, 7):
        got = plain.warped(img, t)
        want = cv2.remap(img, warp_map(cam, t), None, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        # OpenCV rounds positions to 1/32 px: a grey level or two on steep edges
        diff = np.abs(got.astype(int) - want.astype(int))
        assert diff.max() <= 3 and diff.mean() < 0.2
        assert np.abs(cam.warped(img, t).astype(int) - got).max() > 0  # the blur is there


def test_mode_none_prepares_nothing():
    assert CameraMotion.prepare((64, 48), CameraSpec(mode="none"), n_frames=10) is None
    assert CameraMotion.prepare((64, 48), CameraSpec(mode="drift", amount_frac=0.0), n_frames=10) is None


@pytest.mark.parametrize("mode", ["push-in", "drift"])
def test_loop_is_exact_and_moves_are_small_and_smooth(mode):
    rng = np.random.default_rng(0)
    img = rng.integers(0, 256, (48, 64, 3), dtype=np.uint8)
    n = 24
    cam = CameraMotion.prepare((64, 48), CameraSpec(mode=mode, amount_frac=0.02), n_frames=n)
    frames = []
    for t in range(n + 1):
        frames.append(cam.apply(img.copy(), t))
    assert np.array_equal(frames[n], frames[0])
    maps = [warp_map(cam, t) for t in range(n + 1)]
    steps = [np.abs(maps[t + 1] - maps[t]).max() for t in range(n)]
    # sub-pixel per frame, bounded by the fastest point of the raised cosine / sine
    assert max(steps) <= 2 * np.pi * 0.02 * 64 / n / (2 if mode == "push-in" else 1) + 1e-3
    assert max(steps) < 1.0
    if mode == "push-in":
        assert steps[0] < max(steps)  # eases in and out at the loop point
    frac = np.concatenate([(m % 1.0).ravel() for m in maps])
    assert ((frac > 0.01) & (frac < 0.99)).mean() > 0.9  # not whole-pixel jumps


def test_drift_shifts_by_the_expected_amount():
    cam = CameraMotion.prepare((200, 100), CameraSpec(mode="drift", amount_frac=0.02), n_frames=40)
    m0, m10 = warp_map(cam, 0), warp_map(cam, 10)  # a quarter loop: sin = 1
    np.testing.assert_allclose(m10[..., 0] - m0[..., 0], 0.02 * 200, atol=1e-4)
    np.testing.assert_allclose(m10[..., 1], m0[..., 1], atol=1e-6)
    # the drift never needs pixels from outside the photo
    for t in range(40):
        m = warp_map(cam, t)
        assert m[..., 0].min() >= -0.5 and m[..., 0].max() <= 199.5


def test_push_in_zooms_about_the_centre():
    cam = CameraMotion.prepare((101, 51), CameraSpec(mode="push-in", amount_frac=0.05), n_frames=20)
    z0, z1 = cam.params(0)[0], cam.params(10)[0]
    assert z1 == pytest.approx(z0 + 0.05)
    m = warp_map(cam, 10)
    np.testing.assert_allclose(m[25, 50], (50.0, 25.0), atol=1e-4)
    assert m[25, 0, 0] == pytest.approx(50 - 50 / z1, abs=1e-4)


def test_resample_kernel_matches_reference(rng):
    frame = rng.integers(0, 256, (7, 9, 3), dtype=np.uint8)
    h, w = 5, 8
    ry = rng.integers(-2, 7, h).astype(np.int64)
    wy = rng.random((h, 4)).astype(np.float32) * 0.5
    run_at = np.array([0, 6, 15, 3 * w], np.int64)
    run_off = np.array([0, 3, 6], np.int64)  # into the 9 + 4 pixels of a padded row
    wx = rng.random((4, 3 * w)).astype(np.float32) * 0.5
    got = np.empty((h, w, 3), np.uint8)
    K.camera_resample(frame, ry, wy, run_at, run_off, wx, got)
    want = R.camera_resample(frame, ry, wy, run_at, run_off, wx)
    assert np.abs(got.astype(int) - want.astype(int)).max() <= 1


@pytest.mark.parametrize("blur", [0.25, 0.375, 0.5])
def test_taps_bring_every_phase_to_the_same_blur(blur):
    from cinemagraph.motion.camera import column_runs, resample_taps

    scale, offset, n = 1 / 1.013, 3.37, 400
    first, wts = resample_taps(scale, offset, n, n, blur=blur)
    s = scale * np.arange(n) + offset
    pos = first[:, None] + np.arange(4)[None]
    np.testing.assert_allclose(wts.sum(1), 1.0, atol=1e-6)
    centre = (wts * pos).sum(1)
    inside = s <= n - 2
    np.testing.assert_allclose(centre[inside], s[inside], atol=1e-5)  # no shift
    var = (wts * (pos - centre[:, None]) ** 2).sum(1)
    np.testing.assert_allclose(var[inside], blur, atol=1e-5)  # every phase equally soft
    assert wts.min() >= 0
    # what is left at the pixel pitch: 1 - 2 blur at whole-pixel phases, 0 half-way; the
    # B-spline end leaves nothing at any phase
    def nyquist(w):
        return abs(float((w * np.array([1, -1, 1, -1])).sum()))

    assert nyquist(resample_taps(1.0, 2.0, 1, 10, blur=blur)[1][0]) == pytest.approx(1 - 2 * blur, abs=1e-6)
    assert nyquist(resample_taps(1.0, 2.5, 1, 10, blur=blur)[1][0]) < 1e-6
    if blur == 0.5:
        assert max(nyquist(w) for w in wts) < 1e-6
    # the taps are continuous as the phase wraps: just below a whole pixel they are those of
    # the whole pixel one tap along
    below = resample_taps(1.0, 2.0 - 1e-7, 1, 10, blur=blur)
    at = resample_taps(1.0, 2.0, 1, 10, blur=blur)
    assert below[0][0] + 1 == at[0][0]
    np.testing.assert_allclose(below[1][0][1:], at[1][0][:3], atol=1e-6)
    assert below[1][0][0] < 1e-6 and at[1][0][3] < 1e-6
    # outputs beyond the photo repeat its edge; runs cover every output exactly once
    assert first.min() >= -1 and first.max() <= n - 2
    run_at, run_off = column_runs(first)
    assert run_at[0] == 0 and run_at[-1] == 3 * n and np.all(np.diff(run_at) > 0)
    x = np.repeat(np.arange(n), 3)
    np.testing.assert_array_equal(np.repeat(run_off, np.diff(run_at)), 3 * (first[x] + 2 - x))


def test_whole_and_half_pixel_taps():
    from cinemagraph.motion.camera import resample_taps

    # the softest bilinear blur: [1/8, 3/4, 1/8] on a whole pixel, plain bilinear half-way
    np.testing.assert_allclose(resample_taps(1.0, 2.0, 4, 10, blur=0.25)[1][0], [0.125, 0.75, 0.125, 0], atol=1e-7)
    np.testing.assert_allclose(resample_taps(1.0, 2.5, 4, 10, blur=0.25)[1][0], [0, 0.5, 0.5, 0], atol=1e-7)
    # the B-spline end
    np.testing.assert_allclose(resample_taps(1.0, 2.0, 4, 10, blur=0.5)[1][0], [0.25, 0.5, 0.25, 0], atol=1e-7)
    np.testing.assert_allclose(16 * resample_taps(1.0, 2.5, 4, 10, blur=0.5)[1][0], [1, 7, 7, 1], atol=1e-5)
    # no blur asked: plain bilinear
    np.testing.assert_allclose(resample_taps(1.0, 2.25, 4, 10, blur=0.0)[1][0], [0, 0.75, 0.25, 0], atol=1e-7)


@pytest.mark.jit
def test_push_in_sharpness_does_not_pulse():
    """A textured patch off the zoom's centre passes through every sub-pixel phase during a
    push-in; bilinear alone makes its detail pulse, the equalising blur keeps it within 5 %."""
    import dataclasses

    import cv2

    rng = np.random.default_rng(4)
    h, w = 240, 320
    img = cv2.GaussianBlur(rng.integers(0, 256, (h, w, 3), dtype=np.uint8), (0, 0), 0.9)
    n = 40
    cam = CameraMotion.prepare((w, h), CameraSpec(mode="push-in", amount_frac=0.03), n_frames=n)
    win = (slice(30, 70), slice(40, 90))  # far from the centre (159.5, 119.5)

    def energy(camera):
        out = []
        for t in range(0, n, 2):
            f = camera.warped(img, t)
            g = cv2.cvtColor(f, cv2.COLOR_RGB2GRAY).astype(np.float32)
            out.append(cv2.Laplacian(g, cv2.CV_32F)[win].var())
        out = np.array(out)
        return out.std() / out.mean()

    even = energy(cam)
    plain = energy(dataclasses.replace(cam, blur=0.0))
    print(f"sharpness variation {even:.3f} equalised, {plain:.3f} bilinear alone")
    assert even <= 0.05, (even, plain)
    assert plain > 2 * even, (plain, even)
