"""The command line: one-line errors, distinct exit codes, nothing left behind."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from cinemagraph.errors import InputError, OutputError, RecipeError

SRC = str(Path(__file__).resolve().parents[1] / "src")


def run_cli(*args, cwd=None):
    env = dict(os.environ, PYTHONPATH=SRC + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-m", "cinemagraph", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=300)


def _one_line_error(proc):
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("cinemagraph: error:"), proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.fixture
def photo(tmp_path, sea):
    p = tmp_path / "sea.png"
    Image.fromarray(sea.image).save(p)
    return p


def test_version_and_help():
    from cinemagraph import __version__

    r = run_cli("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"cinemagraph {__version__}"
    r = run_cli("render", "--help")
    assert r.returncode == 0 and "--duration" in r.stdout and "--size" in r.stdout


@pytest.mark.parametrize("case,code", [
    ("missing", InputError.exit_code), ("dir", InputError.exit_code), ("empty", InputError.exit_code),
    ("text", InputError.exit_code), ("truncated", InputError.exit_code), ("huge", InputError.exit_code),
])
def test_bad_photos(tmp_path, case, code):
    from test_photo import _png_header_only

    p = tmp_path / "in.jpg"
    if case == "dir":
        p = tmp_path / "adir"
        p.mkdir()
    elif case == "empty":
        p.write_bytes(b"")
    elif case == "text":
        p.write_text("just text")
    elif case == "truncated":
        Image.fromarray(np.random.default_rng(0).integers(0, 255, (300, 300, 3), dtype=np.uint8)).save(p)
        p.write_bytes(p.read_bytes()[:2000])
    elif case == "huge":
        p = tmp_path / "in.png"
        _png_header_only(p, 60000, 60000)
    out = tmp_path / "out.mp4"
    r = run_cli("render", p, "-o", out, "--size", 128, "--duration", 1)
    assert r.returncode == code
    _one_line_error(r)
    assert not out.exists()
    assert not [f for f in os.listdir(tmp_path) if f.startswith(".cinemagraph-")]


@pytest.mark.parametrize("args,code", [
    (["--fps", "abc"], 2), (["--fps", "0"], RecipeError.exit_code), (["--size", "5"], RecipeError.exit_code),
    (["--duration", "-3"], RecipeError.exit_code), (["--loudness", "loud"], RecipeError.exit_code),
    (["--bogus"], 2),
])
def test_bad_options(photo, tmp_path, args, code):
    out = tmp_path / "out.mp4"
    r = run_cli("render", photo, "-o", out, *args)
    assert r.returncode == code
    _one_line_error(r)
    assert not out.exists()


def test_bad_output_paths(photo, tmp_path):
    r = run_cli("render", photo, "-o", tmp_path / "nodir" / "x.mp4")
    assert r.returncode == OutputError.exit_code
    _one_line_error(r)
    r = run_cli("render", photo, "-o", tmp_path / "x.gifv")
    assert r.returncode == RecipeError.exit_code
    _one_line_error(r)
    if os.geteuid() == 0 and os.path.isdir("/proc"):
        r = run_cli("render", photo, "-o", "/proc/x.mp4", "--size", 128, "--duration", 1, "--sound", "none")
        assert r.returncode == OutputError.exit_code
        _one_line_error(r)


def test_bad_recipe_file(photo, tmp_path):
    rec = tmp_path / "r.toml"
    rec.write_text("duration_s = 'long'\n")
    r = run_cli("render", photo, "-o", tmp_path / "x.mp4", "--recipe", rec)
    assert r.returncode == RecipeError.exit_code
    _one_line_error(r)


@pytest.mark.slow
def test_render_json_summary(photo, tmp_path):
    out = tmp_path / "x.mp4"
    r = run_cli("render", photo, "-o", out, "--size", 160, "--duration", 1, "--fps", 12, "--seed", 3,
                "--sound", "none", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["frames"] == 12 and data["width"] == 160 and data["height"] == 90
    assert data["seed"] == 3 and len(data["recipe_digest"]) == 64
    assert out.stat().st_size > 0
    assert sorted(os.listdir(tmp_path)) == ["sea.png", "x.mp4"]


@pytest.mark.slow
def test_terminate_leaves_nothing_behind(photo, tmp_path):
    import signal
    import time

    out_dir = tmp_path / "out"
    out_dir.mkdir()
    env = dict(os.environ, PYTHONPATH=SRC + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen([sys.executable, "-m", "cinemagraph", "render", str(photo), "-o",
                             str(out_dir / "x.mp4"), "--size", "320", "--duration", "60", "--fps", "60",
                             "--sound", "none", "-q"], env=env, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while time.time() < deadline and not any(out_dir.iterdir()) and proc.poll() is None:
        time.sleep(0.05)
    if proc.poll() is not None:
        pytest.fail(f"render finished (code {proc.returncode}) before it could be stopped: "
                    f"{proc.stderr.read().strip()}")
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143
    assert err.strip() == "cinemagraph: terminated"
    assert list(out_dir.iterdir()) == []
