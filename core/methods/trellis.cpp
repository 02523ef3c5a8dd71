#include "methods/trellis.h"

#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <mutex>
#include <numbers>
#include <numeric>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>

#include "simd/kernels.h"
#include "tensor/random_tensor.h"

namespace signcut {
namespace {

constexpr int kMaxStateBits = 16;
constexpr int kMaxBitsPerEntry = 8;

double normal_pdf(double z) { return std::exp(-0.5 * z * z) / std::sqrt(2.0 * std::numbers::pi); }
double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

// Φ⁻¹(p) for 0 < p ≤ ½, by Newton's method from 0: Φ is convex on (−∞, 0], so the iterates
// fall monotonically onto the root.
double lower_normal_quantile(double p) {
    double z = 0.0;
    for (int iteration = 0; iteration < 100; ++iteration) {
        const double step = (normal_cdf(z) - p) / normal_pdf(z);
        z -= step;
        if (std::abs(step) < 1e-13) break;
    }
    return z;
}

std::vector<float> build_table(int state_bits) {
    const std::size_t count = std::size_t(1) << state_bits;
    std::vector<float> quantiles(count);  // Φ⁻¹((i + ½)/2^L), odd about the middle
    for (std::size_t i = 0; i < count / 2; ++i) {
        const double z = lower_normal_quantile((double(i) + 0.5) / double(count));
        quantiles[i] = float(z), quantiles[count - 1 - i] = float(-z);
    }
    // Fisher–Yates by hand (std::shuffle's result is implementation-defined). A lookup table
    // rather than QTIP's hash codes (1MAD, 3INST): those exist to decode on a GPU without
    // memory traffic; here a table of at most 256 KB is cheap, and its values are exactly
    // Gaussian quantiles where a hash code is only roughly Gaussian.
    std::vector<std::uint32_t> order(count);
    std::iota(order.begin(), order.end(), 0u);
    std::mt19937_64 rng(0x9e3779b97f4a7c15ull);
    for (std::size_t i = count - 1; i > 0; --i) std::swap(order[i], order[rng() % (i + 1)]);
    std::vector<float> table(count);
    for (std::size_t s = 0; s < count; ++s) table[s] = quantiles[order[s]];
    return table;
}

void check_code(const TrellisCode& code) {
    const int l = code.state_bits, k = code.bits_per_entry;
    if (k < 1 || k > kMaxBitsPerEntry || l <= k || l > kMaxStateBits)
        throw std::invalid_argument("trellis: need 1 ≤ K ≤ 8 and K < L ≤ 16, got L = " + std::to_string(l) +
                                    ", K = " + std::to_string(k));
}

void check_length(const TrellisCode& code, std::size_t n) {
    if (n * std::size_t(code.bits_per_entry) < std::size_t(code.state_bits))
        throw std::invalid_argument("trellis: a sequence of " + std::to_string(n) +
                                    " entries has fewer than L = " + std::to_string(code.state_bits) + " bits");
}

// |table_scale|·max|table|: how far from 0 a reproduction value can lie.
double reproduction_reach(const TrellisCode& code, float table_scale) {
    if (!std::isfinite(table_scale)) throw std::invalid_argument("trellis: the table scale is not finite");
    const std::vector<float>& table = trellis_table(code.state_bits);
    return std::abs(double(table_scale)) * double(*std::max_element(table.begin(), table.end()));
}

// Every path's cost must stay a finite float, or the constrained pass could not tell the
// closed paths (finite) from the excluded ones (infinite): Σ_t (|x_t| + reach)² bounds them all.
void check_values(const float* x, std::size_t n, double reach) {
    double worst = 0.0;
    for (std::size_t t = 0; t < n; ++t) {
        if (!std::isfinite(x[t])) throw std::invalid_argument("trellis: the sequence has a value that is not finite");
        worst += (std::abs(double(x[t])) + reach) * (std::abs(double(x[t])) + reach);
    }
    if (worst > 1e38) throw std::invalid_argument("trellis: the values are too large for float path costs");
}

// The Viterbi recursion over one sequence at a time, with buffers reused between sequences.
class TrellisEncoder {
public:
    TrellisEncoder(const TrellisCode& code, float table_scale)
        : bits_(code.bits_per_entry),
          state_bits_(code.state_bits),
          groups_(std::size_t(1) << (state_bits_ - bits_)),
          choice_bytes_(viterbi_choice_bytes(state_bits_, bits_)),
          kernels_(active_kernels()),
          values_(trellis_table(state_bits_)),
          costs_(groups_),
          next_costs_(groups_) {
        for (float& v : values_) v *= table_scale;  // x̂ = table_scale · table[state], as trellis_decode
    }

