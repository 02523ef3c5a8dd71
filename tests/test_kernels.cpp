// Every SIMD kernel agrees with its scalar twin bit for bit; the storage they stream is aligned.
#include <QTest>

#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <random>

#include "simd/kernels.h"
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

    // choose_isa's message for `requested`, or "" when it chose an instruction set.
    static std::string isa_error(const char* requested, bool (*supported)(Isa)) {
        try {
            choose_isa(requested, supported);
        } catch (const std::runtime_error& error) {
            return error.what();
        }
        return "";
    }

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

    // SIGNCUT_ISA forces a path, or is refused with one line naming it: a misspelt name and an
    // instruction set the CPU lacks (a CPU faked by `supported`, and this one where it lacks
    // one) are errors, never a silent fallback to another path.
    void isaRequestIsHonouredOrRefusedWithOneLine() {
        bool (*all)(Isa) = [](Isa) { return true; };
        bool (*only_scalar)(Isa) = [](Isa isa) { return isa == Isa::scalar; };
        QCOMPARE(choose_isa(nullptr, all), Isa::avx512);
        QCOMPARE(choose_isa("", only_scalar), Isa::scalar);
        for (Isa isa : {Isa::scalar, Isa::avx2, Isa::avx512}) QCOMPARE(choose_isa(isa_name(isa).data(), all), isa);
        QCOMPARE(isa_error("avx-512", all),
                 std::string("SIGNCUT_ISA=avx-512: no such instruction set (scalar, avx2 or avx512; unset: the best "
                             "this CPU runs)"));
        QVERIFY(!isa_error("AVX2", all).empty());
        QVERIFY(!isa_error("scalar ", all).empty());
        QCOMPARE(isa_error("avx512", only_scalar),
                 std::string("SIGNCUT_ISA=avx512: this CPU does not support avx512 (it runs scalar)"));
        QCOMPARE(isa_error("avx2", only_scalar),
                 std::string("SIGNCUT_ISA=avx2: this CPU does not support avx2 (it runs scalar)"));
        for (Isa isa : {Isa::avx2, Isa::avx512}) {
            const std::string error = isa_error(isa_name(isa).data(), isa_supported);
            QCOMPARE(error.empty(), isa_supported(isa));
            QVERIFY(error.find('\n') == std::string::npos);
        }
        // The dispatch follows the variable this test runs with (CI runs the suite with
        // SIGNCUT_ISA=scalar, and avx2 on an AVX-512 machine).
        QCOMPARE(active_kernels().isa, choose_isa(std::getenv("SIGNCUT_ISA")));
        qInfo("kernels: %s", isa_name(active_kernels().isa).data());
    }
};

QTEST_APPLESS_MAIN(KernelTest)
#include "test_kernels.moc"
