// The comparison methods: exact bit accounting, error falling with bits, known cases, the
// least-squares refit, and the rate–distortion floor below every method on Gaussian data.
#include <QTest>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <set>
#include <stdexcept>

#include "methods/baselines.h"
#include "methods/coefficient_refit.h"
#include "methods/comparison.h"
#include "methods/double_binary.h"
#include "methods/kashin.h"
#include "methods/method.h"
#include "methods/rate_distortion.h"
#include "methods/bit_allocation.h"
#include "methods/random_rotation.h"
#include "methods/rotated_quantizer.h"
#include "methods/round_to_nearest.h"
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
        QCOMPARE(round_to_bf16(a).bits, 16 * n);
        // 4 bits naming the extra component's width, rank ⌊(4·2000 − 4)/(16·90)⌋ = 5, and the 796 bits
        // left hold a sixth component at int8 + two f16 scales.
        QCOMPARE(truncated_svd(a, 4.0).bits, std::uint64_t(4 + 16 * 5 * (40 + 50) + 8 * 90 + 32));
        // Mixed widths (rotq): the seed, each row's width code and f16 σ, and its entries at its
        // width; the codes take a flag, then 4 bits a row, or 4 bits once and 1 a row for two adjacent widths.
        const Approximation rotq = approximate("rotq", a, 3.3);
        QVERIFY(double(rotq.bits) <= 3.3 * double(n));
        const std::uint64_t entry_bits = rotq.bits - 64 - 1 - 40 * 16;  // the seed, whether means are apart, σ
        QVERIFY((entry_bits - (5 + 40)) % 50 == 0 || (entry_bits - (1 + 4 * 40)) % 50 == 0);
        const Approximation cuts = approximate("scd", a, 4.0);
        QVERIFY(double(cuts.bits) <= 4.0 * double(n));
        QCOMPARE(cuts.bits % 8, std::uint64_t(0));  // whole bytes of the .scd file
    }

    void budgetsThatCannotBeMetSaySo() {
        // Just below each method's minimum rate: refused with the reason, never more bits.
        const Tensor a = gaussian_tensor({40, 50}, 2);
        for (const MethodInfo& method : method_registry()) {
            const Approximation result = approximate(method.name, a, 0.99 * method.minimum_bits_per_entry(a.shape(), {}));
            QVERIFY2(!result.met_budget && !result.note.empty(), method.name.data());
        }
    }

    void eachMatrixMethodMeetsItsMinimumRate() {
        // The registry's minimum is the method's own count of its smallest stored form (with the
        // options that change it: tcq's L, rtn's groups), so a budget at it is met.
        const Tensor a = gaussian_tensor({40, 50}, 2);
        MethodOptions options;
        for (int state_bits : {12, 9})
            for (std::size_t group_size : {0, 16}) {
                options.trellis_state_bits = state_bits;
                options.group_size = group_size;
                for (const MethodInfo& method : method_registry()) {
                    if (method.images_only) continue;
                    options.bits_per_entry = method.minimum_bits_per_entry(a.shape(), options) * (1 + 1e-9);
                    const Approximation result = approximate(method.name, a, options);
                    QVERIFY2(result.met_budget, (std::string(method.name) + ": " + result.note).c_str());
                }
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
            for (double product : d.inner_products(residual))
                QVERIFY(std::abs(product) < 1e-3 * std::sqrt(a.squared_norm()));
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

    void dbfCountsItsBits() {
        const std::size_t k = dbf_middle_for_budget(48, 40, 2.0);
        QVERIFY(double(dbf_bits(48, 40, k)) <= 2.0 * 48 * 40);
        QVERIFY(double(dbf_bits(48, 40, k + 1)) > 2.0 * 48 * 40);
        QCOMPARE(dbf_bits(48, 40, k), std::uint64_t(k * (48 + 40) + 16 * (48 + k + 40)));
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
            QVERIFY2(u_max <= level && v_max <= level,
                     qPrintable(QString("%1 %2 %3").arg(u_max).arg(v_max).arg(level)));
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

    void kashinCentroidsAreTheOneDimensionalKMeans() {
        // Two tight clusters: the 1-bit centroids are their means.
        std::vector<float> values;
        for (int i = 0; i < 100; ++i) values.push_back(-1.0f + 0.001f * float(i % 5));
        for (int i = 0; i < 100; ++i) values.push_back(2.0f + 0.001f * float(i % 5));
        std::sort(values.begin(), values.end());
        const std::vector<float> centroids = kmeans_centroids(values, 1);
        QCOMPARE(centroids.size(), std::size_t(2));
        QVERIFY(std::abs(centroids[0] - (-0.998f)) < 1e-3 && std::abs(centroids[1] - 2.002f) < 2e-3);
    }

    void oneBitLloydMaxLevelsAreTheHalfNormalMean() {
        const auto& levels = lloyd_max_gaussian_levels(1);
        QCOMPARE(levels.size(), std::size_t(2));
        QVERIFY(std::abs(levels[1] - std::sqrt(2.0 / std::numbers::pi)) < 1e-9);
        QVERIFY(std::abs(levels[0] + levels[1]) < 1e-12);
    }

    void randomRotationOfAnyLengthIsOrthogonal() {
        // Lengths with no power of two, a power of two alone, and both (12 = 4·3, 451 = 11·41).
        for (std::size_t n : {std::size_t(7), std::size_t(12), std::size_t(64), std::size_t(451)}) {
            const Tensor x = gaussian_tensor({5, n}, 6);
            Tensor y = x;
            const RandomRotation rotation(n, 3);
            rotation.rotate_rows(y);
            for (std::size_t r = 0; r < 5; ++r) {  // each row keeps its norm: rows are not mixed
                double before = 0, after = 0;
                for (std::size_t c = 0; c < n; ++c)
                    before += double(x[r * n + c]) * x[r * n + c], after += double(y[r * n + c]) * y[r * n + c];
                QVERIFY(std::abs(after - before) < 1e-4 * before);
            }
            QVERIFY(relative_error(x, y) > 0.5);  // it did rotate
            rotation.unrotate_rows(y);
            QVERIFY2(relative_error(x, y) < 1e-5, qPrintable(QString::number(n)));
        }
    }

    void aSpikeIsSpreadOverTheWholeRow() {
        const std::size_t n = 384;
        Tensor spike({1, n});
        spike[17] = 1.0f;
        RandomRotation(n, 9).rotate_rows(spike);
        float largest = 0;
        for (float v : spike.data()) largest = std::max(largest, std::abs(v));
        QVERIFY(largest < 4.0f / std::sqrt(float(n)));  // a Gaussian-like row has no entry far above 1/√n
    }

    void everyMethodFillsItsBudget() {
        // Bits used within [0.97·B, B] at every budget at or above the method's minimum rate.
        const Tensor a = gaussian_tensor({128, 96}, 21);
        for (const MethodInfo& method : method_registry()) {
            if (method.images_only) continue;  // refuse Gaussian data (test_image_codecs)
            for (double budget : {1.0, 2.0, 3.0, 4.0, 8.0, 16.0}) {
                if (budget < method.minimum_bits_per_entry(a.shape(), {})) continue;
                if (budget > 8 && method.minimum_bits_per_entry(a.shape(), {}) < 16) continue;  // 16 only for bf16/f16
                const Approximation result = approximate(method.name, a, budget);
                const QString what = QString("%1 at %2 bits").arg(method.name.data()).arg(budget);
                QVERIFY2(result.met_budget, qPrintable(what + ": " + QString::fromStdString(result.note)));
                const double used = double(result.bits) / double(a.size());
                QVERIFY2(used <= budget && used >= 0.97 * budget, qPrintable(what + QString(" used %1").arg(used)));
            }
        }
    }

    void mixedWidthsBeatOneWidth() {
        // Rows of unequal scale: the allocation moves bits to the large rows. The same units
        // at the best single width that fits give a larger error.
        Tensor a = gaussian_tensor({96, 64}, 22);
        for (std::size_t r = 0; r < 96; ++r)
            for (std::size_t c = 0; c < 64; ++c) a[r * 64 + c] *= float(std::exp2(double(r % 8) / 2.0));
        std::vector<UnitCosts> units(96);
        for (std::size_t r = 0; r < 96; ++r)
            for (int b = 0; b <= 8; ++b) {
                double energy = 0;
                for (std::size_t c = 0; c < 64; ++c) energy += double(a[r * 64 + c]) * a[r * 64 + c];
                units[r].squared_error.push_back(energy * std::exp2(-2.0 * b));  // the Gaussian D(R)
                units[r].bits.push_back(20 + 64 * std::uint64_t(b));
            }
        const double budget = 2.5 * 96 * 64;
        const WidthAllocation mixed = allocate_widths(units, budget);
        const int uniform = uniform_width(units, budget);
        QCOMPARE(uniform, 2);
        double mixed_error = 0, uniform_error = 0;
        for (std::size_t r = 0; r < 96; ++r) {
            mixed_error += units[r].squared_error[std::size_t(mixed.widths[r])];
            uniform_error += units[r].squared_error[2];
        }
        QVERIFY(double(mixed.bits) <= budget && double(mixed.bits) >= 0.97 * budget);
        QVERIFY(mixed_error < 0.6 * uniform_error);
        // The methods themselves: rtn and rotq at a budget between two widths beat the one width below.
        for (const char* method : {"rtn", "rotq"}) {
            const Approximation result = approximate(method, a, 2.5);
            const std::string& note = result.note;
            const auto at = note.find("one width (");
            QVERIFY2(at != std::string::npos, note.c_str());
            const double one_width_error = std::stod(note.substr(note.find("error ", at) + 6));
            QVERIFY2(relative_error(a, result.reconstruction) < one_width_error, note.c_str());
        }
    }

    void rotqStoresNoPadding() {
        // 384 columns: no power of two; 2 bits per entry are spent on the 384 entries themselves.
        const Tensor a = gaussian_tensor({64, 384}, 23);
        const Approximation result = approximate("rotq", a, 2.0);
        QVERIFY(double(result.bits) >= 0.97 * 2.0 * double(a.size()));
        QVERIFY(relative_error(a, result.reconstruction) < 0.37);  // Lloyd–Max at 2 bits: 0.343 at best
    }

    void rtnUsesEveryCodeOnNonNegativeData() {
        // Min–max with a zero point: values in [0.2, 0.8] at 2 bits land on 4 distinct levels.
        Tensor a({1, 400});
        for (std::size_t i = 0; i < 400; ++i) a[i] = 0.2f + 0.6f * float(i) / 399.0f;
        // A flag and a width, zero and scale: 37 bits (and one to spare for the rounding of the budget).
        const Approximation result = round_to_nearest(a, 2.0 + 38.0 / 400.0);
        std::set<float> levels(result.reconstruction.data().begin(), result.reconstruction.data().end());
        QCOMPARE(levels.size(), std::size_t(4));
        QVERIFY(relative_error(a, result.reconstruction) < 0.11);
    }

    void rtnGroupsHaveTheirOwnScales() {
        const Tensor a = gaussian_tensor({16, 256}, 24);
        const Approximation rows = round_to_nearest(a, 4.0), groups = round_to_nearest(a, 4.0, 128);
        QVERIFY(rows.met_budget && groups.met_budget);
        QVERIFY(groups.note.find("groups of 128") != std::string::npos);
        QVERIFY(double(groups.bits) <= 4.0 * double(a.size()));
    }

    void seedsReachEveryRandomisedMethod() {
        const Tensor a = gaussian_tensor({48, 40}, 25);
        for (const char* method : {"scd", "dbf", "kashin", "rotq", "tcq"}) {
            const Approximation first = approximate(method, a, 2.0, 5), again = approximate(method, a, 2.0, 5);
            const Approximation other = approximate(method, a, 2.0, 6);
            const auto same = [](const Tensor& x, const Tensor& y) { return std::ranges::equal(x.data(), y.data()); };
            QVERIFY2(same(first.reconstruction, again.reconstruction), method);
            QVERIFY2(!same(first.reconstruction, other.reconstruction), method);
        }
    }

    void tcqIsNearTheFloorAndBelowItWhereTheEnergyIs() {
        // i.i.d. N(0, 1): about 0.1 bit above the floor 2^(−R) (bounds measured, with a small margin).
        const Tensor gaussian = gaussian_tensor({256, 192}, 1);
        for (const auto& [bits, bound] : {std::pair{1.0, 0.54}, {2.0, 0.28}, {4.0, 0.075}}) {
            const Approximation result = approximate("tcq", gaussian, bits);
            const double used = double(result.bits) / double(gaussian.size()),
                         error = relative_error(gaussian, result.reconstruction);
            QVERIFY2(error <= bound && used >= 0.97 * bits && used <= bits,
                     qPrintable(QString("%1 bits: %2").arg(bits).arg(error)));
        }
        // Rows of unequal energy: the bits go where the energy is, below the i.i.d. floor.
        const Tensor rows = row_scaled_gaussian_tensor({256, 192}, 0.3, 3.0, 1);
        for (double bits : {1.0, 2.0, 4.0}) {
            const Approximation result = approximate("tcq", rows, bits);
            const double used = double(result.bits) / double(rows.size());
            QVERIFY2(relative_error(rows, result.reconstruction) < iid_gaussian_floor(used),
                     qPrintable(QString::number(bits)));
        }
    }

    void imagesKeepTheirRowMeansApart() {
        // A bright image: the rotation would spread each row's mean over the row; kept apart,
        // tcq and rotq at 2 bits are far below their error on the centred noise alone.
        Tensor image = gaussian_tensor({64, 96}, 4);
        for (float& x : image.data()) x = 0.6f + 0.05f * x;
        for (const char* method : {"tcq", "rotq"}) {
            const Approximation result = approximate(method, image, 2.0);
            QVERIFY2(result.note.find("row means apart") != std::string::npos, method);
            QVERIFY2(relative_error(image, result.reconstruction) < 0.05, method);
        }
    }

    void theRegistryListsEveryMethodOnce() {
        std::set<std::string> names;
        for (const MethodInfo& method : method_registry()) {
            QVERIFY(names.insert(std::string(method.name)).second);
            QVERIFY(!method.description.empty() && method.colour.size() == 7 && method.approximate);
            QVERIFY(method.minimum_bits_per_entry({64, 48}, {}) > 0);
        }
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, find_method("no-such-method"));
        QCOMPARE(bits_above_iid_floor(2.0, 0.25), 0.0);  // exactly on the floor
        const std::vector<double> budgets = curve_budgets(1.0, 4.0);
        QCOMPARE(budgets.size(), std::size_t(9));
        QCOMPARE(budgets.front(), 1.0);
        QCOMPARE(budgets.back(), 4.0);
    }

    void aComparisonPlansTheBudgetsFirstThenEachCurve() {
        ComparisonRequest request{.methods = {"rtn", "scd"}, .budgets = {4, 1}, .curves = true, .options = {}};
        const std::vector<PlannedPoint> plan = comparison_plan(request, {64, 48});
        QCOMPARE(plan.size(), std::size_t(4 + 2 * 7));  // 4 asked; 1 … 4 at 4 per octave, less the two asked
        QCOMPARE(plan[0].method, std::string("rtn"));
        QCOMPARE(plan[0].budget, 4.0);
        QCOMPARE(plan[1].method, std::string("scd"));
        QCOMPARE(plan[3].budget, 1.0);
        for (std::size_t i = 4; i < plan.size(); ++i) {
            QVERIFY(plan[i].on_curve && plan[i].budget > 1.0 && plan[i].budget < 4.0);
            QCOMPARE(plan[i].method, std::string(i < 11 ? "rtn" : "scd"));
        }
        request.methods.push_back("no-such-method");
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, comparison_plan(request, {64, 48}));
    }

    void aComparisonRowVisitsItsFieldsInReportOrder() {
        const Tensor a = gaussian_tensor({32, 24}, 3);
        const MeasuredPoint measured = measure_point(a, {"rtn", 4.0, false}, {});
        QVERIFY(measured.approximation.met_budget);
        QStringList keys;
        for_each_row_field(measured.row, [&](std::string_view key, const RowValue& value) {
            keys << QString::fromUtf8(key.data(), qsizetype(key.size()));
            if (key == "psnr_db" || key == "ssim") QVERIFY(std::holds_alternative<std::monostate>(value));
            if (key == "relative_error") QCOMPARE(std::get<double>(value), relative_error(a, measured.approximation.reconstruction));
        });
        QCOMPARE(keys.join(','), QString("method,budget,point,bits_per_entry,relative_error,bits_above_iid_floor,psnr_db,"
                                         "ssim,seconds,note"));
        // A budget no stored form meets, and a method that throws, are rows with a note, no numbers.
        for (const MeasuredPoint& unmet_point :
             {measure_point(a, {"rtn", 0.01, false}, {}), measure_point(a, {"jpeg", 2.0, false}, {})}) {
            QVERIFY(!unmet_point.row.bits_per_entry && !unmet_point.row.relative_error && !unmet_point.row.note.empty());
            QVERIFY(unmet_point.approximation.reconstruction.size() == 0);
        }
        const std::vector<ComparisonRow> floors = floor_rows(a, {1, 2});
        QCOMPARE(floors.size(), std::size_t(6));
        QCOMPARE(floors[0].method, std::string(floor_table()[0].name));
        QCOMPARE(*floors[0].relative_error, 0.5);  // 2^(−1)
    }

    void budgetListsAreParsedOneWay() {
        QCOMPARE(parse_budget_list(" 1, 2.5,,64"), (std::vector<double>{1, 2.5, 64}));
        for (const char* bad : {"", ",", "1,x", "0", "-2", "65", "2bits", "nan"})
            QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parse_budget_list(bad));
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
                QVERIFY2(error >= iid_gaussian_floor(used),
                         qPrintable(QString("%1 at %2").arg(method.c_str()).arg(bits)));
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
        for (double bits : {0.5, 1.0, 3.0})
            QVERIFY(std::abs(floor.relative_error(bits) - iid_gaussian_floor(bits)) < 1e-6);
    }
};

QTEST_APPLESS_MAIN(MethodsTest)
#include "test_methods.moc"
