"""Presets are valid recipes; prompts parse examples exactly and report unknown words."""

import pytest

from cinemagraph.errors import RecipeError
from cinemagraph.presets import PRESETS, get_preset
from cinemagraph.prompt import MAX_PROMPT_CHARS, parse_prompt
from cinemagraph.recipe import Recipe

NAMES = ("calm", "breezy", "golden-hour", "sunset", "storm", "dreamy")


def test_every_named_preset_exists_and_round_trips():
    assert set(PRESETS) == set(NAMES)
    for name in NAMES:
        r = get_preset(name)
        assert isinstance(r, Recipe)
        assert Recipe.from_dict(r.to_dict()) == r
    assert get_preset("Golden Hour") is PRESETS["golden-hour"]
    assert get_preset("golden_hour").grade.look == "golden-hour"


def test_presets_differ_where_they_should():
    assert get_preset("calm").grade.look == "none" and get_preset("calm").camera.mode == "none"
    assert get_preset("storm").clouds.speed_frac_per_s > get_preset("calm").clouds.speed_frac_per_s
    assert get_preset("sunset").grade.look == "sunset"
    assert get_preset("dreamy").camera.mode == "push-in"
    assert len({get_preset(n).digest() for n in NAMES}) == len(NAMES)


def test_unknown_preset_lists_the_names():
    with pytest.raises(RecipeError) as exc:
        get_preset("noir")
    for name in NAMES:
        assert name in str(exc.value)


def test_issue_example_parses_exactly():
    p = parse_prompt("sunset, clouds drift left slowly, gentle waves")
    r, d = p.recipe, Recipe()
    assert p.unknown == ()
    assert r.grade.look == "sunset"
    assert r.clouds.direction_deg == 180.0
    assert r.clouds.speed_frac_per_s == pytest.approx(d.clouds.speed_frac_per_s * 0.5)
    assert r.water.amplitude_frac == pytest.approx(0.004 * 0.6)
    assert r.water.flow_speed_frac_per_s == 0.0
    # everything not mentioned is the base recipe's
    assert (r.faces, r.camera, r.duration_s, r.seed) == (d.faces, d.camera, d.duration_s, d.seed)


@pytest.mark.parametrize("text, check", [
    ("storm, fast clouds, big waves, no blinking, 8 seconds",
     lambda r: (r.grade.look, r.clouds.speed_frac_per_s, r.water.amplitude_frac, r.faces.blink,
                r.duration_s) == ("storm", 0.016, 0.007, False, 8.0)),
    ("slowly drifting clouds to the right and a river flowing toward the viewer",
     lambda r: (r.clouds.direction_deg, r.clouds.speed_frac_per_s, r.water.flow_speed_frac_per_s,
                r.water.flow_direction_deg) == (0.0, 0.004, 0.02, 270.0)),
    ("golden hour with sparkling water, faces still, push in",
     lambda r: (r.grade.look, r.water.sparkle, r.faces.enabled, r.camera.mode)
     == ("golden-hour", 0.5, False, "push-in")),
    ("very fast clouds going up, seed 12, 24 fps",
     lambda r: (r.clouds.speed_frac_per_s, r.clouds.direction_deg, r.seed, r.fps) == (0.032, 90.0, 12, 24)),
    ("blue hour; waterfall; people breathing gently; camera drift",
     lambda r: (r.grade.look, r.water.flow_speed_frac_per_s, r.faces.breathing, r.camera.mode)
     == ("blue-hour", 0.04, 0.6, "drift")),
    ("no clouds, ripples", lambda r: (r.clouds.enabled, r.water.amplitude_frac) == (False, 0.002)),
    ("clouds off", lambda r: r.clouds.enabled is False),
    ("calm", lambda r: r.grade.look == "none" and r.clouds.speed_frac_per_s < Recipe().clouds.speed_frac_per_s),
    ("Golden-Hour, Clouds Drift LEFT", lambda r: (r.grade.look, r.clouds.direction_deg) == ("golden-hour", 180.0)),
    ("", lambda r: r == Recipe()),
])
def test_examples(text, check):
    p = parse_prompt(text)
    assert p.unknown == ()
    assert check(p.recipe)


def test_unknown_words_are_reported_in_order_once():
    p = parse_prompt("make the clouds dance wibbly, dance again!")
    assert p.unknown == ("dance", "wibbly", "again")
    assert p.recipe.clouds == Recipe().clouds


def test_prompt_builds_on_the_base_recipe():
    base = get_preset("storm").with_overrides(seed=9)
    r = parse_prompt("slowly", base=base).recipe
    assert r.seed == 9 and r.grade.look == "storm"
    assert r.clouds.speed_frac_per_s == pytest.approx(base.clouds.speed_frac_per_s * 0.5)


def test_values_stay_in_range_and_bad_numbers_are_refused():
    r = parse_prompt("very very very fast clouds, extremely rough water").recipe
    assert r.clouds.speed_frac_per_s <= 0.1 and r.water.amplitude_frac <= 0.02
    with pytest.raises(RecipeError):
        parse_prompt("90 seconds")
    assert parse_prompt("6 parsecs").unknown == ("6", "parsecs")


def test_overlong_prompt_refused():
    parse_prompt("clouds " * (MAX_PROMPT_CHARS // 7))
    with pytest.raises(RecipeError, match="limit"):
        parse_prompt("x" * (MAX_PROMPT_CHARS + 1))
    with pytest.raises(RecipeError):
        parse_prompt(None)  # type: ignore[arg-type]


def test_deterministic():
    text = "sunset, clouds drift left slowly, gentle waves, sparkle, breathing"
    assert parse_prompt(text) == parse_prompt(text)
    assert parse_prompt(text).recipe.digest() == parse_prompt(text).recipe.digest()


def test_cli_recipe_uses_preset_and_prompt():
    from cinemagraph.cli.render import build_cli_recipe

    r = build_cli_recipe(None, "storm", "clouds drift left", duration_s=4.0)
    assert (r.grade.look, r.clouds.direction_deg, r.duration_s) == ("storm", 180.0, 4.0)


def test_library_recipe_precedence(tmp_path):
    """defaults < preset < recipe file < prompt < options, the same in the library and the CLI."""
    import warnings

    from cinemagraph import build_recipe
    from cinemagraph.pipeline import PromptWarning
    from cinemagraph.recipe import Recipe

    assert build_recipe() == Recipe()
    assert build_recipe(preset="storm").grade.look == "storm"
    f = tmp_path / "r.json"
    Recipe().with_overrides(duration_s=5.0, grade__look="sunset").save(f)
    # a recipe file is a whole recipe: it replaces the preset
    assert build_recipe(f, preset="storm").grade.look == "sunset"
    r = build_recipe(f, preset="storm", prompt="golden hour, 8 seconds", duration_s=3.0)
    assert (r.grade.look, r.duration_s) == ("golden-hour", 3.0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        build_recipe(prompt="clouds drift left, frobnicate")
    assert [str(w.message) for w in caught if w.category is PromptWarning] == [
        "prompt word not understood, ignored: 'frobnicate'"]


def test_recipe_fields_are_keyword_only():
    from cinemagraph.recipe import CloudSpec, Recipe

    with pytest.raises(TypeError):
        Recipe(4.0, 24, 512)  # type: ignore[misc]
    with pytest.raises(TypeError):
        CloudSpec(True, 0.0)  # type: ignore[misc]
