"""Per-column sky/ground boundary by dynamic programming.

A photo with sky is, column by column, sky above and ground below. Given a per-pixel score
(> 0: looks like sky, < 0: looks like ground), :func:`column_boundary` finds for every column
the row ``b[x]`` that maximises the score of the pixels above it, with a penalty on the change
of ``b`` between neighbouring columns. The penalty is truncated, so the boundary can jump at a
building edge or a tower, and ``b[x] = 0`` (a column without sky) is always allowed.

>>> import numpy as np
>>> score = -np.ones((6, 4), np.float32)
>>> score[:3] = 1.0
>>> column_boundary(score).tolist()
[3, 3, 3, 3]
"""

from __future__ import annotations

import numpy as np

__all__ = ["column_boundary"]


def _l1_min(prev: np.ndarray, slope: float) -> np.ndarray:
    """``out[b] = min over b2 of prev[b2] + slope * |b - b2|`` (lower envelope of cones)."""
    idx = np.arange(prev.size, dtype=np.float64) * slope
    left = np.minimum.accumulate(prev - idx) + idx
    right = (np.minimum.accumulate((prev + idx)[::-1]))[::-1] - idx
    return np.minimum(left, right)


def column_boundary(score: np.ndarray, *, smooth: float = 0.5, max_jump_cost: float = 12.0) -> np.ndarray:
    """Per-column boundary rows maximising the score above them, smooth across columns.

    Parameters
    ----------
    score : ndarray, shape (h, w), float; > 0 where a pixel looks like sky, < 0 where it looks
        like ground.
    smooth : cost per row of change of the boundary between adjacent columns.
    max_jump_cost : the change cost is capped at this value (jumps at building edges).

    Returns
    -------
    ndarray, shape (w,), int; ``b[x]`` in ``[0, h]``: rows ``< b[x]`` of column ``x`` are sky.
    """
    s = np.asarray(score, np.float64)
    h, w = s.shape
    # data cost of boundary b in column x: minus the score of rows above b
    gain = np.vstack([np.zeros((1, w)), np.cumsum(s, axis=0)])  # (h + 1, w)
    cost = -gain
    acc = np.empty_like(cost)
    acc[:, 0] = cost[:, 0]
    for x in range(1, w):
        prev = acc[:, x - 1]
        acc[:, x] = cost[:, x] + np.minimum(_l1_min(prev, smooth), prev.min() + max_jump_cost)
    b = np.empty(w, np.int64)
    b[-1] = int(np.argmin(acc[:, -1]))
    rows = np.arange(h + 1)
    for x in range(w - 2, -1, -1):
        trans = acc[:, x] + np.minimum(smooth * np.abs(rows - b[x + 1]), max_jump_cost)
        b[x] = int(np.argmin(trans))
    return b
