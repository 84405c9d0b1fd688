"""Writing the small subset of TOML that recipes and the sound manifest need (the standard
library reads TOML but does not write it).

>>> toml_value([1, 2.5, "a"]), toml_value(True)
('[1, 2.5, "a"]', 'true')
"""

from __future__ import annotations

import json
from typing import Any


def toml_value(v: Any) -> str:
    """A scalar or list as a TOML value (the small subset recipes and manifests need)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    raise TypeError(f"cannot write {type(v).__name__} to TOML")
