// Every SIMD kernel agrees with its scalar twin bit for bit; the storage they stream is aligned.
#include <QTest>

#include <cstring>
#include <random>

#include "scd/kernels.h"
#include "scd/sign_bits.h"
#include "tensor/tensor.h"
#include "test_support.h"

using namespace signcut;
using signcut::testing::runnable_paths;

class KernelTest : public QObject {
    Q_OBJECT

    static std::vector<float> random_floats(std::size_t n, std::mt19937& rng) {
        std::normal_distribution<float> normal;
        std::vector<float> x(n);
        for (float& v : x) v = normal(rng);
        return x;
    }

    static std::vector<std::uint64_t> random_signs(std::size_t n, std::mt19937_64& rng) {
        std::vector<std::uint64_t> words(words_for_bits(n));
        for (auto& w : words) w = rng();
        clear_tail_bits(words, n);
        return words;
    }

    static bool same_bits(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }

private Q_SLOTS:
    void scalarSignedSumMatchesDefinition() {
        std::mt19937 rng(1);
        std::mt19937_64 bits(2);
        const std::size_t n = 37;
        auto x = random_floats(n, rng);
        auto s = random_signs(n, bits);
        double expected = 0;
        for (std::size_t i = 0; i < n; ++i) expected += is_negative(s, i) ? -x[i] : x[i];
        QVERIFY(std::abs(scalar_kernels().signed_sum(x.data(), s.data(), n) - expected) < 1e-4);
    }

    void signedSumEqualsScalarOnEveryPath() {
        const std::vector<Isa> paths = runnable_paths({Isa::avx2, Isa::avx512});
        if (paths.empty()) QSKIP("this CPU has neither AVX2 nor AVX-512");
        std::mt19937 rng(3);
        std::mt19937_64 bits(4);
        for (std::size_t n : {1u, 7u, 15u, 16u, 17u, 31u, 64u, 65u, 100u, 1000u, 4099u}) {
            auto x = random_floats(n, rng);
            auto s = random_signs(n, bits);
            const float reference = scalar_kernels().signed_sum(x.data(), s.data(), n);
            for (Isa isa : paths)
                QVERIFY2(same_bits(kernels_for(isa).signed_sum(x.data(), s.data(), n), reference),
                         qPrintable(QString("%1, n=%2").arg(isa_name(isa).data()).arg(n)));
        }
    }

    void accumulateEqualsScalarOnEveryPath() {
        const std::vector<Isa> paths = runnable_paths({Isa::avx2, Isa::avx512});
        if (paths.empty()) QSKIP("this CPU has neither AVX2 nor AVX-512");
        std::mt19937 rng(5);
        for (std::size_t n : {1u, 9u, 16u, 33u, 1001u}) {
            for (bool negate : {false, true}) {
                auto base = random_floats(n, rng), x = random_floats(n, rng);
                auto reference = base;
                scalar_kernels().accumulate(reference.data(), x.data(), negate, n);
                for (Isa isa : paths) {
                    auto out = base;
                    kernels_for(isa).accumulate(out.data(), x.data(), negate, n);
                    QVERIFY(std::memcmp(out.data(), reference.data(), n * sizeof(float)) == 0);
                }
            }
        }
    }

    void addSignedConstantEqualsScalarOnEveryPath() {
        const std::vector<Isa> paths = runnable_paths({Isa::avx2, Isa::avx512});
        if (paths.empty()) QSKIP("this CPU has neither AVX2 nor AVX-512");
        std::mt19937 rng(6);
        std::mt19937_64 bits(7);
        for (std::size_t n : {1u, 15u, 16u, 17u, 64u, 129u, 1000u}) {
            auto base = random_floats(n, rng);
            auto s = random_signs(n, bits);
            auto reference = base;
            scalar_kernels().add_signed_constant(reference.data(), s.data(), 0.3125f, n);
            for (std::size_t i = 0; i < n; ++i)
                QVERIFY(same_bits(reference[i], base[i] + (is_negative(s, i) ? -0.3125f : 0.3125f)));
            for (Isa isa : paths) {
                auto out = base;
                kernels_for(isa).add_signed_constant(out.data(), s.data(), 0.3125f, n);
                QVERIFY(std::memcmp(out.data(), reference.data(), n * sizeof(float)) == 0);
            }
        }
    }

    void accumulateRowsEqualsRowAfterRowOnEveryPath() {
        const std::vector<Isa> paths = runnable_paths({Isa::scalar, Isa::avx2, Isa::avx512});
        std::mt19937 rng(8);
        for (std::size_t n : {1u, 15u, 16u, 40u, 63u, 64u, 65u, 1000u}) {
            for (std::size_t count = 1; count <= kMaxAccumulateRows; ++count) {
                auto base = random_floats(n, rng);
                std::vector<std::vector<float>> rows;
                const float* pointers[kMaxAccumulateRows];
                bool negate[kMaxAccumulateRows];
                for (std::size_t r = 0; r < count; ++r) {
                    rows.push_back(random_floats(n, rng));
                    pointers[r] = rows.back().data();
                    negate[r] = (r % 3) == 1;
                }
                auto reference = base;
                for (std::size_t r = 0; r < count; ++r)
                    scalar_kernels().accumulate(reference.data(), pointers[r], negate[r], n);
                for (Isa isa : paths) {
                    auto out = base;
                    kernels_for(isa).accumulate_rows(out.data(), pointers, negate, count, n);
                    QVERIFY(std::memcmp(out.data(), reference.data(), n * sizeof(float)) == 0);
                }
            }
        }
    }

