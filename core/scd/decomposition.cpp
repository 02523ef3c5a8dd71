#include "scd/decomposition.h"

#include "tensor/memory_guard.h"

#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "simd/kernels.h"
#include "scd/outliers.h"
#include "scd/sign_bits.h"
#include "tensor/float16.h"

namespace signcut {

std::size_t coefficient_bytes(CoeffPrecision precision) { return precision == CoeffPrecision::f32 ? 4 : 2; }

CoeffPrecision parse_precision(std::string_view name) {
    if (const auto precision = parse_enum<CoeffPrecision>(name)) return *precision;
    throw std::invalid_argument("precision must be " + enum_choices<CoeffPrecision>() + ", not '" + std::string(name) +
                                "'");
}

float round_to_precision(float value, CoeffPrecision precision) {
    switch (precision) {
        case CoeffPrecision::f16:
            return f16_bits_to_float(float_to_f16_bits(value));
        case CoeffPrecision::bf16:
            return bf16_bits_to_float(float_to_bf16_bits(value));
        case CoeffPrecision::f32:
            break;
    }
    return value;
}

std::uint64_t scd_file_bytes(const Shape& shape, std::size_t width, CoeffPrecision precision, std::size_t outliers,
                             std::size_t outlier_widths) {
    // magic 4 + version 2 + precision 1 + order 1 + width 8 + ‖A‖² 8 + ‖R_w‖² 8 + shape 8·k + CRC-32 4
    const std::uint64_t fixed = 36 + 8 * std::uint64_t(shape.size());
    const std::uint64_t bits_per_cut = std::accumulate(shape.begin(), shape.end(), std::uint64_t(0));
    std::uint64_t bytes =
        fixed + (std::uint64_t(width) * bits_per_cut + 7) / 8 + std::uint64_t(width) * coefficient_bytes(precision);
    if (outliers > 0) {  // version 2's section: count 8, batch count 8, (width, count) 16 each, indices, values
        const std::uint64_t index_bits = outlier_index_bits(element_count(shape));
        bytes += 16 + 16 * std::uint64_t(outlier_widths) + (std::uint64_t(outliers) * index_bits + 7) / 8 +
                 std::uint64_t(outliers) * coefficient_bytes(outlier_value_precision(precision));
    }
    return bytes;
}

std::size_t width_for_bits_per_entry(const Shape& shape, double bits_per_entry, CoeffPrecision precision,
                                     std::size_t outliers, std::size_t outlier_widths) {
    const double budget_bytes = bits_per_entry * double(element_count(shape)) / 8.0;
    const auto bytes = [&](std::size_t width) {
        return scd_file_bytes(shape, width, precision, outliers, outlier_widths);
    };
    if (!(budget_bytes >= double(bytes(0)))) return 0;
    // Estimate from the per-cut cost, then correct for the byte padding of the sign bits.
    const double per_cut = double(std::accumulate(shape.begin(), shape.end(), std::uint64_t(0))) / 8.0 +
                           double(coefficient_bytes(precision));
    std::size_t width = std::size_t((budget_bytes - double(bytes(0))) / per_cut) + 1;
    while (width > 0 && double(bytes(width)) > budget_bytes) --width;
    return width;
}

std::vector<std::size_t> storage_order(const Shape& shape) {
    std::vector<std::size_t> order;
    const std::size_t largest = std::size_t(std::max_element(shape.rbegin(), shape.rend()) - shape.rbegin());
    const std::size_t last = shape.size() - 1 - largest;  // the last of the largest modes
    for (std::size_t m = 0; m < shape.size(); ++m)
        if (m != last) order.push_back(m);
    order.push_back(last);
    return order;
}

Decomposition::Decomposition(Shape shape, CoeffPrecision precision, double input_squared_norm)
    : shape_(std::move(shape)),
      entries_(element_count(shape_)),
      precision_(precision),
      input_squared_norm_(input_squared_norm) {
    for (std::size_t n : shape_) {
        mode_word_offset_.push_back(words_per_cut_);
        words_per_cut_ += words_for_bits(n);
    }
    residual_squared_norms_.push_back(input_squared_norm);
}

std::span<const std::uint64_t> Decomposition::signs(std::size_t cut, std::size_t mode) const {
    return std::span(sign_words_)
        .subspan(cut * words_per_cut_ + mode_word_offset_.at(mode), words_for_bits(shape_[mode]));
}

double Decomposition::relative_error(std::size_t w) const {
    const double input = input_squared_norm();
    if (input <= 0.0) return 0.0;
    return std::sqrt(std::max(0.0, residual_squared_norms_.at(w)) / input);
}

void Decomposition::append(float coeff, std::span<const std::uint64_t> cut_signs, double residual_squared_norm) {
    if (cut_signs.size() != words_per_cut_) throw std::invalid_argument("append: wrong number of sign words");
    coeffs_.push_back(coeff);
    sign_words_.insert(sign_words_.end(), cut_signs.begin(), cut_signs.end());
    residual_squared_norms_.push_back(residual_squared_norm);
}

std::size_t Decomposition::outlier_count(std::size_t w) const {
    return std::size_t(std::upper_bound(outlier_widths_.begin(), outlier_widths_.end(), w) - outlier_widths_.begin());
}

std::size_t Decomposition::outlier_batches(std::size_t w) const {
    const auto end = outlier_widths_.begin() + std::ptrdiff_t(outlier_count(w));
    std::size_t batches = 0;
    for (auto it = outlier_widths_.begin(); it != end; it = std::upper_bound(it, end, *it)) ++batches;
    return batches;
}

void Decomposition::add_outliers(std::span<const std::uint64_t> indices, std::span<const float> values,
                                 double residual_squared_norm) {
    if (indices.size() != values.size()) throw std::invalid_argument("add_outliers: one value per index");
    for (std::uint64_t index : indices)
        if (index >= entries_) throw std::invalid_argument("add_outliers: index beyond the tensor");
    outlier_indices_.insert(outlier_indices_.end(), indices.begin(), indices.end());
    outlier_values_.insert(outlier_values_.end(), values.begin(), values.end());
    outlier_widths_.insert(outlier_widths_.end(), indices.size(), width());
    residual_squared_norms_.back() = residual_squared_norm;
}

void Decomposition::truncate(std::size_t w) {
    const std::size_t kept = outlier_count(w);
    outlier_indices_.resize(kept);
    outlier_values_.resize(kept);
    outlier_widths_.resize(kept);
    if (w >= width()) return;
    coeffs_.resize(w);
    sign_words_.resize(w * words_per_cut_);
    residual_squared_norms_.resize(w + 1);
}

Tensor Decomposition::reconstruct(std::size_t w) const {
    require_memory(4 * std::uint64_t(entries_), "reconstructing a " + shape_to_string(shape_) + " tensor");
    Tensor out(shape_);
    add_cuts(out, 0, w);
    for (std::size_t i = 0, kept = outlier_count(w); i < kept; ++i) out[outlier_indices_[i]] += outlier_values_[i];
    return out;
}

void Decomposition::add_outliers(Tensor& target, std::size_t first, std::size_t last, float scale) const {
    if (target.shape() != shape_) throw std::invalid_argument("add_outliers: target has the wrong shape");
    for (std::size_t i = outlier_count(first), end = outlier_count(last); i < end; ++i)
        target[outlier_indices_[i]] += scale * outlier_values_[i];
}

namespace {

// Visits every (row, cut) pair of a tensor held in storage order (largest mode last), row
// blocks in parallel, cuts in order within a block: visit(block, row, cut, row_negative,
// last-mode signs). A row's sign is the product of the cut's signs at the row's indices.
template <typename Visit>
void for_each_row_and_cut(const Decomposition& d, const std::vector<std::size_t>& order, float* data, std::size_t first,
                          std::size_t last, std::size_t rows_per_block, const Visit& visit) {
    const Shape& shape = d.shape();
    const std::size_t k = shape.size();
    const std::size_t row_length = shape[order.back()];
    const std::size_t rows = d.entries() / row_length;
    tbb::parallel_for(std::size_t(0), (rows + rows_per_block - 1) / rows_per_block, [&](std::size_t block) {
        const std::size_t r0 = block * rows_per_block, r1 = std::min(rows, r0 + rows_per_block);
        // digits[(r − r0)·(k−1) + m]: the row's index along storage mode m.
        std::vector<std::size_t> digits((r1 - r0) * (k - 1));
        for (std::size_t r = r0; r < r1; ++r)
            for (std::size_t m = k - 1, rest = r; m-- > 0;) {
                digits[(r - r0) * (k - 1) + m] = rest % shape[order[m]];
                rest /= shape[order[m]];
            }
        for (std::size_t j = first; j < last; ++j) {
            const std::uint64_t* last_signs = d.signs(j, order.back()).data();
            for (std::size_t r = r0; r < r1; ++r) {
                bool negative = false;
                for (std::size_t m = 0; m + 1 < k; ++m)
                    negative ^= is_negative(d.signs(j, order[m]), digits[(r - r0) * (k - 1) + m]);
                visit(block, data + r * row_length, j, negative, last_signs);
            }
        }
    });
}

std::vector<std::size_t> inverse_of(const std::vector<std::size_t>& order) {
    std::vector<std::size_t> inverse(order.size());
    for (std::size_t m = 0; m < order.size(); ++m) inverse[order[m]] = m;
    return inverse;
}

}  // namespace

void Decomposition::add_cuts(Tensor& target, std::size_t first, std::size_t last, float scale) const {
    if (target.shape() != shape_) throw std::invalid_argument("add_cuts: target has the wrong shape");
    last = std::min(last, width());
    if (first >= last) return;
    // Work in storage order (largest mode last) so every row is long, then permute back.
    const std::vector<std::size_t> order = storage_order(shape_);
    const bool identity = std::is_sorted(order.begin(), order.end());
    Tensor work = identity ? std::move(target) : target.permuted(order);
    const std::size_t row_length = shape_[order.back()];
    const Kernels& kernels = active_kernels();
    for_each_row_and_cut(*this, order, work.data().data(), first, last, std::max<std::size_t>(1, 8192 / row_length),
                         [&](std::size_t, float* row, std::size_t j, bool negative, const std::uint64_t* last_signs) {
                             const float c = scale * coeffs_[j];
                             kernels.add_signed_constant(row, last_signs, negative ? -c : c, row_length);
                         });
    target = identity ? std::move(work) : work.permuted(inverse_of(order));
}

std::vector<double> Decomposition::inner_products(const Tensor& a) const {
    if (a.shape() != shape_) throw std::invalid_argument("inner_products: tensor has the wrong shape");
    const std::vector<std::size_t> order = storage_order(shape_);
    Tensor work = std::is_sorted(order.begin(), order.end()) ? a : a.permuted(order);
    const std::size_t row_length = shape_[order.back()];
    const std::size_t rows_per_block = std::max<std::size_t>(1, 65536 / row_length);
    const std::size_t blocks = (entries_ / row_length + rows_per_block - 1) / rows_per_block;
    std::vector<double> partial(blocks * width(), 0.0);
    const Kernels& kernels = active_kernels();
    for_each_row_and_cut(
        *this, order, work.data().data(), 0, width(), rows_per_block,
        [&](std::size_t block, float* row, std::size_t j, bool negative, const std::uint64_t* last_signs) {
            const double sum = kernels.signed_sum(row, last_signs, row_length);
            partial[block * width() + j] += negative ? -sum : sum;
        });
    std::vector<double> result(width(), 0.0);
    for (std::size_t block = 0; block < blocks; ++block)  // fixed order: deterministic
        for (std::size_t j = 0; j < width(); ++j) result[j] += partial[block * width() + j];
    return result;
}

Decomposition Decomposition::with_coefficients(std::span<const float> coeffs) const {
    if (coeffs.size() != width()) throw std::invalid_argument("with_coefficients: one coefficient per cut");
    Decomposition copy = *this;
    for (std::size_t j = 0; j < width(); ++j) copy.coeffs_[j] = round_to_precision(coeffs[j], precision_);
    // The error curve belongs to the greedy coefficients; only its ends are known here.
    std::fill(copy.residual_squared_norms_.begin() + 1, copy.residual_squared_norms_.end(), std::nan(""));
    return copy;
}

}  // namespace signcut
