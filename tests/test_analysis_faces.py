"""Face detection on the bundled scikit-image photos."""

import numpy as np
import pytest

from cinemagraph.analysis.faces import detect_faces

data = pytest.importorskip("skimage.data")


def test_astronaut_face_with_both_eyes():
    faces = detect_faces(data.astronaut())
    assert len(faces) == 1
    f = faces[0]
    x, y, w, h = f.box.xywh()
    assert 150 <= x + w / 2 <= 300 and 60 <= y + h / 2 <= 180
    assert len(f.eyes) == 2
    for ex, ey in f.eyes:
        assert x <= ex <= x + w and y <= ey <= y + h / 2 + h * 0.15
    assert f.mouth is not None and f.mouth[1] > max(ey for _, ey in f.eyes)
    assert 0.0 < f.score <= 1.0


@pytest.mark.parametrize("name", ["chelsea", "coffee", "rocket"])
def test_no_people_in_animal_and_object_photos(name):
    assert detect_faces(getattr(data, name)()) == ()


def test_scaled_photo_scales_boxes():
    import cv2

    img = data.astronaut()
    big = cv2.resize(img, (1024, 1024), interpolation=cv2.INTER_CUBIC)
    a, b = detect_faces(img)[0], detect_faces(big)[0]
    assert abs(b.box.x0 - 2 * a.box.x0) < 12 and abs(b.box.width - 2 * a.box.width) < 16


def test_to_json_scales_coordinates():
    f = detect_faces(data.astronaut())[0]
    j = f.to_json(2.0)
    assert j["box"][2] == round(f.box.width * 2) and len(j["eyes"]) == 2
