// The comparison methods: exact bit accounting, error falling with bits, known cases, the
// least-squares refit, and the rate–distortion floor below every method on Gaussian data.
#include <QTest>

#include <cmath>
#include <numbers>

#include "methods/baselines.h"
#include "methods/coefficient_refit.h"
#include "methods/double_binary.h"
#include "methods/kashin.h"
#include "methods/method.h"
#include "methods/rate_distortion.h"
#include "methods/rotated_quantizer.h"
#include "scd/decomposer.h"
#include "tensor/random_tensor.h"
#include "test_support.h"

using namespace signcut;

class MethodsTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void bitsAreCountedExactly() {
        const Tensor a = gaussian_tensor({40, 50}, 1);
        const std::uint64_t n = 2000;
        QCOMPARE(round_to_int(a, 4.0).bits, 3 * n + 16 * 40);  // int3 + f16 row scales fit 4 bits
        QCOMPARE(round_to_bf16(a).bits, 16 * n);
        QCOMPARE(truncated_svd(a, 4.0).bits, std::uint64_t(16 * 5 * (40 + 50)));  // rank ⌊4·2000/(16·90)⌋ = 5
        QCOMPARE(rotated_quantization(a, 4.0, 1).bits, std::uint64_t(2 * 40 * 64 + 16 * 40));  // padded to 64
        const Approximation cuts = approximate("scd", a, 4.0);
        QVERIFY(double(cuts.bits) <= 4.0 * double(n));
        QCOMPARE(cuts.bits % 8, std::uint64_t(0));  // whole bytes of the .scd file
    }

    void budgetsThatCannotBeMetSaySo() {
        const Tensor a = gaussian_tensor({40, 50}, 2);
        for (const char* method : {"bf16", "f16", "rtn", "rotq", "dbf", "kashin"}) {
            const Approximation result = approximate(method, a, 0.5);
            QVERIFY2(!result.met_budget && !result.note.empty(), method);
        }
    }

    void errorFallsAsBitsGrow() {
        const Tensor a = gaussian_tensor({64, 48}, 3);
        for (const std::string method : {"scd", "scd-refit", "dbf", "kashin", "rtn", "rotq", "svd"}) {
            std::vector<double> errors;
            for (double bits : {1.5, 2.0, 4.0, 8.0}) {
                const Approximation result = approximate(method, a, bits);
                if (!result.met_budget) continue;
                errors.push_back(relative_error(a, result.reconstruction));
                // Never worse with more bits (a budget may not reach the next setting).
                QVERIFY2(errors.size() < 2 || errors.back() <= errors[errors.size() - 2],
                         qPrintable(QString("%1 at %2 bits").arg(method.c_str()).arg(bits)));
            }
            QVERIFY2(errors.size() >= 2 && errors.back() < errors.front(), method.c_str());
        }
    }

    void refitNeverIncreasesTheErrorAndSolvesTheNormalEquations() {
        for (const Shape& shape : {Shape{30, 40}, Shape{12, 10, 3}}) {
            const Tensor a = gaussian_tensor(shape, 4);
            DecomposeOptions options;
            options.stop.width = 25;
            const Decomposition d = decompose(a, options);
            const auto coeffs = refit_coefficients(a, d);
            QVERIFY(coeffs.has_value());
            const Tensor refit = d.with_coefficients(*coeffs).reconstruct(25);
            QVERIFY(relative_error(a, refit) <= relative_error(a, d.reconstruct(25)) + 1e-7);
            // The residual of a least-squares fit is orthogonal to every sign tensor.
            Tensor residual = a;
            for (std::size_t i = 0; i < a.size(); ++i) residual[i] -= refit[i];
            for (double product : d.inner_products(residual)) QVERIFY(std::abs(product) < 1e-3 * std::sqrt(a.squared_norm()));
        }
    }

    void innerProductsMatchTheReconstructedSignTensors() {
        const Tensor a = gaussian_tensor({6, 7, 3}, 5);
        DecomposeOptions options;
        options.stop.width = 4;
        const Decomposition d = decompose(a, options);
        const std::vector<double> products = d.inner_products(a);
        for (std::size_t j = 0; j < 4; ++j) {
            Tensor single(a.shape());
            d.add_cuts(single, j, j + 1, 1.0f / d.coeffs()[j]);  // the sign tensor itself
            double expected = 0;
            for (std::size_t i = 0; i < a.size(); ++i) expected += double(a[i]) * double(single[i]);
            QVERIFY(std::abs(products[j] - expected) < 1e-4);
        }
    }

    void dbfCountsItsBitsAndItsErrorFallsWithIterations() {
        const Tensor a = gaussian_tensor({48, 40}, 9);
        const std::size_t k = dbf_middle_for_budget(48, 40, 2.0);
        QVERIFY(double(dbf_bits(48, 40, k)) <= 2.0 * 48 * 40);
        QVERIFY(double(dbf_bits(48, 40, k + 1)) > 2.0 * 48 * 40);
        const DbfResult result = double_binary_factorisation(a, k, 15);
        QCOMPARE(result.approximation.bits, std::uint64_t(k * (48 + 40) + 16 * (48 + k + 40)));
        QCOMPARE(result.error_by_iteration.size(), std::size_t(15));
        for (std::size_t i = 1; i < 15; ++i)
            QVERIFY(result.error_by_iteration[i] <= result.error_by_iteration[i - 1] + 1e-12);
        QVERIFY(result.error_by_iteration.back() < result.error_by_iteration.front());
    }

    void dbfWithOneMiddleColumnRecoversARankOneSignMatrix() {
        const Tensor a = testing::rank_one_sign_matrix(20, 30, 0.5f, 10);
        const DbfResult result = double_binary_factorisation(a, 1, 3);
        QVERIFY(relative_error(a, result.approximation.reconstruction) < 1e-3);  // f16 scales
    }

    void kashinSplitIsExactWithSmallInfinityNorms() {
        // x = u + Q1ᵀ v Q2 to float precision, and ‖u‖∞, ‖v‖∞ ≤ C·‖x‖₂/√N with C = 3, also for
        // a matrix whose entries include spikes 30× the typical size.
        Tensor spiky = gaussian_tensor({96, 80}, 11);
        for (std::size_t i = 0; i < spiky.size(); i += 97) spiky[i] *= 30.0f;
        for (const Tensor& x : {gaussian_tensor({64, 96}, 12), spiky}) {
            const KashinSplit split = kashin_split(x, 3);
            QVERIFY(split.converged);
            const Tensor synthesis = kashin_synthesis(split.v, 3);
            double error = 0, u_max = 0, v_max = 0;
            for (std::size_t i = 0; i < x.size(); ++i) {
                const double d = double(x[i]) - double(split.u[i]) - double(synthesis[i]);
                error += d * d;
                u_max = std::max(u_max, double(std::abs(split.u[i])));
                v_max = std::max(v_max, double(std::abs(split.v[i])));
            }
            QVERIFY(std::sqrt(error / x.squared_norm()) < 1e-5);
            const double level = 3.0 * std::sqrt(x.squared_norm() / double(x.size()));
            QVERIFY2(u_max <= level && v_max <= level, qPrintable(QString("%1 %2 %3").arg(u_max).arg(v_max).arg(level)));
        }
    }

    void kashinBasisIsOrthonormal() {
        const std::size_t n = 24;
        const std::vector<float> q = kashin_basis(n, 5);
        for (std::size_t a = 0; a < n; ++a)
            for (std::size_t b = 0; b < n; ++b) {
                double dot = 0;
                for (std::size_t i = 0; i < n; ++i) dot += double(q[a * n + i]) * q[b * n + i];
                QVERIFY(std::abs(dot - (a == b ? 1.0 : 0.0)) < 1e-5);
            }
    }

    void kashinBitsAreCountedExactly() {
        const Tensor a = gaussian_tensor({70, 50}, 13);
        const Approximation result = approximate("kashin", a, 4.0);
        QVERIFY(result.met_budget);
        // U at 2 bits and V at 1 (2 + 2 would need 4 plus overhead): entries, f16 block scales, f16 centroids.
        QCOMPARE(result.bits, std::uint64_t((2 * 3500 + 16 * 2 + 16 * 4) + (1 * 3500 + 16 * 2 + 16 * 2)));
    }

    void oneBitLloydMaxLevelsAreTheHalfNormalMean() {
        const auto& levels = lloyd_max_gaussian_levels(1);
        QCOMPARE(levels.size(), std::size_t(2));
        QVERIFY(std::abs(levels[1] - std::sqrt(2.0 / std::numbers::pi)) < 1e-9);
        QVERIFY(std::abs(levels[0] + levels[1]) < 1e-12);
    }

    void hadamardIsOrthonormalAndItsOwnInverse() {
        const Tensor x = gaussian_tensor({64}, 6);
        std::vector<float> y(x.data().begin(), x.data().end());
        hadamard_transform(y);
        double norm = 0;
        for (float v : y) norm += double(v) * v;
        QVERIFY(std::abs(norm - x.squared_norm()) < 1e-4 * x.squared_norm());
        hadamard_transform(y);
        for (std::size_t i = 0; i < 64; ++i) QVERIFY(std::abs(y[i] - x[i]) < 1e-5);
    }

    void rankOneSignMatrixIsExactForCutsAndRefit() {
        const Tensor a = testing::rank_one_sign_matrix(20, 30, 0.75f, 7);
        for (const char* method : {"scd", "scd-refit"}) {
            const Approximation result = approximate(method, a, 2.0);
            QVERIFY2(relative_error(a, result.reconstruction) < 1e-6, method);
        }
    }

    void floorsLieBelowEveryMethodOnGaussianData() {
        const Tensor a = gaussian_tensor({64, 48}, 8);
        const WaterFillingFloor floor(a);
        for (const std::string& method : method_names()) {
            for (double bits : {1.0, 2.0, 4.0, 8.0, 16.0}) {
                const Approximation result = approximate(method, a, bits);
                if (!result.met_budget) continue;
                const double used = double(result.bits) / double(a.size());
                const double error = relative_error(a, result.reconstruction);
                QVERIFY2(error >= iid_gaussian_floor(used), qPrintable(QString("%1 at %2").arg(method.c_str()).arg(bits)));
                QVERIFY(error >= floor.relative_error(used));
                QVERIFY(floor.universal_guarantee(used) >= floor.relative_error(used));
            }
        }
    }

    void waterFillingOfIsotropicDataIsTheIidFloor() {
        // Orthogonal columns of equal energy: every eigenvalue equal, so water-filling is 2^(−R).
        Tensor a({64, 16});
        for (std::size_t i = 0; i < 64; ++i)
            for (std::size_t j = 0; j < 16; ++j) a[i * 16 + j] = (i % 16 == j) ? 1.0f : 0.0f;
        const WaterFillingFloor floor(a);
        for (double bits : {0.5, 1.0, 3.0}) QVERIFY(std::abs(floor.relative_error(bits) - iid_gaussian_floor(bits)) < 1e-6);
    }
};

QTEST_APPLESS_MAIN(MethodsTest)
#include "test_methods.moc"
