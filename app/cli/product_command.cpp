// signcut-cli product: y = Â·x straight from the bits of a .scd file (scd/scd_product.h).
#include <string>

#include "cli/cli_support.h"
#include "cli/commands.h"
#include "io/npy_file.h"
#include "io/scd_file.h"
#include "scd/scd_product.h"

namespace signcut::cli {

int product_command(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "y = Â·x from the sign bits of a .scd file, without expanding Â: x a vector of length n or an\n"
        "n × b matrix (.npy), where Â is rows × n (order 3 and more: the first mode against the rest).\n"
        "Writes y (rows, or rows × b) as float32 .npy.");
    parser.addPositionalArgument("FILE.scd", "a saved decomposition");
    parser.addPositionalArgument("X.npy", "the vector or matrix to multiply");
    parser.addOptions({
        {"out", "Output file Y.npy (required).", "FILE"},
        {"width", "Use the first W cuts (default: all).", "W"},
    });
    if (!parse_or_throw(parser, arguments)) return 0;
    if (parser.positionalArguments().size() != 2) throw UsageError("expected FILE.scd and X.npy");
    if (!parser.isSet("out")) throw UsageError("--out Y.npy is required");
    const std::string scd_path = parser.positionalArguments()[0].toStdString();
    const std::string x_path = parser.positionalArguments()[1].toStdString();
    const Decomposition d = read_scd(scd_path);
    const std::size_t w = parser.isSet("width") ? parse_count(parser, "width") : d.width();
    if (w > d.width())
        throw UsageError("--width " + std::to_string(w) + " exceeds the file's " + std::to_string(d.width()) + " cuts");
    if (d.order() < 2) throw std::runtime_error(scd_path + " holds a vector, not a matrix or tensor");
    const Tensor x = read_npy(x_path);
    const std::size_t rows = d.shape()[0], cols = d.entries() / rows;
    if (x.order() > 2 || x.dim(0) != cols)
        throw std::runtime_error(x_path + " has shape " + shape_to_string(x.shape()) + ", but " + scd_path + " is " +
                                 std::to_string(rows) + " × " + std::to_string(cols) + ": x needs length " +
                                 std::to_string(cols) + " (a vector or " + std::to_string(cols) + " × b)");
    write_npy(parser.value("out").toStdString(), scd_product(d, w, x));
    return 0;
}

}  // namespace signcut::cli
