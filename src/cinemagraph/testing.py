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

from .motion.noise import fractal_noise


@dataclass(frozen=True, eq=False)
class SyntheticScene:
    """A generated photo and its exact masks.

    image : ndarray, shape (H, W, 3), uint8 RGB.
    sky, water : ndarray, shape (H, W), float32 in {0, 1}.
    horizon_row : horizon row in pixels (None when there is no horizon).
    name : short description.
    """

    image: np.ndarray
    sky: np.ndarray
    water: np.ndarray
    horizon_row: int | None
    name: str


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


def _u8(img: np.ndarray) -> np.ndarray:
    return np.clip(img * 255.0 + 0.5, 0, 255).astype(np.uint8)


def _ridge(w: int, base: float, amp: float, seed: int, cells: int = 6) -> np.ndarray:
    """A 1-D ridge line (row per column) around ``base`` with fractal wiggles of ``amp`` rows."""
    n = fractal_noise(1, w, seed=seed, octaves=5, base_cells=cells)[0]
    return base + amp * (n - 0.5) * 2.0


def _textured(colour: tuple, h: int, w: int, seed: int, amount: float = 0.25, cells: int = 24) -> np.ndarray:
    tex = 1.0 - amount + amount * 2 * fractal_noise(h, w, seed=seed, octaves=6, base_cells=cells)[..., None]
    return np.array(colour, np.float32) * tex


