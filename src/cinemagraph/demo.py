"""Built-in demo photos: need no input files and no downloads."""

from __future__ import annotations

from typing import Iterator

import numpy as np


def demo_photos() -> Iterator[tuple[str, np.ndarray, dict]]:
    """Yield (name, RGB uint8 image, recipe overrides) for each built-in example."""
    from .testing import seascape

    yield "seascape", seascape(1280, 720, seed=1).image, {}
    from skimage import data

    yield "rocket", data.rocket(), {}
