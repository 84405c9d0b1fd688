"""Catalogues of ambient sounds: the bundled library and user folders with a manifest.toml.

A catalogue is a folder with a ``manifest.toml`` holding one ``[[sound]]`` table per sound::

    [[sound]]
    name = "harbour"             # optional, default: the file stem
    file = "harbour.flac"        # required, relative to the folder
    tags = ["water", "sea", "city"]  # required, see docs/sound.md for the vocabulary
    family = "water"             # optional: sounds of one family are never layered
    mood = "busy, salty"         # optional
    loop = false                 # optional: true if the file already loops seamlessly
    loudness_lufs = -21.0        # optional, informational
    licence = "CC-BY-4.0, me"    # optional

The bundled library is found in this order: the ``CINEMAGRAPH_SFX_DIR`` environment variable,
``assets/sfx`` of a source checkout, ``cinemagraph/assets/sfx`` inside the installed package,
``<prefix>/share/cinemagraph/sfx``.
"""

from __future__ import annotations

import functools
import os
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import AudioError

AUDIO_SUFFIXES = (".wav", ".flac", ".ogg", ".oga", ".mp3", ".aif", ".aiff", ".opus")
MANIFEST = "manifest.toml"


@dataclass(frozen=True)
class Sound:
    """One entry of a catalogue."""

    name: str
    """Name used on the command line (``--sound NAME``)."""
    path: Path
    """The audio file."""
    tags: tuple[str, ...]
    """Scene tags the matcher scores."""
    family: str
    """Sounds of one family are never layered together (default: the name)."""
    title: str = ""
    """Human-readable title."""
    mood: str = ""
    """A few words on the character of the sound."""
    loop: bool = False
    """True when the file loops seamlessly as it is (no crossfade needed to loop it)."""
    loudness_lufs: float | None = None
    """Measured integrated loudness, if the manifest gives it."""
    duration_s: float | None = None
    """Length of the file in seconds, if the manifest gives it."""
    licence: str = ""
    """Licence of the file."""
    generator: str = ""
    """How the file was made (function and seed) for generated sounds."""

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "file": str(self.path),
            "title": self.title,
            "family": self.family,
            "tags": list(self.tags),
            "mood": self.mood,
            "loop": self.loop,
            "duration_s": self.duration_s,
            "loudness_lufs": self.loudness_lufs,
            "licence": self.licence,
            "generator": self.generator,
        }


@dataclass(frozen=True)
class Catalogue:
    """The sounds of one folder, in manifest order."""

    folder: Path
    sounds: tuple[Sound, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.sounds)

    def get(self, name: str) -> Sound:
        """The sound called ``name``; AudioError listing the names otherwise."""
        for s in self.sounds:
            if s.name == name:
                return s
        raise AudioError(f"unknown sound {name!r}; available: {', '.join(self.names)}")


def library_dir() -> Path | None:
    """Folder of the bundled library, or None when it cannot be found."""
    env = os.environ.get("CINEMAGRAPH_SFX_DIR")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    for cand in (
        here.parents[3] / "assets" / "sfx",  # source checkout: src/cinemagraph/audio/library.py
        here.parents[1] / "assets" / "sfx",  # packaged inside cinemagraph/
        Path(sys.prefix) / "share" / "cinemagraph" / "sfx",
    ):
        if (cand / MANIFEST).is_file():
            return cand
    return None


def load_library() -> Catalogue:
    """The bundled sound library.

    Raises
    ------
    AudioError
        When the library cannot be found.
    """
    folder = library_dir()
    if folder is None:
        raise AudioError(
            "the sound library was not found; set CINEMAGRAPH_SFX_DIR or run `cinemagraph sfx build -o DIR`"
        )
    return load_catalogue(folder)


def load_catalogue(folder: str | Path) -> Catalogue:
    """Read ``folder/manifest.toml``.

    Raises
    ------
    AudioError
        Missing or invalid manifest, missing files, duplicate names.
    """
    folder = Path(folder)
    manifest = folder / MANIFEST
    try:
        stat = manifest.stat()
    except OSError:
        raise AudioError(f"{folder} has no {MANIFEST}; see docs/sound.md for the format") from None
    return _load_catalogue(str(manifest.resolve()), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=16)
