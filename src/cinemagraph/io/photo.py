"""Safe photo decoding: JPEG, PNG, WebP, TIFF and BMP into an 8-bit RGB array.

Decoding is defensive: the pixel count is checked from the header *before* the full decode
(default limit 40 megapixels), EXIF orientation is applied, and every odd mode is normalised:
grayscale becomes RGB, RGBA/LA is composited over its own mean opaque colour (alpha dropped),
16-bit and float images are scaled to 8 bits, CMYK is converted to RGB. Only pixels are kept:
EXIF (including GPS) and other metadata never leave this module.

Examples
--------
>>> from cinemagraph.io.photo import photo_from_array
>>> import numpy as np
>>> p = photo_from_array(np.zeros((100, 200, 3), np.uint8), long_side=100)
>>> p.pixels.shape, p.source_size
((50, 100, 3), (200, 100))
"""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import InputError

DEFAULT_MAX_PIXELS = 40_000_000
FORMATS = ("JPEG", "PNG", "WEBP", "TIFF", "BMP", "MPO")


@dataclass(frozen=True, eq=False)
class Photo:
    """A decoded photo.

    pixels : ndarray, shape (H, W, 3), uint8 RGB at working size (EXIF orientation applied).
    source_size : (width, height) of the oriented source image in pixels.
    source_sha256 : sha256 hex digest of the file bytes ("" for arrays).
    source_name : file name, or "<array>".
    format : decoder format name (JPEG, PNG, ...) or "array".
    """

    pixels: np.ndarray
    source_size: tuple[int, int]
    source_sha256: str
    source_name: str
    format: str

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) of ``pixels``."""
        return int(self.pixels.shape[1]), int(self.pixels.shape[0])


def working_size(width: int, height: int, long_side: int | None, *, even: bool = False) -> tuple[int, int]:
    """Size with the long side set to ``long_side`` (aspect kept); ``None`` keeps the size.

    With ``even=True`` both sides are rounded to even numbers (needed by yuv420p video).
    """
    s = 1.0 if long_side is None else long_side / max(width, height)
    if even:  # nearest even sizes (the long side is kept exactly when it is even)
        return max(2, 2 * round(width * s / 2)), max(2, 2 * round(height * s / 2))
    return max(1, round(width * s)), max(1, round(height * s))


def resize_rgb(pixels: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Resize an (H, W, 3) uint8 image to ``size`` = (width, height): area filter when
    shrinking, Lanczos when enlarging."""
    import cv2

    h, w = pixels.shape[:2]
    if (w, h) == tuple(size):
        return pixels
    interp = cv2.INTER_AREA if size[0] * size[1] < w * h else cv2.INTER_LANCZOS4
    return cv2.resize(pixels, size, interpolation=interp)


def photo_from_array(array: np.ndarray, *, long_side: int | None = None, even: bool = False) -> Photo:
    """Wrap an in-memory image (H, W), (H, W, 3) or (H, W, 4); uint8, uint16 or float in [0, 1]."""
    if not isinstance(array, np.ndarray):
        raise InputError(f"expected a numpy array or a path, got {type(array).__name__}")
    a = array
    if a.ndim == 2:
        a = a[..., None]
    if a.ndim != 3 or a.shape[2] not in (1, 3, 4) or a.shape[0] < 2 or a.shape[1] < 2:
        raise InputError(f"image array must have shape (H, W), (H, W, 3) or (H, W, 4); got {array.shape}")
    a = _to_uint8(a)
    if a.shape[2] == 1:
        a = np.repeat(a, 3, axis=2)
    elif a.shape[2] == 4:
        a = _composite_alpha(a[..., :3], a[..., 3])
    h, w = a.shape[:2]
    pixels = np.ascontiguousarray(resize_rgb(a, working_size(w, h, long_side, even=even)))
    return Photo(pixels, (w, h), "", "<array>", "array")


