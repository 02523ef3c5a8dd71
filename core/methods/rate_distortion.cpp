#include "methods/rate_distortion.h"

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>

#include "tensor/matrix_views.h"

namespace signcut {

double iid_gaussian_floor(double bits_per_entry) { return std::pow(2.0, -std::max(0.0, bits_per_entry)); }

WaterFillingFloor::WaterFillingFloor(const Tensor& a) : entries_(double(a.size())) {
    for (const Tensor& matrix : as_matrices(a)) {
        const auto m = Eigen::Index(matrix.dim(0)), n = Eigen::Index(matrix.dim(1));
        using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
        const Eigen::MatrixXd x = Eigen::Map<const RowMatrix>(matrix.data().data(), m, n).cast<double>();
        // The nonzero eigenvalues of AᵀA/m and AAᵀ/m agree: use the smaller one.
        const Eigen::MatrixXd gram =
            (m >= n ? Eigen::MatrixXd(x.transpose() * x) : Eigen::MatrixXd(x * x.transpose())) / double(m);
        const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(gram, Eigen::EigenvaluesOnly);
        for (double lambda : solver.eigenvalues()) {
            eigenvalues_.push_back(std::max(lambda, 0.0));
            weights_.push_back(double(m));  // each of the m rows is one vector
        }
        total_energy_ += x.squaredNorm();
    }
}

double WaterFillingFloor::relative_error(double bits_per_entry) const {
    if (total_energy_ <= 0.0) return 0.0;
    if (bits_per_entry <= 0.0) return 1.0;
    const auto rate = [&](double theta) {  // bits per entry at water level θ
        double bits = 0.0;
        for (std::size_t i = 0; i < eigenvalues_.size(); ++i)
            if (eigenvalues_[i] > theta) bits += weights_[i] * 0.5 * std::log2(eigenvalues_[i] / theta);
        return bits / entries_;
    };
    // Bisection on log θ: the rate falls as the water level rises.
    const double largest = *std::max_element(eigenvalues_.begin(), eigenvalues_.end());
    double lo = std::log(largest) - 200.0, hi = std::log(largest);
    for (int i = 0; i < 200; ++i) {
        const double mid = 0.5 * (lo + hi);
        (rate(std::exp(mid)) > bits_per_entry ? lo : hi) = mid;
    }
    const double theta = std::exp(hi);
    double distortion = 0.0;
    for (std::size_t i = 0; i < eigenvalues_.size(); ++i) distortion += weights_[i] * std::min(theta, eigenvalues_[i]);
    return std::sqrt(std::min(1.0, distortion / total_energy_));
}

const std::array<FloorInfo, 3>& floor_table() {
    // Floors for Gaussian data: real images and weights, with structure beyond their second
    // moments, can lie below them.
    static constexpr std::array<FloorInfo, 3> floors{{
        {"bound-iid", "Gaussian-only floor: i.i.d.",
         "Rate–distortion floor for i.i.d. Gaussian entries of the same energy: error 2^(−R). No code at R bits "
         "per entry does better on such data; data that is not Gaussian (a photo, with its smooth regions) can "
         "lie below it."},
        {"bound-waterfilling", "Gaussian-only floor: water-filling",
         "Rate–distortion floor for Gaussian rows with this data's column covariance (reverse water-filling "
         "over its eigenvalues): the best any codebook could do on Gaussian data of that covariance. Data with "
         "more structure than its covariance can lie below it."},
        {"bound-universal", "universal codebook (+0.11 bit)",
         "Guarantee of the universal codebook (Harbuzova, Ordentlich, Polyanskiy 2026): one codebook that does, "
         "for every covariance, as well as water-filling at 0.11 bit per entry more. Its proof uses random "
         "Gaussian codebooks and is not constructive."},
    }};
    return floors;
}

std::array<double, 3> floor_errors(const WaterFillingFloor& floor, double bits_per_entry) {
    return {iid_gaussian_floor(bits_per_entry), floor.relative_error(bits_per_entry),
            floor.universal_guarantee(bits_per_entry)};
}

}  // namespace signcut
