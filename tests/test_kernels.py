"""Every motion kernel against its numpy twin in tests/reference.py."""

import numpy as np
import pytest

from cinemagraph.motion import _kernels as K
from cinemagraph.motion.layers import alpha_rows

import reference as R


def test_wind_field_matches_reference(rng):
    psi = rng.random((23, 31)).astype(np.float32)
    out = np.zeros((23, 31, 2), np.float32)
    K.wind_field(psi, 0.6, -0.8, 0.7, 0.4, 15.0, 0.5, out)
    np.testing.assert_allclose(out, R.wind_field(psi, 0.6, -0.8, 0.7, 0.4, 15.0, 0.5), rtol=1e-5, atol=1e-6)


def test_wind_field_uniform_when_no_turbulence_or_perspective():
    psi = np.random.default_rng(0).random((8, 9)).astype(np.float32)
    out = np.zeros((8, 9, 2), np.float32)
    K.wind_field(psi, 1.0, 0.0, 2.0, 0.0, 4.0, 0.0, out)
    assert np.all(out[..., 0] == 2.0) and np.all(out[..., 1] == 0.0)


def test_curl_part_is_divergence_free():
    # psi = x*y has constant curl (x, -y)... use a smooth field and check central divergence
    y, x = np.mgrid[0:40, 0:50].astype(np.float32)
    psi = (np.sin(x / 7.0) * np.cos(y / 5.0)).astype(np.float32)
    out = np.zeros((40, 50, 2), np.float32)
    K.wind_field(psi, 0.0, 0.0, 1.0, 1.0, 1e9, 0.0, out)
    div = (out[2:-2, 3:-1, 0] - out[2:-2, 1:-3, 0]) / 2 + (out[3:-1, 2:-2, 1] - out[1:-3, 2:-2, 1]) / 2
    assert np.abs(div).max() < 1e-5
    assert np.abs(out).max() > 0.05


def test_advect_positions_matches_reference(rng):
    field = (rng.random((12, 16, 2)).astype(np.float32) - 0.5) * 2
    gy, gx = np.mgrid[0:12, 0:16].astype(np.float32)
    pos = np.stack([(gx + 0.5) * 4 - 0.5, (gy + 0.5) * 3 - 0.5], -1).astype(np.float32)
    want = R.advect_positions(field, pos, 5, -1.0, 4.0, 3.0)
    got = pos.copy()
    K.advect_positions(field, got, 5, -1.0, 4.0, 3.0)
    np.testing.assert_allclose(got, want, atol=1e-3)


def test_advect_uniform_flow_is_exact_translation():
    field = np.zeros((6, 6, 2), np.float32)
    field[..., 0] = 0.25  # cells per frame
    pos = np.zeros((6, 6, 2), np.float32)
    pos[..., 0] = 10.0
    pos[..., 1] = 7.0
    K.advect_positions(field, pos, 8, 1.0, 2.0, 2.0)
    # content moves +x, so its source lies 8 * 0.25 cells * 2 px = 4 px to the left
    np.testing.assert_allclose(pos[..., 0], 6.0, atol=1e-5)
    np.testing.assert_allclose(pos[..., 1], 7.0, atol=1e-6)


def _cloud_inputs(rng, h=9, w=11):
    alpha = np.where(rng.random((h, w)) < 0.3, 0.0, rng.random((h, w))).astype(np.float32)
    return dict(
        ha=rng.integers(-3000, 3000, (h, w)).astype(np.int16),
        hb=rng.integers(-3000, 3000, (h, w)).astype(np.int16),
        wa=0.4 / 16, wb=0.8 / 16, bias=1.5,
        lo=rng.random((4, w + 5, 3)).astype(np.float32) * 255, lo_y=3.9, lo_y0=1,
        plate=rng.random((h, w, 3)).astype(np.float32) * 255,
        alpha3=alpha_rows(alpha),
        y0=2, x0=3,
        frame=rng.integers(0, 256, (h + 4, w + 5, 3), dtype=np.uint8),
    )


def _check_composite(got, want, args):
    """Within 1 of the reference; bit-identical outside the box (rows 2-10, columns 3-13 of
    ``_cloud_inputs``) and where alpha = 0; and something changed."""
    assert np.abs(got.astype(int) - want.astype(int)).max() <= 1
    box = np.zeros(got.shape[:2], bool)
    box[2:11, 3:14] = args["alpha3"][:, ::3] > 0
    assert np.array_equal(got[~box], args["frame"][~box]), "outside the box or where alpha = 0"
    assert (got != args["frame"]).any()


