#include "methods/method.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "io/bit_stream.h"
#include "io/file_access.h"
#include "io/scd_file.h"
#include "methods/baselines.h"
#include "methods/coefficient_refit.h"
#include "methods/dbf_stored_form.h"
#include "methods/double_binary.h"
#include "methods/entries_apart.h"
#include "methods/image_codecs.h"
#include "methods/kashin.h"
#include "methods/rotated_quantizer.h"
#include "methods/round_to_nearest.h"
#include "methods/trellis_coded.h"
#include "scd/decomposer.h"
#include "tensor/float16.h"
#include "tensor/memory_guard.h"

namespace signcut {
namespace {

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
        if (a.order() == 2) {  // one matrix, as it is
            total.dbf_factors = std::move(part.dbf_factors);
            total.payload = std::move(part.payload);
        }
        parts.push_back(std::move(part.reconstruction));
    }
    total.reconstruction = from_matrices(parts, a.shape());
    return total;
}

// Σ over the matrices of `shape` of a per-matrix bit count, in bits per entry.
template <typename Bits>
double per_matrix_rate(const Shape& shape, const Bits& bits) {
    double total = 0, entries = 0;
    for (const auto& [rows, cols] : matrix_sides(shape)) {
        total += double(bits(rows, cols));
        entries += double(rows) * double(cols);
    }
    return total / entries;
}

