"""The bundled library: formats, lengths, size, manifest facts, loopability, reproducibility."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from cinemagraph.audio import integrated_loudness, load_library, seam_step_ratio
from cinemagraph.audio.synth import BEDS, LICENCE, synthesize

REQUIRED = {"ocean_surf", "small_waves", "lake_lapping", "stream", "waterfall", "wind_light", "wind_strong",
            "light_rain", "birdsong", "night_insects", "city_hum", "room_tone"}


@pytest.fixture(scope="module")
def library():
    return load_library()


def test_library_has_every_bed(library):
    assert REQUIRED <= set(library.names)
    assert set(library.names) == set(BEDS)


def test_files_are_48k_stereo_vorbis_20_to_30_s(library):
    total = 0
    for s in library.sounds:
        info = sf.info(str(s.path))
        assert (info.format, info.subtype, info.samplerate, info.channels) == ("OGG", "VORBIS", 48000, 2), s.name
        assert 20.0 <= info.frames / info.samplerate <= 30.0, s.name
        assert s.loop and s.licence == LICENCE and s.generator.startswith("cinemagraph.audio.synth:")
        total += s.path.stat().st_size
    assert total <= 12 * 1024 * 1024


def test_manifest_loudness_is_measured_and_files_loop(library):
    for s in library.sounds:
        x, sr = sf.read(str(s.path), dtype="float32")
        assert integrated_loudness(x, sr) == pytest.approx(s.loudness_lufs, abs=0.05), s.name
        # the wrap is an ordinary step; a click would be many times the 99th percentile
        assert seam_step_ratio(x) < 2.0, s.name


@pytest.mark.parametrize("name", sorted(BEDS))
def test_synthesis_is_deterministic_and_circular(name):
    a = synthesize(name, duration_s=2.0, sample_rate=16000, loudness_lufs=None)
    b = synthesize(name, duration_s=2.0, sample_rate=16000, loudness_lufs=None)
    c = synthesize(name, duration_s=2.0, sample_rate=16000, loudness_lufs=None, seed=BEDS[name].seed + 1)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    steps = np.abs(np.diff(a.astype(np.float64), axis=0)).max(axis=1)
    assert np.abs(a[0] - a[-1]).max() <= np.percentile(steps, 99.9)


def _band_db(x, sr):
    spec = np.abs(np.fft.rfft(x.mean(axis=1))) ** 2
    f = np.fft.rfftfreq(x.shape[0], 1 / sr)
    edges = [50, 100, 200, 400, 800, 1600, 3200, 6400, 12800]
    return np.array([10 * np.log10(spec[(f >= lo) & (f < hi)].sum()) for lo, hi in zip(edges, edges[1:])])


def test_regenerated_bed_matches_the_file(library):
    s = library.get("night_insects")
    x = synthesize("night_insects")
    y, sr = sf.read(str(s.path), dtype="float32")
    assert x.shape == y.shape
    # Vorbis is lossy: compare octave-band levels and the 100 ms envelope, not the bytes
    loud = _band_db(x, sr) > _band_db(x, sr).max() - 40
    np.testing.assert_allclose(_band_db(x, sr)[loud], _band_db(y, sr)[loud], atol=1.0)
    env = lambda a: np.sqrt((a[: a.shape[0] // 4800 * 4800].reshape(-1, 4800, 2) ** 2).mean(axis=(1, 2)))  # noqa: E731
    assert np.corrcoef(env(x), env(y))[0, 1] > 0.98
