"""Motion prompts: a small, deterministic grammar from words to a Recipe.

A prompt is a list of clauses separated by commas, semicolons, full stops or "and"/"then".
Each clause may name a *subject* (clouds, water, faces, camera) and say what it does. Words the
grammar does not know are ignored and reported back in :attr:`ParsedPrompt.unknown`, in order,
so the caller can tell the user (and the safety review can see them). Nothing is guessed: the
same text and base recipe always give the same recipe.

=================  ==========================================================================
kind               words (hyphens count as spaces; plurals and -ing forms are accepted)
=================  ==========================================================================
look               sunset, golden hour, blue hour, dusk, twilight, storm, stormy, dreamy,
                   hazy, natural / no grade (look none); calm (look none, slow motion)
subject            clouds, sky, wind -> clouds; water, sea, ocean, lake, river, stream ->
                   water; faces, face, people, person, portrait -> faces; camera -> camera
direction          left, right, up, down, toward (the viewer), away
speed              slowly, slow, gently, gentle, softly, subtle (x0.5-0.6); fast, quickly,
                   briskly (x2); more (x1.5), less (x0.67); very / slightly strengthen or
                   soften the next speed word
water              waves, big waves, rough, choppy, ripples, calm water, flowing, flow,
                   waterfall, sparkle, glints, glitter, shimmer
faces              breathing, blink, blinking, sway
camera             push in, zoom (in), dolly in -> push-in; pan, camera drift -> drift
negation           no X, without X, still X / X still (turns X off)
numbers            "6 seconds" / "6 s" / "6 sec" (loop length), "24 fps", "seed 7"
=================  ==========================================================================

A speed word applies to the next subject or feature in its clause ("gentle waves", "slowly
drifting clouds"), else to the clause's subject ("clouds drift left slowly"), else to the last
subject named, else to the clouds. Directions apply to the clause's subject (clouds when none).

Examples
--------
>>> from cinemagraph.prompt import parse_prompt
>>> p = parse_prompt("sunset, clouds drift left slowly, gentle waves")
>>> p.recipe.grade.look, p.recipe.clouds.direction_deg, p.recipe.clouds.speed_frac_per_s
('sunset', 180.0, 0.004)
>>> p.unknown
()
>>> parse_prompt("clouds drift wibbly left").unknown
('wibbly',)
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any

from .errors import RecipeError
from .recipe import Recipe

MAX_PROMPT_CHARS = 500
"""Longest prompt accepted (characters)."""

_SEPARATORS = re.compile(r"[,;.!?:\n]+|\band\b|\bthen\b|\bwhile\b")
_TOKEN = re.compile(r"\d+(?:\.\d+)?|[a-z]+(?:'[a-z]+)?")

# phrase -> (kind, value); phrases have 1 to 3 words, matched longest first
_P: dict[str, tuple[str, Any]] = {}


def _add(kind: str, value: Any, *phrases: str) -> None:
    for p in phrases:
        _P[p] = (kind, value)


_add("look", "sunset", "sunset", "sunsets", "sundown")
_add("look", "golden-hour", "golden hour", "golden", "golden light", "golden hour light")
_add("look", "blue-hour", "blue hour", "dusk", "twilight", "blue hour light")
_add("look", "storm", "storm", "stormy", "storm light", "thunderstorm", "stormy sky")
_add("look", "dreamy", "dreamy", "dream", "dreamlike", "hazy")
_add("look", "none", "natural", "no grade", "no grading", "no colour", "no color", "true colour",
     "true color")
_add("calm", None, "calm", "peaceful", "tranquil", "serene", "quiet")
_add("subject", "clouds", "cloud", "clouds", "sky", "skies", "wind")
_add("subject", "water", "water", "sea", "ocean", "lake", "river", "stream", "pond")
_add("subject", "faces", "face", "faces", "people", "person", "portrait", "persons")
_add("subject", "camera", "camera", "view", "shot")
_add("verb", None, "drift", "drifts", "drifting", "move", "moves", "moving", "roll", "rolls",
     "rolling", "blow", "blows", "blowing", "float", "floats", "floating", "pass", "passing",
     "go", "goes", "going", "sail", "sails", "sailing", "race", "races", "racing", "travel",
     "travels", "travelling", "traveling", "glide", "glides", "gliding", "streams",
     "streaming", "run", "runs", "running", "slide", "slides", "sliding")
_add("flowverb", None, "flow", "flows", "flowing", "flowing water", "rushing", "rushes", "rush")
_add("dir", 180.0, "left", "leftward", "leftwards", "to the left", "west", "westward")
_add("dir", 0.0, "right", "rightward", "rightwards", "to the right", "east", "eastward")
_add("dir", 90.0, "up", "upward", "upwards", "away", "away from the viewer", "away from us",
     "away from camera", "north")
_add("dir", 270.0, "down", "downward", "downwards", "toward", "towards", "toward the viewer",
     "towards the viewer", "toward us", "towards us", "toward the camera", "towards the camera",
     "south")
_add("speed", 0.5, "slowly", "slow", "slower", "lazily", "lazy", "leisurely")
_add("speed", 0.6, "gently", "gentle", "softly", "soft", "subtle", "subtly", "light", "lightly",
     "faint", "mild", "small")
_add("speed", 2.0, "fast", "faster", "quickly", "quick", "rapidly", "rapid", "briskly", "brisk",
     "strong", "strongly", "wild", "wildly")
_add("speed", 1.5, "more", "lively", "livelier")
_add("speed", 1 / 1.5, "less")
_add("very", 2.0, "very", "really", "extra", "extremely", "super")
_add("very", 0.5, "slightly", "a bit", "a little", "little", "somewhat", "a touch")
_add("neg", None, "no", "without", "not", "don't", "dont", "never", "stop", "off")
_add("still", None, "still", "static", "frozen", "motionless", "steady")
_add("water", "waves", "wave", "waves", "swell")
_add("water", "big", "big waves", "rough", "rough water", "rough sea", "choppy", "choppy water",
     "large waves", "heavy waves", "heavy seas")
_add("water", "ripples", "ripple", "ripples", "rippling", "ripply")
_add("water", "calm", "calm water", "calm sea", "calm lake", "glassy", "glassy water",
     "smooth water")
_add("water", "waterfall", "waterfall", "waterfalls", "cascade", "cascading", "falls")
_add("water", "sparkle", "sparkle", "sparkles", "sparkling", "glint", "glints", "glinting",
     "glitter", "glittering", "glimmer", "glimmering", "twinkle", "twinkling")
_add("water", "shimmer", "shimmer", "shimmers", "shimmering", "reflections", "reflection")
_add("face", "breathing", "breathing", "breathe", "breathes", "breath", "breaths")
_add("face", "blink", "blink", "blinks", "blinking", "eyes blink")
_add("face", "sway", "sway", "sways", "swaying", "head sway")
_add("camera", "push-in", "push in", "pushing in", "pushes in", "zoom", "zoom in", "zooms in",
     "zooming", "zooming in", "dolly in", "slow zoom", "push")
_add("camera", "drift", "pan", "pans", "panning", "camera drift")
_add("unit_s", None, "s", "sec", "secs", "second", "seconds")
_add("unit_fps", None, "fps", "frames per second")
_add("seed", None, "seed")
_add("stop", None, "a", "an", "the", "of", "in", "on", "to", "at", "is", "are", "be", "it",
     "its", "with", "please", "make", "let", "lets", "let's", "have", "has", "some", "as",
     "across", "over", "through", "along", "by", "for", "from", "into", "onto", "just", "only",
     "very much", "motion", "movement", "animation", "animate", "animated", "effect", "look",
     "mood", "vibe", "scene", "photo", "picture", "image", "video", "loop", "looping", "long",
     "colour", "color", "colours", "colors", "tone", "time", "hour",
     "should", "can", "will", "their", "them", "they", "there", "this", "that", "slight",
     "bit", "also", "too", "all", "every", "each", "direction", "side", "sides", "motions")

_MAX_WORDS = max(len(p.split()) for p in _P)


@dataclass(frozen=True)
class ParsedPrompt:
    """The result of :func:`parse_prompt`.

    recipe : the base recipe with the prompt's changes.
    unknown : words not understood (ignored), in order of first appearance.
    understood : the phrases that changed something or were accepted, in order.
    """

    recipe: Recipe
    unknown: tuple[str, ...]
    understood: tuple[str, ...]


class _State:
    def __init__(self, base: Recipe) -> None:
        self.base = base
        self.sec: dict[str, dict[str, Any]] = {
            name: dataclasses.asdict(getattr(base, name))
            for name in ("clouds", "water", "grade", "faces", "camera")
        }
        self.sec["faces"]["disabled"] = tuple(base.faces.disabled)
        self.top: dict[str, Any] = {}

    # ---- section edits ---------------------------------------------------------------------
    def _clamp(self, sec: str, key: str, value: float, lo: float, hi: float) -> None:
        self.sec[sec][key] = float(min(max(value, lo), hi))

    def scale_subject(self, subject: str, f: float) -> None:
        c, w, fc, cam = self.sec["clouds"], self.sec["water"], self.sec["faces"], self.sec["camera"]
        if subject == "clouds":
            c["enabled"] = True
            self._clamp("clouds", "speed_frac_per_s", c["speed_frac_per_s"] * f, 0.0, 0.1)
        elif subject == "water":
            w["enabled"] = True
            if w["flow_speed_frac_per_s"] > 0:
                self._clamp("water", "flow_speed_frac_per_s", w["flow_speed_frac_per_s"] * f, 0.0, 0.2)
            else:
                self._clamp("water", "amplitude_frac", w["amplitude_frac"] * f, 0.0, 0.02)
                if f > 1:
                    w["cycles_per_loop"] = int(min(64, max(1, round(w["cycles_per_loop"] * f))))
        elif subject == "faces":
            fc["enabled"] = True
            self._clamp("faces", "breathing", fc["breathing"] * f, 0.0, 1.0)
            self._clamp("faces", "sway", fc["sway"] * f, 0.0, 1.0)
        elif subject == "camera":
            if cam["mode"] == "none":
                cam["mode"] = "push-in"
            self._clamp("camera", "amount_frac", cam["amount_frac"] * f, 0.0, 0.1)

    def disable(self, subject: str) -> None:
        if subject == "camera":
            self.sec["camera"]["mode"] = "none"
        else:
            self.sec[subject]["enabled"] = False

    def direction(self, subject: str, deg: float) -> None:
        if subject == "water":
            self.sec["water"]["flow_direction_deg"] = deg
            self.sec["water"]["enabled"] = True
        elif subject == "camera":
            self.sec["camera"]["mode"] = "drift"
        else:
            self.sec["clouds"]["direction_deg"] = deg
            self.sec["clouds"]["enabled"] = True

    def flow(self, on: bool) -> None:
        w = self.sec["water"]
        if not on:
            w["flow_speed_frac_per_s"] = 0.0
            return
        w["enabled"] = True
        if w["flow_speed_frac_per_s"] <= 0:
            w["flow_speed_frac_per_s"] = 0.02

    def water_feature(self, name: str, f: float, negate: bool) -> None:
        w = self.sec["water"]
        if name == "sparkle":
            w["sparkle"] = 0.0 if negate else float(min(1.0, 0.5 * f))
            return
        if name == "shimmer":
            w["shimmer"] = 0.0 if negate else float(min(1.0, 0.8 * f))
            return
        if negate:
            if name == "waterfall":
                self.flow(False)
            else:
                w["enabled"] = False
            return
        w["enabled"] = True
        if name == "waterfall":
            w["flow_speed_frac_per_s"] = float(min(0.2, 0.04 * f))
            w["flow_direction_deg"] = 270.0
            return
        amp, lam, cyc = {"waves": (0.004, 0.04, 2), "big": (0.007, 0.05, 3),
                         "ripples": (0.002, 0.02, 2), "calm": (0.001, 0.03, 1)}[name]
        w["flow_speed_frac_per_s"] = 0.0
        self._clamp("water", "amplitude_frac", amp * f, 0.0, 0.02)
        w["wavelength_frac"] = lam
        w["cycles_per_loop"] = int(min(64, max(1, round(cyc * (f if f > 1 else 1)))))
        if name == "calm":
            w["shimmer"] = min(w["shimmer"], 0.3)

    def face_feature(self, name: str, f: float, negate: bool) -> None:
        fc = self.sec["faces"]
        if name == "blink":
            fc["blink"] = not negate
        else:
            fc[name] = 0.0 if negate else float(min(1.0, f))
        if not negate:
            fc["enabled"] = True

    def camera_feature(self, mode: str, f: float, negate: bool) -> None:
        cam = self.sec["camera"]
        if negate:
            cam["mode"] = "none"
            return
        cam["mode"] = mode
        self._clamp("camera", "amount_frac", cam["amount_frac"] * f, 0.0, 0.1)

    def calm(self) -> None:
        from .presets import PRESETS

        calm = PRESETS["calm"]
        self.sec["grade"]["look"] = "none"
        for name in ("clouds", "water"):
            enabled = self.sec[name]["enabled"]
            self.sec[name] = dataclasses.asdict(getattr(calm, name))
            self.sec[name]["enabled"] = enabled

    def build(self) -> Recipe:
        from .recipe import CameraSpec, CloudSpec, FaceSpec, GradeSpec, WaterSpec

        kinds = {"clouds": CloudSpec, "water": WaterSpec, "grade": GradeSpec, "faces": FaceSpec,
                 "camera": CameraSpec}
        parts = {name: kinds[name](**vals) for name, vals in self.sec.items()}
        return dataclasses.replace(self.base, **parts, **self.top)


def _words(clause: str) -> list[str]:
    return _TOKEN.findall(clause.replace("-", " ").replace("\u2019", "'"))


def _match(words: list[str], i: int) -> tuple[str | None, int]:
    for n in range(min(_MAX_WORDS, len(words) - i), 0, -1):
        phrase = " ".join(words[i:i + n])
        if phrase in _P:
            return phrase, n
    return None, 1


def _is_number(w: str) -> bool:
    return bool(re.fullmatch(r"\d+(?:\.\d+)?", w))


def parse_prompt(text: str, *, base: Recipe | None = None) -> ParsedPrompt:
    """Parse a motion prompt into a Recipe built on ``base`` (defaults when None).

    Raises RecipeError for prompts longer than ``MAX_PROMPT_CHARS`` characters, for non-text,
    and when a number asks for a value out of range (e.g. "90 seconds").

    >>> parse_prompt("storm, fast clouds, big waves, no blinking, 8 seconds").recipe.duration_s
    8.0
    """
    if not isinstance(text, str):
        raise RecipeError("the prompt must be text")
    if len(text) > MAX_PROMPT_CHARS:
        raise RecipeError(f"the prompt is {len(text)} characters long; the limit is {MAX_PROMPT_CHARS}")
    st = _State(base if base is not None else Recipe())
    unknown: list[str] = []
    understood: list[str] = []
    last_subject: str | None = None
    for clause in _SEPARATORS.split(text.lower()):
        words = _words(clause)
        subject: str | None = None
        pending: float | None = None  # a speed factor waiting for its subject or feature
        very = 1.0  # exponent applied to the next speed factor
        negate = False
        i = 0
        while i < len(words):
            phrase, n = _match(words, i)
            w = words[i]
            if phrase is None:
                if _is_number(w):
                    nxt, m = _match(words, i + 1)
                    kind = _P[nxt][0] if nxt else None
                    if kind in ("unit_s", "unit_fps"):
                        key = "duration_s" if kind == "unit_s" else "fps"
                        val = float(w) if key == "duration_s" else int(float(w))
                        st.top[key] = val
                        understood.append(f"{w} {nxt}")
                        i += 1 + m
                        continue
                if w not in unknown:
                    unknown.append(w)
                i += 1
                continue
            kind, value = _P[phrase]
            i += n
            if kind == "seed":
                if i < len(words) and _is_number(words[i]) and "." not in words[i]:
                    st.top["seed"] = int(words[i])
                    understood.append(f"seed {words[i]}")
                    i += 1
                else:
                    unknown.append(phrase)
                continue
            understood.append(phrase)
            if kind == "stop" or kind in ("unit_s", "unit_fps"):
                continue
            if kind == "look":
                st.sec["grade"]["look"] = "none" if negate else value
                negate = False
            elif kind == "calm":
                st.calm()
            elif kind == "subject":
                subject = last_subject = value
                if negate:
                    st.disable(value)
                    negate = False
                elif value != "camera":
                    st.sec[value]["enabled"] = True
                if pending is not None:
                    st.scale_subject(value, pending)
                    pending = None
            elif kind == "verb":
                pass
            elif kind == "flowverb":
                if subject in (None, "water"):
                    st.flow(not negate)
                    subject = last_subject = "water"
                    negate = False
            elif kind == "dir":
                st.direction(subject or "clouds", value)
            elif kind == "speed":
                pending = (pending or 1.0) * value ** very
                very = 1.0
            elif kind == "very":
                very *= value
            elif kind in ("neg", "still"):
                negate = True
            elif kind in ("water", "face", "camera"):
                f = pending if pending is not None else 1.0
                pending = None
                if kind == "water":
                    st.water_feature(value, f, negate)
                    subject = last_subject = "water"
                elif kind == "face":
                    st.face_feature(value, f, negate)
                    subject = last_subject = "faces"
                else:
                    st.camera_feature(value, f, negate)
                    subject = last_subject = "camera"
                negate = False
        target = subject or last_subject or "clouds"
        if pending is not None:
            st.scale_subject(target, pending)
        if negate and (subject or last_subject):
            st.disable(target)
    try:
        recipe = st.build()
    except TypeError as exc:  # pragma: no cover - the state only holds known fields
        raise RecipeError(f"prompt gives an invalid recipe: {exc}") from None
    return ParsedPrompt(recipe, tuple(unknown), tuple(understood))
