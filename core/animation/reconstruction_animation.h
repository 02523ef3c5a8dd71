#pragma once
// The reconstruction Â_w as w grows, rendered frame by frame (OpenCV) and written as MP4
// (H.264 through OpenCV's FFmpeg backend, which browsers and slide tools play) or animated GIF
// (io/gif_file.h), for demos. The last frame is held before the end (or the GIF's loop).

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "scd/decomposition.h"
#include "tensor/enum_names.h"

namespace signcut {

enum class WidthSchedule { linear, logarithmic };
template <>
struct EnumNames<WidthSchedule> {
    static constexpr std::array<EnumName<WidthSchedule>, 2> names{
        {{WidthSchedule::linear, "linear"}, {WidthSchedule::logarithmic, "log"}}};
};

struct AnimationOptions {
    int frames = 60;
    double frames_per_second = 15.0;
    WidthSchedule schedule = WidthSchedule::logarithmic;
    bool photo = true;               // draw a height × width (× 3) tensor in [0, 1] as a picture; else a heat map
    bool with_chart = false;         // the error curve under the picture, the current w marked
    float heat_limit = 0.0f;         // heat maps: |value| drawn at full colour; 0: from the final reconstruction
    int min_picture_height = 240;    // small inputs are scaled up (nearest neighbour) to this
    // The frame in pixels, e.g. 1920 × 1080 for slides: the picture is scaled to fill what the
    // caption and chart leave, the text with the width. 0 × 0: sized by the picture.
    int frame_width = 0, frame_height = 0;
    double hold_last_seconds = 2.0;  // the finished picture stays this long
    // Side by side (the lesson of the SVD-vs-cuts view in motion): this original | signed cuts |
    // truncated SVD at the same bits per entry, every frame. Of the decomposition's shape.
    const Tensor* original = nullptr;
};

// `frames` widths from 0 to max_width, increasing, evenly spaced or evenly on a log(1 + w) scale.
std::vector<std::size_t> width_schedule(std::size_t max_width, int frames, WidthSchedule schedule);

// One frame: the reconstruction at w with a caption (w, bits per entry, relative error) and,
// if asked, the chart. All frames of one decomposition have the same size.
// Side by side, `svd` is the truncated SVD at the frame's bits per entry (and options.original set).
cv::Mat animation_frame(const Decomposition& decomposition, const Tensor& reconstruction, std::size_t width,
                        const AnimationOptions& options, const Tensor* svd = nullptr);

// Writes FILE.mp4 or FILE.gif (by extension) atomically; returns the number of frames. A frame
// size must be even (video codecs) and at least kMinFrameWidth × kMinFrameHeight.
constexpr int kMinFrameWidth = 320, kMinFrameHeight = 240;
// `on_frame` (optional) is called after each frame with its index.
int write_animation(const std::filesystem::path& path, const Decomposition& decomposition,
                    const AnimationOptions& options, const std::function<void(int)>& on_frame = {});

}  // namespace signcut
