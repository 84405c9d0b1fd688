"""Camera: none changes nothing, exact loop, sub-pixel smooth moves, kernel twin, known shift."""

import numpy as np
import pytest

from cinemagraph.motion import _kernels as K
from cinemagraph.motion.camera import CameraMotion
from cinemagraph.recipe import CameraSpec

import reference as R


def test_kernel_matches_reference():
    out = np.empty((9, 13, 2), np.float32)
    K.camera_map(1.07, 6.0, 4.0, 1.5, -0.25, out)
    np.testing.assert_allclose(out, R.camera_map(1.07, 6.0, 4.0, 1.5, -0.25, 9, 13), atol=1e-5)


@pytest.mark.parametrize("mode", ["push-in", "drift"])
def test_affine_warp_is_the_map(mode):
    """apply() (the blur, then an affine warp) samples exactly where warp_map() says."""
    import cv2

    rng = np.random.default_rng(2)
    img = cv2.GaussianBlur(rng.integers(0, 256, (48, 64, 3), dtype=np.uint8), (0, 0), 1.0)
    cam = CameraMotion.prepare((64, 48), CameraSpec(mode=mode, amount_frac=0.03), n_frames=24)
    for t in (3, 7):
        got = img.copy()
        cam.apply(got, t)
        even = np.empty_like(img)
        K.equalize_blur(img, *cam.blur_weights(t), even)
        want = cv2.remap(even, cam.warp_map(t), None, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT101)
        # both round positions to 1/32 px, each in its own way: a grey level or two on steep edges
        diff = np.abs(got.astype(int) - want.astype(int))
        assert diff.max() <= 3 and diff.mean() < 0.1


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
        f = img.copy()
        cam.apply(f, t)
        frames.append(f)
    assert np.array_equal(frames[n], frames[0])
    maps = [cam.warp_map(t) for t in range(n + 1)]
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
    m0, m10 = cam.warp_map(0), cam.warp_map(10)  # a quarter loop: sin = 1
    np.testing.assert_allclose(m10[..., 0] - m0[..., 0], 0.02 * 200, atol=1e-4)
    np.testing.assert_allclose(m10[..., 1], m0[..., 1], atol=1e-6)
    # the drift never needs pixels from outside the photo
    for t in range(40):
        m = cam.warp_map(t)
        assert m[..., 0].min() >= -0.5 and m[..., 0].max() <= 199.5


def test_push_in_zooms_about_the_centre():
    cam = CameraMotion.prepare((101, 51), CameraSpec(mode="push-in", amount_frac=0.05), n_frames=20)
    z0, z1 = cam.params(0)[0], cam.params(10)[0]
    assert z1 == pytest.approx(z0 + 0.05)
    m = cam.warp_map(10)
    np.testing.assert_allclose(m[25, 50], (50.0, 25.0), atol=1e-4)
    assert m[25, 0, 0] == pytest.approx(50 - 50 / z1, abs=1e-4)


def test_equalize_blur_matches_reference_and_zero_is_identity(rng):
    frame = rng.integers(0, 256, (7, 9, 3), dtype=np.uint8)
    ax3 = np.repeat(rng.random(9) * 0.25, 3).astype(np.float32)
    ay = (rng.random(7) * 0.25).astype(np.float32)
    got = np.empty_like(frame)
    K.equalize_blur(frame, ax3, ay, got)
    assert np.abs(got.astype(int) - R.equalize_blur(frame, ax3, ay).astype(int)).max() <= 1
    K.equalize_blur(frame, np.zeros(27, np.float32), np.zeros(7, np.float32), got)
    assert np.array_equal(got, frame)


def test_equalizing_weights_bring_every_phase_to_the_same_blur():
    from cinemagraph.motion.camera import TARGET_BLUR, equalizing_weights

    scale, offset, n = 1 / 1.013, 3.37, 400
    a = equalizing_weights(scale, offset, n)
    assert a.min() >= 0 and a.max() <= 0.125
    x = np.arange(int(n * 0.9))
    s = scale * x + offset
    j, f = np.floor(s).astype(int), s - np.floor(s)
    # the blur added at the left tap plus that of bilinear sampling at the output's phase
    np.testing.assert_allclose(2 * a[j] + f * (1 - f), TARGET_BLUR, atol=0.01)
    # a whole-pixel copy gets the most blur, sampling half-way between pixels none
    np.testing.assert_allclose(equalizing_weights(1.0, 2.0, 10), 0.125)
    np.testing.assert_allclose(equalizing_weights(1.0, 2.5, 10)[3:], 0.0, atol=1e-12)


@pytest.mark.jit
def test_push_in_sharpness_does_not_pulse(monkeypatch):
    """A textured patch off the zoom's centre passes through every sub-pixel phase during a
    push-in; bilinear alone makes its detail pulse, the equalising blur keeps it within 5 %."""
    import cv2

    rng = np.random.default_rng(4)
    h, w = 240, 320
    img = cv2.GaussianBlur(rng.integers(0, 256, (h, w, 3), dtype=np.uint8), (0, 0), 0.9)
    n = 40
    cam = CameraMotion.prepare((w, h), CameraSpec(mode="push-in", amount_frac=0.03), n_frames=n)
    win = (slice(30, 70), slice(40, 90))  # far from the centre (159.5, 119.5)

    def energy():
        out = []
        for t in range(0, n, 2):
            f = cam.warped(img, t)
            g = cv2.cvtColor(f, cv2.COLOR_RGB2GRAY).astype(np.float32)
            out.append(cv2.Laplacian(g, cv2.CV_32F)[win].var())
        out = np.array(out)
        return out.std() / out.mean()

    even = energy()
    with monkeypatch.context() as mp:
        mp.setattr(K, "equalize_blur", lambda frame, ax3, ay, out: np.copyto(out, frame))
        plain = energy()
    print(f"sharpness variation {even:.3f} equalised, {plain:.3f} bilinear alone")
    assert even <= 0.05, (even, plain)
    assert plain > 2 * even, (plain, even)
