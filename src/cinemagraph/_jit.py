"""The Numba decorators every kernel module uses, with the settings they must share.

Rules for kernels: they take arrays and scalars only, write into ``out`` (or update an array in
place when the docstring says so) and never read globals. Each has a numpy twin in
``tests/reference.py``.
"""

from __future__ import annotations

import os

# OpenMP workers that spin after a parallel kernel steal the cores from OpenCV's own threads in
# the cv2.remap that follows; sleeping at once costs nothing measurable here (set before numba
# starts its OpenMP pool; an explicit setting wins)
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numba  # noqa: E402

ngjit = numba.njit(nogil=True, cache=True)
ngjit_par = numba.njit(nogil=True, cache=True, parallel=True)
# for per-pixel passes written so that LLVM can vectorise them (no branches in inner loops, no
# reductions). Never with fastmath: a parallel kernel compiled afresh and the same kernel loaded
# from the cache round a few pixels differently with it, which would make the first run after
# an install differ from every later one
ngjit_vec = numba.njit(nogil=True, cache=True, parallel=True, error_model="numpy")
# the serial row loops such a pass calls (inlined into it, so they vectorise with it)
ngjit_row = numba.njit(nogil=True, cache=True, error_model="numpy", inline="always")
