"""The library API end to end: animate, render, determinism, loop and static pixels."""

import numpy as np
import pytest

import cinemagraph
from cinemagraph.errors import InputError, RecipeError


def test_import_is_light():
    import subprocess
    import sys

    code = ("import sys, cinemagraph; bad = [m for m in ('numba', 'moviepy', 'cv2', 'scipy') if m in sys.modules];"
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


@pytest.fixture(scope="module")
def clip(sea):
    return cinemagraph.animate(sea.image, duration_s=2, fps=10, size_px=320, seed=4,
                               clouds__speed_frac_per_s=0.03)


@pytest.mark.jit
def test_animate_clip_basics(clip, sea):
    assert len(clip) == 20
    assert clip.size == (320, 180)
    assert clip[0].shape == (180, 320, 3) and clip[0].dtype == np.uint8
    assert np.array_equal(clip[20], clip[0])
    assert sum(1 for _ in clip) == 20
    with pytest.raises(TypeError):
        clip[1.5]  # type: ignore[index]


@pytest.mark.jit
def test_auto_sky_moves_and_the_rest_does_not(clip, sea):
    still = (clip.scene.sky == 0) & (clip.scene.water == 0)
    assert clip.scene.sky.mean() > 0.2, "the seascape's sky must be found"
    moved = np.abs(clip[10].astype(int) - clip[0].astype(int)).sum(-1) > 0
    assert moved[sea.sky > 0].mean() > 0.3
    for t in (1, 7, 13, 19):
        assert np.array_equal(clip[t][still], clip.photo.pixels[still])


@pytest.mark.jit
def test_loop_seam_ratio(clip):
    f = [clip[t].astype(np.float32) for t in range(len(clip))]
    steps = [np.abs(f[t + 1] - f[t]).mean() for t in range(len(f) - 1)]
    assert np.abs(f[-1] - f[0]).mean() / np.median(steps) <= 1.5


@pytest.mark.jit
def test_determinism_identical_hashes(sea):
    a = cinemagraph.animate(sea.image, duration_s=1, fps=8, size_px=256, seed=11).frame_hashes()
    b = cinemagraph.animate(sea.image, duration_s=1, fps=8, size_px=256, seed=11).frame_hashes()
    assert a == b and len(set(a)) > 1


@pytest.mark.jit
def test_to_moviepy(clip):
    mc = clip.to_moviepy()
    assert mc.duration == pytest.approx(2.0)
    assert np.array_equal(mc.get_frame(0.5), clip[5])


def test_bad_library_inputs(tmp_path):
    with pytest.raises(InputError):
        cinemagraph.animate(tmp_path / "missing.jpg")
    with pytest.raises(InputError):
        cinemagraph.animate(12345)
    with pytest.raises(RecipeError):
        cinemagraph.animate(np.zeros((20, 20, 3), np.uint8), fps=-1)
    with pytest.raises(RecipeError):
        cinemagraph.animate(np.zeros((20, 20, 3), np.uint8), wobble=3)


@pytest.mark.slow
def test_render_writes_a_looping_video(sea, tmp_path):
    from cinemagraph.io.video import read_frames

    out = tmp_path / "sea.mkv"  # lossless: frames compare exactly
    res = cinemagraph.render(sea.image, out, duration_s=1, fps=10, size_px=320, seed=2,
                             audio__sound="none")
    assert res.path == out and res.n_frames == 10 and res.size == (320, 180)
    frames = read_frames(out)
    clip = cinemagraph.animate(sea.image, duration_s=1, fps=10, size_px=320, seed=2)
    assert len(frames) == 10
    assert all(np.array_equal(a, clip[t]) for t, a in enumerate(frames))


@pytest.mark.slow
def test_render_with_matched_sound(sea, tmp_path):
    from test_video import _streams

    out = tmp_path / "sea.mp4"
    res = cinemagraph.render(sea.image, out, duration_s=1, fps=10, size_px=320, seed=1)
    assert res.sound is not None and res.sound["bed"] in {"ocean_surf", "small_waves", "lake_lapping"}
    assert abs(res.sound["loudness_lufs"] - (-20.0)) <= 0.5 and res.sound["true_peak_dbtp"] <= -1.0
    assert [s for s in _streams(out) if "Audio:" in s and "aac" in s]


def test_a_soft_freeze_is_applied_once():
    """A freeze value of 0.5 halves the sky's weight once (0.5 * 255 -> 128 in the kernels'
    alpha), in the scene and in the prepared clouds alike; it is not squared to 0.25."""
    from cinemagraph.io.photo import photo_from_array
    from cinemagraph.pipeline import analyze_scene, build_recipe, plan_motion

    yy = np.linspace(0, 1, 90, dtype=np.float32)[:, None, None]
    img = np.broadcast_to(np.array([90, 140, 220], np.float32) * (1 - 0.2 * yy), (90, 160, 3)).astype(np.uint8)
    photo = photo_from_array(img)
    sky = np.ones((90, 160), np.float32)
    freeze = np.full((90, 160), 0.5, np.float32)
    scene = analyze_scene(photo, sky_mask=sky, water_mask=np.zeros_like(sky), freeze_mask=freeze,
                          detect_faces=False)
    assert np.all(scene.sky == 0.5) and np.all(scene.freeze == 0.5)
    rec = build_recipe(duration_s=1, fps=8, size_px=160, clouds__speed_frac_per_s=0.02)
    clouds = plan_motion(photo, scene, rec)[0]
    assert type(clouds).__name__ == "CloudMotion"
    assert {int(v) for a3 in clouds.alpha3 for v in np.unique(a3)} == {128}


@pytest.mark.jit
def test_every_planned_step_is_a_motion(sea):
    """Clouds, water, faces, grade and camera all follow the Motion protocol, in that order."""
    import dataclasses

    from cinemagraph.analysis import Face
    from cinemagraph.frames import Box, Motion
    from cinemagraph.pipeline import analyze_scene, build_recipe, load_input, plan_motion

    rec = build_recipe(preset="dreamy", duration_s=1, fps=8, size_px=320)
    photo = load_input(sea.image, rec.size_px)
    scene = analyze_scene(photo, detect_faces=False)
    scene = dataclasses.replace(scene, faces=(Face(box=Box.from_xywh(140, 40, 40, 48)),))
    steps = plan_motion(photo, scene, rec)
    names = [type(m).__name__ for m in steps]
    assert names[0] == "CloudMotion" and names[-2:] == ["GradeMotion", "CameraMotion"]
    assert "FaceMotion" in names and any(n in names for n in ("RippleMotion", "FlowMotion"))
    for m in steps:
        assert isinstance(m, Motion)
        out = m.apply(photo.pixels.copy(), 3)
        assert out.shape == photo.pixels.shape and out.dtype == np.uint8
        assert m.energy(8).shape == (8,)
