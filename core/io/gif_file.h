#pragma once
// Animated GIF (GIF89a) writing, frame by frame, for exported animations (OpenCV 4.6 has no
// GIF encoder), through giflib. Colours go to one fixed 6×7×6 palette with 4×4 ordered
// dithering, which needs no pass over all frames first. The file loops forever and is
// written atomically.

#include <opencv2/core/mat.hpp>

#include <exception>
#include <filesystem>

#include "io/file_access.h"

struct GifFileType;

namespace signcut {

class GifWriter {
public:
    // Every frame must be width × height, 8-bit BGR; `delay_centiseconds` between frames.
    GifWriter(const std::filesystem::path& path, int width, int height, int delay_centiseconds);
    ~GifWriter();
    GifWriter(const GifWriter&) = delete;
    GifWriter& operator=(const GifWriter&) = delete;
    // `delay_centiseconds` > 0 holds this frame that long instead (e.g. the last one, before the loop).
    void add_frame(const cv::Mat& bgr, int delay_centiseconds = 0);
    void commit();
    int frames() const { return frames_; }

private:
    static int write_bytes(GifFileType* gif, const unsigned char* data, int size);
    void check(int giflib_result, const char* step);

    AtomicFileWriter out_;
    GifFileType* gif_ = nullptr;
    std::exception_ptr write_error_;  // from out_, kept while giflib unwinds
    int width_, height_, delay_;
    int frames_ = 0;
};

}  // namespace signcut
