#include "scd/contraction_cut_engine.h"

#include <algorithm>
#include <cmath>

#include "scd/contraction.h"
#include "scd/cut_start.h"
#include "scd/decomposition.h"
#include "scd/outliers.h"
#include "scd/sign_bits.h"

namespace signcut {

ContractionCutEngine::ContractionCutEngine(Tensor input, const Kernels& kernels, std::uint64_t seed)
    : kernels_(kernels), seed_(seed), shape_(input.shape()), order_(storage_order(input.shape())) {
    for (std::size_t m : order_) storage_shape_.push_back(input.dim(m));
    residual_ = std::is_sorted(order_.begin(), order_.end()) ? std::move(input) : input.permuted(order_);
    signs_.resize(order_.size());
    for (std::size_t m = 0; m < order_.size(); ++m) signs_[m].assign(words_for_bits(storage_shape_[m]), 0);
}

double ContractionCutEngine::update_mode(std::size_t mode) {
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

FoundCut ContractionCutEngine::find_cut(int max_iterations, const std::function<bool()>& cancelled) {
    const std::size_t k = storage_shape_.size();
    std::vector<std::size_t> storage_of(k);
    for (std::size_t m = 0; m < k; ++m) storage_of[order_[m]] = m;
    const std::vector<std::vector<std::uint64_t>> start = seeded_cut_start(shape_, seed_, cuts_);
    for (std::size_t m = 0; m < k; ++m)
        if (order_[m] != 0) signs_[m] = start[order_[m]];
    // Each mode in turn (the input's order) takes the sign of the contraction of R with the
    // others; each update can only raise the value v = ⟨R, x^(1)⊗…⊗x^(k)⟩.
    FoundCut cut;
    double value = -1.0;
    while (cut.iterations < max_iterations) {
        ++cut.iterations;
        double swept = 0.0;
        for (std::size_t mode = 0; mode < k; ++mode) {
            if (cancelled()) return cut.cancelled = true, cut;
            swept = update_mode(storage_of[mode]);
        }
        const bool grew = swept > value;
        value = swept;
        if (!grew) break;
    }
    cut.value = value;
    for (std::size_t mode = 0; mode < k; ++mode) cut.signs.push_back(signs_[storage_of[mode]]);
    return cut;
}

void ContractionCutEngine::subtract(const FoundCut& cut, float coeff) {
    // R ← R − c · (sign tensor): the modes before the last as one row sign pattern.
    const std::size_t last = storage_shape_.size() - 1;
    std::vector<const std::uint64_t*> row_modes;
    for (std::size_t m = 0; m < last; ++m) row_modes.push_back(cut.signs[order_[m]].data());
    kronecker_signs(row_modes, std::span(storage_shape_).first(last), pre_signs_);
    add_sign_tensor(residual_.data(), storage_shape_[last], pre_signs_.data(), cut.signs[order_[last]].data(), -coeff,
                    kernels_);
    floats_streamed_ += 2 * residual_.size();
    ++cuts_;
}

double ContractionCutEngine::squared_norm() {
    floats_streamed_ += residual_.size();
    return signcut::squared_norm(residual_.data());
}

// The flat index, in `to`'s mode order, of the entry at flat index `index` in `from`'s:
// to_order[m] names the mode of `from` that mode m of `to` holds.
std::uint64_t ContractionCutEngine::reindex(std::uint64_t index, bool to_storage) const {
    const std::size_t k = shape_.size();
    std::vector<std::size_t> digits(k);  // per input mode
    for (std::size_t m = k; m-- > 0;) {
        const std::size_t mode = to_storage ? m : order_[m];  // digits of the source, last mode fastest
        digits[mode] = std::size_t(index % shape_[mode]);
        index /= shape_[mode];
    }
    std::uint64_t out = 0;
    for (std::size_t m = 0; m < k; ++m) {
        const std::size_t mode = to_storage ? order_[m] : m;
        out = out * shape_[mode] + digits[mode];
    }
    return out;
}

void ContractionCutEngine::entries_above(double squared_threshold, std::vector<std::uint64_t>& indices,
                                         std::vector<float>& values) {
    floats_streamed_ += residual_.size();
    std::vector<std::uint64_t> found;
    std::vector<float> found_values;
    find_entries_above(residual_.data(), squared_threshold, found, found_values);
    std::vector<std::pair<std::uint64_t, float>> entries;
    for (std::size_t e = 0; e < found.size(); ++e) entries.emplace_back(reindex(found[e], false), found_values[e]);
    std::sort(entries.begin(), entries.end());
    for (const auto& [index, value] : entries) indices.push_back(index), values.push_back(value);
}

void ContractionCutEngine::subtract_entries(std::span<const std::uint64_t> indices, std::span<const float> values) {
    for (std::size_t e = 0; e < indices.size(); ++e) residual_[std::size_t(reindex(indices[e], true))] -= values[e];
}

Tensor ContractionCutEngine::residual() const {
    if (std::is_sorted(order_.begin(), order_.end())) return residual_;
    std::vector<std::size_t> inverse(order_.size());
    for (std::size_t m = 0; m < order_.size(); ++m) inverse[order_[m]] = m;
    return residual_.permuted(inverse);
}

}  // namespace signcut
