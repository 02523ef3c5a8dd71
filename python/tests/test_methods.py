"""Every registered method through approximate()."""

import subprocess

import numpy as np
import pytest

import signcut


def test_methods_are_the_cli_list(cli, tmp_path):
    np.save(tmp_path / "a.npy", np.ones((2, 2), dtype=np.float32))
    with pytest.raises(subprocess.CalledProcessError) as failure:
        cli("compare", tmp_path / "a.npy", "--methods", "none")
    names = signcut.methods()
    assert "scd" in names and "dbf" in names and len(names) == len(set(names))
    assert f"(known: {','.join(names)})" in failure.value.stderr


IMAGE_CODECS = ("jpeg", "webp", "png")  # pictures only: values in [0, 1], height x width (x 3)


@pytest.mark.parametrize("method", signcut.methods())
def test_every_method_meets_a_budget_it_can_and_reports_its_cost(method, gaussian):
    budget = 16 if method in ("bf16", "f16", "png") else 4
    if method in IMAGE_CODECS:  # a smooth picture, which a codec and even PNG store in the budget
        rows, cols = np.mgrid[0:40, 0:56]
        gaussian = np.stack([(rows + cols) / 96, rows / 40, cols / 56], axis=-1).astype(np.float32)
    result = signcut.approximate(gaussian, method, bits_per_entry=budget, seed=3, dbf_iterations=3)
    assert result.reconstruction is not None, result.note
    assert result.reconstruction.shape == gaussian.shape and result.reconstruction.dtype == np.float32
    assert 0 < result.bits_per_entry <= budget
    error = np.linalg.norm(gaussian - result.reconstruction) / np.linalg.norm(gaussian)
    assert result.relative_error == pytest.approx(error, rel=1e-4)
    assert result.relative_error < 1  # better than the zero matrix


def test_codecs_refuse_what_is_not_a_picture(gaussian):
    for method in IMAGE_CODECS:
        result = signcut.approximate(gaussian, method, bits_per_entry=8)
        assert result.reconstruction is None and "pictures only" in result.note


def test_a_budget_below_a_methods_minimum_is_reported_unmet(gaussian):
    result = signcut.approximate(gaussian, "bf16", bits_per_entry=4)
    assert result.reconstruction is None and result.bits_per_entry is None and result.relative_error is None
    assert "16 bits" in result.note


def test_approximate_is_deterministic_for_a_seed(gaussian):
    a = signcut.approximate(gaussian, "rotq", bits_per_entry=2, seed=9)
    b = signcut.approximate(gaussian, "rotq", bits_per_entry=2, seed=9)
    assert np.array_equal(a.reconstruction, b.reconstruction)


def test_compare_ends_with_the_rate_distortion_floors(gaussian):
    rows = signcut.compare(gaussian, bits=[2], methods=["scd"])
    assert [r["method"] for r in rows] == ["scd", "bound-iid", "bound-waterfilling", "bound-universal"]
    assert rows[1]["relative_error"] == pytest.approx(0.25)  # 2^-R
