"""analyze() files and the analyze command (through a tiny Typer app)."""

import importlib.util
import json
from pathlib import Path

import cv2
import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from cinemagraph import testing
from cinemagraph.pipeline import analyze as write_analysis
from cinemagraph.errors import InputError

ROOT = Path(__file__).resolve().parents[1]


def _analyze_command():
    # load the command module on its own so these tests do not need the whole CLI package
    spec = importlib.util.spec_from_file_location("_analyze_cmd", ROOT / "src/cinemagraph/cli/analyze.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    app = typer.Typer()
    app.command("analyze")(mod.analyze)
    app.command("noop")(lambda: None)
    return app


@pytest.fixture()
def sea_photo(tmp_path):
    s = testing.seascape(width=640, height=360, seed=1)
    p = tmp_path / "sea.png"
    cv2.imwrite(str(p), cv2.cvtColor(s.image, cv2.COLOR_RGB2BGR))
    return p, s


def test_write_analysis_outputs(tmp_path, sea_photo):
    photo, s = sea_photo
    out = tmp_path / "out"
    doc = write_analysis(photo, out, size_px=320)
    for name in ("sky.png", "water.png", "faces.json", "scene.json", "overlay.png"):
        assert (out / name).is_file()
    sky = cv2.imread(str(out / "sky.png"), cv2.IMREAD_UNCHANGED)
    assert sky.shape == (360, 640) and sky.dtype == np.uint8
    inter = ((sky > 127) & (s.sky > 0.5)).sum() / ((sky > 127) | (s.sky > 0.5)).sum()
    assert inter > 0.9
    assert json.loads((out / "scene.json").read_text()) == doc
    assert json.loads((out / "faces.json").read_text()) == []
    assert doc["water_type"] in ("still", "waves", "flowing") and doc["size"] == [640, 360]
    assert cv2.imread(str(out / "overlay.png")).shape == (360, 640, 3)
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_user_sky_mask_any_size(tmp_path, sea_photo):
    photo, _ = sea_photo
    m = np.zeros((90, 160), np.uint8)
    m[:30] = 255
    cv2.imwrite(str(tmp_path / "sky_mask.png"), m)
    doc = write_analysis(photo, tmp_path / "o", sky_mask=tmp_path / "sky_mask.png")
    sky = cv2.imread(str(tmp_path / "o" / "sky.png"), cv2.IMREAD_GRAYSCALE)
    assert doc["masks"]["sky"] == "user"
    assert sky[:110].min() > 250 and sky[130:].max() < 5


def test_bad_mask_is_input_error(tmp_path, sea_photo):
    photo, _ = sea_photo
    with pytest.raises(InputError):
        write_analysis(photo, tmp_path / "o", water_mask=tmp_path / "missing.png")


def test_cli_summary_and_json(tmp_path, sea_photo):
    photo, _ = sea_photo
    app = _analyze_command()
    r = CliRunner().invoke(app, ["analyze", str(photo), "-o", str(tmp_path / "a")])
    assert r.exit_code == 0, r.output
    assert "sky" in r.output and "water" in r.output and (tmp_path / "a" / "overlay.png").is_file()
    r = CliRunner().invoke(app, ["analyze", str(photo), "-o", str(tmp_path / "b"), "--json"])
    assert r.exit_code == 0
    assert json.loads(r.output)["sky_fraction"] > 0.2


def test_cli_lets_input_errors_propagate(tmp_path):
    app = _analyze_command()
    r = CliRunner().invoke(app, ["analyze", str(tmp_path / "nope.jpg"), "-o", str(tmp_path / "o")])
    assert r.exit_code != 0 and isinstance(r.exception, InputError)


def test_analyze_uses_the_render_working_size_and_reports_the_scene_kind(tmp_path, sea_photo):
    from cinemagraph.analysis.segment import KINDS

    photo, _ = sea_photo
    doc = write_analysis(photo, tmp_path / "k", size_px=320)
    assert doc["working_size"] == [320, 180]
    assert doc["kind"] in KINDS and 0.0 < doc["kind_confidence"] <= 1.0
    from cinemagraph.pipeline import load_input
    from cinemagraph.recipe import Recipe

    doc_default = write_analysis(photo, tmp_path / "d")
    assert doc_default["working_size"] == list(load_input(photo, Recipe().size_px).size)
