"""cinemagraph: turn a still photo into a seamlessly looping video, classically, on CPUs.

>>> import cinemagraph
>>> cinemagraph.__version__
'0.1.0'

Public API (imported lazily so ``import cinemagraph`` stays fast):

- :func:`render` -- photo to a looping video file.
- :func:`animate` -- photo to a :class:`Clip` (frames by index, ``to_moviepy()``).
- :func:`analyze` -- photo to masks, faces and scene summary files.
- :func:`build_recipe` -- the recipe of a preset, a recipe file, a prompt and options, with
  the CLI's precedence.
- :class:`Recipe` -- everything that decides the animation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__
from .errors import CinemagraphError
from .recipe import Recipe

if TYPE_CHECKING:  # pragma: no cover
    from .pipeline import Clip, RenderResult, analyze, animate, build_recipe, render

__all__ = ["__version__", "render", "animate", "analyze", "build_recipe", "Recipe", "Clip",
           "RenderResult", "CinemagraphError", "presets"]

_LAZY = {
    "render": ("pipeline", "render"),
    "animate": ("pipeline", "animate"),
    "Clip": ("pipeline", "Clip"),
    "RenderResult": ("pipeline", "RenderResult"),
    "analyze": ("pipeline", "analyze"),
    "build_recipe": ("pipeline", "build_recipe"),
    "presets": ("presets", None),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        mod_name, attr = _LAZY[name]
        mod = importlib.import_module(f".{mod_name}", __name__)
        value = mod if attr is None else getattr(mod, attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'cinemagraph' has no attribute {name!r}")
