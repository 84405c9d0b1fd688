import json

import pytest

from cinemagraph.errors import RecipeError
from cinemagraph.recipe import CloudSpec, Recipe


def test_defaults_and_frames():
    r = Recipe()
    assert r.n_frames == 180 and r.size_px == 1080


def test_round_trip_json_and_toml(tmp_path):
    r = Recipe(duration_s=4.5, seed=9).with_overrides(clouds__direction_deg=180.0, grade__look="sunset",
                                                      faces__disabled=(1, 2))
    for name in ("r.json", "r.toml"):
        r.save(tmp_path / name)
        back = Recipe.load(tmp_path / name)
        assert back == r
        assert back.digest() == r.digest()


def test_digest_is_stable_and_sensitive():
    a, b = Recipe(), Recipe()
    assert a.digest() == b.digest()
    assert a.digest() != a.with_overrides(seed=1).digest()
    assert len(a.digest()) == 64


@pytest.mark.parametrize("kwargs", [
    {"duration_s": 0}, {"duration_s": float("nan")}, {"fps": 0}, {"fps": 2.5}, {"size_px": 10},
    {"seed": -1}, {"crf": 99}, {"fps": True},
])
def test_invalid_top_level_values(kwargs):
    with pytest.raises(RecipeError):
        Recipe(**kwargs)


def test_invalid_nested_values_name_the_field():
    with pytest.raises(RecipeError, match="speed_frac_per_s"):
        CloudSpec(speed_frac_per_s=5.0)
    with pytest.raises(RecipeError, match="look"):
        Recipe().with_overrides(grade__look="neon")
    with pytest.raises(RecipeError, match="unknown"):
        Recipe().with_overrides(clouds__colour=1)


def test_load_errors(tmp_path):
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(RecipeError):
        Recipe.load(tmp_path / "bad.json")
    (tmp_path / "unk.json").write_text(json.dumps({"wobble": 1}))
    with pytest.raises(RecipeError, match="wobble"):
        Recipe.load(tmp_path / "unk.json")
    with pytest.raises(RecipeError):
        Recipe.load(tmp_path / "missing.toml")
