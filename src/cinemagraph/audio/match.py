"""Match sounds to a scene: score catalogue tags from the scene summary, pick a bed and a layer.

How it works
------------
1. :func:`scene_tag_weights` turns a :class:`~cinemagraph.analysis.scene.SceneSummary` (and the
   mean motion energy) into a weight in [0, 1] for every tag of the vocabulary
   (:data:`TAG_IMPORTANCE`): ``water`` from the water fraction, ``waves`` / ``still`` /
   ``flowing`` from the water type, ``night`` / ``day`` from the night flag and brightness,
   ``city`` from sky without water in a dull, cool light, ``indoor`` / ``people`` from the
   indoor flag and faces, ``rough`` / ``calm`` from the motion energy, and so on. When the
   analysis gives a scene kind, these weights are blended with the kind's own tag weights
   (:data:`KIND_TAGS`) by the kind's confidence.
2. A sound scores ``sum(importance * weight) / sqrt(sum(importance))`` over its known tags:
   sounds whose specific tags (water, night, indoor...) are present in the scene win, and a
   tag the scene lacks costs less than it would in a plain mean. Unknown tags are ignored.
3. The bed is the best-scoring sound; sounds within 5 % of the best are near-ties and the
   seed picks among them. The layer is the best sound of *another family* scoring at least
   half the bed's score (near-ties again by seed); otherwise there is no layer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..analysis.scene import SceneSummary
from .library import Sound

TAG_IMPORTANCE: dict[str, float] = {
    "water": 3.0, "sea": 1.5, "waves": 2.0, "shore": 1.0, "still": 2.0, "lake": 1.0,
    "flowing": 2.0, "river": 1.0, "waterfall": 1.0,
    "sky": 1.0, "open": 1.0, "wind": 1.5, "rough": 1.0, "calm": 1.0, "storm": 1.0,
    "rain": 1.5, "overcast": 1.0,
    "day": 1.0, "birds": 1.0, "nature": 0.5, "warm": 0.5,
    "night": 3.0, "insects": 1.0,
    "city": 2.0, "traffic": 1.0, "urban": 1.0,
    "indoor": 3.0, "room": 1.0, "people": 1.0, "murmur": 0.5,
    "outdoor": 0.3,
}
"""The tag vocabulary and how much each tag counts when it matches."""

NEAR_TIE = 0.05
"""Sounds within this fraction of the best score are near-ties; the seed picks among them."""
LAYER_MIN_RATIO = 0.5
"""A layer must score at least this fraction of the bed's score."""


@dataclass(frozen=True)
class Match:
    """Result of matching: the bed, the optional layer and every sound's score."""

    bed: Sound
    layer: Sound | None
    scores: dict[str, float]
    """Score per sound name (higher = better match)."""
    layer_gain_db: float = -9.0
    """Loudness of the layer relative to the bed, in dB."""


KIND_TAGS: dict[str, dict[str, float]] = {
    "sea": {"water": 1.0, "sea": 1.0, "waves": 1.0, "shore": 1.0, "sky": 0.5, "open": 0.3, "day": 0.6, "outdoor": 1.0},
    "lake": {"water": 1.0, "still": 1.0, "lake": 1.0, "calm": 1.0, "day": 0.6, "nature": 0.6, "outdoor": 1.0},
    "river": {"water": 1.0, "flowing": 1.0, "river": 1.0, "waterfall": 0.6, "nature": 0.8, "day": 0.6, "outdoor": 1.0},
    "open": {"sky": 1.0, "open": 1.0, "wind": 1.0, "day": 1.0, "nature": 0.6, "outdoor": 1.0},
    "forest": {"birds": 1.0, "nature": 1.0, "day": 1.0, "warm": 0.6, "calm": 0.6, "outdoor": 1.0},
    "city": {"city": 1.0, "traffic": 1.0, "urban": 1.0, "sky": 0.4, "outdoor": 1.0},
    "night": {"night": 1.0, "insects": 1.0, "nature": 0.6, "warm": 0.5, "outdoor": 1.0},
    "indoor": {"indoor": 1.0, "room": 1.0, "people": 0.7, "murmur": 1.0},
}
"""Tag weights of a scene of each kind (:data:`cinemagraph.analysis.segment.KINDS`): the
analysis's learned scene kind, blended in by its confidence, decides the sound family."""


def _clip(v: float) -> float:
    return float(min(1.0, max(0.0, v)))


