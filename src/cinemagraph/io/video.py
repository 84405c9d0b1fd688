"""Streaming video encoding with an atomic write.

Frames are piped one at a time into the static ffmpeg that ships with ``imageio-ffmpeg``
(never the whole clip in memory). Everything is written inside a temporary directory next to
the output and renamed into place only when ffmpeg succeeded, so a failed or interrupted render
never leaves a half-written file at the output path.

Formats (chosen by the output suffix):

========  =====================================  ====================
suffix    video                                  audio
========  =====================================  ====================
``.mp4``  H.264 (libx264, yuv420p, +faststart)   AAC 48 kHz stereo
``.mov``  H.264 (as mp4)                         AAC
``.webm`` VP9 (libvpx-vp9, yuv420p)              Opus 48 kHz stereo
``.mkv``  H.264 lossless RGB (libx264rgb -qp 0)  FLAC (used by tests)
========  =====================================  ====================

Examples
--------
>>> import numpy as np, tempfile, os
>>> from cinemagraph.io.video import VideoWriter
>>> out = os.path.join(tempfile.mkdtemp(), "clip.mp4")
>>> with VideoWriter(out, size=(64, 48), fps=10) as w:
...     for i in range(5):
...         w.write(np.full((48, 64, 3), i * 40, np.uint8))
>>> os.path.getsize(out) > 0
True
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from ..errors import EncodeError, OutputError, RecipeError

VIDEO_SUFFIXES = (".mp4", ".mov", ".webm", ".mkv")


def ffmpeg_exe() -> str:
    """Path of the ffmpeg binary bundled with imageio-ffmpeg."""
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def check_output_path(path: str | Path) -> Path:
    """Validate an output path before any work is done.

    Raises RecipeError for an unsupported suffix and OutputError when the directory is
    missing or not writable, or the path is a directory.
    """
    path = Path(path)
    if path.suffix.lower() not in VIDEO_SUFFIXES:
        raise RecipeError(
            f"unsupported output format {path.suffix or '(none)'!r}: use one of {', '.join(VIDEO_SUFFIXES)}"
        )
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise OutputError(f"output path is a directory: {path}")
    if not parent.is_dir():
        raise OutputError(f"output directory does not exist: {parent}")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"output directory is not writable: {parent}")
    return path


def _codec_args(suffix: str, crf: int, preset: str, has_audio: bool) -> list[str]:
    if suffix in (".mp4", ".mov"):
        v = ["-c:v", "libx264", "-preset", preset, "-crf", str(crf), "-pix_fmt", "yuv420p",
             "-movflags", "+faststart+use_metadata_tags"]
        a = ["-c:a", "aac", "-b:a", "160k", "-ar", "48000", "-ac", "2"]
    elif suffix == ".webm":
        v = ["-c:v", "libvpx-vp9", "-crf", str(min(63, crf + 14)), "-b:v", "0", "-pix_fmt", "yuv420p",
             "-row-mt", "1", "-deadline", "good", "-cpu-used", "4"]
        a = ["-c:a", "libopus", "-b:a", "128k", "-ar", "48000", "-ac", "2"]
    else:  # .mkv: lossless, for exact comparisons
        v = ["-c:v", "libx264rgb", "-qp", "0", "-preset", "ultrafast", "-pix_fmt", "rgb24"]
        a = ["-c:a", "flac", "-ar", "48000"]
    return v + (a if has_audio else ["-an"])


class VideoWriter:
    """Context manager that streams RGB frames into a video file, atomically.

    Parameters
    ----------
    path : output file; the suffix picks the format (see the module docstring).
    size : (width, height) in pixels; both even for yuv420p formats.
    fps : frames per second.
    crf : quality (H.264 CRF; lower is better).
    preset : x264 speed preset.
    audio : optional (samples, sample_rate) with samples shaped (n, 2) float32 in [-1, 1].
    metadata : container tags (title, comment, ...).
    """

    def __init__(self, path: str | Path, *, size: tuple[int, int], fps: float, crf: int = 18,
                 preset: str = "veryfast", audio: tuple[np.ndarray, int] | None = None,
                 metadata: dict[str, str] | None = None) -> None:
        self.path = check_output_path(path)
        self.size = (int(size[0]), int(size[1]))
        suffix = self.path.suffix.lower()
        if suffix != ".mkv" and (self.size[0] % 2 or self.size[1] % 2):
            raise RecipeError(f"video size must be even for {suffix}, got {self.size[0]}x{self.size[1]}")
        self.fps = fps
        self._suffix = suffix
        self._crf, self._preset = crf, preset
        self._audio = audio
        self._metadata = metadata or {}
        self._proc: subprocess.Popen | None = None
        self._tmpdir: str | None = None
        self._tmp_out: Path | None = None
        self._log = None
        self.frames_written = 0

    # -- lifecycle ---------------------------------------------------------------------------
    def __enter__(self) -> "VideoWriter":
        self.open()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            try:
                self.close()
            except BaseException:  # a signal while ffmpeg finishes: leave nothing behind
                self.abort()
                raise
        else:
            self.abort()

    def open(self) -> None:
        try:
            self._tmpdir = tempfile.mkdtemp(prefix=".cinemagraph-", dir=self.path.parent)
        except OSError as exc:
            raise OutputError(f"cannot write in {self.path.parent}: {exc.strerror}") from None
        try:
            self._start_ffmpeg()
        except BaseException:  # an error or a signal half-way: remove what was made
            self.abort()
            raise

    def _start_ffmpeg(self) -> None:
        self._tmp_out = Path(self._tmpdir) / ("out" + self._suffix)
        cmd = [ffmpeg_exe(), "-y", "-hide_banner", "-loglevel", "error", "-nostdin",
               "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{self.size[0]}x{self.size[1]}",
               "-r", str(self.fps), "-i", "-"]
        if self._audio is not None:
            wav = Path(self._tmpdir) / "audio.wav"
            self._write_wav(wav, *self._audio)
            cmd += ["-i", str(wav), "-map", "0:v:0", "-map", "1:a:0"]
        cmd += _codec_args(self._suffix, self._crf, self._preset, self._audio is not None)
        for key, value in self._metadata.items():
            cmd += ["-metadata", f"{key}={value}"]
        cmd += ["-threads", "2", str(self._tmp_out)]
        self._log = open(Path(self._tmpdir) / "ffmpeg.log", "w+b")
        try:
            self._proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                          stderr=self._log)
        except OSError as exc:
            raise EncodeError(f"cannot start ffmpeg: {exc}") from None

    @staticmethod
    def _write_wav(path: Path, samples: np.ndarray, sample_rate: int) -> None:
        import soundfile as sf

        s = np.asarray(samples, np.float32)
        if s.ndim == 1:
            s = np.stack([s, s], axis=1)
        sf.write(str(path), np.clip(s, -1.0, 1.0), int(sample_rate), subtype="FLOAT")

    def write(self, frame: np.ndarray) -> None:
        """Append one frame, shape (H, W, 3) uint8 RGB."""
        if self._proc is None:
            raise EncodeError("VideoWriter is not open")
        if frame.shape != (self.size[1], self.size[0], 3) or frame.dtype != np.uint8:
            raise EncodeError(f"frame must be {self.size[1]}x{self.size[0]}x3 uint8, got {frame.shape} {frame.dtype}")
        try:
            self._proc.stdin.write(np.ascontiguousarray(frame).data)  # type: ignore[union-attr]
        except (BrokenPipeError, OSError):
            msg = self._ffmpeg_message()
            self.abort()
            raise EncodeError(f"ffmpeg stopped: {msg}") from None
        self.frames_written += 1

    def close(self) -> Path:
        """Finish encoding and move the file into place."""
        if self._proc is None:
            raise EncodeError("VideoWriter is not open")
        try:
            self._proc.stdin.close()  # type: ignore[union-attr]
        except OSError:
            pass
        rc = self._proc.wait()
        if rc != 0 or self.frames_written == 0:
            msg = self._ffmpeg_message() if rc != 0 else "no frames were written"
            self.abort()
            raise EncodeError(f"ffmpeg failed: {msg}")
        try:
            os.replace(self._tmp_out, self.path)  # type: ignore[arg-type]
        except OSError as exc:
            self.abort()
            raise OutputError(f"cannot write {self.path}: {exc.strerror}") from None
        self._cleanup()
        return self.path

    def abort(self) -> None:
        """Stop ffmpeg and remove every temporary file; the output path is left untouched."""
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        self._cleanup()

    def _ffmpeg_message(self) -> str:
        if self._log is None:
            return "unknown error"
        try:
            self._log.flush()
            self._log.seek(0)
            lines = [ln for ln in self._log.read().decode(errors="replace").splitlines() if ln.strip()]
        except (OSError, ValueError):
            return "unknown error"
        return lines[-1][:300] if lines else "unknown error"

    def _cleanup(self) -> None:
        if self._proc is not None and self._proc.stdin is not None and not self._proc.stdin.closed:
            try:
                self._proc.stdin.close()
            except OSError:
                pass
        self._proc = None
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._tmpdir is not None:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
            self._tmpdir = None


def read_frames(path: str | Path) -> list[np.ndarray]:
    """Decode every frame of a video into (H, W, 3) uint8 RGB arrays (small clips; for tests)."""
    import imageio_ffmpeg

    gen = imageio_ffmpeg.read_frames(str(path), pix_fmt="rgb24")
    meta = next(gen)
    w, h = meta["size"]
    return [np.frombuffer(f, np.uint8).reshape(h, w, 3).copy() for f in gen]
