// Double binary factorisation by the authors' ADMM: the error falls over the outer
// iterations, reaches the paper's quality on Gaussian data, depends only on the seed, and
// the stored form costs exactly dbf_bits.
#include <QTest>

#include <oneapi/tbb/global_control.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <utility>

#include "methods/double_binary.h"
#include "tensor/dense_products.h"
#include "tensor/random_tensor.h"

using namespace signcut;

class DoubleBinaryTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void errorFallsAcrossOuterIterations() {
        const Tensor a = gaussian_tensor({96, 80}, 1);
        const DbfResult result = double_binary_factorisation(a, dbf_middle_for_budget(96, 80, 2.0), {.iterations = 60});
        const std::vector<double>& errors = result.error_by_iteration;
        QCOMPARE(errors.size(), std::size_t(60));
        // ADMM is not a descent method: allow the small rises of the ramped penalty.
        for (std::size_t i = 1; i < errors.size(); ++i)
            QVERIFY2(errors[i] <= errors[i - 1] + 0.01,
                     qPrintable(QString("iteration %1: %2 after %3").arg(i).arg(errors[i]).arg(errors[i - 1])));
        QVERIFY(errors.back() < 0.85 * errors.front());
        // The refit scales can only help; f16 rounding costs little.
        QVERIFY(relative_error(a, result.approximation.reconstruction) <= errors.back() + 1e-3);
    }

    void gaussianAtTwoBitsReachesThePapersQuality() {
        const Tensor a = gaussian_tensor({256, 192}, 2);
        const DbfResult result = double_binary_factorisation(a, dbf_middle_for_budget(256, 192, 2.0));
        const double error = relative_error(a, result.approximation.reconstruction);
        QVERIFY2(error <= 0.40, qPrintable(QString::number(error)));
    }

    void sameSeedGivesTheSameResultOnAnyThreadCount() {
        const Tensor a = gaussian_tensor({70, 50}, 3);
        const DbfOptions options{.iterations = 15, .seed = 5};
        const DbfResult many_threads = double_binary_factorisation(a, 20, options);
        const oneapi::tbb::global_control one_thread(oneapi::tbb::global_control::max_allowed_parallelism, 1);
        const DbfResult one = double_binary_factorisation(a, 20, options);
        QVERIFY(one.approximation.reconstruction.data().size() ==
                many_threads.approximation.reconstruction.data().size());
        QVERIFY(std::ranges::equal(one.approximation.reconstruction.data(),
                                   many_threads.approximation.reconstruction.data()));
        QCOMPARE(one.error_by_iteration, many_threads.error_by_iteration);
    }

    void blasUsesTheCpusVectorKernels() {
        // OpenBLAS falls back to its SSE3 "Prescott" kernels on CPU models it does not know
        // (tensor.cpp then chooses by the CPU's features), at half DBF's speed.
        const std::string kernels = dense_product_kernels();
        if (kernels.rfind("OpenBLAS", 0) != 0 || std::getenv("OPENBLAS_CORETYPE"))
            QSKIP("not OpenBLAS, or its core type set by hand");
        if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) QSKIP("a CPU without AVX2 and FMA");
        QVERIFY2(kernels != "OpenBLAS Prescott", kernels.c_str());
    }

    void differentSeedsGiveDifferentResults() {
        const Tensor a = gaussian_tensor({70, 50}, 3);
        const DbfResult first = double_binary_factorisation(a, 20, {.iterations = 15, .seed = 5});
        const DbfResult second = double_binary_factorisation(a, 20, {.iterations = 15, .seed = 6});
        QVERIFY(
            !std::ranges::equal(first.approximation.reconstruction.data(), second.approximation.reconstruction.data()));
    }

    void storedBitsAreDbfBits() {
        // Tall and wide matrices take the two update orders.
        for (const auto& [rows, cols] : {std::pair<std::size_t, std::size_t>{60, 36}, {36, 60}}) {
            const std::size_t k = dbf_middle_for_budget(rows, cols, 1.5);
            QVERIFY(double(dbf_bits(rows, cols, k)) <= 1.5 * double(rows * cols));
            QVERIFY(double(dbf_bits(rows, cols, k + 1)) > 1.5 * double(rows * cols));
            const DbfResult result =
                double_binary_factorisation(gaussian_tensor({rows, cols}, 4), k, {.iterations = 10});
            QCOMPARE(result.approximation.bits, dbf_bits(rows, cols, k));
            QCOMPARE(result.approximation.bits, std::uint64_t(k * (rows + cols) + 16 * (rows + k + cols)));
            QCOMPARE(result.middle, k);
            QCOMPARE(result.approximation.reconstruction.shape(), (Shape{rows, cols}));
            QVERIFY(relative_error(gaussian_tensor({rows, cols}, 4), result.approximation.reconstruction) < 0.75);
        }
    }
};

QTEST_APPLESS_MAIN(DoubleBinaryTest)
#include "test_double_binary.moc"