def scene_tag_weights(summary: SceneSummary, *, motion_energy: np.ndarray | None = None) -> dict[str, float]:
    """Weight in [0, 1] of every vocabulary tag for this scene.

    >>> from cinemagraph.analysis.scene import SceneSummary
    >>> w = scene_tag_weights(SceneSummary(water_fraction=0.35, water_type="waves", sky_fraction=0.4))
    >>> w["water"], w["waves"], w["night"]
    (1.0, 1.0, 0.0)
    """
    s = summary
    m = 0.4 if motion_energy is None or np.size(motion_energy) == 0 else _clip(float(np.mean(motion_energy)))
    outdoor = 0.0 if s.indoor else 1.0
    water = _clip(s.water_fraction / 0.2)
    night = 1.0 if s.night else _clip((0.25 - s.brightness) / 0.15)
    day = outdoor * (1.0 - night)
    sky = outdoor * _clip(s.sky_fraction / 0.3)
    rough = _clip((m - 0.45) / 0.35)
    calm = 1.0 - rough
    grey_sky = day * sky * float(getattr(s, "overcast", False))  # the analysis saw a dull, cloud-covered sky
    city = outdoor * (1.0 - water) * _clip(s.sky_fraction / 0.15) * _clip((0.6 - s.brightness) / 0.2) \
        * (1.0 - _clip(2.0 * s.warmth)) * (1.0 - _clip(s.face_fraction / 0.1)) * (1.0 - 0.7 * grey_sky)
    overcast = max(day * _clip((0.5 - s.brightness) / 0.25) * (1.0 - _clip(2.0 * s.warmth)), grey_sky)
    nature = outdoor * (1.0 - city)
    people = _clip(s.face_count) if s.face_fraction <= 0 else max(_clip(s.face_count), _clip(s.face_fraction / 0.05))
    w = {
        "water": water,
        "sea": water * (s.water_type == "waves"),
        "waves": water * (s.water_type == "waves"),
        "shore": water * (s.water_type == "waves") * calm,
        "still": water * (s.water_type == "still"),
        "lake": water * (s.water_type == "still"),
        "flowing": water * (s.water_type == "flowing"),
        "river": water * (s.water_type == "flowing"),
        "waterfall": water * (s.water_type == "flowing"),
        "sky": sky,
        "open": sky,
        "wind": sky * (0.6 + 0.4 * m),
        "rough": outdoor * rough,
        "calm": calm,
        "storm": outdoor * max(rough * overcast, 0.5 * overcast),
        "rain": overcast * sky * 0.8,
        "overcast": overcast,
        "day": day,
        "birds": day * nature,
        "nature": nature,
        "warm": outdoor * _clip(0.5 + s.warmth),
        "night": outdoor * night,
        "insects": outdoor * night * nature,
        "city": city,
        "traffic": city,
        "urban": city,
        "indoor": 1.0 - outdoor,
        "room": 1.0 - outdoor,
        "people": people,
        "murmur": max(1.0 - outdoor, 0.5 * people),
        "outdoor": outdoor,
    }
    if s.kind in KIND_TAGS:
        c = _clip(s.kind_confidence)
        template = KIND_TAGS[s.kind]
        w = {k: (1.0 - c) * v + c * template.get(k, 0.0) for k, v in w.items()}
    return {k: float(v) for k, v in w.items()}


def score_sound(sound: Sound, weights: dict[str, float]) -> float:
    """Score of one sound: importance-weighted tag matches over sqrt(total importance)."""
    known = [t for t in dict.fromkeys(sound.tags) if t in TAG_IMPORTANCE]
    if not known:
        return 0.0
    total = sum(TAG_IMPORTANCE[t] for t in known)
    return sum(TAG_IMPORTANCE[t] * weights.get(t, 0.0) for t in known) / math.sqrt(total)


def _pick(cands: list[tuple[Sound, float]], rng: np.random.Generator) -> Sound:
    best = cands[0][1]
    near = [(s, v) for s, v in cands if v >= best * (1.0 - NEAR_TIE) - 1e-12]
    if len(near) == 1:
        return near[0][0]
    p = np.array([max(v, 1e-9) for _, v in near])
    return near[int(rng.choice(len(near), p=p / p.sum()))][0]


def match_sounds(summary: SceneSummary, sounds: Sequence[Sound], *, seed: int,
                 motion_energy: np.ndarray | None = None, allow_layer: bool = True) -> Match:
    """Pick a bed (and at most one layer of another family) for a scene.

    Deterministic: the same summary, sounds, seed and motion give the same answer.

    Parameters
    ----------
    summary : SceneSummary
    sounds : sequence of Sound
        Candidates (a catalogue's sounds). Must not be empty.
    seed : int
        Chooses among near-ties.
    motion_energy : ndarray, shape (n_frames,), optional
        Periodic motion energy in [0, 1]; its mean favours rough (high) or calm (low) sounds.
    allow_layer : bool

    Returns
    -------
    Match
    """
    if not sounds:
        from ..errors import AudioError

        raise AudioError("no sounds to choose from")
    weights = scene_tag_weights(summary, motion_energy=motion_energy)
    scored = sorted(((s, score_sound(s, weights)) for s in sounds), key=lambda sv: (-sv[1], sv[0].name))
    rng = np.random.default_rng([int(seed), 0x50D])
    bed = _pick(scored, rng)
    bed_score = dict((s.name, v) for s, v in scored)[bed.name]
    layer = None
    gain_db = -9.0
    if allow_layer and bed_score > 0:
        others = [(s, v) for s, v in scored if s.family != bed.family and v >= LAYER_MIN_RATIO * bed_score and v > 0]
        if others:
            layer = _pick(others, rng)
            ratio = dict((s.name, v) for s, v in others)[layer.name] / bed_score
            gain_db = -12.0 + 5.0 * min(1.0, ratio)
    return Match(bed=bed, layer=layer, scores={s.name: round(v, 4) for s, v in scored}, layer_gain_db=gain_db)
