// signcut-cli animate INPUT --out FILE.mp4|FILE.gif: the reconstruction as w grows, for demos.
#include <cstdio>
#include <optional>

#include "animation/reconstruction_animation.h"
#include "cli/cli_support.h"
#include "cli/commands.h"
#include "io/file_formats.h"
#include "io/load_input.h"
#include "io/scd_file.h"
#include "scd/decomposer.h"

namespace signcut::cli {

int animate_command(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Writes an animation of the reconstruction as the width w grows: MP4 (H.264 through OpenCV's\n"
        "FFmpeg, which browsers and slide tools play) or animated GIF (signcut's own encoder, 252-colour\n"
        "dithered palette); the last frame is held 2 s. INPUT is an\n"
        "image, .npy or .csv (decomposed first, to --width or --bits-per-entry; default 4 bits per entry)\n"
        "or a saved .scd decomposition. Frame widths run from 0 to the last width, evenly (linear) or\n"
        "evenly in log(1 + w) (log, the default: the early cuts change the picture most).");
    parser.addPositionalArgument("INPUT", "image, .npy, .csv or .scd file");
    parser.addOptions({
        {"out", "FILE.mp4 or FILE.gif.", "FILE"},
        {"frames", "Number of frames (default 60).", "N", "60"},
        {"fps", "Frames per second (default 15).", "F", "15"},
        {"schedule", "linear or log (default log).", "S", "log"},
        {"chart", "Draw the error curve under the picture."},
        {"size", "Frame size in pixels, e.g. 1920x1080 for slides (even numbers; default: sized by the picture).",
         "WxH"},
        {"side-by-side", "Original | signed cuts | truncated SVD at the same bits per entry, every frame."},
        {"width", "Decompose to W cuts.", "W"},
        {"bits-per-entry", "Decompose to B bits per entry (default 4).", "B"},
        {"seed", "Seed (default 1).", "S", "1"},
    });
    if (!parse_or_throw(parser, arguments)) return 0;
    const QString input = single_positional(parser, "INPUT");
    if (!parser.isSet("out")) throw UsageError("--out FILE.mp4 or FILE.gif is required");
    AnimationOptions options;
    options.frames = int(parse_count(parser, "frames"));
    options.frames_per_second = parse_double(parser, "fps");
    options.with_chart = parser.isSet("chart");
    if (parser.isSet("size")) {
        const QStringList size = parser.value("size").split('x');
        bool width_ok = false, height_ok = false;
        options.frame_width = size.value(0).toInt(&width_ok);
        options.frame_height = size.value(1).toInt(&height_ok);
        if (size.size() != 2 || !width_ok || !height_ok) throw UsageError("--size takes WxH, e.g. 1920x1080");
    }
    const auto schedule = parse_enum<WidthSchedule>(parser.value("schedule").toStdString());
    if (!schedule) throw UsageError("--schedule takes " + enum_choices<WidthSchedule>());
    options.schedule = *schedule;

    Decomposition decomposition;
    std::optional<Tensor> original;
    if (has_file_format(input.toStdString(), FileFormatId::scd)) {
        decomposition = read_scd(input.toStdString());
        const Shape& shape = decomposition.shape();
        options.photo = shape.size() == 3 && shape[2] == 3;
    } else {
        LoadedInput loaded = load_input(input.toStdString());
        options.photo = loaded.kind == InputKind::image;
        DecomposeOptions rule;
        rule.seed = parse_count(parser, "seed");
        if (parser.isSet("width")) rule.stop.width = parse_count(parser, "width");
        else rule.stop.bits_per_entry = parser.isSet("bits-per-entry") ? parse_double(parser, "bits-per-entry") : 4.0;
        decomposition = decompose(loaded.tensor, rule);
        original = std::move(loaded.tensor);
    }
    if (parser.isSet("side-by-side")) {
        if (!original) throw UsageError("--side-by-side needs the original data, not a .scd file");
        options.original = &*original;
    }
    const int frames = write_animation(parser.value("out").toStdString(), decomposition, options);
    print_line(QString("wrote %1: %2 frames, w = 0 … %3, %4 frames per second")
                   .arg(parser.value("out"))
                   .arg(frames)
                   .arg(decomposition.width())
                   .arg(options.frames_per_second));
    return 0;
}

}  // namespace signcut::cli
