// Stored forms of a checkpoint's tensors (methods/method.h): tcq stored at 2 bits per entry (the
// whole method with its payload, as compress-model runs it) and decoded back (as expand-model
// does), on Gaussian matrices, in entries per second. The targets are for 4096 × 14336:
//   signcut-benchmarks --benchmark_filter='Tcq.*/4096/14336'
#include <benchmark/benchmark.h>

#include "methods/method.h"
#include "tensor/random_tensor.h"

namespace {

using namespace signcut;

void TcqStore(benchmark::State& state) {
    const Tensor a = gaussian_tensor({std::size_t(state.range(0)), std::size_t(state.range(1))}, 1);
    for (auto _ : state) benchmark::DoNotOptimize(approximate("tcq", a, 2.0).payload.data());
    state.SetItemsProcessed(state.iterations() * std::int64_t(a.size()));
}

void TcqLoad(benchmark::State& state) {
    const Tensor a = gaussian_tensor({std::size_t(state.range(0)), std::size_t(state.range(1))}, 1);
    const Approximation stored = approximate("tcq", a, 2.0);
    for (auto _ : state) benchmark::DoNotOptimize(load_stored_form("tcq", stored.payload, a.shape()).data().data());
    state.SetItemsProcessed(state.iterations() * std::int64_t(a.size()));
}

BENCHMARK(TcqStore)->Args({1024, 4096})->Args({4096, 14336})->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();
BENCHMARK(TcqLoad)
    ->Args({1024, 4096})
    ->Args({4096, 14336})
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
