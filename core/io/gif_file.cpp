#include "io/gif_file.h"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <vector>

namespace signcut {
namespace {

constexpr int kRed = 6, kGreen = 7, kBlue = 6;  // palette levels: 252 colours
constexpr int kBayer[4][4] = {{0, 8, 2, 10}, {12, 4, 14, 6}, {3, 11, 1, 9}, {15, 7, 13, 5}};

void put16(std::vector<char>& out, int value) {
    out.push_back(char(value & 0xFF));
    out.push_back(char((value >> 8) & 0xFF));
}

// The level (0 … levels−1) of an 8-bit value, dithered by the threshold t in [0, 1).
int level(int value, int levels, double t) {
    const double scaled = value / 255.0 * (levels - 1);
    const int low = int(scaled);
    return std::min(levels - 1, low + (scaled - low > t ? 1 : 0));
}

// GIF's variable-width LZW with 8-bit symbols: codes start at 9 bits, 256 clears, 257 ends.
std::vector<char> lzw(const std::vector<std::uint8_t>& pixels) {
    constexpr int kClear = 256, kEnd = 257, kMaxCode = 4096;
    std::vector<char> bytes;
    std::uint32_t buffer = 0;
    int filled = 0, width = 9, next = kEnd + 1;
    const auto emit = [&](int code) {
        buffer |= std::uint32_t(code) << filled;
        filled += width;
        while (filled >= 8) {
            bytes.push_back(char(buffer & 0xFF));
            buffer >>= 8;
            filled -= 8;
        }
    };
    std::vector<std::uint16_t> table(std::size_t(kMaxCode) * 256, 0);  // (prefix, symbol) → code, 0 = none
    emit(kClear);
    int prefix = pixels.empty() ? -1 : pixels[0];
    for (std::size_t i = 1; i < pixels.size(); ++i) {
        const std::size_t key = std::size_t(prefix) * 256 + pixels[i];
        if (table[key]) {
            prefix = table[key];
            continue;
        }
        emit(prefix);
        if (next < kMaxCode) {
            table[key] = std::uint16_t(next);
            if (next++ == (1 << width) && width < 12) ++width;
        } else {  // the table is full: start again
            emit(kClear);
            std::fill(table.begin(), table.end(), 0);
            width = 9;
            next = kEnd + 1;
        }
        prefix = pixels[i];
    }
    if (prefix >= 0) emit(prefix);
    emit(kEnd);
    if (filled > 0) bytes.push_back(char(buffer & 0xFF));
    return bytes;
}

}  // namespace

GifWriter::GifWriter(const std::filesystem::path& path, int width, int height, int delay_centiseconds)
    : out_(path), width_(width), height_(height), delay_(delay_centiseconds) {
    if (width < 1 || height < 1 || width > 65535 || height > 65535)
        throw std::invalid_argument("GIF frame size out of range");
    std::vector<char> head = {'G', 'I', 'F', '8', '9', 'a'};
    put16(head, width);
    put16(head, height);
    head.push_back(char(0xF7));  // global colour table of 256 entries, 8-bit colour resolution
    head.push_back(0);           // background colour
    head.push_back(0);           // square pixels
    for (int i = 0; i < 256; ++i) {
        const int r = i / (kGreen * kBlue), g = i / kBlue % kGreen, b = i % kBlue;
        const bool used = i < kRed * kGreen * kBlue;
        head.push_back(char(used ? r * 255 / (kRed - 1) : 0));
        head.push_back(char(used ? g * 255 / (kGreen - 1) : 0));
        head.push_back(char(used ? b * 255 / (kBlue - 1) : 0));
    }
    // NETSCAPE2.0 application extension: loop forever.
    const char loop[] = {'\x21', '\xFF', '\x0B', 'N', 'E',    'T',    'S', 'C', 'A', 'P',
                         'E',    '2',    '.',    '0', '\x03', '\x01', 0,   0,   0};
    head.insert(head.end(), loop, loop + sizeof loop);
    out_.write(head.data(), head.size());
}

void GifWriter::add_frame(const cv::Mat& bgr, int delay_centiseconds) {
    if (bgr.type() != CV_8UC3 || bgr.cols != width_ || bgr.rows != height_)
        throw std::invalid_argument("GIF frames must all be 8-bit BGR of the first frame's size");
    std::vector<std::uint8_t> pixels(std::size_t(width_) * std::size_t(height_));
    for (int y = 0; y < height_; ++y) {
        const auto* row = bgr.ptr<std::uint8_t>(y);
        for (int x = 0; x < width_; ++x) {
            const double t = (kBayer[y & 3][x & 3] + 0.5) / 16.0;
            const int b = level(row[3 * x], kBlue, t), g = level(row[3 * x + 1], kGreen, t),
                      r = level(row[3 * x + 2], kRed, t);
            pixels[std::size_t(y) * std::size_t(width_) + std::size_t(x)] = std::uint8_t((r * kGreen + g) * kBlue + b);
        }
    }
    std::vector<char> block = {'\x21', '\xF9', '\x04', 0};  // graphic control: no transparency
    put16(block, delay_centiseconds > 0 ? std::min(delay_centiseconds, 0xFFFF) : delay_);
    block.push_back(0);
    block.push_back(0);
    block.push_back('\x2C');  // image descriptor: whole screen, global palette
    put16(block, 0);
    put16(block, 0);
    put16(block, width_);
    put16(block, height_);
    block.push_back(0);
    block.push_back(8);  // LZW minimum code size
    const std::vector<char> data = lzw(pixels);
    for (std::size_t i = 0; i < data.size(); i += 255) {
        const std::size_t n = std::min<std::size_t>(255, data.size() - i);
        block.push_back(char(n));
        block.insert(block.end(), data.begin() + std::ptrdiff_t(i), data.begin() + std::ptrdiff_t(i + n));
    }
    block.push_back(0);
    out_.write(block.data(), block.size());
    ++frames_;
}

void GifWriter::commit() {
    const char trailer = '\x3B';
    out_.write(&trailer, 1);
    out_.commit();
}

}  // namespace signcut
