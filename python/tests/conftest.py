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


@pytest.fixture(scope="session")
def time_scale():
    """SIGNCUT_TEST_TIME_SCALE (as tests/test_support.h): latency bounds are multiplied by it."""
    return max(1, int(os.environ.get("SIGNCUT_TEST_TIME_SCALE", "1") or 1))


@pytest.fixture(scope="session")
def endless():
    """A decomposition no machine finishes during a test: 200 000 cuts of a 1500 × 1500 matrix,
    each of which updates all 2.25 M entries of the residual (4.5·10¹¹ updates, minutes even at
    10¹¹ a second). Tests that need a run in progress stop it themselves, from its progress
    callback or by a signal, instead of assuming how long some fixed work takes."""
    a = np.random.default_rng(8).standard_normal((1500, 1500)).astype(np.float32)
    return a, 200_000


@pytest.fixture
def gaussian():
    """A small N(0,1) matrix, float32 and C-contiguous."""
    return np.random.default_rng(7).standard_normal((40, 56)).astype(np.float32)
