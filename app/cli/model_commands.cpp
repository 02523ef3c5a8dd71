// signcut-cli compress-model IN.safetensors … --out OUT.scdz, expand-model IN.scdz --out
// OUT.safetensors, and the summary of a .scdz file (signcut-cli info FILE.scdz).
#include <unistd.h>

#include <QJsonArray>

#include <cstdio>
#include <string>

#include "cli/cli_support.h"
#include "cli/commands.h"
#include "model/model_compression.h"
#include "model/model_summary.h"

namespace signcut::cli {
namespace {

QString duration(double seconds) {
    const auto s = qint64(seconds + 0.5);
    return s >= 3600 ? QString("%1h%2m").arg(s / 3600).arg(s % 3600 / 60, 2, 10, QChar('0'))
                     : QString("%1m%2s").arg(s / 60).arg(s % 60, 2, 10, QChar('0'));
}

// One line on the terminal, redrawn in place: tensors done, bytes, elapsed time and ETA.
void draw_progress(const ModelProgress& p) {
    const double fraction = p.bytes_total ? double(p.bytes_done) / double(p.bytes_total) : 1.0;
    const int filled = int(fraction * 30);
    const QString eta = fraction > 0 && p.seconds > 0 ? duration(p.seconds * (1 - fraction) / fraction) : "?";
    std::fprintf(stderr, "\r[%s%s] %zu/%zu tensors  %.1f/%.1f MB  %s elapsed  ETA %s ",
                 std::string(std::size_t(filled), '#').c_str(), std::string(std::size_t(30 - filled), '.').c_str(),
                 p.tensors_done, p.tensors_total, double(p.bytes_done) * 1e-6, double(p.bytes_total) * 1e-6,
                 qPrintable(duration(p.seconds)), qPrintable(eta));
    if (p.tensors_done == p.tensors_total) std::fputc('\n', stderr);
    std::fflush(stderr);
}

QJsonObject summary_json(const ModelSummary& s) {
    QJsonArray edges, counts, worst;
    for (double e : s.bin_edges) edges.append(e);
    for (std::size_t c : s.bin_counts) counts.append(qint64(c));
    for (const TensorReport& r : s.worst)
        worst.append(QJsonObject{{"name", QString::fromStdString(r.name)}, {"relative_error", r.relative_error}});
    return {{"decomposed", qint64(s.decomposed)}, {"kept", qint64(s.kept)},
            {"stored_bytes", qint64(s.stored_bytes)}, {"bf16_bytes", qint64(s.bf16_bytes)},
            {"fraction_of_bf16", s.bf16_bytes ? double(s.stored_bytes) / double(s.bf16_bytes) : 0.0},
            {"mean_bits_per_entry", s.mean_bits_per_entry}, {"median_relative_error", s.median_error},
            {"max_relative_error", s.max_error}, {"histogram_edges", edges}, {"histogram_counts", counts},
            {"worst", worst}};
}

}  // namespace

int compress_model_command(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Decomposes every 2-D float tensor of a .safetensors checkpoint (and higher-order ones, flattened\n"
        "as --flatten says) into signed cuts at the given budget; 1-D tensors (norms, biases), integer\n"
        "tensors and those filtered out are kept as they are. Tensors run in parallel within --memory-limit.\n"
        "Finished tensors are saved in OUT.scdz.parts/ as they complete: run the same command again after\n"
        "an interruption and it resumes there. OUT.scdz appears only when everything is done.");
    parser.addPositionalArgument("IN.safetensors", "the checkpoint");
    parser.addOptions({
        {"bits-per-entry", "Budget per tensor in bits per entry, headers included.", "B"},
        {"fraction-of-bf16", "Budget as a fraction of a bf16 copy (0.5 = 8 bits per entry).", "F"},
        {"include", "Only tensors whose name matches this regular expression.", "REGEX"},
        {"exclude", "Not the tensors whose name matches this regular expression.", "REGEX"},
        {"flatten", "Tensors of order > 2: first (n0 x rest, default), last (rest x n_last) or tensor.", "RULE", "first"},
        {"memory-limit", "Memory for the tensors in flight, in MiB (default 4096).", "MIB", "4096"},
        {"seed", "Seed (default 1).", "S", "1"},
        {"threads", "Threads (default: all cores).", "N", "0"},
        {"out", "The .scdz file to write.", "OUT.scdz"},
        {"report", "Also write the per-tensor report as CSV.", "FILE.csv"},
        {"json", "Print the summary as JSON."},
    });
    if (!parse_or_throw(parser, arguments)) return 0;
    const QString input = single_positional(parser, "IN.safetensors");
    if (!parser.isSet("out")) throw UsageError("--out OUT.scdz is required");
    if (parser.isSet("bits-per-entry") == parser.isSet("fraction-of-bf16"))
        throw UsageError("give exactly one of --bits-per-entry and --fraction-of-bf16");
    ModelCompressionOptions options;
    options.bits_per_entry = parser.isSet("bits-per-entry") ? parse_double(parser, "bits-per-entry")
                                                            : 16.0 * parse_double(parser, "fraction-of-bf16");
    options.include = parser.value("include").toStdString();
    options.exclude = parser.value("exclude").toStdString();
    const QString flatten = parser.value("flatten");
    if (flatten == "first") options.flatten = FlattenRule::first;
    else if (flatten == "last") options.flatten = FlattenRule::last;
    else if (flatten == "tensor") options.flatten = FlattenRule::tensor;
    else throw UsageError("--flatten takes first, last or tensor");
    options.memory_limit_bytes = std::uint64_t(parse_count(parser, "memory-limit")) << 20;
    options.seed = parse_count(parser, "seed");
    options.threads = int(parse_count(parser, "threads"));
    const bool terminal = ::isatty(STDERR_FILENO);
    const std::vector<TensorReport> reports =
        compress_model(input.toStdString(), parser.value("out").toStdString(), options,
                       terminal ? std::function<void(const ModelProgress&)>(draw_progress) : nullptr);
    if (parser.isSet("report")) write_report_csv(parser.value("report").toStdString(), reports);
    std::size_t resumed = 0;
    for (const TensorReport& r : reports) resumed += r.resumed;
    const ModelSummary summary = summarize_model(reports);
    if (parser.isSet("json")) {
        QJsonObject object = summary_json(summary);
        object["resumed"] = qint64(resumed);
        print_json(object);
    } else {
        print_line(QString("wrote %1 (%2 tensors finished by an earlier run)").arg(parser.value("out")).arg(resumed));
        std::fputs(summary_text(summary).c_str(), stdout);
    }
    return 0;
}

int expand_model_command(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Writes the reconstructed checkpoint of a .scdz file as .safetensors, with the same tensor names\n"
        "and metadata. Decomposed tensors are written in --dtype (default: their original dtype); the\n"
        "tensors kept as they were are copied byte for byte.");
    parser.addPositionalArgument("IN.scdz", "a compressed checkpoint");
    parser.addOptions({
        {"out", "The .safetensors file to write.", "OUT.safetensors"},
        {"dtype", "bf16, f16 or f32 for the reconstructed tensors.", "DTYPE"},
    });
    if (!parse_or_throw(parser, arguments)) return 0;
    const QString input = single_positional(parser, "IN.scdz");
    if (!parser.isSet("out")) throw UsageError("--out OUT.safetensors is required");
    std::string dtype = parser.value("dtype").toUpper().toStdString();
    if (!dtype.empty() && dtype != "BF16" && dtype != "F16" && dtype != "F32") throw UsageError("--dtype takes bf16, f16 or f32");
    expand_model(input.toStdString(), parser.value("out").toStdString(), dtype);
    print_line("wrote " + parser.value("out"));
    return 0;
}

int model_info_command(const QString& path, bool json) {
    const ModelSummary summary = summarize_model(scdz_reports(path.toStdString()));
    if (json) print_json(summary_json(summary));
    else std::fputs(summary_text(summary).c_str(), stdout);
    return 0;
}

}  // namespace signcut::cli
