"""Recipe: everything that decides how a photo is animated, as frozen dataclasses.

A Recipe plus the photo plus ``seed`` fully determines the frames. Units are in field names.
Recipes load from and save to JSON or TOML (never pickles), and ``digest()`` gives a stable
sha256 of the canonical JSON form, recorded with every render.

Examples
--------
>>> from cinemagraph.recipe import Recipe
>>> r = Recipe(duration_s=4).with_overrides(seed=7)
>>> r.seed, r.n_frames
(7, 120)
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .errors import RecipeError
from .tomlw import toml_value

LOOKS = ("none", "golden-hour", "sunset", "blue-hour", "storm", "dreamy")
CAMERA_MODES = ("none", "push-in", "drift")
SOUND_PROFILES = {"ambient": -20.0, "broadcast": -23.0, "social": -14.0}
FLOW_SOURCES = ("auto", "recipe")


def _check_range(obj: Any, name: str, lo: float, hi: float) -> None:
    value = getattr(obj, name)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise RecipeError(f"{type(obj).__name__}.{name} must be a number, got {value!r}")
    if not lo <= value <= hi:
        raise RecipeError(f"{type(obj).__name__}.{name} must be in [{lo}, {hi}], got {value!r}")


def _check_choice(obj: Any, name: str, choices: tuple[str, ...] | dict) -> None:
    value = getattr(obj, name)
    if value not in choices:
        raise RecipeError(
            f"{type(obj).__name__}.{name} must be one of {', '.join(choices)}; got {value!r}"
        )


def _check_bool(obj: Any, name: str) -> None:
    if not isinstance(getattr(obj, name), bool):
        raise RecipeError(f"{type(obj).__name__}.{name} must be true or false")


@dataclass(frozen=True, kw_only=True)
class CloudSpec:
    """Drifting clouds in the sky region."""

    enabled: bool = True
    """Animate the sky at all."""
    direction_deg: float = 0.0
    """Wind direction in degrees: 0 = clouds move right, 90 = up, 180 = left, 270 = down."""
    speed_frac_per_s: float = 0.008
    """Drift speed at the top of the frame, as a fraction of the image width per second."""
    turbulence: float = 0.35
    """Strength of the divergence-free variation of the wind, relative to the speed (0 = uniform)."""
    perspective: float = 0.6
    """How much slower clouds move near the horizon (0 = same speed everywhere, 1 = still)."""

    def __post_init__(self) -> None:
        _check_bool(self, "enabled")
        _check_range(self, "direction_deg", -360.0, 360.0)
        _check_range(self, "speed_frac_per_s", 0.0, 0.1)
        _check_range(self, "turbulence", 0.0, 1.0)
        _check_range(self, "perspective", 0.0, 1.0)


@dataclass(frozen=True, kw_only=True)
class WaterSpec:
    """Ripples, waves and flow in the water region."""

    enabled: bool = True
    """Animate the water at all."""
    amplitude_frac: float = 0.0025
    """Ripple displacement amplitude near the viewer, as a fraction of the image height."""
    wavelength_frac: float = 0.03
    """Dominant ripple wavelength near the viewer, as a fraction of the image width."""
    cycles_per_loop: int = 2
    """Whole number of slowest wave periods per loop (keeps ripples exactly periodic)."""
    flow_direction_deg: float = 270.0
    """Direction of flowing water (rivers, waterfalls) in degrees; 270 = downwards."""
    flow_speed_frac_per_s: float = 0.0
    """Flow speed as a fraction of the image width per second; 0 = use the scene's water type."""
    shimmer: float = 0.5
    """Strength of the horizontal shimmer of reflections (0 to 1)."""
    sparkle: float = 0.0
    """Strength of periodic specular glints (0 = off)."""

    def __post_init__(self) -> None:
        _check_bool(self, "enabled")
        _check_range(self, "amplitude_frac", 0.0, 0.02)
        _check_range(self, "wavelength_frac", 0.002, 0.5)
        if isinstance(self.cycles_per_loop, bool) or not isinstance(self.cycles_per_loop, int):
            raise RecipeError("WaterSpec.cycles_per_loop must be a whole number")
        _check_range(self, "cycles_per_loop", 1, 64)
        _check_range(self, "flow_direction_deg", -360.0, 360.0)
        _check_range(self, "flow_speed_frac_per_s", 0.0, 0.2)
        _check_range(self, "shimmer", 0.0, 1.0)
        _check_range(self, "sparkle", 0.0, 1.0)


