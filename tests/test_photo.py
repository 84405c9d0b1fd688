"""Safe photo decoding: formats, modes, orientation, limits and bad files."""

import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from cinemagraph.errors import InputError
from cinemagraph.io.photo import load_photo, photo_from_array, working_size


def _rgb(h=60, w=80, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (h, w, 3), dtype=np.uint8)


@pytest.mark.parametrize("ext", ["jpg", "png", "webp", "tif", "bmp"])
def test_formats_decode_to_rgb_uint8(tmp_path, ext):
    p = tmp_path / f"x.{ext}"
    Image.fromarray(_rgb()).save(p)
    ph = load_photo(p)
    assert ph.pixels.shape == (60, 80, 3) and ph.pixels.dtype == np.uint8
    assert ph.source_size == (80, 60)
    assert len(ph.source_sha256) == 64


def test_png_is_lossless(tmp_path):
    img = _rgb()
    Image.fromarray(img).save(tmp_path / "x.png")
    assert np.array_equal(load_photo(tmp_path / "x.png").pixels, img)


def test_exif_orientation_applied(tmp_path):
    img = np.zeros((40, 100, 3), np.uint8)
    img[:, :10] = 255  # white band on the left
    im = Image.fromarray(img)
    exif = im.getexif()
    exif[0x0112] = 6  # rotate 90 CW to display
    im.save(tmp_path / "r.jpg", exif=exif, quality=95)
    ph = load_photo(tmp_path / "r.jpg")
    assert ph.pixels.shape[:2] == (100, 40)
    assert ph.source_size == (40, 100)
    assert ph.pixels[:10].mean() > 200 and ph.pixels[-10:].mean() < 50  # left band is now on top


def test_grayscale_16bit_rgba_cmyk(tmp_path):
    Image.fromarray(np.full((20, 30), 128, np.uint8)).save(tmp_path / "g.png")
    g = load_photo(tmp_path / "g.png").pixels
    assert g.shape == (20, 30, 3) and (g == 128).all()

    Image.fromarray(np.full((20, 30), 65535, np.uint16)).save(tmp_path / "g16.png")
    assert (load_photo(tmp_path / "g16.png").pixels == 255).all()

    rgba = np.zeros((20, 30, 4), np.uint8)
    rgba[..., 0] = 200
    rgba[:10, :, 3] = 255  # top half opaque red, bottom transparent black
    Image.fromarray(rgba).save(tmp_path / "a.png")
    a = load_photo(tmp_path / "a.png").pixels
    assert a.shape == (20, 30, 3)
    assert (a[15] == a[2]).all(), "transparent pixels take the image's own opaque colour"

    Image.fromarray(_rgb()).convert("CMYK").save(tmp_path / "c.jpg")
    assert load_photo(tmp_path / "c.jpg").pixels.shape == (60, 80, 3)


def test_downscale_to_long_side_even(tmp_path):
    Image.fromarray(_rgb(301, 451)).save(tmp_path / "x.png")
    ph = load_photo(tmp_path / "x.png", long_side=200, even=True)
    assert ph.pixels.shape == (134, 200, 3)
    assert working_size(451, 301, 200) == (200, 133)


def _png_header_only(path, w, h):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b""))


@pytest.mark.parametrize("case", ["missing", "dir", "empty", "text", "truncated", "huge"])
def test_bad_inputs_raise_one_line_input_error(tmp_path, case):
    p = tmp_path / "bad.jpg"
    if case == "dir":
        p = tmp_path
    elif case == "empty":
        p.write_bytes(b"")
    elif case == "text":
        p.write_text("hello, I am not a photo\n")
    elif case == "truncated":
        Image.fromarray(_rgb(200, 200)).save(p, quality=90)
        p.write_bytes(p.read_bytes()[:1500])
    elif case == "huge":
        p = tmp_path / "huge.png"
        _png_header_only(p, 60000, 60000)
    with pytest.raises(InputError) as info:
        load_photo(p)
    msg = str(info.value)
    assert "\n" not in msg and len(msg) < 200
    if case == "huge":
        assert "limit" in msg


def test_pixel_limit_is_configurable(tmp_path):
    Image.fromarray(_rgb(100, 100)).save(tmp_path / "x.png")
    with pytest.raises(InputError):
        load_photo(tmp_path / "x.png", max_pixels=5000)


def test_array_inputs():
    assert photo_from_array(np.zeros((10, 12), np.uint8)).pixels.shape == (10, 12, 3)
    assert photo_from_array(np.ones((10, 12, 3), np.float32)).pixels.max() == 255
    with pytest.raises(InputError):
        photo_from_array(np.zeros((10,), np.uint8))
    with pytest.raises(InputError):
        photo_from_array("not an array")  # type: ignore[arg-type]
