// signcut-cli: the headless front end over signcut_core.
#include <QCoreApplication>

#include <cstdio>
#include <exception>
#include <functional>
#include <map>

#include "cli/cli_support.h"
#include "cli/commands.h"
#include "simd/kernels.h"

namespace {

const char* kUsage =
    "usage: signcut-cli COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  decompose INPUT      signed cut decomposition of an image, .npy or .csv\n"
    "  info FILE.scd[z]     what a saved decomposition (or compressed checkpoint) holds\n"
    "  reconstruct FILE.scd rebuild the approximation (png, npy or csv)\n"
    "  product FILE.scd X.npy --out Y.npy   y = A x straight from the sign bits\n"
    "  gaussian SHAPE       write a reproducible N(0,1) tensor (.npy) for experiments\n"
    "  animate INPUT --out FILE.mp4|FILE.gif   the reconstruction as w grows, for demos\n"
    "  compare INPUT        every low-bit method at the same budgets, with the rate-distortion floors\n"
    "  compress-model IN --out OUT.scdz [--shard K/N | --merge-only]   decompose every matrix of a\n"
    "                       checkpoint (a .safetensors file, a Hugging Face index or a folder)\n"
    "  expand-model IN.scdz --out OUT.safetensors|DIR/   write the reconstructed checkpoint\n"
    "  synthetic-checkpoint OUT.safetensors|DIR          a transformer-shaped checkpoint to try them on\n"
    "  bench                time the engine against Eigen's GEMV and a dense implementation\n"
    "                       (--products: products from the bits against f32 and bf16 GEMVs)\n"
    "\n"
    "'signcut-cli COMMAND --help' lists a command's options.\n";

}  // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName("signcut-cli");
    QCoreApplication::setApplicationVersion(SIGNCUT_VERSION);
    QStringList arguments = QCoreApplication::arguments();
    const std::map<QString, std::function<int(const QStringList&)>> commands = {
        {"decompose", signcut::cli::decompose_command},
        {"info", signcut::cli::info_command},
        {"reconstruct", signcut::cli::reconstruct_command},
        {"product", signcut::cli::product_command},
        {"gaussian", signcut::cli::gaussian_command},
        {"bench", signcut::cli::bench_command},
        {"compare", signcut::cli::compare_command},
        {"compress-model", signcut::cli::compress_model_command},
        {"expand-model", signcut::cli::expand_model_command},
        {"synthetic-checkpoint", signcut::cli::synthetic_checkpoint_command},
        {"animate", signcut::cli::animate_command},
    };
    if (arguments.size() < 2 || arguments[1] == "--help" || arguments[1] == "-h") {
        std::fputs(kUsage, arguments.size() < 2 ? stderr : stdout);
        return arguments.size() < 2 ? 2 : 0;
    }
    if (arguments[1] == "--version") {
        std::printf("signcut-cli %s\n", SIGNCUT_VERSION);
        return 0;
    }
    const auto command = commands.find(arguments[1]);
    if (command == commands.end()) {
        std::fprintf(stderr, "signcut-cli: unknown command '%s'\n\n%s", qPrintable(arguments[1]), kUsage);
        return 2;
    }
    arguments.removeFirst();  // the command's parser sees its name first
    try {
        signcut::active_kernels();  // a wrong SIGNCUT_ISA stops every command before it starts
        return command->second(arguments);
    } catch (const signcut::cli::UsageError& error) {
        std::fprintf(stderr, "signcut-cli %s: %s\n(see 'signcut-cli %s --help')\n", qPrintable(arguments[0]),
                     error.what(), qPrintable(arguments[0]));
        return 2;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "signcut-cli %s: error: %s\n", qPrintable(arguments[0]), error.what());
        return 1;
    }
}
