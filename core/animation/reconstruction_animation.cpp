#include "animation/reconstruction_animation.h"

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <stdexcept>

#include "io/file_access.h"
#include "io/gif_file.h"

namespace signcut {
namespace {

constexpr int kCaptionHeight = 30;
constexpr int kChartHeight = 160;

// −limit → blue, 0 → white, +limit → red, as the explorer's heat maps.
cv::Vec3b diverging(float value, float limit) {
    const float t = limit > 0 ? std::clamp(value / limit, -1.0f, 1.0f) : 0.0f;
    const auto mix = [&](int from, int to) { return std::uint8_t(std::lround(from + (to - from) * std::fabs(t))); };
    return t >= 0 ? cv::Vec3b(mix(255, 40), mix(255, 39), mix(255, 214)) : cv::Vec3b(mix(255, 180), mix(255, 119), mix(255, 31));
}

// The picture of a tensor: photos as BGR, anything else as a heat map of its first 2-D slice.
cv::Mat picture(const Tensor& t, bool photo, float limit) {
    const int rows = int(t.dim(0)), cols = t.order() >= 2 ? int(t.dim(1)) : int(t.size());
    const std::size_t channels = t.order() == 3 ? t.dim(2) : 1;
    cv::Mat out(rows, cols, CV_8UC3);
    const std::size_t per_row = t.order() >= 2 ? t.size() / t.dim(0) : t.size();
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) {
            if (photo) {
                const std::size_t i = std::size_t(r) * per_row + std::size_t(c) * channels;
                const auto byte = [&](std::size_t k) { return std::uint8_t(std::lround(std::clamp(t[i + k], 0.0f, 1.0f) * 255)); };
                out.at<cv::Vec3b>(r, c) = channels >= 3 ? cv::Vec3b(byte(2), byte(1), byte(0)) : cv::Vec3b(byte(0), byte(0), byte(0));
            } else {
                // A slice through the first two modes (the first index of every further mode).
                const std::size_t stride = t.order() > 2 ? per_row / t.dim(1) : 1;
                out.at<cv::Vec3b>(r, c) = diverging(t[std::size_t(r) * per_row + std::size_t(c) * stride], limit);
            }
        }
    return out;
}

// log10 error against w, the current w marked.
void draw_chart(cv::Mat& canvas, const cv::Rect& area, const Decomposition& d, std::size_t width) {
    canvas(area).setTo(cv::Scalar(255, 255, 255));
    const std::size_t max_width = std::max<std::size_t>(d.width(), 1);
    const double bottom = std::floor(std::log10(std::max(d.relative_error(d.width()), 1e-12)));
    const int left = area.x + 50, right = area.x + area.width - 12, top = area.y + 10, base = area.y + area.height - 28;
    const auto point = [&](std::size_t w) {
        const double e = std::log10(std::max(d.relative_error(w), 1e-12));
        return cv::Point(left + int(double(right - left) * double(w) / double(max_width)),
                         top + int(double(base - top) * (0.0 - e) / (0.0 - std::min(bottom, -1.0))));
    };
    const cv::Scalar grey(150, 150, 150), blue(180, 119, 31), red(40, 39, 214), black(0, 0, 0);
    cv::rectangle(canvas, cv::Point(left, top), cv::Point(right, base), grey);
    for (double decade = 0; decade >= std::min(bottom, -1.0); --decade) {
        const int y = top + int(double(base - top) * -decade / -std::min(bottom, -1.0));
        cv::line(canvas, cv::Point(left, y), cv::Point(right, y), cv::Scalar(225, 225, 225));
        cv::putText(canvas, "1e" + std::to_string(int(decade)), cv::Point(area.x + 4, y + 4), cv::FONT_HERSHEY_SIMPLEX, 0.35, black);
    }
    std::vector<cv::Point> curve;
    const std::size_t step = std::max<std::size_t>(1, max_width / 600);
    for (std::size_t w = 0; w <= d.width(); w += step) curve.push_back(point(w));
    curve.push_back(point(d.width()));
    cv::polylines(canvas, curve, false, blue, 2, cv::LINE_AA);
    cv::circle(canvas, point(width), 5, red, cv::FILLED, cv::LINE_AA);
    cv::putText(canvas, "relative error against width w (log scale)", cv::Point(left, area.y + area.height - 8),
                cv::FONT_HERSHEY_SIMPLEX, 0.42, black, 1, cv::LINE_AA);
}

}  // namespace

std::vector<std::size_t> width_schedule(std::size_t max_width, int frames, WidthSchedule schedule) {
    if (frames < 2) return {max_width};
    std::vector<std::size_t> widths;
    for (int f = 0; f < frames; ++f) {
        const double x = double(f) / double(frames - 1);
        const double w = schedule == WidthSchedule::linear ? x * double(max_width) : std::expm1(x * std::log1p(double(max_width)));
        widths.push_back(std::min(max_width, std::size_t(std::llround(w))));
    }
    widths.erase(std::unique(widths.begin(), widths.end()), widths.end());
    return widths;
}

