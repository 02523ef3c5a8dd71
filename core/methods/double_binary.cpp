#include "methods/double_binary.h"

#include <Eigen/Dense>
#include <Eigen/SVD>

#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

#include "methods/parallel_product.h"
#include "tensor/float16.h"

namespace signcut {
namespace {

using Matrix = Eigen::MatrixXd;
using Vector = Eigen::VectorXd;
using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

double to_f16(double x) { return f16_bits_to_float(float_to_f16_bits(float(x))); }
Matrix signs_of(const Matrix& x) { return x.unaryExpr([](double v) { return v < 0 ? -1.0 : 1.0; }); }

// The factorisation with its scales: W ≈ diag(a) · S1 · diag(m) · S2 · diag(b).
struct Factors {
    Vector a, m, b;  // row, middle and column scales
    Matrix s1, s2;   // ±1, rows × k and k × cols
};

// Least-squares scales for fixed signs, one block after another (no step can raise the
// error). Returns ‖W − Ŵ‖² after the last block, from the normal equations of m:
// ‖W‖² − mᵀ r, since G m = r.
double fit_scales(const Matrix& w, double energy, Factors& f) {
    const Matrix p = parallel_product(f.s1 * f.m.asDiagonal(), f.s2);  // S1 diag(m) S2
    // Row scales: W_i ≈ a_i · (P_i ⊙ b).
    for (Eigen::Index i = 0; i < w.rows(); ++i) {
        const double norm = (p.row(i).array() * f.b.transpose().array()).square().sum();
        f.a[i] = norm > 0 ? (w.row(i).array() * p.row(i).array() * f.b.transpose().array()).sum() / norm : 0.0;
    }
    // Column scales: W_j ≈ b_j · (a ⊙ P_j).
    for (Eigen::Index j = 0; j < w.cols(); ++j) {
        const double norm = (f.a.array() * p.col(j).array()).square().sum();
        f.b[j] = norm > 0 ? (w.col(j).array() * f.a.array() * p.col(j).array()).sum() / norm : 0.0;
    }
    // Middle scales: W ≈ Σ_l m_l x_l y_lᵀ with x = a ⊙ S1[:, l], y = S2[l, :] ⊙ b, so
    // G = (XᵀX) ⊙ (Y Yᵀ) and r_l = x_lᵀ W y_l.
    const Matrix x = f.a.asDiagonal() * f.s1, y = f.s2 * f.b.asDiagonal();
    const Matrix xt = x.transpose(), yt = y.transpose();
    const Matrix gram = parallel_product(xt, x).cwiseProduct(parallel_product(y, yt));
    const Vector rhs = parallel_product(xt, w).cwiseProduct(y).rowwise().sum();
    f.m = gram.ldlt().solve(rhs);
    return std::max(0.0, energy - f.m.dot(rhs));
}

// One pass of exact coordinate descent on the signs of each row of S (rows × k) for
// min ‖w_i − scale_i · s_i M‖²: with H = M Mᵀ and c_i = M w_iᵀ, flipping s_l changes the
// objective by 4·scale²·(H_ll − s_l (H s)_l) + 4·scale·s_l c_l; flip while that is negative.
// Rows are independent, so they run in parallel with the same result.
void improve_signs(const Matrix& w, const Vector& scale, const Matrix& m, Matrix& s) {
    const Matrix mt = m.transpose();
    const Matrix h = parallel_product(m, mt);
    const Matrix c = parallel_product(w, mt);  // row i: c_iᵀ
    const Matrix hs_all = parallel_product(s, h);  // row i: (H s_i)ᵀ, H symmetric
    oneapi::tbb::parallel_for(Eigen::Index(0), s.rows(), [&](Eigen::Index i) {
        const double a = scale[i];
        if (a == 0.0) return;
        Vector hs = hs_all.row(i).transpose();
        for (Eigen::Index l = 0; l < s.cols(); ++l) {
            const double sl = s(i, l);
            const double change = 4.0 * a * a * (h(l, l) - sl * hs[l]) + 4.0 * a * sl * c(i, l);
            if (change < 0.0) {
                s(i, l) = -sl;
                hs -= 2.0 * sl * h.col(l);
            }
        }
    });
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
    const Matrix w = Eigen::Map<const RowMatrix>(matrix.data().data(), rows, cols).cast<double>();
    const double energy = w.squaredNorm();
    const double norm = std::max(std::sqrt(energy), 1e-300);

    // Start: signs of U√Σ and √Σ Vᵀ (random signs beyond the rank); scales by least squares.
    const Eigen::Index rank = std::min({k, rows, cols});
    const Eigen::BDCSVD<Matrix> svd(w, Eigen::ComputeThinU | Eigen::ComputeThinV);
    const Vector root = svd.singularValues().head(rank).cwiseSqrt();
    Matrix left = Matrix::Random(rows, k), right = Matrix::Random(k, cols);  // Eigen's fixed-seed generator
    left.leftCols(rank) = svd.matrixU().leftCols(rank) * root.asDiagonal();
    right.topRows(rank) = root.asDiagonal() * svd.matrixV().leftCols(rank).transpose();
    Factors f{Vector::Ones(rows), Vector::Ones(k), Vector::Ones(cols), signs_of(left), signs_of(right)};
    fit_scales(w, energy, f);

    // Alternate: exact coordinate descent on the signs of S1 (rows) and of S2 (columns), then
    // least-squares scales. Every step can only lower the error.
    DbfResult result;
    result.middle = middle;
    for (int it = 0; it < iterations; ++it) {
        improve_signs(w, f.a, f.m.asDiagonal() * f.s2 * f.b.asDiagonal(), f.s1);
        Matrix s2t = f.s2.transpose();
        improve_signs(w.transpose(), f.b, (f.a.asDiagonal() * f.s1 * f.m.asDiagonal()).transpose(), s2t);
        f.s2 = s2t.transpose();
        result.error_by_iteration.push_back(std::sqrt(fit_scales(w, energy, f)) / norm);
    }
    // Stored form: f16 scales.
    f.a = f.a.unaryExpr(&to_f16);
    f.m = f.m.unaryExpr(&to_f16);
    f.b = f.b.unaryExpr(&to_f16);
    Approximation& out = result.approximation;
    out.bits = dbf_bits(std::size_t(rows), std::size_t(cols), middle);
    out.reconstruction = Tensor(matrix.shape());
    const Matrix product = f.a.asDiagonal() * parallel_product(f.s1 * f.m.asDiagonal(), f.s2) * f.b.asDiagonal();
    Eigen::Map<RowMatrix>(out.reconstruction.data().data(), rows, cols) = product.cast<float>();
    out.note = "k = " + std::to_string(middle) + ", " + std::to_string(iterations) + " iterations";
    return result;
}

}  // namespace signcut