def load_photo(path: str | Path, *, long_side: int | None = None,
               max_pixels: int = DEFAULT_MAX_PIXELS, even: bool = False) -> Photo:
    """Decode a photo file safely.

    Parameters
    ----------
    path : file path (JPEG, PNG, WebP, TIFF, BMP).
    long_side : resize so the long side has this many pixels (None: keep the size).
    max_pixels : refuse images with more pixels than this, checked from the header.
    even : round the working size to even numbers.

    Raises
    ------
    InputError
        Missing file, directory, empty, truncated, not an image, or too large.
    """
    from PIL import Image, ImageOps

    path = Path(path)
    name = path.name
    if not path.exists():
        raise InputError(f"photo not found: {path}")
    if path.is_dir():
        raise InputError(f"photo path is a directory, not a file: {path}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read photo {path}: {exc.strerror}") from None
    if not data:
        raise InputError(f"photo file is empty (0 bytes): {path}")

    import io

    Image.MAX_IMAGE_PIXELS = None  # we enforce our own limit below, before decoding
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            im = Image.open(io.BytesIO(data))
            fmt = im.format or "?"
            if fmt not in FORMATS:
                raise InputError(f"unsupported image format {fmt} in {name}: use JPEG, PNG, WebP, TIFF or BMP")
            w, h = im.size
            if w * h > max_pixels:
                raise InputError(
                    f"photo {name} is {w}x{h} = {w * h / 1e6:.1f} MP, above the limit of {max_pixels / 1e6:.0f} MP"
                )
            if w < 2 or h < 2:
                raise InputError(f"photo {name} is too small ({w}x{h})")
            if fmt == "JPEG" and long_side is not None:
                # decode at a reduced DCT scale when much larger than needed (fast, exact enough)
                im.draft("RGB", (max(1, long_side * w // max(w, h)) * 2, max(1, long_side * h // max(w, h)) * 2))
            orientation = im.getexif().get(0x0112, 1)
            source_size = (h, w) if orientation in (5, 6, 7, 8) else (w, h)
            im.load()
            im = ImageOps.exif_transpose(im)
            array = _pil_to_array(im)
    except InputError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, EOFError) as exc:
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if "cannot identify image file" in msg:
            msg = "not an image file"
        raise InputError(f"cannot decode photo {name}: {msg}") from None
    except MemoryError:
        raise InputError(f"not enough memory to decode photo {name}") from None
    photo = photo_from_array(array, long_side=long_side, even=even)
    return Photo(photo.pixels, source_size, hashlib.sha256(data).hexdigest(), name, fmt)


def _pil_to_array(im) -> np.ndarray:
    mode = im.mode
    if mode in ("RGB", "L", "RGBA"):
        return np.asarray(im)
    if mode == "LA":
        return np.asarray(im.convert("RGBA"))
    if mode in ("P", "PA"):
        return np.asarray(im.convert("RGBA" if "transparency" in im.info or mode == "PA" else "RGB"))
    if mode == "CMYK":
        return np.asarray(im.convert("RGB"))
    if mode in ("I;16", "I;16B", "I;16L", "I;16N"):
        return np.asarray(im, dtype=np.uint16)
    if mode == "I":
        a = np.asarray(im, dtype=np.int64)
        return (np.clip(a, 0, 65535)).astype(np.uint16) if a.max() > 255 else a.astype(np.uint8)
    if mode == "F":
        a = np.asarray(im, dtype=np.float32)
        hi = float(np.nanmax(a)) if a.size else 1.0
        return np.nan_to_num(a / (hi if hi > 1.0 else 1.0)).astype(np.float32)
    if mode == "1":
        return np.asarray(im.convert("L"))
    if mode in ("YCbCr", "LAB", "HSV"):
        return np.asarray(im.convert("RGB"))
    raise InputError(f"unsupported pixel mode {mode}")


def _to_uint8(a: np.ndarray) -> np.ndarray:
    if a.dtype == np.uint8:
        return a
    if a.dtype == np.uint16:
        return ((a.astype(np.uint32) * 255 + 32767) // 65535).astype(np.uint8)
    if a.dtype == bool:
        return a.astype(np.uint8) * 255
    if np.issubdtype(a.dtype, np.floating):
        f = np.nan_to_num(a.astype(np.float32), nan=0.0, posinf=1.0, neginf=0.0)
        return np.clip(f * 255.0 + 0.5, 0, 255).astype(np.uint8)
    if np.issubdtype(a.dtype, np.integer):
        return np.clip(a, 0, 255).astype(np.uint8)
    raise InputError(f"unsupported image dtype {a.dtype}")


def _composite_alpha(rgb: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """Composite over the image's own mean colour of (mostly) opaque pixels; drop alpha."""
    a = alpha.astype(np.float32)[..., None] / 255.0
    opaque = alpha > 127
    bg = rgb[opaque].mean(axis=0) if opaque.any() else np.full(3, 127.0)
    out = rgb.astype(np.float32) * a + bg.astype(np.float32) * (1.0 - a)
    return np.clip(out + 0.5, 0, 255).astype(np.uint8)
