"""The only module that knows the stage order.

photo -> analysis (Scene) -> motions (clouds, water, faces, grade, camera) -> frames -> video
(+ sound). Every front end (the CLI, the library, the benchmarks) goes through these functions,
so a recipe, a mask or a photo means the same everywhere (see docs/architecture.md).

Examples
--------
>>> import cinemagraph, numpy as np
>>> from cinemagraph.testing import seascape
>>> clip = cinemagraph.animate(seascape(160, 90).image, duration_s=1, fps=8, size_px=160)
>>> len(clip), clip[0].shape
(8, (90, 160, 3))
"""

from __future__ import annotations

import hashlib
import time
import warnings
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import numpy as np

from .analysis.scene import Scene
from .errors import InputError, RecipeError
from .frames import Motion
from .io.photo import Photo, load_photo, photo_from_array, resize_rgb, working_size
from .recipe import Recipe

Progress = Callable[[str, int, int], None]
"""progress(stage, done, total): called as work advances (stage: analyze, prepare, render, encode)."""


class PromptWarning(UserWarning):
    """A word of a prompt that the grammar does not understand (it is ignored)."""


@dataclass(frozen=True, kw_only=True)
class RenderResult:
    """What :func:`render` produced."""

    path: Path
    n_frames: int
    fps: int
    duration_s: float
    size: tuple[int, int]
    recipe_digest: str
    seed: int
    scene: dict
    sound: dict | None
    timings_s: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {
            "path": str(self.path), "frames": self.n_frames, "fps": self.fps,
            "duration_s": self.duration_s, "width": self.size[0], "height": self.size[1],
            "recipe_digest": self.recipe_digest, "seed": self.seed, "scene": self.scene,
            "sound": self.sound, "timings_s": {k: round(v, 3) for k, v in self.timings_s.items()},
        }


def build_recipe(recipe: Recipe | str | Path | None = None, *, preset: str | None = None,
                 prompt: str | None = None, **options: Any) -> Recipe:
    """The effective recipe, in order of precedence (lowest first): defaults, ``preset``,
    ``recipe`` (a Recipe or a JSON/TOML file: a whole recipe, so it replaces the preset),
    ``prompt``, then ``options`` (``duration_s=6``, ``clouds__speed_frac_per_s=0.01``; None
    values are ignored). The CLI's ``render`` builds its recipe with this function.

    Prompt words the grammar does not understand are ignored with a :class:`PromptWarning`.

    >>> r = build_recipe(preset="storm", prompt="8 seconds", fps=24)
    >>> r.grade.look, r.duration_s, r.fps
    ('storm', 8.0, 24)
    """
    if recipe is None:
        base = Recipe()
        if preset:
            from .presets import get_preset

            base = get_preset(preset)
    elif isinstance(recipe, Recipe):
        base = recipe
    elif isinstance(recipe, (str, Path)):
        base = Recipe.load(recipe)
    else:
        raise RecipeError(f"recipe must be a Recipe or a path, got {type(recipe).__name__}")
    if prompt:
        from .prompt import parse_prompt

        parsed = parse_prompt(prompt, base=base)
        for word in parsed.unknown:
            warnings.warn(f"prompt word not understood, ignored: {word!r}", PromptWarning, stacklevel=2)
        base = parsed.recipe
    changes = {k: v for k, v in options.items() if v is not None}
    try:
        return base.with_overrides(**changes) if changes else base
    except TypeError as exc:
        raise RecipeError(str(exc)) from None


def load_input(photo: Any, size_px: int) -> Photo:
    """Decode/wrap the input at the output working size (long side ``size_px``, even sides)."""
    if isinstance(photo, Photo):
        w, h = photo.size
        size = working_size(w, h, size_px, even=True)
        return Photo(resize_rgb(photo.pixels, size), photo.source_size, photo.source_sha256,
                     photo.source_name, photo.format)
    if isinstance(photo, np.ndarray):
        return photo_from_array(photo, long_side=size_px, even=True)
    if isinstance(photo, (str, Path)):
        return load_photo(photo, long_side=size_px, even=True)
    raise InputError(f"photo must be a path, a numpy array or a Photo, got {type(photo).__name__}")


def _user_mask(mask: Any, shape: tuple[int, int], name: str) -> np.ndarray | None:
    """A user mask (a path or an array) as a float32 (H, W) alpha (see ``masks.check_mask``)."""
    from .analysis.masks import check_mask, load_mask

    if mask is None:
        return None
    if isinstance(mask, np.ndarray):
        return check_mask(mask, shape, name)
    return load_mask(mask, shape)


