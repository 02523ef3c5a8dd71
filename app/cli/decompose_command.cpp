// signcut-cli decompose INPUT [--width W | --bits-per-entry B | --target-error E] ...
#include <QElapsedTimer>
#include <QJsonArray>

#include <unistd.h>

#include <cmath>
#include <cstdio>

#include "cli/cli_support.h"
#include "cli/commands.h"
#include "io/curve_file.h"
#include "io/load_input.h"
#include "io/scd_file.h"
#include "scd/decomposer.h"

namespace signcut::cli {
namespace {

CoeffPrecision parse_precision(const QString& name) {
    try {
        return signcut::parse_precision(name.toStdString());
    } catch (const std::invalid_argument& error) {
        throw UsageError(std::string("--") + error.what());
    }
}

// A one-line progress display on stderr, redrawn at most 10 times a second.
class ProgressLine {
public:
    explicit ProgressLine(bool enabled) : enabled_(enabled) { timer_.start(); }
    void update(const Progress& p) {
        if (!enabled_ || timer_.elapsed() < next_ms_) return;
        next_ms_ = timer_.elapsed() + 100;
        std::fprintf(stderr, "\r%5.1f%%  width %zu  relative error %.5f ", 100.0 * p.fraction, p.width,
                     p.relative_error);
        std::fflush(stderr);
    }
    void finish() {
        if (enabled_) std::fputs("\r\033[K", stderr);
    }

private:
    bool enabled_;
    QElapsedTimer timer_;
    qint64 next_ms_ = 0;
};

}  // namespace

int decompose_command(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Greedy signed cut decomposition A ≈ Σ c_j x_j ⊗ y_j (⊗ …) of an image (png, jpg, bmp, tiff),\n"
        ".npy array or .csv matrix. Without a stop rule it stops at the width whose storage equals a\n"
        "bf16 copy. Stop rules combine: the first one reached wins.");
    parser.addPositionalArgument("INPUT", "image, .npy or .csv file");
    parser.addOptions({
        {"width", "Stop after W cuts.", "W"},
        {"bits-per-entry", "Stop at B bits per entry of storage (headers included).", "B"},
        {"target-error", "Stop when ‖A − Â‖/‖A‖ ≤ E (capped at the f32-equal width).", "E"},
        {"seed", "Random seed of the sign initialisation (default 1).", "S", "1"},
        {"threads", "Worker threads (default: all cores).", "N", "0"},
        {"memory",
         "How often the residual is kept: fast (twice, row-major and transposed), low (once: half the memory, "
         "the same cuts, slower) or auto (default: fast if it fits under the memory limit, else low).",
         "auto|fast|low", "auto"},
        {"precision", "Coefficient storage: f32 (default), f16 or bf16.", "P", "f32"},
        {"outliers",
         "Entries kept apart from the cuts, stored exactly: auto (default; each entry that buys more error per bit "
         "than a cut), 0 (none: the plain algorithm) or a count K (the K largest, before cutting).",
         "auto|0|K", "auto"},
        {"max-iterations", "Alternation sweeps per cut at most (default 100).", "K", "100"},
        {"out", "Save the decomposition as .scd.", "FILE.scd"},
        {"recon", "Save the reconstruction (.png for images, .npy, .csv).", "FILE"},
        {"curve", "Save relative error against width as CSV.", "FILE.csv"},
        {"non-finite", "NaN or infinite entries: reject (default) or zero (replace them by 0, with a note).", "HOW",
         "reject"},
        {"json", "Print one JSON object instead of text."},
    });
    if (!parse_or_throw(parser, arguments)) return 0;
    const QString input_path = single_positional(parser, "INPUT");
    const QString non_finite = parser.value("non-finite");
    if (non_finite != "reject" && non_finite != "zero") throw UsageError("--non-finite takes reject or zero");

