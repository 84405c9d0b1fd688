"""Frames in parallel: one whole frame per core, each computed on one thread.

A frame is a handful of short passes (a remap, a composite, a grade); splitting each of them
over the cores makes every core wait for the slowest at the end of every pass. Computing
several frames at once, each single-threaded, keeps every core busy instead: at 1920x1080 on
two cores it gives 1.2-1.8 times the frames per second of one frame at a time with the kernels
spread over both cores (``benchmarks/bench_quality.py --workers 1`` against the default). The
frames are the same, byte for byte: a frame depends only on its index.

While frames are computed this way, each worker runs Numba kernels on one thread (a setting
local to the thread) and OpenCV runs on one thread (a process-wide setting, restored when the
last of any overlapping iterations ends). Numba's ``workqueue`` threading layer cannot be
entered from two threads at once; under it, and with the JIT disabled, frames are computed one
after the other.

Examples
--------
>>> list(map_frames(lambda t: t * t, range(5), workers=2))
[0, 1, 4, 9, 16]
"""

from __future__ import annotations

import os
import threading
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")

MAX_WORKERS = 8
"""Most frames computed at once by default (each holds its own scratch buffers)."""


def cpu_count() -> int:
    """Cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def frame_workers(requested: int | None = None) -> int:
    """How many frames to compute at once: ``requested``, or one per core (at most
    ``MAX_WORKERS``); 1 when the Numba threading layer cannot take concurrent callers."""
    if requested is not None:
        if int(requested) < 1:
            raise ValueError(f"workers must be at least 1, got {requested}")
        n = int(requested)
    else:
        n = min(cpu_count(), MAX_WORKERS)
    return n if n > 1 and _threadsafe_numba() else 1


def _threadsafe_numba() -> bool:
    import numba

    if numba.config.DISABLE_JIT:
        return False
    from . import _kernels  # noqa: F401  (sets the OpenMP wait policy before the layer starts)

    try:
        layer = numba.threading_layer()
    except ValueError:  # no parallel kernel has run yet: run one
        _start_layer()
        layer = numba.threading_layer()
    return layer != "workqueue"


def _start_layer() -> None:
    import numba

    @numba.njit(parallel=True)
    def touch(a):
        for i in numba.prange(a.shape[0]):
            a[i] = i

    import numpy as np

    touch(np.zeros(2))


def map_frames(fn: Callable[[int], T], ts: Iterable[int], workers: int | None = None) -> Iterator[T]:
    """``fn(t)`` for every ``t`` of ``ts``, in order, computed ``frame_workers(workers)`` at a
    time (at most twice that many results wait at once)."""
    n = frame_workers(workers)
    if n == 1:
        for t in ts:
            yield fn(t)
        return
    import cv2
    import numba

    def task(t: int) -> T:
        numba.set_num_threads(1)  # thread-local
        return fn(t)

    _opencv_single(cv2, True)
    pending: deque[Future] = deque()
    it = iter(ts)
    try:
        with ThreadPoolExecutor(n, thread_name_prefix="cinemagraph-frame") as pool:
            try:
                for t in it:
                    pending.append(pool.submit(task, t))
                    if len(pending) >= 2 * n:
                        break
                while pending:
                    result = pending.popleft().result()
                    for t in it:
                        pending.append(pool.submit(task, t))
                        break
                    yield result
            finally:
                for f in pending:
                    f.cancel()
    finally:
        _opencv_single(cv2, False)


_cv_lock = threading.Lock()
_cv_users = 0
_cv_saved = 0


def _opencv_single(cv2, enter: bool) -> None:
    """OpenCV on one thread while any iteration runs: the first one in saves the setting,
    the last one out restores it (iterations may overlap, from several threads)."""
    global _cv_users, _cv_saved
    with _cv_lock:
        if enter:
            if _cv_users == 0:
                _cv_saved = cv2.getNumThreads()
                cv2.setNumThreads(1)
            _cv_users += 1
        else:
            _cv_users -= 1
            if _cv_users == 0:
                cv2.setNumThreads(_cv_saved)
