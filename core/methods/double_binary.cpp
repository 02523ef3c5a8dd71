#include "methods/double_binary.h"

#include <Eigen/Cholesky>
#include <Eigen/Dense>

#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_invoke.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>

#include "methods/dbf_stored_form.h"
#include "methods/parallel_product.h"
#include "tensor/float16.h"
#include "tensor/random_tensor.h"

namespace signcut {
namespace {

// The ADMM runs in float (its products at twice double's speed); the ridge systems are
// factorised in double, where a ridge of 0.03 leaves them conditioned up to about 150.
using Matrix = Eigen::MatrixXf;
using Vector = Eigen::VectorXf;
using MatrixD = Eigen::MatrixXd;
using VectorD = Eigen::VectorXd;
using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// The authors' constants (find_other2 and svd_abs in usamec/double_binary).
constexpr double kRidge = 0.03;   // λ, relative to the mean of diag(XᵀX) (1 for unit columns)
constexpr double kPenalty = 1.0;  // ρ of every ADMM step but the first of each update
constexpr int kAdmmSteps = 3;     // projections per factor update
constexpr int kPowerSteps = 5;    // power iterations for the rank-one fit of |Z|
// Columns per task of a solve; fixed, so the result does not depend on the thread count.
constexpr Eigen::Index kSolveBlock = 128;

double to_f16(double x) { return f16_bits_to_float(float_to_f16_bits(float(x))); }
template <typename M>
auto signs_of(const M& x) {
    using Scalar = typename M::Scalar;
    return x.unaryExpr([](Scalar v) { return v < 0 ? Scalar(-1) : Scalar(1); });
}

// One factor (k × N) of the ADMM: Z, after its first update a scaled sign matrix
// diag(left) · sign(Z) · diag(right), and the scaled dual U of the constraint F = Z.
struct Factor {
    Matrix z, dual;
    Vector left, right;
};

// The authors' projection onto scaled sign matrices: Z = sign(M) ⊙ σ·u·vᵀ with σ·u·vᵀ the
// best rank-one fit of |M| by power iteration. Where they start it from a random vector,
// this starts from the all-ones vector, which no non-negative matrix's top singular vector
// is orthogonal to (and needs no random state).
void project(const Matrix& m, Factor& f) {
    const Matrix magnitude = m.cwiseAbs();
    Vector v = Vector::Ones(m.cols()).normalized();
    for (int step = 0; step < kPowerSteps; ++step)
        v = (magnitude.transpose() * (magnitude * v).normalized()).normalized();  // Eigen leaves a zero vector as it is
    f.left = magnitude * v;                                                       // σ·u
    f.right = v;
    f.z = f.left.asDiagonal() * signs_of(m) * f.right.asDiagonal();
}

// diag(1/‖z_l‖) · z: the factor as the other update sees it, with unit rows (zero rows stay zero).
Matrix unit_rows(const Matrix& z) {
    const Vector norms = z.rowwise().norm();
    return norms.unaryExpr([](float n) { return n > 0 ? 1.0f / n : 0.0f; }).asDiagonal() * z;
}

// The lower triangle of x·xᵀ (the rest zero: the Cholesky factorisation reads only that), in
// fixed blocks of rows on all cores, each block's products of the rows up to its own: half
// the work of the whole product.
MatrixD lower_gram(const Matrix& x) {
    const Eigen::Index n = x.rows();
    Matrix out = Matrix::Zero(n, n);
    const Eigen::Index blocks = (n + kProductRowBlock - 1) / kProductRowBlock;
    oneapi::tbb::parallel_for(Eigen::Index(0), blocks, [&](Eigen::Index block) {
        const Eigen::Index first = block * kProductRowBlock, count = std::min(kProductRowBlock, n - first);
        out.block(first, 0, count, first + count).noalias() =
            x.middleRows(first, count) * x.topRows(first + count).transpose();
    });
    return out.cast<double>();
}

// Solves (XᵀX + αI)·F = R for the k × N right-hand sides R of one factor update, X fixed
// (xt = Xᵀ, k × M). With k ≤ M through the Cholesky factor of the k × k matrix; with k > M
// (the middle dimension above a side of W, e.g. 4 and 8 bits on a photo) through the M × M
// matrix XXᵀ + αI instead (Woodbury: (XᵀX + αI)⁻¹ = (I − Xᵀ(XXᵀ + αI)⁻¹X)/α), which
// costs 4kM + 2M² per column instead of 2k² and needs no k × k factorisation.
class RidgeSolver {
public:
    RidgeSolver(const Matrix& xt, const MatrixD& gram, double alpha) : xt_(xt), alpha_(alpha) {
        MatrixD system = gram;
        system.diagonal().array() += alpha;
        const Eigen::LLT<MatrixD, Eigen::Lower> cholesky(system);
        lower_ = MatrixD(cholesky.matrixL()).cast<float>();
    }