    DecomposeOptions options;
    if (parser.isSet("width")) options.stop.width = parse_count(parser, "width");
    if (parser.isSet("bits-per-entry")) options.stop.bits_per_entry = parse_double(parser, "bits-per-entry");
    if (parser.isSet("target-error")) options.stop.target_relative_error = parse_double(parser, "target-error");
    options.seed = parse_count(parser, "seed");
    options.threads = int(parse_count(parser, "threads"));
    options.memory = parse_engine_memory(parser);
    options.max_iterations = int(parse_count(parser, "max-iterations"));
    options.precision = parse_precision(parser.value("precision"));
    options.outliers = parse_outliers(parser);
    const bool json = parser.isSet("json");

    LoadedInput input = load_input(input_path.toStdString());
    if (non_finite == "zero")
        if (const std::size_t replaced = replace_non_finite(input.tensor, 0.0f))
            input.notes.push_back(std::to_string(replaced) + " NaN or infinite entries replaced by 0");
    for (const std::string& note : input.notes) std::fprintf(stderr, "signcut-cli decompose: note: %s\n", note.c_str());

    const EngineMemory memory = engine_memory(input.tensor.shape(), options);
    QElapsedTimer timer;
    timer.start();
    Decomposer decomposer(std::move(input.tensor), options);  // the input becomes the residual: no copy
    ProgressLine progress(!json && ::isatty(STDERR_FILENO));
    const StopReason reason = decomposer.run([&](const Decomposer& d) { progress.update(d.progress()); });
    progress.finish();
    const double seconds = double(timer.nsecsElapsed()) * 1e-9;

    const Decomposition& d = decomposer.decomposition();
    const std::size_t w = d.width();
    // Measured on the residual itself, not on the energy identity.
    const double input_norm = d.input_squared_norm();
    const double error = input_norm > 0 ? std::sqrt(decomposer.measure_residual_squared_norm() / input_norm) : 0.0;

    if (parser.isSet("out")) write_scd(parser.value("out").toStdString(), d);
    if (parser.isSet("recon")) save_output(parser.value("recon").toStdString(), d.reconstruct(w));
    if (parser.isSet("curve"))
        write_error_curve(parser.value("curve").toStdString(),
                          {w, d.entries(), [&](std::size_t v) { return d.stored_bytes(v); },
                           [&](std::size_t v) { return d.relative_error(v); }});

    const double entries = double(d.entries());
    if (json) {
        QJsonArray shape;
        for (std::size_t n : d.shape()) shape.append(qint64(n));
        print_json({
            {"input", input_path},
            {"shape", shape},
            {"width", qint64(w)},
            {"bytes", qint64(d.stored_bytes(w))},
            {"bits_per_entry", d.bits_per_entry(w)},
            {"relative_error", error},
            {"seconds", seconds},
            {"cuts_per_second", seconds > 0 ? double(w) / seconds : 0.0},
            {"stop_reason", stop_reason_name(reason)},
            {"seed", qint64(options.seed)},
            {"precision", precision_name(options.precision)},
            {"outliers", qint64(d.outlier_count(w))},
            {"kernels", QString::fromUtf8(isa_name(active_kernels().isa))},
            {"memory", QString::fromUtf8(to_string(memory))},
        });
        return 0;
    }
    print_line(QString("input           %1 (%2)").arg(input_path, QString::fromStdString(shape_to_string(d.shape()))));
    print_line(QString("width           %1 cuts (stopped: %2)").arg(w).arg(stop_reason_name(reason)));
    print_line(QString("stored size     %1 bytes = %2 bits per entry (f32 copy %3 bytes, bf16 copy %4 bytes)")
                   .arg(d.stored_bytes(w))
                   .arg(d.bits_per_entry(w), 0, 'f', 3)
                   .arg(qint64(entries * 4))
                   .arg(qint64(entries * 2)));
    print_line(QString("relative error  %1").arg(error, 0, 'g', 6));
    print_line(QString("outliers apart  %1").arg(QString::fromStdString(describe_outliers({&d, 1}, w))));
    print_line(QString("time            %1 s (%2 cuts/s, %3 kernels)")
                   .arg(seconds, 0, 'f', 2)
                   .arg(seconds > 0 ? double(w) / seconds : 0.0, 0, 'f', 0)
                   .arg(QString::fromUtf8(isa_name(active_kernels().isa))));
    return 0;
}

}  // namespace signcut::cli
