#include "io/gif_file.h"

#include <gif_lib.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace signcut {
namespace {

constexpr int kRed = 6, kGreen = 7, kBlue = 6;  // palette levels: 252 colours
constexpr int kBayer[4][4] = {{0, 8, 2, 10}, {12, 4, 14, 6}, {3, 11, 1, 9}, {15, 7, 13, 5}};

// The level (0 … levels−1) of an 8-bit value, dithered by the threshold t in [0, 1).
int level(int value, int levels, double t) {
    const double scaled = value / 255.0 * (levels - 1);
    const int low = int(scaled);
    return std::min(levels - 1, low + (scaled - low > t ? 1 : 0));
}

// The 6×7×6 colour cube, padded to 256 entries with black.
std::vector<GifColorType> palette() {
    std::vector<GifColorType> colours(256, GifColorType{0, 0, 0});
    for (int i = 0; i < kRed * kGreen * kBlue; ++i) {
        const int r = i / (kGreen * kBlue), g = i / kBlue % kGreen, b = i % kBlue;
        colours[std::size_t(i)] = {GifByteType(r * 255 / (kRed - 1)), GifByteType(g * 255 / (kGreen - 1)),
                                   GifByteType(b * 255 / (kBlue - 1))};
    }
    return colours;
}

}  // namespace

int GifWriter::write_bytes(GifFileType* gif, const unsigned char* data, int size) {
    auto* self = static_cast<GifWriter*>(gif->UserData);
    try {
        self->out_.write(data, std::size_t(size));
        return size;
    } catch (...) {  // no exception may cross giflib's C frames
        self->write_error_ = std::current_exception();
        return 0;
    }
}

void GifWriter::check(int giflib_result, const char* step) {
    if (write_error_) std::rethrow_exception(std::exchange(write_error_, nullptr));
    if (giflib_result != GIF_OK)
        throw std::runtime_error(std::string("GIF ") + step + ": " + GifErrorString(gif_ ? gif_->Error : 0));
}

GifWriter::GifWriter(const std::filesystem::path& path, int width, int height, int delay_centiseconds)
    : out_(path), width_(width), height_(height), delay_(delay_centiseconds) {
    if (width < 1 || height < 1 || width > 65535 || height > 65535)
        throw std::invalid_argument("GIF frame size out of range");
    int error = 0;
    gif_ = EGifOpen(this, &GifWriter::write_bytes, &error);
    if (!gif_) throw std::runtime_error(std::string("GIF: ") + GifErrorString(error));
    EGifSetGifVersion(gif_, true);  // GIF89a: the loop and delays are extensions
    std::vector<GifColorType> colours = palette();
    ColorMapObject* map = GifMakeMapObject(256, colours.data());
    const int screen = EGifPutScreenDesc(gif_, width, height, 8, 0, map);
    GifFreeMapObject(map);
    check(screen, "screen descriptor");
    // NETSCAPE2.0 application extension: loop forever.
    const unsigned char loop[] = {1, 0, 0};
    check(EGifPutExtensionLeader(gif_, APPLICATION_EXT_FUNC_CODE), "loop extension");
    check(EGifPutExtensionBlock(gif_, 11, "NETSCAPE2.0"), "loop extension");
    check(EGifPutExtensionBlock(gif_, 3, loop), "loop extension");
    check(EGifPutExtensionTrailer(gif_), "loop extension");
}

GifWriter::~GifWriter() {
    if (!gif_) return;
    int error = 0;
    EGifCloseFile(gif_, &error);  // its trailer goes to the uncommitted temporary file
}

void GifWriter::add_frame(const cv::Mat& bgr, int delay_centiseconds) {
    if (bgr.type() != CV_8UC3 || bgr.cols != width_ || bgr.rows != height_)
        throw std::invalid_argument("GIF frames must all be 8-bit BGR of the first frame's size");
    // Graphic control: no transparency, the frame's delay.
    const int delay = delay_centiseconds > 0 ? std::min(delay_centiseconds, 0xFFFF) : delay_;
    const unsigned char control[] = {0, GifByteType(delay & 0xFF), GifByteType((delay >> 8) & 0xFF), 0};
    check(EGifPutExtension(gif_, GRAPHICS_EXT_FUNC_CODE, 4, control), "graphic control");
    check(EGifPutImageDesc(gif_, 0, 0, width_, height_, false, nullptr), "image descriptor");  // the global palette
    std::vector<GifPixelType> line(static_cast<std::size_t>(width_));
    for (int y = 0; y < height_; ++y) {
        const auto* row = bgr.ptr<std::uint8_t>(y);
        for (int x = 0; x < width_; ++x) {
            const double t = (kBayer[y & 3][x & 3] + 0.5) / 16.0;
            const int b = level(row[3 * x], kBlue, t), g = level(row[3 * x + 1], kGreen, t),
                      r = level(row[3 * x + 2], kRed, t);
            line[std::size_t(x)] = GifPixelType((r * kGreen + g) * kBlue + b);
        }
        check(EGifPutLine(gif_, line.data(), width_), "image data");
    }
    ++frames_;
}

void GifWriter::commit() {
    int error = 0;
    const int closed = EGifCloseFile(gif_, &error);  // writes the trailer and frees gif_
    gif_ = nullptr;
    if (write_error_) std::rethrow_exception(std::exchange(write_error_, nullptr));
    if (closed != GIF_OK) throw std::runtime_error(std::string("GIF: ") + GifErrorString(error));
    out_.commit();
}

}  // namespace signcut