class Clip:
    """A prepared animation: frames by index (``clip[i]``) or iteration, exactly looping.

    ``len(clip)`` is the loop length N; ``clip[N]`` would equal ``clip[0]`` (indices wrap).
    Frames are (H, W, 3) uint8 RGB, computed on demand (never all held in memory).
    """

    def __init__(self, photo: Photo, scene: Scene, recipe: Recipe, motions: list[Motion]) -> None:
        self.photo = photo
        self.scene = scene
        self.recipe = recipe
        self.motions = motions

    def __len__(self) -> int:
        return self.recipe.n_frames

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) of every frame."""
        return self.photo.size

    @property
    def fps(self) -> int:
        return self.recipe.fps

    @property
    def duration_s(self) -> float:
        return self.recipe.n_frames / self.recipe.fps

    def frame(self, t: int) -> np.ndarray:
        """Frame ``t`` (wraps modulo the loop length), (H, W, 3) uint8 RGB."""
        t = int(t) % len(self)
        out = self.photo.pixels.copy()
        for motion in self.motions:
            out = motion.apply(out, t)
        return out

    def __getitem__(self, t: int) -> np.ndarray:
        if not isinstance(t, (int, np.integer)):
            raise TypeError("clip indices must be integers")
        return self.frame(int(t))

    def __iter__(self) -> Iterator[np.ndarray]:
        return self.frames()

    def frames(self, start: int = 0, stop: int | None = None, *,
               workers: int | None = None) -> Iterator[np.ndarray]:
        """Frames ``start`` .. ``stop - 1`` in order (default: one loop), several computed at
        once on their own threads (``workers``; default one per core, see
        :mod:`cinemagraph.motion.threads`). The same bytes as ``clip[t]``, faster."""
        from .motion.threads import map_frames

        stop = len(self) if stop is None else int(stop)
        return map_frames(self.frame, range(int(start), stop), workers)

    def frame_hashes(self) -> list[str]:
        """sha256 of every frame's bytes, in order (for determinism checks)."""
        return [hashlib.sha256(f.tobytes()).hexdigest() for f in self]

    def motion_energy(self) -> np.ndarray:
        """Per-frame motion energy in [0, 1], periodic over the loop (used by the sound mix)."""
        n = len(self)
        energy = np.zeros(n, np.float32)
        for motion in self.motions:
            energy = np.maximum(energy, motion.energy(n))
        return energy

    def to_moviepy(self):
        """A moviepy ``VideoClip`` of one loop (frames by time, no audio)."""
        from moviepy import VideoClip

        fps = self.fps
        return VideoClip(lambda t: self.frame(int(round(t * fps))), duration=self.duration_s).with_fps(fps)


def analyze_scene(photo: Photo, *, sky_mask=None, water_mask=None, freeze_mask=None,
                  detect_faces: bool = True) -> Scene:
    """Run scene analysis on a working-size photo (user masks: paths or arrays)."""
    from .analysis import analyze_photo

    shape = photo.pixels.shape[:2]
    return analyze_photo(photo.pixels, sky_mask=_user_mask(sky_mask, shape, "sky mask"),
                         water_mask=_user_mask(water_mask, shape, "water mask"),
                         freeze_mask=_user_mask(freeze_mask, shape, "freeze mask"), detect_faces=detect_faces)


def plan_motion(photo: Photo, scene: Scene, recipe: Recipe) -> list[Motion]:
    """Prepare every motion that applies to this scene, in compositing order.

    The steps: clouds in the sky (cut at the water's horizon, so the reflection does not
    swirl), the water (flow or ripples, then glints), the faces, the sky grade, and the camera
    last (it moves the whole frame). The scene's masks already leave out the frozen pixels.
    """
    from .grade import GradeMotion
    from .motion import sky_above_water
    from .motion.camera import CameraMotion
    from .motion.clouds import CloudMotion
    from .motion.faces import prepare_faces
    from .motion.water import prepare_water

    image, horizon = photo.pixels, scene.summary.horizon_y
    loop = {"n_frames": recipe.n_frames, "fps": recipe.fps, "seed": recipe.seed}
    steps: list[Motion | None] = [
        CloudMotion.prepare(image, sky_above_water(scene.sky, scene.water, horizon), recipe.clouds,
                            horizon_y=horizon, **loop),
        *prepare_water(image, scene.water, recipe.water, horizon_y=horizon,
                       water_type=scene.summary.water_type, **loop),
        *prepare_faces(image, scene.faces, recipe.faces, **loop),
        GradeMotion.prepare(scene.sky, scene.water, recipe.grade, n_frames=recipe.n_frames, horizon_y=horizon),
        CameraMotion.prepare(photo.size, recipe.camera, n_frames=recipe.n_frames),
    ]
    return [m for m in steps if m is not None]


def animate(photo: Any, recipe: Recipe | str | Path | None = None, *, sky_mask=None,
            water_mask=None, freeze_mask=None, progress: Progress | None = None,
            timings: dict | None = None, **overrides: Any) -> Clip:
    """Prepare a looping animation of ``photo`` without encoding it.

    Parameters
    ----------
    photo : path, (H, W[, 3|4]) array, or Photo.
    recipe : Recipe, path to a JSON/TOML recipe, or None for defaults.
    sky_mask, water_mask, freeze_mask : optional user masks (paths or arrays; white = region).
    progress : optional callback ``progress(stage, done, total)``.
    **overrides : recipe fields, e.g. ``duration_s=6, fps=30, size_px=1080, seed=7``.
    """
    rec = build_recipe(recipe, **overrides)
    timings = {} if timings is None else timings
    t0 = time.perf_counter()
    ph = load_input(photo, rec.size_px)
    timings["decode"] = time.perf_counter() - t0
    if progress:
        progress("analyze", 0, 1)
    t0 = time.perf_counter()
    scene = analyze_scene(ph, sky_mask=sky_mask, water_mask=water_mask, freeze_mask=freeze_mask,
                          detect_faces=rec.faces.enabled)
    timings["analyze"] = time.perf_counter() - t0
    if progress:
        progress("analyze", 1, 1)
        progress("prepare", 0, 1)
    t0 = time.perf_counter()
    motions = plan_motion(ph, scene, rec)
    timings["prepare"] = time.perf_counter() - t0
    if progress:
        progress("prepare", 1, 1)
    return Clip(ph, scene, rec, motions)


