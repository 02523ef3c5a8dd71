// signcut-cli bench: the engine beside Eigen's GEMV, its own scalar single-thread path and
// the straightforward dense implementation, measured in one run on the same matrix.
#include <QJsonArray>
#include <QJsonObject>

#include <Eigen/Dense>
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/partitioner.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <memory>
#include <thread>

#include "cli/bench_products.h"
#include "cli/bench_trellis.h"
#include "cli/bench_units.h"
#include "cli/cli_support.h"
#include "cli/commands.h"
#include "io/load_input.h"
#include "scd/decomposer.h"
#include "simd/kernels.h"
#include "scd/sign_bits.h"
#include "scd/reference_decomposition.h"
#include "tensor/dense_products.h"
#include "tensor/random_tensor.h"

namespace signcut::cli {
namespace {

// y = A x over the tensor unfolded as rows × (the rest), one thread, through Eigen (and so
// OpenBLAS where the build found it, its kernels chosen for this CPU): the GEMV unit.
class Gemv {
public:
    explicit Gemv(const Tensor& tensor)
        : a_(tensor.data().data(), Eigen::Index(tensor.dim(0)), Eigen::Index(tensor.size() / tensor.dim(0))),
          x_(Eigen::VectorXf::Ones(a_.cols())),
          y_(a_.rows()) {}
    void operator()() {
        y_.noalias() = a_ * x_;
        x_[0] += y_[0] * 1e-30f;  // keep the product observable
    }

private:
    using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    Eigen::Map<const Matrix> a_;
    Eigen::VectorXf x_, y_;
};

struct EngineRun {
    double setup_seconds = 0.0;   // copying the input in, Rᵀ and the first images
    std::vector<double> time_at;  // engine seconds after cut j + 1, from the end of setup (GEMV samples excluded)
    double relative_error = 1.0;
    std::uint64_t floats_streamed = 0;
};

// Runs the engine to `width` cuts. The roofline units are sampled after every 1/50 of the
// run, so they see the same machine load as the engine (these VMs are noisy).
EngineRun run_engine(const Tensor& input, std::size_t width, DecomposeOptions options,
                     std::vector<PassTimer*> units = {}) {
    options.stop = StopRule{};
    options.stop.width = width;
    EngineRun run;
    const std::size_t sample_every = std::max<std::size_t>(1, width / 50);
    double excluded = 0.0;
    const auto setup = Clock::now();
    Decomposer decomposer(input, options);
    run.setup_seconds = seconds_since(setup);
    const auto start = Clock::now();
    decomposer.run([&](const Decomposer& d) {
        run.time_at.push_back(seconds_since(start) - excluded);
        if (!units.empty() && d.decomposition().width() % sample_every == 0) {
            const auto t0 = Clock::now();
            std::this_thread::sleep_for(std::chrono::milliseconds(2));  // the engine's idle workers go to sleep
            for (PassTimer* unit : units) unit->sample(8);
            excluded += seconds_since(t0);
        }
    });
    run.relative_error = decomposer.decomposition().relative_error(decomposer.decomposition().width());
    run.floats_streamed = decomposer.floats_streamed();
    return run;
}

}  // namespace

int bench_command(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Times the signed cut engine beside Eigen's dense float GEMV on the same matrix (one full read\n"
        "of it on one core, timed between the engine's cuts so both see the same load) and one\n"
        "streaming read of it on all cores (the physical limit of a pass), the engine on one\n"
        "thread (the 1 → all threads speed-up), its scalar single-thread path and the\n"
        "straightforward dense implementation (one Eigen GEMV per half-step), all in one run.");
    parser.addOptions({
        {"size", "N for an N×N N(0,1) matrix, or ROWSxCOLS (default 1024).", "N", "1024"},
        {"input", "Benchmark on this file instead (e.g. the cat photo).", "FILE"},
        {"width", "Cuts to time (default: the width whose storage equals a bf16 copy).", "W"},
        {"threads", "Engine threads (default: all cores).", "T", "0"},
        {"memory", "The engine's memory: auto (default), fast (R and Rᵀ) or low (R only).", "auto|fast|low", "auto"},
        {"compare-width", "Cuts timed for the scalar and straightforward runs (default min(W, 200)).", "K"},
        {"seed", "Seed of the matrix and of the cuts (default 1).", "S", "1"},
        {"json", "Print one JSON object."},
        {"products", "Time y = A·x from the bits (scd, dbf) beside f32 and bf16 GEMVs on all cores instead."},
        {"bits", "With --products: budgets in bits per entry (default 1,2,4).", "LIST", "1,2,4"},
        {"methods", "With --products: scd, dbf or both (default scd,dbf).", "LIST", "scd,dbf"},
        {"batch", "With --products: vectors per product, 1 to 64, or a list (default 1).", "B", "1"},
        {"repetitions",
         "With --products: repetitions (each the fastest of 3 runs), the median kept (default 11); with --trellis: "
         "whole runs on all threads and on one, the medians kept (default 5).",
         "N", "11"},
        {"trellis",
         "Time the whole tail-biting trellis quantiser (L = 12, K = 2, sequences of 256) on 2^20 N(0,1) entries "
         "instead, on all threads and on one."},
    });
    if (!parse_or_throw(parser, arguments)) return 0;
    if (parser.isSet("products")) return bench_products(parser);
    if (parser.isSet("trellis")) return bench_trellis(parser);

