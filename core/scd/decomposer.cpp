#include "scd/decomposer.h"

#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>

#include "scd/contraction.h"
#include "scd/cut_start.h"
#include "scd/sign_bits.h"
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
}

// Cuts between direct computations of ‖R‖² (one extra pass over R each); for matrices
// this is when the waiting cuts are applied anyway.
constexpr std::size_t kResyncCuts = 32;
static_assert(kResyncCuts % MatrixCutEngine::kPendingCuts == 0);

}  // namespace

const char* stop_reason_name(StopReason reason) {
    switch (reason) {
        case StopReason::running:
            return "running";
        case StopReason::width:
            return "width";
        case StopReason::bits_per_entry:
            return "bits_per_entry";
        case StopReason::target_error:
            return "target_error";
        case StopReason::exhausted:
            return "exhausted";
        case StopReason::cancelled:
            return "cancelled";
    }
    return "unknown";
}

Decomposer::Decomposer(Tensor input, DecomposeOptions options)
    : options_(options), kernels_(options.kernels ? *options.kernels : active_kernels()) {
    check_options(input, options_);
    // The input becomes the residual; the matrix engine keeps more beside it; then the cuts.
    const bool incremental = MatrixCutEngine::suits(input.shape());
    const std::uint64_t cut_bytes =
        scd_file_bytes(input.shape(), width_limit(input.shape(), options_), options_.precision);
    require_memory((incremental ? 4 * std::uint64_t(MatrixCutEngine::extra_floats(input.shape())) : 0) + 2 * cut_bytes,
                   "decomposing a " + shape_to_string(input.shape()) + " tensor");
    arena_ = options_.threads > 0 ? std::make_unique<oneapi::tbb::task_arena>(options_.threads)
                                  : std::make_unique<oneapi::tbb::task_arena>();  // all cores
    decomposition_ = Decomposition(input.shape(), options_.precision, input.squared_norm());
    max_width_ = width_limit(input.shape(), options_, &width_limit_reason_);
    cut_words_.resize(decomposition_.words_per_cut());
    if (incremental) {
        arena_->execute([&] { matrix_ = std::make_unique<MatrixCutEngine>(std::move(input), kernels_); });
        return;
    }
    order_ = storage_order(input.shape());
    for (std::size_t m : order_) storage_shape_.push_back(input.dim(m));
    residual_ = std::is_sorted(order_.begin(), order_.end()) ? std::move(input) : input.permuted(order_);
    signs_.resize(storage_shape_.size());
    for (std::size_t m = 0; m < storage_shape_.size(); ++m) signs_[m].assign(words_for_bits(storage_shape_[m]), 0);
}

Decomposer::~Decomposer() = default;

bool Decomposer::should_stop() {
    const std::size_t w = decomposition_.width();
    const StopRule& stop = options_.stop;
    if (cancelled_.load(std::memory_order_relaxed)) stop_reason_ = StopReason::cancelled;
    else if (stop.target_relative_error && decomposition_.relative_error(w) <= *stop.target_relative_error)
        stop_reason_ = StopReason::target_error;
    else if (decomposition_.residual_squared_norms()[w] <= 0.0) stop_reason_ = StopReason::exhausted;
    else if (w >= max_width_) stop_reason_ = width_limit_reason_;
    return stop_reason_ != StopReason::running;
}

bool Decomposer::step() {
    if (stop_reason_ != StopReason::running || should_stop()) return false;
    arena_->execute([this] { find_cut(); });
    if (cancelled_.load(std::memory_order_relaxed)) stop_reason_ = StopReason::cancelled;
    return stop_reason_ == StopReason::running;
}

StopReason Decomposer::run(const std::function<void(const Decomposer&)>& on_cut) {
    while (step())
        if (on_cut) on_cut(*this);
    return stop_reason_;
}

double Decomposer::update_mode(std::size_t mode) {
    const std::size_t k = storage_shape_.size();
    std::vector<const std::uint64_t*> before, after;
    for (std::size_t m = 0; m < k; ++m)
        if (m != mode) (m < mode ? before : after).push_back(signs_[m].data());
    kronecker_signs(before, std::span(storage_shape_).first(mode), pre_signs_);
    kronecker_signs(after, std::span(storage_shape_).subspan(mode + 1), post_signs_);

    const ModeView view = mode_view(storage_shape_, mode);
    image_.resize(view.n);
    floats_streamed_ += residual_.size();
    contract_mode(residual_.data(), view, pre_signs_.data(), post_signs_.data(), image_, partials_, kernels_);

    // x_mode ← sign(image) (sign(0) = +1); the cut value is then ‖image‖₁.
    kernels_.sign_bits(image_.data(), view.n, signs_[mode].data());
    double value = 0.0;
    for (float y : image_) value += std::fabs(double(y));
    return value;
}

