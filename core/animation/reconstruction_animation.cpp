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
#include "methods/baselines.h"
#include "methods/method.h"

namespace signcut {
namespace {

constexpr int kCaptionHeight = 30;
constexpr int kChartHeight = 160;

// −limit → blue, 0 → white, +limit → red, as the explorer's heat maps.
cv::Vec3b diverging(float value, float limit) {
    const float t = limit > 0 ? std::clamp(value / limit, -1.0f, 1.0f) : 0.0f;
    const auto mix = [&](int from, int to) { return std::uint8_t(std::lround(from + (to - from) * std::fabs(t))); };
    return t >= 0 ? cv::Vec3b(mix(255, 40), mix(255, 39), mix(255, 214))
                  : cv::Vec3b(mix(255, 180), mix(255, 119), mix(255, 31));
}

// The rows of the squarest matrix the row-major data reads as, splitting between modes (the
// explorer's unfolding: a (3, 3, 32, 64) kernel as 288 × 64).
std::size_t unfolded_rows(const Shape& shape) {
    std::size_t size = 1, rows = 1, best = 1;
    for (std::size_t n : shape) size *= n;
    const auto skew = [size](std::size_t r) { return std::abs(std::log(double(r) * double(r) / double(size))); };
    for (std::size_t split = 1; split < shape.size(); ++split)
        if (skew(rows *= shape[split - 1]) < skew(best)) best = rows;
    return best;
}

// The picture of a tensor: photos as BGR, anything else as a heat map of all of it, unfolded.
cv::Mat picture(const Tensor& t, bool photo, float limit) {
    const std::size_t channels = photo && t.order() == 3 ? t.dim(2) : 1;
    const std::size_t rows = photo ? t.dim(0) : unfolded_rows(t.shape()), cols = t.size() / rows / channels;
    cv::Mat out(int(rows), int(cols), CV_8UC3);
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < cols; ++c) {
            const std::size_t i = (r * cols + c) * channels;
            if (photo) {
                const auto byte = [&](std::size_t k) {
                    return std::uint8_t(std::lround(std::clamp(t[i + k], 0.0f, 1.0f) * 255));
                };
                out.at<cv::Vec3b>(int(r), int(c)) =
                    channels >= 3 ? cv::Vec3b(byte(2), byte(1), byte(0)) : cv::Vec3b(byte(0), byte(0), byte(0));
            } else {
                out.at<cv::Vec3b>(int(r), int(c)) = diverging(t[i], limit);
            }
        }
    return out;
}

// Text at `origin` in Hershey simplex at `scale`, made smaller if it would run past max_width.
void put_fitted_text(cv::Mat& canvas, const std::string& text, cv::Point origin, int max_width, double scale,
                     int thickness = 1) {
    int baseline = 0;
    const int width = cv::getTextSize(text, cv::FONT_HERSHEY_SIMPLEX, scale, thickness, &baseline).width;
    if (width > max_width) scale *= double(max_width) / double(width);
    cv::putText(canvas, text, origin, cv::FONT_HERSHEY_SIMPLEX, scale, cv::Scalar(0, 0, 0), thickness, cv::LINE_AA);
}

// log10 error against w (or against log(1 + w), as the frames' widths grow), the current w marked.
void draw_chart(cv::Mat& canvas, const cv::Rect& area, const Decomposition& d, std::size_t width,
                WidthSchedule schedule, double text_scale) {
    canvas(area).setTo(cv::Scalar(255, 255, 255));
    const std::size_t max_width = std::max<std::size_t>(d.width(), 1);
    const double bottom = std::floor(std::log10(std::max(d.relative_error(d.width()), 1e-12)));
    const auto px = [text_scale](double pixels) { return int(std::lround(pixels * text_scale)); };
    const int thickness = std::max(1, px(1));
    const int left = area.x + px(50), right = area.x + area.width - px(12), top = area.y + px(10),
              base = area.y + area.height - px(32);  // room for the tick labels above the title
    const bool log_width = schedule == WidthSchedule::logarithmic;
    const auto along = [&](std::size_t w) {  // 0 … 1 along the width axis
        return log_width ? std::log1p(double(w)) / std::log1p(double(max_width)) : double(w) / double(max_width);
    };
    const auto point = [&](std::size_t w) {
        const double e = std::log10(std::max(d.relative_error(w), 1e-12));
        return cv::Point(left + int(double(right - left) * along(w)),
                         top + int(double(base - top) * (0.0 - e) / (0.0 - std::min(bottom, -1.0))));
    };
    const cv::Scalar grey(150, 150, 150), blue(180, 119, 31), red(40, 39, 214), black(0, 0, 0);
    cv::rectangle(canvas, cv::Point(left, top), cv::Point(right, base), grey);
    for (double decade = 0; decade >= std::min(bottom, -1.0); --decade) {
        const int y = top + int(double(base - top) * -decade / -std::min(bottom, -1.0));
        cv::line(canvas, cv::Point(left, y), cv::Point(right, y), cv::Scalar(225, 225, 225));
        cv::putText(canvas, "1e" + std::to_string(int(decade)), cv::Point(area.x + px(4), y + px(4)),
                    cv::FONT_HERSHEY_SIMPLEX, 0.35 * text_scale, black, thickness);
    }
    std::vector<cv::Point> curve;
    const std::size_t step = std::max<std::size_t>(1, max_width / 600);
    for (std::size_t w = 0; w <= d.width(); w += log_width ? 1 + w / 200 : step) curve.push_back(point(w));
    if (log_width)  // the widths 1, 10, 100 … marked under the axis
        for (std::size_t w = 1; w <= max_width; w *= 10) {
            cv::line(canvas, cv::Point(point(w).x, base), cv::Point(point(w).x, base + px(4)), grey);
            cv::putText(canvas, std::to_string(w), cv::Point(point(w).x - px(4), base + px(14)),
                        cv::FONT_HERSHEY_SIMPLEX, 0.33 * text_scale, black, thickness);
        }
    curve.push_back(point(d.width()));
    cv::polylines(canvas, curve, false, blue, std::max(2, px(2)), cv::LINE_AA);
    cv::circle(canvas, point(width), px(5), red, cv::FILLED, cv::LINE_AA);
    put_fitted_text(canvas,
                    log_width ? "relative error against width w (both on log scales)"
                              : "relative error against width w (log scale)",
                    cv::Point(left, area.y + area.height - px(4)), right - left, 0.42 * text_scale, thickness);
}

}  // namespace

