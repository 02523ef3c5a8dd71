#pragma once
// Signed cuts of a tensor of any order: every mode update contracts R with the other modes'
// signs in one full pass (contraction.h). Used for orders other than 2 and 3 and for shapes
// MatrixCutEngine does not take. R is kept with its largest mode last (storage_order), so
// the innermost loops run over long contiguous rows.

#include <vector>

#include "scd/cut_engine.h"
#include "simd/kernels.h"

namespace signcut {

class ContractionCutEngine : public CutEngine {
public:
    // Cut j starts from the seeded start j of cut_start.h.
    ContractionCutEngine(Tensor input, const Kernels& kernels, std::uint64_t seed);

    FoundCut find_cut(int max_iterations, const std::function<bool()>& cancelled) override;
    void subtract(const FoundCut& cut, float coeff) override;
    double squared_norm() override;
    void entries_above(double squared_threshold, std::vector<std::uint64_t>& indices,
                       std::vector<float>& values) override;
    void subtract_entries(std::span<const std::uint64_t> indices, std::span<const float> values) override;
    Tensor residual() const override;
    std::uint64_t floats_streamed() const override { return floats_streamed_; }

private:
    // x_mode ← sign of R contracted with every other mode's signs; returns the cut value ‖image‖₁.
    double update_mode(std::size_t mode);
    // A flat index of the input's mode order in storage order (to_storage) or back.
    std::uint64_t reindex(std::uint64_t index, bool to_storage) const;

    const Kernels& kernels_;
    std::uint64_t seed_;
    Shape shape_;                     // the input's
    std::vector<std::size_t> order_;  // storage mode m holds input mode order_[m]
    Shape storage_shape_;
    Tensor residual_;                                    // in storage order
    std::size_t cuts_ = 0;                               // cuts subtracted so far
    std::vector<std::vector<std::uint64_t>> signs_;      // per storage mode: the cut being found
    std::vector<std::uint64_t> pre_signs_, post_signs_;  // scratch
    std::vector<float> image_, partials_;
    std::uint64_t floats_streamed_ = 0;
};

}  // namespace signcut
