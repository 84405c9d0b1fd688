import os
from pathlib import Path

os.environ.setdefault("NUMBA_CACHE_DIR", str(Path(__file__).resolve().parents[1] / ".cache" / "numba"))

import numpy as np  # noqa: E402
import pytest  # noqa: E402

JIT_DISABLED = os.environ.get("NUMBA_DISABLE_JIT", "0") == "1"


@pytest.fixture(scope="session")
def sea():
    from cinemagraph.testing import seascape

    return seascape(320, 180, seed=2)


@pytest.fixture
def rng():
    return np.random.default_rng(1234)
