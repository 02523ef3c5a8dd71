#include "methods/image_codecs.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "methods/image_quality.h"

namespace signcut {
namespace {

std::size_t channel_count(const Shape& shape) { return shape.size() == 3 ? shape[2] : 1; }

// 8-bit pixels in OpenCV's order (BGR): round(value · 255 / L).
cv::Mat to_pixels(const Tensor& image, double data_range) {
    const int rows = int(image.dim(0)), cols = int(image.dim(1));
    const bool colour = channel_count(image.shape()) == 3;
    const cv::Mat values(rows, cols, colour ? CV_32FC3 : CV_32FC1, const_cast<float*>(image.data().data()));
    cv::Mat pixels;
    values.convertTo(pixels, colour ? CV_8UC3 : CV_8UC1, 255.0 / data_range);  // rounds to nearest
    if (colour) cv::cvtColor(pixels, pixels, cv::COLOR_RGB2BGR);
    return pixels;
}

// The file of `pixels` at `quality` (1–100; PNG ignores it). Empty when the encoder refuses.
std::vector<uchar> encode(const cv::Mat& pixels, ImageCodec codec, int quality) {
    std::vector<int> parameters;
    switch (codec) {
        // 4:2:0 chroma (OpenCV's default) and Huffman tables optimised for the picture, as web JPEGs are.
        case ImageCodec::jpeg:
            parameters = {cv::IMWRITE_JPEG_QUALITY, quality, cv::IMWRITE_JPEG_OPTIMIZE, 1};
            break;
        case ImageCodec::webp:
            parameters = {cv::IMWRITE_WEBP_QUALITY, quality};
            break;  // ≤ 100: lossy
        case ImageCodec::png:
            parameters = {cv::IMWRITE_PNG_COMPRESSION, 9};
            break;
    }
    std::vector<uchar> file;
    try {
        if (!cv::imencode(std::string(".") + to_string(codec), pixels, file, parameters)) file.clear();
    } catch (const cv::Exception&) {
        file.clear();  // e.g. WebP above 16383 pixels a side
    }
    return file;
}

// The decoded file as a tensor of `shape` with values in [0, L].
Tensor decode(const std::vector<uchar>& file, const Shape& shape, double data_range) {
    const bool colour = channel_count(shape) == 3;
    cv::Mat pixels = cv::imdecode(file, colour ? cv::IMREAD_COLOR : cv::IMREAD_GRAYSCALE);
    if (pixels.rows != int(shape[0]) || pixels.cols != int(shape[1]))
        throw std::runtime_error("the decoder gave back no picture of the encoded size");
    if (colour) cv::cvtColor(pixels, pixels, cv::COLOR_BGR2RGB);
    cv::Mat values;
    pixels.convertTo(values, colour ? CV_32FC3 : CV_32FC1, data_range / 255.0);
    Tensor out(shape);
    const std::size_t row_length = shape[1] * channel_count(shape);
    for (std::size_t r = 0; r < shape[0]; ++r) {
        const float* row = values.ptr<float>(int(r));
        std::copy(row, row + row_length, out.data().begin() + std::ptrdiff_t(r * row_length));
    }
    return out;
}

std::string rate_text(std::size_t bytes, std::size_t entries) {
    char text[64];
    std::snprintf(text, sizeof text, "%.4g bits per entry", 8.0 * double(bytes) / double(entries));
    return text;
}

std::string not_an_image(const Tensor& a, ImageCodec codec) {
    std::string why = std::string(to_string(codec)) +
                      " codes pictures only (height x width, or x 3, values in [0, 1] or [0, 255]), not this " +
                      shape_to_string(a.shape()) + " tensor";
    if (a.size() > 0) {
        const auto [lo, hi] = std::minmax_element(a.data().begin(), a.data().end());
        char range[80];
        std::snprintf(range, sizeof range, " with values in [%.3g, %.3g]", double(*lo), double(*hi));
        why += range;
    }
    return why;
}

}  // namespace

Approximation codec_at_budget(const Tensor& image, ImageCodec codec, double bits_per_entry) {
    const std::optional<double> range = image_data_range(image);
    if (!range) return unmet(not_an_image(image, codec));
    const cv::Mat pixels = to_pixels(image, *range);
    const double budget_bytes = bits_per_entry * double(image.size()) / 8.0;  // the whole file: 8·bytes ≤ B·entries
    const auto fits = [&](const std::vector<uchar>& file) {
        return !file.empty() && double(file.size()) <= budget_bytes;
    };
    const auto met = [&](const std::vector<uchar>& file, std::string note) {
        Approximation out;
        out.bits = 8 * std::uint64_t(file.size());
        out.reconstruction = decode(file, image.shape(), *range);
        out.note = std::move(note) + ", " + std::to_string(file.size()) + " bytes";
        return out;
    };
    if (codec == ImageCodec::png) {
        const std::vector<uchar> file = encode(pixels, codec, 0);
        if (file.empty()) return unmet("the PNG encoder refused this image");
        if (!fits(file)) return unmet("lossless PNG needs " + rate_text(file.size(), image.size()));
        return met(file, "lossless");
    }
    // Bisection: `low` fits, `high` does not.
    std::vector<uchar> best = encode(pixels, codec, 1);
    if (best.empty()) return unmet(std::string("the ") + to_string(codec) + " encoder refused this image");
    if (!fits(best)) return unmet("quality 1 needs " + rate_text(best.size(), image.size()));
    int low = 1, high = 101;
    while (high - low > 1) {
        const int middle = (low + high) / 2;
        std::vector<uchar> file = encode(pixels, codec, middle);
        if (fits(file)) low = middle, best = std::move(file);
        else high = middle;
    }
    return met(best, "quality " + std::to_string(low));
}

double codec_minimum_bits_per_entry(const Shape& shape, ImageCodec codec) {
    const std::size_t entries = element_count(shape);
    if (!is_picture_shape(shape) || entries == 0) return 8.0;  // refused anyway; any positive rate
    const std::size_t pixels = shape[0] * shape[1];
    // Above 4 Mpixels, not worth an encode on the caller's thread: the file's headers alone.
    if (pixels > (std::size_t(1) << 22)) return 8.0 * (codec == ImageCodec::jpeg ? 300.0 : 40.0) / double(entries);
    const cv::Mat flat(static_cast<int>(shape[0]), static_cast<int>(shape[1]),
                       channel_count(shape) == 3 ? CV_8UC3 : CV_8UC1, cv::Scalar::all(128));
    const std::vector<uchar> file = encode(flat, codec, 1);
    return file.empty() ? 8.0 : 8.0 * double(file.size()) / double(entries);
}

}  // namespace signcut