def test_cloud_composite_matches_reference(rng):
    args = _cloud_inputs(rng)
    want = R.cloud_composite(**args)
    got = args["frame"].copy()
    K.cloud_composite(**{**args, "frame": got})
    _check_composite(got, want, args)


def test_coarse_composite_matches_reference(rng):
    args = _cloud_inputs(rng)
    args = {k: args[k] for k in ("lo_y", "lo_y0", "alpha3", "y0", "x0", "frame")}
    args["dlo"] = (rng.random((4, 16, 3)).astype(np.float32) - 0.5) * 40
    want = R.coarse_composite(**args)
    got = args["frame"].copy()
    K.coarse_composite(**{**args, "frame": got})
    _check_composite(got, want, args)


def test_cloud_composite_layer_equal_to_plate_is_identity(rng):
    """Coarse layer 100 plus a fine band of +10: the layer equals a plate of 110, so nothing
    changes, whatever the alpha."""
    h, w = 8, 10
    ha = np.full((h, w), 160, np.int16)
    frame = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
    out = frame.copy()
    alpha3 = alpha_rows(rng.random((h, w)).astype(np.float32))
    K.cloud_composite(ha, ha, 0.3 / 16, 0.7 / 16, 0.0, np.full((2, w, 3), 100, np.float32), 4.0,
                      0, np.full((h, w, 3), 110, np.float32), alpha3, 0, 0, out)
    assert np.array_equal(out, frame)


def test_field_maps_match_reference(rng):
    disp = rng.standard_normal((5, 7, 2)).astype(np.float32) * 3
    mx, my = np.empty((23, 41), np.float32), np.empty((23, 41), np.float32)
    args = (1.3, -0.7, 5.5, 4.25, 30.0, -1.0, 2.0, 2.0, 0.5)
    K.field_maps(disp, *args, mx, my)
    wx, wy = R.field_maps(disp, *args, 23, 41)
    np.testing.assert_allclose(mx, wx, atol=2e-4)
    np.testing.assert_allclose(my, wy, atol=2e-4)


@pytest.mark.parametrize("step_x, w", [(4.0, 41), (4.0, 20), (4.0, 22), (1.0, 9), (3.0, 50)])
def test_field_maps_on_whole_pixel_grids_match_reference(rng, step_x, w):
    """Grid columns on whole pixels from column 0 take the strided path; past the grid's last
    column the field is clamped."""
    disp = rng.standard_normal((5, 7, 2)).astype(np.float32) * 3
    mx, my = np.empty((23, w), np.float32), np.empty((23, w), np.float32)
    args = (0.0, -0.7, step_x, 4.25, 30.0, -1.0, 2.0, 2.0, 0.5)
    K.field_maps(disp, *args, mx, my)
    wx, wy = R.field_maps(disp, *args, 23, w)
    np.testing.assert_allclose(mx, wx, atol=2e-4)
    np.testing.assert_allclose(my, wy, atol=2e-4)


def test_field_maps_on_grid_points_are_exact():
    disp = np.zeros((3, 4, 2), np.float32)
    disp[1, 2] = (0.25, -0.5)
    mx, my = np.empty((5, 7), np.float32), np.empty((5, 7), np.float32)
    K.field_maps(disp, 0.0, 0.0, 2.0, 2.0, 0.0, 0.0, 1.0, 1.0, 1.0, mx, my)
    assert (mx[2, 4], my[2, 4]) == (4.25, 1.5)
    assert (mx[0, 0], my[0, 0]) == (0.0, 0.0)
    assert mx[0, 6] == 6.0, "clamped past the last grid column"


def test_alpha_rows_layout_and_exact_ends():
    alpha = np.array([[0.0, 1.0, 0.5], [1e-4, 0.999, -0.2]], np.float32)
    a3 = alpha_rows(alpha)
    assert a3.dtype == np.uint8 and a3.shape == (2, 9)
    assert a3[0].tolist() == [0, 0, 0, 255, 255, 255, 128, 128, 128]
    assert a3[1].tolist() == [0, 0, 0, 255, 255, 255, 0, 0, 0]
