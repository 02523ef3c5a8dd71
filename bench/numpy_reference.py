#!/usr/bin/env python3
"""The greedy signed cut algorithm written plainly in numpy, timed beside signcut's engine in
one run on the same N(0,1) matrix: seconds per cut over the same first cuts, and the engine's
seconds per cut over the whole run to the bf16-equal width.

    PYTHONPATH=build/python python3 bench/numpy_reference.py --size 1024 --cuts 40

The numpy version is the textbook one: s = sign(R t), t = sign(Rᵀ s) until the cut value
sᵀ R t stops growing, c = value / (m n), R ← R − c s tᵀ; each half-step a dense matrix-vector
product (numpy's BLAS), the update a dense rank-one pass. It starts every cut from one seeded
random t, as the engine does.
"""

import argparse
import time

import numpy as np

import signcut


def numpy_greedy(a: np.ndarray, cuts: int, seed: int, max_iterations: int = 100) -> tuple[float, float]:
    """Runs `cuts` cuts; returns (seconds, relative error)."""
    r = a.copy()
    m, n = r.shape
    t0 = np.where(np.random.default_rng(seed).random(n) < 0.5, -1.0, 1.0).astype(np.float32)
    start = time.perf_counter()
    for _ in range(cuts):
        t = t0
        value = -1.0
        for _ in range(max_iterations):
            s = np.where(r @ t < 0, -1.0, 1.0).astype(np.float32)
            g = r.T @ s
            t = np.where(g < 0, -1.0, 1.0).astype(np.float32)
            swept = float(np.abs(g).sum())  # sᵀ R t with t = sign(Rᵀ s)
            grew = swept > value
            value = swept
            if not grew:
                break
        r -= np.float32(value / (m * n)) * np.outer(s, t)
    seconds = time.perf_counter() - start
    return seconds, float(np.linalg.norm(r) / np.linalg.norm(a))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1024, help="N for an N×N N(0,1) matrix (default 1024)")
    parser.add_argument("--cuts", type=int, default=40, help="cuts timed for numpy (default 40)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    a = np.random.default_rng(args.seed).standard_normal((args.size, args.size)).astype(np.float32)
    numpy_seconds, numpy_error = numpy_greedy(a, args.cuts, args.seed)

    start = time.perf_counter()
    prefix = signcut.decompose(a, width=args.cuts, seed=args.seed)
    engine_prefix = time.perf_counter() - start
    start = time.perf_counter()
    whole = signcut.decompose(a, bits_per_entry=16.0, seed=args.seed)
    engine_whole = time.perf_counter() - start

    numpy_per_cut = numpy_seconds / args.cuts
    print(f"matrix           {args.size}×{args.size} N(0,1), numpy {np.__version__}")
    print(f"numpy            {numpy_per_cut * 1e3:.3f} ms per cut over {args.cuts} cuts (error {numpy_error:.6f})")
    print(f"signcut, same    {engine_prefix / args.cuts * 1e3:.4f} ms per cut over the same {args.cuts} cuts "
          f"(error {prefix.relative_errors[-1]:.6f}, setup included): {numpy_seconds / engine_prefix:.0f}× numpy")
    print(f"signcut, whole   {engine_whole / whole.width * 1e3:.4f} ms per cut over {whole.width} cuts (error "
          f"{whole.relative_errors[-1]:.7f}): {numpy_per_cut / (engine_whole / whole.width):.0f}× numpy per cut")


if __name__ == "__main__":
    main()
