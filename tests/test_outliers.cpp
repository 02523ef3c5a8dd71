// Outliers apart (scd/outliers.h): entries kept apart from the cuts where they buy more error
// per bit, the accounting of the approximation with them, determinism, and their file section.
#include <QTest>

#include <cmath>

#include "io/byte_codec.h"
#include "io/file_access.h"
#include "io/scd_file.h"
#include "scd/decomposer.h"
#include "scd/outliers.h"
#include "tensor/random_tensor.h"
#include "test_support.h"

using namespace signcut;

namespace {

DecomposeOptions budget(double bits_per_entry, OutlierPolicy outliers) {
    DecomposeOptions options;
    options.stop.bits_per_entry = bits_per_entry;
    options.outliers = outliers;
    return options;
}

const OutlierPolicy kAuto{.automatic = true};

// The case: N(0,1) 512 × 384 with 0.1 % of the entries replaced by 30·N(0,1).
Tensor spiky() { return spiky_gaussian_tensor({512, 384}, 0.001, 30.0, 7); }

double measured_error(const Tensor& a, const Decomposition& d, std::size_t w) {
    const Tensor approx = d.reconstruct(w);
    double residual = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) residual += std::pow(double(a[i]) - approx[i], 2);
    return std::sqrt(residual / a.squared_norm());
}

void reseal(std::vector<char>& bytes) {
    const std::uint32_t crc = crc32(bytes.data(), bytes.size() - 4);
    for (int i = 0; i < 4; ++i) bytes[bytes.size() - 4 + std::size_t(i)] = char((crc >> (8 * i)) & 0xFF);
}

}  // namespace

class OutliersTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void policiesParseAndNameThemselves() {
        QVERIFY(parse_outlier_policy("auto").automatic);
        QCOMPARE(parse_outlier_policy("0").count, std::size_t(0));
        QCOMPARE(parse_outlier_policy("262").count, std::size_t(262));
        QCOMPARE(outlier_policy_name(parse_outlier_policy("auto")), std::string("auto"));
        for (const char* bad : {"", "-1", "2.5", "automatic", "12x"})
            QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parse_outlier_policy(bad));
    }

    void spikyGaussianReachesTheTargetsWithinBudget() {
        const Tensor a = spiky();
        for (const auto& [bits, target] : {std::pair{2.0, 0.32}, {8.0, 0.025}, {16.0, 0.001}}) {
            const Decomposition d = decompose(a, budget(bits, kAuto));
            const Decomposition plain = decompose(a, budget(bits, {}));
            const double error = measured_error(a, d, d.width());
            qInfo("%g b/e: %zu apart, error %.5f (plain %.5f)", bits, d.outlier_count(), error,
                  plain.relative_error(plain.width()));
            QVERIFY2(error <= target, qPrintable(QString("%1 b/e: %2").arg(bits).arg(error)));
            QVERIFY(error < plain.relative_error(plain.width()));
            QVERIFY(d.outlier_count() > 100);
            QVERIFY(d.bits_per_entry(d.width()) <= bits);
            QVERIFY(std::abs(error - d.relative_error(d.width())) < 1e-4);
        }
    }

    void autoKeepsThePlainCutsWhereNothingStandsOut() {
        const Tensor a = gaussian_tensor({200, 150}, 11);
        const Decomposition automatic = decompose(a, budget(8, kAuto)), plain = decompose(a, budget(8, {}));
        QCOMPARE(automatic.outlier_count(), std::size_t(0));
        QVERIFY(testing::identical(automatic, plain));
    }

    void aFixedCountTakesTheLargestBeforeCutting() {
        const Tensor a = spiky();
        const Decomposition d = decompose(a, budget(4, {.count = 196}));
        QCOMPARE(d.outlier_count(), std::size_t(196));
        QCOMPARE(d.outlier_count(0), std::size_t(196));
        QCOMPARE(d.outlier_batches(0), std::size_t(1));
        const std::vector<std::uint64_t> largest = largest_entries(a, 196);
        QVERIFY(std::equal(largest.begin(), largest.end(), d.outlier_indices().begin()));
        for (std::size_t e = 0; e < 196; ++e) QCOMPARE(d.outlier_values()[e], a[largest[e]]);  // f32: exact
        QVERIFY(std::abs(measured_error(a, d, 0) - d.relative_error(0)) < 1e-6);
    }

    void theCurveAccountsForEntriesApartAtEveryWidth() {
        // Matrices and photos (MatrixCutEngine), other orders (ContractionCutEngine); f32 and f16 values.
        for (const Shape& shape : {Shape{300, 200}, Shape{60, 70, 3}, Shape{12, 10, 8, 6}})
            for (const CoeffPrecision precision : {CoeffPrecision::f32, CoeffPrecision::f16}) {
                const Tensor a = spiky_gaussian_tensor(shape, 0.002, 40.0, 5);
                DecomposeOptions options = budget(6, kAuto);
                options.precision = precision;
                const Decomposition d = decompose(a, options);
                QVERIFY2(d.outlier_count() > 0, qPrintable(QString::fromStdString(shape_to_string(shape))));
                for (std::size_t w : {std::size_t(0), std::size_t(31), std::size_t(32), std::size_t(33),
                                      d.outlier_widths()[0], d.width() / 2, d.width()}) {
                    const double measured = measured_error(a, d, w), tracked = d.relative_error(w);
                    QVERIFY2(std::abs(measured - tracked) < 2e-4 * std::max(1.0, measured / 0.01),
                             qPrintable(QString("%1 w=%2: measured %3 tracked %4")
                                            .arg(QString::fromStdString(shape_to_string(shape)))
                                            .arg(w)
                                            .arg(measured)
                                            .arg(tracked)));
                }
                // A view moved between widths by the difference lands where reconstruct does.
                Tensor view = d.reconstruct(5);
                d.add_cuts(view, 5, d.width());
                d.add_outliers(view, 5, d.width());
                const Tensor whole = d.reconstruct(d.width());
                for (std::size_t i = 0; i < whole.size(); ++i) QVERIFY(std::abs(view[i] - whole[i]) < 1e-3);
            }
    }

    void theSameForAnyThreadCountAndKernelPath() {
        const Tensor a = spiky();
        const Decomposition reference = decompose(a, budget(4, kAuto));
        for (int threads : {1, 2, 8}) {
            DecomposeOptions options = budget(4, kAuto);
            options.threads = threads;
            QVERIFY2(testing::identical(decompose(a, options), reference),
                     qPrintable(QString("%1 threads").arg(threads)));
        }
        for (Isa isa : testing::runnable_paths({Isa::scalar, Isa::avx2, Isa::avx512})) {
            DecomposeOptions options = budget(4, kAuto);
            options.kernels = &kernels_for(isa);
            QVERIFY2(testing::identical(decompose(a, options), reference), isa_name(isa).data());
        }
    }

    void versionTwoFilesRoundTripAndVersionOneStaysVersionOne() {
        const Tensor a = spiky();
        for (const CoeffPrecision precision : {CoeffPrecision::f32, CoeffPrecision::bf16}) {
            DecomposeOptions options = budget(5, kAuto);
            options.precision = precision;
            const Decomposition d = decompose(a, options);
            const std::vector<char> bytes = encode_scd(d, d.width());
            QCOMPARE(bytes[4], char(2));
            QCOMPARE(std::uint64_t(bytes.size()), d.stored_bytes(d.width()));
            const Decomposition back = decode_scd(bytes);
            QVERIFY(testing::identical(back, d));
            QVERIFY(std::abs(back.relative_error(d.width()) - d.relative_error(d.width())) < 1e-9);
            QVERIFY(std::abs(back.relative_error(d.width() / 2) - d.relative_error(d.width() / 2)) < 1e-3);
            // A prefix keeps the entries kept apart by then.
            const std::size_t early = d.outlier_widths()[0];
            const Decomposition prefix = decode_scd(encode_scd(d, early));
            QCOMPARE(prefix.outlier_count(), d.outlier_count(early));
        }
        const Decomposition plain = decompose(a, budget(2, {}));
        const std::vector<char> v1 = encode_scd(plain, plain.width());
        QCOMPARE(v1[4], char(1));
        QVERIFY(testing::identical(decode_scd(v1), plain));
    }

    void aCorruptSectionGetsAClearError() {
        const Decomposition d = decompose(spiky(), budget(3, {.count = 50}));
        const std::vector<char> good = encode_scd(d, d.width());
        const std::size_t section = std::size_t(scd_file_bytes(d.shape(), d.width(), d.precision()) - 4);
        const auto error_of = [](std::vector<char> bytes) -> QString {
            reseal(bytes);
            try {
                decode_scd(bytes, "bad.scd");
            } catch (const FileError& error) {
                return QString::fromUtf8(error.what());
            }
            return {};
        };
        const auto put_u64 = [](std::vector<char>& bytes, std::size_t at, std::uint64_t value) {
            for (int i = 0; i < 8; ++i) bytes[at + std::size_t(i)] = char((value >> (8 * i)) & 0xFF);
        };
        std::vector<char> bytes = good;
        put_u64(bytes, section, std::uint64_t(1) << 60);  // a huge count: refused before allocating
        QVERIFY(error_of(bytes).contains("entries kept apart"));
        bytes = good;
        put_u64(bytes, section + 8, 2);  // two batches where the file has one
        QVERIFY(!error_of(bytes).isEmpty());
        bytes = good;
        put_u64(bytes, section + 16, d.width() + 1);  // a batch beyond the width
        QVERIFY(error_of(bytes).contains("invalid batch"));
        bytes = good;
        // An index past the tensor: set every bit of the first packed index (18 bits here).
        bytes[section + 32] = char(0xFF), bytes[section + 33] = char(0xFF), bytes[section + 34] |= char(0x03);
        QVERIFY(error_of(bytes).contains("outside the tensor"));
        bytes = good;
        bytes.resize(section + 8);
        QVERIFY(!error_of(bytes).isEmpty());
        QVERIFY(error_of(good).isEmpty());
    }
};

QTEST_GUILESS_MAIN(OutliersTest)
#include "test_outliers.moc"
