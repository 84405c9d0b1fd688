"""Per-column sky/ground boundary by dynamic programming: known answers."""

import numpy as np

from cinemagraph.analysis.skyline import column_boundary


def _score(bound, h=40):
    rows = np.arange(h)[:, None]
    return np.where(rows < np.asarray(bound)[None, :], 1.0, -1.0).astype(np.float32)


def test_recovers_a_clean_boundary_with_a_jump():
    bound = np.r_[np.full(20, 10), np.full(20, 30)]  # a building edge: 20-row jump
    assert np.array_equal(column_boundary(_score(bound)), bound)


def test_columns_without_sky_get_zero():
    bound = np.r_[np.full(10, 15), np.zeros(10, int), np.full(10, 15)]
    assert np.array_equal(column_boundary(_score(bound)), bound)


def test_smoothness_removes_a_one_column_spike():
    bound = np.full(30, 12)
    s = _score(bound)
    s[12:30, 15] = 0.3  # one column weakly sky-like far below the boundary
    b = column_boundary(s, smooth=1.0, max_jump_cost=10.0)
    assert b[15] == 12
    # ... while a wide region of the same evidence is followed
    s[12:30, 5:25] = 1.0
    b = column_boundary(s, smooth=1.0, max_jump_cost=10.0)
    assert (b[6:24] == 30).all()


def test_output_range_and_type():
    rng = np.random.default_rng(0)
    b = column_boundary(rng.normal(size=(25, 17)))
    assert b.shape == (17,) and b.dtype.kind == "i"
    assert b.min() >= 0 and b.max() <= 25
