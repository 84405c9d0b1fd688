"""Loop-locked mixing: cut to the video's length, follow the motion, normalise the loudness.

Every step treats a track as *periodic*: the last sample is followed by the first. Filters,
envelopes and the limiter all wrap around, so a track that comes out of here loops with the
video without a click.

Conventions
-----------
Audio arrays are ``ndarray, shape (n, 2), float`` (frames x channels), values in [-1, 1];
``sr`` / ``sample_rate`` is in Hz. Loudness is integrated loudness after ITU-R BS.1770
(pyloudnorm) in LUFS; true peak is the largest absolute value of the signal oversampled 4x
with :func:`scipy.signal.resample_poly`, in dBTP.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import AudioError

TRUE_PEAK_LIMIT_DBTP = -1.0
"""Highest true peak a soundtrack may have."""
_LIMITER_CEILING_DBTP = -1.3
"""Ceiling the limiter aims for (a little margin under the limit)."""
LOUDNESS_TOLERANCE_LU = 0.5
"""Largest allowed distance between the measured and the target integrated loudness."""
_OVERSAMPLE = 4
_WRAP_PAD = 64


@dataclass(frozen=True, eq=False)
class Soundtrack:
    """A finished, loop-locked ambient track.

    samples : ndarray, shape (n, 2), float32 in [-1, 1]
        n is exactly ``round(duration_s * sample_rate)``; sample n-1 is followed by sample 0.
    sample_rate : int
        Samples per second (48000 unless asked otherwise).
    bed : str
        Name of the main sound.
    layer : str or None
        Name of the quieter second sound mixed on top, if any.
    loudness_lufs : float
        Measured integrated loudness of ``samples`` (ITU-R BS.1770).
    true_peak_dbtp : float
        Measured true peak of ``samples`` (4x oversampled, wrapping around the loop).
    """

    samples: np.ndarray
    sample_rate: int
    bed: str
    layer: str | None
    loudness_lufs: float
    true_peak_dbtp: float

    @property
    def duration_s(self) -> float:
        """Length in seconds."""
        return self.samples.shape[0] / self.sample_rate

    def __repr__(self) -> str:
        return (
            f"Soundtrack(bed={self.bed!r}, layer={self.layer!r}, duration_s={self.duration_s:.3f}, "
            f"sample_rate={self.sample_rate}, loudness_lufs={self.loudness_lufs:.2f}, "
            f"true_peak_dbtp={self.true_peak_dbtp:.2f})"
        )


# ---- measurement ---------------------------------------------------------------------------


def integrated_loudness(x: np.ndarray, sr: int) -> float:
    """Integrated loudness of a track in LUFS (ITU-R BS.1770-4 via pyloudnorm).

    A loop shorter than the 400 ms gating block is measured repeated (that is what a listener
    hears). Digital silence gives ``-inf``.

    >>> import numpy as np
    >>> t = np.arange(48000) / 48000
    >>> tone = 0.1 * np.sin(2 * np.pi * 1000 * t)
    >>> round(integrated_loudness(np.stack([tone, tone], 1), 48000), 1)
    -20.0
    """
    import pyloudnorm

    x = _as_frames(x)
    if x.shape[0] < int(0.5 * sr):
        x = np.tile(x, (int(math.ceil(0.5 * sr / max(1, x.shape[0]))) + 1, 1))
    with np.errstate(divide="ignore"):
        return float(pyloudnorm.Meter(sr).integrated_loudness(x.astype(np.float64, copy=False)))


def true_peak_dbtp(x: np.ndarray) -> float:
    """True peak of a looping track in dBTP: the peak of the 4x oversampled signal.

    The oversampling filter wraps around the end of the track (the track is a loop).

    >>> import numpy as np
    >>> round(true_peak_dbtp(np.full((100, 2), 0.5)), 2)
    -6.02
    """
    x = _as_frames(x)
    if x.shape[0] == 0:
        return -math.inf
    peak = float(np.abs(_oversample(x)).max())
    peak = max(peak, float(np.abs(x).max()))
    return 20.0 * math.log10(peak) if peak > 0 else -math.inf


def seam_step_ratio(x: np.ndarray) -> float:
    """Step across the loop seam divided by the 99th percentile of the steps inside the track.

    Steps are the largest absolute sample-to-sample difference over the channels. A ratio
    <= 1 means the wrap from the last sample to the first is no larger than an ordinary step.
    """
    x = _as_frames(x)
    inner = np.abs(np.diff(x, axis=0)).max(axis=1)
    seam = float(np.abs(x[0] - x[-1]).max())
    p99 = float(np.percentile(inner, 99))
    return seam / p99 if p99 > 0 else (0.0 if seam == 0 else math.inf)


def _as_frames(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x)
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim != 2:
        raise AudioError(f"audio must have shape (n, channels), got {x.shape}")
    return x


def _oversample(x: np.ndarray) -> np.ndarray:
    """The loop resampled 4x (polyphase, wrapping around the ends): shape (4 n, channels)."""
    from scipy.signal import resample_poly

    n = x.shape[0]
    pad = min(_WRAP_PAD, n)
    reps = int(math.ceil(pad / n)) if n else 1
    ext = np.concatenate([np.tile(x, (reps, 1))[-pad:], x, np.tile(x, (reps, 1))[:pad]], axis=0)
    up = resample_poly(ext.astype(np.float32, copy=False), _OVERSAMPLE, 1, axis=0)
    return up[pad * _OVERSAMPLE : (pad + n) * _OVERSAMPLE]


def _oversampled_peaks(x: np.ndarray) -> np.ndarray:
    """Per-sample peak of the 4x oversampled loop: shape (n,), max over channels and phases."""
    n = x.shape[0]
    up = np.abs(np.ascontiguousarray(_oversample(x)))
    peaks = up.reshape(n, -1).max(axis=1)
    return np.maximum(peaks, np.abs(x).max(axis=1))


# ---- loudness normalisation with a look-ahead limiter ---------------------------------------


def _limiter_gain(peaks: np.ndarray, ceiling: float, half_width: int) -> np.ndarray:
    """Smooth, wrapping gain curve g <= ceiling / peaks everywhere (look-ahead limiter).

    A running minimum over 2w+1 samples followed by a running mean over 2w+1 samples never
    exceeds the required gain at any sample: every sample the mean looks at has the centre
    sample inside its own minimum window.
    """
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    need = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-12))
    if need.min() >= 1.0:
        return np.ones_like(need)
    w = 2 * half_width + 1
    g = minimum_filter1d(need, w, mode="wrap")
    g = uniform_filter1d(g, w, mode="wrap")
    # A second, slower pass softens the release without ever raising the gain.
    g2 = uniform_filter1d(minimum_filter1d(g, 5 * w, mode="wrap"), 5 * w, mode="wrap")
    return np.minimum(g, np.maximum(g2, 0.5 * g))


def normalize_loudness(
    x: np.ndarray,
    sr: int,
    *,
    target_lufs: float,
    ceiling_dbtp: float = TRUE_PEAK_LIMIT_DBTP,
) -> np.ndarray:
    """Scale a loop to ``target_lufs``, limiting its true peak to ``ceiling_dbtp``.

    When plain gain would push the true peak over the ceiling, a wrapping look-ahead limiter
    (5 ms attack, faster for dense transients) shaves the peaks *before* the final gain, and the gain is found again by a
    secant search so that the loudness is on target and the peak stays under the ceiling.

    Parameters
    ----------
    x : ndarray, shape (n, channels), float
    sr : int
    target_lufs : float
    ceiling_dbtp : float

    Returns
    -------
    ndarray, shape (n, channels), float32 in [-1, 1]

    Raises
    ------
    AudioError
        When the track is silent (its loudness cannot be set).
    """
    return _normalize(x, sr, target_lufs, ceiling_dbtp)[0]


def _normalize(x: np.ndarray, sr: int, target_lufs: float, ceiling_dbtp: float) -> tuple[np.ndarray, float, float]:
    """:func:`normalize_loudness` returning also the measured loudness and true peak."""
    x = _as_frames(x).astype(np.float64)
    loud = integrated_loudness(x, sr)
    if not math.isfinite(loud):
        raise AudioError("the sound is silent; its loudness cannot be normalised")
    gain_db = target_lufs - loud
    y = x * 10 ** (gain_db / 20)
    peaks = _oversampled_peaks(x)  # of the unscaled input; scales linearly with gain
    if peaks.max() * 10 ** (gain_db / 20) <= 10 ** (_LIMITER_CEILING_DBTP / 20):
        y = y.astype(np.float32)
        # plain gain: the true peak scales with it exactly
        return y, integrated_loudness(y, sr), 20.0 * math.log10(float(peaks.max())) + gain_db

    aim = 10 ** (min(_LIMITER_CEILING_DBTP, ceiling_dbtp - 0.3) / 20)
    y = None
    # Try a gentle limiter first; dense transients (rain, clicks) need faster ones.
    for attack_s in (0.005, 0.0015, 0.0004):
        y, reached = _limit_to_loudness(x, sr, peaks, gain_db, target_lufs, aim, max(1, int(attack_s * sr)))
        if reached:
            break
    # Guard: the smoothed gain is computed on the oversampled peaks; check the result itself.
    y = np.clip(y, -1.0, 1.0).astype(np.float32)
    tp = true_peak_dbtp(y)
    if tp > ceiling_dbtp - 0.02:
        y = (y * 10 ** ((ceiling_dbtp - 0.1 - tp) / 20)).astype(np.float32)
        tp = true_peak_dbtp(y)
    loud = integrated_loudness(y, sr)
    if abs(loud - target_lufs) > LOUDNESS_TOLERANCE_LU:
        raise AudioError(
            f"cannot reach {target_lufs:g} LUFS with a true peak under {ceiling_dbtp:g} dBTP "
            "for this sound; choose a quieter profile"
        )
    return y, loud, tp


def _limit_to_loudness(x: np.ndarray, sr: int, peaks: np.ndarray, gain_db: float, target_lufs: float,
                       aim: float, half_width: int) -> tuple[np.ndarray, bool]:
    """Secant search on the pre-limiter gain so that loudness(limit(gain * x)) hits the target."""

    def render(g_db: float) -> tuple[np.ndarray, float]:
        g = 10 ** (g_db / 20)
        lim = _limiter_gain(peaks * g, aim, half_width)
        out = x * (g * lim)[:, None]
        return out, integrated_loudness(out, sr)

    g0, (y0, l0) = gain_db, render(gain_db)
    g1 = g0 + (target_lufs - l0)
    y1, l1 = render(g1)
    for _ in range(10):
        if abs(l1 - target_lufs) < 0.05:
            return y1, True
        slope = (l1 - l0) / (g1 - g0) if g1 != g0 else 1.0
        g0, l0 = g1, l1
        # a small slope means the limiter eats most of the gain; step on, but by at most 24 dB
        g1 = g1 + float(np.clip((target_lufs - l1) / min(max(slope, 0.05), 1.0), -24.0, 24.0))
        y1, l1 = render(g1)
    return y1, abs(l1 - target_lufs) < 0.05


# ---- loops ----------------------------------------------------------------------------------


def equal_power_fades(m: int) -> tuple[np.ndarray, np.ndarray]:
    """Fade-in and fade-out gains of an equal-power crossfade of ``m`` samples.

    ``fade_in**2 + fade_out**2 == 1`` at every sample; ``fade_in[0] == 0``.
    """
    u = (np.arange(m) + 0.0) / max(m, 1)
    return np.sin(0.5 * np.pi * u), np.cos(0.5 * np.pi * u)


def make_loopable(x: np.ndarray, sr: int, *, crossfade_s: float = 2.0) -> np.ndarray:
    """Turn a one-shot recording into a loop by crossfading its tail into its head.

    The result is shorter than the input by the crossfade length; its last sample runs on
    into its first.

    Parameters
    ----------
    x : ndarray, shape (n, channels)
    sr : int
    crossfade_s : float
        Longest crossfade; at most a quarter of the input is used.

    Returns
    -------
    ndarray, shape (n - m, channels)
    """
    x = _as_frames(x)
    n = x.shape[0]
    m = int(min(crossfade_s * sr, n // 4))
    if m < 2:
        return x.copy()
    fin, fout = equal_power_fades(m)
    out = x[: n - m].astype(np.float64, copy=True)
    out[:m] = x[:m] * fin[:, None] + x[n - m :] * fout[:, None]
    return out


def _quiet_offset(loop: np.ndarray, start: int, n_out: int, search: int) -> int:
    """Shift ``start`` (by at most ``search`` samples) so that the seam step is a small one.

    The seam of a cut is the step from loop[start+n_out-1] to loop[start+n_out]; an ordinary
    step of the source, which this picks to be at most the median step.
    """
    L = loop.shape[0]
    idx = (start + n_out - 1 + np.arange(search + 1)) % L
    steps = np.abs(loop[(idx + 1) % L] - loop[idx]).max(axis=1)
    median = np.median(np.abs(np.diff(loop[:: max(1, L // 20000)], axis=0)).max(axis=1))
    ok = np.flatnonzero(steps <= min(median, float(np.percentile(steps, 50))))
    return (start + int(ok[0] if ok.size else np.argmin(steps))) % L


def cut_loop(loop: np.ndarray, n_out: int, *, start: int, crossfade: int) -> np.ndarray:
    """Cut ``n_out`` samples from a looping source so that the cut loops too.

    The cut runs from ``start`` (wrapping around the source as often as needed) for
    ``n_out + crossfade`` samples; the last ``crossfade`` samples are faded (equal power)
    over the first ``crossfade``. Sample n_out-1 is then followed by sample 0 exactly as in
    the source, so the seam is continuous.

    Parameters
    ----------
    loop : ndarray, shape (L, channels)
        A seamless loop.
    n_out : int
    start : int
    crossfade : int
        Crossfade length in samples (0 allowed when n_out is a multiple of L).

    Returns
    -------
    ndarray, shape (n_out, channels), float64
    """
    L = loop.shape[0]
    start %= L
    if n_out % L == 0:
        return np.take(loop, (start + np.arange(n_out)) % L, axis=0).astype(np.float64)
    crossfade = int(min(crossfade, n_out))
    seg = np.take(loop, (start + np.arange(n_out + crossfade)) % L, axis=0).astype(np.float64)
    out = seg[:n_out]
    if crossfade:
        fin, fout = equal_power_fades(crossfade)
        out[:crossfade] = seg[:crossfade] * fin[:, None] + seg[n_out:] * fout[:, None]
    return out


def motion_envelope(motion_energy: np.ndarray, n_out: int, sr: int, *, depth_db: float) -> np.ndarray:
    """Gain curve (n_out,) that follows a periodic per-frame motion energy.

    The per-frame values (in [0, 1]) are placed at frame times, interpolated linearly around
    the loop and smoothed over 0.25 s (wrapping). An energy swing from 0 to 1 moves the gain by
    ``depth_db`` dB; the gain averages 0 dB (in dB), so the loudness stays put.
    """
    from scipy.ndimage import uniform_filter1d

    e = np.clip(np.asarray(motion_energy, dtype=np.float64).ravel(), 0.0, 1.0)
    k = e.size
    pos = np.arange(n_out) * (k / n_out)
    i0 = np.floor(pos).astype(np.int64) % k
    frac = pos - np.floor(pos)
    curve = e[i0] * (1 - frac) + e[(i0 + 1) % k] * frac
    curve = uniform_filter1d(curve, max(1, int(0.25 * sr)), mode="wrap")
    db = depth_db * (curve - curve.mean())
    return 10 ** (db / 20)


# ---- the pipeline entry point ---------------------------------------------------------------

_LOOP_CROSSFADE_S = 1.0
"""Seam crossfade of the cut (at most a quarter of the track)."""
_BED_DEPTH_DB = {"water": 4.0, "wind": 5.0}
"""How far the bed's level follows the motion energy, per family (others: 1.5 dB)."""


