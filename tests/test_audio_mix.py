"""Loop-locked mixing: exact length, seamless seam, loudness profiles, true peak, envelopes."""

from __future__ import annotations

import math

import numpy as np
import pytest
import soundfile as sf
from scipy.signal import resample_poly

from cinemagraph.analysis.scene import SceneSummary
from cinemagraph.audio import Soundtrack, make_soundtrack
from cinemagraph.audio.mix import (
    cut_loop,
    equal_power_fades,
    integrated_loudness,
    make_loopable,
    motion_envelope,
    normalize_loudness,
    seam_step_ratio,
    true_peak_dbtp,
)
from cinemagraph.errors import AudioError
from cinemagraph.recipe import AudioSpec

SEA = SceneSummary(sky_fraction=0.4, water_fraction=0.35, water_type="waves", brightness=0.6)
NIGHT_LAKE = SceneSummary(sky_fraction=0.3, water_fraction=0.3, water_type="still", night=True, brightness=0.1)


def _loudness(x, sr=48000):
    import pyloudnorm

    return pyloudnorm.Meter(sr).integrated_loudness(np.asarray(x, dtype=np.float64))


def _plain_true_peak_db(x):
    """Independent check: 4x resample_poly of the clip as it is (no wrap-around)."""
    up = resample_poly(np.asarray(x, dtype=np.float64), 4, 1, axis=0)
    return 20 * math.log10(max(np.abs(up).max(), np.abs(x).max()))


def _seam_ok(x):
    x = np.asarray(x, dtype=np.float64)
    steps = np.abs(np.diff(x, axis=0)).max(axis=1)
    return np.abs(x[0] - x[-1]).max() <= np.percentile(steps, 99)


# ---- measurement known answers ---------------------------------------------------------------


def test_true_peak_finds_intersample_peak():
    sr = 48000
    t = np.arange(4800) / sr
    x = 0.5 * np.sin(2 * np.pi * (sr / 4) * t + np.pi / 4)  # samples sit at +-0.354, the wave peaks at 0.5
    x = np.stack([x, x], 1)
    assert 20 * math.log10(np.abs(x).max()) == pytest.approx(-9.03, abs=0.05)
    assert true_peak_dbtp(x) == pytest.approx(-6.02, abs=0.1)


def test_loudness_of_reference_tone():
    sr = 48000
    t = np.arange(3 * sr) / sr
    tone = 0.1 * np.sin(2 * np.pi * 1000 * t)
    # BS.1770: a 1 kHz tone at -20 dBFS in both channels reads about -20 LUFS
    assert integrated_loudness(np.stack([tone, tone], 1), sr) == pytest.approx(-20.0, abs=0.1)


def test_seam_step_ratio_detects_click():
    x = np.sin(np.linspace(0, 20 * np.pi, 4801))[:-1]
    loop = np.stack([x, x], 1)
    assert seam_step_ratio(loop) < 1.01  # the wrap is the steepest step of a sine, no more
    assert seam_step_ratio(loop[:-600]) > 5.0  # a cut in mid-swing clicks


# ---- loops -------------------------------------------------------------------------------------


def test_equal_power_fades():
    fin, fout = equal_power_fades(1000)
    assert fin[0] == 0.0 and fout[0] == 1.0
    np.testing.assert_allclose(fin ** 2 + fout ** 2, 1.0, atol=1e-12)


def test_cut_loop_wraps_like_source(rng):
    loop = rng.standard_normal((5000, 2))
    out = cut_loop(loop, 3333, start=1234, crossfade=500)
    assert out.shape == (3333, 2)
    # the last sample of the cut is followed by the first exactly as in the source
    np.testing.assert_array_equal(out[-1], loop[(1234 + 3332) % 5000])
    np.testing.assert_allclose(out[0], loop[(1234 + 3333) % 5000], atol=1e-12)
    # past the crossfade, the cut is the source
    np.testing.assert_array_equal(out[500:], loop[(1234 + np.arange(500, 3333)) % 5000])


