"""`cinemagraph sfx list` and `cinemagraph sfx build`."""

from __future__ import annotations

import json

import pytest
import soundfile as sf
from typer.testing import CliRunner

from cinemagraph.cli.sfx import sfx_app

runner = CliRunner()


def test_list_table_and_json():
    res = runner.invoke(sfx_app, ["list"])
    assert res.exit_code == 0, res.output
    assert "ocean_surf" in res.output and "12 sounds" in res.output
    res = runner.invoke(sfx_app, ["list", "--json"])
    doc = json.loads(res.output)
    assert len(doc["sounds"]) == 12 and {"name", "tags", "loudness_lufs", "licence"} <= set(doc["sounds"][0])


def test_list_missing_folder_is_one_line_error(tmp_path):
    res = runner.invoke(sfx_app, ["list", "--dir", str(tmp_path)])
    assert res.exit_code == 6
    assert "manifest.toml" in res.output and "Traceback" not in res.output


@pytest.mark.slow
def test_build_one_bed(tmp_path):
    res = runner.invoke(sfx_app, ["build", "-o", str(tmp_path), "lake_lapping"])
    assert res.exit_code == 0, res.output
    info = sf.info(str(tmp_path / "lake_lapping.ogg"))
    assert (info.samplerate, info.channels, info.frames) == (48000, 2, 24 * 48000)
    assert 'name = "lake_lapping"' in (tmp_path / "manifest.toml").read_text()


def test_build_unknown_bed(tmp_path):
    res = runner.invoke(sfx_app, ["build", "-o", str(tmp_path), "didgeridoo"])
    assert res.exit_code == 6 and "didgeridoo" in res.output