std::vector<std::size_t> width_schedule(std::size_t max_width, int frames, WidthSchedule schedule) {
    if (frames < 2) return {max_width};
    std::vector<std::size_t> widths;
    for (int f = 0; f < frames; ++f) {
        const double x = double(f) / double(frames - 1);
        const double w =
            schedule == WidthSchedule::linear ? x * double(max_width) : std::expm1(x * std::log1p(double(max_width)));
        widths.push_back(std::min(max_width, std::size_t(std::llround(w))));
    }
    widths.erase(std::unique(widths.begin(), widths.end()), widths.end());
    return widths;
}

namespace {

// Pictures beside each other, each labelled above, 8 pixels apart.
cv::Mat labelled_row(const std::vector<std::pair<cv::Mat, std::string>>& pictures) {
    constexpr int kGap = 8, kLabel = 22;
    int cols = kGap * int(pictures.size() - 1), rows = 0;
    for (const auto& [picture, label] : pictures) {
        cols += picture.cols;
        rows = std::max(rows, picture.rows);
    }
    cv::Mat row(rows + kLabel, cols, CV_8UC3, cv::Scalar(255, 255, 255));
    int x = 0;
    for (const auto& [picture, label] : pictures) {
        picture.copyTo(row(cv::Rect(x, kLabel, picture.cols, picture.rows)));
        cv::putText(row, label, cv::Point(x + 4, 16), cv::FONT_HERSHEY_SIMPLEX, 0.5, cv::Scalar(0, 0, 0), 1,
                    cv::LINE_AA);
        x += picture.cols + kGap;
    }
    return row;
}

}  // namespace

cv::Mat animation_frame(const Decomposition& d, const Tensor& reconstruction, std::size_t width,
                        const AnimationOptions& options, const Tensor* svd) {
    const float limit = options.heat_limit > 0 ? options.heat_limit : 1.0f;
    cv::Mat pic = picture(reconstruction, options.photo, limit);
    if (options.original && svd) {
        char cuts_label[80], svd_label[80];
        std::snprintf(cuts_label, sizeof cuts_label, "signed cuts: error %.3g", d.relative_error(width));
        std::snprintf(svd_label, sizeof svd_label, "truncated SVD: error %.3g",
                      relative_error(*options.original, *svd));
        pic = labelled_row({{picture(*options.original, options.photo, limit), "original"},
                            {pic, cuts_label},
                            {picture(*svd, options.photo, limit), svd_label}});
    }
    // Text grows with a frame size asked for (a 1920-wide frame is read from across a room).
    const bool sized = options.frame_width > 0;
    const double text_scale = sized ? std::max(1.0, options.frame_width / 640.0) : 1.0;
    const int caption_height = int(std::lround(kCaptionHeight * text_scale));
    const int chart_height = options.with_chart ? int(std::lround(kChartHeight * text_scale)) : 0;
    if (sized) {  // the picture fills what the caption and chart leave, its aspect kept
        const int room_rows = options.frame_height - caption_height - chart_height;
        const double scale = std::min(double(options.frame_width) / pic.cols, double(room_rows) / pic.rows);
        cv::resize(pic, pic, cv::Size(), scale, scale, scale >= 1 ? cv::INTER_NEAREST : cv::INTER_AREA);
    } else if (pic.rows < options.min_picture_height) {
        const double scale = std::ceil(double(options.min_picture_height) / pic.rows);
        cv::resize(pic, pic, cv::Size(), scale, scale, cv::INTER_NEAREST);
    }
    const int cols = sized ? options.frame_width : std::max(pic.cols, 420) + (std::max(pic.cols, 420) % 2);
    const int rows = sized ? options.frame_height : pic.rows + caption_height + chart_height + pic.rows % 2;
    cv::Mat frame(rows, cols, CV_8UC3, cv::Scalar(255, 255, 255));
    const int top = sized ? (rows - caption_height - chart_height - pic.rows) / 2 : 0;
    pic.copyTo(frame(cv::Rect((cols - pic.cols) / 2, top, pic.cols, pic.rows)));
    char caption[160];
    // Significant digits: the first frames of a large matrix are at 4e-4 bits, the last of a
    // long run at errors like 5e-05.
    std::snprintf(caption, sizeof caption, "w = %zu   %.3g bits per entry   relative error %.3g", width,
                  d.bits_per_entry(width), d.relative_error(width));
    const int caption_top = rows - caption_height - chart_height;
    put_fitted_text(frame, caption, cv::Point(int(8 * text_scale), caption_top + int(21 * text_scale)),
                    cols - int(16 * text_scale), 0.5 * text_scale, std::max(1, int(std::lround(text_scale))));
    if (options.with_chart)
        draw_chart(frame, cv::Rect(0, rows - chart_height, cols, chart_height), d, width, options.schedule,
                   text_scale);
    return frame;
}

