#include "methods/coefficient_refit.h"

#include <oneapi/tbb/parallel_for.h>

#include <Eigen/Dense>

#include <bit>

namespace signcut {

std::optional<std::vector<float>> refit_coefficients(const Tensor& a, const Decomposition& d, std::size_t max_width) {
    const std::size_t w = d.width();
    if (w == 0 || w > max_width) return std::nullopt;
    // G_ij = Π_modes (n − 2·#disagreements): exact integers, held in double.
    const auto size = Eigen::Index(w);
    Eigen::MatrixXd gram(size, size);
    tbb::parallel_for(std::size_t(0), w, [&](std::size_t i) {
        for (std::size_t j = 0; j <= i; ++j) {
            double product = 1.0;
            for (std::size_t mode = 0; mode < d.order(); ++mode) {
                const auto x = d.signs(i, mode), y = d.signs(j, mode);
                long disagree = 0;
                for (std::size_t word = 0; word < x.size(); ++word) disagree += std::popcount(x[word] ^ y[word]);
                product *= double(long(d.shape()[mode]) - 2 * disagree);
            }
            gram(Eigen::Index(i), Eigen::Index(j)) = gram(Eigen::Index(j), Eigen::Index(i)) = product;
        }
    });
    // The cuts fit what the entries kept apart leave: A − (those entries).
    Tensor cut_part = a;
    for (std::size_t e = 0; e < d.outlier_count(); ++e) cut_part[d.outlier_indices()[e]] -= d.outlier_values()[e];
    const std::vector<double> inner = d.inner_products(cut_part);
    const Eigen::VectorXd solution = gram.ldlt().solve(Eigen::Map<const Eigen::VectorXd>(inner.data(), size));
    if (!solution.allFinite()) return std::nullopt;
    std::vector<float> coeffs(w);
    for (std::size_t j = 0; j < w; ++j) coeffs[j] = float(solution[Eigen::Index(j)]);
    return coeffs;
}

}  // namespace signcut
