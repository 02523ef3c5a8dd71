#pragma once
// A signed cut decomposition A ≈ Σ_{j<w} c_j · x_j^(1) ⊗ … ⊗ x_j^(k) and what it costs to store.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "tensor/enum_names.h"
#include "tensor/tensor.h"

namespace signcut {

// How the coefficients c_j are stored (the engine rounds each c_j to it before using it).
enum class CoeffPrecision : std::uint8_t { f32 = 0, f16 = 1, bf16 = 2 };
template <>
struct EnumNames<CoeffPrecision> {
    static constexpr std::array<EnumName<CoeffPrecision>, 3> names{
        {{CoeffPrecision::f32, "f32"}, {CoeffPrecision::f16, "f16"}, {CoeffPrecision::bf16, "bf16"}}};
};
inline const char* precision_name(CoeffPrecision precision) { return to_string(precision); }
// The precision called `name`; std::invalid_argument listing the names otherwise.
CoeffPrecision parse_precision(std::string_view name);

std::size_t coefficient_bytes(CoeffPrecision precision);
float round_to_precision(float value, CoeffPrecision precision);

// Exact byte count of the .scd file holding `width` cuts of a tensor of this shape
// (header, packed sign bits, coefficients and checksum; see docs/formats.md), and `outliers`
// entries kept apart (outliers.h) added at `outlier_widths` distinct widths.
std::uint64_t scd_file_bytes(const Shape& shape, std::size_t width, CoeffPrecision precision,
                             std::size_t outliers = 0, std::size_t outlier_widths = 0);

// The largest width whose .scd file (with that many entries kept apart) needs at most
// bits_per_entry · (entries) bits.
std::size_t width_for_bits_per_entry(const Shape& shape, double bits_per_entry, CoeffPrecision precision,
                                     std::size_t outliers = 0, std::size_t outlier_widths = 0);

// Storage order of the modes used for computing: the largest mode last so the
// innermost loops run over long contiguous rows; the other modes keep their order.
std::vector<std::size_t> storage_order(const Shape& shape);

class Decomposition {
public:
    Decomposition() = default;
    Decomposition(Shape shape, CoeffPrecision precision, double input_squared_norm);

    const Shape& shape() const { return shape_; }
    std::size_t order() const { return shape_.size(); }
    std::size_t entries() const { return entries_; }
    CoeffPrecision precision() const { return precision_; }
    std::size_t width() const { return coeffs_.size(); }

    std::span<const float> coeffs() const { return coeffs_; }
    // Packed signs (sign_bits.h) of cut j along one mode.
    std::span<const std::uint64_t> signs(std::size_t cut, std::size_t mode) const;
    std::size_t words_per_cut() const { return words_per_cut_; }

    // ‖A‖², and ‖R_w‖² = ‖A − (approximation at width w)‖² for w = 0..width().
    double input_squared_norm() const { return input_squared_norm_; }
    std::span<const double> residual_squared_norms() const { return residual_squared_norms_; }
    // ‖R_w‖_F / ‖A‖_F (0 for a zero input).
    double relative_error(std::size_t w) const;

    // Entries kept apart (outliers.h), in the order they were added: flat row-major index in the
    // input's shape, stored value, and the width from which each is part of the approximation
    // (nondecreasing).
    std::size_t outlier_count() const { return outlier_values_.size(); }
    std::size_t outlier_count(std::size_t w) const;  // those that belong to width w
    std::size_t outlier_batches(std::size_t w) const;  // distinct widths among them
    std::span<const std::uint64_t> outlier_indices() const { return outlier_indices_; }
    std::span<const float> outlier_values() const { return outlier_values_; }
    std::span<const std::size_t> outlier_widths() const { return outlier_widths_; }

    std::uint64_t stored_bytes(std::size_t w) const {
        return scd_file_bytes(shape_, w, precision_, outlier_count(w), outlier_batches(w));
    }
    double bits_per_entry(std::size_t w) const { return 8.0 * double(stored_bytes(w)) / double(entries_); }

    // Appends cut `width()`: its coefficient, the sign words of every mode (words_per_cut()
    // words, each mode word-aligned) and the residual ‖R‖² after it.
    void append(float coeff, std::span<const std::uint64_t> cut_signs, double residual_squared_norm);
    // Keeps entries apart from width() on (values rounded to the precision by the caller);
    // ‖R‖² at this width becomes residual_squared_norm.
    void add_outliers(std::span<const std::uint64_t> indices, std::span<const float> values,
                      double residual_squared_norm);
    // Keeps the first w cuts (and the entries kept apart by then).
    void truncate(std::size_t w);

    // The approximation at width w: Σ_{j<w} c_j · (sign tensor j) plus the entries kept apart by
    // then, in the input's shape: O(w · entries), parallel.
    Tensor reconstruct(std::size_t w) const;
    // Adds scale · (the entries kept apart at widths in (first, last]) to `target`; with
    // add_cuts(target, first, last) it moves a view from width `first` to width `last`.
    void add_outliers(Tensor& target, std::size_t first, std::size_t last, float scale = 1.0f) const;
    // Adds Σ_{first ≤ j < last} scale · c_j · (sign tensor j) to `target` (same shape), so a
    // viewer can move between widths by the difference only.
    void add_cuts(Tensor& target, std::size_t first, std::size_t last, float scale = 1.0f) const;
    // ⟨A, sign tensor j⟩ for every cut, summed in a fixed order.
    std::vector<double> inner_products(const Tensor& a) const;
    // The same cuts with other coefficients (rounded to the precision); the error curve
    // after w = 0 is unknown then and reads NaN.
    Decomposition with_coefficients(std::span<const float> coeffs) const;

private:
    Shape shape_;
    std::size_t entries_ = 0;
    CoeffPrecision precision_ = CoeffPrecision::f32;
    std::vector<std::size_t> mode_word_offset_;
    std::size_t words_per_cut_ = 0;
    std::vector<float> coeffs_;
    std::vector<std::uint64_t> sign_words_;
    double input_squared_norm_ = 0.0;
    std::vector<double> residual_squared_norms_;
    std::vector<std::uint64_t> outlier_indices_;
    std::vector<float> outlier_values_;
    std::vector<std::size_t> outlier_widths_;
};

}  // namespace signcut