def _load_catalogue(manifest_path: str, mtime_ns: int, size: int) -> Catalogue:
    manifest = Path(manifest_path)
    folder = manifest.parent
    try:
        data = tomllib.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise AudioError(f"cannot read {manifest}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise AudioError(f"{manifest} is not valid TOML: {exc}") from None
    entries = data.get("sound")
    if not isinstance(entries, list) or not entries:
        raise AudioError(f"{manifest} lists no sounds (expected [[sound]] tables)")
    sounds: list[Sound] = []
    seen: set[str] = set()
    for i, e in enumerate(entries):
        where = f"{manifest}, sound #{i + 1}"
        if not isinstance(e, dict):
            raise AudioError(f"{where}: expected a table")
        file = e.get("file")
        if not isinstance(file, str) or not file:
            raise AudioError(f"{where}: 'file' is required")
        path = (folder / file).resolve()
        if not path.is_file():
            raise AudioError(f"{where}: file {file!r} not found in {folder}")
        tags = e.get("tags")
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise AudioError(f"{where}: 'tags' must be a list of strings")
        name = e.get("name", path.stem)
        if not isinstance(name, str) or not name:
            raise AudioError(f"{where}: 'name' must be a non-empty string")
        if name in seen:
            raise AudioError(f"{where}: duplicate sound name {name!r}")
        seen.add(name)
        loud = e.get("loudness_lufs")
        dur = e.get("duration_s")
        gen = e.get("generator", "")
        if gen and "seed" in e:
            gen = f"{gen} (seed {e['seed']})"
        sounds.append(
            Sound(
                name=name,
                path=path,
                tags=tuple(t.strip().lower() for t in tags),
                family=str(e.get("family", name)),
                title=str(e.get("title", "")),
                mood=str(e.get("mood", "")),
                loop=bool(e.get("loop", False)),
                loudness_lufs=float(loud) if isinstance(loud, (int, float)) else None,
                duration_s=float(dur) if isinstance(dur, (int, float)) else None,
                licence=str(e.get("licence", e.get("license", ""))),
                generator=str(gen),
            )
        )
    return Catalogue(folder=folder, sounds=tuple(sounds))


def read_sound(path: str | Path, *, sample_rate: int) -> np.ndarray:
    """Decode a sound file to float32 stereo at ``sample_rate`` (decoded files are cached).

    Mono is duplicated to both channels; more than two channels keep the first two; other
    sample rates are resampled (polyphase).

    Returns
    -------
    ndarray, shape (n, 2), float32

    Raises
    ------
    AudioError
        When the file is missing, cannot be decoded or is empty.
    """
    p = Path(path)
    try:
        st = p.stat()
    except OSError:
        raise AudioError(f"sound file not found: {p}") from None
    if not p.is_file():
        raise AudioError(f"not a sound file: {p}")
    return _read_sound(str(p.resolve()), st.st_mtime_ns, st.st_size, int(sample_rate))


@functools.lru_cache(maxsize=8)
def _read_sound(path: str, mtime_ns: int, size: int, sample_rate: int) -> np.ndarray:
    import soundfile as sf

    try:
        x, sr = sf.read(path, dtype="float32", always_2d=True)
    except Exception as exc:  # libsndfile raises several types for undecodable input
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise AudioError(f"cannot decode sound {path}: {msg}") from None
    if x.shape[0] == 0:
        raise AudioError(f"sound {path} is empty")
    if x.shape[1] == 1:
        x = np.repeat(x, 2, axis=1)
    elif x.shape[1] > 2:
        x = x[:, :2]
    if sr != sample_rate:
        from math import gcd

        from scipy.signal import resample_poly

        g = gcd(int(sr), sample_rate)
        x = resample_poly(x, sample_rate // g, int(sr) // g, axis=0).astype(np.float32)
    if not np.isfinite(x).all():
        raise AudioError(f"sound {path} contains invalid samples")
    x.setflags(write=False)
    return x
