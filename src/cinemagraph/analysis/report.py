"""The files of ``cinemagraph analyze``: the masks, faces and scene summary of a photo, for
people to check and edit (:func:`cinemagraph.pipeline.analyze` makes the scene).

Output files (all written atomically: temporary file, then rename):

* ``sky.png``, ``water.png``: 8-bit soft masks at the photo's size (255 = region);
* ``faces.json``: ``[{"box": [x, y, w, h], "eyes": [[x, y], ...], "mouth": [x, y] | null,
  "score": s}]`` in photo pixels;
* ``scene.json``: the scene summary plus sizes and the mask sources;
* ``overlay.png``: sky tinted blue, water tinted cyan, frozen areas grey, face boxes drawn.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import cv2
import numpy as np

from cinemagraph.errors import OutputError

__all__ = ["write_report", "overlay_image"]


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix="." + path.name + ".", suffix=".tmp", dir=str(path.parent))
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _png_bytes(array: np.ndarray) -> bytes:
    if array.ndim == 3:
        array = cv2.cvtColor(array, cv2.COLOR_RGB2BGR)
    ok, buf = cv2.imencode(".png", array)
    if not ok:
        raise OutputError("could not encode PNG")
    return buf.tobytes()


def _to_u8(mask: np.ndarray) -> np.ndarray:
    return np.clip(np.asarray(mask, np.float32) * 255.0 + 0.5, 0, 255).astype(np.uint8)


def overlay_image(image: np.ndarray, sky: np.ndarray, water: np.ndarray, *, freeze: np.ndarray | None = None,
                  faces=(), scale: float = 1.0) -> np.ndarray:
    """Masks tinted over the photo: sky blue, water cyan, frozen grey; faces boxed in yellow.

    image : (H, W, 3) uint8 RGB; masks (H, W) float32 in [0, 1]; face coordinates times
    ``scale`` give ``image`` pixels.
    """
    out = image.astype(np.float32)
    layers = [(sky, (40, 110, 255), 0.5), (water, (0, 230, 230), 0.5)]
    if freeze is not None:
        layers.append((freeze, (128, 128, 128), 0.6))
    for mask, colour, strength in layers:
        a = np.clip(np.asarray(mask, np.float32), 0, 1)[..., None] * strength
        out = out * (1 - a) + np.array(colour, np.float32) * a
    out = np.clip(out + 0.5, 0, 255).astype(np.uint8)
    t = max(1, round(max(image.shape[:2]) / 400))
    for f in faces:
        x, y, w, h = (round(v * scale) for v in f.box.xywh())
        cv2.rectangle(out, (x, y), (x + w, y + h), (255, 220, 0), t)
        for ex, ey in f.eyes:
            cv2.circle(out, (round(ex * scale), round(ey * scale)), 2 * t, (255, 60, 60), -1)
        if f.mouth is not None:
            cv2.circle(out, (round(f.mouth[0] * scale), round(f.mouth[1] * scale)), 2 * t, (60, 255, 60), -1)
    return out


def write_report(out_dir, pixels: np.ndarray, scene, *, photo_name: str, user_masks: dict) -> dict:
    """Write ``sky.png``, ``water.png``, ``faces.json``, ``scene.json`` and ``overlay.png`` of
    an analysed photo into ``out_dir`` (created if missing).

    pixels : (H, W, 3) uint8 the photo at its own size (masks are written at this size);
    scene : the :class:`~cinemagraph.analysis.scene.Scene` of its working-size copy;
    user_masks : which masks the user gave, ``{"sky": bool, "water": bool, "freeze": bool}``.

    Returns the content of ``scene.json``. Raises OutputError when ``out_dir`` cannot be
    written.
    """
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output directory {out}: {exc.strerror}") from None
    if not os.access(out, os.W_OK):
        raise OutputError(f"output directory is not writable: {out}")
    H, W = pixels.shape[:2]
    work_h, work_w = scene.shape

    def full(mask: np.ndarray) -> np.ndarray:
        if mask.shape == (H, W):
            return mask
        return np.clip(cv2.resize(mask, (W, H), interpolation=cv2.INTER_LINEAR), 0, 1)

    sky_full, water_full, freeze_full = full(scene.sky), full(scene.water), full(scene.freeze)
    scale = W / float(work_w)
    faces_json = [f.to_json(scale) for f in scene.faces]
    summary = scene.summary.to_json()
    doc = {
        "photo": photo_name,
        "size": [W, H],
        "working_size": [int(work_w), int(work_h)],
        "masks": {
            "sky": "user" if user_masks.get("sky") else "auto",
            "water": "user" if user_masks.get("water") else "auto",
            "freeze": "user" if user_masks.get("freeze") else "none",
        },
        **summary,
        "colour_temperature": "warm" if summary["warmth"] > 0.15 else ("cool" if summary["warmth"] < -0.15 else "neutral"),
    }
    try:
        _atomic_write_bytes(out / "sky.png", _png_bytes(_to_u8(sky_full)))
        _atomic_write_bytes(out / "water.png", _png_bytes(_to_u8(water_full)))
        _atomic_write_bytes(out / "faces.json", (json.dumps(faces_json, indent=2) + "\n").encode())
        _atomic_write_bytes(out / "scene.json", (json.dumps(doc, indent=2) + "\n").encode())
        ov = overlay_image(pixels, sky_full, water_full, freeze=freeze_full if user_masks.get("freeze") else None,
                           faces=scene.faces, scale=scale)
        _atomic_write_bytes(out / "overlay.png", _png_bytes(ov))
    except OSError as exc:
        raise OutputError(f"cannot write analysis files into {out}: {exc.strerror}") from None
    return doc
