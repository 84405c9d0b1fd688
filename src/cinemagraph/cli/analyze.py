"""``cinemagraph analyze PHOTO -o DIR``: masks, faces and scene summary for people to check."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer


def analyze(
    photo: Path = typer.Argument(..., help="Photo to analyse (JPEG, PNG, ...)."),
    output: Path = typer.Option(..., "-o", "--output", help="Directory for sky.png, water.png, faces.json, "
                                                            "scene.json and overlay.png."),
    sky_mask: Optional[Path] = typer.Option(None, "--sky-mask", help="PNG/JPG, white = sky; replaces the "
                                                                     "automatic sky mask."),
    water_mask: Optional[Path] = typer.Option(None, "--water-mask", help="PNG/JPG, white = water; replaces "
                                                                         "the automatic water mask."),
    freeze_mask: Optional[Path] = typer.Option(None, "--freeze-mask", help="PNG/JPG, white = never animate."),
    size: Optional[int] = typer.Option(None, "--size", min=64, max=4096,
                                       help="Working long side in pixels (default: the same as render)."),
    json_out: bool = typer.Option(False, "--json", help="Print scene.json instead of a summary."),
) -> None:
    """Find sky, water and faces in PHOTO and write masks and an overlay into a directory."""
    from cinemagraph.pipeline import analyze as analyze_fn

    doc = analyze_fn(photo, output, sky_mask=sky_mask, water_mask=water_mask, freeze_mask=freeze_mask,
                     size_px=size)
    if json_out:
        typer.echo(json.dumps(doc, indent=2))
        return
    horizon = "unknown" if doc["horizon_y"] is None else f"{doc['horizon_y']:.2f} of the height"
    typer.echo(f"{doc['photo']}: {doc['size'][0]}x{doc['size'][1]}")
    typer.echo(f"  sky    {doc['sky_fraction'] * 100:5.1f}% ({doc['masks']['sky']})")
    typer.echo(f"  water  {doc['water_fraction'] * 100:5.1f}% ({doc['masks']['water']}, {doc['water_type']})")
    typer.echo(f"  faces  {doc['face_count']}")
    if doc.get("kind"):
        typer.echo(f"  scene  {doc['kind']} ({doc['kind_confidence'] * 100:.0f}% sure)")
    typer.echo(f"  horizon {horizon}; brightness {doc['brightness']:.2f}; {doc['colour_temperature']} light"
               f"{'; night' if doc['night'] else ''}{'; indoor' if doc['indoor'] else ''}")
    typer.echo(f"  wrote sky.png, water.png, faces.json, scene.json, overlay.png to {output}")
