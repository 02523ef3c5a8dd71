// The greedy signed cut engine: energy accounting, monotone error, determinism across
// SIMD paths and thread counts, tensors of order 1-4, stop rules and cancellation.
#include <QTest>

#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>
#include <vector>

#include <oneapi/tbb/task_arena.h>

#include "scd/decomposer.h"
#include "scd/matrix_cut_engine.h"
#include "scd/sign_bits.h"
#include "scd/spin_team.h"
#include "tensor/random_tensor.h"
#include "test_support.h"

using namespace signcut;

namespace {

DecomposeOptions width_options(std::size_t width, std::uint64_t seed = 7) {
    DecomposeOptions options;
    options.stop.width = width;
    options.seed = seed;
    return options;
}

}  // namespace

class DecompositionTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void residualNormMatchesEnergyIdentity() {
        // The residual at every width, with and without cuts waiting to be applied.
        for (const Shape& shape : {Shape{64, 48}, Shape{24, 40, 3}}) {
            const Tensor a = gaussian_tensor(shape, 1);
            Decomposer decomposer(a, width_options(300));
            const double input = a.squared_norm();
            while (decomposer.step()) {
                const std::size_t w = decomposer.decomposition().width();
                const double tracked = decomposer.decomposition().residual_squared_norms()[w];
                const double direct = decomposer.residual().squared_norm();
                QVERIFY2(std::abs(tracked - direct) <= 1e-5 * input + 1e-4 * direct,
                         qPrintable(QString("w=%1 tracked %2 direct %3").arg(w).arg(tracked).arg(direct)));
                if (w % 37 == 0) {  // R = A − Â_w entry by entry
                    const Tensor residual = decomposer.residual(), approx = decomposer.decomposition().reconstruct(w);
                    double worst = 0.0;
                    for (std::size_t i = 0; i < a.size(); ++i)
                        worst = std::max(worst, std::abs(double(a[i]) - approx[i] - residual[i]));
                    QVERIFY2(worst < 1e-4, qPrintable(QString("w=%1 worst %2").arg(w).arg(worst)));
                }
            }
            QCOMPARE(decomposer.decomposition().width(), std::size_t(300));
        }
    }

    void longThinShapesUseTheGeneralPath() {
        QVERIFY(MatrixCutEngine::suits({4096, 14336}));
        QVERIFY(MatrixCutEngine::suits({300, 451, 3}));
        QVERIFY(!MatrixCutEngine::suits({5, 6, 7, 8}));
        // Pattern vectors of 200 000 floats would be 32 times the input here.
        QVERIFY(!MatrixCutEngine::suits({4, 200000}));
        const Tensor a = gaussian_tensor({4, 200000}, 16);
        const Decomposition d = decompose(a, width_options(6));
        QCOMPARE(d.width(), std::size_t(6));
        QVERIFY(std::abs(relative_error(a, d.reconstruct(6)) - d.relative_error(6)) < 1e-5);
        QVERIFY(d.relative_error(6) < d.relative_error(1));
    }

    void firstCutDropsEnergyByValueSquaredOverEntries() {
        const Tensor a = gaussian_tensor({40, 30}, 2);
        Decomposer decomposer(a, width_options(1));
        QVERIFY(decomposer.step());
        const double v = decomposer.last_cut_value();
        const double expected = a.squared_norm() - v * v / double(a.size());
        QVERIFY(std::abs(decomposer.residual().squared_norm() - expected) < 1e-4 * a.squared_norm());
        QVERIFY(std::abs(decomposer.decomposition().coeffs()[0] - v / double(a.size())) < 1e-6);
    }

    void residualNeverGrows() {
        const Tensor a = gaussian_tensor({50, 70}, 3);
        const Decomposition d = decompose(a, width_options(400));
        for (std::size_t w = 1; w <= d.width(); ++w)
            QVERIFY(d.residual_squared_norms()[w] <= d.residual_squared_norms()[w - 1]);
    }

    void reconstructionMatchesTrackedError() {
        for (const Shape& shape : {Shape{33, 65}, Shape{20, 31, 3}, Shape{5, 6, 7, 8}}) {
            const Tensor a = gaussian_tensor(shape, 4);
            const Decomposition d = decompose(a, width_options(120));
            for (std::size_t w : {std::size_t(0), std::size_t(1), std::size_t(17), d.width()})
                QVERIFY(std::abs(relative_error(a, d.reconstruct(w)) - d.relative_error(w)) < 1e-4);
        }
    }

    void movingBetweenWidthsByDifferencesMatchesReconstruction() {
        const Tensor a = gaussian_tensor({20, 31, 3}, 5);
        const Decomposition d = decompose(a, width_options(60));
        Tensor view = d.reconstruct(10);
        d.add_cuts(view, 10, 45);
        d.add_cuts(view, 30, 45, -1.0f);
        QVERIFY(relative_error(d.reconstruct(30), view) < 1e-5);
    }

    void simdPathsGiveTheScalarDecomposition() {
        const std::vector<Isa> paths = testing::runnable_paths({Isa::avx2, Isa::avx512});
        for (const Shape& shape : {Shape{67, 45}, Shape{300, 260}, Shape{21, 33, 3}}) {  // 300 rows: grouped flips
            const Tensor a = gaussian_tensor(shape, 6);
            DecomposeOptions options = width_options(80);
            options.kernels = &scalar_kernels();
            const Decomposition reference = decompose(a, options);
            for (Isa isa : paths) {
                options.kernels = &kernels_for(isa);
                QVERIFY2(testing::identical(decompose(a, options), reference), isa_name(isa).data());
            }
        }
    }

    void threadCountDoesNotChangeTheCuts() {
        for (const Shape& shape :
             {Shape{300, 200}, Shape{1100, 900}, Shape{60, 90, 3}, Shape{200, 300, 3}}) {  // 1100: parallel grouped flips
            const Tensor a = gaussian_tensor(shape, 8);
            DecomposeOptions options = width_options(40);
            options.threads = 1;
            const Decomposition one = decompose(a, options);
            for (int threads : {2, 3, 8}) {
                options.threads = threads;
                QVERIFY(testing::identical(decompose(a, options), one));
            }
        }
    }

    void spinTeamRunsEveryPieceOnceAndStopsOnAThrow() {
        // Thousands of small loops in a row, as a cut's flips post them, on two threads and on one:
        // every piece runs exactly once and each loop is complete when for_each_piece returns.
        for (int threads : {1, 2}) {
            oneapi::tbb::task_arena arena(threads);
            arena.execute([&] {
                SpinTeam team;
                std::vector<std::atomic<std::size_t>> last_loop(4);  // the loop that last ran piece p
                std::atomic<std::size_t> runs{0}, served{0};  // served: pieces run by another thread
                std::size_t expected = 0;
                bool complete = true;
                const std::thread::id caller = std::this_thread::get_id();
                team.serve_during([&] {
                    QCOMPARE(team.serving(), team.threads() > 1);
                    for (std::size_t loop = 1; loop <= 5000; ++loop) {
                        const std::size_t pieces = 1 + loop % 4;  // few: a slow serving piece outlasts the caller's
                        team.for_each_piece(pieces, [&](std::size_t p) {
                            // A microsecond or so, as a flip's piece; ten times that on a serving
                            // thread, whose pieces must still be done when the loop returns.
                            const int work_units = std::this_thread::get_id() == caller ? 500 : 5000;
                            volatile float work = 0.0f;
                            for (int k = 0; k < work_units; ++k) work = work + 1.0f;
                            last_loop[p].store(loop);
                            runs.fetch_add(1);
                            if (std::this_thread::get_id() != caller) served.fetch_add(1);
                        });
                        expected += pieces;
                        for (std::size_t p = 0; p < pieces; ++p) complete = complete && last_loop[p].load() == loop;
                    }
                });
                QVERIFY(complete);
                QCOMPARE(runs.load(), expected);
                // Other threads take pieces only when a core is free for them; say how many did.
                qInfo("%d thread(s): %zu of %zu pieces run by the serving threads", threads, served.load(), expected);
                QVERIFY(!team.serving());
                // A throwing body stops the servants; the team serves again afterwards.
                QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                                         team.serve_during([] { throw std::runtime_error("stop"); }));
                std::atomic<int> after{0};
                team.serve_during([&] { team.for_each_piece(5, [&](std::size_t) { after.fetch_add(1); }); });
                QCOMPARE(after.load(), 5);
            });
        }
    }

    void largeMatrixReconstructionMatchesTrackedError() {
        // Large enough for every parallel path of the matrix engine (grouped flips, pieces,
        // pattern vectors) past an exact norm resync: a race in the grouped flips' final sum
        // once failed this on two cores.
        const Tensor a = gaussian_tensor({2048, 2048}, 15);
        const Decomposition d = decompose(a, width_options(40));
        QCOMPARE(d.width(), std::size_t(40));
        for (std::size_t w : {std::size_t(31), std::size_t(32), std::size_t(40)}) {
            const double measured = relative_error(a, d.reconstruct(w));
            QVERIFY2(std::abs(measured - d.relative_error(w)) < 1e-5,
                     qPrintable(QString("w=%1 measured %2 tracked %3").arg(w).arg(measured).arg(d.relative_error(w))));
        }
        QVERIFY(d.relative_error(40) < d.relative_error(32));
    }

    void seedSelectsTheStartAndIsReproducible() {
        const Tensor a = gaussian_tensor({40, 40}, 9);
        QVERIFY(testing::identical(decompose(a, width_options(20, 1)), decompose(a, width_options(20, 1))));
        QVERIFY(!testing::identical(decompose(a, width_options(20, 1)), decompose(a, width_options(20, 2))));
    }

    void orderOneCutIsTheSignOfTheVector() {
        const Tensor a = gaussian_tensor({101}, 10);
        const Decomposition d = decompose(a, width_options(1));
        double mean_abs = 0;
        for (float x : a.data()) mean_abs += std::abs(x);
        mean_abs /= double(a.size());
        QVERIFY(std::abs(d.coeffs()[0] - mean_abs) < 1e-5);
        for (std::size_t i = 0; i < a.size(); ++i) QCOMPARE(is_negative(d.signs(0, 0), i), a[i] < 0);
    }

    void everyOrderUpToFourReducesTheError() {
        for (const Shape& shape : {Shape{200}, Shape{30, 40}, Shape{12, 10, 3}, Shape{6, 5, 4, 7}}) {
            const Tensor a = gaussian_tensor(shape, 11);
            const Decomposition d = decompose(a, width_options(50));
            QCOMPARE(d.width(), std::size_t(50));
            QCOMPARE(d.reconstruct(50).shape(), shape);
            QVERIFY2(d.relative_error(50) < 0.9, qPrintable(QString::fromStdString(shape_to_string(shape))));
        }
    }

    void rankOneSignMatrixIsRecoveredByOneCut() {
        const Tensor a = testing::rank_one_sign_matrix(37, 23, 2.5f, 12);
        Decomposer decomposer(a, width_options(5));
        decomposer.run();
        QVERIFY(std::abs(decomposer.decomposition().coeffs()[0]) == 2.5f);
        QVERIFY(decomposer.decomposition().relative_error(1) < 1e-6);
        QVERIFY(decomposer.decomposition().width() == 1);  // nothing left: the rule says exhausted
        QCOMPARE(decomposer.stop_reason(), StopReason::exhausted);
    }

    void gaussianErrorFallsExponentiallyAndMeetsTheBf16Target() {
        // At the width whose storage equals a bf16 copy, ‖R‖/‖A‖ < 0.002 (the bar).
        const Tensor a = gaussian_tensor({256, 256}, 13);
        DecomposeOptions options;  // no rule: stops at the bf16-equal width
        Decomposer decomposer(a, options);
        QCOMPARE(decomposer.run(), StopReason::width);
        const Decomposition& d = decomposer.decomposition();
        QCOMPARE(d.width(), width_for_bits_per_entry({256, 256}, 16.0, CoeffPrecision::f32));
        QVERIFY(d.bits_per_entry(d.width()) <= 16.0);
        const double final_error = std::sqrt(decomposer.residual().squared_norm() / a.squared_norm());
        QVERIFY2(final_error < 0.002, qPrintable(QString::number(final_error)));
        // log error is close to linear in w: a least-squares line explains > 99% of it.
        const std::size_t w0 = d.width() / 4, w1 = d.width();
        double sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0, n = 0;
        for (std::size_t w = w0; w <= w1; ++w) {
            const double x = double(w), y = std::log(d.relative_error(w));
            sx += x, sy += y, sxx += x * x, sxy += x * y, syy += y * y, n += 1;
        }
        const double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        const double r = (n * sxy - sx * sy) / std::sqrt((n * sxx - sx * sx) * (n * syy - sy * sy));
        QVERIFY(slope < 0);
        QVERIFY2(r * r > 0.99, qPrintable(QString::number(r * r)));
    }

    void stopRulesAreHonoured() {
        const Tensor a = gaussian_tensor({64, 64}, 14);
        DecomposeOptions options;
        options.stop.bits_per_entry = 2.0;
        Decomposer by_bits(a, options);
        QCOMPARE(by_bits.run(), StopReason::bits_per_entry);
        const Decomposition& d = by_bits.decomposition();
        QVERIFY(d.bits_per_entry(d.width()) <= 2.0);
        QVERIFY(d.bits_per_entry(d.width() + 1) > 2.0);

        options = DecomposeOptions();
        options.stop.target_relative_error = 0.3;
        Decomposer by_error(a, options);
        QCOMPARE(by_error.run(), StopReason::target_error);
        const std::size_t w = by_error.decomposition().width();
        QVERIFY(by_error.decomposition().relative_error(w) <= 0.3);
        QVERIFY(by_error.decomposition().relative_error(w - 1) > 0.3);
    }

    void coefficientsAreRoundedToTheStoredPrecision() {
        const Tensor a = gaussian_tensor({30, 30}, 15);
        for (CoeffPrecision precision : {CoeffPrecision::f16, CoeffPrecision::bf16}) {
            DecomposeOptions options = width_options(40);
            options.precision = precision;
            Decomposer decomposer(a, options);
            decomposer.run();
            for (float c : decomposer.decomposition().coeffs()) QCOMPARE(round_to_precision(c, precision), c);
            const double direct = std::sqrt(decomposer.residual().squared_norm() / a.squared_norm());
            QVERIFY(std::abs(direct - decomposer.decomposition().relative_error(40)) < 1e-4);
        }
    }

    void zeroInputStopsAtWidthZero() {
        Decomposer decomposer(Tensor({10, 10}), width_options(5));
        QCOMPARE(decomposer.run(), StopReason::exhausted);
        QCOMPARE(decomposer.decomposition().width(), std::size_t(0));
    }

    void nonFiniteInputIsRejected() {
        Tensor a = gaussian_tensor({4, 4}, 16);
        a[5] = std::nanf("");
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Decomposer(a, DecomposeOptions()));
    }

    void aViewIsReadInPlaceAndDecomposedLikeItsCopy() {
        const Tensor owner = gaussian_tensor({24, 30}, 18);
        const Tensor view = Tensor::view(owner.shape(), owner.data());
        QVERIFY(view.is_view() && !owner.is_view());
        QCOMPARE(view.data().data(), owner.data().data());
        const Tensor copy = view;  // a copy owns its floats
        QVERIFY(!copy.is_view() && copy.data().data() != owner.data().data());
        QVERIFY(std::equal(copy.data().begin(), copy.data().end(), owner.data().begin()));
        // The decomposer overwrites its own copy, never the viewed memory.
        const Decomposition from_view = decompose(view, width_options(20));
        QVERIFY(testing::identical(from_view, decompose(owner, width_options(20))));
        QVERIFY(std::equal(view.data().begin(), view.data().end(), copy.data().begin()));
    }

    void cancelFromAnotherThreadStopsPromptly() {
        const Tensor a = gaussian_tensor({1024, 1024}, 17);
        Decomposer decomposer(a, width_options(100000));
        StopReason reason = StopReason::running;
        std::atomic<bool> first_cut{false};
        std::thread worker([&] {
            reason = decomposer.run([&](const Decomposer&) {
                first_cut = true;
                first_cut.notify_one();
            });
        });
        first_cut.wait(false);  // cancel once there is something to keep, however slow the build
        const auto asked = std::chrono::steady_clock::now();
        decomposer.cancel();
        worker.join();
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - asked).count();
        QCOMPARE(reason, StopReason::cancelled);
        QVERIFY2(seconds < 0.5 * testing::time_scale(), qPrintable(QString("took %1 s to stop").arg(seconds)));
        // What was found before the cancel is kept intact and consistent.
        const Decomposition& d = decomposer.decomposition();
        QVERIFY(d.width() > 0);
        QVERIFY(std::abs(relative_error(a, d.reconstruct(d.width())) - d.relative_error(d.width())) < 1e-4);
    }
};

QTEST_APPLESS_MAIN(DecompositionTest)
#include "test_decomposition.moc"
