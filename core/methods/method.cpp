#include "methods/method.h"

#include <stdexcept>

#include "methods/baselines.h"
#include "methods/coefficient_refit.h"
#include "methods/double_binary.h"
#include "methods/kashin.h"
#include "methods/rotated_quantizer.h"
#include "scd/decomposer.h"
#include "tensor/memory_guard.h"

namespace signcut {
namespace {

bool is_image_like(const Tensor& a) { return a.order() == 3 && a.dim(2) <= 4; }

// Runs a per-matrix method on every matrix of `a` and adds up the bits.
template <typename PerMatrix>
Approximation per_matrix(const Tensor& a, const PerMatrix& method) {
    std::vector<Tensor> parts;
    Approximation total;
    for (const Tensor& matrix : as_matrices(a)) {
        Approximation part = method(matrix);
        if (!part.met_budget) return part;
        total.bits += part.bits;
        total.note = part.note;
        parts.push_back(std::move(part.reconstruction));
    }
    total.reconstruction = from_matrices(parts, a.shape());
    return total;
}

Approximation signed_cuts(const Tensor& a, double bits_per_entry, std::uint64_t seed, bool refit) {
    DecomposeOptions options;
    options.stop.bits_per_entry = bits_per_entry;
    options.seed = seed;
    Decomposer decomposer(a, options);
    decomposer.run();
    const Decomposition& d = decomposer.decomposition();
    if (d.width() == 0) return unmet("one cut needs " + std::to_string(d.bits_per_entry(1)) + " bits per entry");
    Approximation out;
    out.bits = 8 * d.stored_bytes(d.width());
    out.reconstruction = d.reconstruct(d.width());
    out.note = "w = " + std::to_string(d.width());
    if (!refit) return out;
    const double greedy = relative_error(a, out.reconstruction);
    const auto coeffs = refit_coefficients(a, d);
    if (!coeffs) {
        out.note += "; refit skipped (width above 4096), greedy coefficients kept";
        return out;
    }
    out.reconstruction = d.with_coefficients(*coeffs).reconstruct(d.width());
    out.note += "; greedy coefficients gave " + std::to_string(greedy);
    return out;
}

Approximation sixteen_bit(const Tensor& a, double bits_per_entry, bool brain_float) {
    if (bits_per_entry < 16.0) return unmet("needs 16 bits per entry");
    return per_matrix(a, [&](const Tensor& m) { return brain_float ? round_to_bf16(m) : round_to_f16(m); });
}

}  // namespace

std::vector<std::string> method_names() { return {"scd", "scd-refit", "dbf", "kashin", "rtn", "rotq", "bf16", "f16", "svd"}; }

Approximation approximate(const std::string& method, const Tensor& a, double bits_per_entry, std::uint64_t seed) {
    // The dense methods (DBF, Kashin, SVD) hold several double copies of each matrix.
    require_memory(64 * std::uint64_t(a.size()), "approximating a " + shape_to_string(a.shape()) + " tensor with " + method);
    if (method == "scd") return signed_cuts(a, bits_per_entry, seed, false);
    if (method == "scd-refit") return signed_cuts(a, bits_per_entry, seed, true);
    if (method == "rtn") return per_matrix(a, [&](const Tensor& m) { return round_to_int(m, bits_per_entry); });
    if (method == "rotq")
        return per_matrix(a, [&](const Tensor& m) { return rotated_quantization(m, bits_per_entry, seed); });
    if (method == "bf16") return sixteen_bit(a, bits_per_entry, true);
    if (method == "f16") return sixteen_bit(a, bits_per_entry, false);
    if (method == "svd") return per_matrix(a, [&](const Tensor& m) { return truncated_svd(m, bits_per_entry); });
    if (method == "kashin")
        return per_matrix(a, [&](const Tensor& m) { return kashin_quantization(m, bits_per_entry, seed); });
    if (method == "dbf")
        return per_matrix(a, [&](const Tensor& m) {
            const std::size_t k = dbf_middle_for_budget(m.dim(0), m.dim(1), bits_per_entry);
            if (k == 0)
                return unmet("k = 1 needs " + std::to_string(double(dbf_bits(m.dim(0), m.dim(1), 1)) / double(m.size())) +
                             " bits per entry");
            return double_binary_factorisation(m, k).approximation;
        });
    throw std::invalid_argument("unknown method '" + method + "'");
}

std::vector<Tensor> as_matrices(const Tensor& a) {
    if (is_image_like(a)) {
        const std::size_t rows = a.dim(0), cols = a.dim(1), channels = a.dim(2);
        std::vector<Tensor> out(channels, Tensor({rows, cols}));
        for (std::size_t i = 0; i < rows * cols; ++i)
            for (std::size_t c = 0; c < channels; ++c) out[c][i] = a[i * channels + c];
        return out;
    }
    const std::size_t rows = a.order() == 1 ? 1 : a.dim(0);
    return {Tensor({rows, a.size() / rows}, std::vector<float>(a.data().begin(), a.data().end()))};
}

Tensor from_matrices(const std::vector<Tensor>& matrices, const Shape& shape) {
    Tensor out(shape);
    if (matrices.size() == 1) {
        std::copy(matrices.front().data().begin(), matrices.front().data().end(), out.data().begin());
        return out;
    }
    const std::size_t pixels = matrices.front().size(), channels = matrices.size();
    for (std::size_t i = 0; i < pixels; ++i)
        for (std::size_t c = 0; c < channels; ++c) out[i * channels + c] = matrices[c][i];
    return out;
}

}  // namespace signcut
