// signcut-cli compare INPUT --bits 1,2,4,8,16 [--methods ...] [--curves] [--json|--csv]: every
// method at every budget on the same data, with the rate–distortion floors beside them.
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>
#include <set>

#include "cli/cli_support.h"
#include "cli/commands.h"
#include "io/load_input.h"
#include "methods/image_quality.h"
#include "methods/method.h"
#include "methods/rate_distortion.h"

namespace signcut::cli {
namespace {

// psnr_db and ssim of a row: numbers, "inf" for the PSNR of an exact copy (JSON has no
// infinity), null when the input is not a picture or the budget was not met.
void add_image_measures(QJsonObject& row, const Tensor& a, const Tensor* reconstruction) {
    const std::optional<ImageQuality> quality = reconstruction ? image_quality(a, *reconstruction) : std::nullopt;
    row["psnr_db"] = !quality                       ? QJsonValue::Null
                     : std::isinf(quality->psnr_db) ? QJsonValue("inf")
                                                    : QJsonValue(quality->psnr_db);
    row["ssim"] = quality && quality->ssim ? QJsonValue(*quality->ssim) : QJsonValue::Null;
}

QString csv_field(QString text) {
    return text.contains(',') || text.contains('"') ? '"' + text.replace('"', "\"\"") + '"' : text;
}

// The budgets one method runs at: the asked ones, and with `curves` its curve over their range
// (4 points per octave from its minimum rate or the lowest budget, whichever is higher).
std::vector<std::pair<double, bool>> method_budgets(const MethodInfo& method, const Shape& shape,
                                                    const std::vector<double>& asked, bool curves) {
    std::set<double> curve;
    if (curves) {
        const double highest = *std::max_element(asked.begin(), asked.end());
        const double lowest =
            std::max(*std::min_element(asked.begin(), asked.end()), method.minimum_bits_per_entry(shape));
        for (double b : curve_budgets(lowest, highest)) curve.insert(b);
    }
    for (double b : asked) curve.erase(b);
    std::vector<std::pair<double, bool>> out;  // (budget, asked for)
    for (double b : asked) out.emplace_back(b, true);
    for (double b : curve) out.emplace_back(b, false);
    std::sort(out.begin(), out.end());
    return out;
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
        {"outliers", "scd, scd-refit: entries kept apart from the cuts, auto (default), 0 (none) or a count K.",
         "auto|0|K", "auto"},
        {"json", "Print a JSON array of objects."},
        {"csv", "Print CSV."},
    });
    if (!parse_or_throw(parser, arguments)) return 0;
    const QString path = single_positional(parser, "INPUT");
    const std::vector<double> budgets = parse_budgets(parser.value("bits"));
    const QStringList methods = parser.value("methods").split(',', Qt::SkipEmptyParts);
    for (const QString& m : methods)
        if (!names.contains(m))
            throw UsageError(("unknown method '" + m + "' (known: " + names.join(',') + ")").toStdString());
    MethodOptions options;
    options.seed = parse_count(parser, "seed");
    options.group_size = parse_count(parser, "group-size");
    options.dbf_iterations = int(parse_count(parser, "dbf-iterations"));
    options.outliers = parse_outliers(parser);
    const Tensor a = load_input(path.toStdString()).tensor;
    const double entries = double(a.size());

    QJsonArray rows;
    for (const QString& name : methods) {
        const MethodInfo& method = find_method(name.toStdString());
        for (const auto& [budget, asked] : method_budgets(method, a.shape(), budgets, parser.isSet("curves"))) {
            QElapsedTimer timer;
            timer.start();
            options.bits_per_entry = budget;
            const Approximation result = approximate(method.name, a, options);
            QJsonObject row{{"method", name},
                            {"budget", budget},
                            {"point", asked ? "budget" : "curve"},
                            {"seconds", double(timer.nsecsElapsed()) * 1e-9}};
            if (result.met_budget) {
                const double bits = double(result.bits) / entries, error = relative_error(a, result.reconstruction);
                row["bits_per_entry"] = bits;
                row["relative_error"] = error;
                row["bits_above_iid_floor"] =
                    error > 0 ? QJsonValue(bits_above_iid_floor(bits, error)) : QJsonValue::Null;
                add_image_measures(row, a, &result.reconstruction);
            } else {
                row["bits_per_entry"] = QJsonValue::Null;
                row["relative_error"] = QJsonValue::Null;
                row["bits_above_iid_floor"] = QJsonValue::Null;
                add_image_measures(row, a, nullptr);
            }
            if (!result.note.empty()) row["note"] = QString::fromStdString(result.note);
            rows.append(row);
        }
    }
    const WaterFillingFloor floor(a);
    for (double budget : budgets) {
        for (const auto& [name, error] : named_floors(floor, budget))
            rows.append(QJsonObject{{"method", name},
                                    {"budget", budget},
                                    {"point", "budget"},
                                    {"bits_per_entry", budget},
                                    {"relative_error", error},
                                    {"bits_above_iid_floor",
                                     error > 0 ? QJsonValue(bits_above_iid_floor(budget, error)) : QJsonValue::Null},
                                    {"psnr_db", QJsonValue::Null},
                                    {"ssim", QJsonValue::Null},
                                    {"seconds", 0.0},
                                    {"note", "Gaussian rate-distortion bound, not a method"}});
    }

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
