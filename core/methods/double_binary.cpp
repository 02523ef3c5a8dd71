#include "methods/double_binary.h"

#include <Eigen/Dense>
#include <Eigen/SVD>

#include <algorithm>
#include <cmath>

#include "tensor/float16.h"

namespace signcut {
namespace {

using Matrix = Eigen::MatrixXd;
using Vector = Eigen::VectorXd;

double to_f16(double x) { return f16_bits_to_float(float_to_f16_bits(float(x))); }
Matrix signs_of(const Matrix& x) { return x.unaryExpr([](double v) { return v < 0 ? -1.0 : 1.0; }); }

// The factorisation with its scales; product() is the approximation.
struct Factors {
    Vector a, m, b;  // row, middle and column scales
    Matrix s1, s2;   // ±1
    Matrix product() const { return a.asDiagonal() * s1 * m.asDiagonal() * s2 * b.asDiagonal(); }
};

// Least-squares scales for fixed signs, one block at a time (each step cannot raise the error).
void fit_scales(const Matrix& w, Factors& f) {
    for (int round = 0; round < 2; ++round) {
        {  // row scales a: W_i ≈ a_i · Z_i with Z = S1 diag(m) S2 diag(b)
            const Matrix z = f.s1 * f.m.asDiagonal() * f.s2 * f.b.asDiagonal();
            for (Eigen::Index i = 0; i < w.rows(); ++i) {
                const double norm = z.row(i).squaredNorm();
                f.a[i] = norm > 0 ? w.row(i).dot(z.row(i)) / norm : 0.0;
            }
        }
        {  // column scales b
            const Matrix z = f.a.asDiagonal() * f.s1 * f.m.asDiagonal() * f.s2;
            for (Eigen::Index j = 0; j < w.cols(); ++j) {
                const double norm = z.col(j).squaredNorm();
                f.b[j] = norm > 0 ? w.col(j).dot(z.col(j)) / norm : 0.0;
            }
        }
        {  // middle scales m: W ≈ Σ_l m_l x_l y_lᵀ, x = a ⊙ S1[:, l], y = S2[l, :] ⊙ b
            const Matrix x = f.a.asDiagonal() * f.s1, y = f.s2 * f.b.asDiagonal();
            const Matrix gram = (x.transpose() * x).cwiseProduct(y * y.transpose());
            const Vector rhs = (x.transpose() * w * y.transpose()).diagonal();
            f.m = gram.ldlt().solve(rhs);
        }
    }
}

double relative(const Matrix& w, const Factors& f, double norm) { return (w - f.product()).norm() / norm; }

// One pass of exact coordinate descent on the signs of each row of S (rows × k) for
// min ‖w_i − scale_i · s_i M‖²: with H = M Mᵀ and c_i = M w_iᵀ, flipping s_l changes the
// objective by 4·scale²·(H_ll − s_l (H s)_l) + 4·scale·s_l c_l; flip while that is negative.
void improve_signs(const Matrix& w, const Vector& scale, const Matrix& m, Matrix& s) {
    const Matrix h = m * m.transpose();
    const Matrix c = w * m.transpose();  // row i: c_iᵀ
    for (Eigen::Index i = 0; i < s.rows(); ++i) {
        const double a = scale[i];
        if (a == 0.0) continue;
        Vector hs = h * s.row(i).transpose();
        for (Eigen::Index l = 0; l < s.cols(); ++l) {
            const double sl = s(i, l);
            const double change = 4.0 * a * a * (h(l, l) - sl * hs[l]) + 4.0 * a * sl * c(i, l);
            if (change < 0.0) {
                s(i, l) = -sl;
                hs -= 2.0 * sl * h.col(l);
            }
        }
    }
}

}  // namespace

std::uint64_t dbf_bits(std::size_t rows, std::size_t cols, std::size_t middle) {
    return std::uint64_t(middle) * (rows + cols) + 16ull * (rows + middle + cols);
}

std::size_t dbf_middle_for_budget(std::size_t rows, std::size_t cols, double bits_per_entry) {
    // k·(rows + cols) + 16·(rows + k + cols) ≤ budget
    const double budget = bits_per_entry * double(rows) * double(cols) - 16.0 * double(rows + cols);
    return budget > 0 ? std::size_t(budget / double(rows + cols + 16)) : 0;
}

DbfResult double_binary_factorisation(const Tensor& matrix, std::size_t middle, int iterations) {
    const auto rows = Eigen::Index(matrix.dim(0)), cols = Eigen::Index(matrix.dim(1)), k = Eigen::Index(middle);
    using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    const Matrix w = Eigen::Map<const RowMatrix>(matrix.data().data(), rows, cols).cast<double>();
    const double norm = std::max(w.norm(), 1e-300);

    // Start: signs of U√Σ and √Σ Vᵀ (random signs beyond the rank); scales by least squares.
    const Eigen::Index rank = std::min({k, rows, cols});
    const Eigen::BDCSVD<Matrix> svd(w, Eigen::ComputeThinU | Eigen::ComputeThinV);
    const Vector root = svd.singularValues().head(rank).cwiseSqrt();
    Matrix left = Matrix::Random(rows, k), right = Matrix::Random(k, cols);  // Eigen's fixed-seed generator
    left.leftCols(rank) = svd.matrixU().leftCols(rank) * root.asDiagonal();
    right.topRows(rank) = root.asDiagonal() * svd.matrixV().leftCols(rank).transpose();
    Factors f{Vector::Ones(rows), Vector::Ones(k), Vector::Ones(cols), signs_of(left), signs_of(right)};
    fit_scales(w, f);

    // Alternate: exact coordinate descent on the signs of S1 (rows) and S2 (columns), each
    // followed by least-squares scales. Every step can only lower the error.
    DbfResult result;
    result.middle = middle;
    for (int it = 0; it < iterations; ++it) {
        improve_signs(w, f.a, f.m.asDiagonal() * f.s2 * f.b.asDiagonal(), f.s1);
        fit_scales(w, f);
        Matrix s2t = f.s2.transpose();
        improve_signs(w.transpose(), f.b, (f.a.asDiagonal() * f.s1 * f.m.asDiagonal()).transpose(), s2t);
        f.s2 = s2t.transpose();
        fit_scales(w, f);
        result.error_by_iteration.push_back(relative(w, f, norm));
    }
    Factors best = f;
    // Stored form: f16 scales.
    best.a = best.a.unaryExpr(&to_f16);
    best.m = best.m.unaryExpr(&to_f16);
    best.b = best.b.unaryExpr(&to_f16);
    Approximation& out = result.approximation;
    out.bits = dbf_bits(std::size_t(rows), std::size_t(cols), middle);
    out.reconstruction = Tensor(matrix.shape());
    Eigen::Map<RowMatrix>(out.reconstruction.data().data(), rows, cols) = best.product().cast<float>();
    out.note = "k = " + std::to_string(middle) + ", " + std::to_string(iterations) + " iterations";
    return result;
}

}  // namespace signcut