@dataclass(frozen=True, kw_only=True)
class GradeSpec:
    """Periodic time-of-day colour grading of the sky (and, gently, the rest)."""

    look: str = "none"
    """One of none, golden-hour, sunset, blue-hour, storm, dreamy."""
    strength: float = 0.6
    """How far the sky moves toward the look at the peak of the cycle (0 to 1)."""
    scene_light: float = 0.3
    """How much of the change of light reaches the rest of the scene (0 to 1)."""

    def __post_init__(self) -> None:
        _check_choice(self, "look", LOOKS)
        _check_range(self, "strength", 0.0, 1.0)
        _check_range(self, "scene_light", 0.0, 1.0)


@dataclass(frozen=True, kw_only=True)
class FaceSpec:
    """Subtle motion of faces: breathing, sway and blinks."""

    enabled: bool = True
    """Animate faces at all."""
    breathing: float = 1.0
    """Breathing strength (0 to 1)."""
    sway: float = 1.0
    """Head sway strength (0 to 1)."""
    blink: bool = True
    """Blink the eyes."""
    disabled: tuple[int, ...] = ()
    """Indices (in detection order) of faces to keep still."""

    def __post_init__(self) -> None:
        _check_bool(self, "enabled")
        _check_bool(self, "blink")
        _check_range(self, "breathing", 0.0, 1.0)
        _check_range(self, "sway", 0.0, 1.0)
        object.__setattr__(self, "disabled", tuple(int(i) for i in self.disabled))


@dataclass(frozen=True, kw_only=True)
class CameraSpec:
    """Optional slow, periodic, sub-pixel camera motion."""

    mode: str = "none"
    """One of none, push-in, drift."""
    amount_frac: float = 0.02
    """Peak zoom (push-in) or shift (drift) as a fraction of the image size."""

    def __post_init__(self) -> None:
        _check_choice(self, "mode", CAMERA_MODES)
        _check_range(self, "amount_frac", 0.0, 0.1)


@dataclass(frozen=True, kw_only=True)
class AudioSpec:
    """Ambient sound."""

    sound: str = "auto"
    """auto (match the scene), none (silent), a library sound name, or a path to a sound file/folder."""
    profile: str = "ambient"
    """Loudness profile: ambient (-20 LUFS), broadcast (-23 LUFS) or social (-14 LUFS)."""

    def __post_init__(self) -> None:
        if not isinstance(self.sound, str) or not self.sound:
            raise RecipeError("AudioSpec.sound must be auto, none, a sound name or a path")
        _check_choice(self, "profile", SOUND_PROFILES)

    @property
    def loudness_lufs(self) -> float:
        return SOUND_PROFILES[self.profile]


