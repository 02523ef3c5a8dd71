// signcut-cli compress-model IN … --out OUT.scdz [--shard K/N | --merge-only], expand-model
// IN.scdz --out OUT.safetensors|DIR/, and the summary of a .scdz file (signcut-cli info FILE.scdz).
#include <unistd.h>

#include <QJsonArray>

#include <cstdio>
#include <string>

#include "cli/cli_support.h"
#include "cli/commands.h"
#include "methods/method.h"
#include "model/compression_plan.h"
#include "model/model_compression.h"
#include "model/model_expansion.h"
#include "model/model_report.h"
#include "model/model_summary.h"

namespace signcut::cli {
namespace {

QString duration(double seconds) {
    const auto s = qint64(seconds + 0.5);
    return s >= 3600 ? QString("%1h%2m").arg(s / 3600).arg(s % 3600 / 60, 2, 10, QChar('0'))
                     : QString("%1m%2s").arg(s / 60).arg(s % 60, 2, 10, QChar('0'));
}

// Tensors done, bytes, elapsed time and ETA on stderr, when it is a terminal (one line redrawn
// in place) or when asked (--progress: in a log, one line per finished tensor, prefixed with
// the shard); nothing otherwise, as other command-line tools do.
std::function<void(const ModelProgress&)> progress_printer(const QString& shard, bool asked) {
    const bool terminal = ::isatty(STDERR_FILENO);
    if (!terminal && !asked) return {};
    return [terminal, shard](const ModelProgress& p) {
        const double fraction = p.bytes_total ? double(p.bytes_done) / double(p.bytes_total) : 1.0;
        const QString eta = fraction > 0 && p.seconds > 0 ? duration(p.seconds * (1 - fraction) / fraction) : "?";
        const QString prefix = shard.isEmpty() ? QString() : "shard " + shard + ": ";
        const QString counts = QString("%1/%2 tensors  %3/%4 MB  %5 elapsed  ETA %6")
                                   .arg(p.tensors_done)
                                   .arg(p.tensors_total)
                                   .arg(double(p.bytes_done) * 1e-6, 0, 'f', 1)
                                   .arg(double(p.bytes_total) * 1e-6, 0, 'f', 1)
                                   .arg(duration(p.seconds), eta);
        if (terminal) {
            const int filled = int(fraction * 30);
            std::fprintf(stderr, "\r%s[%s%s] %s ", qPrintable(prefix), std::string(std::size_t(filled), '#').c_str(),
                         std::string(std::size_t(30 - filled), '.').c_str(), qPrintable(counts));
            if (p.tensors_done == p.tensors_total) std::fputc('\n', stderr);
        } else {
            std::fprintf(stderr, "%s%s\n", qPrintable(prefix), qPrintable(counts));
        }
        std::fflush(stderr);
    };
}

QJsonObject summary_json(const ModelSummary& s) {
    QJsonArray edges, counts, worst;
    for (double e : s.bin_edges) edges.append(e);
    for (std::size_t c : s.bin_counts) counts.append(qint64(c));
    for (const TensorReport& r : s.worst)
        worst.append(QJsonObject{{"name", QString::fromStdString(r.name)}, {"relative_error", r.relative_error}});
    QJsonObject methods;
    for (const auto& [method, count] : s.methods) methods[QString::fromStdString(method)] = qint64(count);
    return {{"decomposed", qint64(s.decomposed)},
            {"kept", qint64(s.kept)},
            {"methods", methods},
            {"stored_bytes", qint64(s.stored_bytes)},
            {"bf16_bytes", qint64(s.bf16_bytes)},
            {"fraction_of_bf16", s.bf16_bytes ? double(s.stored_bytes) / double(s.bf16_bytes) : 0.0},
            {"mean_bits_per_entry", s.mean_bits_per_entry},
            {"median_relative_error", s.median_error},
            {"max_relative_error", s.max_error},
            {"histogram_edges", edges},
            {"histogram_counts", counts},
            {"worst", worst}};
}

}  // namespace

// Every tensor's report row (for_each_report_field), for --json.
QJsonArray tensor_rows(const std::vector<TensorReport>& reports) {
    QJsonArray rows;
    for (const TensorReport& r : reports) {
        QJsonObject row;
        for_each_report_field(r, [&](const char* key, const auto& value, bool of_decomposition) {
            if (!r.decomposed && of_decomposition) return;
            using Value = std::decay_t<decltype(value)>;
            if constexpr (std::is_same_v<Value, std::string>) row[key] = QString::fromStdString(value);
            else if constexpr (std::is_same_v<Value, Shape>) {
                QJsonArray shape;
                for (std::size_t n : value) shape.append(qint64(n));
                row[key] = shape;
            } else if constexpr (std::is_same_v<Value, bool>) row[key] = value;
            else row[key] = double(value);
        });
        rows.append(row);
    }
    return rows;
}

QString storable_methods_help() { return QString::fromStdString(joined_names(storable_method_names())); }

int compress_model_command(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Stores every 2-D float tensor of a checkpoint (and higher-order ones, their axes of size 1 dropped,\n"
        "flattened as --flatten says) by --method at the given budget; 1-D tensors (norms, biases), integer\n"
        "tensors, those filtered out and those no method can store at their budget (the report says why)\n"
        "are kept as they are. IN is a .safetensors file, a Hugging Face *.safetensors.index.json\n"
        "with its shards, or a folder holding either. Tensors run in parallel within --memory-limit.\n"
        "Finished tensors are saved in OUT.scdz.parts/ as they complete: run the same command again after\n"
        "an interruption and it resumes there. OUT.scdz appears only when everything is done.\n"
        "With --shard K/N, N processes (e.g. a Slurm job array) each compute their share into\n"
        "OUT.scdz.parts/ on a shared filesystem; then --merge-only assembles OUT.scdz.\n"
        "--allocate global shares one budget among the tensors: from each tensor's error against its bits it\n"
        "gives each the budget that minimises the sum of squared relative errors (each tensor counted once,\n"
        "or by its entries with --weighting entries); small tensors then get many bits for little of the\n"
        "budget. The DBF paper sets per-layer ratios from activation statistics; this tool sees only the\n"
        "weights (data-free), so the relative error stands in for them. The plan is computed once and kept\n"
        "in OUT.scdz.parts/job.json, which --shard, a resumed run and --merge-only reuse.");
    parser.addPositionalArgument("IN", "the checkpoint: FILE.safetensors, *.safetensors.index.json or a folder");
    parser.addOptions({
        {"bits-per-entry",
         "Budget per tensor in bits per entry, everything stored included (with --allocate global: of the "
         "whole checkpoint).",
         "B"},
        {"fraction-of-bf16", "Budget as a fraction of a bf16 copy (0.5 = 8 bits per entry).", "F"},
        {"method",
         "How tensors are stored: " + storable_methods_help() +
             " (signcut-cli compare --help describes them; scd, signed cuts, is the default), or best: every one\n"
             "of them on each tensor, the lowest error kept (the report names the runner-up and its error).",
         "METHOD", "scd"},
        {"allocate", "uniform (the budget for every tensor, default) or global (the budget of the whole checkpoint).",
         "RULE", "uniform"},
        {"weighting",
         "--allocate global minimises the sum of squared relative errors over tensors (default) or\n"
         "weighted by their entries.",
         "tensors|entries", "tensors"},
        {"include", "Only tensors whose name matches this regular expression.", "REGEX"},
        {"exclude", "Not the tensors whose name matches this regular expression.", "REGEX"},
        {"flatten",
         "Tensors of order > 2, once their axes of size 1 are dropped: first (n0 x rest, default), last\n"
         "(rest x n_last) or tensor (scd only; other methods take n0 x rest).",
         "RULE", "first"},
        {"memory-limit", "Memory for the tensors in flight, in MiB (default 4096).", "MIB", "4096"},
        {"seed", "Seed (default 1).", "S", "1"},
        {"outliers", "scd: entries kept apart from the cuts, auto (default), 0 (none) or a count K per tensor.",
         "auto|0|K", "auto"},
        {"threads", "Threads (default: all cores).", "N", "0"},
        {"out", "The .scdz file to write.", "OUT.scdz"},
        {"shard", "Compute only share K of N (0 <= K < N) into OUT.scdz.parts/; assemble nothing.", "K/N"},
        {"merge-only", "Compute nothing: assemble OUT.scdz from the finished parts (exit 1 listing missing ones)."},
        {"report", "Also write the per-tensor report (of this shard's tensors with --shard), CSV or JSON by extension.",
         "FILE.csv|FILE.json"},
        {"json", "Print the summary as JSON."},
        {"progress", "Progress lines on stderr even when it is not a terminal (e.g. in a batch job's log)."},
    });
    if (!parse_or_throw(parser, arguments)) return 0;
    const QString input = single_positional(parser, "IN");
    if (!parser.isSet("out")) throw UsageError("--out OUT.scdz is required");
    if (parser.isSet("shard") && parser.isSet("merge-only"))
        throw UsageError("--shard and --merge-only exclude each other");
    if (parser.isSet("bits-per-entry") == parser.isSet("fraction-of-bf16"))
        throw UsageError("give exactly one of --bits-per-entry and --fraction-of-bf16");
    ModelCompressionOptions options;
    options.bits_per_entry = parser.isSet("bits-per-entry") ? parse_double(parser, "bits-per-entry")
                                                            : 16.0 * parse_double(parser, "fraction-of-bf16");
    options.method = parser.value("method").toStdString();
    try {
        methods_to_try(options.method);
    } catch (const std::invalid_argument& error) {
        throw UsageError(std::string("--method: ") + error.what());
    }
    const auto allocate = parse_enum<BudgetAllocation>(parser.value("allocate").toStdString());
    if (!allocate) throw UsageError("--allocate takes " + enum_choices<BudgetAllocation>());
    options.allocate = *allocate;
    const auto weighting = parse_enum<ErrorWeighting>(parser.value("weighting").toStdString());
    if (!weighting) throw UsageError("--weighting takes " + enum_choices<ErrorWeighting>());
    options.weighting = *weighting;
    options.include = parser.value("include").toStdString();
    options.exclude = parser.value("exclude").toStdString();
    const auto flatten = parse_enum<FlattenRule>(parser.value("flatten").toStdString());
    if (!flatten) throw UsageError("--flatten takes " + enum_choices<FlattenRule>());
    options.flatten = *flatten;
    options.memory_limit_bytes = std::uint64_t(parse_count(parser, "memory-limit")) << 20;
    options.seed = parse_count(parser, "seed");
    options.outliers = parse_outliers(parser);
    options.threads = int(parse_count(parser, "threads"));
    if (parser.isSet("shard")) {
        try {
            options.shard = parse_shard_spec(parser.value("shard").toStdString());
        } catch (const std::invalid_argument& error) {
            throw UsageError(std::string("--shard: ") + error.what());
        }
    }
    options.merge_only = parser.isSet("merge-only");
    const QString report = parser.value("report");
    if (!report.isEmpty() && !report.endsWith(".csv") && !report.endsWith(".json"))
        throw UsageError("--report takes a .csv or .json file");
    const std::vector<TensorReport> reports =
        compress_model(input.toStdString(), parser.value("out").toStdString(), options,
                       progress_printer(options.shard ? QString::fromStdString(options.shard->label()) : QString(),
                                        parser.isSet("progress")));
    if (report.endsWith(".json")) write_report_json(report.toStdString(), reports);
    else if (!report.isEmpty()) write_report_csv(report.toStdString(), reports);
    std::size_t resumed = 0;
    for (const TensorReport& r : reports) resumed += r.resumed;
    if (options.shard) {
        print_line(QString("shard %1: %2 tensors in %3.parts (%4 finished by an earlier run)")
                       .arg(QString::fromStdString(options.shard->label()))
                       .arg(reports.size())
                       .arg(parser.value("out"))
                       .arg(resumed));
        return 0;
    }
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
        "Writes the reconstructed checkpoint of a .scdz file as .safetensors, with the same tensor names,\n"
        "shapes and metadata. Decomposed tensors are written in --dtype (default: their original dtype);\n"
        "the tensors kept as they were are copied byte for byte. An --out that does not end in\n"
        ".safetensors is a folder: Hugging Face shards model-0000k-of-0000n.safetensors of at most\n"
        "--max-shard-size each and model.safetensors.index.json.");
    parser.addPositionalArgument("IN.scdz", "a compressed checkpoint");
    parser.addOptions({
        {"out", "The .safetensors file or the folder to write.", "OUT.safetensors|DIR/"},
        {"dtype", "bf16, f16 or f32 for the reconstructed tensors.", "DTYPE"},
        {"max-shard-size", "Folder output: tensor bytes per shard at most (default 5GB; e.g. 500MB, 2GiB).", "SIZE",
         "5GB"},
    });
    if (!parse_or_throw(parser, arguments)) return 0;
    const QString input = single_positional(parser, "IN.scdz");
    if (!parser.isSet("out")) throw UsageError("--out OUT.safetensors is required");
    std::string dtype;
    try {
        dtype = expansion_dtype(parser.value("dtype").toStdString());
    } catch (const std::invalid_argument& error) {
        throw UsageError(std::string("--") + error.what());
    }
    const QString out = parser.value("out");
    if (out.endsWith(".safetensors")) {
        if (parser.isSet("max-shard-size")) throw UsageError("--max-shard-size is for a folder --out");
        expand_model(input.toStdString(), out.toStdString(), dtype);
        print_line("wrote " + out);
        return 0;
    }
    std::uint64_t max_shard_bytes = 0;
    try {
        max_shard_bytes = parse_byte_size(parser.value("max-shard-size").toStdString());
    } catch (const std::invalid_argument& error) {
        throw UsageError(std::string("--max-shard-size: ") + error.what());
    }
    expand_model_to_folder(input.toStdString(), out.toStdString(), dtype, max_shard_bytes);
    print_line("wrote " + out + " (shards and model.safetensors.index.json)");
    return 0;
}

int model_info_command(const QString& path, bool json) {
    const std::vector<TensorReport> reports = scdz_reports(path.toStdString());
    const ModelSummary summary = summarize_model(reports);
    if (json) {
        QJsonObject object = summary_json(summary);
        object["tensors"] = tensor_rows(reports);
        print_json(object);
        return 0;
    }
    std::fputs(summary_text(summary).c_str(), stdout);
    std::fputs(("every tensor\n" + tensor_table_text(reports)).c_str(), stdout);
    return 0;
}

}  // namespace signcut::cli