int write_animation(const std::filesystem::path& path, const Decomposition& d, const AnimationOptions& options,
                    const std::function<void(int)>& on_frame) {
    const std::string extension = lower_extension(path);
    if (extension != "mp4" && extension != "gif") throw FileError(path, "animations are written as .mp4 or .gif");
    if (options.frames < 1 || options.frames > 100000 ||
        !(options.frames_per_second > 0 && options.frames_per_second <= 120))
        throw std::invalid_argument("frames must be 1 … 100000 and the frame rate 0 … 120 per second");
    const bool sized = options.frame_width > 0 || options.frame_height > 0;
    if (sized && (options.frame_width < kMinFrameWidth || options.frame_height < kMinFrameHeight ||
                  options.frame_width > 7680 || options.frame_height > 4320 || options.frame_width % 2 ||
                  options.frame_height % 2))
        throw std::invalid_argument("the frame size must be even, from " + std::to_string(kMinFrameWidth) + " × " +
                                    std::to_string(kMinFrameHeight) + " to 7680 × 4320 pixels");
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
    // Side by side: the SVD of each matrix of the original once, truncated for each frame's bits.
    std::vector<TruncatedSvd> svds;
    if (options.original) {
        if (options.original->shape() != d.shape())
            throw std::invalid_argument("the original beside the animation must have the decomposition's shape");
        for (const Tensor& matrix : as_matrices(*options.original)) svds.emplace_back(matrix);
    }
    const auto svd_at = [&](double bits_per_entry) {
        std::vector<Tensor> parts;
        for (const TruncatedSvd& svd : svds) parts.push_back(svd.at_bits(bits_per_entry).reconstruction);
        return from_matrices(parts, d.shape());
    };
    // Frames are built by adding the cuts (and entries kept apart) between consecutive widths.
    Tensor reconstruction = d.reconstruct(0);
    std::size_t shown = 0;
    const auto frame_at = [&](std::size_t w) {
        d.add_cuts(reconstruction, shown, w, 1.0f);
        d.add_outliers(reconstruction, shown, w, 1.0f);
        shown = w;
        if (svds.empty()) return animation_frame(d, reconstruction, w, frame_options);
        const Tensor svd = svd_at(d.bits_per_entry(w));
        return animation_frame(d, reconstruction, w, frame_options, &svd);
    };
    cv::Mat first = frame_at(widths.front());
    const double frame_seconds = 1.0 / options.frames_per_second;
    const double hold_seconds = std::max(options.hold_last_seconds, frame_seconds);
    int written = 0;
    if (extension == "gif") {
        GifWriter gif(path, first.cols, first.rows, std::max(2, int(std::lround(100.0 * frame_seconds))));
        for (std::size_t f = 0; f < widths.size(); ++f) {
            const bool last = f + 1 == widths.size();
            gif.add_frame(f == 0 ? first : frame_at(widths[f]), last ? int(std::lround(100.0 * hold_seconds)) : 0);
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
        cv::VideoWriter video(temporary.string(), cv::CAP_FFMPEG, cv::VideoWriter::fourcc('a', 'v', 'c', '1'),
                              options.frames_per_second, first.size());
        if (!video.isOpened())
            throw FileError(path,
                            "OpenCV cannot write H.264 video here (its FFmpeg has no libx264?): save a .gif instead");
        cv::Mat frame;
        for (std::size_t f = 0; f < widths.size(); ++f) {
            frame = f == 0 ? first : frame_at(widths[f]);
            video.write(frame);
            if (on_frame) on_frame(written);
            ++written;
        }
        // A video has one frame rate: the last frame is repeated to be held.
        const int repeats = int(std::lround(hold_seconds / frame_seconds)) - 1;
        for (int r = 0; r < repeats; ++r) video.write(frame);
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
