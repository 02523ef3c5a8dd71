// Google Benchmark micro-benchmarks: each kernel on every instruction set beside Eigen's
// GEMV, and whole cuts of the matrix engine. Run: ./build/bench/signcut-benchmarks
#include <benchmark/benchmark.h>

#include <Eigen/Dense>

#include <oneapi/tbb/task_arena.h>

#include <random>

#include "methods/trellis.h"
#include "scd/decomposer.h"
#include "simd/kernels.h"
#include "scd/sign_bits.h"
#include "scd/sign_matrix_product.h"
#include "tensor/random_tensor.h"

namespace {

using namespace signcut;

void register_per_isa(const char* name, void (*body)(benchmark::State&, const Kernels&)) {
    for (Isa isa : {Isa::scalar, Isa::avx2, Isa::avx512})
        if (isa_supported(isa))
            benchmark::RegisterBenchmark((std::string(name) + "/" + std::string(isa_name(isa))).c_str(),
                                         [body, isa](benchmark::State& state) { body(state, kernels_for(isa)); })
                ->Arg(1024)
                ->Arg(4096);
}

// One signed sum per row: R·t with packed signs, the engine's full image pass.
void signed_matvec(benchmark::State& state, const Kernels& kernels) {
    const auto n = std::size_t(state.range(0));
    const Tensor r = gaussian_tensor({n, n}, 1);
    std::vector<std::uint64_t> t(words_for_bits(n), 0x5555555555555555ull);
    std::vector<float> y(n);
    for (auto _ : state) {
        for (std::size_t i = 0; i < n; ++i) y[i] = kernels.signed_sum(r.data().data() + i * n, t.data(), n);
        benchmark::DoNotOptimize(y.data());
    }
    state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(n * n * sizeof(float)));
}

// Rows of R added into an image, eight at a time: the flipped-row update.
void accumulate_rows(benchmark::State& state, const Kernels& kernels) {
    const auto n = std::size_t(state.range(0));
    const Tensor r = gaussian_tensor({n, n}, 2);
    std::vector<float> image(n);
    const bool negate[kMaxAccumulateRows] = {false, true, false, true, false, true, false, true};
    for (auto _ : state) {
        for (std::size_t first = 0; first < n; first += kMaxAccumulateRows) {
            const float* rows[kMaxAccumulateRows];
            for (std::size_t k = 0; k < kMaxAccumulateRows; ++k) rows[k] = r.data().data() + ((first + k) % n) * n;
            kernels.accumulate_rows(image.data(), rows, negate, kMaxAccumulateRows, n);
        }
        benchmark::DoNotOptimize(image.data());
    }
    state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(n * n * sizeof(float)));
}

// The waiting cuts' corrections to an image of length n: one 16-entry table lookup per
// entry for each group of four waiting cuts, eight groups (32 cuts), as after every flip.
void table_lookups(benchmark::State& state, const Kernels& kernels) {
    const auto n = std::size_t(state.range(0));
    std::mt19937 rng(4);
    std::vector<std::vector<std::uint8_t>> indices(kMaxTables, std::vector<std::uint8_t>(n));
    std::vector<float> tables(kMaxTables * kTableEntries, 0.25f), image(n);
    const std::uint8_t* index_pointers[kMaxTables];
    const float* table_pointers[kMaxTables];
    for (std::size_t g = 0; g < kMaxTables; ++g) {
        for (std::uint8_t& index : indices[g]) index = std::uint8_t(rng() % kTableEntries);
        index_pointers[g] = indices[g].data();
        table_pointers[g] = &tables[g * kTableEntries];
    }
    for (auto _ : state) {
        kernels.add_table_lookups(image.data(), index_pointers, table_pointers, kMaxTables, n);
        benchmark::DoNotOptimize(image.data());
    }
    state.SetItemsProcessed(std::int64_t(state.iterations()) * std::int64_t(n));
}

// The two designs of a sign matrix × vector product from the bits (sign_matrix_product.h), on
// one thread, range(0) rows × 14336 columns (items = matrix entries):
//   masked: the cuts-style masked add/subtract, one signed_sum per row of packed bits (the
//     signs flip x's sign bits, then adds; every entry costs its share of a vector add);
//   lookup: T-MAC's table lookup on tiles of 16 rows × 4 columns (one permute per 16 rows and
//     four columns, after the tables of x are built).
constexpr std::size_t kProductColumns = 14336;

std::vector<std::uint64_t> random_sign_rows(std::size_t rows, std::size_t cols) {
    std::mt19937_64 rng(6);
    std::vector<std::uint64_t> words(rows * words_for_bits(cols));
    for (auto& w : words) w = rng();
    return words;
}

void sign_product_masked(benchmark::State& state, const Kernels& kernels) {
    const auto rows = std::size_t(state.range(0)), per_row = words_for_bits(kProductColumns);
    const std::vector<std::uint64_t> signs = random_sign_rows(rows, kProductColumns);
    const Tensor x = gaussian_tensor({kProductColumns}, 7);
    std::vector<float> y(rows);
    tbb::task_arena one(1);
    for (auto _ : state) {
        one.execute([&] {
            for (std::size_t r = 0; r < rows; ++r)
                y[r] = kernels.signed_sum(x.data().data(), signs.data() + r * per_row, kProductColumns);
        });
        benchmark::DoNotOptimize(y.data());
    }
    state.SetItemsProcessed(std::int64_t(state.iterations()) * std::int64_t(rows * kProductColumns));
}

