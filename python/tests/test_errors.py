"""Errors as Python expects them: ValueError for bad arrays and options, OSError for files,
RuntimeError for a wrong SIGNCUT_ISA."""

import os
import subprocess
import sys

import numpy as np
import pytest

import signcut


@pytest.mark.parametrize("bad, message", [
    (np.array([[1.0, np.nan], [0.0, 1.0]]), "1 NaN or infinite entries"),
    (np.array([[1.0, np.inf], [-np.inf, 1.0]], dtype=np.float32), "2 NaN or infinite entries"),
    (np.zeros((0, 3), dtype=np.float32), "dimension of size 0"),
    (np.float32(2.0), "at least one dimension"),
    (np.ones((3, 3), dtype=np.int64), "unsupported dtype 'int64'"),
    (np.ones((3, 3), dtype=np.complex64), "unsupported dtype 'complex64'"),
])
def test_bad_arrays_raise_value_error(bad, message):
    with pytest.raises(ValueError, match=message):
        signcut.decompose(bad, width=2)
    with pytest.raises(ValueError, match=message):
        signcut.approximate(bad, "rtn", bits_per_entry=4)


@pytest.mark.parametrize("call, message", [
    (lambda a: signcut.decompose(a, precision="f8"), "precision must be f32, f16 or bf16, not 'f8'"),
    (lambda a: signcut.decompose(a, width=-1), "width needs a non-negative whole number"),
    (lambda a: signcut.decompose(a, seed=-2), "seed needs a non-negative whole number"),
    (lambda a: signcut.decompose(a, bits_per_entry=0), "bits per entry must be positive"),
    (lambda a: signcut.decompose(a, target_error=1.5), "target relative error must lie in"),
    (lambda a: signcut.decompose(a, threads=0), "threads must be positive"),
    (lambda a: signcut.decompose(a, progress=3), "progress must be a callable"),
    (lambda a: signcut.decompose(a, width=3).reconstruct(4), "exceeds the decomposition's 3 cuts"),
    (lambda a: signcut.decompose(a, width=3).signs(2), "mode must lie in"),
    (lambda a: signcut.approximate(a, "nope"), "unknown method 'nope' \\(known: scd,"),
    (lambda a: signcut.approximate(a, "rtn", bits_per_entry=-1), "bits per entry must be positive"),
    (lambda a: signcut.compare(a, bits=[]), "at least one budget"),
    (lambda a: signcut.compress_model("x.safetensors", "x.scdz"), "exactly one of bits_per_entry and fraction_of_bf16"),
    (lambda a: signcut.compress_model("x", "y", bits_per_entry=2, method="jpeg"), "has no stored form"),
    (lambda a: signcut.expand_model("x.scdz", "y", dtype="int8"), "dtype takes bf16, f16 or f32"),
])
def test_bad_options_raise_value_error(call, message, gaussian):
    with pytest.raises(ValueError, match=message):
        call(gaussian)


def test_unreadable_files_raise_os_error_naming_the_file(tmp_path):
    missing = tmp_path / "missing"
    for call in (lambda: signcut.load(f"{missing}.scd"), lambda: signcut.load_input(f"{missing}.png"),
                 lambda: signcut.compress_model(f"{missing}.safetensors", tmp_path / "o.scdz", bits_per_entry=4),
                 lambda: signcut.expand_model(f"{missing}.scdz", tmp_path / "o.safetensors")):
        with pytest.raises(OSError, match="missing"):
            call()
    corrupt = tmp_path / "corrupt.scd"
    corrupt.write_bytes(b"SCD\x1a" + bytes(60))
    with pytest.raises(OSError, match="corrupt.scd"):
        signcut.load(corrupt)


@pytest.mark.parametrize("isa, message", [
    ("avx-512", "SIGNCUT_ISA=avx-512: no such instruction set"),
    ("AVX2", "SIGNCUT_ISA=AVX2: no such instruction set"),
])
def test_a_wrong_signcut_isa_is_one_runtime_error(isa, message):
    # In a child interpreter: the kernels are chosen once per process.
    code = "import numpy, signcut; signcut.decompose(numpy.ones((4, 3), numpy.float32), width=1)"
    env = dict(os.environ, SIGNCUT_ISA=isa)
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert run.returncode == 1
    assert run.stderr.splitlines()[-1].startswith("RuntimeError: " + message)
