// signcut-cli bench --trellis: the whole tail-biting trellis quantiser (trellis.h, both Viterbi
// passes and the backtracks) as tcq runs it, L = 12, K = 2, sequences of tcq's 256 entries, on
// 2^20 N(0, 1) entries at the N(0, 1) table scale; on all threads and on one, interleaved
// repetition by repetition so that both see the same machine load, the median kept.
#include <QJsonObject>

#include <oneapi/tbb/info.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <vector>

#include "cli/bench_trellis.h"
#include "cli/bench_units.h"
#include "cli/cli_support.h"
#include "methods/trellis.h"
#include "methods/trellis_coded.h"
#include "simd/kernels.h"
#include "tensor/random_tensor.h"

namespace signcut::cli {
namespace {

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

// FNV-1a over the symbols: equal results on every build, thread count and instruction set.
std::uint64_t fingerprint(const std::vector<std::uint8_t>& symbols) {
    std::uint64_t hash = 0xcbf29ce484222325ull;
    for (std::uint8_t s : symbols) hash = (hash ^ s) * 0x100000001b3ull;
    return hash;
}

}  // namespace

int bench_trellis(const QCommandLineParser& parser) {
    const TrellisCode code{12, 2};
    const std::size_t entries = std::size_t(1) << 20, length = TcqOptions{}.sequence_length;
    const Tensor x = gaussian_tensor({entries}, parse_count(parser, "seed"));
    const std::vector<std::size_t> lengths(entries / length, length);
    const float table_scale = trellis_unit_gaussian_fit(code).table_scale;
    const std::size_t asked_threads = parse_count(parser, "threads");
    const int threads = asked_threads > 0 ? int(asked_threads) : tbb::info::default_concurrency();
    const std::size_t repetitions = parser.isSet("repetitions") ? parse_count(parser, "repetitions") : 5;
    if (repetitions == 0) throw UsageError("--repetitions must be positive");

    std::vector<std::uint8_t> symbols(entries);
    double squared_error = 0.0;
    const auto run = [&] {
        const std::vector<double> errors = trellis_quantize_sequences(code, x.data(), lengths, table_scale, symbols);
        squared_error = std::accumulate(errors.begin(), errors.end(), 0.0);
    };
    tbb::task_arena all(threads), one(1);
    std::vector<double> all_seconds, one_seconds;
    for (std::size_t r = 0; r < repetitions; ++r) {
        Clock::time_point start = Clock::now();
        all.execute(run);
        all_seconds.push_back(seconds_since(start));
        start = Clock::now();
        one.execute(run);
        one_seconds.push_back(seconds_since(start));
    }
    const double seconds = median(all_seconds), one_thread = median(one_seconds);
    const QJsonObject result{
        {"entries", qint64(entries)},
        {"state_bits", code.state_bits},
        {"bits_per_entry", code.bits_per_entry},
        {"sequence_length", qint64(length)},
        {"kernels", QString::fromUtf8(isa_name(active_kernels().isa))},
        {"threads", threads},
        {"seconds", seconds},
        {"entries_per_second", double(entries) / seconds},
        {"entries_per_second_per_core", double(entries) / seconds / threads},
        {"seconds_one_thread", one_thread},
        {"entries_per_second_one_thread", double(entries) / one_thread},
        {"thread_speedup", one_thread / seconds},
        {"mse", squared_error / double(entries)},
        {"symbols_fingerprint", QString::number(fingerprint(symbols), 16)},
    };
    if (parser.isSet("json")) {
        print_json(result);
        return 0;
    }
    print_line(QString("trellis           L = %1, K = %2, %3 entries in sequences of %4, %5 kernels")
                   .arg(code.state_bits)
                   .arg(code.bits_per_entry)
                   .arg(entries)
                   .arg(length)
                   .arg(result["kernels"].toString()));
    print_line(QString("%1 threads         %2 s, %3 M entries/s (%4 M per core)")
                   .arg(threads)
                   .arg(seconds, 0, 'g', 4)
                   .arg(double(entries) / seconds * 1e-6, 0, 'g', 4)
                   .arg(double(entries) / seconds / threads * 1e-6, 0, 'g', 4));
    print_line(QString("1 thread          %1 s, %2 M entries/s; speed-up %3×")
                   .arg(one_thread, 0, 'g', 4)
                   .arg(double(entries) / one_thread * 1e-6, 0, 'g', 4)
                   .arg(one_thread / seconds, 0, 'g', 3));
    print_line(QString("mse               %1 per entry (symbols %2)")
                   .arg(squared_error / double(entries), 0, 'g', 8)
                   .arg(result["symbols_fingerprint"].toString()));
    return 0;
}

}  // namespace signcut::cli
