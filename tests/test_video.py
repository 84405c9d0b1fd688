"""Streaming encoder: lossless round trip, atomic writes, clear errors."""

import os

import numpy as np
import pytest

from cinemagraph.errors import EncodeError, OutputError, RecipeError
from cinemagraph.io.video import VideoWriter, read_frames


def _frames(n=6, h=32, w=48):
    rng = np.random.default_rng(0)
    return [rng.integers(0, 256, (h, w, 3), dtype=np.uint8) for _ in range(n)]


def test_lossless_round_trip_is_exact(tmp_path):
    frames = _frames()
    out = tmp_path / "x.mkv"
    with VideoWriter(out, size=(48, 32), fps=10) as w:
        for f in frames:
            w.write(f)
    back = read_frames(out)
    assert len(back) == len(frames)
    assert all(np.array_equal(a, b) for a, b in zip(frames, back))


def test_mp4_with_audio_and_nothing_else_left(tmp_path):
    out = tmp_path / "x.mp4"
    audio = (np.zeros((48000 // 2, 2), np.float32), 48000)
    with VideoWriter(out, size=(48, 32), fps=10, audio=audio) as w:
        for f in _frames(5):
            w.write(f)
    assert out.stat().st_size > 0
    assert os.listdir(tmp_path) == ["x.mp4"]


def test_failure_leaves_nothing(tmp_path):
    out = tmp_path / "x.mp4"
    with pytest.raises(RuntimeError):
        with VideoWriter(out, size=(48, 32), fps=10) as w:
            w.write(_frames(1)[0])
            raise RuntimeError("boom")
    assert os.listdir(tmp_path) == []


def test_bad_frames_and_paths(tmp_path):
    with pytest.raises(EncodeError):
        with VideoWriter(tmp_path / "x.mp4", size=(48, 32), fps=10) as w:
            w.write(np.zeros((10, 10, 3), np.uint8))
    assert os.listdir(tmp_path) == []
    with pytest.raises(OutputError):
        VideoWriter(tmp_path / "nope" / "x.mp4", size=(48, 32), fps=10)
    with pytest.raises(RecipeError):
        VideoWriter(tmp_path / "x.avi", size=(48, 32), fps=10)
    with pytest.raises(RecipeError):
        VideoWriter(tmp_path / "x.mp4", size=(47, 32), fps=10)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_directory(tmp_path):
    d = tmp_path / "ro"
    d.mkdir()
    d.chmod(0o500)
    try:
        with pytest.raises(OutputError):
            VideoWriter(d / "x.mp4", size=(48, 32), fps=10)
    finally:
        d.chmod(0o700)
