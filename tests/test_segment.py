"""The learned segmenter: kernel against its numpy twin, the shipped model, known answers."""

from __future__ import annotations

import numpy as np
import pytest

from cinemagraph.analysis import segment as seg
import reference


def _random_forest(rng, n_features, n_trees, n_classes, depth):
    """Complete binary trees of random splits, stored as flat node arrays like a shipped model."""
    feature, threshold, left, right, value, roots, tree_class = [], [], [], [], [], [], []
    offset = 0
    for t in range(n_trees):
        n_inner = 2 ** depth - 1
        n_nodes = 2 ** (depth + 1) - 1
        roots.append(offset)
        tree_class.append(t % n_classes)
        for i in range(n_nodes):
            if i < n_inner:
                feature.append(int(rng.integers(n_features)))
                threshold.append(float(rng.normal()))
                left.append(offset + 2 * i + 1)
                right.append(offset + 2 * i + 2)
                value.append(0.0)
            else:
                feature.append(0)
                threshold.append(0.0)
                left.append(-1)
                right.append(-1)
                value.append(float(rng.normal()))
        offset += n_nodes
    return seg.Forest(np.array(feature, np.int32), np.array(threshold), np.array(left, np.int32),
                      np.array(right, np.int32), np.array(value), np.array(roots, np.int32),
                      np.array(tree_class, np.int32), rng.normal(size=n_classes))


def test_forest_kernel_matches_numpy_twin_exactly(rng):
    forest = _random_forest(rng, n_features=7, n_trees=12, n_classes=3, depth=4)
    x = rng.normal(size=(500, 7)).astype(np.float32)
    x[::7, 2] = forest.threshold[0]  # values exactly at a threshold go left
    ours = forest.raw(x)
    twin = reference.forest_raw(x, forest.feature, forest.threshold, forest.left, forest.right, forest.value,
                                forest.roots, forest.tree_class, forest.baseline)
    assert np.array_equal(ours, twin)
    p = forest.proba(x)
    assert np.allclose(p.sum(axis=1), 1.0, atol=1e-6) and p.min() >= 0.0


def test_forest_known_answer():
    # one stump per class: feature 0 <= 0.5 gives (1, 0), else (0, 2), plus the baseline
    f = seg.Forest(feature=np.array([0, 0, 0, 0, 0, 0], np.int32), threshold=np.array([0.5, 0, 0, 0.5, 0, 0]),
                   left=np.array([1, -1, -1, 4, -1, -1], np.int32), right=np.array([2, -1, -1, 5, -1, -1], np.int32),
                   value=np.array([0, 1.0, 0.0, 0, 0.0, 2.0]), roots=np.array([0, 3], np.int32),
                   tree_class=np.array([0, 1], np.int32), baseline=np.array([0.25, -0.25]))
    raw = f.raw(np.array([[0.5], [0.6]], np.float32))
    assert np.array_equal(raw, [[1.25, -0.25], [0.25, 1.75]])


def test_shipped_model_loads_from_the_installed_package():
    from importlib import resources

    ref = resources.files("cinemagraph.analysis").joinpath("model", "segmenter.npz")
    assert ref.is_file()
    model = seg.load_model()
    assert len(model.stages) >= 1 and model.kind is not None
    assert 0.0 < model.sky_threshold < 1.0 and 0.0 < model.water_threshold < 1.0
    assert model.meta["base_features"] == list(seg.BASE_FEATURES)
    n_in = len(seg.BASE_FEATURES)
    for i, stage in enumerate(model.stages):
        used = int(stage.feature[stage.left != -1].max()) + 1
        assert used <= n_in + (len(seg.CONTEXT_FEATURES) if i else 0)
        assert stage.baseline.shape == (len(seg.CLASSES),)
    assert model.kind.baseline.shape == (len(seg.KINDS),)


def test_features_are_finite_and_sized(sea):
    x, grid = seg.grid_features(sea.image)
    assert x.shape == (grid[0] * grid[1], len(seg.BASE_FEATURES)) and x.dtype == np.float32
    assert np.isfinite(x).all()
    assert max(grid) == seg.GRID_LONG_SIDE
    c = seg.context_features(np.full((x.shape[0], 3), 1 / 3, np.float32), grid)
    assert c.shape == (x.shape[0], len(seg.CONTEXT_FEATURES)) and np.isfinite(c).all()


def test_features_reject_wrong_input():
    with pytest.raises(ValueError):
        seg.grid_features(np.zeros((10, 10), np.uint8))


def test_segment_is_deterministic_and_leaves_input_untouched(sea):
    img = sea.image.copy()
    a, b = seg.segment(img), seg.segment(img)
    assert np.array_equal(img, sea.image)
    assert np.array_equal(a.sky, b.sky) and np.array_equal(a.water, b.water)
    assert a.sky.shape == img.shape[:2] and a.sky.dtype == np.float32
    assert 0.0 <= a.sky.min() and a.water.max() <= 1.0
    assert a.kind in seg.KINDS and 0.0 <= a.kind_confidence <= 1.0
    assert float(np.max(a.sky + a.water)) <= 1.0 + 1e-6


def test_decide_keeps_only_confident_cells_and_drops_specks():
    grid = (20, 30)
    p = np.zeros((20, 30, 3), np.float32)
    p[..., 0] = 1.0
    p[:8, :, :] = (0.1, 0.85, 0.05)     # confident sky
    p[14:, :, :] = (0.45, 0.05, 0.5)    # water below its threshold
    p[10, 3] = (0.0, 0.0, 1.0)          # a one-cell speck of water
    sky, water = seg.decide(p.reshape(-1, 3), grid, 0.6, 0.7)
    assert sky[:8].all() and not sky[8:].any()
    assert not water.any()
    sky, water = seg.decide(p.reshape(-1, 3), grid, 0.6, 0.45)
    assert water[14:].all() and not water[10, 3]


def test_level_walk_used_without_the_jit_gives_the_same_sums(rng):
    forest = _random_forest(rng, n_features=5, n_trees=9, n_classes=3, depth=3)
    x = rng.normal(size=(300, 5)).astype(np.float32)
    assert np.array_equal(forest._raw_by_level(x), forest.raw(x))