def make_soundtrack(summary, spec, *, duration_s: float, seed: int,
                    motion_energy: np.ndarray | None = None, sample_rate: int = 48000) -> Soundtrack | None:
    """Build the ambient track for one loop of video.

    Parameters
    ----------
    summary : SceneSummary
        Scene description used by ``spec.sound == "auto"``.
    spec : AudioSpec
        ``sound``: "auto", "none", a library name, a sound file or a folder with a
        manifest.toml; ``loudness_lufs``: the target loudness of the profile.
    duration_s : float
        Loop length, exactly n_frames / fps. The track has ``round(duration_s * sample_rate)``
        samples and its last sample runs on into its first.
    seed : int
        Chooses the sounds among near-ties and where in them the cut starts.
    motion_energy : ndarray, shape (n_frames,), optional
        Periodic per-frame motion energy in [0, 1] (ripple swell, cloud speed); the level
        follows it gently (a few dB).
    sample_rate : int

    Returns
    -------
    Soundtrack or None
        None when ``spec.sound == "none"``.

    Raises
    ------
    AudioError
        Unknown sound name (the message lists the names), unreadable file, folder without a
        manifest, missing library.

    Examples
    --------
    >>> from cinemagraph.analysis.scene import SceneSummary
    >>> from cinemagraph.recipe import AudioSpec
    >>> sea = SceneSummary(sky_fraction=0.4, water_fraction=0.35, water_type="waves")
    >>> st = make_soundtrack(sea, AudioSpec(), duration_s=4.0, seed=0)
    >>> st.samples.shape, st.sample_rate
    ((192000, 2), 48000)
    """
    from .library import AUDIO_SUFFIXES, Sound, load_catalogue, load_library, read_sound
    from .match import match_sounds

    if spec.sound == "none":
        return None
    if isinstance(duration_s, bool) or not isinstance(duration_s, (int, float)) or not math.isfinite(duration_s) \
            or duration_s <= 0:
        raise AudioError(f"duration_s must be a positive number of seconds, got {duration_s!r}")
    if isinstance(sample_rate, bool) or not isinstance(sample_rate, int) or not 8000 <= sample_rate <= 192000:
        raise AudioError(f"sample_rate must be a whole number of Hz in [8000, 192000], got {sample_rate!r}")
    n_out = int(round(duration_s * sample_rate))
    if n_out < 2:
        raise AudioError("the soundtrack would be shorter than two samples")
    if motion_energy is not None:
        motion_energy = np.asarray(motion_energy, dtype=np.float64).ravel()
        if motion_energy.size == 0 or not np.isfinite(motion_energy).all():
            raise AudioError("motion_energy must be a non-empty array of finite numbers")

    sound = spec.sound
    layer = None
    layer_gain_db = -9.0
    if sound == "auto":
        match = match_sounds(summary, load_library().sounds, seed=seed, motion_energy=motion_energy)
        bed, layer, layer_gain_db = match.bed, match.layer, match.layer_gain_db
    else:
        from pathlib import Path

        p = Path(sound).expanduser()
        if p.is_dir():
            match = match_sounds(summary, load_catalogue(p).sounds, seed=seed, motion_energy=motion_energy)
            bed, layer, layer_gain_db = match.bed, match.layer, match.layer_gain_db
        elif p.is_file():
            bed = Sound(name=p.stem, path=p, tags=(), family=p.stem)
        elif p.suffix.lower() in AUDIO_SUFFIXES or "/" in sound or "\\" in sound:
            raise AudioError(f"sound file not found: {sound}")
        else:
            bed = load_library().get(sound)

    rng = np.random.default_rng([int(seed), 0xA0D10])
    xfade = int(min(_LOOP_CROSSFADE_S * sample_rate, n_out // 4))

    def prepare(s) -> np.ndarray:
        src = read_sound(s.path, sample_rate=sample_rate)
        if not s.loop:
            if src.shape[0] < int(0.2 * sample_rate):
                raise AudioError(f"sound {s.path} is too short to loop (under 0.2 s)")
            src = make_loopable(src, sample_rate)
        return src

    bed_src = prepare(bed)
    start = _quiet_offset(bed_src, int(rng.integers(bed_src.shape[0])), n_out, 400)
    mix = cut_loop(bed_src, n_out, start=start, crossfade=xfade)
    bed_loud = integrated_loudness(mix, sample_rate)
    if not math.isfinite(bed_loud):
        raise AudioError(f"sound {bed.name!r} is silent")
    if motion_energy is not None:
        mix = mix * motion_envelope(motion_energy, n_out, sample_rate,
                                    depth_db=_BED_DEPTH_DB.get(bed.family, 1.5))[:, None]
    if layer is not None:
        lay_src = prepare(layer)
        lstart = int(rng.integers(lay_src.shape[0]))
        lay = cut_loop(lay_src, n_out, start=_quiet_offset(lay_src, lstart, n_out, 400), crossfade=xfade)
        lay_loud = integrated_loudness(lay, sample_rate)
        if math.isfinite(lay_loud):
            if motion_energy is not None:
                lay = lay * motion_envelope(motion_energy, n_out, sample_rate,
                                            depth_db=0.5 * _BED_DEPTH_DB.get(layer.family, 1.5))[:, None]
            mix = mix + lay * 10 ** ((bed_loud + layer_gain_db - lay_loud) / 20)
        else:
            layer = None
    out, loudness, peak = _normalize(mix, sample_rate, float(spec.loudness_lufs), TRUE_PEAK_LIMIT_DBTP)
    out.setflags(write=False)
    return Soundtrack(
        samples=out,
        sample_rate=sample_rate,
        bed=bed.name,
        layer=None if layer is None else layer.name,
        loudness_lufs=loudness,
        true_peak_dbtp=peak,
    )