def test_cut_loop_longer_than_source_tiles(rng):
    loop = rng.standard_normal((1000, 2))
    out = cut_loop(loop, 3000, start=10, crossfade=100)
    np.testing.assert_array_equal(out, loop[(10 + np.arange(3000)) % 1000])  # multiple: plain tiling


def test_make_loopable_crossfades_tail_into_head():
    sr = 1000
    t = np.arange(5000) / sr
    x = np.stack([np.sin(2 * np.pi * 3.05 * t)] * 2, 1)  # ends a quarter cycle off
    loop = make_loopable(x, sr, crossfade_s=0.5)
    assert loop.shape == (4500, 2)
    assert seam_step_ratio(loop) <= 1.0
    assert seam_step_ratio(x) > 5.0


def test_motion_envelope_follows_motion_and_wraps():
    sr = 8000
    energy = np.r_[np.ones(15), np.zeros(15)]
    g = motion_envelope(energy, 4 * sr, sr, depth_db=4.0)
    db = 20 * np.log10(g)
    assert db[: sr].mean() > 1.5 and db[2 * sr : 3 * sr].mean() < -1.5
    assert abs(db.mean()) < 1e-9
    assert abs(db[0] - db[-1]) < 0.01  # periodic: no step at the seam


# ---- normalisation ----------------------------------------------------------------------------


@pytest.mark.parametrize("target", [-23.0, -20.0, -14.0])
def test_normalize_peaky_signal(rng, target):
    sr = 48000
    x = 0.01 * rng.standard_normal((5 * sr, 2))
    x[rng.integers(0, 5 * sr, 300)] += rng.choice([-0.9, 0.9], (300, 2))  # clicks
    y = normalize_loudness(x, sr, target_lufs=target)
    assert abs(_loudness(y) - target) <= 0.5
    assert _plain_true_peak_db(y) <= -1.0


# ---- make_soundtrack -----------------------------------------------------------------------------


@pytest.mark.parametrize("duration_s, sr", [(6.0, 48000), (127 / 30, 48000), (2.5, 44100), (0.5, 48000)])
def test_duration_to_the_sample(duration_s, sr):
    st = make_soundtrack(SEA, AudioSpec(), duration_s=duration_s, seed=3, sample_rate=sr)
    assert st.samples.shape == (round(duration_s * sr), 2)
    assert st.samples.dtype == np.float32 and st.sample_rate == sr


@pytest.mark.parametrize("profile, lufs", [("ambient", -20.0), ("broadcast", -23.0), ("social", -14.0)])
@pytest.mark.parametrize("sound", ["auto", "light_rain", "lake_lapping"])
def test_loudness_profile_and_true_peak(profile, lufs, sound):
    st = make_soundtrack(SEA, AudioSpec(sound=sound, profile=profile), duration_s=4.0, seed=1)
    measured = _loudness(st.samples)
    assert abs(measured - lufs) <= 0.5
    assert abs(st.loudness_lufs - measured) < 1e-6
    assert _plain_true_peak_db(st.samples) <= -1.0
    assert st.true_peak_dbtp <= -1.0
    assert np.abs(st.samples).max() <= 1.0


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
@pytest.mark.parametrize("scene", [SEA, NIGHT_LAKE])
def test_seam_step_no_larger_than_p99(scene, seed):
    energy = 0.5 + 0.5 * np.sin(np.linspace(0, 4 * np.pi, 90, endpoint=False))
    st = make_soundtrack(scene, AudioSpec(), duration_s=3.0, seed=seed, motion_energy=energy)
    assert st.layer is not None  # the seam of a two-sound mix
    assert _seam_ok(st.samples)


@pytest.mark.parametrize("name, duration_s", [("ocean_surf", 1.0), ("stream", 7.3), ("birdsong", 3.1),
                                              ("room_tone", 24.0)])
def test_seam_of_named_sounds(name, duration_s):
    # room_tone lasts 24 s: a cut of exactly one period tiles the bed with no crossfade
    st = make_soundtrack(SEA, AudioSpec(sound=name), duration_s=duration_s, seed=5)
    assert _seam_ok(st.samples)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["ocean_surf", "waterfall", "light_rain", "night_insects"])
