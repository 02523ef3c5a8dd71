// signcut-cli bench: the engine beside Eigen's GEMV, its own scalar single-thread path and
// the straightforward dense implementation, measured in one run on the same matrix.
#include <QJsonArray>
#include <QJsonObject>

#include <Eigen/Dense>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "cli/cli_support.h"
#include "cli/commands.h"
#include "io/load_input.h"
#include "scd/decomposer.h"
#include "scd/reference_decomposition.h"
#include "tensor/random_tensor.h"

namespace signcut::cli {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// Median time of one y = A x over the tensor unfolded as rows × (the rest), single thread.
double gemv_seconds(const Tensor& tensor) {
    using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    const auto rows = Eigen::Index(tensor.dim(0)), cols = Eigen::Index(tensor.size() / tensor.dim(0));
    const Eigen::Map<const Matrix> a(tensor.data().data(), rows, cols);
    Eigen::VectorXf x = Eigen::VectorXf::Ones(cols), y(rows);
    std::vector<double> times;
    const auto start = Clock::now();
    for (int run = 0; run < 5 || (seconds_since(start) < 0.3 && run < 1000); ++run) {
        const auto t0 = Clock::now();
        y.noalias() = a * x;
        times.push_back(seconds_since(t0));
        x[run % cols] += y[run % rows] * 1e-30f;  // keep the product observable
    }
    std::nth_element(times.begin(), times.begin() + std::ptrdiff_t(times.size() / 2), times.end());
    return times[times.size() / 2];
}

struct EngineRun {
    std::vector<double> time_at;  // seconds after cut j + 1
    double relative_error = 1.0;
    std::uint64_t floats_streamed = 0;
};

EngineRun run_engine(const Tensor& input, std::size_t width, DecomposeOptions options) {
    options.stop = StopRule{};
    options.stop.width = width;
    EngineRun run;
    const auto start = Clock::now();
    Decomposer decomposer(input, options);
    decomposer.run([&](const Decomposer&) { run.time_at.push_back(seconds_since(start)); });
    run.relative_error = decomposer.decomposition().relative_error(decomposer.decomposition().width());
    run.floats_streamed = decomposer.floats_streamed();
    return run;
}

Shape parse_shape(const QString& text) {
    Shape shape;
    for (const QString& part : text.split('x')) {
        bool ok = false;
        const qulonglong n = part.toULongLong(&ok);
        if (!ok || n == 0) throw UsageError(("bad size '" + text + "' (use N or ROWSxCOLS)").toStdString());
        shape.push_back(std::size_t(n));
    }
    if (shape.size() == 1) shape.push_back(shape.front());
    return shape;
}

}  // namespace

int bench_command(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Times the signed cut engine beside Eigen's dense float GEMV on the same matrix (one full read\n"
        "of it: the roofline unit), the engine's scalar single-thread path and the straightforward\n"
        "dense implementation (one Eigen GEMV per half-step), all in one run.");
    parser.addOptions({
        {"size", "N for an N×N N(0,1) matrix, or ROWSxCOLS (default 1024).", "N", "1024"},
        {"input", "Benchmark on this file instead (e.g. the cat photo).", "FILE"},
        {"width", "Cuts to time (default: the width whose storage equals a bf16 copy).", "W"},
        {"threads", "Engine threads (default: all cores).", "T", "0"},
        {"compare-width", "Cuts timed for the scalar and straightforward runs (default min(W, 200)).", "K"},
        {"seed", "Seed of the matrix and of the cuts (default 1).", "S", "1"},
        {"json", "Print one JSON object."},
    });
    if (!parse_or_throw(parser, arguments)) return 0;

    const std::uint64_t seed = parse_count(parser, "seed");
    const Tensor input = parser.isSet("input") ? load_input(parser.value("input").toStdString()).tensor
                                               : gaussian_tensor(parse_shape(parser.value("size")), seed);
    DecomposeOptions options;
    options.seed = seed;
    options.threads = int(parse_count(parser, "threads"));
    const std::size_t width =
        parser.isSet("width") ? parse_count(parser, "width") : width_limit(input.shape(), DecomposeOptions{});
    const std::size_t compare = std::min(width, parser.isSet("compare-width") ? parse_count(parser, "compare-width")
                                                                              : std::size_t(200));
    if (width == 0 || compare == 0) throw UsageError("--width and --compare-width must be positive");

    const double gemv = gemv_seconds(input);
    const EngineRun engine = run_engine(input, width, options);
    const std::size_t done = engine.time_at.size();
    if (done == 0) throw std::runtime_error("the engine found no cut (a zero input?)");
    const double seconds_per_cut = engine.time_at.back() / double(done);
    const double bytes_per_cut = 4.0 * double(engine.floats_streamed) / double(done);
    const std::size_t prefix = std::min(compare, done);
    const double engine_prefix = engine.time_at[prefix - 1];

    DecomposeOptions scalar = options;
    scalar.threads = 1;
    scalar.kernels = &scalar_kernels();
    const EngineRun scalar_run = run_engine(input, prefix, scalar);
    const double speedup_vs_scalar = scalar_run.time_at.back() / engine_prefix;

    QJsonObject result{
        {"size", QString::fromStdString(shape_to_string(input.shape()))},
        {"width", qint64(done)},
        {"threads", options.threads},
        {"kernels", QString::fromUtf8(isa_name(active_kernels().isa))},
        {"seconds", engine.time_at.back()},
        {"seconds_per_cut", seconds_per_cut},
        {"cuts_per_second", 1.0 / seconds_per_cut},
        {"bytes_per_cut", bytes_per_cut},
        {"gb_per_second", bytes_per_cut / seconds_per_cut * 1e-9},
        {"gemv_seconds", gemv},
        {"gemv_gb_per_second", 4.0 * double(input.size()) / gemv * 1e-9},
        {"ratio_vs_gemv", seconds_per_cut / gemv},
        {"relative_error", engine.relative_error},
        {"compare_width", qint64(prefix)},
        {"speedup_vs_scalar", speedup_vs_scalar},
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
    print_line(QString("matrix            %1, %2 cuts, %3 kernels").arg(result["size"].toString(), number("width"),
                                                                           result["kernels"].toString()));
    print_line(QString("engine            %1 ms per cut (%2 cuts/s), %3 MB of R per cut, %4 GB/s")
                   .arg(seconds_per_cut * 1e3, 0, 'g', 4)
                   .arg(number("cuts_per_second"))
                   .arg(bytes_per_cut * 1e-6, 0, 'g', 4)
                   .arg(number("gb_per_second", 3)));
    print_line(QString("Eigen GEMV        %1 ms per pass (%2 GB/s, one thread)").arg(gemv * 1e3, 0, 'g', 4).arg(number("gemv_gb_per_second", 3)));
    print_line(QString("ratio vs GEMV     %1 (engine seconds per cut / GEMV seconds)").arg(number("ratio_vs_gemv", 3)));
    print_line(QString("vs scalar, 1 thr  %1× faster over the first %2 cuts").arg(number("speedup_vs_scalar", 3)).arg(prefix));
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