Approximation signed_cuts(const Tensor& a, const MethodOptions& o, bool refit) {
    const DecomposeOptions options = decompose_options(o);
    Decomposer decomposer(a, options);
    decomposer.run();
    const Decomposition& d = decomposer.decomposition();
    if (d.width() == 0) return unmet("one cut needs " + std::to_string(d.bits_per_entry(1)) + " bits per entry");
    Approximation out;
    out.bits = 8 * d.stored_bytes(d.width());
    out.reconstruction = d.reconstruct(d.width());
    out.width = d.width();
    out.note = "w = " + std::to_string(d.width());
    if (d.outlier_count() > 0) out.note += ", " + std::to_string(d.outlier_count()) + " entries apart";
    if (!refit) {
        out.payload = encode_scd(d, d.width());
        return out;
    }
    // No stored form: a refitted decomposition keeps no residual norms for a .scd header.
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

// A .scd payload: the cuts of a tensor of `shape`, all of them.
Tensor load_signed_cuts(std::span<const char> payload, const Shape& shape) {
    Decomposition d;
    try {
        d = decode_scd(payload);
    } catch (const FileError& error) {
        throw std::invalid_argument(error.what());
    }
    if (d.shape() != shape)
        throw std::invalid_argument("scd payload: shape " + shape_to_string(d.shape()) + " where the index says " +
                                    shape_to_string(shape));
    return d.reconstruct(d.width());
}

double one_cut_rate(const Shape& shape, const MethodOptions& options) {
    return 8.0 * double(scd_file_bytes(shape, 1, options.precision)) / double(element_count(shape));
}

Approximation sixteen_bit(const Tensor& a, double bits_per_entry, bool brain_float) {
    if (bits_per_entry < 16.0) return unmet("needs 16 bits per entry");
    Approximation out =
        per_matrix(a, [&](const Tensor& m) { return brain_float ? round_to_bf16(m) : round_to_f16(m); });
    BitWriter payload;  // every entry's 16 bits, in order
    for (float x : a.data()) payload.put(brain_float ? float_to_bf16_bits(x) : float_to_f16_bits(x), 16);
    out.payload = payload.finish();
    return out;
}

template <bool brain_float>
Tensor load_sixteen_bit(std::span<const char> payload, const Shape& shape) {
    if (payload.size() != 2 * std::uint64_t(element_count(shape)))
        throw std::invalid_argument("16-bit payload: " + std::to_string(payload.size()) + " bytes for " +
                                    shape_to_string(shape));
    Tensor out(shape);
    BitReader in(payload);
    for (float& x : out.data()) {
        const auto bits = std::uint16_t(in.get(16));
        x = brain_float ? bf16_bits_to_float(bits) : f16_bits_to_float(bits);
    }
    return out;
}

Approximation double_binary(const Tensor& a, const MethodOptions& o) {
    return per_matrix(a, [&](const Tensor& m) {
        const std::size_t k = dbf_middle_for_budget(m.dim(0), m.dim(1), o.bits_per_entry);
        if (k == 0)
            return unmet("k = 1 needs " + std::to_string(double(dbf_bits(m.dim(0), m.dim(1), 1)) / double(m.size())) +
                         " bits per entry");
        // The ADMM holds about a dozen k × max(m, n) double matrices.
        require_memory(96 * std::uint64_t(k) * (m.dim(0) + m.dim(1)), "DBF with k = " + std::to_string(k));
        const int iterations = o.dbf_iterations > 0 ? o.dbf_iterations : DbfOptions{}.iterations;
        DbfResult result = double_binary_factorisation(m, k, {.iterations = iterations, .seed = o.seed});
        // The error along the outer iterations (at 1, 2, 4, … and the last), for the tooltips.
        std::string trace;
        const std::vector<double>& errors = result.error_by_iteration;
        for (std::size_t i = 1; i <= errors.size();
             i = i * 2 > errors.size() && i < errors.size() ? errors.size() : i * 2) {
            char step[32];
            std::snprintf(step, sizeof step, "%s%zu: %.4f", trace.empty() ? "" : ", ", i, errors[i - 1]);
            trace += step;
        }
        result.approximation.note += "; error after iteration " + trace;
        result.approximation.payload = dbf_payload(result.factors);
        result.approximation.dbf_factors = std::make_shared<const DbfFactors>(std::move(result.factors));
        return result.approximation;
    });
}

const std::vector<MethodInfo> kMethods = {
    {"scd", "Signed cuts: Σ c_j s_j ⊗ t_j with ±1 vectors, found greedily; w·(m+n) bits + w coefficients.", "#1f77b4",
     one_cut_rate, [](const Tensor& a, const MethodOptions& o) { return signed_cuts(a, o, false); }, false, false,
     load_signed_cuts},
    {"scd-refit", "The same signed cuts with all coefficients refitted by least squares: same bits, lower error.",
     "#17becf", one_cut_rate, [](const Tensor& a, const MethodOptions& o) { return signed_cuts(a, o, true); }},
    {"dbf",
     "Double binary factorisation diag(a)·S1·diag(m)·S2·diag(b) (Boža & Macko), fitted by ADMM: two ±1 matrices "
     "with k middle columns, f16 scales.",
     "#d62728",
     [](const Shape& s, const MethodOptions&) {
         return per_matrix_rate(s, [](std::size_t m, std::size_t n) { return dbf_bits(m, n, 1); });
     },
     double_binary, false, false, load_double_binary},
    {"kashin",
     "Kashin quantisation: X = U + Q1ᵀVQ2 with small ∞-norms, U and V in rows at mixed widths with "
     "k-means centroids.",
     "#9467bd",
     [](const Shape& s, const MethodOptions&) {
         return per_matrix_rate(s, [](std::size_t m, std::size_t) { return kashin_minimum_bits(m); });
     },
     [](const Tensor& a, const MethodOptions& o) {
         return per_matrix(a, [&](const Tensor& m) { return kashin_quantization(m, o.bits_per_entry, o.seed); });
     },
     false, true, load_kashin_quantization},
    {"rtn",
     "Round to nearest, asymmetric min–max with an f16 scale and zero point per group (LLM convention), rows at "
     "mixed widths.",
     "#ff7f0e",
     [](const Shape& s, const MethodOptions& o) {
         return per_matrix_rate(s, [&](std::size_t m, std::size_t n) { return rtn_minimum_bits(m, n, o.group_size); });
     },
     [](const Tensor& a, const MethodOptions& o) {
         return per_matrix(a, [&](const Tensor& m) { return round_to_nearest(m, o.bits_per_entry, o.group_size); });
     },
     false, true, load_round_to_nearest},
    {"rotq",
     "Random orthogonal rotation of every row (any length, no padding), then the Lloyd–Max quantiser for a Gaussian, "
     "rows at mixed widths.",
     "#2ca02c",
     [](const Shape& s, const MethodOptions&) {
         return per_matrix_rate(s, [](std::size_t m, std::size_t) { return rotq_minimum_bits(m); });
     },
     [](const Tensor& a, const MethodOptions& o) {
         return per_matrix(a, [&](const Tensor& m) { return rotated_quantization(m, o.bits_per_entry, o.seed); });
     },
     false, false, load_rotated_quantization},
    {"tcq",
     "Trellis-coded quantisation (QTIP's tail-biting bitshift trellis) after a random rotation of every row, rows at "
     "mixed widths by their energy.",
     "#e7298a",
     [](const Shape& s, const MethodOptions& o) {
         return per_matrix_rate(s, [&](std::size_t m, std::size_t) { return tcq_minimum_bits(m, o.trellis_state_bits); });
     },
     [](const Tensor& a, const MethodOptions& o) {
         TcqOptions options;
         options.state_bits = o.trellis_state_bits;
         options.seed = o.seed;
         return per_matrix(a,
                           [&](const Tensor& m) { return trellis_coded_quantization(m, o.bits_per_entry, options); });
     },
     false, false, load_trellis_coded_quantization},
    {"bf16", "Round every entry to bfloat16: 16 bits per entry.", "#8c564b", [](const Shape&, const MethodOptions&) { return 16.0; },
     [](const Tensor& a, const MethodOptions& o) { return sixteen_bit(a, o.bits_per_entry, true); }, false, false,
     load_sixteen_bit<true>},
    {"f16", "Round every entry to IEEE half precision: 16 bits per entry.", "#e377c2",
     [](const Shape&, const MethodOptions&) { return 16.0; },
     [](const Tensor& a, const MethodOptions& o) { return sixteen_bit(a, o.bits_per_entry, false); }, false, false,
     load_sixteen_bit<false>},
    {"svd",
     "Truncated SVD with bf16 factors (16·k·(m+n) bits for rank k), the bits left over in one more component at int-b.",
     "#bcbd22",
     [](const Shape& s, const MethodOptions&) {
         return per_matrix_rate(s, [](std::size_t m, std::size_t n) { return svd_minimum_bits(m, n); });
     },
     [](const Tensor& a, const MethodOptions& o) {
         return per_matrix(a, [&](const Tensor& m) { return truncated_svd(m, o.bits_per_entry); });
     },
     false, false, load_truncated_svd},
    // What the codecs exploit and a low-bit matrix format does not: the correlation of
    // neighbouring pixels (a spatial transform) and entropy coding. What they cost: decoding
    // before any use, where a product with sign matrices works on the stored bits directly.
    {"jpeg",
     "JPEG (libjpeg, 4:2:0, optimised Huffman tables) at the largest quality whose whole file fits; pictures only. "
     "8×8 DCTs and entropy coding exploit neighbouring pixels, but the file must be decoded before any use.",
     "#e6ab02", [](const Shape& s, const MethodOptions&) { return codec_minimum_bits_per_entry(s, ImageCodec::jpeg); },
     [](const Tensor& a, const MethodOptions& o) { return codec_at_budget(a, ImageCodec::jpeg, o.bits_per_entry); },
     true},
    {"webp",
     "WebP (libwebp, lossy) at the largest quality whose whole file fits; pictures only. Block prediction and "
     "arithmetic coding exploit neighbouring pixels; signed cuts instead need no decoding: A·x is a sum of sign "
     "products.",
     "#008080", [](const Shape& s, const MethodOptions&) { return codec_minimum_bits_per_entry(s, ImageCodec::webp); },
     [](const Tensor& a, const MethodOptions& o) { return codec_at_budget(a, ImageCodec::webp, o.bits_per_entry); },
     true},
    {"png",
     "Lossless PNG (compression 9), the reference point: error 0 at its own rate, refused below it (the note says "
     "the rate); pictures only.",
     "#555555", [](const Shape& s, const MethodOptions&) { return codec_minimum_bits_per_entry(s, ImageCodec::png); },
     [](const Tensor& a, const MethodOptions& o) { return codec_at_budget(a, ImageCodec::png, o.bits_per_entry); },
     true},
};

}  // namespace

