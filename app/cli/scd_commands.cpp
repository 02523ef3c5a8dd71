// signcut-cli info FILE.scd and signcut-cli reconstruct FILE.scd --out FILE.
#include <QJsonArray>

#include <algorithm>
#include <cmath>

#include "cli/cli_support.h"
#include "cli/commands.h"
#include "io/file_formats.h"
#include "io/load_input.h"
#include "io/scd_file.h"
#include "scd/outliers.h"

namespace signcut::cli {

int info_command(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription("What a .scd decomposition holds, or the summary of a .scdz checkpoint.");
    parser.addPositionalArgument("FILE.scd", "a saved decomposition (or a .scdz compressed checkpoint)");
    parser.addOption({"json", "Print one JSON object instead of text."});
    if (!parse_or_throw(parser, arguments)) return 0;
    const QString path = single_positional(parser, "FILE.scd");
    if (has_file_format(path.toStdString(), FileFormatId::scdz)) return model_info_command(path, parser.isSet("json"));
    const Decomposition d = read_scd(path.toStdString());
    const std::size_t w = d.width();
    double c_min = w ? HUGE_VAL : 0.0, c_max = 0.0;
    for (float c : d.coeffs()) {
        c_min = std::min(c_min, double(std::fabs(c)));
        c_max = std::max(c_max, double(std::fabs(c)));
    }
    if (parser.isSet("json")) {
        QJsonArray shape;
        for (std::size_t n : d.shape()) shape.append(qint64(n));
        print_json({
            {"file", path},
            {"shape", shape},
            {"order", qint64(d.order())},
            {"width", qint64(w)},
            {"precision", precision_name(d.precision())},
            {"bytes", qint64(d.stored_bytes(w))},
            {"bits_per_entry", d.bits_per_entry(w)},
            {"relative_error", d.relative_error(w)},
            {"outliers", qint64(d.outlier_count(w))},
        });
        return 0;
    }
    print_line(QString("file            %1").arg(path));
    print_line(QString("shape           %1 (order %2)")
                   .arg(QString::fromStdString(shape_to_string(d.shape())))
                   .arg(d.order()));
    print_line(QString("width           %1 cuts, %2 coefficients").arg(w).arg(precision_name(d.precision())));
    print_line(QString("stored size     %1 bytes = %2 bits per entry")
                   .arg(d.stored_bytes(w))
                   .arg(d.bits_per_entry(w), 0, 'f', 3));
    print_line(
        QString("relative error  %1 (from the stored coefficients and ‖A‖)").arg(d.relative_error(w), 0, 'g', 6));
    print_line(QString("outliers apart  %1").arg(QString::fromStdString(describe_outliers({&d, 1}, w))));
    print_line(QString("|coefficients|  from %1 to %2").arg(c_min, 0, 'g', 6).arg(c_max, 0, 'g', 6));
    return 0;
}

int reconstruct_command(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription("Rebuilds the approximation Σ_{j<W} c_j · (sign tensor j) from a .scd file.");
    parser.addPositionalArgument("FILE.scd", "a saved decomposition");
    parser.addOptions({
        {"out", "Output file: .png (height x width [x 3]), .npy or .csv.", "FILE"},
        {"width", "Use the first W cuts (default: all).", "W"},
    });
    if (!parse_or_throw(parser, arguments)) return 0;
    const QString path = single_positional(parser, "FILE.scd");
    if (!parser.isSet("out")) throw UsageError("--out FILE is required");
    const Decomposition d = read_scd(path.toStdString());
    std::size_t w = d.width();
    if (parser.isSet("width")) {
        w = parse_count(parser, "width");
        if (w > d.width())
            throw UsageError(
                ("--width " + std::to_string(w) + " exceeds the file's " + std::to_string(d.width()) + " cuts"));
    }
    save_output(parser.value("out").toStdString(), d.reconstruct(w));
    return 0;
}

}  // namespace signcut::cli
