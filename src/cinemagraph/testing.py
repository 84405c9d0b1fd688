"""Synthetic scenes with exact ground-truth masks, for tests, benchmarks and the demo.

Every generator is deterministic in ``seed`` and returns a :class:`SyntheticScene` whose masks
say exactly which pixels are sky and which are water (1 = region, 0 = not, float32).

Examples
--------
>>> from cinemagraph.testing import seascape
>>> s = seascape(width=320, height=180, seed=1)
>>> s.image.shape, s.image.dtype, float(s.sky.max())
((180, 320, 3), dtype('uint8'), 1.0)
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True, eq=False)
class SyntheticScene:
    """A generated photo and its exact masks.

    image : ndarray, shape (H, W, 3), uint8 RGB.
    sky, water : ndarray, shape (H, W), float32 in {0, 1}.
    horizon_y : horizon row in pixels (None when there is no horizon).
    name : short description.
    """

    image: np.ndarray
    sky: np.ndarray
    water: np.ndarray
    horizon_y: int | None
    name: str


def fractal_noise(height: int, width: int, *, seed: int, octaves: int = 6,
                  base_cells: int = 4, persistence: float = 0.55) -> np.ndarray:
    """Fractal (fBm) value noise in [0, 1], shape (height, width), float32.

    Each octave is a random grid of ``base_cells * 2**k`` cells upsampled with bicubic
    interpolation; amplitudes fall by ``persistence`` per octave.
    """
    rng = np.random.default_rng(seed)
    acc = np.zeros((height, width), np.float32)
    amp, total = 1.0, 0.0
    for k in range(octaves):
        cells = base_cells * 2**k
        gh = max(2, int(round(cells * height / max(height, width))) + 2)
        gw = max(2, int(round(cells * width / max(height, width))) + 2)
        grid = rng.random((gh, gw)).astype(np.float32)
        acc += amp * cv2.resize(grid, (width, height), interpolation=cv2.INTER_CUBIC)
        total += amp
        amp *= persistence
    acc /= total
    lo, hi = float(acc.min()), float(acc.max())
    return (acc - lo) / max(hi - lo, 1e-6)


def _sky_gradient(h: int, w: int, top: tuple, bottom: tuple) -> np.ndarray:
    t = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None, None] ** 0.8
    top_a, bot_a = np.array(top, np.float32), np.array(bottom, np.float32)
    return np.broadcast_to(top_a * (1 - t) + bot_a * t, (h, w, 3)).copy()


def _clouds(sky: np.ndarray, seed: int, cover: float, tint=(1.0, 1.0, 1.0)) -> np.ndarray:
    h, w = sky.shape[:2]
    n = fractal_noise(h, w, seed=seed, octaves=7, base_cells=3)
    # stretch horizontally: clouds are wider than tall
    n = cv2.resize(cv2.resize(n, (w, max(2, h // 2))), (w, h), interpolation=cv2.INTER_CUBIC)
    dens = np.clip((n - (1.0 - cover)) / 0.25, 0.0, 1.0)[..., None]
    shade = 0.82 + 0.18 * fractal_noise(h, w, seed=seed + 1, octaves=5, base_cells=8)[..., None]
    cloud = np.array(tint, np.float32) * shade
    return sky * (1 - dens) + cloud * dens


def seascape(width: int = 960, height: int = 540, *, seed: int = 0, horizon_frac: float = 0.5,
             cloud_cover: float = 0.45, headland: bool = True) -> SyntheticScene:
    """A sea under a cloudy sky, with a shore in the foreground and a dark headland.

    The sea reflects the sky (mirrored about the horizon, darkened and tinted) with horizontal
    wave streaks; the sandy shore covers the bottom rows; a headland rises above the horizon on
    the left, so the sky/ground boundary is not a straight line.
    """
    h, w = int(height), int(width)
    rng = np.random.default_rng(seed)
    hy = int(round(h * horizon_frac))
    img = np.zeros((h, w, 3), np.float32)
    sky_rgb = _sky_gradient(hy, w, (0.23, 0.45, 0.80), (0.70, 0.82, 0.93))
    sky_rgb = _clouds(sky_rgb, seed * 7 + 11, cloud_cover)
    img[:hy] = sky_rgb

    # sea: mirrored sky, darker and bluer, with streaks and a perspective gradient
    sea_h = h - hy
    mirror = sky_rgb[::-1][:sea_h] if sea_h <= hy else cv2.resize(sky_rgb[::-1], (w, sea_h))
    t = np.linspace(0, 1, sea_h, dtype=np.float32)[:, None, None]
    water_col = np.array((0.05, 0.22, 0.38), np.float32)
    sea = mirror * (0.55 - 0.25 * t) + water_col * (0.45 + 0.25 * t)
    streak = fractal_noise(sea_h, max(8, w // 16), seed=seed * 7 + 3, octaves=5, base_cells=6)
    streak = cv2.resize(streak, (w, sea_h), interpolation=cv2.INTER_CUBIC)[..., None]
    sea *= 0.9 + 0.2 * streak
    img[hy:] = sea

    sky = np.zeros((h, w), np.float32)
    sky[:hy] = 1.0
    water = np.zeros((h, w), np.float32)
    water[hy:] = 1.0

    # shore: a sandy band with a wavy waterline at the bottom
    xs = np.arange(w, dtype=np.float32)
    phase = rng.uniform(0, 2 * np.pi)
    shore_top = (h - 0.18 * sea_h + 0.05 * sea_h * np.sin(xs / w * 2 * np.pi * 1.5 + phase)).astype(int)
    sand_tex = 0.9 + 0.1 * fractal_noise(h, w, seed=seed * 7 + 5, octaves=6, base_cells=16)[..., None]
    sand = np.array((0.78, 0.69, 0.52), np.float32) * sand_tex
    rows = np.arange(h)[:, None]
    shore_mask = rows >= shore_top[None, :]
    img[shore_mask] = sand[shore_mask]
    water[shore_mask] = 0.0

    if headland:
        # a dark hill on the left crossing the horizon (occludes sky and sea)
        ridge = hy - (0.22 * hy) * np.clip(1 - xs / (0.35 * w), 0, 1) ** 0.7
        ridge = ridge + 0.02 * hy * fractal_noise(1, w, seed=seed * 7 + 9, octaves=4, base_cells=8)[0]
        hill_bottom = hy + 0.08 * sea_h * np.clip(1 - xs / (0.3 * w), 0, 1)
        hill = (rows >= ridge[None, :].astype(int)) & (rows < hill_bottom[None, :].astype(int))
        hill_tex = 0.8 + 0.2 * fractal_noise(h, w, seed=seed * 7 + 13, octaves=6, base_cells=24)[..., None]
        rock = np.array((0.20, 0.24, 0.17), np.float32) * hill_tex
        img[hill] = rock[hill]
        sky[hill] = 0.0
        water[hill] = 0.0

    img_u8 = np.clip(img * 255.0 + 0.5, 0, 255).astype(np.uint8)
    return SyntheticScene(img_u8, sky, water, hy, "seascape")
