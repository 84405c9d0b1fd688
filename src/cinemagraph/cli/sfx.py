"""``cinemagraph sfx``: list and rebuild the ambient sound library."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Optional

import typer

from ._app import run_guarded

sfx_app = typer.Typer(
    help="The ambient sound library: list the sounds, or regenerate them from their synthesis recipes.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@sfx_app.command("list")
@run_guarded
def list_sounds(
    folder: Optional[Path] = typer.Option(None, "--dir", help="A folder with its own manifest.toml "
                                                              "instead of the bundled library."),
    as_json: bool = typer.Option(False, "--json", help="Print the catalogue as JSON."),
) -> None:
    """Show the sounds of the library (name, family, length, loudness, tags)."""
    from cinemagraph.audio.library import load_catalogue, load_library

    cat = load_catalogue(folder) if folder is not None else load_library()
    if as_json:
        typer.echo(json.dumps({"folder": str(cat.folder), "sounds": [s.to_json() for s in cat.sounds]}, indent=2))
        return
    rows = [("name", "family", "length", "LUFS", "tags")]
    for s in cat.sounds:
        rows.append((
            s.name,
            s.family,
            "-" if s.duration_s is None else f"{s.duration_s:.1f} s",
            "-" if s.loudness_lufs is None else f"{s.loudness_lufs:.1f}",
            ", ".join(s.tags),
        ))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for r in rows:
        typer.echo("  ".join(c.ljust(w) for c, w in zip(r, widths)) + "  " + r[4])
    typer.echo(f"{len(cat.sounds)} sounds in {cat.folder}")


@sfx_app.command("build")
@run_guarded
def build(
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Folder to write the OGG files and "
                                                                       "manifest.toml into (default: the "
                                                                       "library folder)."),
    names: Optional[list[str]] = typer.Argument(None, help="Only these beds (default: all)."),
) -> None:
    """Regenerate the library deterministically from the synthesis recipes (takes about a minute)."""
    from cinemagraph.audio.library import library_dir
    from cinemagraph.audio.synth import build_library
    from cinemagraph.errors import AudioError

    out = output if output is not None else library_dir()
    if out is None:
        raise AudioError("no library folder found; pass -o DIR")
    t0 = time.perf_counter()
    manifest = build_library(out, names=names or None, progress=lambda n: typer.echo(f"synthesizing {n} ..."))
    typer.echo(f"wrote {manifest} in {time.perf_counter() - t0:.1f} s")
