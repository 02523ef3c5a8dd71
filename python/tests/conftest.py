"""Shared fixtures: the signcut-cli the module is compared with, the bundled cat, small inputs.

CTest sets SIGNCUT_CLI and SIGNCUT_RESOURCES (python/CMakeLists.txt); run by hand, the
defaults are those of a build in build/ at the top of the repository.
"""

import os
import pathlib
import subprocess

import numpy as np
import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def cli():
    path = pathlib.Path(os.environ.get("SIGNCUT_CLI", REPO / "build" / "app" / "signcut-cli"))
    assert path.exists(), f"signcut-cli not found at {path}"

    def run(*args):
        return subprocess.run([str(path), *map(str, args)], check=True, capture_output=True, text=True).stdout

    return run


@pytest.fixture(scope="session")
def cat_path():
    return pathlib.Path(os.environ.get("SIGNCUT_RESOURCES", REPO / "resources")) / "chelsea.png"


@pytest.fixture
def gaussian():
    """A small N(0,1) matrix, float32 and C-contiguous."""
    return np.random.default_rng(7).standard_normal((40, 56)).astype(np.float32)
