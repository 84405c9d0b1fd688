"""The examples in the package's docstrings run and print what they say."""

import doctest
import importlib
import pkgutil

import pytest

import cinemagraph

MODULES = sorted(m.name for m in pkgutil.walk_packages(cinemagraph.__path__, "cinemagraph.")
                 if m.name != "cinemagraph.__main__")


@pytest.mark.parametrize("name", ["cinemagraph"] + MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0
