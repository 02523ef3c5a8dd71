// Every SIMD kernel agrees with its scalar twin bit for bit.
#include <QTest>

#include <cstring>
#include <random>

#include "scd/kernels.h"
#include "scd/sign_bits.h"

using namespace signcut;

class KernelTest : public QObject {
    Q_OBJECT

    std::vector<Isa> simd_paths() {
        std::vector<Isa> paths;
        for (Isa isa : {Isa::avx2, Isa::avx512})
            if (isa_supported(isa)) paths.push_back(isa);
        return paths;
    }

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
        if (simd_paths().empty()) QSKIP("this CPU has neither AVX2 nor AVX-512");
        std::mt19937 rng(3);
        std::mt19937_64 bits(4);
        for (std::size_t n : {1u, 7u, 15u, 16u, 17u, 31u, 64u, 65u, 100u, 1000u, 4099u}) {
            auto x = random_floats(n, rng);
            auto s = random_signs(n, bits);
            const float reference = scalar_kernels().signed_sum(x.data(), s.data(), n);
            for (Isa isa : simd_paths())
                QVERIFY2(same_bits(kernels_for(isa).signed_sum(x.data(), s.data(), n), reference),
                         qPrintable(QString("%1, n=%2").arg(isa_name(isa).data()).arg(n)));
        }
    }

    void accumulateEqualsScalarOnEveryPath() {
        if (simd_paths().empty()) QSKIP("this CPU has neither AVX2 nor AVX-512");
        std::mt19937 rng(5);
        for (std::size_t n : {1u, 9u, 16u, 33u, 1001u}) {
            for (bool negate : {false, true}) {
                auto base = random_floats(n, rng), x = random_floats(n, rng);
                auto reference = base;
                scalar_kernels().accumulate(reference.data(), x.data(), negate, n);
                for (Isa isa : simd_paths()) {
                    auto out = base;
                    kernels_for(isa).accumulate(out.data(), x.data(), negate, n);
                    QVERIFY(std::memcmp(out.data(), reference.data(), n * sizeof(float)) == 0);
                }
            }
        }
    }

    void addSignedConstantEqualsScalarOnEveryPath() {
        if (simd_paths().empty()) QSKIP("this CPU has neither AVX2 nor AVX-512");
        std::mt19937 rng(6);
        std::mt19937_64 bits(7);
        for (std::size_t n : {1u, 15u, 16u, 17u, 64u, 129u, 1000u}) {
            auto base = random_floats(n, rng);
            auto s = random_signs(n, bits);
            auto reference = base;
            scalar_kernels().add_signed_constant(reference.data(), s.data(), 0.3125f, n);
            for (std::size_t i = 0; i < n; ++i)
                QVERIFY(same_bits(reference[i], base[i] + (is_negative(s, i) ? -0.3125f : 0.3125f)));
            for (Isa isa : simd_paths()) {
                auto out = base;
                kernels_for(isa).add_signed_constant(out.data(), s.data(), 0.3125f, n);
                QVERIFY(std::memcmp(out.data(), reference.data(), n * sizeof(float)) == 0);
            }
        }
    }

    void dispatchPicksASupportedPath() { QVERIFY(isa_supported(active_kernels().isa)); }
};

QTEST_APPLESS_MAIN(KernelTest)
#include "test_kernels.moc"