    const std::uint64_t seed = parse_count(parser, "seed");
    const Tensor input = parser.isSet("input") ? load_input(parser.value("input").toStdString()).tensor
                                               : gaussian_tensor(parse_shape(parser.value("size")), seed);
    DecomposeOptions options;
    options.seed = seed;
    options.threads = int(parse_count(parser, "threads"));
    options.memory = parse_engine_memory(parser);
    const std::size_t width =
        parser.isSet("width") ? parse_count(parser, "width") : width_limit(input.shape(), DecomposeOptions{});
    const std::size_t compare =
        std::min(width, parser.isSet("compare-width") ? parse_count(parser, "compare-width") : std::size_t(200));
    if (width == 0 || compare == 0) throw UsageError("--width and --compare-width must be positive");

    PassTimer gemv_timer([gemv = std::make_shared<Gemv>(input)] { (*gemv)(); });
    PassTimer stream_timer([read = std::make_shared<StreamRead>(input)] { (*read)(); });
    gemv_timer.sample(50);
    stream_timer.sample(50);
    const EngineRun engine = run_engine(input, width, options, {&gemv_timer, &stream_timer});
    const double gemv = gemv_timer.median_seconds(), stream = stream_timer.median_seconds();
    const std::size_t done = engine.time_at.size();
    if (done == 0) throw std::runtime_error("the engine found no cut (a zero input?)");
    const double seconds_per_cut = engine.time_at.back() / double(done);
    const double bytes_per_cut = 4.0 * double(engine.floats_streamed) / double(done);
    const int threads = options.threads > 0 ? options.threads : tbb::info::default_concurrency();
    const std::size_t prefix = std::min(compare, done);
    const double engine_prefix = engine.time_at[prefix - 1];

    DecomposeOptions one_thread = options;
    one_thread.threads = 1;
    const EngineRun one_thread_run = run_engine(input, prefix, one_thread);
    const double speedup_vs_one_thread = one_thread_run.time_at.back() / engine_prefix;

    DecomposeOptions scalar = options;
    scalar.threads = 1;
    scalar.kernels = &scalar_kernels();
    const EngineRun scalar_run = run_engine(input, prefix, scalar);
    const double speedup_vs_scalar = scalar_run.time_at.back() / engine_prefix;

