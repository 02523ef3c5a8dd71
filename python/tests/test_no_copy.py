"""A C-contiguous float32 input is read in place; other layouts and dtypes are converted once."""

import numpy as np

import signcut
from signcut import _signcut


def test_c_contiguous_float32_is_read_in_place(gaussian):
    address, in_place = _signcut._input_address(gaussian)
    assert in_place and address == gaussian.ctypes.data


def test_a_read_only_float32_array_is_read_in_place_and_left_unchanged(gaussian):
    gaussian.flags.writeable = False
    before = gaussian.copy()
    address, in_place = _signcut._input_address(gaussian)
    assert in_place and address == gaussian.ctypes.data
    signcut.decompose(gaussian, width=10)
    signcut.approximate(gaussian, "rtn", bits_per_entry=4)
    assert np.array_equal(gaussian, before)


def test_other_dtypes_and_layouts_are_converted(gaussian):
    for other in (gaussian.astype(np.float64), gaussian.astype(np.float16), np.asfortranarray(gaussian),
                  gaussian[:, ::2], gaussian.astype(">f4")):
        address, in_place = _signcut._input_address(other)
        assert not in_place and address != other.ctypes.data


def test_a_converted_input_gives_the_same_result_as_float32(gaussian):
    a = signcut.approximate(gaussian, "kashin", bits_per_entry=2)
    b = signcut.approximate(gaussian.astype(np.float64), "kashin", bits_per_entry=2)
    assert np.array_equal(a.reconstruction, b.reconstruction)