const std::vector<MethodInfo>& method_registry() { return kMethods; }

DecomposeOptions decompose_options(const MethodOptions& o) {
    DecomposeOptions options;
    options.stop.bits_per_entry = o.bits_per_entry;
    options.seed = o.seed;
    options.outliers = o.outliers;
    options.precision = o.precision;
    options.threads = o.threads;
    options.cancel = o.cancel;
    return options;
}

const MethodInfo& find_method(std::string_view name) {
    for (const MethodInfo& method : kMethods)
        if (method.name == name) return method;
    throw std::invalid_argument("unknown method '" + std::string(name) + "' (known: " + joined_names(method_names()) +
                                ")");
}

std::vector<std::string> storable_method_names() {
    std::vector<std::string> names;
    for (const MethodInfo& method : kMethods)
        if (method.load) names.emplace_back(method.name);
    return names;
}

std::string joined_names(const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
    return out;
}

Tensor load_stored_form(std::string_view method, std::span<const char> payload, const Shape& shape,
                        std::size_t entries_apart) {
    const MethodInfo& info = find_method(method);
    if (!info.load) throw std::invalid_argument("method " + std::string(method) + " has no stored form");
    const bool any_order =
        info.load == load_signed_cuts || info.load == load_sixteen_bit<true> || info.load == load_sixteen_bit<false>;
    if (!any_order && shape.size() != 2)
        throw std::invalid_argument(std::string(method) + " stores matrices, not a " + shape_to_string(shape) +
                                    " tensor");
    if (element_count(shape) == 0) throw std::invalid_argument("an empty tensor has no stored form");
    if (!info.keeps_entries_apart && entries_apart > 0)
        throw std::invalid_argument(std::string(method) + " keeps no entries apart");
    Tensor out = info.keeps_entries_apart ? load_with_entries_apart(payload, shape, entries_apart, info.load)
                                          : info.load(payload, shape);
    // Every stored scale and value came from finite data: anything else is a damaged payload.
    if (!std::all_of(out.data().begin(), out.data().end(), [](float x) { return std::isfinite(x); }))
        throw std::invalid_argument(std::string(method) + " payload: it decodes to values that are not finite");
    return out;
}

