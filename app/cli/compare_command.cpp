// signcut-cli compare INPUT --bits 1,2,4,8,16 [--methods ...] [--json|--csv]: every method at
// every budget on the same data, with the rate–distortion floors beside them.
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

#include "cli/cli_support.h"
#include "cli/commands.h"
#include "io/load_input.h"
#include "methods/method.h"
#include "methods/rate_distortion.h"

namespace signcut::cli {
namespace {

std::vector<double> parse_budgets(const QString& text) {
    std::vector<double> budgets;
    for (const QString& part : text.split(',', Qt::SkipEmptyParts)) {
        bool ok = false;
        const double b = part.toDouble(&ok);
        if (!ok || !(b > 0)) throw UsageError(("--bits takes positive numbers, not '" + part + "'").toStdString());
        budgets.push_back(b);
    }
    if (budgets.empty()) throw UsageError("--bits needs at least one budget");
    return budgets;
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
        "A method that cannot meet a budget says so in `note` instead of using more bits.");
    parser.addPositionalArgument("INPUT", "image, .npy or .csv file");
    QStringList names;
    for (const std::string& name : method_names()) names << QString::fromStdString(name);
    parser.addOptions({
        {"bits", "Budgets in bits per entry (default 1,2,4,8,16).", "LIST", "1,2,4,8,16"},
        {"methods", "Methods to run (default all: " + names.join(',') + ").", "LIST", names.join(',')},
        {"seed", "Seed for the randomised methods (default 1).", "S", "1"},
        {"json", "Print a JSON array of objects."},
        {"csv", "Print CSV."},
    });
    if (!parse_or_throw(parser, arguments)) return 0;
    const QString path = single_positional(parser, "INPUT");
    const std::vector<double> budgets = parse_budgets(parser.value("bits"));
    const QStringList methods = parser.value("methods").split(',', Qt::SkipEmptyParts);
    for (const QString& m : methods)
        if (!names.contains(m)) throw UsageError(("unknown method '" + m + "' (known: " + names.join(',') + ")").toStdString());
    const std::uint64_t seed = parse_count(parser, "seed");
    const Tensor a = load_input(path.toStdString()).tensor;
    const double entries = double(a.size());

    QJsonArray rows;
    for (const QString& method : methods) {
        for (double budget : budgets) {
            QElapsedTimer timer;
            timer.start();
            const Approximation result = approximate(method.toStdString(), a, budget, seed);
            QJsonObject row{{"method", method}, {"budget", budget}, {"seconds", double(timer.nsecsElapsed()) * 1e-9}};
            if (result.met_budget) {
                row["bits_per_entry"] = double(result.bits) / entries;
                row["relative_error"] = relative_error(a, result.reconstruction);
            } else {
                row["bits_per_entry"] = QJsonValue::Null;
                row["relative_error"] = QJsonValue::Null;
            }
            if (!result.note.empty()) row["note"] = QString::fromStdString(result.note);
            rows.append(row);
        }
    }
    const WaterFillingFloor floor(a);
    for (double budget : budgets) {
        const std::pair<const char*, double> bounds[] = {{"bound-iid", iid_gaussian_floor(budget)},
                                                         {"bound-waterfilling", floor.relative_error(budget)},
                                                         {"bound-universal", floor.universal_guarantee(budget)}};
        for (const auto& [name, error] : bounds)
            rows.append(QJsonObject{{"method", name}, {"budget", budget}, {"bits_per_entry", budget},
                                    {"relative_error", error}, {"seconds", 0.0},
                                    {"note", "Gaussian rate-distortion bound, not a method"}});
    }

    if (parser.isSet("json")) {
        std::fputs(QJsonDocument(rows).toJson(QJsonDocument::Compact).constData(), stdout);
        std::fputc('\n', stdout);
        return 0;
    }
    const bool csv = parser.isSet("csv");
    print_line(csv ? "method,budget,bits_per_entry,relative_error,seconds,note"
                   : QString("%1 %2 %3 %4 %5  %6").arg("method", -19).arg("budget", 7).arg("bits/entry", 11)
                         .arg("rel. error", 11).arg("seconds", 8).arg("note"));
    for (const QJsonValue& value : rows) {
        const QJsonObject row = value.toObject();
        const QString bits = row["bits_per_entry"].isNull() ? "-" : QString::number(row["bits_per_entry"].toDouble(), 'f', 4);
        const QString error = row["relative_error"].isNull() ? "-" : QString::number(row["relative_error"].toDouble(), 'g', 5);
        if (csv)
            print_line(QStringList{row["method"].toString(), QString::number(row["budget"].toDouble()), bits, error,
                                   QString::number(row["seconds"].toDouble(), 'g', 4), csv_field(row["note"].toString())}
                           .join(','));
        else
            print_line(QString("%1 %2 %3 %4 %5  %6")
                           .arg(row["method"].toString(), -19)
                           .arg(row["budget"].toDouble(), 7)
                           .arg(bits, 11)
                           .arg(error, 11)
                           .arg(row["seconds"].toDouble(), 8, 'f', 2)
                           .arg(row["note"].toString()));
    }
    return 0;
}

}  // namespace signcut::cli