    void tableLookupsAddTheIndexedEntriesOnEveryPath() {
        const std::vector<Isa> paths = runnable_paths({Isa::scalar, Isa::avx2, Isa::avx512});
        std::mt19937 rng(9);
        for (std::size_t n : {1u, 7u, 15u, 16u, 17u, 31u, 32u, 33u, 100u, 1000u}) {
            for (std::size_t count = 1; count <= kMaxTables; ++count) {
                const auto base = random_floats(n, rng);
                std::vector<std::vector<std::uint8_t>> indices(count, std::vector<std::uint8_t>(n));
                std::vector<std::vector<float>> tables;
                const std::uint8_t* index_pointers[kMaxTables];
                const float* table_pointers[kMaxTables];
                for (std::size_t r = 0; r < count; ++r) {
                    for (std::uint8_t& index : indices[r]) index = std::uint8_t(rng() % kTableEntries);
                    tables.push_back(random_floats(kTableEntries, rng));
                    index_pointers[r] = indices[r].data();
                    table_pointers[r] = tables[r].data();
                }
                auto reference = base;  // the definition, table after table
                for (std::size_t r = 0; r < count; ++r)
                    for (std::size_t i = 0; i < n; ++i) reference[i] += tables[r][indices[r][i]];
                for (Isa isa : paths) {
                    auto out = base;
                    kernels_for(isa).add_table_lookups(out.data(), index_pointers, table_pointers, count, n);
                    QVERIFY2(std::memcmp(out.data(), reference.data(), n * sizeof(float)) == 0, isa_name(isa).data());
                }
            }
        }
    }

    void signBitsMatchOnEveryPath() {
        const std::vector<Isa> paths = runnable_paths({Isa::avx2, Isa::avx512});
        std::mt19937 rng(11);
        for (std::size_t n : {1u, 63u, 64u, 65u, 200u}) {
            auto x = random_floats(n, rng);
            x[0] = -0.0f;  // sign(−0) = +1
            std::vector<std::uint64_t> reference(words_for_bits(n));
            scalar_kernels().sign_bits(x.data(), n, reference.data());
            for (std::size_t i = 0; i < n; ++i) QCOMPARE(is_negative(reference, i), x[i] < 0.0f);
            for (Isa isa : paths) {
                std::vector<std::uint64_t> out(words_for_bits(n));
                kernels_for(isa).sign_bits(x.data(), n, out.data());
                QVERIFY(out == reference);
            }
        }
    }

    void changedOverlapsCountAgreementsOnEveryPath() {
        const std::vector<Isa> paths = runnable_paths({Isa::scalar, Isa::avx2, Isa::avx512});
        std::mt19937_64 bits(11);
        for (std::size_t n : {1u, 63u, 64u, 65u, 1000u}) {
            const std::size_t words = words_for_bits(n), count = 5;
            const auto changed = random_signs(n, bits), signs = random_signs(n, bits);
            std::vector<std::vector<std::uint64_t>> cuts;
            const std::uint64_t* pointers[count];
            for (std::size_t j = 0; j < count; ++j) cuts.push_back(random_signs(n, bits)), pointers[j] = cuts[j].data();
            std::int64_t expected[count];
            for (std::size_t j = 0; j < count; ++j) {
                expected[j] = 0;
                for (std::size_t i = 0; i < n; ++i)
                    if (is_negative(changed, i))
                        expected[j] += is_negative(signs, i) == is_negative(cuts[j], i) ? 1 : -1;
            }
            for (Isa isa : paths) {
                std::int64_t out[count];
                kernels_for(isa).changed_overlaps(changed.data(), signs.data(), pointers, count, words, out);
                for (std::size_t j = 0; j < count; ++j) QCOMPARE(out[j], expected[j]);
            }
        }
    }

    void tensorStorageStartsOnACacheLineOrAHugePage() {
        const auto offset = [](const Tensor& t, std::size_t alignment) {
            return reinterpret_cast<std::uintptr_t>(t.data().data()) % alignment;
        };
        for (std::size_t n : {1u, 3u, 17u, 1000u}) QCOMPARE(offset(Tensor(Shape{n}), 64), std::uintptr_t(0));
        const std::size_t huge_floats = detail::kHugePageThreshold / sizeof(float);
        const Tensor large(Shape{huge_floats});
        QCOMPARE(offset(large, detail::kHugePageBytes), std::uintptr_t(0));
        QCOMPARE(large[huge_floats - 1], 0.0f);  // zero-filled like any tensor
        Tensor copy = large;
        QCOMPARE(offset(copy, detail::kHugePageBytes), std::uintptr_t(0));
    }

    void dispatchPicksASupportedPath() { QVERIFY(isa_supported(active_kernels().isa)); }

    // The tables are filled by designated initialisers, which leave a forgotten member null.
    void everyTableNamesItsPathAndFillsEveryKernel() {
        for (Isa isa : runnable_paths({Isa::scalar, Isa::avx2, Isa::avx512})) {
            const Kernels& k = kernels_for(isa);
            QCOMPARE(k.isa, isa);
            QVERIFY2(k.signed_sum && k.accumulate && k.accumulate_rows && k.add_table_lookups && k.sign_bits &&
                         k.add_signed_constant && k.changed_overlaps && k.viterbi_step,
                     isa_name(isa).data());
        }
    }
};

QTEST_APPLESS_MAIN(KernelTest)
#include "test_kernels.moc"