    // QTIP's tail-biting (bitshift.py, `quantize`): a free Viterbi pass over x rotated by n/2,
    // so that x_0 sits mid-sequence, where the path is settled by context on both sides; the
    // top L−K bits of the state that pass gives x_0 become the overlap, and the exact pass
    // with that overlap closes the stream. An approximation: the best closed stream may have
    // other closing bits (finding it exactly would take one constrained pass per overlap).
    double quantize(const float* x, std::size_t n, std::uint8_t* symbols, float* reconstruction) {
        const std::size_t middle = n / 2;
        rotated_.resize(n);
        for (std::size_t i = 0; i < n; ++i) rotated_[i] = x[(i + n - middle) % n];  // rotated_[middle] = x_0
        // Only state_middle is needed: no choices before it, no backtrack past it.
        best_path(rotated_.data(), n, std::nullopt, middle);
        return quantize_with_overlap(x, n, states_[middle] >> bits_, symbols, reconstruction);
    }

    // The best path with state_{−1} ≡ overlap (its low L−K bits: state_0 >> K = overlap) that
    // ends in a state whose low L−K bits are the overlap: a closed stream.
    double quantize_with_overlap(const float* x, std::size_t n, std::uint32_t overlap, std::uint8_t* symbols,
                                 float* reconstruction) {
        best_path(x, n, overlap, 0);
        double error = 0.0;
        for (std::size_t t = 0; t < n; ++t) {
            symbols[t] = std::uint8_t(states_[t] & ((1u << bits_) - 1));
            const float x_hat = values_[states_[t]];
            if (reconstruction) reconstruction[t] = x_hat;
            error += (double(x[t]) - double(x_hat)) * (double(x[t]) - double(x_hat));
        }
        return error;
    }

private:
    // Fills states_[first, n) with the path of least Σ (x_t − v[state_t])²: from state_{−1} =
    // overlap to a state ending in the overlap's bits if one is given, between any states if not.
    // The steps before `first` keep no choices: the backtrack stops at state_first.
    void best_path(const float* x, std::size_t n, std::optional<std::uint32_t> overlap, std::size_t first) {
        // costs_[g]: the least cost of a path whose last state ends in the bits g; before x_0
        // that last state is state_{−1}, of which only these bits reach state_0.
        std::fill(costs_.begin(), costs_.end(), overlap ? std::numeric_limits<float>::infinity() : 0.0f);
        if (overlap) costs_[*overlap] = 0.0f;
        choices_.resize((n - first) * choice_bytes_);
        for (std::size_t t = 0; t < n; ++t) {
            std::uint8_t* choices = t < first ? nullptr : choices_.data() + (t - first) * choice_bytes_;
            kernels_.viterbi_step(costs_.data(), values_.data(), x[t], state_bits_, bits_, next_costs_.data(), choices);
            std::swap(costs_, next_costs_);
        }
        // The low bits of state_{n−1}: the overlap, or the best group (the smallest on ties).
        std::size_t group =
            overlap ? *overlap : std::size_t(std::min_element(costs_.begin(), costs_.end()) - costs_.begin());
        states_.resize(n);
        for (std::size_t t = n; t-- > first;) {  // state_t = group + j·2^(L−K), j chosen at step t
            const std::uint8_t* choices = choices_.data() + (t - first) * choice_bytes_;
            const std::size_t state = group + viterbi_choice(choices, state_bits_, bits_, group) * groups_;
            states_[t] = std::uint32_t(state);
            group = state >> bits_;  // the low bits of state_{t−1}
        }
    }