std::vector<std::string> method_names() {
    std::vector<std::string> names;
    for (const MethodInfo& method : kMethods) names.emplace_back(method.name);
    return names;
}

Approximation approximate(std::string_view method, const Tensor& a, const MethodOptions& options) {
    const MethodInfo& info = find_method(method);
    // The dense methods (DBF, Kashin, SVD) hold several double copies of each matrix.
    require_memory(64 * std::uint64_t(a.size()),
                   "approximating a " + shape_to_string(a.shape()) + " tensor with " + std::string(method));
    if (info.keeps_entries_apart) return approximate_with_entries_apart(a, options, info.approximate);
    return info.approximate(a, options);
}

Approximation approximate(std::string_view method, const Tensor& a, double bits_per_entry, std::uint64_t seed) {
    MethodOptions options;
    options.bits_per_entry = bits_per_entry;
    options.seed = seed;
    return approximate(method, a, options);
}

double bits_above_iid_floor(double bits_per_entry, double relative_error) {
    return bits_per_entry + std::log2(relative_error);
}

std::vector<double> curve_budgets(double lowest, double highest, int per_octave) {
    std::vector<double> budgets;
    if (!(lowest > 0) || !(highest >= lowest) || per_octave < 1) return budgets;
    const double octaves = std::log2(highest / lowest);
    const auto steps = std::size_t(std::ceil(octaves * per_octave - 1e-9));
    for (std::size_t i = 0; i <= steps; ++i)
        budgets.push_back(i == steps ? highest : lowest * std::exp2(double(i) / per_octave));
    return budgets;
}

}  // namespace signcut
