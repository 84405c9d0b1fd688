"""Scene analysis: sky, water and face masks of a photo.

>>> import numpy as np
>>> from cinemagraph.analysis import analyze_photo
>>> from cinemagraph.testing import seascape
>>> scene = analyze_photo(seascape(width=320, height=180).image, detect_faces=False)
>>> scene.sky.shape, scene.sky.dtype
((180, 320), dtype('float32'))
"""

from __future__ import annotations

import numpy as np

from cinemagraph.analysis.scene import WATER_TYPES, Face, Scene, SceneSummary

__all__ = ["analyze_photo", "summarize", "Scene", "SceneSummary", "Face", "WATER_TYPES"]


def _horizon(sky: np.ndarray, water: np.ndarray, image: np.ndarray | None = None) -> float | None:
    """Horizon row as a fraction of the height, or None.

    With water: the median first water row, refined to the strongest horizontal edge of the
    photo just above it (a water matte starts a little below the real horizon where the sky
    is mirrored in calm water). Without water: the median last sky row.
    """
    h = sky.shape[0]
    wcols = (water > 0.5).sum(axis=0) > 0.02 * h
    if wcols.sum() > 0.2 * sky.shape[1]:
        first = float(np.median(np.argmax(water[:, wcols] > 0.5, axis=0)))
        if image is not None:
            first = _refine_horizon(image, wcols, first)
        return first / h
    scols = (sky > 0.5).sum(axis=0) > 0.02 * h
    if scols.sum() > 0.2 * sky.shape[1]:
        last = h - 1 - np.argmax((sky[::-1, scols] > 0.5), axis=0)
        return float(np.median(last) + 1) / h
    return None


def _refine_horizon(image: np.ndarray, cols: np.ndarray, row: float) -> float:
    """The row, within 8 % of the height above ``row`` (and 1 % below), where the photo's mean
    vertical colour step over the water columns ``cols`` peaks, if it clearly stands out."""
    h = image.shape[0]
    lo, hi = max(1, int(row - 0.08 * h)), min(h - 1, int(row + 0.01 * h) + 1)
    if hi - lo < 3:
        return row
    band = image[lo - 1:hi + 1, cols].astype(np.float32)
    step = np.abs(band[2:] - band[:-2]).sum(axis=2).mean(axis=1)  # centred step at rows lo..hi-1
    k = int(np.argmax(step))
    if step[k] < 3.0 * float(np.median(step)) or step[k] < 6.0:
        return row
    return float(lo + k + 0.5)


_WATER_TYPE_OF_KIND = {"sea": "waves", "lake": "still", "river": "flowing"}


def _water_type(kind_probs: dict) -> str:
    """Water type of the most likely water kind (sea: waves, lake: still, river: flowing)."""
    if not kind_probs:
        return "waves"
    best = max(_WATER_TYPE_OF_KIND, key=lambda k: kind_probs.get(k, 0.0))
    return _WATER_TYPE_OF_KIND[best]


def summarize(image: np.ndarray, sky: np.ndarray, water: np.ndarray, water_type: str,
              faces: tuple[Face, ...], *, kind: str = "", kind_confidence: float = 0.0) -> SceneSummary:
    """Scalar description of a photo from its masks (see :class:`SceneSummary`)."""
    from cinemagraph.analysis.masks import as_float_rgb, resize_long_side

    rgb = resize_long_side(as_float_rgb(image), 256)
    h, w = sky.shape
    luma = 0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2]
    brightness = float(luma.mean())
    sky_frac = float(sky.mean())
    water_frac = float(water.mean())
    # warmth: red-blue balance of the sky when there is one, of the whole photo otherwise
    import cv2

    sky_s = cv2.resize(sky, (rgb.shape[1], rgb.shape[0]), interpolation=cv2.INTER_AREA)
    wgt = sky_s if sky_s.sum() > 0.02 * sky_s.size else np.ones_like(sky_s)
    rb = (rgb[..., 0] - rgb[..., 2]) / (rgb[..., 0] + rgb[..., 2] + 0.05)
    warmth = float(np.clip((rb * wgt).sum() / max(wgt.sum(), 1e-6) * 2.0, -1.0, 1.0))
    face_area = sum(f.box.width * f.box.height for f in faces)
    night = bool(brightness < 0.22 and float(np.percentile(luma, 90)) < 0.55)
    indoor = bool(sky_frac < 0.005 and water_frac < 0.005)
    overcast = False
    if sky_frac >= 0.05 and not night:
        # dull sky: grey (low chroma), not dark, with hardly any blue
        sky_px = sky_s > 0.5
        if sky_px.sum() >= 50:
            lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2Lab)[sky_px]
            chroma = np.hypot(lab[:, 1], lab[:, 2])
            blue = float(np.mean(lab[:, 2] < -10))
            overcast = bool(float(np.median(chroma)) < 8 and float(np.median(lab[:, 0])) > 40 and blue < 0.2)
    return SceneSummary(
        sky_fraction=sky_frac,
        water_fraction=water_frac,
        face_fraction=float(min(1.0, face_area / float(h * w))),
        face_count=len(faces),
        horizon_y=_horizon(sky, water, image),
        water_type=water_type if water_type in WATER_TYPES else "none",
        brightness=brightness,
        warmth=warmth,
        night=night,
        indoor=indoor,
        overcast=overcast,
        kind=kind,
        kind_confidence=kind_confidence,
    )


def analyze_photo(image: np.ndarray, *, sky_mask: np.ndarray | None = None,
                  water_mask: np.ndarray | None = None, freeze_mask: np.ndarray | None = None,
                  detect_faces: bool = True) -> Scene:
    """Analyse a photo: sky and water alphas, faces and a summary.

    Parameters
    ----------
    image : ndarray, shape (H, W, 3), uint8 RGB at working size.
    sky_mask, water_mask : optional float32 (H, W) in [0, 1]; a user mask replaces the
        automatic one.
    freeze_mask : optional float32 (H, W) in [0, 1]; 1 = never animate. It is subtracted from
        sky and water and kept in ``Scene.freeze``.
    detect_faces : run the face detector.

    Returns
    -------
    Scene
    """
    from cinemagraph.analysis.masks import check_mask
    from cinemagraph.analysis.segment import segment

    image = np.asarray(image)
    if image.ndim != 3 or image.shape[2] != 3:
        raise ValueError(f"image must have shape (H, W, 3), got {image.shape}")
    if image.dtype != np.uint8:
        image = np.clip(np.asarray(image, np.float32) * 255.0 + 0.5, 0, 255).astype(np.uint8)
    shape = image.shape[:2]
    freeze = (check_mask(freeze_mask, shape, "freeze mask") if freeze_mask is not None
              else np.zeros(shape, np.float32))
    seg = segment(image)
    sky = check_mask(sky_mask, shape, "sky mask") if sky_mask is not None else seg.sky
    water = check_mask(water_mask, shape, "water mask") if water_mask is not None else seg.water
    keep = 1.0 - freeze
    sky = (sky * keep).astype(np.float32)
    water = (water * keep).astype(np.float32)
    water_type = _water_type(seg.kind_probs) if float(water.max(initial=0.0)) >= 0.5 else "none"
    faces: tuple[Face, ...] = ()
    if detect_faces:
        from cinemagraph.analysis.faces import detect_faces as _detect

        faces = _detect(image)
    summary = summarize(image, sky, water, water_type, faces, kind=seg.kind, kind_confidence=seg.kind_confidence)
    return Scene(sky=sky, water=water, freeze=freeze, faces=faces, summary=summary)