void sign_product_lookup(benchmark::State& state, const Kernels& kernels) {
    const auto rows = std::size_t(state.range(0)), per_row = words_for_bits(kProductColumns);
    const std::vector<std::uint64_t> signs = random_sign_rows(rows, kProductColumns);
    const SignMatrix m =
        SignMatrix::from_rows(rows, kProductColumns, [&](std::size_t r) { return signs.data() + r * per_row; });
    const Tensor x = gaussian_tensor({kProductColumns}, 7);
    std::vector<float> y(rows);
    tbb::task_arena one(1);
    for (auto _ : state) {
        one.execute([&] { sign_matrix_product(m, x.data(), 1, y, kernels); });
        benchmark::DoNotOptimize(y.data());
    }
    state.SetItemsProcessed(std::int64_t(state.iterations()) * std::int64_t(rows * kProductColumns));
}

// Viterbi steps of the bitshift trellis at L = range(0) and K = range(1): one step per entry,
// over a 256-entry N(0, 1) sequence (items = entries).
void viterbi_steps(benchmark::State& state, const Kernels& kernels) {
    const int state_bits = int(state.range(0)), bits = int(state.range(1));
    const std::size_t states = std::size_t(1) << state_bits, length = 256;
    const Tensor x = gaussian_tensor({length}, 5);
    const std::vector<float>& values = trellis_table(state_bits);
    std::vector<float> costs(states, 0.0f), next_costs(states);
    const std::size_t choice_bytes = viterbi_choice_bytes(state_bits, bits);
    std::vector<std::uint8_t> choices(length * choice_bytes);
    for (auto _ : state) {
        std::fill(costs.begin(), costs.end(), 0.0f);
        for (std::size_t t = 0; t < length; ++t) {
            kernels.viterbi_step(costs.data(), values.data(), x[t], state_bits, bits, next_costs.data(),
                                 choices.data() + t * choice_bytes);
            std::swap(costs, next_costs);
        }
        benchmark::DoNotOptimize(costs.data());
    }
    state.SetItemsProcessed(std::int64_t(state.iterations()) * std::int64_t(length));
}

// Whole tail-biting quantisation (two Viterbi passes and the backtracks) of 16 sequences of
// 256 entries at K = 2 and L = range(0), on the active kernels and one thread (items = entries).
void BM_TrellisQuantize(benchmark::State& state) {
    const TrellisCode code{int(state.range(0)), 2};
    const std::size_t length = 256, count = 16;
    const Tensor x = gaussian_tensor({count * length}, 6);
    std::vector<std::uint8_t> symbols(length);
    for (auto _ : state)
        for (std::size_t i = 0; i < count; ++i)
            benchmark::DoNotOptimize(
                trellis_quantize(code, x.data().data() + i * length, length, 1.0f, symbols.data()));
    state.SetItemsProcessed(std::int64_t(state.iterations()) * std::int64_t(count * length));
}
BENCHMARK(BM_TrellisQuantize)->Arg(12)->Arg(16)->Unit(benchmark::kMillisecond);

// The roofline unit: Eigen's dense float GEMV over the same matrix.
void BM_EigenGemv(benchmark::State& state) {
    const auto n = Eigen::Index(state.range(0));
    const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> a =
        Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>::Random(n, n);
    const Eigen::VectorXf x = Eigen::VectorXf::Ones(n);
    Eigen::VectorXf y(n);
    for (auto _ : state) {
        y.noalias() = a * x;
        benchmark::DoNotOptimize(y.data());
    }
    state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(n * n) * std::int64_t(sizeof(float)));
}
BENCHMARK(BM_EigenGemv)->Arg(1024)->Arg(4096);

// Whole cuts of an N(0,1) matrix: time per cut over the first 256 cuts.
void BM_MatrixCuts(benchmark::State& state) {
    const auto n = std::size_t(state.range(0));
    const Tensor a = gaussian_tensor({n, n}, 3);
    DecomposeOptions options;
    options.stop.width = 256;
    for (auto _ : state) benchmark::DoNotOptimize(decompose(a, options).width());
    state.SetItemsProcessed(std::int64_t(state.iterations()) * 256);  // items = cuts
}
BENCHMARK(BM_MatrixCuts)->Arg(256)->Arg(1024)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
    register_per_isa("SignedMatVec", signed_matvec);
    register_per_isa("AccumulateRows", accumulate_rows);
    register_per_isa("TableLookups", table_lookups);
    register_per_isa("SignProductMasked", sign_product_masked);
    register_per_isa("SignProductLookup", sign_product_lookup);
    for (Isa isa : {Isa::scalar, Isa::avx2, Isa::avx512})  // Args = L, K
        if (isa_supported(isa))
            benchmark::RegisterBenchmark(("ViterbiSteps/" + std::string(isa_name(isa))).c_str(),
                                         [isa](benchmark::State& state) { viterbi_steps(state, kernels_for(isa)); })
                ->ArgsProduct({{12}, {1, 2, 3, 4, 8}})
                ->Args({16, 2});
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
