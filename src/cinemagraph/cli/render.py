"""``cinemagraph render`` and ``cinemagraph demo``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from ._app import ProgressBar, app, run_guarded


def _version_callback(value: bool) -> None:
    if value:
        from .._version import __version__

        print(f"cinemagraph {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_version_callback, is_eager=True,
                                       help="Print the version and exit.")) -> None:
    """Turn a still photo into a seamlessly looping video."""


def build_cli_recipe(recipe_file: Optional[Path], preset: Optional[str], prompt: Optional[str],
                     **options):
    """The library's :func:`~cinemagraph.pipeline.build_recipe`, with each prompt word it does
    not understand printed as a note on stderr."""
    import warnings

    from ..pipeline import PromptWarning, build_recipe

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PromptWarning)
        rec = build_recipe(recipe_file, preset=preset, prompt=prompt, **options)
    for w in caught:
        if issubclass(w.category, PromptWarning):
            print(f"cinemagraph: note: {w.message}", file=sys.stderr)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return rec


@app.command(help="Render PHOTO into a seamlessly looping video (MP4, WebM, MOV or lossless MKV).")
@run_guarded
def render(
    photo: Path = typer.Argument(..., help="Input photo: JPEG, PNG, WebP, TIFF or BMP."),
    output: Path = typer.Option(..., "-o", "--output", help="Output video (.mp4, .webm, .mov, .mkv)."),
    duration: Optional[float] = typer.Option(None, "--duration", help="Loop length in seconds [default: 6]."),
    fps: Optional[int] = typer.Option(None, "--fps", help="Frames per second [default: 30]."),
    size: Optional[int] = typer.Option(None, "--size", help="Long side of the output in pixels [default: 1080]."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Seed for every random choice [default: 0]."),
    preset: Optional[str] = typer.Option(None, "--preset", help="Named look: calm, breezy, golden-hour, sunset, storm, dreamy."),
    prompt: Optional[str] = typer.Option(None, "--prompt", help='Motion prompt, e.g. "sunset, clouds drift left slowly".'),
    recipe: Optional[Path] = typer.Option(None, "--recipe", help="Recipe file (JSON or TOML)."),
    sound: Optional[str] = typer.Option(None, "--sound", help="auto, none, a library sound name, or a sound file/folder."),
    loudness: Optional[str] = typer.Option(None, "--loudness", help="Loudness profile: ambient, broadcast or social."),
    sky_mask: Optional[Path] = typer.Option(None, "--sky-mask", help="PNG mask replacing the automatic sky (white = sky)."),
    water_mask: Optional[Path] = typer.Option(None, "--water-mask", help="PNG mask replacing the automatic water."),
    freeze_mask: Optional[Path] = typer.Option(None, "--freeze-mask", help="PNG mask of regions that must never move."),
    save_recipe: Optional[Path] = typer.Option(None, "--save-recipe", help="Also write the effective recipe (JSON/TOML)."),
    json_out: bool = typer.Option(False, "--json", help="Print a JSON summary on stdout."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    threads: Optional[int] = typer.Option(None, "--threads", min=1, help="Frames computed at once "
                                          "[default: one per core]."),
) -> None:
    from ..io.video import check_output_path
    from ..pipeline import render as render_fn

    check_output_path(output)
    rec = build_cli_recipe(recipe, preset, prompt, duration_s=duration, fps=fps, size_px=size, seed=seed,
                           audio__sound=sound, audio__profile=loudness)
    if save_recipe is not None:
        rec.save(save_recipe)
    bar = ProgressBar(enabled=False if quiet or json_out else None)
    try:
        result = render_fn(photo, output, rec, sky_mask=sky_mask, water_mask=water_mask,
                           freeze_mask=freeze_mask, progress=bar, workers=threads)
    finally:
        bar.close()
    if json_out:
        print(json.dumps(result.to_json(), indent=2))
    elif not quiet:
        s = result.scene
        snd = f", sound {result.sound['bed']}" + (f" + {result.sound['layer']}" if result.sound and result.sound.get("layer") else "") if result.sound else ", silent"
        print(f"wrote {result.path} ({result.size[0]}x{result.size[1]}, {result.n_frames} frames at "
              f"{result.fps} fps, sky {s['sky_fraction']:.0%}, water {s['water_fraction']:.0%}, "
              f"{s['face_count']} face(s){snd})")


@app.command(help="Render the built-in examples (no input needed) into a folder.")
@run_guarded
def demo(
    output: Path = typer.Option(Path("out"), "-o", "--output", help="Folder for the demo videos."),
    size: int = typer.Option(720, "--size", help="Long side in pixels."),
    duration: float = typer.Option(6.0, "--duration", help="Loop length in seconds."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    from ..demo import demo_photos
    from ..errors import OutputError
    from ..pipeline import render as render_fn

    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {output}: {exc.strerror}") from None
    for name, image, overrides in demo_photos():
        bar = ProgressBar(enabled=False if quiet else None)
        try:
            result = render_fn(image, output / f"{name}.mp4", size_px=size, duration_s=duration,
                               progress=bar, **overrides)
        finally:
            bar.close()
        if not quiet:
            print(f"wrote {result.path} ({result.size[0]}x{result.size[1]}, {result.n_frames} frames)")
