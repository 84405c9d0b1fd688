"""Face detection with OpenCV's bundled Haar cascades.

Frontal (``default`` and ``alt2``) and profile (the image and its mirror) detectors vote;
overlapping boxes are merged by non-maximum suppression. Every kept face must pass checks
that animals fail: skin-coloured pixels in the face centre, at least one eye found by the eye
cascade (or two frontal detectors agreeing with a profile one), and no cat face
(``haarcascade_frontalcatface*``) on the same spot. Eyes and the mouth are located inside the
box for the motion stage (blinks, breathing).
"""

from __future__ import annotations

import functools

import cv2
import numpy as np

from cinemagraph.analysis.scene import Face

__all__ = ["detect_faces"]

#: faces whose side is below this share of the photo's short side are ignored
MIN_FACE_FRACTION = 0.04
#: detector long side (larger photos are shrunk for detection)
DETECT_LONG_SIDE = 800


@functools.lru_cache(maxsize=None)
def _cascade(name: str) -> cv2.CascadeClassifier | None:
    path = cv2.data.haarcascades + name
    c = cv2.CascadeClassifier(path)
    return None if c.empty() else c


def _detect(casc: cv2.CascadeClassifier | None, grey: np.ndarray, min_side: int,
            neighbours: int) -> list[tuple[np.ndarray, float]]:
    if casc is None:
        return []
    try:
        boxes, _, weights = casc.detectMultiScale3(grey, scaleFactor=1.1, minNeighbors=neighbours,
                                                    minSize=(min_side, min_side), outputRejectLevels=True)
    except cv2.error:
        return []
    if len(boxes) == 0:
        return []
    return [(np.asarray(b, np.float64), float(wt)) for b, wt in zip(boxes, np.ravel(weights))]


def _iou(a: np.ndarray, b: np.ndarray) -> float:
    x0, y0 = max(a[0], b[0]), max(a[1], b[1])
    x1, y1 = min(a[0] + a[2], b[0] + b[2]), min(a[1] + a[3], b[1] + b[3])
    inter = max(0.0, x1 - x0) * max(0.0, y1 - y0)
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else 0.0


def _skin_fraction(rgb: np.ndarray, box: np.ndarray) -> float:
    x, y, w, h = (int(round(v)) for v in box)
    cx0, cx1 = x + w // 4, x + 3 * w // 4
    cy0, cy1 = y + h // 4, y + 3 * h // 4
    patch = rgb[max(0, cy0):cy1, max(0, cx0):cx1]
    if patch.size == 0:
        return 0.0
    ycc = cv2.cvtColor(patch, cv2.COLOR_RGB2YCrCb).astype(np.int16)
    cr, cb = ycc[..., 1], ycc[..., 2]
    skin = (cr >= 135) & (cr <= 180) & (cb >= 80) & (cb <= 130) & (ycc[..., 0] > 40)
    return float(skin.mean())


