#include "scd/decomposer.h"

#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

#include "scd/contraction_cut_engine.h"
#include "scd/matrix_cut_engine.h"
#include "tensor/memory_guard.h"

namespace signcut {
namespace {

void check_options(const Tensor& input, const DecomposeOptions& options) {
    if (input.empty()) throw std::invalid_argument("cannot decompose an empty tensor");
    if (const std::size_t non_finite = count_non_finite(input))
        throw std::invalid_argument(
            "the input has " + std::to_string(non_finite) +
            " NaN or infinite entries; replace them before decomposing (signcut-cli decompose --non-finite zero)");
    const StopRule& stop = options.stop;
    if (stop.bits_per_entry && !(*stop.bits_per_entry > 0))
        throw std::invalid_argument("bits per entry must be positive");
    if (stop.target_relative_error && !(*stop.target_relative_error > 0 && *stop.target_relative_error < 1))
        throw std::invalid_argument("target relative error must lie in (0, 1)");
    if (options.max_iterations < 1) throw std::invalid_argument("max_iterations must be at least 1");
    if (options.threads < 0) throw std::invalid_argument("threads must be 0 (all cores) or positive");
    if (!options.outliers.automatic && options.outliers.count > input.size())
        throw std::invalid_argument("cannot keep " + std::to_string(options.outliers.count) + " entries apart from " +
                                    std::to_string(input.size()));
}

// Cuts between direct computations of ‖R‖² (one extra pass over R each); for matrices
// this is when the waiting cuts are applied anyway.
constexpr std::size_t kResyncCuts = 32;
static_assert(kResyncCuts % MatrixCutEngine::kPendingCuts == 0);
// Cuts between looks for entries to keep apart (policy automatic): one pass over R each, at a
// moment when the matrix engine has applied its waiting cuts anyway.
constexpr std::size_t kOutlierCheckCuts = 32;
static_assert(kOutlierCheckCuts % kResyncCuts == 0);
// An entry moves apart when it buys this many times the last cut's gain per bit: later cuts would
// still have fitted part of it, and each batch costs a header. Measured on the cat at 2 b/e:
// a margin of 1 moved 21 entries and lost 0.3 % (0.02613 against 0.02605 plain), 2 moved 2 and
// gained (0.02596); on the spiky N(0,1) of docs/outliers.md 2 keeps 137 of the 153 that 1 keeps
// at the same errors (0.3147, 0.0201, 0.00051 at 2, 8, 16 b/e), 4 only 105 and loses a little.
constexpr double kOutlierGainMargin = 2.0;

}  // namespace

Decomposer::Decomposer(Tensor input, DecomposeOptions options)
    : options_(options), kernels_(options.kernels ? *options.kernels : active_kernels()) {
    check_options(input, options_);
    options_.memory = engine_memory(input.shape(), options_);
    require_memory(decomposer_memory_bytes(input.shape(), options_),
                   "decomposing a " + shape_to_string(input.shape()) + " tensor");
    const bool incremental = MatrixCutEngine::suits(input.shape());
    arena_ = options_.threads > 0 ? std::make_unique<oneapi::tbb::task_arena>(options_.threads)
                                  : std::make_unique<oneapi::tbb::task_arena>();  // all cores
    decomposition_ = Decomposition(input.shape(), options_.precision, input.squared_norm());
    max_width_ = width_limit(input.shape(), options_, &width_limit_reason_);
    cut_words_.resize(decomposition_.words_per_cut());
    std::vector<std::uint64_t> apart;  // a fixed count: the largest entries, before any cut
    std::vector<float> apart_values;
    if (!options_.outliers.automatic && options_.outliers.count > 0) {
        apart = largest_entries(input, options_.outliers.count);
        for (std::uint64_t i : apart) apart_values.push_back(input[i]);
    }
    arena_->execute([&] {
        if (incremental)
            engine_ = std::make_unique<MatrixCutEngine>(std::move(input), kernels_, options_.seed, options_.memory);
        else engine_ = std::make_unique<ContractionCutEngine>(std::move(input), kernels_, options_.seed);
        if (!apart.empty()) take_apart(apart, apart_values);
    });
}

Decomposer::~Decomposer() = default;

bool Decomposer::cancel_requested() const {
    return cancelled_.load(std::memory_order_relaxed) ||
           (options_.cancel && options_.cancel->load(std::memory_order_relaxed));
}

bool Decomposer::should_stop() {
    const std::size_t w = decomposition_.width();
    const StopRule& stop = options_.stop;
    if (cancel_requested()) stop_reason_ = StopReason::cancelled;
    else if (stop.target_relative_error && decomposition_.relative_error(w) <= *stop.target_relative_error)
        stop_reason_ = StopReason::target_error;
    else if (decomposition_.residual_squared_norms()[w] <= 0.0) stop_reason_ = StopReason::exhausted;
    else if (w >= max_width_) stop_reason_ = width_limit_reason_;
    return stop_reason_ != StopReason::running;
}

bool Decomposer::step() {
    if (stop_reason_ != StopReason::running || should_stop()) return false;
    arena_->execute([this] { find_cut(); });
    if (cancel_requested()) stop_reason_ = StopReason::cancelled;
    return stop_reason_ == StopReason::running;
}

StopReason Decomposer::run(const std::function<void(const Decomposer&)>& on_cut) {
    while (step())
        if (on_cut) on_cut(*this);
    return stop_reason_;
}

void Decomposer::find_cut() {
    const FoundCut cut = engine_->find_cut(options_.max_iterations, [this] { return cancel_requested(); });
    if (cut.cancelled) return;
    last_iterations_ = cut.iterations;
    last_cut_value_ = cut.value;

    const std::size_t w = decomposition_.width();
    const double entries = double(decomposition_.entries());
    const float coeff = round_to_precision(float(cut.value / entries), options_.precision);  // c = v / Π n_i
    if (!(cut.value > 0.0) || coeff == 0.0f) {
        stop_reason_ = StopReason::exhausted;
        return;
    }
    // R ← R − c · (sign tensor); ‖R‖² drops by 2cv − c²N (= v²/N when c is exact).
    engine_->subtract(cut, coeff);
    const double c = coeff;
    double residual_norm = decomposition_.residual_squared_norms()[w] - (2.0 * c * cut.value - c * c * entries);
    // The identity accumulates the rounding of every cut value; a direct sum every
    // kResyncCuts cuts keeps the curve exact where the error is far below 1e-3.
    if ((w + 1) % kResyncCuts == 0) residual_norm = engine_->squared_norm();

    std::size_t offset = 0;
    for (const std::vector<std::uint64_t>& x : cut.signs) {
        std::copy(x.begin(), x.end(), cut_words_.begin() + std::ptrdiff_t(offset));
        offset += x.size();
    }
    decomposition_.append(coeff, cut_words_, std::max(0.0, residual_norm));
    if (options_.outliers.automatic && (w + 1) % kOutlierCheckCuts == 0)
        keep_outliers_apart(2.0 * c * cut.value - c * c * entries);
}

void Decomposer::keep_outliers_apart(double cut_gain) {
    const Shape& shape = decomposition_.shape();
    const double cut_bits = double(std::accumulate(shape.begin(), shape.end(), std::size_t(0))) +
                            8.0 * double(coefficient_bytes(options_.precision));
    const double entry_bits = double(outlier_bits(decomposition_.entries(), options_.precision));
    std::vector<std::uint64_t> indices;
    std::vector<float> values;
    engine_->entries_above(kOutlierGainMargin * cut_gain / cut_bits * entry_bits, indices, values);
    if (indices.empty()) return;
    // Within the budget: the largest first, as many as leave room for the cuts already made.
    std::vector<std::size_t> by_size(indices.size());
    std::iota(by_size.begin(), by_size.end(), std::size_t(0));
    std::stable_sort(by_size.begin(), by_size.end(),
                     [&](std::size_t a, std::size_t b) { return std::abs(values[a]) > std::abs(values[b]); });
    const std::size_t w = decomposition_.width(), before = decomposition_.outlier_count();
    const std::size_t batches = decomposition_.outlier_batches(w) + 1;
    std::size_t affordable = by_size.size();
    while (affordable > 0 && width_limit(shape, options_, nullptr, before + affordable, batches) < w) affordable /= 2;
    if (affordable == 0) return;
    by_size.resize(affordable);
    std::sort(by_size.begin(), by_size.end());  // index order again
    std::vector<std::uint64_t> kept_indices;
    std::vector<float> kept_values;
    for (std::size_t e : by_size) kept_indices.push_back(indices[e]), kept_values.push_back(values[e]);
    take_apart(kept_indices, kept_values);
}

void Decomposer::take_apart(std::span<const std::uint64_t> indices, std::span<const float> residual_values) {
    // The stored value is the residual rounded to its precision; the rounding stays in R for the
    // cuts, so ‖R‖² drops by r² − (r − v)² exactly.
    std::vector<float> stored(residual_values.size());
    double norm = decomposition_.residual_squared_norms().back();
    for (std::size_t e = 0; e < stored.size(); ++e) {
        const double r = residual_values[e];
        stored[e] = round_to_precision(residual_values[e], outlier_value_precision(options_.precision));
        norm -= r * r - (r - stored[e]) * (r - stored[e]);
    }
    engine_->subtract_entries(indices, stored);
    decomposition_.add_outliers(indices, stored, std::max(0.0, norm));
    max_width_ = width_limit(decomposition_.shape(), options_, &width_limit_reason_, decomposition_.outlier_count(),
                             decomposition_.outlier_batches(decomposition_.width()));
}

Progress Decomposer::progress() const {
    Progress p;
    p.width = decomposition_.width();
    p.max_width = max_width_;
    p.relative_error = decomposition_.relative_error(p.width);
    p.fraction = max_width_ ? double(p.width) / double(max_width_) : 1.0;
    if (const auto target = options_.stop.target_relative_error; target && p.relative_error > 0)
        p.fraction = std::max(p.fraction, std::log(p.relative_error) / std::log(*target));
    p.fraction = std::clamp(stop_reason_ == StopReason::running ? p.fraction : 1.0, 0.0, 1.0);
    return p;
}

double Decomposer::measure_residual_squared_norm() {
    double result = 0.0;
    arena_->execute([&] { result = engine_->squared_norm(); });
    return result;
}

Tensor Decomposer::residual() const { return engine_->residual(); }

std::uint64_t decomposer_memory_bytes(const Shape& shape, const DecomposeOptions& options) {
    // The input becomes the residual; the matrix engine keeps more beside it; then the cuts
    // (the decomposition, and as much again for a file or a copy of it).
    const std::uint64_t engine =
        MatrixCutEngine::suits(shape)
            ? 4 * std::uint64_t(MatrixCutEngine::extra_floats(shape, engine_memory(shape, options)))
            : 0;
    return engine + 2 * scd_file_bytes(shape, width_limit(shape, options), options.precision);
}

EngineMemory engine_memory(const Shape& shape, const DecomposeOptions& options) {
    if (options.memory != EngineMemory::automatic) return options.memory;
    DecomposeOptions fast = options;
    fast.memory = EngineMemory::fast;
    const std::uint64_t input =
        4 * std::uint64_t(std::accumulate(shape.begin(), shape.end(), std::size_t(1), std::multiplies<>()));
    return input + decomposer_memory_bytes(shape, fast) <= memory_limit_bytes() ? EngineMemory::fast
                                                                                : EngineMemory::low;
}

std::size_t width_limit(const Shape& shape, const DecomposeOptions& options, StopReason* reason, std::size_t outliers,
                        std::size_t outlier_widths) {
    const StopRule& stop = options.stop;
    std::size_t limit = std::numeric_limits<std::size_t>::max();
    StopReason why = StopReason::width;
    const auto tighten = [&](std::size_t width, StopReason rule) {
        if (width < limit) limit = width, why = rule;
    };
    if (stop.width) tighten(*stop.width, StopReason::width);
    if (stop.bits_per_entry)
        tighten(width_for_bits_per_entry(shape, *stop.bits_per_entry, options.precision, outliers, outlier_widths),
                StopReason::bits_per_entry);
    if (stop.target_relative_error)  // storing more than an f32 copy would be pointless
        tighten(width_for_bits_per_entry(shape, 32.0, options.precision, outliers, outlier_widths), StopReason::width);
    if (!stop.width && !stop.bits_per_entry && !stop.target_relative_error)
        tighten(width_for_bits_per_entry(shape, 16.0, options.precision, outliers, outlier_widths), StopReason::width);
    if (reason) *reason = why;
    return limit;
}

Decomposition decompose(const Tensor& input, const DecomposeOptions& options) {
    Decomposer decomposer(input, options);
    decomposer.run();
    return decomposer.decomposition();
}

}  // namespace signcut
