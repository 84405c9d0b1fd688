"""Ambient sound: a bundled library, scene matching and loop-locked mixing.

The pipeline calls :func:`make_soundtrack`; it returns a :class:`Soundtrack` whose samples
have exactly the video's length and loop with it, normalised to the loudness profile.

>>> from cinemagraph.analysis.scene import SceneSummary
>>> from cinemagraph.recipe import AudioSpec
>>> room = SceneSummary(indoor=True, face_count=1, face_fraction=0.2)
>>> make_soundtrack(room, AudioSpec(sound="auto"), duration_s=2.0, seed=0).bed
'room_tone'
>>> make_soundtrack(room, AudioSpec(sound="none"), duration_s=2.0, seed=0) is None
True
"""

from .library import Catalogue, Sound, library_dir, load_catalogue, load_library, read_sound
from .match import Match, match_sounds, scene_tag_weights
from .mix import Soundtrack, integrated_loudness, make_soundtrack, seam_step_ratio, true_peak_dbtp

__all__ = [
    "Catalogue",
    "Match",
    "Sound",
    "Soundtrack",
    "integrated_loudness",
    "library_dir",
    "load_catalogue",
    "load_library",
    "make_soundtrack",
    "match_sounds",
    "read_sound",
    "scene_tag_weights",
    "seam_step_ratio",
    "true_peak_dbtp",
]
