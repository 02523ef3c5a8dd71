// MatrixCutEngine without Rᵀ (EngineMemory::low): its column sums add the same floats in the
// same order as the line kernels over Rᵀ, so its cuts are those of the fast path bit for bit,
// on every SIMD path and thread count; automatic picks it only when Rᵀ does not fit.
#include <QTest>

#include <vector>

#include "scd/column_sums.h"
#include "scd/decomposer.h"
#include "scd/sign_bits.h"
#include "tensor/random_tensor.h"
#include "test_support.h"

using namespace signcut;

namespace {

// Random ±1 bits for n entries (the tail bits clear).
std::vector<std::uint64_t> random_signs(std::size_t n, std::uint64_t seed) {
    const Tensor noise = gaussian_tensor({n}, seed);
    std::vector<std::uint64_t> bits(words_for_bits(n), 0);
    for (std::size_t i = 0; i < n; ++i) set_negative(bits, i, noise[i] < 0.0f);
    return bits;
}

// Rᵀ of a rows × cols × c tensor, as the fast path keeps it.
std::vector<float> transposed(const Tensor& r, std::size_t rows, std::size_t cols, std::size_t c) {
    std::vector<float> t(r.size());
    for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t j = 0; j < cols; ++j)
            for (std::size_t k = 0; k < c; ++k) t[(j * rows + i) * c + k] = r[(i * cols + j) * c + k];
    return t;
}

}  // namespace

class LowMemoryEngineTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void columnImagesAreTheLineImagesOfTheTranspose() {
        for (const Shape& shape : {Shape{203, 157}, Shape{17, 40}, Shape{37, 29, 3}, Shape{45, 11, 5}}) {
            const std::size_t rows = shape[0], cols = shape[1], c = shape.size() > 2 ? shape[2] : 1;
            const Tensor r = gaussian_tensor(shape, 3);
            const std::vector<float> rt = transposed(r, rows, cols, c);
            const std::vector<std::uint64_t> s = random_signs(rows, 4), s2 = random_signs(rows, 5);
            std::vector<float> image(cols * c), image2(cols * c), expected(cols * c);
            for (std::size_t k = 0; k < cols; ++k) {  // the engine's line images on row k of Rᵀ
                if (c == 1) {
                    expected[k] = 0.5f * scalar_kernels().signed_sum(&rt[k * rows], s.data(), rows);
                    continue;
                }
                for (std::size_t ch = 0; ch < c; ++ch) {
                    float sum = 0.0f;
                    for (std::size_t i = 0; i < rows; ++i)
                        sum += (is_negative(s, i) ? -1.0f : 1.0f) * rt[(k * rows + i) * c + ch];
                    expected[k * c + ch] = 0.5f * sum;
                }
            }
            const std::uint64_t* signs[] = {s.data(), s2.data()};
            // In two pieces of columns, as the engine's threads split them.
            const std::size_t half = cols / 2;
            float* first[] = {image.data(), image2.data()};
            float* second[] = {&image[half * c], &image2[half * c]};
            column_images(r.data().data(), rows, cols * c, c, 0, half, signs, 2, first);
            column_images(r.data().data(), rows, cols * c, c, half, cols, signs, 2, second);
            QVERIFY2(testing::same_bits(image, expected), shape_to_string(shape).c_str());
            std::vector<float> alone(cols * c);
            float* only[] = {alone.data()};
            const std::uint64_t* other[] = {s2.data()};
            column_images(r.data().data(), rows, cols * c, c, 0, cols, other, 1, only);
            QVERIFY(testing::same_bits(image2, alone));
        }
    }

    void addedColumnsAreAccumulateRowsOverTheTranspose() {
        for (const Shape& shape : {Shape{45, 300}, Shape{19, 70, 3}}) {
            const std::size_t rows = shape[0], cols = shape[1], c = shape.size() > 2 ? shape[2] : 1;
            const Tensor r = gaussian_tensor(shape, 9);
            const std::vector<float> rt = transposed(r, rows, cols, c);
            const std::vector<std::uint64_t> signs = random_signs(cols, 10);
            std::vector<std::size_t> columns;
            for (std::size_t k = 1; k < cols; k += 1 + k % 3) columns.push_back(k);
            const Tensor start = gaussian_tensor({rows * c}, 11);
            std::vector<float> expected(start.data().begin(), start.data().end()), image = expected;
            for (std::size_t f = 0; f < columns.size(); f += kMaxAccumulateRows) {  // the fast path's column flip
                const float* lines[kMaxAccumulateRows];
                bool negate[kMaxAccumulateRows];
                const std::size_t count = std::min(kMaxAccumulateRows, columns.size() - f);
                for (std::size_t l = 0; l < count; ++l)
                    lines[l] = &rt[columns[f + l] * rows * c], negate[l] = is_negative(signs, columns[f + l]);
                scalar_kernels().accumulate_rows(expected.data(), lines, negate, count, rows * c);
            }
            const std::size_t split = rows / 3;  // two blocks of rows
            add_columns(r.data().data(), cols * c, c, 0, split, columns, signs.data(), image.data());
            add_columns(r.data().data(), cols * c, c, split, rows, columns, signs.data(), &image[split * c]);
            QVERIFY2(testing::same_bits(image, expected), shape_to_string(shape).c_str());
        }
    }

    void lowMemoryGivesTheCutsOfTheTransposedPath() {
        // Not multiples of 16 or 128; 421 and 700 columns flip in several groups of 128 (only a
        // photo's value, 2‖z‖₁ with z from h, shows h's bits: a matrix's shows g's); 5 channels take
        // the general channel loops; 70 cuts apply the waiting cuts twice.
        const std::vector<Isa> paths = testing::runnable_paths({Isa::scalar, Isa::avx2, Isa::avx512});
        for (const Shape& shape : {Shape{203, 157}, Shape{130, 421}, Shape{37, 141, 3}, Shape{90, 300, 3},
                                   Shape{23, 31, 5}, Shape{40, 700, 3}}) {
            const Tensor a = gaussian_tensor(shape, 12);
            DecomposeOptions options;
            options.stop.width = 70;
            options.memory = EngineMemory::fast;
            const Decomposition fast = decompose(a, options);
            options.memory = EngineMemory::low;
            for (Isa isa : paths)
                for (int threads : {1, 2, 3}) {
                    options.kernels = &kernels_for(isa);
                    options.threads = threads;
                    QVERIFY2(testing::identical(decompose(a, options), fast), shape_to_string(shape).c_str());
                }
        }
    }

    void lowMemoryFollowsEntriesTakenApart() {  // subtract_entries, without Rᵀ to update
        const Tensor a = gaussian_tensor({150, 170}, 13);
        DecomposeOptions options;
        options.stop.width = 60;
        options.outliers.automatic = true;
        options.memory = EngineMemory::fast;
        Decomposer fast(a, options);
        fast.run();
        options.memory = EngineMemory::low;
        Decomposer low(a, options);
        low.run();
        QVERIFY(testing::identical(low.decomposition(), fast.decomposition()));
        QVERIFY(testing::same_bits(low.residual().data(), fast.residual().data()));
    }

    void automaticIsFastUnlessRTransposedDoesNotFit() {
        DecomposeOptions options;
        QCOMPARE(engine_memory({300, 200}, options), EngineMemory::fast);
        qputenv("SIGNCUT_MEMORY_LIMIT_MB", "100");  // 4096² f32 is 64 MiB; with Rᵀ 128
        QCOMPARE(engine_memory({4096, 4096}, options), EngineMemory::low);
        QCOMPARE(engine_memory({1024, 1024}, options), EngineMemory::fast);
        options.memory = EngineMemory::fast;
        QCOMPARE(engine_memory({4096, 4096}, options), EngineMemory::fast);  // asked for: kept
        qunsetenv("SIGNCUT_MEMORY_LIMIT_MB");
        QVERIFY(decomposer_memory_bytes({4096, 4096}, options) - 4 * 4096 * 4096 ==
                decomposer_memory_bytes({4096, 4096}, [&] {
                    DecomposeOptions low = options;
                    low.memory = EngineMemory::low;
                    return low;
                }()));
    }
};

QTEST_APPLESS_MAIN(LowMemoryEngineTest)
#include "test_low_memory_engine.moc"
