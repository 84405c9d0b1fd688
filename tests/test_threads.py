"""Frames computed several at once: same bytes, same order, errors surface, settings restored."""

import threading

import numpy as np
import pytest

import cinemagraph
from cinemagraph.motion import threads
from cinemagraph.presets import PRESETS


def test_map_frames_keeps_order_and_runs_on_workers():
    seen = set()

    def fn(t):
        seen.add(threading.current_thread().name)
        return t * 10

    got = list(threads.map_frames(fn, range(25), workers=2))
    assert got == [t * 10 for t in range(25)]
    if threads.frame_workers(2) == 2:
        assert all(name.startswith("cinemagraph-frame") for name in seen)
    else:  # workqueue layer or JIT off: computed on the caller's thread
        assert seen == {threading.current_thread().name}


def test_map_frames_raises_the_workers_error_and_restores_opencv_threads():
    import cv2

    before = cv2.getNumThreads()

    def fn(t):
        if t == 3:
            raise RuntimeError("frame 3 failed")
        return t

    it = threads.map_frames(fn, range(10), workers=2)
    assert next(it) == 0
    with pytest.raises(RuntimeError, match="frame 3 failed"):
        list(it)
    assert cv2.getNumThreads() == before


def test_closing_early_stops_the_workers_and_restores_opencv_threads():
    import cv2

    before = cv2.getNumThreads()
    calls = []

    def fn(t):
        calls.append(t)
        return t

    it = threads.map_frames(fn, range(1000), workers=2)
    assert [next(it) for _ in range(3)] == [0, 1, 2]
    it.close()
    assert cv2.getNumThreads() == before
    assert len(calls) < 20, "only a bounded window of frames is computed ahead"


def test_frame_workers_rejects_nonsense():
    with pytest.raises(ValueError, match="at least 1"):
        threads.frame_workers(0)
    assert threads.frame_workers(1) == 1
    assert 1 <= threads.frame_workers() <= threads.MAX_WORKERS


@pytest.mark.jit
def test_clip_frames_are_the_indexed_frames(sea):
    clip = cinemagraph.animate(sea.image, PRESETS["dreamy"], duration_s=1, fps=12, size_px=320, seed=2)
    want = [clip[t] for t in range(len(clip))]
    for workers in (1, 2, 3):
        got = list(clip.frames(workers=workers))
        assert len(got) == len(want)
        assert all(np.array_equal(a, b) for a, b in zip(got, want)), workers
    part = list(clip.frames(5, 9, workers=2))
    assert all(np.array_equal(a, want[t]) for a, t in zip(part, range(5, 9)))


def test_overlapping_iterations_restore_opencv_threads_once_both_end():
    import cv2

    before = cv2.getNumThreads()
    a = threads.map_frames(lambda t: t, range(50), workers=2)
    b = threads.map_frames(lambda t: -t, range(50), workers=2)
    assert next(a) == 0 and next(b) == 0
    a.close()
    if threads.frame_workers(2) == 2:
        assert cv2.getNumThreads() == 1, "b still runs"
    assert list(b) == [-t for t in range(1, 50)]
    assert cv2.getNumThreads() == before
