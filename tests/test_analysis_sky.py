"""Sky segmentation (the learned segmenter, through analyze_photo) on synthetic scenes with
exact masks, and bundled photos."""

import numpy as np
import pytest

from cinemagraph import testing
from cinemagraph.analysis import analyze_photo


def sky_alpha(image):
    return analyze_photo(image, detect_faces=False).sky


def iou(a, b):
    u = np.logical_or(a, b).sum()
    return 1.0 if u == 0 else np.logical_and(a, b).sum() / u


SKY_SCENES = [
    (testing.seascape, {}), (testing.lake, {}), (testing.river, {}), (testing.skyline, {}),
    (testing.skyline, {"overcast": True}), (testing.overcast, {}), (testing.night_sky, {}),
]


@pytest.mark.parametrize("gen,kw", SKY_SCENES, ids=lambda v: getattr(v, "__name__", str(v)))
def test_sky_iou_on_generators(gen, kw):
    s = gen(width=480, height=270, seed=1, **kw)
    alpha = sky_alpha(s.image)
    assert iou(alpha > 0.5, s.sky > 0.5) >= 0.85


def test_mean_sky_iou_on_benchmark_scenes():
    ious = [iou(sky_alpha(s.image) > 0.5, s.sky > 0.5) for s in testing.benchmark_scenes(480, 270) if s.sky.max() > 0]
    assert np.mean(ious) >= 0.96


@pytest.mark.parametrize("gen", [testing.indoor_room, testing.blue_wall, testing.white_room],
                         ids=lambda g: g.__name__)
def test_no_sky_scenes_give_an_empty_mask(gen):
    s = gen(width=480, height=270, seed=1)
    assert (sky_alpha(s.image) > 0.5).mean() < 0.005


def test_convention_shape_dtype_range_and_input_untouched():
    s = testing.seascape(width=300, height=170, seed=2)
    img = s.image.copy()
    a = sky_alpha(img)
    assert a.shape == (170, 300) and a.dtype == np.float32
    assert 0.0 <= a.min() and a.max() <= 1.0
    assert np.array_equal(img, s.image)
    # float input in [0, 1] gives the same answer as uint8
    b = sky_alpha(img.astype(np.float32) / 255.0)
    assert np.abs(a - b).max() < 1e-3


def test_resolution_independent():
    big = testing.seascape(width=1280, height=720, seed=4)
    small = testing.seascape(width=640, height=360, seed=4)
    assert iou(sky_alpha(big.image) > 0.5, big.sky > 0.5) >= 0.95
    assert iou(sky_alpha(small.image) > 0.5, small.sky > 0.5) >= 0.95


def test_thin_dark_structure_is_not_sky():
    s = testing.overcast(width=480, height=270, seed=2)
    img = s.image.copy()
    img[10:120, 200:202] = (30, 30, 30)  # a mast, two pixels wide
    a = sky_alpha(img)
    assert a[20:110, 200:202].mean() < 0.5
    assert a[20:110, 180:190].mean() > 0.8


def test_skimage_photos():
    data = pytest.importorskip("skimage.data")
    rocket = sky_alpha(data.rocket())
    assert (rocket > 0.5).mean() > 0.3, "the dusk sky behind the rocket"
    assert (rocket[:100, 250:400] > 0.5).mean() > 0.8
    # the darker dusk sky in the top right corner is sky (the learned matte leaves a few
    # soft pixels in it, so this asks for nearly all of it rather than every pixel)
    corner = rocket[0:110, 380:540]
    assert (corner > 0.5).mean() > 0.97 and corner.mean() > 0.95
    for name in ("coffee", "chelsea", "astronaut"):
        assert (sky_alpha(getattr(data, name)()) > 0.5).mean() < 0.01, name


@pytest.mark.parametrize("gen,kw,expected", [
    (testing.overcast, {}, True), (testing.skyline, {"overcast": True}, True),
    (testing.seascape, {}, False), (testing.skyline, {}, False), (testing.night_sky, {}, False),
    (testing.indoor_room, {}, False)], ids=["overcast", "grey-city", "sea", "city", "night", "room"])
def test_summary_overcast_flag(gen, kw, expected):
    from cinemagraph.analysis import analyze_photo

    s = gen(width=480, height=270, seed=1, **kw)
    assert analyze_photo(s.image, detect_faces=False).summary.overcast is expected



@pytest.mark.parametrize("seed", [1, 2])
def test_sky_through_a_window(seed):
    s = testing.window_room(width=480, height=270, seed=seed)
    pred = sky_alpha(s.image) > 0.5
    assert iou(pred, s.sky > 0.5) >= 0.8
    assert not pred[200:].any(), "nothing below the window"


def test_a_blue_panel_lit_from_above_is_not_window_sky():
    # the same window shape filled with an evenly blue, top-lit panel (a blue wall or board):
    # bluer higher up but darker toward the bottom, so not a daylight sky
    s = testing.window_room(width=480, height=270, seed=1)
    img = s.image.copy()
    ys, xs = np.nonzero(s.sky > 0.5)
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    t = np.linspace(0.0, 1.0, y1 - y0, dtype=np.float32)[:, None, None]
    panel = (1 - t) * np.array((90, 140, 230), np.float32) + t * np.array((50, 75, 120), np.float32)
    img[y0:y1, x0:x1] = np.broadcast_to(panel, (y1 - y0, x1 - x0, 3)).astype(np.uint8)
    assert (sky_alpha(img) > 0.5).mean() < 0.005


def test_window_sky_gives_no_water():
    from cinemagraph.analysis import analyze_photo

    s = testing.window_room(width=480, height=270, seed=1)
    scene = analyze_photo(s.image, detect_faces=False)
    assert (scene.sky > 0.5).mean() > 0.05 and (scene.water > 0.5).mean() == 0.0