cv::Mat animation_frame(const Decomposition& d, const Tensor& reconstruction, std::size_t width, const AnimationOptions& options) {
    cv::Mat pic = picture(reconstruction, options.photo, options.heat_limit > 0 ? options.heat_limit : 1.0f);
    if (pic.rows < options.min_picture_height) {
        const double scale = std::ceil(double(options.min_picture_height) / pic.rows);
        cv::resize(pic, pic, cv::Size(), scale, scale, cv::INTER_NEAREST);
    }
    const int cols = std::max(pic.cols, 420) + (std::max(pic.cols, 420) % 2);  // even sizes suit video codecs
    const int rows = pic.rows + kCaptionHeight + (options.with_chart ? kChartHeight : 0);
    cv::Mat frame(rows + rows % 2, cols, CV_8UC3, cv::Scalar(255, 255, 255));
    pic.copyTo(frame(cv::Rect((cols - pic.cols) / 2, 0, pic.cols, pic.rows)));
    char caption[160];
    std::snprintf(caption, sizeof caption, "w = %zu   %.2f bits per entry   relative error %.4f", width,
                  d.bits_per_entry(width), d.relative_error(width));
    cv::putText(frame, caption, cv::Point(8, pic.rows + 21), cv::FONT_HERSHEY_SIMPLEX, 0.5, cv::Scalar(0, 0, 0), 1, cv::LINE_AA);
    if (options.with_chart) draw_chart(frame, cv::Rect(0, pic.rows + kCaptionHeight, cols, kChartHeight), d, width);
    return frame;
}

int write_animation(const std::filesystem::path& path, const Decomposition& d, const AnimationOptions& options,
                    const std::function<void(int)>& on_frame) {
    const std::string extension = lower_extension(path);
    if (extension != "mp4" && extension != "gif") throw FileError(path, "animations are written as .mp4 or .gif");
    if (options.frames < 1 || options.frames > 100000 || !(options.frames_per_second > 0 && options.frames_per_second <= 120))
        throw std::invalid_argument("frames must be 1 … 100000 and the frame rate 0 … 120 per second");
    const std::vector<std::size_t> widths = width_schedule(d.width(), options.frames, options.schedule);
    AnimationOptions frame_options = options;
    if (!options.photo && options.heat_limit <= 0) {
        // One colour scale for every frame: the 99th percentile of |Â| at the last width.
        const Tensor last = d.reconstruct(d.width());
        std::vector<float> magnitudes(last.data().begin(), last.data().end());
        for (float& x : magnitudes) x = std::fabs(x);
        auto nth = magnitudes.begin() + std::ptrdiff_t(magnitudes.size() * 99 / 100);
        std::nth_element(magnitudes.begin(), nth, magnitudes.end());
        frame_options.heat_limit = *nth > 0 ? *nth : 1.0f;
    }
    // Frames are built by adding the cuts between consecutive widths.
    Tensor reconstruction(d.shape());
    std::size_t shown = 0;
    const auto frame_at = [&](std::size_t w) {
        d.add_cuts(reconstruction, shown, w, 1.0f);
        shown = w;
        return animation_frame(d, reconstruction, w, frame_options);
    };
    cv::Mat first = frame_at(widths.front());
    int written = 0;
    if (extension == "gif") {
        GifWriter gif(path, first.cols, first.rows, std::max(2, int(std::lround(100.0 / options.frames_per_second))));
        for (std::size_t f = 0; f < widths.size(); ++f) {
            gif.add_frame(f == 0 ? first : frame_at(widths[f]));
            if (on_frame) on_frame(written);
            ++written;
        }
        gif.commit();
        return written;
    }
    // VideoWriter picks the container by extension: a temporary .mp4 beside the target.
    std::random_device entropy;
    std::string name = ".";  // built step by step: GCC 12 warns falsely on one long concatenation
    name += path.stem().string();
    name += ".tmp-" + std::to_string(entropy()) + ".mp4";
    const std::filesystem::path temporary = path.parent_path() / name;
    std::error_code error;
    try {
        cv::VideoWriter video(temporary.string(), cv::VideoWriter::fourcc('m', 'p', '4', 'v'), options.frames_per_second,
                              first.size());
        if (!video.isOpened()) throw FileError(path, "OpenCV cannot write MP4 video here (no FFmpeg backend?)");
        for (std::size_t f = 0; f < widths.size(); ++f) {
            video.write(f == 0 ? first : frame_at(widths[f]));
            if (on_frame) on_frame(written);
            ++written;
        }
    } catch (...) {
        std::filesystem::remove(temporary, error);  // no partial video left behind
        throw;
    }
    std::filesystem::rename(temporary, path, error);
    if (error) {
        std::filesystem::remove(temporary, error);
        throw FileError(path, "cannot move the finished video into place");
    }
    return written;
}

}  // namespace signcut