    int bits_, state_bits_;
    std::size_t groups_;        // 2^(L−K)
    std::size_t choice_bytes_;  // one step's choices: K bit planes of 2^(L−K) bits (simd/kernels.h)
    const Kernels& kernels_;
    std::vector<float> values_, costs_, next_costs_, rotated_;  // values_: 2^L; costs: 2^(L−K)
    std::vector<std::uint8_t> choices_;  // the choices of steps first … n−1, choice_bytes_ a step
    std::vector<std::uint32_t> states_;
};

}  // namespace

const std::vector<float>& trellis_table(int state_bits) {
    if (state_bits < 2 || state_bits > kMaxStateBits)
        throw std::invalid_argument("trellis_table: need 2 ≤ L ≤ 16, got " + std::to_string(state_bits));
    static std::array<std::once_flag, kMaxStateBits + 1> built;
    static std::array<std::vector<float>, kMaxStateBits + 1> tables;
    std::call_once(built[state_bits], [&] { tables[state_bits] = build_table(state_bits); });
    return tables[state_bits];
}

double trellis_quantize(const TrellisCode& code, const float* x, std::size_t n, float table_scale,
                        std::uint8_t* symbols) {
    check_code(code);
    check_length(code, n);
    check_values(x, n, reproduction_reach(code, table_scale));
    return TrellisEncoder(code, table_scale).quantize(x, n, symbols, nullptr);
}

double trellis_quantize_with_overlap(const TrellisCode& code, const float* x, std::size_t n, float table_scale,
                                     std::uint32_t overlap, std::uint8_t* symbols) {
    check_code(code);
    check_length(code, n);
    check_values(x, n, reproduction_reach(code, table_scale));
    if (overlap >> (code.state_bits - code.bits_per_entry))
        throw std::invalid_argument("trellis: the overlap has more than L − K bits");
    return TrellisEncoder(code, table_scale).quantize_with_overlap(x, n, overlap, symbols, nullptr);
}

void trellis_decode(const TrellisCode& code, const std::uint8_t* symbols, std::size_t n, float table_scale,
                    float* out) {
    check_code(code);
    check_length(code, n);
    const int bits = code.bits_per_entry, state_bits = code.state_bits;
    if (std::any_of(symbols, symbols + n, [&](std::uint8_t s) { return s >> bits; }))
        throw std::invalid_argument("trellis_decode: a symbol has more than K bits");
    const std::vector<float>& table = trellis_table(state_bits);
    // state_{−1}: only its low L−K bits matter, the last L−K bits of the stream, which the last
    // ⌈(L−K)/K⌉ = ⌊(L−1)/K⌋ symbols hold.
    std::uint32_t state = 0;
    for (std::size_t t = n - std::size_t((state_bits - 1) / bits); t < n; ++t) state = (state << bits) | symbols[t];
    for (std::size_t t = 0; t < n; ++t) {
        state = ((state << bits) | symbols[t]) & ((1u << state_bits) - 1);
        out[t] = table_scale * table[state];
    }
}

std::vector<double> trellis_quantize_sequences(const TrellisCode& code, std::span<const float> x,
                                               std::span<const std::size_t> lengths, float table_scale,
                                               std::span<std::uint8_t> symbols, std::span<float> reconstruction) {
    check_code(code);
    std::vector<std::size_t> offsets(lengths.size() + 1, 0);  // sequence i is x[offsets[i], offsets[i + 1])
    for (std::size_t i = 0; i < lengths.size(); ++i) {
        check_length(code, lengths[i]);
        offsets[i + 1] = offsets[i] + lengths[i];
    }
    if (offsets.back() != x.size()) throw std::invalid_argument("trellis: the sequence lengths do not sum to x's size");
    if (symbols.size() != x.size()) throw std::invalid_argument("trellis: need one symbol per entry");
    if (!reconstruction.empty() && reconstruction.size() != x.size())
        throw std::invalid_argument("trellis: the reconstruction is neither empty nor one value per entry");
    const double reach = reproduction_reach(code, table_scale);
    for (std::size_t i = 0; i < lengths.size(); ++i) check_values(x.data() + offsets[i], lengths[i], reach);

    std::vector<double> errors(lengths.size());
    // Each sequence is quantised whole by one thread, so the result cannot depend on how
    // sequences are spread over threads; the encoders only lend their buffers.
    oneapi::tbb::enumerable_thread_specific<TrellisEncoder> encoders([&] { return TrellisEncoder(code, table_scale); });
    oneapi::tbb::parallel_for(std::size_t(0), lengths.size(), [&](std::size_t i) {
        const std::size_t begin = offsets[i];
        errors[i] = encoders.local().quantize(x.data() + begin, lengths[i], symbols.data() + begin,
                                              reconstruction.empty() ? nullptr : reconstruction.data() + begin);
    });
    return errors;
}

const TrellisGaussianFit& trellis_unit_gaussian_fit(const TrellisCode& code) {
    check_code(code);
    static std::array<std::array<std::once_flag, kMaxBitsPerEntry + 1>, kMaxStateBits + 1> fitted;
    static std::array<std::array<TrellisGaussianFit, kMaxBitsPerEntry + 1>, kMaxStateBits + 1> fits;
    const auto l = std::size_t(code.state_bits), k = std::size_t(code.bits_per_entry);
    std::call_once(fitted[l][k], [&] {
        constexpr std::size_t kSequences = 16, kLength = 256;
        const Tensor sample = gaussian_tensor({kSequences * kLength}, 0x7157);
        const std::vector<std::size_t> lengths(kSequences, kLength);
        std::vector<std::uint8_t> symbols(sample.data().size());
        const auto mse = [&](double scale) {
            const std::vector<double> errors =
                trellis_quantize_sequences(code, sample.data(), lengths, float(scale), symbols);
            return std::accumulate(errors.begin(), errors.end(), 0.0) / double(symbols.size());
        };
        // Isolated, so that a thread waiting here for its parallel_for cannot pick up an outer
        // task that calls this function again and blocks on the same once_flag.
        oneapi::tbb::this_task_arena::isolate([&] {
            // Golden-section search for the minimum of mse(scale) on [0.25, 2] (the optimum lies
            // between 0.85 and 1.5 for every code tried, L = 2 … 16, K = 1 … 8).
            const double shrink = (std::sqrt(5.0) - 1.0) / 2.0;
            double lo = 0.25, hi = 2.0;
            double a = hi - shrink * (hi - lo), b = lo + shrink * (hi - lo);
            double mse_a = mse(a), mse_b = mse(b);
            while (hi - lo > 1e-3) {
                if (mse_a <= mse_b) hi = b, b = a, mse_b = mse_a, a = hi - shrink * (hi - lo), mse_a = mse(a);
                else lo = a, a = b, mse_a = mse_b, b = lo + shrink * (hi - lo), mse_b = mse(b);
            }
            fits[l][k] = mse_a <= mse_b ? TrellisGaussianFit{float(a), mse_a} : TrellisGaussianFit{float(b), mse_b};
        });
    });
    return fits[l][k];
}

}  // namespace signcut
