"""signcut: signed cut decompositions of numpy arrays, and the rival low-bit methods.

    import numpy as np, signcut
    a = signcut.load_input("chelsea.png")            # float32, 300 x 451 x 3
    d = signcut.decompose(a, bits_per_entry=2)       # A ≈ Σ_j c_j s_j ⊗ t_j ⊗ u_j, s, t, u of ±1
    d.width, d.nbytes, d.relative_errors[-1]
    d.save("cat.scd"); signcut.load("cat.scd").reconstruct()
    signcut.approximate(a, "dbf", bits_per_entry=2).relative_error
    signcut.compare(a, bits=[1, 2, 4])                # the rows of signcut-cli compare --json

Every call releases the GIL while it computes and answers Ctrl-C. help(signcut.decompose)
and the others say more; errors are ValueError (bad arrays or options) and OSError (files).
"""

from ._signcut import (
    Approximation,
    Decomposition,
    approximate,
    compare,
    compress_model,
    decompose,
    expand_model,
    load,
    load_input,
    methods,
)

__all__ = [
    "Approximation",
    "Decomposition",
    "approximate",
    "compare",
    "compress_model",
    "decompose",
    "expand_model",
    "load",
    "load_input",
    "methods",
]
