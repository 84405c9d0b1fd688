"""User masks, feathering and analyze_photo's mask rules."""

import cv2
import numpy as np
import pytest

from cinemagraph import testing
from cinemagraph.analysis import analyze_photo
from cinemagraph.analysis.masks import feather, load_mask
from cinemagraph.errors import InputError


def test_load_mask_resizes_and_normalises(tmp_path):
    m = np.zeros((50, 100), np.uint8)
    m[:, 50:] = 255
    p = tmp_path / "m.png"
    cv2.imwrite(str(p), m)
    out = load_mask(p, (90, 160))
    assert out.shape == (90, 160) and out.dtype == np.float32
    assert out[:, :70].max() == 0.0 and out[:, 90:].min() == 1.0


def test_load_mask_colour_jpg_and_alpha(tmp_path):
    rgb = np.full((40, 40, 3), 255, np.uint8)
    cv2.imwrite(str(tmp_path / "m.jpg"), rgb)
    assert load_mask(tmp_path / "m.jpg", (20, 20)).min() > 0.95
    rgba = np.full((40, 40, 4), 255, np.uint8)
    rgba[:, :20, 3] = 0
    cv2.imwrite(str(tmp_path / "a.png"), rgba)
    out = load_mask(tmp_path / "a.png", (40, 40))
    assert out[:, :18].max() < 0.05 and out[:, 22:].min() > 0.95


@pytest.mark.parametrize("content", [None, b"", b"not an image at all"])
def test_bad_mask_files_raise_input_error(tmp_path, content):
    p = tmp_path / "bad.png"
    if content is not None:
        p.write_bytes(content)
    with pytest.raises(InputError) as exc:
        load_mask(p, (10, 10))
    assert "\n" not in str(exc.value) and "bad.png" in str(exc.value)


def test_feather_softens_and_keeps_range():
    m = np.zeros((64, 64), np.float32)
    m[:, 32:] = 1
    f = feather(m, 8)
    assert f.dtype == np.float32 and 0 <= f.min() and f.max() <= 1
    assert 0.2 < f[32, 31] < 0.8 and f[32, 0] < 0.01 and f[32, 63] > 0.99
    assert np.array_equal(feather(m, 0), m)


def test_user_masks_replace_and_freeze_subtracts():
    s = testing.seascape(width=320, height=180, seed=1)
    user_sky = np.zeros((180, 320), np.float32)
    user_sky[:40] = 1.0
    user_water = np.zeros((180, 320), np.float32)
    user_water[150:] = 1.0
    freeze = np.zeros((180, 320), np.float32)
    freeze[:, :100] = 1.0
    scene = analyze_photo(s.image, sky_mask=user_sky, water_mask=user_water, freeze_mask=freeze, detect_faces=False)
    assert scene.sky[:40, 100:].min() == 1.0 and scene.sky[40:].max() == 0.0
    assert scene.sky[:, :100].max() == 0.0 and scene.water[:, :100].max() == 0.0
    assert scene.water[150:, 100:].min() == 1.0 and scene.summary.water_type != "none"
    assert np.array_equal(scene.freeze, freeze)


def test_analyze_photo_summary():
    s = testing.seascape(width=480, height=270, seed=1)
    scene = analyze_photo(s.image, detect_faces=False)
    summ = scene.summary
    assert abs(summ.sky_fraction - s.sky.mean()) < 0.05
    assert summ.water_fraction > 0.2 and summ.water_type in ("still", "waves", "flowing")
    assert abs(summ.horizon_y - s.horizon_row / 270) < 0.05
    assert not summ.indoor and not summ.night
    night = analyze_photo(testing.night_sky(width=480, height=270, seed=1).image, detect_faces=False)
    assert night.summary.night and night.summary.sky_fraction > 0.3
    room = analyze_photo(testing.indoor_room(width=480, height=270).image, detect_faces=False)
    assert room.summary.indoor and room.summary.sky_fraction == 0.0
