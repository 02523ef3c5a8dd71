"""d @ x: the product from the sign bits equals the dense reconstruction times x."""

import numpy as np
import pytest

import signcut
from signcut import _signcut


@pytest.fixture(scope="module")
def decomposition():
    a = np.random.default_rng(3).standard_normal((60, 90)).astype(np.float32)
    return signcut.decompose(a, width=40)


def relative_difference(y, exact):
    return np.linalg.norm(y - exact) / np.linalg.norm(exact)


def test_matmul_of_a_vector_matches_the_dense_reconstruction(decomposition):
    x = np.random.default_rng(4).standard_normal(90).astype(np.float32)
    y = decomposition @ x
    assert y.dtype == np.float32 and y.shape == (60,)
    exact = decomposition.reconstruct().astype(np.float64) @ x.astype(np.float64)
    assert relative_difference(y, exact) < 1e-5


def test_matmul_of_a_matrix_equals_its_columns_one_at_a_time(decomposition):
    x = np.random.default_rng(5).standard_normal((90, 7)).astype(np.float32)
    y = decomposition @ x
    assert y.shape == (60, 7)
    exact = decomposition.reconstruct().astype(np.float64) @ x.astype(np.float64)
    assert relative_difference(y, exact) < 1e-5
    for v in range(7):
        assert np.array_equal(y[:, v], decomposition @ np.ascontiguousarray(x[:, v]))


def test_a_loaded_decomposition_gives_the_same_product(decomposition, tmp_path):
    decomposition.save(tmp_path / "d.scd")
    x = np.random.default_rng(6).standard_normal(90).astype(np.float32)
    assert np.array_equal(signcut.load(tmp_path / "d.scd") @ x, decomposition @ x)


def test_an_order_3_tensor_multiplies_its_first_mode_unfolding():
    a = np.random.default_rng(7).standard_normal((12, 10, 3)).astype(np.float32)
    d = signcut.decompose(a, width=30)
    x = np.random.default_rng(8).standard_normal(30).astype(np.float32)
    exact = d.reconstruct().reshape(12, -1).astype(np.float64) @ x.astype(np.float64)
    assert relative_difference(d @ x, exact) < 1e-5


def test_a_wrong_length_is_one_clear_value_error(decomposition):
    with pytest.raises(ValueError, match="90"):
        decomposition @ np.zeros(89, np.float32)
    with pytest.raises(ValueError):
        decomposition @ np.zeros((90, 2, 2), np.float32)


def test_float32_x_is_read_in_place_and_left_unchanged(decomposition):
    # `@` reads x through the same ArrayInput as decompose() (test_no_copy.py): a C-contiguous
    # float32 array in place, even a read-only one.
    x = np.random.default_rng(9).standard_normal((90, 64)).astype(np.float32)
    x.flags.writeable = False
    before = x.copy()
    address, in_place = _signcut._input_address(x)
    assert in_place and address == x.ctypes.data
    y = decomposition @ x
    assert np.array_equal(x, before)
    # A float64 x is converted once, to the same float32 values.
    assert np.array_equal(decomposition @ x.astype(np.float64), y)


def test_a_dbf_approximation_multiplies_from_its_bits():
    a = np.random.default_rng(10).standard_normal((48, 70)).astype(np.float32)
    r = signcut.approximate(a, "dbf", bits_per_entry=2, dbf_iterations=6)
    x = np.random.default_rng(11).standard_normal((70, 3)).astype(np.float32)
    exact = r.reconstruction.astype(np.float64) @ x.astype(np.float64)
    assert relative_difference(r @ x, exact) < 1e-5
    with pytest.raises(ValueError, match="70"):
        r @ np.zeros(69, np.float32)


def test_other_approximations_say_they_have_no_product_from_bits():
    a = np.random.default_rng(12).standard_normal((48, 70)).astype(np.float32)
    with pytest.raises(ValueError, match="dbf"):
        signcut.approximate(a, "rtn", bits_per_entry=4) @ np.zeros(70, np.float32)