@dataclass(frozen=True, kw_only=True)
class Recipe:
    """How to animate a photo. Frozen: use :meth:`with_overrides` for changed copies."""

    duration_s: float = 6.0
    """Loop length in seconds."""
    fps: int = 30
    """Frames per second."""
    size_px: int = 1080
    """Long side of the output in pixels (the photo's aspect ratio is kept; sizes rounded to even)."""
    seed: int = 0
    """Seed for every random choice (noise fields, phases, sound choice)."""
    clouds: CloudSpec = field(default_factory=CloudSpec)
    water: WaterSpec = field(default_factory=WaterSpec)
    grade: GradeSpec = field(default_factory=GradeSpec)
    faces: FaceSpec = field(default_factory=FaceSpec)
    camera: CameraSpec = field(default_factory=CameraSpec)
    audio: AudioSpec = field(default_factory=AudioSpec)
    crf: int = 18
    """H.264 constant rate factor (lower = better quality, larger file)."""

    def __post_init__(self) -> None:
        _check_range(self, "duration_s", 0.5, 60.0)
        for name in ("fps", "size_px", "seed", "crf"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int):
                raise RecipeError(f"Recipe.{name} must be a whole number, got {v!r}")
        _check_range(self, "fps", 1, 120)
        _check_range(self, "size_px", 64, 4096)
        _check_range(self, "seed", 0, 2**32 - 1)
        _check_range(self, "crf", 0, 51)
        if self.n_frames < 2:
            raise RecipeError("Recipe gives fewer than 2 frames: raise duration_s or fps")
        for name, typ in _SUBSPECS.items():
            if not isinstance(getattr(self, name), typ):
                raise RecipeError(f"Recipe.{name} must be a {typ.__name__}")

    @property
    def n_frames(self) -> int:
        """Number of frames in one loop (frame n_frames would equal frame 0)."""
        return int(round(self.duration_s * self.fps))

    def with_overrides(self, **changes: Any) -> "Recipe":
        """Copy with top-level fields or ``section__field`` entries changed.

        >>> Recipe().with_overrides(clouds__speed_frac_per_s=0.02).clouds.speed_frac_per_s
        0.02
        """
        top: dict[str, Any] = {}
        nested: dict[str, dict[str, Any]] = {}
        for key, value in changes.items():
            if "__" in key:
                sec, sub = key.split("__", 1)
                nested.setdefault(sec, {})[sub] = value
            else:
                top[key] = value
        for sec, subs in nested.items():
            if sec not in _SUBSPECS:
                raise RecipeError(f"unknown recipe section {sec!r}")
            top[sec] = _replace(getattr(self, sec), subs)
        return _replace(self, top)

    # ---- serialisation -------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["faces"]["disabled"] = list(self.faces.disabled)
        return d

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Recipe":
        if not isinstance(data, dict):
            raise RecipeError("a recipe must be a table/object of fields")
        kwargs: dict[str, Any] = {}
        known = {f.name for f in fields(cls)}
        for key, value in data.items():
            if key not in known:
                raise RecipeError(f"unknown recipe field {key!r}")
            if key in _SUBSPECS:
                sub = _SUBSPECS[key]
                if not isinstance(value, dict):
                    raise RecipeError(f"recipe section {key!r} must be a table/object")
                sub_known = {f.name for f in fields(sub)}
                for k in value:
                    if k not in sub_known:
                        raise RecipeError(f"unknown recipe field {key}.{k}")
                if key == "faces" and "disabled" in value:
                    value = dict(value, disabled=tuple(value["disabled"]))
                try:
                    kwargs[key] = sub(**value)
                except TypeError as exc:
                    raise RecipeError(f"bad recipe section {key!r}: {exc}") from None
            else:
                kwargs[key] = value
        return cls(**kwargs)

    def to_json(self) -> str:
        """Canonical JSON (sorted keys, no whitespace): the input of :meth:`digest`."""
        return json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))

    def digest(self) -> str:
        """sha256 hex digest of the canonical JSON form."""
        return hashlib.sha256(self.to_json().encode()).hexdigest()

    def save(self, path: str | Path) -> None:
        """Write as JSON (``.json``) or TOML (``.toml``)."""
        path = Path(path)
        if path.suffix.lower() == ".toml":
            path.write_text(_to_toml(self.to_dict()))
        else:
            path.write_text(json.dumps(self.to_dict(), indent=2, sort_keys=True) + "\n")

    @classmethod
    def load(cls, path: str | Path) -> "Recipe":
        """Read a JSON or TOML recipe; missing fields take their defaults."""
        path = Path(path)
        try:
            text = path.read_text()
        except (OSError, UnicodeDecodeError) as exc:
            raise RecipeError(f"cannot read recipe {path}: {exc.strerror if isinstance(exc, OSError) else 'not text'}") from None
        try:
            data = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
        except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
            raise RecipeError(f"recipe {path} is not valid {path.suffix.lstrip('.').upper() or 'JSON'}: {exc}") from None
        return cls.from_dict(data)


_SUBSPECS = {
    "clouds": CloudSpec,
    "water": WaterSpec,
    "grade": GradeSpec,
    "faces": FaceSpec,
    "camera": CameraSpec,
    "audio": AudioSpec,
}


def _replace(obj: Any, changes: dict[str, Any]) -> Any:
    known = {f.name for f in fields(obj)}
    for k in changes:
        if k not in known:
            raise RecipeError(f"unknown field {type(obj).__name__}.{k}")
    return dataclasses.replace(obj, **changes)


def _to_toml(d: dict[str, Any]) -> str:
    lines = [f"{k} = {toml_value(v)}" for k, v in d.items() if not isinstance(v, dict)]
    for k, v in d.items():
        if isinstance(v, dict):
            lines.append(f"\n[{k}]")
            lines.extend(f"{kk} = {toml_value(vv)}" for kk, vv in v.items())
    return "\n".join(lines) + "\n"