def render(photo: Any, output: str | Path, recipe: Recipe | str | Path | None = None, *,
           sky_mask=None, water_mask=None, freeze_mask=None, progress: Progress | None = None,
           workers: int | None = None, **overrides: Any) -> RenderResult:
    """Render ``photo`` into a seamlessly looping video at ``output`` (.mp4, .webm, .mov, .mkv).

    Takes the same arguments as :func:`animate`, and ``workers``: frames computed at once
    (default one per core; see :meth:`Clip.frames`). The file appears atomically when encoding
    succeeded; on any error nothing is left at ``output``.

    Examples
    --------
    >>> import cinemagraph  # doctest: +SKIP
    >>> cinemagraph.render("photo.jpg", "photo.mp4", duration_s=6).n_frames  # doctest: +SKIP
    180
    """
    from .io.video import VideoWriter, check_output_path

    out = check_output_path(output)
    timings: dict[str, float] = {}
    clip = animate(photo, recipe, sky_mask=sky_mask, water_mask=water_mask,
                   freeze_mask=freeze_mask, progress=progress, timings=timings, **overrides)
    rec = clip.recipe
    t0 = time.perf_counter()
    track = make_sound(clip)
    timings["sound"] = time.perf_counter() - t0
    audio = None if track is None else (track.samples, track.sample_rate)
    meta = {"comment": f"cinemagraph {_version()} recipe sha256:{rec.digest()} seed {rec.seed}"}
    n = len(clip)
    t_render = t_encode = 0.0
    # frames are computed on worker threads while this one feeds the encoder: "render" is the
    # time spent waiting for the next frame
    with VideoWriter(out, size=clip.size, fps=rec.fps, crf=rec.crf, audio=audio,
                     metadata=meta) as writer, closing(clip.frames(workers=workers)) as frames:
        for t in range(n):
            t0 = time.perf_counter()
            frame = next(frames)
            t1 = time.perf_counter()
            writer.write(frame)
            t_render += t1 - t0
            t_encode += time.perf_counter() - t1
            if progress:
                progress("render", t + 1, n)
        t0 = time.perf_counter()
    t_encode += time.perf_counter() - t0
    timings["render"] = t_render
    timings["encode"] = t_encode
    sound = None if track is None else {
        "bed": track.bed, "layer": track.layer,
        "loudness_lufs": round(track.loudness_lufs, 2), "true_peak_dbtp": round(track.true_peak_dbtp, 2),
    }
    return RenderResult(path=out, n_frames=n, fps=rec.fps, duration_s=clip.duration_s, size=clip.size,
                        recipe_digest=rec.digest(), seed=rec.seed, scene=clip.scene.summary.to_json(),
                        sound=sound, timings_s=timings)


def analyze(photo: str | Path, output: str | Path, *, sky_mask=None, water_mask=None,
            freeze_mask=None, size_px: int | None = None) -> dict:
    """Analyse a photo file and write ``sky.png``, ``water.png``, ``faces.json``,
    ``scene.json`` and ``overlay.png`` into the folder ``output`` (created if missing).

    The photo is decoded and analysed by the same code as :func:`render`, at the same working
    size (long side ``size_px``, default the recipe's), so what is written is what a render
    animates; masks are written at the photo's own size. User masks (paths or arrays, any
    size; white = region) replace the automatic sky or water; the freeze mask is removed from
    both.

    Returns the content of ``scene.json``. Raises InputError for an unreadable photo or mask,
    OutputError when ``output`` cannot be written.
    """
    from .analysis.report import write_report

    source = load_photo(photo)
    work = load_input(source, int(size_px or Recipe().size_px))
    scene = analyze_scene(work, sky_mask=sky_mask, water_mask=water_mask, freeze_mask=freeze_mask)
    return write_report(output, source.pixels, scene, photo_name=Path(photo).name,
                        user_masks={"sky": sky_mask is not None, "water": water_mask is not None,
                                    "freeze": freeze_mask is not None})


def make_sound(clip: Clip):
    """The clip's soundtrack (or None when the recipe asks for silence)."""
    if clip.recipe.audio.sound == "none":
        return None
    from .audio import make_soundtrack

    return make_soundtrack(clip.scene.summary, clip.recipe.audio, duration_s=clip.duration_s,
                           seed=clip.recipe.seed, motion_energy=clip.motion_energy())


def _version() -> str:
    from ._version import __version__

    return __version__