    Matrix solve(Matrix rhs) const {
        const bool woodbury = xt_.cols() < xt_.rows();
        Matrix inner;
        if (woodbury) inner = parallel_product(xt_.transpose(), rhs);  // X·R, M × N
        Matrix& target = woodbury ? inner : rhs;
        const Eigen::Index cols = target.cols();
        const Eigen::Index blocks = (cols + kSolveBlock - 1) / kSolveBlock;
        oneapi::tbb::parallel_for(Eigen::Index(0), blocks, [&](Eigen::Index block) {
            const Eigen::Index first = block * kSolveBlock;
            auto part = target.middleCols(first, std::min(kSolveBlock, cols - first));
            lower_.triangularView<Eigen::Lower>().solveInPlace(part);
            lower_.transpose().triangularView<Eigen::Upper>().solveInPlace(part);
        });
        if (!woodbury) return rhs;
        const Matrix correction = parallel_product(xt_, inner);  // Xᵀ(XXᵀ + αI)⁻¹X·R
        return (rhs - correction) * float(1.0 / alpha_);
    }

private:
    const Matrix& xt_;
    double alpha_;
    Matrix lower_;  // the Cholesky factor of the smaller system, rounded to float
};

// Update F in Y ≈ X·F with X fixed (xt = Xᵀ, k × M, unit rows; y is M × N): ADMM on
// ½‖X F − Y‖² + ½λ‖F‖² subject to F = Z scaled signs, whose F-step solves
// (XᵀX + λI + ρI) F = XᵀY + ρ(Z − U). The first step uses first_penalty, the rest ρ = 1.
template <typename Target>
void update_factor(const Matrix& xt, const Target& y, double first_penalty, Factor& f) {
    const Eigen::Index k = xt.rows();
    const bool woodbury = xt.cols() < k;
    // XᵀX (or XXᵀ for the Woodbury form), summed in float, factorised in double.
    const MatrixD gram = woodbury ? lower_gram(Matrix(xt.transpose())) : lower_gram(xt);
    const double scale = gram.trace() / double(k);  // mean diag XᵀX: 0 only if X = 0, i.e. W = 0
    const double ridge = kRidge * (scale > 0 ? scale : 1.0);
    std::optional<RidgeSolver> first, later;
    oneapi::tbb::parallel_invoke([&] { first.emplace(xt, gram, ridge + first_penalty); },
                                 [&] { later.emplace(xt, gram, ridge + kPenalty); });
    const Matrix correlation = parallel_product(xt, y);                                          // XᵀY
    Matrix primal = first->solve(correlation + float(first_penalty) * (f.z - f.dual));  // F
    for (int step = 0; step < kAdmmSteps; ++step) {
        if (step > 0) primal = later->solve(correlation + float(kPenalty) * (f.z - f.dual));
        f.dual += primal;  // U + F, the point to project
        project(f.dual, f);
        f.dual -= f.z;  // U ← U + F − Z
    }
}

// The stored form with its scales: W ≈ diag(a) · S1 · diag(m) · S2 · diag(b).
struct Factors {
    VectorD a, m, b;  // row, middle and column scales
    MatrixD s1, s2;   // ±1, rows × k and k × cols
};

// Least-squares scales for fixed signs, one block after another (no step can raise the
// error). Returns ‖W − Ŵ‖² after the last block, from the normal equations of m:
// ‖W‖² − mᵀ r, since G m = r.
double fit_scales(const MatrixD& w, double energy, Factors& f) {
    const MatrixD p = parallel_product(f.s1 * f.m.asDiagonal(), f.s2);  // S1 diag(m) S2
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
    const MatrixD x = f.a.asDiagonal() * f.s1, y = f.s2 * f.b.asDiagonal();
    const MatrixD xt = x.transpose(), yt = y.transpose();
    const MatrixD gram = parallel_product(xt, x).cwiseProduct(parallel_product(y, yt));
    const VectorD rhs = parallel_product(xt, w).cwiseProduct(y).rowwise().sum();
    f.m = gram.ldlt().solve(rhs);
    return std::max(0.0, energy - f.m.dot(rhs));
}

// Spread the magnitude evenly over a, m and b (their product is unchanged) so that f16
// rounds each of them to its relative precision rather than underflowing one.
void balance_scales(Factors& f) {
    const double ra = f.a.norm() / std::sqrt(double(f.a.size())), rm = f.m.norm() / std::sqrt(double(f.m.size())),
                 rb = f.b.norm() / std::sqrt(double(f.b.size()));
    if (ra == 0 || rm == 0 || rb == 0) return;
    const double level = std::cbrt(ra * rm * rb);
    f.a *= level / ra;
    f.m *= level / rm;
    f.b *= level / rb;
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

DbfResult double_binary_factorisation(const Tensor& matrix, std::size_t middle, const DbfOptions& options) {
    if (matrix.order() != 2 || middle == 0 || options.iterations < 1)
        throw std::invalid_argument("double binary factorisation needs a matrix, k ≥ 1 and at least one iteration");
    const auto rows = Eigen::Index(matrix.dim(0)), cols = Eigen::Index(matrix.dim(1)), k = Eigen::Index(middle);
    const Matrix w = Eigen::Map<const RowMatrix>(matrix.data().data(), rows, cols);
    const double energy = w.cast<double>().squaredNorm();
    const double norm = std::max(std::sqrt(energy), 1e-300);

    // Both factors are stored k × N, `a` holding Aᵀ (k × rows) and `b` holding B (k × cols),
    // so W ≈ aᵀ·diag(1/d)·b. Start: N(0, 1) entries (one draw for both), duals zero.
    Factor a, b;
    {
        const Tensor start = gaussian_tensor({std::size_t(k), std::size_t(rows + cols)}, options.seed);
        const auto normal = Eigen::Map<const RowMatrix>(start.data().data(), k, rows + cols);
        a.z = normal.leftCols(rows);
        b.z = normal.rightCols(cols);
    }
    a.dual = Matrix::Zero(k, rows);
    b.dual = Matrix::Zero(k, cols);
    // The authors update the factor on the shorter side of W first (B, on the columns, when
    // W is square). Updating A fits Wᵀ ≈ X·A, updating B fits W ≈ X·B; the error is measured
    // after the second update, where Xᵀ·Z_second is Ŵ (or Ŵᵀ).
    const bool rows_first = rows < cols;
    Factor& first = rows_first ? a : b;
    Factor& second = rows_first ? b : a;
    const auto wt = w.transpose();

    DbfResult result;
    result.middle = middle;
    const int ramp = std::max(1, options.iterations - 3);
    for (int it = 0; it < options.iterations; ++it) {
        const double penalty = std::pow(std::min(1.0, double(it) / ramp), 3);  // the authors' ρ ramp
        if (rows_first) {
            update_factor(unit_rows(b.z), wt, penalty, a);
            update_factor(unit_rows(a.z), w, penalty, b);
        } else {
            update_factor(unit_rows(a.z), w, penalty, b);
            update_factor(unit_rows(b.z), wt, penalty, a);
        }
        const Matrix product = parallel_product(unit_rows(first.z).transpose(), second.z);
        const double error = rows_first ? (w - product).cast<double>().squaredNorm()
                                        : (wt - product).cast<double>().squaredNorm();
        result.error_by_iteration.push_back(std::sqrt(error) / norm);
    }
    // Ŵ = Z_aᵀ diag(1/d) Z_b with Z = diag(p) S diag(q) and d the row norms of the first
    // factor: diag(q_a) S_aᵀ diag(p_a ⊙ p_b / d) S_b diag(q_b). Zero rows have p = 0.
    const VectorD d = first.z.rowwise().norm().cast<double>();
    Factors f{a.right.cast<double>(),
              a.left.cast<double>().cwiseProduct(b.left.cast<double>()).cwiseQuotient(d.cwiseMax(1e-300)),
              b.right.cast<double>(), signs_of(a.z).transpose().cast<double>(), signs_of(b.z).cast<double>()};
    // Least-squares scales for these signs, kept unless rounding in the normal equations made them worse.
    const Factors admm = f;
    const double admm_error = result.error_by_iteration.back() * norm;
    if (fit_scales(w.cast<double>(), energy, f) > admm_error * admm_error) f = admm;
    balance_scales(f);
    f.a = f.a.unaryExpr(&to_f16);
    f.m = f.m.unaryExpr(&to_f16);
    f.b = f.b.unaryExpr(&to_f16);
    Approximation& out = result.approximation;
    out.bits = dbf_bits(std::size_t(rows), std::size_t(cols), middle);
    result.factors = {std::vector<float>(f.a.begin(), f.a.end()), std::vector<float>(f.m.begin(), f.m.end()),
                      std::vector<float>(f.b.begin(), f.b.end()),
                      SignMatrix::from_entries(
                          std::size_t(rows), middle,
                          [&](std::size_t r, std::size_t l) { return f.s1(Eigen::Index(r), Eigen::Index(l)) < 0; }),
                      SignMatrix::from_entries(middle, std::size_t(cols), [&](std::size_t l, std::size_t c) {
                          return f.s2(Eigen::Index(l), Eigen::Index(c)) < 0;
                      })};
    out.reconstruction = dbf_reconstruction(result.factors);  // as its stored form gives it back
    out.note = "k = " + std::to_string(middle) + ", " + std::to_string(options.iterations) + " iterations";
    return result;
}

}  // namespace signcut
