#pragma once
// Rate–distortion floors for Gaussian data, as relative errors ‖A − Â‖/‖A‖ at R bits per entry.
//   i.i.d.: entries N(0, σ²) with σ² = ‖A‖²/N: D(R) = σ²·2^(−2R), so the floor is 2^(−R).
//   water-filling: rows of each matrix as N(0, C), C the column covariance AᵀA/m; reverse
//     water-filling over the eigenvalues λ of C: D(θ) = Σ min(θ, λ), R(θ) = Σ max(0, ½ log₂(λ/θ)).
//   universal codebook (Harbuzova, Ordentlich, Polyanskiy 2026): one codebook does, for every
//     covariance, at least as well as water-filling at 0.11 bit per dimension less rate, so its
//     guarantee is the water-filling floor at R − 0.11 (the proof is not constructive).

#include <array>
#include <string_view>
#include <vector>

#include "tensor/tensor.h"

namespace signcut {

inline constexpr double kUniversalCodebookGap = 0.11;  // bits per dimension

double iid_gaussian_floor(double bits_per_entry);

class WaterFillingFloor {
public:
    // Eigenvalues of every matrix of as_matrices(a), computed on the smaller Gram matrix.
    explicit WaterFillingFloor(const Tensor& a);
    double relative_error(double bits_per_entry) const;
    double universal_guarantee(double bits_per_entry) const {
        return relative_error(bits_per_entry - kUniversalCodebookGap);
    }

private:
    std::vector<double> eigenvalues_;  // each weighted by its matrix's row count
    std::vector<double> weights_;
    double total_energy_ = 0.0;
    double entries_ = 0.0;
};

// The three floors, the one list of their names (as compare reports them), chart labels and
// descriptions; floor_errors gives their errors in this order.
struct FloorInfo {
    std::string_view name;         // bound-iid, bound-waterfilling, bound-universal
    std::string_view label;        // short, for a chart's legend
    std::string_view description;  // a sentence or two, for tooltips and --help
};
const std::array<FloorInfo, 3>& floor_table();
std::array<double, 3> floor_errors(const WaterFillingFloor& floor, double bits_per_entry);

}  // namespace signcut
