"""Face detection with CenterFace (a small discriminative CNN shipped with the package).

The model (``model/centerface.onnx``, 3.7 MB, MIT, weights in half precision; see
``model/NOTICE.md``) is evaluated by OpenCV's ``cv2.dnn`` on the photo shrunk to
:data:`DETECT_LONG_SIDE`. It predicts a face-centre
heat map, box sizes and five landmarks (both eyes, the nose, the mouth corners); peaks over
:data:`SCORE_THRESHOLD` become faces after non-maximum suppression. Nothing is downloaded.

OpenCV 4.x keeps shape state between forward passes of this model, so a network is loaded per
input size (sizes are rounded up to multiples of 32 so they repeat).
"""

from __future__ import annotations

import functools
from importlib import resources

import cv2
import numpy as np

from cinemagraph.analysis.scene import Face
from cinemagraph.frames import Box

__all__ = ["detect_faces", "SCORE_THRESHOLD", "DETECT_LONG_SIDE", "MIN_FACE_FRACTION"]

SCORE_THRESHOLD = 0.65
"""Keep heat-map peaks of at least this score (true faces scored >= 0.70, non-faces such as
animal faces, hands and textures <= 0.60 on the faces benchmark)."""
NMS_IOU = 0.3
"""Boxes overlapping more than this (IoU) are merged."""
DETECT_LONG_SIDE = 800
"""Long side the photo is shrunk to for detection (faces of about 25 px in a 1024 px photo)."""
MIN_FACE_FRACTION = 0.02
"""Faces whose side is below this share of the photo's short side are ignored."""


def _model_path() -> str:
    ref = resources.files("cinemagraph.analysis").joinpath("model", "centerface.onnx")
    with resources.as_file(ref) as p:
        return str(p)


@functools.lru_cache(maxsize=4)
def _net(width: int, height: int):
    net = cv2.dnn.readNetFromONNX(_model_path())
    net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
    net.setPreferableTarget(cv2.dnn.DNN_TARGET_CPU)
    return net


def detect_faces(image: np.ndarray, *, min_face_fraction: float = MIN_FACE_FRACTION,
                 score_threshold: float = SCORE_THRESHOLD) -> tuple[Face, ...]:
    """Faces in a photo, highest score first.

    Parameters
    ----------
    image : ndarray, shape (H, W, 3), uint8 RGB (float in [0, 1] is accepted).
    min_face_fraction : faces smaller than this share of the short side are dropped.
    score_threshold : detector score a face needs.

    Returns
    -------
    tuple of Face, boxes ``(x, y, w, h)`` in ``image`` pixels, both eyes and the mouth centre.

    Examples
    --------
    >>> import numpy as np
    >>> detect_faces(np.zeros((64, 64, 3), np.uint8))
    ()
    """
    img = np.asarray(image)
    if img.ndim != 3 or img.shape[2] != 3:
        raise ValueError(f"image must have shape (H, W, 3), got {img.shape}")
    if img.dtype != np.uint8:
        img = np.clip(img.astype(np.float32) * 255.0 + 0.5, 0, 255).astype(np.uint8)
    h0, w0 = img.shape[:2]
    s = min(1.0, DETECT_LONG_SIDE / max(h0, w0))
    W, H = int(np.ceil(w0 * s / 32) * 32), int(np.ceil(h0 * s / 32) * 32)
    sx, sy = W / w0, H / h0
    net = _net(W, H)
    # the model takes RGB 0..255, NCHW, no mean or scale
    net.setInput(cv2.dnn.blobFromImage(img, 1.0, (W, H), (0, 0, 0), swapRB=False, crop=False))
    heat, scale, offset, lms = net.forward(["537", "538", "539", "540"])
    heat = heat[0, 0]
    ys, xs = np.nonzero(heat > score_threshold)
    if len(ys) == 0:
        return ()
    score = heat[ys, xs]
    bh = np.exp(scale[0, 0, ys, xs]) * 4.0  # the heat map's stride is 4 px
    bw = np.exp(scale[0, 1, ys, xs]) * 4.0
    cx = (xs + offset[0, 1, ys, xs] + 0.5) * 4.0
    cy = (ys + offset[0, 0, ys, xs] + 0.5) * 4.0
    x1 = np.clip(cx - bw / 2, 0, W)
    y1 = np.clip(cy - bh / 2, 0, H)
    bw = np.minimum(bw, W - x1)
    bh = np.minimum(bh, H - y1)
    lx = lms[0, 1::2, ys, xs] * bw[:, None] + x1[:, None]
    ly = lms[0, 0::2, ys, xs] * bh[:, None] + y1[:, None]
    boxes = np.stack([x1 / sx, y1 / sy, bw / sx, bh / sy], 1)
    keep = cv2.dnn.NMSBoxes(boxes.tolist(), score.astype(float).tolist(), score_threshold, NMS_IOU)
    min_side = min_face_fraction * min(h0, w0)
    faces = []
    for i in np.asarray(keep, dtype=int).reshape(-1):
        x, y, w, h = (float(v) for v in boxes[i])
        if min(w, h) < min_side:
            continue
        pts = [(float(lx[i, j] / sx), float(ly[i, j] / sy)) for j in range(5)]
        eyes = tuple(sorted((round(px, 1), round(py, 1)) for px, py in pts[:2]))
        mouth = (round((pts[3][0] + pts[4][0]) / 2, 1), round((pts[3][1] + pts[4][1]) / 2, 1))
        faces.append(Face(box=Box.from_xywh(int(round(x)), int(round(y)), int(round(w)), int(round(h))), eyes=eyes,
                          mouth=mouth, score=float(score[i])))
    faces.sort(key=lambda f: -f.score)
    return tuple(faces)
