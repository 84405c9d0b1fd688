"""Water segmentation and water type."""

import numpy as np
import pytest

from cinemagraph import testing
from cinemagraph.analysis import analyze_photo


def water_alpha(image, _sky=None):
    scene = analyze_photo(image, detect_faces=False)
    return scene.water, scene.summary.water_type


def iou(a, b):
    u = np.logical_or(a, b).sum()
    return 1.0 if u == 0 else np.logical_and(a, b).sum() / u


@pytest.mark.parametrize("gen,kw,floor", [
    (testing.seascape, {}, 0.9), (testing.seascape, {"horizon_frac": 0.4, "seed": 2}, 0.85),
    (testing.lake, {}, 0.93), (testing.lake, {"seed": 2, "horizon_frac": 0.5}, 0.93),
    (testing.river, {}, 0.65), (testing.river, {"seed": 2}, 0.8)],
    ids=["sea", "sea-high", "lake", "lake-2", "river", "river-2"])
def test_water_iou_on_generators(gen, kw, floor):
    kw = {"seed": 1, **kw}
    s = gen(width=480, height=270, **kw)
    w, kind = water_alpha(s.image, s.sky)
    assert iou(w > 0.5, s.water > 0.5) >= floor
    assert kind in ("still", "waves", "flowing")


def test_water_never_above_the_sky_line():
    s = testing.seascape(width=480, height=270, seed=3)
    w, _ = water_alpha(s.image, s.sky)
    # decisions are made on a 128-cell grid (a cell is 3.75 px here): no water a cell above the line
    assert (w[: s.horizon_row - 4] > 0.5).sum() == 0


def test_no_sky_no_water():
    s = testing.blue_wall(width=320, height=180)
    w, kind = water_alpha(s.image, np.zeros((180, 320), np.float32))
    assert w.max() == 0 and kind == "none"


def test_skimage_coffee_has_no_water():
    data = pytest.importorskip("skimage.data")
    scene = analyze_photo(data.coffee(), detect_faces=False)
    assert scene.summary.water_fraction < 0.001 and scene.summary.water_type == "none"


def test_skimage_rocket_has_no_water():
    data = pytest.importorskip("skimage.data")
    scene = analyze_photo(data.rocket(), detect_faces=False)
    assert scene.summary.water_fraction < 0.001 and scene.summary.water_type == "none"


def test_mean_water_iou_on_benchmark_scenes():
    ious = [iou(analyze_photo(s.image, detect_faces=False).water > 0.5, s.water > 0.5)
            for s in testing.benchmark_scenes(480, 270) if s.water.max() > 0]
    assert np.mean(ious) >= 0.85
