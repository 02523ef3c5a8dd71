// Products straight from the bits: every kernel path equals the scalar twin bit for bit, a
// batch equals its vectors one at a time, any thread count gives the same floats, and the scd
// and dbf products agree with the dense reconstruction times x (in double).
#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <oneapi/tbb/task_arena.h>

#include <cmath>
#include <cstring>
#include <random>

#include "cli_process.h"
#include "io/npy_file.h"
#include "io/scd_file.h"
#include "methods/double_binary.h"
#include "scd/decomposer.h"
#include "scd/scd_product.h"
#include "scd/sign_bits.h"
#include "scd/sign_matrix_product.h"
#include "tensor/random_tensor.h"
#include "test_support.h"

using namespace signcut;
using signcut::testing::runnable_paths;

namespace {

std::vector<float> random_floats(std::size_t n, std::uint64_t seed) {
    std::mt19937 rng{std::uint32_t(seed)};
    std::normal_distribution<float> normal;
    std::vector<float> x(n);
    for (float& v : x) v = normal(rng);
    return x;
}

// rows × cols random signs, row r at words[r·words_for_bits(cols)], unused bits clear.
std::vector<std::uint64_t> random_rows(std::size_t rows, std::size_t cols, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    const std::size_t per_row = words_for_bits(cols);
    std::vector<std::uint64_t> words(rows * per_row);
    for (std::size_t r = 0; r < rows; ++r) {
        const std::span<std::uint64_t> row(words.data() + r * per_row, per_row);
        for (auto& w : row) w = rng();
        clear_tail_bits(row, cols);
    }
    return words;
}

SignMatrix random_sign_matrix(std::size_t rows, std::size_t cols, std::uint64_t seed) {
    const std::vector<std::uint64_t> words = random_rows(rows, cols, seed);
    return SignMatrix::from_rows(rows, cols, [&](std::size_t r) { return words.data() + r * words_for_bits(cols); });
}

std::vector<float> product(const SignMatrix& m, const std::vector<float>& x, std::size_t batch,
                           const Kernels& kernels = active_kernels()) {
    std::vector<float> y(m.rows() * batch);
    sign_matrix_product(m, x, batch, y, kernels);
    return y;
}

// ‖y − reference‖ / ‖reference‖ with `dense` (rows × cols, row-major) times x computed in double.
double relative_difference_to_dense(const Tensor& dense, std::size_t rows, std::size_t cols, const float* x,
                                    std::size_t batch, const float* y) {
    double diff = 0, norm = 0;
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t v = 0; v < batch; ++v) {
            double exact = 0;
            for (std::size_t c = 0; c < cols; ++c) exact += double(dense[r * cols + c]) * double(x[c * batch + v]);
            diff += (y[r * batch + v] - exact) * (y[r * batch + v] - exact);
            norm += exact * exact;
        }
    return std::sqrt(diff / norm);
}

}  // namespace

class ProductTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void tileLookupKernelEqualsScalarOnEveryPath() {
        const std::vector<Isa> paths = runnable_paths({Isa::avx2, Isa::avx512});
        if (paths.empty()) QSKIP("this CPU has neither AVX2 nor AVX-512");
        std::mt19937_64 rng(5);
        for (std::size_t groups : {1u, 3u, 17u, 200u})
            for (std::size_t blocks = 1; blocks <= kMaxTileBlocks; ++blocks)
                for (std::size_t vectors : {1u, 3u, 4u, 9u}) {
                    // Strides past the data: tiles, accumulators and tables are read where they say.
                    const std::size_t tile_stride = groups + 2, acc_stride = 16 * blocks + 5,
                                      table_stride = 16 * groups + 7;
                    std::vector<std::uint64_t> tiles(blocks * tile_stride);
                    for (auto& t : tiles) t = rng();
                    const std::vector<float> tables = random_floats(vectors * table_stride, groups + blocks);
                    const std::vector<float> start = random_floats(vectors * acc_stride, vectors);
                    std::vector<float> reference = start;
                    scalar_kernels().add_sign_tile_lookups(reference.data(), acc_stride, tiles.data(), tile_stride,
                                                           blocks, tables.data(), table_stride, vectors, groups);
                    for (Isa isa : paths) {
                        std::vector<float> acc = start;
                        kernels_for(isa).add_sign_tile_lookups(acc.data(), acc_stride, tiles.data(), tile_stride,
                                                               blocks, tables.data(), table_stride, vectors, groups);
                        QVERIFY2(testing::same_bits(acc, reference),
                                 qPrintable(QString("%1, %2 groups, %3 blocks, %4 vectors")
                                                .arg(isa_name(isa).data())
                                                .arg(groups)
                                                .arg(blocks)
                                                .arg(vectors)));
                    }
                }
    }

    void packingFromRowsColumnsAndEntriesAgrees() {
        const std::size_t rows = 37, cols = 70;  // neither a multiple of 16 nor of 4
        const std::vector<std::uint64_t> words = random_rows(rows, cols, 11);
        const auto negative = [&](std::size_t r, std::size_t c) {
            return is_negative(std::span(words.data() + r * words_for_bits(cols), words_for_bits(cols)), c);
        };
        std::vector<std::uint64_t> columns(cols * words_for_bits(rows), 0);  // the transpose, column-packed
        for (std::size_t c = 0; c < cols; ++c)
            for (std::size_t r = 0; r < rows; ++r)
                set_negative(std::span(columns.data() + c * words_for_bits(rows), words_for_bits(rows)), r,
                             negative(r, c));
        const SignMatrix by_rows =
            SignMatrix::from_rows(rows, cols, [&](std::size_t r) { return words.data() + r * words_for_bits(cols); });
        const SignMatrix by_columns = SignMatrix::from_columns(
            rows, cols, [&](std::size_t c) { return columns.data() + c * words_for_bits(rows); });
        const SignMatrix by_entries = SignMatrix::from_entries(rows, cols, negative);
        for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t c = 0; c < cols; ++c) {
                QCOMPARE(by_rows.is_negative(r, c), negative(r, c));
                QCOMPARE(by_columns.is_negative(r, c), negative(r, c));
                QCOMPARE(by_entries.is_negative(r, c), negative(r, c));
            }
    }

    void productMatchesTheDefinition() {
        const std::size_t rows = 37, cols = 70, batch = 3;
        const SignMatrix m = random_sign_matrix(rows, cols, 12);
        const std::vector<float> x = random_floats(cols * batch, 13);
        const std::vector<float> y = product(m, x, batch);
        Tensor dense({rows, cols});
        for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t c = 0; c < cols; ++c) dense[r * cols + c] = m.is_negative(r, c) ? -1.0f : 1.0f;
        QVERIFY(relative_difference_to_dense(dense, rows, cols, x.data(), batch, y.data()) < 1e-6);
    }

    void productEqualsScalarOnEveryPath() {
        const std::vector<Isa> paths = runnable_paths({Isa::avx2, Isa::avx512});
        if (paths.empty()) QSKIP("this CPU has neither AVX2 nor AVX-512");
        for (std::size_t rows : {1u, 16u, 63u, 64u, 65u, 300u})
            for (std::size_t batch : {1u, 7u}) {
                const std::size_t cols = 4 * rows + 3;
                const SignMatrix m = random_sign_matrix(rows, cols, rows);
                const std::vector<float> x = random_floats(cols * batch, rows + batch);
                const std::vector<float> reference = product(m, x, batch, scalar_kernels());
                for (Isa isa : paths)
                    QVERIFY2(
                        testing::same_bits(product(m, x, batch, kernels_for(isa)), reference),
                        qPrintable(QString("%1, %2 rows, batch %3").arg(isa_name(isa).data()).arg(rows).arg(batch)));
            }
    }

    void batchEqualsItsColumnsOneAtATime() {
        const std::size_t rows = 130, cols = 9000;  // cols: more groups than one pass takes at batch 64
        const SignMatrix m = random_sign_matrix(rows, cols, 21);
        for (std::size_t batch : {2u, 16u, 64u}) {
            const std::vector<float> x = random_floats(cols * batch, batch);
            const std::vector<float> y = product(m, x, batch);
            for (std::size_t v = 0; v < batch; ++v) {
                std::vector<float> column(cols), expected_column(rows);
                for (std::size_t c = 0; c < cols; ++c) column[c] = x[c * batch + v];
                const std::vector<float> alone = product(m, column, 1);
                for (std::size_t r = 0; r < rows; ++r) expected_column[r] = y[r * batch + v];
                QVERIFY2(testing::same_bits(alone, expected_column),
                         qPrintable(QString("batch %1, vector %2").arg(batch).arg(v)));
            }
        }
    }

    void batchesBeyondTheLimitAreSplitAndAgree() {
        const Decomposition d = decompose(gaussian_tensor({40, 70}, 3), [] {
            DecomposeOptions o;
            o.stop.width = 25;
            return o;
        }());
        const ScdProduct p(d, d.width());
        const std::size_t batch = kMaxProductBatch + 6;
        const std::vector<float> x = random_floats(70 * batch, 8);
        std::vector<float> y(40 * batch);
        p.apply(x, batch, y);
        for (std::size_t v : {std::size_t(0), kMaxProductBatch - 1, kMaxProductBatch, batch - 1}) {
            std::vector<float> column(70), alone(40), expected(40);
            for (std::size_t c = 0; c < 70; ++c) column[c] = x[c * batch + v];
            p.apply(column, 1, alone);
            for (std::size_t r = 0; r < 40; ++r) expected[r] = y[r * batch + v];
            QVERIFY2(testing::same_bits(alone, expected), qPrintable(QString("vector %1").arg(v)));
        }
    }

    void anyThreadCountGivesTheSameProduct() {
        const SignMatrix m = random_sign_matrix(1000, 3000, 31);
        const std::vector<float> x = random_floats(3000 * 4, 32);
        std::vector<float> first;
        for (int threads : {1, 2, 8}) {
            tbb::task_arena arena(threads);
            std::vector<float> y;
            arena.execute([&] { y = product(m, x, 4); });
            if (first.empty()) first = y;
            QVERIFY2(testing::same_bits(y, first), qPrintable(QString("%1 threads").arg(threads)));
        }
    }

    void scdProductMatchesTheDenseReconstruction_data() {
        QTest::addColumn<QString>("shape");
        QTest::addColumn<int>("batch");
        QTest::newRow("matrix, one vector") << "60x90" << 1;
        QTest::newRow("matrix, batch 5") << "60x90" << 5;
        QTest::newRow("tall matrix") << "200x24" << 2;
        QTest::newRow("order 3 unfolded") << "14x11x3" << 3;
    }
    void scdProductMatchesTheDenseReconstruction() {
        QFETCH(QString, shape);
        QFETCH(int, batch);
        Shape dims;
        for (const QString& part : shape.split('x')) dims.push_back(part.toULongLong());
        const Decomposition d = decompose(gaussian_tensor(dims, 4), [] {
            DecomposeOptions o;
            o.stop.width = 50;
            return o;
        }());
        const std::size_t rows = dims[0], cols = d.entries() / rows, b = std::size_t(batch);
        for (std::size_t w : {std::size_t(1), std::size_t(17), d.width()}) {
            const Tensor x = Tensor({cols, b}, random_floats(cols * b, w));
            const Tensor y = scd_product(d, w, x);
            QCOMPARE(y.shape(), (Shape{rows, b}));
            const double difference =
                relative_difference_to_dense(d.reconstruct(w), rows, cols, x.data().data(), b, y.data().data());
            QVERIFY2(difference < 1e-5, qPrintable(QString("w = %1: %2").arg(w).arg(difference)));
        }
    }

    void scdProductIncludesTheEntriesKeptApart() {
        // A fixed count kept apart before the first cut, and auto's, which join while cutting.
        for (const OutlierPolicy policy : {OutlierPolicy{.count = 20}, OutlierPolicy{.automatic = true}}) {
            DecomposeOptions o;
            o.stop.width = 200;
            o.outliers = policy;
            const Decomposition d = decompose(spiky_gaussian_tensor({60, 50}, 0.01, 40.0, 3), o);
            QVERIFY(d.outlier_count() > 0);
            for (std::size_t w : {std::size_t(0), std::size_t(40), d.width()}) {
                if (d.outlier_count(w) == 0) continue;  // at w = 0 with auto: the zero matrix (tested below)
                const Tensor x = Tensor({50, 3}, random_floats(150, w + 7));
                const Tensor y = scd_product(d, w, x);
                const double difference =
                    relative_difference_to_dense(d.reconstruct(w), 60, 50, x.data().data(), 3, y.data().data());
                QVERIFY2(difference < 1e-5, qPrintable(QString("w = %1: %2").arg(w).arg(difference)));
            }
        }
    }

    void scdProductOfAVectorIsAVectorAndRejectsAWrongLength() {
        const Decomposition d = decompose(gaussian_tensor({30, 20}, 5), [] {
            DecomposeOptions o;
            o.stop.width = 10;
            return o;
        }());
        QCOMPARE(scd_product(d, 10, Tensor({20}, random_floats(20, 1))).shape(), Shape{30});
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, scd_product(d, 10, Tensor({21})));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, scd_product(d, 11, Tensor({20})));
        // Width 0: the zero matrix.
        const Tensor zero = scd_product(d, 0, Tensor({20}, random_floats(20, 2)));
        QCOMPARE(zero.squared_norm(), 0.0);
    }

    void dbfProductMatchesTheDenseReconstruction() {
        const Tensor w = gaussian_tensor({48, 70}, 6);
        DbfOptions options;
        options.iterations = 6;
        const DbfResult dbf = double_binary_factorisation(w, 12, options);
        QCOMPARE(dbf.factors.middle(), std::size_t(12));
        for (std::size_t batch : {1u, 4u}) {
            const Tensor x = Tensor({70, batch}, random_floats(70 * batch, batch));
            const Tensor y = dbf_product(dbf.factors, x);
            const double difference = relative_difference_to_dense(dbf.approximation.reconstruction, 48, 70,
                                                                   x.data().data(), batch, y.data().data());
            QVERIFY2(difference < 1e-5, qPrintable(QString("batch %1: %2").arg(batch).arg(difference)));
        }
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, dbf_product(dbf.factors, Tensor({48})));
    }

    void cliProductWritesYAndRejectsAWrongLength() {
        QTemporaryDir dir;
        const Decomposition d = decompose(gaussian_tensor({30, 20}, 7), [] {
            DecomposeOptions o;
            o.stop.width = 12;
            return o;
        }());
        const QString scd = dir.filePath("a.scd"), x = dir.filePath("x.npy"), bad = dir.filePath("bad.npy"),
                      y = dir.filePath("y.npy");
        write_scd(scd.toStdString(), d);
        const Tensor xs({20, 3}, random_floats(60, 9));
        write_npy(x.toStdString(), xs);
        write_npy(bad.toStdString(), Tensor({19}, random_floats(19, 10)));

        const Run ok = cli({"product", scd, x, "--out", y});
        QVERIFY2(ok.status == 0, ok.err.constData());
        const Tensor written = read_npy(y.toStdString()), expected = scd_product(d, d.width(), xs);
        QCOMPARE(written.shape(), expected.shape());
        QVERIFY(std::memcmp(written.data().data(), expected.data().data(), expected.size() * sizeof(float)) == 0);

        const QString missing = dir.filePath("never.npy");
        const Run wrong = cli({"product", scd, bad, "--out", missing});
        QCOMPARE(wrong.status, 1);
        QVERIFY2(wrong.err.contains("20") && wrong.err.contains("19"), wrong.err.constData());
        QCOMPARE(wrong.err.count('\n'), 1);  // one clear line
        QVERIFY(!QFileInfo::exists(missing));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 4);  // no temporary left behind
    }
};

QTEST_APPLESS_MAIN(ProductTest)
#include "test_products.moc"
