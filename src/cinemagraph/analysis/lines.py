"""Straight lines in an edge map: the one line detector of the package.

The segmenter uses it for its density of non-horizontal lines (walls, window frames); the cloud
motion keeps masts and wires that run through a sky still with it.

>>> import numpy as np
>>> edges = np.zeros((40, 60), np.uint8); edges[20, 5:55] = 255
>>> segs = straight_lines(edges, min_len=30, votes=15, max_gap=2)
>>> len(segs) >= 1, int(draw_lines((40, 60), segs)[20].sum()) >= 30
(True, True)
"""

from __future__ import annotations

import cv2
import numpy as np


def straight_lines(edges: np.ndarray, *, min_len: int, votes: int, max_gap: int) -> np.ndarray:
    """Straight runs of at least ``min_len`` pixels in a uint8 edge map (non-zero = edge), with
    gaps of up to ``max_gap`` pixels and at least ``votes`` edge pixels on each (a probabilistic
    Hough transform at 1 px and 1 degree). Returns (n, 4) int32 rows ``x0, y0, x1, y1``."""
    segs = cv2.HoughLinesP(edges, 1, np.pi / 180, threshold=votes, minLineLength=min_len, maxLineGap=max_gap)
    return np.zeros((0, 4), np.int32) if segs is None else segs[:, 0].astype(np.int32)


def draw_lines(shape: tuple[int, int], segs: np.ndarray, *, thickness: int = 1,
               dtype=np.float32) -> np.ndarray:
    """The segments ``segs`` ((n, 4) ``x0, y0, x1, y1``) drawn as 1 into a zero map of ``shape``."""
    out = np.zeros(shape, dtype)
    for x0, y0, x1, y1 in segs:
        cv2.line(out, (int(x0), int(y0)), (int(x1), int(y1)), 1, thickness)
    return out
