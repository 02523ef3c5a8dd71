"""Outliers apart: entries kept apart from the cuts, as decompose() and signcut-cli choose them."""

import json

import numpy as np
import pytest

import signcut


@pytest.fixture(scope="module")
def spiky():
    """The issue's case: N(0,1) 512 x 384 with 0.1 % of the entries replaced by 30·N(0,1)."""
    rng = np.random.default_rng(7)
    a = rng.standard_normal((512, 384)).astype(np.float32)
    chosen = rng.choice(a.size, a.size // 1000, replace=False)
    a.flat[chosen] = 30 * rng.standard_normal(chosen.size)
    return a


@pytest.mark.parametrize("bits, target", [(2, 0.32), (8, 0.025), (16, 0.001)])
def test_auto_reaches_the_targets_within_budget(spiky, bits, target):
    d = signcut.decompose(spiky, bits_per_entry=bits)  # outliers="auto" is the default
    plain = signcut.decompose(spiky, bits_per_entry=bits, outliers=0)
    indices, values = d.outliers
    assert indices.dtype == np.int64 and values.dtype == np.float32 and indices.shape == values.shape
    assert len(indices) > 100 and plain.outliers[0].size == 0
    error = np.linalg.norm(spiky.astype(np.float64) - d.reconstruct()) / np.linalg.norm(spiky.astype(np.float64))
    assert error <= target < plain.relative_errors[-1]
    assert error == pytest.approx(d.relative_errors[-1], rel=1e-3)
    assert d.bits_per_entry <= bits


def test_a_fixed_count_keeps_the_largest_exactly(spiky):
    d = signcut.decompose(spiky, bits_per_entry=4, outliers=196)
    indices, values = d.outliers
    largest = np.sort(np.argsort(-np.abs(spiky), axis=None, kind="stable")[:196])
    assert np.array_equal(indices, largest)
    assert np.array_equal(values, spiky.flat[largest])


def test_outliers_survive_save_and_load_and_match_the_cli(spiky, tmp_path, cli):
    d = signcut.decompose(spiky, bits_per_entry=8)
    d.save(tmp_path / "s.scd")
    back = signcut.load(tmp_path / "s.scd")
    assert all(np.array_equal(x, y) for x, y in zip(back.outliers, d.outliers))
    assert np.array_equal(back.reconstruct(), d.reconstruct())
    np.save(tmp_path / "s.npy", spiky)
    report = json.loads(cli("decompose", tmp_path / "s.npy", "--bits-per-entry", 8, "--json"))
    assert report["outliers"] == len(d.outliers[0]) and report["width"] == d.width
    info = json.loads(cli("info", tmp_path / "s.scd", "--json"))
    assert info["outliers"] == len(d.outliers[0])


@pytest.mark.parametrize("bad", ["some", -1, 2.5, True])
def test_bad_outlier_options_are_value_errors(spiky, bad):
    with pytest.raises(ValueError):
        signcut.decompose(spiky[:8, :8], width=2, outliers=bad)
