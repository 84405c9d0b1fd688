"""Named recipes: a look and a pace in one word.

=============  ======================================================================
name           what it does
=============  ======================================================================
calm           slow clouds, small ripples, gentle breathing; no grade, no camera
breezy         brisker, more turbulent clouds, livelier waves with glints
golden-hour    warm low-sun grade, slow clouds, sparkling water
sunset         orange-to-violet sky and reflection, slow clouds, glints
storm          dark, cool, desaturated sky; fast turbulent clouds, rough water
dreamy         hazy pastel grade, very slow clouds, a slow push-in
=============  ======================================================================

Examples
--------
>>> from cinemagraph.presets import get_preset, PRESETS
>>> sorted(PRESETS)
['breezy', 'calm', 'dreamy', 'golden-hour', 'storm', 'sunset']
>>> get_preset("sunset").grade.look
'sunset'
"""

from __future__ import annotations

from .errors import RecipeError
from .recipe import CameraSpec, CloudSpec, FaceSpec, GradeSpec, Recipe, WaterSpec

PRESETS: dict[str, Recipe] = {
    "calm": Recipe(
        clouds=CloudSpec(speed_frac_per_s=0.005, turbulence=0.25),
        water=WaterSpec(amplitude_frac=0.0015, wavelength_frac=0.035, cycles_per_loop=1, shimmer=0.3),
        faces=FaceSpec(breathing=0.7, sway=0.5),
    ),
    "breezy": Recipe(
        clouds=CloudSpec(speed_frac_per_s=0.016, turbulence=0.5),
        water=WaterSpec(amplitude_frac=0.0035, wavelength_frac=0.025, cycles_per_loop=3,
                        shimmer=0.6, sparkle=0.25),
        faces=FaceSpec(breathing=1.0, sway=1.0),
    ),
    "golden-hour": Recipe(
        clouds=CloudSpec(speed_frac_per_s=0.006, turbulence=0.3),
        water=WaterSpec(amplitude_frac=0.002, shimmer=0.6, sparkle=0.45),
        grade=GradeSpec(look="golden-hour", strength=0.6, scene_light=0.3),
        faces=FaceSpec(breathing=0.8, sway=0.6),
    ),
    "sunset": Recipe(
        clouds=CloudSpec(speed_frac_per_s=0.006, turbulence=0.3),
        water=WaterSpec(amplitude_frac=0.002, shimmer=0.6, sparkle=0.3),
        grade=GradeSpec(look="sunset", strength=0.7, scene_light=0.35),
        faces=FaceSpec(breathing=0.8, sway=0.6),
    ),
    "storm": Recipe(
        clouds=CloudSpec(speed_frac_per_s=0.03, turbulence=0.7, perspective=0.5),
        water=WaterSpec(amplitude_frac=0.005, wavelength_frac=0.045, cycles_per_loop=3, shimmer=0.4),
        grade=GradeSpec(look="storm", strength=0.7, scene_light=0.4),
        faces=FaceSpec(breathing=1.0, sway=0.8),
    ),
    "dreamy": Recipe(
        clouds=CloudSpec(speed_frac_per_s=0.004, turbulence=0.2),
        water=WaterSpec(amplitude_frac=0.0015, wavelength_frac=0.04, cycles_per_loop=1,
                        shimmer=0.5, sparkle=0.35),
        grade=GradeSpec(look="dreamy", strength=0.6, scene_light=0.25),
        faces=FaceSpec(breathing=0.6, sway=0.4),
        camera=CameraSpec(mode="push-in", amount_frac=0.015),
    ),
}
"""Every preset by name (frozen Recipes; use ``with_overrides`` to change one)."""


def get_preset(name: str) -> Recipe:
    """The preset called ``name`` (case-insensitive; ``golden hour`` and ``golden_hour`` work).

    Raises RecipeError listing the known names for anything else.
    """
    key = str(name).strip().lower().replace("_", "-").replace(" ", "-")
    if key not in PRESETS:
        raise RecipeError(f"unknown preset {name!r}; choose one of: {', '.join(PRESETS)}")
    return PRESETS[key]