void Decomposer::find_cut() {
    const Shape& shape = decomposition_.shape();
    const std::size_t k = shape.size();
    const std::size_t w = decomposition_.width();

    // Random start for every mode but the input's first, which is updated first.
    const std::vector<std::vector<std::uint64_t>> start = random_cut_start(shape, options_.seed, w);

    double value = -1.0;
    int iterations = 0;
    std::vector<const std::vector<std::uint64_t>*> signs_by_mode(k);
    MatrixCutEngine::Cut matrix_cut;
    if (matrix_) {
        matrix_cut = matrix_->find_cut(start[1], k > 2 ? std::span(start[2]) : std::span<const std::uint64_t>(),
                                       options_.max_iterations, cancelled_);
        if (matrix_cut.cancelled) return;
        value = matrix_cut.value;
        iterations = matrix_cut.iterations;
        signs_by_mode = {&matrix_cut.s, &matrix_cut.t};
        if (k > 2) signs_by_mode.push_back(&matrix_cut.u);
    } else {
        std::vector<std::size_t> storage_of(k);
        for (std::size_t m = 0; m < k; ++m) storage_of[order_[m]] = m;
        for (std::size_t mode = 1; mode < k; ++mode) signs_[storage_of[mode]] = start[mode];
        // Alternating maximisation: each mode in turn takes the sign of the contraction of
        // R with the others; each update can only raise the value v = ⟨R, x^(1)⊗…⊗x^(k)⟩.
        while (iterations < options_.max_iterations) {
            ++iterations;
            double swept = 0.0;
            for (std::size_t mode = 0; mode < k; ++mode) {
                if (cancelled_.load(std::memory_order_relaxed)) return;
                swept = update_mode(storage_of[mode]);
            }
            const bool grew = swept > value;
            value = swept;
            if (!grew) break;
        }
        for (std::size_t mode = 0; mode < k; ++mode) signs_by_mode[mode] = &signs_[storage_of[mode]];
    }
    last_iterations_ = iterations;
    last_cut_value_ = value;

    const double entries = double(decomposition_.entries());
    const float coeff = round_to_precision(float(value / entries), options_.precision);  // c = v / Π n_i
    if (!(value > 0.0) || coeff == 0.0f) {
        stop_reason_ = StopReason::exhausted;
        return;
    }
    // R ← R − c · (sign tensor); ‖R‖² drops by 2cv − c²N (= v²/N when c is exact).
    if (matrix_) {
        matrix_->subtract(matrix_cut, coeff);
    } else {
        const std::size_t last = k - 1;
        std::vector<const std::uint64_t*> row_modes;
        for (std::size_t m = 0; m < last; ++m) row_modes.push_back(signs_[m].data());
        kronecker_signs(row_modes, std::span(storage_shape_).first(last), pre_signs_);
        add_sign_tensor(residual_.data(), storage_shape_[last], pre_signs_.data(), signs_[last].data(), -coeff,
                        kernels_);
        floats_streamed_ += 2 * residual_.size();
    }
    const double c = coeff;
    double residual_norm = decomposition_.residual_squared_norms()[w] - (2.0 * c * value - c * c * entries);
    // The identity accumulates the rounding of every cut value; a direct sum every
    // kResyncCuts cuts keeps the curve exact where the error is far below 1e-3.
    if ((w + 1) % kResyncCuts == 0) {
        if (!matrix_) floats_streamed_ += residual_.size();
        residual_norm = matrix_ ? matrix_->squared_norm() : squared_norm(residual_.data());
    }

    std::size_t offset = 0;
    for (const std::vector<std::uint64_t>* x : signs_by_mode) {
        std::copy(x->begin(), x->end(), cut_words_.begin() + std::ptrdiff_t(offset));
        offset += x->size();
    }
    decomposition_.append(coeff, cut_words_, std::max(0.0, residual_norm));
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
    arena_->execute([&] { result = matrix_ ? matrix_->squared_norm() : squared_norm(residual_.data()); });
    return result;
}

std::uint64_t Decomposer::floats_streamed() const { return matrix_ ? matrix_->floats_streamed() : floats_streamed_; }

Tensor Decomposer::residual() const {
    if (matrix_) return matrix_->residual();
    if (std::is_sorted(order_.begin(), order_.end())) return residual_;
    std::vector<std::size_t> inverse(order_.size());
    for (std::size_t m = 0; m < order_.size(); ++m) inverse[order_[m]] = m;
    return residual_.permuted(inverse);
}

std::size_t width_limit(const Shape& shape, const DecomposeOptions& options, StopReason* reason) {
    const StopRule& stop = options.stop;
    std::size_t limit = std::numeric_limits<std::size_t>::max();
    StopReason why = StopReason::width;
    const auto tighten = [&](std::size_t width, StopReason rule) {
        if (width < limit) limit = width, why = rule;
    };
    if (stop.width) tighten(*stop.width, StopReason::width);
    if (stop.bits_per_entry)
        tighten(width_for_bits_per_entry(shape, *stop.bits_per_entry, options.precision), StopReason::bits_per_entry);
    if (stop.target_relative_error)  // storing more than an f32 copy would be pointless
        tighten(width_for_bits_per_entry(shape, 32.0, options.precision), StopReason::width);
    if (!stop.width && !stop.bits_per_entry && !stop.target_relative_error)
        tighten(width_for_bits_per_entry(shape, 16.0, options.precision), StopReason::width);
    if (reason) *reason = why;
    return limit;
}

Decomposition decompose(const Tensor& input, const DecomposeOptions& options) {
    Decomposer decomposer(input, options);
    decomposer.run();
    return decomposer.decomposition();
}

}  // namespace signcut
