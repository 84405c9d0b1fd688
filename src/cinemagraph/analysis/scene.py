"""The Scene value: everything later stages need to know about a photo.

A Scene is produced by :func:`cinemagraph.analysis.analyze_photo` and consumed by the motion
planner, the sound matcher and the safety review. It holds soft masks (float32 in [0, 1],
same H x W as the working photo) and a small summary.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..frames import Box

WATER_TYPES = ("none", "still", "waves", "flowing")


@dataclass(frozen=True, kw_only=True)
class Face:
    """One detected face, in working-photo pixels.

    box : the face's :class:`~cinemagraph.frames.Box` (detectors give (x, y, w, h): use
        ``Box.from_xywh``).
    eyes : list of (x, y) eye centres (0, 1 or 2 of them).
    mouth : (x, y) or None.
    score : detector confidence in [0, 1].
    """

    box: Box
    eyes: tuple[tuple[float, float], ...] = ()
    mouth: tuple[float, float] | None = None
    score: float = 1.0

    def __post_init__(self) -> None:
        if not isinstance(self.box, Box):  # a bare tuple could be either (x, y, w, h) or a Box
            raise TypeError("Face.box must be a Box; use Box.from_xywh(x, y, w, h)")

    def to_json(self, scale: float = 1.0) -> dict:
        """JSON form (the box as x, y, width, height), coordinates multiplied by ``scale``
        (working -> photo pixels)."""
        x, y, w, h = self.box.xywh()
        return {
            "box": [round(x * scale), round(y * scale), round(w * scale), round(h * scale)],
            "eyes": [[round(ex * scale, 1), round(ey * scale, 1)] for ex, ey in self.eyes],
            "mouth": None if self.mouth is None else [round(self.mouth[0] * scale, 1), round(self.mouth[1] * scale, 1)],
            "score": round(float(self.score), 3),
        }


@dataclass(frozen=True, kw_only=True)
class SceneSummary:
    """Scalar description of a photo, used for matching sound and choosing motion.

    sky_fraction, water_fraction, face_fraction : share of the frame covered, in [0, 1].
    face_count : number of faces.
    horizon_y : horizon row as a fraction of the height (0 = top), or None when unknown.
    water_type : one of ``WATER_TYPES``.
    brightness : mean luma in [0, 1].
    warmth : colour temperature cue in [-1, 1]; > 0 warm (sunset), < 0 cool (blue hour).
    night : True for dark night scenes.
    indoor : True when the photo looks indoor (no sky, no water, enclosed).
    overcast : True for a dull, cloud-covered sky (grey, no blue), used to match rain/wind sounds.
    kind : scene kind from the learned classifier, one of
        :data:`cinemagraph.analysis.segment.KINDS` ("" when unknown); it drives sound matching.
    kind_confidence : the classifier's probability of ``kind``, in [0, 1].
    """

    sky_fraction: float = 0.0
    water_fraction: float = 0.0
    face_fraction: float = 0.0
    face_count: int = 0
    horizon_y: float | None = None
    water_type: str = "none"
    brightness: float = 0.5
    warmth: float = 0.0
    night: bool = False
    indoor: bool = False
    overcast: bool = False
    kind: str = ""
    kind_confidence: float = 0.0

    def to_json(self) -> dict:
        d = {k: getattr(self, k) for k in self.__dataclass_fields__}
        for k, v in d.items():
            if isinstance(v, float):
                d[k] = round(v, 4)
        return d


@dataclass(frozen=True, eq=False, kw_only=True)
class Scene:
    """Masks and summary of one photo at working size.

    sky, water : ndarray, shape (H, W), float32 soft alpha in [0, 1].
    freeze : ndarray, shape (H, W), float32 in [0, 1]; 1 = never animate (user freeze mask).
    faces : detected faces.
    summary : scalar description.
    """

    sky: np.ndarray
    water: np.ndarray
    freeze: np.ndarray
    faces: tuple[Face, ...] = ()
    summary: SceneSummary = field(default_factory=SceneSummary)

    @property
    def shape(self) -> tuple[int, int]:
        return self.sky.shape  # type: ignore[return-value]
