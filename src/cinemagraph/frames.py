"""What every stage that changes frames shares: the Motion protocol, boxes and frame checks.

Conventions (see docs/architecture.md): frames are C-ordered (H, W, 3) uint8 RGB; a
:class:`Box` is a half-open pixel range ``rows y0..y1-1, columns x0..x1-1``.

>>> import numpy as np
>>> a = np.zeros((6, 8), np.float32); a[2:4, 3:7] = 1
>>> region_box(a)
Box(y0=2, y1=4, x0=3, x1=7)
>>> region_box(a, pad=2).height, Box.from_xywh(3, 2, 4, 2) == region_box(a)
(6, True)
"""

from __future__ import annotations

from typing import NamedTuple, Protocol, runtime_checkable

import numpy as np


class Box(NamedTuple):
    """A half-open pixel box: rows ``y0 .. y1 - 1``, columns ``x0 .. x1 - 1``."""

    y0: int
    y1: int
    x0: int
    x1: int

    @classmethod
    def from_xywh(cls, x: int, y: int, w: int, h: int) -> "Box":
        """The box of a detector's (x, y, width, height)."""
        return cls(int(y), int(y + h), int(x), int(x + w))

    @property
    def height(self) -> int:
        return self.y1 - self.y0

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    def xywh(self) -> tuple[int, int, int, int]:
        """(x, y, width, height), as detectors and JSON files give boxes."""
        return self.x0, self.y0, self.width, self.height


def region_box(alpha: np.ndarray, *, pad: int = 0) -> Box | None:
    """The box of ``alpha > 0`` grown by ``pad`` pixels (clipped to the array), or None when
    nothing is set."""
    rows = np.flatnonzero(alpha.max(axis=1) > 0)
    if rows.size == 0:
        return None
    cols = np.flatnonzero(alpha.max(axis=0) > 0)
    h, w = alpha.shape[:2]
    return Box(max(0, int(rows[0]) - pad), min(h, int(rows[-1]) + 1 + pad),
               max(0, int(cols[0]) - pad), min(w, int(cols[-1]) + 1 + pad))


def check_frame(frame: np.ndarray) -> None:
    """Raise ValueError unless ``frame`` is a C-ordered (H, W, 3) uint8 array: the compositing
    kernels write whole rows through flat views, which a strided view would silently copy."""
    if not (isinstance(frame, np.ndarray) and frame.dtype == np.uint8 and frame.ndim == 3
            and frame.shape[2] == 3 and frame.flags.c_contiguous):
        raise ValueError("frames must be C-ordered (H, W, 3) uint8 arrays")


@runtime_checkable
class Motion(Protocol):
    """A motion prepared for one photo, as the frame loop uses it.

    A motion is a value made once by its ``prepare`` (which returns None when the motion has
    nothing to do on this photo); frames are then made in any order, on any thread.
    """

    def apply(self, frame: np.ndarray, t: int) -> np.ndarray:
        """Frame ``t`` of this motion over ``frame`` (C-ordered (H, W, 3) uint8, the result of
        the motions before it): either ``frame`` itself, changed in place, or a new array (a
        whole-frame warp). Frame 0 and frame N are the same."""

    def energy(self, n: int) -> np.ndarray:
        """(n,) float32 motion energy of each frame in [0, 1], periodic (drives the sound mix)."""