    QJsonObject result{
        {"size", QString::fromStdString(shape_to_string(input.shape()))},
        {"width", qint64(done)},
        {"threads", threads},
        {"kernels", QString::fromUtf8(isa_name(active_kernels().isa))},
        {"memory", QString::fromUtf8(to_string(engine_memory(input.shape(), options)))},
        {"gemv_kernels", QString::fromStdString(dense_product_kernels())},
        {"seconds", engine.time_at.back()},
        {"setup_seconds", engine.setup_seconds},
        {"seconds_per_cut", seconds_per_cut},
        {"cuts_per_second", 1.0 / seconds_per_cut},
        {"bytes_per_cut", bytes_per_cut},
        {"passes_per_cut", bytes_per_cut / (4.0 * double(input.size()))},
        {"gb_per_second", bytes_per_cut / seconds_per_cut * 1e-9},
        {"gemv_seconds", gemv},
        {"gemv_gb_per_second", 4.0 * double(input.size()) / gemv * 1e-9},
        {"ratio_vs_gemv", seconds_per_cut / gemv},
        {"stream_seconds", stream},
        {"stream_gb_per_second", 4.0 * double(input.size()) / stream * 1e-9},
        {"ratio_vs_stream", seconds_per_cut / stream},
        {"relative_error", engine.relative_error},
        {"compare_width", qint64(prefix)},
        {"speedup_vs_scalar", speedup_vs_scalar},
        {"speedup_vs_one_thread", speedup_vs_one_thread},
    };
    if (input.order() == 2) {
        const ReferenceResult reference = reference_decomposition(input, prefix, seed);
        const Decomposition engine_prefix_run = decompose(input, [&] {
            DecomposeOptions o = options;
            o.stop.width = prefix;
            return o;
        }());
        result["reference_seconds_per_cut"] = reference.seconds / double(prefix);
        result["speedup_vs_reference"] = reference.seconds / engine_prefix;
        result["reference_relative_error"] = reference.relative_error;
        result["engine_relative_error_at_compare_width"] = engine_prefix_run.relative_error(prefix);
    }
    if (parser.isSet("json")) {
        print_json(result);
        return 0;
    }
    const auto number = [&](const char* key, int precision = 4) {
        return QString::number(result[key].toDouble(), 'g', precision);
    };
    print_line(QString("matrix            %1, %2 cuts, %3 kernels, %4 threads")
                   .arg(result["size"].toString(), number("width"), result["kernels"].toString(), number("threads")));
    print_line(QString("engine            %1 ms per cut (%2 cuts/s), %3 MB of R per cut (%4 passes), %5 GB/s")
                   .arg(seconds_per_cut * 1e3, 0, 'g', 4)
                   .arg(number("cuts_per_second"))
                   .arg(bytes_per_cut * 1e-6, 0, 'g', 4)
                   .arg(number("passes_per_cut", 3))
                   .arg(number("gb_per_second", 3)));
    print_line(QString("engine setup      %1 ms (the input copied in, Rᵀ, first images; not in the time per cut)")
                   .arg(engine.setup_seconds * 1e3, 0, 'g', 4));
    print_line(QString("Eigen GEMV        %1 ms per pass (%2 GB/s, one thread, %3)")
                   .arg(gemv * 1e3, 0, 'g', 4)
                   .arg(number("gemv_gb_per_second", 3))
                   .arg(result["gemv_kernels"].toString()));
    print_line(QString("stream read       %1 ms per pass (%2 GB/s, %3 threads, %4 kernels)")
                   .arg(stream * 1e3, 0, 'g', 4)
                   .arg(number("stream_gb_per_second", 3))
                   .arg(tbb::info::default_concurrency())
                   .arg(result["kernels"].toString()));
    print_line(QString("ratio vs GEMV     %1 (engine seconds per cut / GEMV seconds)").arg(number("ratio_vs_gemv", 3)));
    print_line(QString("ratio vs stream   %1 (engine seconds per cut / one read of R on all cores)")
                   .arg(number("ratio_vs_stream", 3)));
    print_line(QString("vs 1 thread       %1× faster over the first %2 cuts (same kernels)")
                   .arg(number("speedup_vs_one_thread", 3))
                   .arg(prefix));
    print_line(
        QString("vs scalar, 1 thr  %1× faster over the first %2 cuts").arg(number("speedup_vs_scalar", 3)).arg(prefix));
    if (result.contains("speedup_vs_reference"))
        print_line(QString("vs dense GEMV     %1× faster over the first %2 cuts (error %3 vs %4)")
                       .arg(number("speedup_vs_reference", 3))
                       .arg(prefix)
                       .arg(number("engine_relative_error_at_compare_width", 5))
                       .arg(number("reference_relative_error", 5)));
    print_line(QString("relative error    %1 at w = %2").arg(number("relative_error", 5)).arg(done));
    return 0;
}

}  // namespace signcut::cli
