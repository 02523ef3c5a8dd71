// Decomposes a 200 × 300 Gaussian matrix to width 50 with an installed signcut_core and prints
// the relative error ‖R_w‖ / ‖A‖ at a few widths.
#include <cstdio>

#include "scd/decomposer.h"
#include "tensor/random_tensor.h"

int main() {
    signcut::DecomposeOptions options;
    options.stop.width = 50;
    const signcut::Decomposition d = signcut::decompose(signcut::gaussian_tensor({200, 300}, 1), options);
    for (std::size_t w : {std::size_t(0), std::size_t(10), d.width()})
        std::printf("width %3zu: relative error %.4f\n", w, d.relative_error(w));
    return d.width() == 50 ? 0 : 1;
}
