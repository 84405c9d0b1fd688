"""Face motion: kernel twin, local support, exact loop, displacement caps, per-face phases,
switching faces off, blink timing."""

import numpy as np
import pytest

from cinemagraph.analysis.scene import Face
from cinemagraph.frames import Box
from cinemagraph.motion import _kernels as K
from cinemagraph.motion.faces import (BLINK_CLOSE_S, EYELID_CAP, HEAD_CAP, FaceMotion,
                                      blink_profile, plausible_eyes, prepare_faces)
from cinemagraph.recipe import FaceSpec

import reference as R

FACE = Face(box=Box.from_xywh(40, 30, 50, 50), eyes=((53.0, 48.0), (77.0, 49.0)), mouth=(65.0, 68.0))


def _img(seed=0):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (120, 140, 3), dtype=np.uint8)


from cinemagraph.testing import apply_motions as _frames  # noqa: E402


def test_face_basis_matches_reference():
    geom = np.array([30.0, 35.0, 28.0, 33.0, 30.0, 60.0, 55.0, 0.55])
    eyes = np.array([[20.0, 30.0, 7.0, 6.0, 4.0], [40.0, 31.0, 7.0, 6.0, 4.0]])
    got = np.zeros((70, 60, 4, 2), np.float32)
    K.face_basis(*geom, eyes, got)
    np.testing.assert_allclose(got, R.face_basis(*geom, eyes, 70, 60), atol=1e-5)
    y, x = np.mgrid[0:70, 0:60]
    outside = np.hypot((x - 30.0) / 28.0, (y - 35.0) / 33.0) >= 1
    assert np.all(got[outside] == 0)


def test_only_the_dilated_face_box_changes_and_the_loop_is_exact():
    img = _img()
    n = 30
    models = prepare_faces(img, (FACE,), FaceSpec(), n_frames=n, fps=10, seed=3)
    assert len(models) == 1
    y0, y1, x0, x1 = models[0].crop
    assert (y0, x0) == (30 - 13, 40 - 13) and y1 >= 30 + 50 + 17
    frames = _frames(models, img, n)
    assert np.array_equal(frames[n], frames[0])
    outside = np.ones(img.shape[:2], bool)
    outside[y0:y1, x0:x1] = False
    changed = np.zeros(img.shape[:2], bool)
    for f in frames:
        assert np.array_equal(f[outside], img[outside])
        changed |= (f != img).any(-1)
    assert changed[FACE.box.y0:FACE.box.y1, FACE.box.x0:FACE.box.x1].mean() > 0.5


@pytest.mark.parametrize("blink", [True, False])
def test_displacement_is_capped(blink):
    img = _img()
    spec = FaceSpec(breathing=1.0, sway=1.0, blink=blink)
    m = FaceMotion.prepare(img, FACE, spec, index=0, n_frames=40, fps=10, seed=1)
    fw = FACE.box.width
    worst = max(np.hypot(*np.moveaxis(m.displacement(t), -1, 0)).max() for t in range(40))
    cap = HEAD_CAP * fw + (EYELID_CAP * fw if blink else 0.0)
    assert worst <= cap + 1e-4
    assert worst > 0.3 * HEAD_CAP * fw  # and it does move
    head = m.displacement(0)  # away from the eyes the motion stays within the head cap
    assert np.hypot(head[..., 0], head[..., 1])[-12:].max() <= HEAD_CAP * fw + 1e-4


def test_each_face_has_its_own_phase_and_seed_decides():
    img = _img()
    other = Face(box=Box.from_xywh(10, 70, 30, 30))
    a, b = prepare_faces(img, (FACE, other), FaceSpec(), n_frames=40, fps=10, seed=2)
    assert not np.allclose(a.phases, b.phases)
    again = prepare_faces(img, (FACE, other), FaceSpec(), n_frames=40, fps=10, seed=2)[0]
    assert np.array_equal(a.phases, again.phases) and np.array_equal(a.blink_starts, again.blink_starts)
    assert not np.array_equal(a.phases, prepare_faces(img, (FACE,), FaceSpec(), n_frames=40, fps=10,
                                                      seed=5)[0].phases)


def test_faces_switch_off_globally_and_one_by_one():
    img = _img()
    other = Face(box=Box.from_xywh(10, 70, 30, 30))
    assert prepare_faces(img, (FACE, other), FaceSpec(enabled=False), n_frames=10, fps=10, seed=0) == []
    kept = prepare_faces(img, (FACE, other), FaceSpec(disabled=(0,)), n_frames=10, fps=10, seed=0)
    assert [m.index for m in kept] == [1]
    assert prepare_faces(img, (Face(box=Box.from_xywh(5, 5, 10, 10)),), FaceSpec(), n_frames=10, fps=10, seed=0) == []


def test_blink_closes_over_150ms_and_is_periodic():
    fps, n = 30, 120
    c = [blink_profile(t, np.array([100]), n, fps) for t in range(n)]
    assert c[100] == 0.0 and max(c) > 0.9
    peak = int(np.argmax(c))
    assert abs((peak - 100) / fps - BLINK_CLOSE_S) <= 1.0 / fps
    assert sum(v > 0 for v in c) <= (0.15 + 0.25) * fps + 1
    wrapped = [blink_profile(t, np.array([118]), n, fps) for t in range(n)]
    assert wrapped[2] > 0  # a blink late in the loop carries over the loop point
    assert blink_profile(n + 5, np.array([0]), n, fps) == blink_profile(5, np.array([0]), n, fps)


def test_implausible_eyes_do_not_blink():
    assert plausible_eyes(FACE)
    assert plausible_eyes(Face(box=Box.from_xywh(0, 0, 50, 50), eyes=((10.0, 10.0),))) == ()
    assert plausible_eyes(Face(box=Box.from_xywh(0, 0, 50, 50), eyes=((10.0, 45.0), (35.0, 45.0)))) == ()  # mouth-low
    assert plausible_eyes(Face(box=Box.from_xywh(0, 0, 50, 50), eyes=((20.0, 20.0), (24.0, 21.0)))) == ()  # too close
