"""Frames must not depend on whether a kernel was just compiled or loaded from Numba's cache.

With ``fastmath`` on a parallel kernel, a kernel compiled afresh and the same kernel loaded from
the cache rounded a few pixels differently (the grade: 7 of 1.5 million values; this test's data), so the first
run after an install differed from every later one.
"""

import os
import subprocess
import sys
import textwrap

import numba
import pytest

from cinemagraph.analysis import _kernels as KA
from cinemagraph.grade import _kernels as KG
from cinemagraph.motion import _kernels as K


@pytest.mark.skipif(numba.config.DISABLE_JIT, reason="kernels are plain Python without the JIT")
def test_no_parallel_kernel_uses_fastmath():
    kernels = [getattr(M, n) for M in (K, KG, KA) for n in dir(M)
               if isinstance(getattr(M, n), numba.core.registry.CPUDispatcher)]
    assert len(kernels) > 20
    for k in kernels:
        opts = k.targetoptions
        if opts.get("parallel") or opts.get("inline") == "always":
            assert not opts.get("fastmath"), k.py_func.__name__


SCRIPT = textwrap.dedent("""
    import hashlib
    import numpy as np
    from cinemagraph.grade import _kernels as KG
    from cinemagraph.motion import _kernels as K
    from cinemagraph.motion.camera import CameraMotion
    from cinemagraph.motion.layers import alpha_rows
    from cinemagraph.recipe import CameraSpec

    rng = np.random.default_rng(0)
    h = hashlib.sha256()
    img = rng.integers(0, 256, (540, 960, 3), dtype=np.uint8)
    wgt = rng.integers(0, 256, (300, 960), dtype=np.uint8)
    mats = np.tile(np.array([1.0213, 0.0117, 0.003, 3.3, 0.001, 0.9813, 0.0211, 1.21,
                             0.0121, 0.0013, 1.0137, -2.31]), (540, 1))
    f = img.copy()
    KG.grade_frame(f, wgt, 100, 0, mats, np.array([1.0313, 1.0017, 0.9713]), True)
    h.update(f.tobytes())
    cam = CameraMotion.prepare((960, 540), CameraSpec(mode="push-in", amount_frac=0.03), n_frames=24)
    for t in (3, 9):
        h.update(cam.warped(img, t).tobytes())
    basis = rng.integers(-3000, 3000, (20, 12, 40, 2)).astype(np.int16)
    d = np.empty((20, 40, 2), np.float32)
    K.combine_basis(basis, rng.standard_normal(12) * 1e-3, d)
    h.update(d.tobytes())
    layer = rng.integers(0, 256, (50, 960, 3), dtype=np.uint8)
    f = img.copy()
    K.delta_composite(layer, img[:50].copy(), alpha_rows(rng.random((50, 960))), 10, 0, f)
    h.update(f.tobytes())
    print(h.hexdigest())
""")


@pytest.mark.jit
def test_fresh_and_cached_kernels_give_the_same_bytes(tmp_path):
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("NUMBA_DISABLE_JIT", None)
    runs = [subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True,
                           timeout=600) for _ in range(2)]
    for r in runs:
        assert r.returncode == 0, r.stderr[-2000:]
    assert os.listdir(tmp_path / "cache")  # the second run loaded from the cache
    assert runs[0].stdout == runs[1].stdout
