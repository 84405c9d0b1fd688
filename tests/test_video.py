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


def _streams(path):
    import subprocess

    from cinemagraph.io.video import ffmpeg_exe

    r = subprocess.run([ffmpeg_exe(), "-hide_banner", "-i", str(path)], capture_output=True, text=True)
    return [ln.strip() for ln in r.stderr.splitlines() if "Stream #" in ln]


@pytest.mark.parametrize("suffix,video,audio", [(".mp4", "h264", "aac"), (".webm", "vp9", "opus")])
def test_muxed_audio_codecs(tmp_path, suffix, video, audio):
    t = np.arange(48000, dtype=np.float32) / 48000
    tone = (0.1 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    out = tmp_path / f"x{suffix}"
    with VideoWriter(out, size=(48, 32), fps=10, audio=(np.stack([tone, tone], 1), 48000)) as w:
        for f in _frames(10):
            w.write(f)
    streams = _streams(out)
    v = [s for s in streams if "Video:" in s]
    a = [s for s in streams if "Audio:" in s]
    assert len(v) == 1 and video in v[0] and "yuv420p" in v[0]
    assert len(a) == 1 and audio in a[0] and "48000 Hz" in a[0] and "stereo" in a[0]


def test_silent_video_has_no_audio_stream(tmp_path):
    out = tmp_path / "x.mp4"
    with VideoWriter(out, size=(48, 32), fps=10) as w:
        for f in _frames(3):
            w.write(f)
    assert not [s for s in _streams(out) if "Audio:" in s]
