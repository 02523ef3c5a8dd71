#include "scd/reference_decomposition.h"

#include <Eigen/Dense>

#include <chrono>
#include <cmath>
#include <random>
#include <stdexcept>

namespace signcut {

ReferenceResult reference_decomposition(const Tensor& matrix, std::size_t width, std::uint64_t seed,
                                        int max_iterations) {
    if (matrix.order() != 2) throw std::invalid_argument("the reference decomposition takes a matrix");
    using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    const auto m = Eigen::Index(matrix.dim(0)), n = Eigen::Index(matrix.dim(1));
    Matrix r = Eigen::Map<const Matrix>(matrix.data().data(), m, n);
    const double input = double(r.cast<double>().squaredNorm());
    const auto sign = [](float x) { return x < 0.0f ? -1.0f : 1.0f; };

    ReferenceResult result;
    const auto start = std::chrono::steady_clock::now();
    Eigen::VectorXf s(m), t(n), u(m), v(n);
    for (std::size_t j = 0; j < width; ++j) {
        std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ull + j);
        for (Eigen::Index k = 0; k < n; ++k) t[k] = (rng() & 1) ? -1.0f : 1.0f;
        double value = -1.0;
        for (int it = 0; it < max_iterations; ++it) {
            u.noalias() = r * t;  // s ← sign(R t)
            s = u.unaryExpr(sign);
            v.noalias() = r.transpose() * s;  // t ← sign(Rᵀ s)
            t = v.unaryExpr(sign);
            const double swept = double(v.cwiseAbs().cast<double>().sum());
            const bool grew = swept > value;
            value = swept;
            if (!grew) break;
        }
        const float c = float(value / (double(m) * double(n)));
        r.noalias() -= c * s * t.transpose();
        result.coeffs.push_back(c);
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.relative_error = std::sqrt(double(r.cast<double>().squaredNorm()) / input);
    return result;
}

}  // namespace signcut
