// signcut-cli compare INPUT --bits 1,2,4,8,16 [--methods ...] [--curves] [--json|--csv]: every
// method at every budget on the same data, with the rate–distortion floors beside them.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "cli/cli_support.h"
#include "cli/commands.h"
#include "io/load_input.h"
#include "methods/comparison.h"

namespace signcut::cli {
namespace {

QJsonObject json_row(const ComparisonRow& row) {
    QJsonObject object;
    for_each_row_field(row, [&](std::string_view key, const RowValue& value) {
        const QString name = QString::fromUtf8(key.data(), qsizetype(key.size()));
        if (const double* number = std::get_if<double>(&value)) object[name] = *number;
        else if (const std::string* text = std::get_if<std::string>(&value)) object[name] = QString::fromStdString(*text);
        else object[name] = QJsonValue::Null;
    });
    return object;
}

QString csv_field(QString text) {
    return text.contains(',') || text.contains('"') ? '"' + text.replace('"', "\"\"") + '"' : text;
}

}  // namespace

int compare_command(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Approximates INPUT with every method at every bit budget (bits per entry, headers and scales\n"
        "included) and prints one row per (method, budget), then the Gaussian rate-distortion floors:\n"
        "bound-iid (2^-R), bound-waterfilling (reverse water-filling over the column covariance) and\n"
        "bound-universal (water-filling at R - 0.11 bit: the universal codebook's guarantee).\n"
        "bits_above_iid_floor = bits_per_entry + log2(relative_error): the bits a method spends beyond\n"
        "what the i.i.d. Gaussian floor needs for the same error (below 0 on data with structure).\n"
        "A method that cannot meet a budget says so in `note` instead of using more bits.\n"
        "On pictures (height x width (x 3), values in [0, 1] or [0, 255]) each row also has psnr_db =\n"
        "10 log10(L^2 / MSE) over every entry (L = 1 or 255, the data range) and ssim (Wang et al. 2004:\n"
        "11x11 Gaussian window, sigma 1.5, K1 0.01, K2 0.03, on BT.601 luminance, valid positions only);\n"
        "psnr_db is \"inf\" for an exact copy (ssim 1), both are null (-) on other data. jpeg, webp and png\n"
        "code pictures only.");
    parser.addPositionalArgument("INPUT", "image, .npy or .csv file");
    QStringList names, described;
    for (const MethodInfo& method : method_registry()) {
        names << QString::fromUtf8(method.name.data(), qsizetype(method.name.size()));
        described << "  " + names.back().leftJustified(10) +
                         QString::fromUtf8(method.description.data(), qsizetype(method.description.size()));
    }
    parser.setApplicationDescription(parser.applicationDescription() + "\n\nMethods:\n" + described.join('\n'));
    parser.addOptions({
        {"bits", "Budgets in bits per entry (default 1,2,4,8,16).", "LIST", "1,2,4,8,16"},
        {"methods", "Methods to run (default all: " + names.join(',') + ").", "LIST", names.join(',')},
        {"curves",
         "Also run every method at 4 budgets per octave over the range of --bits (its rate-distortion "
         "curve); those rows have point = curve."},
        {"seed", "Seed for the randomised methods (default 1).", "S", "1"},
        {"group-size",
         "rtn: entries per group of a row with its own scale and zero point (default 0: one group "
         "per row; LLM quantisers use 128).",
         "G", "0"},
        {"dbf-iterations", "dbf: outer iterations (default 0: the authors' count).", "N", "0"},
        {"tcq-state-bits", "tcq: L, the trellis has 2^L states (default 12).", "L", "12"},
        {"outliers", "scd, scd-refit: entries kept apart from the cuts, auto (default), 0 (none) or a count K.",
         "auto|0|K", "auto"},
        {"json", "Print a JSON array of objects."},
        {"csv", "Print CSV."},
    });
    if (!parse_or_throw(parser, arguments)) return 0;
    const QString path = single_positional(parser, "INPUT");
    ComparisonRequest request;
    request.budgets = parse_budgets(parser.value("bits"));
    for (const QString& m : parser.value("methods").split(',', Qt::SkipEmptyParts)) {
        if (!names.contains(m))
            throw UsageError(("unknown method '" + m + "' (known: " + names.join(',') + ")").toStdString());
        request.methods.push_back(m.toStdString());
    }
    request.curves = parser.isSet("curves");
    MethodOptions& options = request.options;
    options.seed = parse_count(parser, "seed");
    options.group_size = parse_count(parser, "group-size");
    options.dbf_iterations = int(parse_count(parser, "dbf-iterations"));
    options.trellis_state_bits = int(parse_count(parser, "tcq-state-bits"));
    if (options.trellis_state_bits < 1 || options.trellis_state_bits > 16)
        throw UsageError("--tcq-state-bits takes L from 1 to 16");
    options.outliers = parse_outliers(parser);
    const Tensor a = load_input(path.toStdString()).tensor;

    QJsonArray rows;
    for (const PlannedPoint& point : comparison_plan(request, a.shape()))
        rows.append(json_row(measure_point(a, point, request.options).row));
    for (const ComparisonRow& row : floor_rows(a, request.budgets)) rows.append(json_row(row));

    if (parser.isSet("json")) {
        std::fputs(QJsonDocument(rows).toJson(QJsonDocument::Compact).constData(), stdout);
        std::fputc('\n', stdout);
        return 0;
    }
    const bool csv = parser.isSet("csv");
    print_line(csv ? "method,budget,point,bits_per_entry,relative_error,bits_above_iid_floor,psnr_db,ssim,seconds,note"
                   : QString("%1 %2 %3 %4 %5 %6 %7 %8  %9")
                         .arg("method", -19)
                         .arg("budget", 7)
                         .arg("bits/entry", 11)
                         .arg("rel. error", 11)
                         .arg("above iid", 9)
                         .arg("PSNR dB", 8)
                         .arg("SSIM", 7)
                         .arg("seconds", 8)
                         .arg("note"));
    const auto number = [](const QJsonValue& value, char format, int precision) {
        return value.isString() ? value.toString()
               : value.isNull() ? QString("-")
                                : QString::number(value.toDouble(), format, precision);
    };
    for (const QJsonValue& value : rows) {
        const QJsonObject row = value.toObject();
        const QString bits = number(row["bits_per_entry"], 'f', 4), error = number(row["relative_error"], 'g', 5),
                      above = number(row["bits_above_iid_floor"], 'f', 3), psnr = number(row["psnr_db"], 'f', 2),
                      ssim = number(row["ssim"], 'f', 4);
        const bool curve_point = row["point"].toString() == "curve";
        if (csv)
            print_line(QStringList{row["method"].toString(), QString::number(row["budget"].toDouble()),
                                   row["point"].toString(), bits, error, above, psnr, ssim,
                                   QString::number(row["seconds"].toDouble(), 'g', 4),
                                   csv_field(row["note"].toString())}
                           .join(','));
        else
            print_line(QString("%1 %2 %3 %4 %5 %6 %7 %8  %9")
                           .arg((curve_point ? "  " : "") + row["method"].toString(), -19)
                           .arg(row["budget"].toDouble(), 7, 'g', 4)
                           .arg(bits, 11)
                           .arg(error, 11)
                           .arg(above, 9)
                           .arg(psnr, 8)
                           .arg(ssim, 7)
                           .arg(row["seconds"].toDouble(), 8, 'f', 2)
                           .arg(row["note"].toString()));
    }
    return 0;
}

}  // namespace signcut::cli
