"""The synthetic scene generators: shapes, determinism and exact masks."""

import numpy as np
import pytest

from cinemagraph import testing

GENERATORS = [testing.seascape, testing.lake, testing.river, testing.skyline, testing.overcast,
              testing.night_sky, testing.indoor_room, testing.blue_wall, testing.window_room,
              testing.white_room]


@pytest.mark.parametrize("gen", GENERATORS, ids=lambda g: g.__name__)
def test_generator_shapes_and_masks(gen):
    s = gen(width=200, height=120, seed=3)
    assert s.image.shape == (120, 200, 3) and s.image.dtype == np.uint8
    for m in (s.sky, s.water):
        assert m.shape == (120, 200) and m.dtype == np.float32
        assert set(np.unique(m)) <= {0.0, 1.0}
    assert not np.any((s.sky > 0) & (s.water > 0)), "a pixel cannot be sky and water"


@pytest.mark.parametrize("gen", GENERATORS, ids=lambda g: g.__name__)
def test_generator_is_deterministic(gen):
    a, b = gen(width=160, height=90, seed=5), gen(width=160, height=90, seed=5)
    assert np.array_equal(a.image, b.image) and np.array_equal(a.sky, b.sky)
    c = gen(width=160, height=90, seed=6)
    assert not np.array_equal(a.image, c.image)


def test_scene_contents_match_their_names():
    assert testing.indoor_room(width=160, height=90).sky.max() == 0
    assert testing.blue_wall(width=160, height=90).sky.max() == 0
    assert testing.white_room(width=160, height=90).sky.max() == 0
    win = testing.window_room(width=160, height=90)
    assert 0.03 < win.sky.mean() < 0.2 and not win.sky[0].any(), "sky only inside the window"
    for gen in (testing.seascape, testing.lake, testing.river):
        s = gen(width=160, height=90, seed=1)
        assert s.sky.mean() > 0.1 and s.water.mean() > 0.05
        # water lies below the sky in every column that has both
        for x in range(0, 160, 7):
            ys, yw = np.nonzero(s.sky[:, x])[0], np.nonzero(s.water[:, x])[0]
            if len(ys) and len(yw):
                assert ys.max() < yw.min()


def test_blue_wall_is_blue():
    img = testing.blue_wall(width=160, height=90).image.astype(int)
    top = img[:20]
    assert (top[..., 2] > top[..., 0] + 40).mean() > 0.9


def test_benchmark_scenes_cover_all_kinds():
    names = {s.name for s in testing.benchmark_scenes(width=160, height=90)}
    assert {"seascape", "lake", "river", "skyline", "overcast", "night", "indoor room", "blue wall"} <= names
