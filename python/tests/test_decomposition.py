"""Decomposition: its error curve, signs, coefficients, reconstruction, save and load."""

import time

import numpy as np
import pytest

import signcut


def test_reconstruct_has_the_error_the_curve_states(gaussian):
    d = signcut.decompose(gaussian, width=60)
    norm = np.linalg.norm(gaussian.astype(np.float64))
    assert d.relative_errors.dtype == np.float64 and d.relative_errors.shape == (61,)
    assert d.relative_errors[0] == 1.0
    for w in (0, 1, 17, 60):
        error = np.linalg.norm(gaussian.astype(np.float64) - d.reconstruct(w)) / norm
        assert error == pytest.approx(d.relative_errors[w], rel=1e-4, abs=1e-6)
    assert np.array_equal(d.reconstruct(), d.reconstruct(60))


def test_signs_and_coefficients_rebuild_the_reconstruction(gaussian):
    d = signcut.decompose(gaussian, width=12)
    s, t, c = d.signs(0), d.signs(1), d.coefficients
    assert s.dtype == np.int8 and s.shape == (12, 40) and t.shape == (12, 56)
    assert set(np.unique(s)) <= {-1, 1} and set(np.unique(t)) <= {-1, 1}
    assert c.dtype == np.float32 and c.shape == (12,)
    rebuilt = np.einsum("j,ji,jk->ik", c.astype(np.float64), s.astype(np.float64), t.astype(np.float64))
    assert np.allclose(rebuilt, d.reconstruct(), atol=1e-5)


def test_nbytes_is_the_size_of_the_saved_file(gaussian, tmp_path):
    d = signcut.decompose(gaussian, bits_per_entry=3)
    d.save(tmp_path / "g.scd")
    assert d.stop_reason == "bits_per_entry"
    assert d.nbytes == (tmp_path / "g.scd").stat().st_size
    assert d.bits_per_entry == pytest.approx(8 * d.nbytes / gaussian.size) and d.bits_per_entry <= 3


def test_load_gives_back_the_saved_decomposition(gaussian, tmp_path):
    d = signcut.decompose(gaussian, width=25, precision="f16")
    d.save(str(tmp_path / "g.scd"))
    back = signcut.load(tmp_path / "g.scd")
    assert (back.width, back.shape, back.precision, back.stop_reason) == (25, (40, 56), "f16", "loaded")
    assert np.array_equal(back.coefficients, d.coefficients)
    assert np.array_equal(back.signs(1), d.signs(1))
    assert np.array_equal(back.reconstruct(), d.reconstruct())
    assert np.allclose(back.relative_errors, d.relative_errors, rtol=1e-4)


def test_order_one_and_order_four_arrays_decompose():
    rng = np.random.default_rng(4)
    for a in (rng.standard_normal(50), rng.standard_normal((3, 4, 5, 6))):
        d = signcut.decompose(a, width=8)
        assert d.shape == a.shape and d.reconstruct().shape == a.shape
        assert d.relative_errors[-1] < 1


def test_target_error_stops_once_reached(gaussian):
    d = signcut.decompose(gaussian, target_error=0.5)
    assert d.stop_reason == "target_error"
    assert d.relative_errors[-1] <= 0.5 < d.relative_errors[-2]


class Enough(Exception):
    """Raised from a progress callback to end an endless run once the test has seen enough."""


def test_progress_is_called_at_most_every_100_ms(endless):
    # The run cannot end before the callback ends it, so the calls seen do not depend on how
    # fast the machine is; only the throttle decides their spacing.
    a, width = endless
    calls = []

    def record(w, e):
        calls.append((time.monotonic(), w, e))
        if len(calls) == 4:
            raise Enough

    with pytest.raises(Enough):
        signcut.decompose(a, width=width, progress=record)
    gaps = np.diff([t for t, _, _ in calls])
    assert gaps.min() >= 0.095
    widths = [w for _, w, _ in calls]
    assert widths == sorted(widths) and len(set(widths)) == len(widths)  # only new widths are reported
    # Each reported error is the curve's at that width: the same seed gives the same cuts.
    d = signcut.decompose(a, width=widths[-1])
    assert all(e == pytest.approx(d.relative_errors[w]) for _, w, e in calls)


def test_an_exception_in_progress_stops_the_call(endless):
    a, width = endless

    def fail(width, error):
        raise RuntimeError("stop here")

    with pytest.raises(RuntimeError, match="stop here"):
        signcut.decompose(a, width=width, progress=fail)