def lake(width: int = 960, height: int = 540, *, seed: int = 0, horizon_frac: float = 0.45,
         cloud_cover: float = 0.35) -> SyntheticScene:
    """A still lake mirroring forested hills and a cloudy sky; a grassy bank in the foreground."""
    h, w = int(height), int(width)
    hy = int(round(h * horizon_frac))
    rows = np.arange(h)[:, None]
    img = np.zeros((h, w, 3), np.float32)
    sky_rgb = _clouds(_sky_gradient(h, w, (0.30, 0.50, 0.82), (0.72, 0.83, 0.93)), seed * 5 + 1, cloud_cover)
    img[:] = sky_rgb
    ridge = _ridge(w, hy - 0.25 * hy, 0.12 * hy, seed * 5 + 2, cells=4).astype(int)
    hill = (rows >= ridge[None, :]) & (rows < hy)
    forest = _textured((0.16, 0.28, 0.14), h, w, seed * 5 + 3, amount=0.35, cells=40)
    img[hill] = forest[hill]
    sky = (rows < ridge[None, :]).astype(np.float32)
    # still water: exact mirror of everything above the waterline, darkened, faint ripples
    above = img[:hy]
    n_below = h - hy
    mirror = above[::-1]
    if n_below > hy:
        mirror = np.concatenate([mirror, np.repeat(mirror[-1:], n_below - hy, axis=0)], axis=0)
    mirror = mirror[:n_below]
    ripple = fractal_noise(n_below, max(8, w // 24), seed=seed * 5 + 4, octaves=4, base_cells=8)
    ripple = cv2.resize(ripple, (w, n_below), interpolation=cv2.INTER_CUBIC)[..., None]
    img[hy:] = mirror * (0.78 + 0.08 * ripple) + np.array((0.02, 0.05, 0.07), np.float32)
    water = (rows >= hy).astype(np.float32) * np.ones((1, w), np.float32)
    bank_top = _ridge(w, h - 0.2 * n_below, 0.06 * n_below, seed * 5 + 6).astype(int)
    bank = rows >= bank_top[None, :]
    grass = _textured((0.30, 0.45, 0.16), h, w, seed * 5 + 7, amount=0.3, cells=60)
    img[bank] = grass[bank]
    water[bank] = 0.0
    return SyntheticScene(_u8(img), sky, water, hy, "lake")


def river(width: int = 960, height: int = 540, *, seed: int = 0, horizon_frac: float = 0.4) -> SyntheticScene:
    """A river winding from the horizon to the bottom edge through fields, with flow streaks."""
    h, w = int(height), int(width)
    hy = int(round(h * horizon_frac))
    rows = np.arange(h)[:, None].astype(np.float32)
    xs = np.arange(w)[None, :].astype(np.float32)
    img = np.zeros((h, w, 3), np.float32)
    sky_rgb = _clouds(_sky_gradient(h, w, (0.26, 0.47, 0.82), (0.70, 0.80, 0.92)), seed * 3 + 1, 0.4)
    img[:] = sky_rgb
    tree_line = _ridge(w, hy - 0.06 * h, 0.03 * h, seed * 3 + 2, cells=24).astype(int)
    sky = (rows < tree_line[None, :]).astype(np.float32)
    field = _textured((0.36, 0.50, 0.20), h, w, seed * 3 + 3, amount=0.3, cells=48)
    ground = rows >= tree_line[None, :]
    img[ground] = field[ground]
    trees = (rows >= tree_line[None, :]) & (rows < hy)
    img[trees] = _textured((0.14, 0.24, 0.12), h, w, seed * 3 + 4, amount=0.35, cells=50)[trees]
    # river: centre line wanders, width grows toward the viewer (perspective)
    t = np.clip((rows - hy) / max(1, h - hy), 0, 1)
    rng = np.random.default_rng(seed)
    phase = rng.uniform(0, 2 * np.pi)
    centre = w * (0.5 + 0.18 * np.sin(2.2 * t * np.pi + phase) * t)
    half = w * (0.03 + 0.22 * t)
    water = ((np.abs(xs - centre) < half) & (rows >= hy)).astype(np.float32)
    streak = fractal_noise(h, max(8, w // 12), seed=seed * 3 + 5, octaves=5, base_cells=6)
    streak = cv2.resize(streak, (w, h), interpolation=cv2.INTER_CUBIC)[..., None]
    mirror_rows = np.clip(2 * hy - rows, 0, hy - 1).astype(int)[:, 0]
    refl = sky_rgb[mirror_rows] * 0.6 + np.array((0.05, 0.12, 0.16), np.float32)
    riv = refl * (0.88 + 0.24 * streak)
    m = water > 0
    img[m] = riv[m]
    return SyntheticScene(_u8(img), sky, water, hy, "river")


def skyline(width: int = 960, height: int = 540, *, seed: int = 0, overcast: bool = False) -> SyntheticScene:
    """City blocks with lit and unlit windows against a clear (or overcast) sky; sky shows between
    towers down to the street level."""
    h, w = int(height), int(width)
    rng = np.random.default_rng(seed)
    rows = np.arange(h)[:, None]
    if overcast:
        sky_rgb = _sky_gradient(h, w, (0.72, 0.74, 0.77), (0.88, 0.89, 0.90))
        sky_rgb *= 0.96 + 0.04 * fractal_noise(h, w, seed=seed + 1, octaves=3, base_cells=3)[..., None]
    else:
        sky_rgb = _clouds(_sky_gradient(h, w, (0.18, 0.40, 0.80), (0.62, 0.78, 0.93)), seed + 1, 0.25)
    img = sky_rgb.copy()
    sky = np.ones((h, w), np.float32)
    street = int(0.85 * h)
    x = 0
    while x < w:
        bw = int(rng.integers(w // 14, w // 6))
        gap = int(rng.integers(0, w // 30))
        top = int(rng.uniform(0.2, 0.6) * h)
        base = rng.uniform(0.25, 0.6, size=3).astype(np.float32) * np.array((1.0, 0.95, 0.9), np.float32)
        x1 = min(w, x + bw)
        block = np.broadcast_to(base, (h - top, x1 - x, 3)).copy()
        win = (rows[top:] - top) % 18 < 9
        cols = (np.arange(x1 - x)[None, :] % 14) < 7
        lit = rng.random((h - top, x1 - x)) < 0.0  # placeholder keeps shapes aligned
        block[win & cols & ~lit] *= 0.55
        img[top:, x:x1] = block
        sky[top:, x:x1] = 0.0
        x = x1 + gap
    img[street:] = _textured((0.32, 0.32, 0.33), h - street, w, seed + 7, amount=0.15, cells=30)
    sky[street:] = 0.0
    name = "overcast skyline" if overcast else "skyline"
    return SyntheticScene(_u8(img), sky, np.zeros((h, w), np.float32), None, name)


def overcast(width: int = 960, height: int = 540, *, seed: int = 0, horizon_frac: float = 0.45) -> SyntheticScene:
    """A pale, hazy overcast sky with soft grey cloud over fields and a hedge line."""
    h, w = int(height), int(width)
    rows = np.arange(h)[:, None]
    sky_rgb = _sky_gradient(h, w, (0.70, 0.72, 0.75), (0.90, 0.90, 0.90))
    sky_rgb = _clouds(sky_rgb, seed * 11 + 1, 0.6, tint=(0.80, 0.81, 0.83))
    img = sky_rgb.copy()
    line = _ridge(w, h * horizon_frac, 0.04 * h, seed * 11 + 2, cells=30).astype(int)
    sky = (rows < line[None, :]).astype(np.float32)
    hedge = (rows >= line[None, :]) & (rows < line[None, :] + int(0.08 * h))
    fields = rows >= line[None, :]
    img[fields] = _textured((0.38, 0.42, 0.24), h, w, seed * 11 + 3, amount=0.3, cells=40)[fields]
    img[hedge] = _textured((0.16, 0.22, 0.12), h, w, seed * 11 + 4, amount=0.35, cells=60)[hedge]
    return SyntheticScene(_u8(img), sky, np.zeros((h, w), np.float32), int(h * horizon_frac), "overcast")


def night_sky(width: int = 960, height: int = 540, *, seed: int = 0, horizon_frac: float = 0.6) -> SyntheticScene:
    """A dark blue night sky with faint stars over a dark town with lit windows."""
    h, w = int(height), int(width)
    rng = np.random.default_rng(seed)
    rows = np.arange(h)[:, None]
    img = _sky_gradient(h, w, (0.02, 0.04, 0.12), (0.10, 0.14, 0.30))
    stars = rng.random((h, w)) < 0.0015
    img[stars] = np.maximum(img[stars], 0.55)
    roof = _ridge(w, h * horizon_frac, 0.06 * h, seed + 2, cells=20)
    steps = (np.floor(np.arange(w) / max(1, w // 24)) % 3 - 1) * 0.03 * h
    roof = (roof + steps).astype(int)
    sky = (rows < roof[None, :]).astype(np.float32)
    town = rows >= roof[None, :]
    img[town] = _textured((0.05, 0.05, 0.06), h, w, seed + 3, amount=0.3, cells=40)[town]
    lights = town & (rng.random((h, w)) < 0.01)
    lights = cv2.dilate(lights.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool) & town
    img[lights] = (0.95, 0.80, 0.45)
    return SyntheticScene(_u8(img), sky, np.zeros((h, w), np.float32), int(h * horizon_frac), "night")


def indoor_room(width: int = 960, height: int = 540, *, seed: int = 0) -> SyntheticScene:
    """A room with a white ceiling, pale walls meeting in a corner, a framed picture, a sofa and a
    wooden floor: no sky, no water."""
    h, w = int(height), int(width)
    rows = np.arange(h, dtype=np.float32)[:, None]
    xs = np.arange(w, dtype=np.float32)[None, :]
    cx = w * (0.55 + 0.1 * np.random.default_rng(seed).uniform(-1, 1))
    ceiling_line = 0.22 * h + 0.10 * h * np.abs(xs - cx) / w
    floor_line = 0.72 * h - 0.08 * h * np.abs(xs - cx) / w
    img = np.zeros((h, w, 3), np.float32)
    shade = 0.92 - 0.08 * np.abs(xs - cx)[..., None] / w
    img[:] = np.array((0.90, 0.87, 0.80), np.float32) * shade  # walls
    ceil = np.broadcast_to(rows < ceiling_line, (h, w))
    img[ceil] = (0.93, 0.92, 0.90)
    corner = np.abs(xs - cx) < 1.5
    img[np.broadcast_to(corner, (h, w)) & ~np.broadcast_to(ceil, (h, w))] = (0.70, 0.67, 0.62)
    floor = np.broadcast_to(rows > floor_line, (h, w))
    img[floor] = _textured((0.55, 0.38, 0.22), h, w, seed + 1, amount=0.25, cells=30)[floor]
    y0, y1, x0, x1 = int(0.32 * h), int(0.5 * h), int(0.15 * w), int(0.35 * w)
    img[y0:y1, x0:x1] = (0.25, 0.20, 0.15)
    img[y0 + 6:y1 - 6, x0 + 6:x1 - 6] = _textured((0.5, 0.55, 0.45), y1 - y0 - 12, x1 - x0 - 12, seed + 2)
    sy0, sy1, sx0, sx1 = int(0.55 * h), int(0.8 * h), int(0.5 * w), int(0.9 * w)
    img[sy0:sy1, sx0:sx1] = _textured((0.35, 0.30, 0.45), sy1 - sy0, sx1 - sx0, seed + 3, amount=0.2)
    zeros = np.zeros((h, w), np.float32)
    return SyntheticScene(_u8(img), zeros, zeros.copy(), None, "indoor room")


def blue_wall(width: int = 960, height: int = 540, *, seed: int = 0) -> SyntheticScene:
    """A flat sky-blue painted wall filling the frame, with a door, a shelf and a skirting board:
    blue and smooth at the top, yet no sky."""
    h, w = int(height), int(width)
    img = np.zeros((h, w, 3), np.float32)
    shade = 0.95 + 0.05 * fractal_noise(h, w, seed=seed, octaves=3, base_cells=2)[..., None]
    img[:] = np.array((0.42, 0.62, 0.86), np.float32) * shade
    dx0, dx1, dy0 = int(0.6 * w), int(0.78 * w), int(0.25 * h)
    img[dy0:, dx0:dx1] = (0.92, 0.91, 0.88)
    img[dy0:, dx0:dx0 + 4] = img[dy0:, dx1 - 4:dx1] = img[dy0:dy0 + 4, dx0:dx1] = (0.6, 0.6, 0.58)
    img[int(0.4 * h):int(0.43 * h), int(0.1 * w):int(0.4 * w)] = (0.5, 0.35, 0.2)
    img[int(0.92 * h):] = (0.95, 0.95, 0.93)
    zeros = np.zeros((h, w), np.float32)
    return SyntheticScene(_u8(img), zeros, zeros.copy(), None, "blue wall")


def window_room(width: int = 960, height: int = 540, *, seed: int = 0) -> SyntheticScene:
    """A room with a window in its back wall: daylight sky (deep blue overhead, paler and brighter
    toward the horizon) above distant hills, seen through a dark frame. The sky in the window
    is the only sky."""
    h, w = int(height), int(width)
    rng = np.random.default_rng(seed)
    rows = np.arange(h, dtype=np.float32)[:, None]
    img = np.empty((h, w, 3), np.float32)
    img[:] = np.array((0.86, 0.80, 0.70), np.float32) * (0.95 - 0.1 * rows / h)[..., None]  # warm wall
    floor = int(0.7 * h)
    img[floor:] = _textured((0.45, 0.32, 0.22), h - floor, w, seed + 1, amount=0.25, cells=30)
    wy0, wy1 = int(0.12 * h), int(0.55 * h)
    wx0 = int(w * (0.3 + 0.1 * rng.uniform(-1, 1)))
    wx1 = wx0 + int(0.4 * w)
    fr = max(3, w // 80)
    img[wy0 - fr:wy1 + fr, wx0 - fr:wx1 + fr] = (0.30, 0.24, 0.18)  # frame
    ih, iw = wy1 - wy0, wx1 - wx0
    horizon = int(0.72 * ih)
    inner = np.empty((ih, iw, 3), np.float32)
    inner[:horizon] = _sky_gradient(horizon, iw, (0.30, 0.50, 0.88), (0.78, 0.86, 0.95))
    ridge = np.clip(_ridge(iw, horizon - 0.1 * ih, 0.06 * ih, seed + 2), 0, ih - 1)
    hills = np.arange(ih, dtype=np.float32)[:, None] >= ridge[None, :]
    land = _textured((0.30, 0.40, 0.28), ih, iw, seed + 3, amount=0.3, cells=20)
    inner[hills] = land[hills]
    img[wy0:wy1, wx0:wx1] = inner
    sky = np.zeros((h, w), np.float32)
    sky[wy0:wy1, wx0:wx1] = ~hills
    sky[wy0:wy1, wx0:wx1][horizon:] = 0.0
    return SyntheticScene(_u8(img), sky, np.zeros((h, w), np.float32), None, "window room")


def white_room(width: int = 960, height: int = 540, *, seed: int = 0) -> SyntheticScene:
    """A white room lit by a lamp: white ceiling and walls meeting at straight creases with a
    step of shading across them, furniture and a floor below: no sky, no water."""
    h, w = int(height), int(width)
    rng = np.random.default_rng(seed)
    rows = np.arange(h, dtype=np.float32)[:, None]
    xs = np.arange(w, dtype=np.float32)[None, :]
    cx = w * (0.45 + 0.1 * rng.uniform(-1, 1))
    # lamp light falls off smoothly with distance; the walls stand at angles, so each plane
    # takes its own level of light
    light = 0.97 - 0.10 * np.hypot((xs - 0.8 * w) / w, (rows - 0.5 * h) / h)
    img = np.repeat(light[..., None], 3, axis=2).astype(np.float32) * np.array((1.0, 0.99, 0.97), np.float32)
    ceiling = rows < 0.25 * h - 0.35 * (xs - cx)  # a sloping ceiling line
    img[np.broadcast_to(ceiling, (h, w))] *= 0.82
    back = np.broadcast_to(xs < cx, (h, w))
    img[back & ~np.broadcast_to(ceiling, (h, w))] *= 0.88
    top = int(0.62 * h)
    img[top:] = _textured((0.45, 0.35, 0.28), h - top, w, seed + 1, amount=0.3, cells=30)
    sy0, sx0, sx1 = int(0.5 * h), int(0.15 * w), int(0.75 * w)
    img[sy0:top + int(0.15 * h), sx0:sx1] = _textured((0.40, 0.30, 0.22), top + int(0.15 * h) - sy0, sx1 - sx0,
                                                       seed + 2, amount=0.35)
    zeros = np.zeros((h, w), np.float32)
    return SyntheticScene(_u8(np.clip(img, 0, 1)), zeros, zeros.copy(), None, "white room")


def benchmark_scenes(width: int = 640, height: int = 360) -> list[SyntheticScene]:
    """The generator suite used by the segmentation benchmark and tests (fixed seeds)."""
    kw = {"width": width, "height": height}
    return [
        seascape(seed=1, **kw), seascape(seed=2, horizon_frac=0.4, **kw),
        lake(seed=1, **kw), lake(seed=2, horizon_frac=0.5, **kw),
        river(seed=1, **kw), river(seed=2, **kw),
        skyline(seed=1, **kw), skyline(seed=2, overcast=True, **kw),
        overcast(seed=1, **kw), night_sky(seed=1, **kw),
        indoor_room(seed=1, **kw), blue_wall(seed=1, **kw),
    ]


def apply_motions(models, image: np.ndarray, n_frames: int) -> list[np.ndarray]:
    """Frames 0..n_frames (inclusive, so the loop point can be checked) of prepared motion
    models applied in order to copies of ``image`` (H, W, 3) uint8."""
    out = []
    for t in range(n_frames + 1):
        frame = image.copy()
        for model in models:
            model.apply(frame, t)
        out.append(frame)
    return out