def test_seam_of_long_tracks(name):
    for duration in (26.0, 59.9):
        st = make_soundtrack(SEA, AudioSpec(sound=name), duration_s=duration, seed=5)
        assert _seam_ok(st.samples), duration


def test_determinism():
    a = make_soundtrack(NIGHT_LAKE, AudioSpec(), duration_s=2.0, seed=11)
    b = make_soundtrack(NIGHT_LAKE, AudioSpec(), duration_s=2.0, seed=11)
    c = make_soundtrack(NIGHT_LAKE, AudioSpec(), duration_s=2.0, seed=12)
    np.testing.assert_array_equal(a.samples, b.samples)
    assert (a.bed, a.layer) == (b.bed, b.layer)
    assert not np.array_equal(a.samples, c.samples)


def test_none_is_silent():
    assert make_soundtrack(SEA, AudioSpec(sound="none"), duration_s=2.0, seed=0) is None


def test_named_sound_has_no_layer():
    st = make_soundtrack(SEA, AudioSpec(sound="wind_strong"), duration_s=2.0, seed=0)
    assert (st.bed, st.layer) == ("wind_strong", None)


def test_motion_energy_swells_the_bed():
    energy = np.r_[np.ones(60), np.zeros(60)]
    st = make_soundtrack(SEA, AudioSpec(sound="waterfall"), duration_s=4.0, seed=0, motion_energy=energy)
    x = st.samples.astype(np.float64)
    rms = lambda a: 20 * np.log10(np.sqrt((a ** 2).mean()))  # noqa: E731
    assert rms(x[12000:84000]) - rms(x[108000:180000]) > 2.0  # waterfall is steady; 4 dB depth


def test_unknown_name_lists_names():
    with pytest.raises(AudioError, match="unknown sound 'seagulls'.*ocean_surf.*room_tone"):
        make_soundtrack(SEA, AudioSpec(sound="seagulls"), duration_s=2.0, seed=0)


def test_missing_path(tmp_path):
    with pytest.raises(AudioError, match="not found"):
        make_soundtrack(SEA, AudioSpec(sound=str(tmp_path / "nope.wav")), duration_s=2.0, seed=0)


def test_undecodable_file(tmp_path):
    bad = tmp_path / "bad.wav"
    bad.write_text("this is not audio\n")
    with pytest.raises(AudioError, match="cannot decode") as info:
        make_soundtrack(SEA, AudioSpec(sound=str(bad)), duration_s=2.0, seed=0)
    assert "\n" not in str(info.value)


def test_user_file_mono_other_rate(tmp_path):
    sr = 22050
    t = np.arange(3 * sr) / sr
    x = 0.3 * np.sin(2 * np.pi * 220 * t) * (1 + 0.5 * np.sin(2 * np.pi * 0.7 * t))
    path = tmp_path / "hum.flac"
    sf.write(path, x, sr)
    st = make_soundtrack(SEA, AudioSpec(sound=str(path)), duration_s=5.0, seed=0)
    assert st.bed == "hum" and st.layer is None
    assert st.samples.shape == (240000, 2)
    np.testing.assert_array_equal(st.samples[:, 0], st.samples[:, 1])
    assert _seam_ok(st.samples)


def test_bad_arguments():
    with pytest.raises(AudioError):
        make_soundtrack(SEA, AudioSpec(), duration_s=0.0, seed=0)
    with pytest.raises(AudioError):
        make_soundtrack(SEA, AudioSpec(), duration_s=1.0, seed=0, motion_energy=np.array([np.nan]))


def test_wav_roundtrip_keeps_length(tmp_path):
    st = make_soundtrack(SEA, AudioSpec(), duration_s=1.7, seed=0)
    assert isinstance(st, Soundtrack)
    path = tmp_path / "track.wav"
    sf.write(path, st.samples, st.sample_rate, subtype="FLOAT")
    back, sr = sf.read(path, dtype="float32")
    assert sr == 48000 and back.shape == st.samples.shape
    np.testing.assert_array_equal(back, st.samples)
