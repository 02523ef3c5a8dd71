// signcut-cli gaussian SHAPE --out FILE.npy: a reproducible N(0,1) test tensor.
#include <cmath>

#include "cli/cli_support.h"
#include "cli/commands.h"
#include "io/load_input.h"
#include "tensor/random_tensor.h"

namespace signcut::cli {

int gaussian_command(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription("Writes a tensor of independent N(0,1) entries, the same for the same seed.");
    parser.addPositionalArgument("SHAPE", "dimensions joined by x, e.g. 1024x1024 or 64x64x3");
    parser.addOptions({
        {"seed", "Random seed (default 1).", "S", "1"},
        {"out", "Output .npy (or .csv for a matrix).", "FILE"},
        {"row-scales",
         "Multiply row i (index along the first axis) by a factor drawn log-uniformly from [LO, HI] "
         "(from the same seed): rows of unequal energy, as in trained weights.",
         "LO,HI"},
        {"spikes",
         "Replace a fraction F of the entries, chosen at random, by S·N(0,1) (default S = 30): a few "
         "entries far out in the tails, as in trained weights (see decompose --outliers).",
         "F[,S]"},
    });
    if (!parse_or_throw(parser, arguments)) return 0;
    Shape shape;
    for (const QString& part : single_positional(parser, "SHAPE").split('x')) {
        bool ok = false;
        const qulonglong n = part.toULongLong(&ok);
        if (!ok || n == 0) throw UsageError(("bad dimension '" + part + "' in SHAPE").toStdString());
        shape.push_back(std::size_t(n));
    }
    if (!parser.isSet("out")) throw UsageError("--out FILE is required");
    element_count(shape, std::size_t(1) << 32);  // refuse more than 16 GiB of f32 before allocating
    const std::uint64_t seed = parse_count(parser, "seed");
    Tensor a = gaussian_tensor(shape, seed);
    if (parser.isSet("row-scales")) {
        const QStringList range = parser.value("row-scales").split(',');
        bool ok_lo = false, ok_hi = false;
        const double lo = range.value(0).toDouble(&ok_lo), hi = range.value(1).toDouble(&ok_hi);
        if (range.size() != 2 || !ok_lo || !ok_hi || !(lo > 0) || !(hi >= lo))
            throw UsageError("--row-scales takes LO,HI with 0 < LO <= HI");
        a = row_scaled_gaussian_tensor(shape, lo, hi, seed);
    }
    if (parser.isSet("spikes")) {
        if (parser.isSet("row-scales")) throw UsageError("--spikes and --row-scales do not combine");
        const QStringList parts = parser.value("spikes").split(',');
        bool ok_fraction = false, ok_scale = true;
        const double fraction = parts.value(0).toDouble(&ok_fraction);
        const double scale = parts.size() > 1 ? parts.value(1).toDouble(&ok_scale) : 30.0;
        if (parts.size() > 2 || !ok_fraction || !ok_scale || !(fraction >= 0 && fraction <= 1) || !std::isfinite(scale))
            throw UsageError("--spikes takes F[,S] with 0 <= F <= 1 and a finite S");
        a = spiky_gaussian_tensor(shape, fraction, scale, seed);
    }
    save_output(parser.value("out").toStdString(), a);
    return 0;
}

}  // namespace signcut::cli