def _eyes(grey: np.ndarray, box: np.ndarray) -> list[tuple[float, float]]:
    x, y, w, h = (int(round(v)) for v in box)
    top = grey[max(0, y + h // 8):y + int(0.6 * h), max(0, x):x + w]
    if top.size == 0:
        return []
    found: list[tuple[np.ndarray, float]] = []
    for name in ("haarcascade_eye.xml", "haarcascade_eye_tree_eyeglasses.xml"):
        found += _detect(_cascade(name), top, max(8, w // 10), 3)
        if found:
            break
    eyes = []
    for b, wt in sorted(found, key=lambda t: -t[1]):
        ex, ey = x + b[0] + b[2] / 2.0, max(0, y + h // 8) + b[1] + b[3] / 2.0
        if b[2] > 0.5 * w:
            continue
        if all(abs(ex - px) > 0.2 * w for px, _ in eyes):
            eyes.append((float(ex), float(ey)))
        if len(eyes) == 2:
            break
    return sorted(eyes)


def _mouth(grey: np.ndarray, box: np.ndarray, eyes: list[tuple[float, float]]) -> tuple[float, float]:
    x, y, w, h = (float(v) for v in box)
    x0, y0 = int(x + 0.2 * w), int(y + 0.6 * h)
    low = grey[max(0, y0):int(y + h), max(0, x0):int(x + 0.8 * w)]
    found = _detect(_cascade("haarcascade_smile.xml"), low, max(10, int(w / 5)), 15) if low.size else []
    if found:
        b, _ = max(found, key=lambda t: t[1])
        return (float(x0 + b[0] + b[2] / 2.0), float(y0 + b[1] + b[3] / 2.0))
    cx = float(np.mean([e[0] for e in eyes])) if len(eyes) == 2 else x + w / 2.0
    return (cx, y + 0.78 * h)


def detect_faces(image: np.ndarray, *, min_face_fraction: float = MIN_FACE_FRACTION) -> tuple[Face, ...]:
    """Human faces in a photo.

    Parameters
    ----------
    image : ndarray, shape (H, W, 3), uint8 RGB.
    min_face_fraction : size floor, as a share of the short side.

    Returns
    -------
    tuple of Face, boxes ``(x, y, w, h)``, eye centres and mouth in ``image`` pixels,
    sorted by score (highest first).

    Examples
    --------
    >>> from skimage import data  # doctest: +SKIP
    >>> [len(f.eyes) for f in detect_faces(data.astronaut())]  # doctest: +SKIP
    [2]
    """
    image = np.asarray(image)
    if image.dtype != np.uint8:
        image = np.clip(image.astype(np.float32) * 255.0 + 0.5, 0, 255).astype(np.uint8)
    H, W = image.shape[:2]
    s = min(1.0, DETECT_LONG_SIDE / max(H, W))
    rgb = cv2.resize(image, (round(W * s), round(H * s)), interpolation=cv2.INTER_AREA) if s < 1 else image
    h, w = rgb.shape[:2]
    grey = cv2.equalizeHist(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY))
    min_side = max(24, int(round(min_face_fraction * min(h, w))))

    votes: list[tuple[np.ndarray, float, str]] = []
    for name, nb in (("haarcascade_frontalface_default.xml", 5), ("haarcascade_frontalface_alt2.xml", 4)):
        votes += [(b, wt, "frontal") for b, wt in _detect(_cascade(name), grey, min_side, nb)]
    prof = _cascade("haarcascade_profileface.xml")
    votes += [(b, wt, "profile") for b, wt in _detect(prof, grey, min_side, 5)]
    flipped = np.ascontiguousarray(grey[:, ::-1])
    for b, wt in _detect(prof, flipped, min_side, 5):
        b = b.copy()
        b[0] = w - b[0] - b[2]
        votes.append((b, wt, "profile"))
    if not votes:
        return ()

    cats = []
    for name in ("haarcascade_frontalcatface.xml", "haarcascade_frontalcatface_extended.xml"):
        cats += [b for b, _ in _detect(_cascade(name), grey, max(24, min_side // 2), 3)]

    # non-maximum suppression over clusters of overlapping boxes
    order = sorted(range(len(votes)), key=lambda i: -votes[i][1])
    used = [False] * len(votes)
    faces: list[Face] = []
    for i in order:
        if used[i]:
            continue
        members = [j for j in order if not used[j] and _iou(votes[i][0], votes[j][0]) > 0.3]
        for j in members:
            used[j] = True
        box = np.mean([votes[j][0] for j in members], axis=0)
        kinds = {votes[j][2] for j in members}
        n_frontal = sum(votes[j][2] == "frontal" for j in members)
        if any(_iou(box, c) > 0.2 or _contains(c, box) for c in cats):
            continue  # an animal face
        skin = _skin_fraction(rgb, box)
        if skin < 0.25:
            continue
        eyes = _eyes(grey, box)
        strong = n_frontal >= 2 and "profile" in kinds
        if not eyes and not strong:
            continue
        if "frontal" not in kinds and not eyes:
            continue
        weight = max(votes[j][1] for j in members)
        score = (0.35 * min(1.0, len(members) / 3.0) + 0.25 * min(1.0, max(weight, 0.0) / 6.0)
                 + 0.2 * min(1.0, len(eyes) / 2.0) + 0.2 * min(1.0, skin / 0.6))
        if score < 0.45:
            continue
        mouth = _mouth(grey, box, eyes)
        inv = 1.0 / s
        bx = tuple(int(round(v * inv)) for v in box)
        faces.append(Face(box=bx, eyes=tuple((ex * inv, ey * inv) for ex, ey in eyes),  # type: ignore[arg-type]
                          mouth=(mouth[0] * inv, mouth[1] * inv), score=float(min(1.0, score))))
    faces.sort(key=lambda f: -f.score)
    return tuple(faces)


def _contains(outer: np.ndarray, inner: np.ndarray) -> bool:
    cx, cy = inner[0] + inner[2] / 2.0, inner[1] + inner[3] / 2.0
    return outer[0] <= cx <= outer[0] + outer[2] and outer[1] <= cy <= outer[1] + outer[3]
