"""Relative error against bits per entry for every signcut method, on the cat and on a Gaussian matrix.

    PYTHONPATH=build/python /usr/bin/python3 examples/python/error_vs_width.py [OUT.png]

For each input: the signed cut decomposition's whole error curve (one decomposition: width w
costs the bits of its .scd file), every method of signcut.methods() at a few budgets
(signcut.compare), and the i.i.d. Gaussian rate-distortion floor 2^-R. Writes a PNG
(error_vs_width.png by default). Most of its time is DBF on the cat: about 2 minutes on
2 free cores, 14 on a busy machine.
"""

import pathlib
import sys
import time

import matplotlib

matplotlib.use("Agg")  # files only, no display needed
import matplotlib.pyplot as plt
import numpy as np

import signcut

# Every method at these budgets; the 16-bit roundings (bf16, f16) meet only 16. Higher budgets
# for all would take minutes: DBF's cost grows with its inner dimension (docs/performance.md).
BUDGETS = [1, 2, 3, 4, 6]
SIXTEEN_BIT = ["bf16", "f16"]
REPO = pathlib.Path(__file__).resolve().parents[2]


def scd_bits_per_entry(shape, width):
    """Bits per entry of the .scd file of `width` cuts with f32 coefficients (docs/formats.md):
    36 + 8k header bytes, ⌈w·Σ n_i / 8⌉ sign bytes, 4 bytes per coefficient."""
    nbytes = 36 + 8 * len(shape) + (width * sum(shape) + 7) // 8 + 4 * width
    return 8 * nbytes / np.prod(shape)


def plot_input(axis, title, a):
    started = time.monotonic()
    d = signcut.decompose(a, bits_per_entry=16)
    widths = np.arange(1, d.width + 1)
    bits = np.array([scd_bits_per_entry(a.shape, w) for w in widths])
    assert bits[-1] == d.bits_per_entry
    axis.plot(bits, d.relative_errors[1:], color="black", linewidth=1.5, label="scd (every width)")

    low = [m for m in signcut.methods() if m not in SIXTEEN_BIT]
    rows = signcut.compare(a, bits=BUDGETS, methods=low) + signcut.compare(a, bits=[16], methods=SIXTEEN_BIT)
    for method in signcut.methods():
        points = [(r["bits_per_entry"], r["relative_error"]) for r in rows
                  if r["method"] == method and r["relative_error"] is not None and r["relative_error"] > 0]
        if points:
            x, y = zip(*points)
            axis.plot(x, y, marker="o", markersize=4, linewidth=0.8, label=method)
    floor = np.linspace(min(BUDGETS), 16, 100)
    axis.plot(floor, 2.0 ** -floor, color="grey", linestyle="--", label="Gaussian floor 2^-R")
    axis.set_yscale("log")
    axis.set_xlabel("bits per entry (everything stored)")
    axis.set_ylabel("relative error ‖A − Â‖ / ‖A‖")
    axis.set_title(f"{title} {'x'.join(map(str, a.shape))}")
    axis.grid(True, which="both", alpha=0.3)
    print(f"{title}: scd width {d.width}, error {d.relative_errors[-1]:.4g} at {d.bits_per_entry:.3f} bits; "
          f"{time.monotonic() - started:.1f} s", flush=True)


def main():
    out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "error_vs_width.png")
    cat = signcut.load_input(REPO / "resources" / "chelsea.png")
    gaussian = np.random.default_rng(1).standard_normal((256, 256)).astype(np.float32)
    figure, axes = plt.subplots(1, 2, figsize=(14, 5.5))
    plot_input(axes[0], "the cat (chelsea.png)", cat)
    plot_input(axes[1], "N(0,1) matrix", gaussian)
    axes[1].legend(fontsize=8, loc="lower left")
    figure.suptitle("signcut: relative error against bits per entry, every method")
    figure.tight_layout()
    figure.savefig(out, dpi=110)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
