// Teaching aids in core: the step-through trace of one cut against the engine's own cut,
// the width schedule, and exported animations (a GIF decoded here independently, an MP4 read
// back through OpenCV).
#include <QTemporaryDir>
#include <QTest>

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <cmath>
#include <fstream>

#include "animation/reconstruction_animation.h"
#include "io/gif_file.h"
#include "scd/cut_trace.h"
#include "scd/decomposer.h"
#include "tensor/random_tensor.h"

using namespace signcut;

namespace {

struct GifImage {
    int width = 0, height = 0;
    std::vector<std::array<std::uint8_t, 3>> palette;
    std::vector<std::vector<std::uint8_t>> frames;  // palette indices
    std::vector<int> delays;                        // centiseconds, from each frame's graphic control
    bool loops = false;
};

// A plain GIF89a decoder (global palette, full-frame images), written from the format's
// description and independent of the encoder under test.
GifImage decode_gif(const std::vector<std::uint8_t>& b) {
    GifImage gif;
    std::size_t p = 0;
    const auto u16 = [&](std::size_t at) { return int(b.at(at) | (b.at(at + 1) << 8)); };
    if (std::string(b.begin(), b.begin() + 6) != "GIF89a") throw std::runtime_error("no GIF89a signature");
    gif.width = u16(6);
    gif.height = u16(8);
    const int flags = b.at(10);
    p = 13;
    if (flags & 0x80) {
        const int size = 2 << (flags & 7);
        for (int i = 0; i < size; ++i, p += 3) gif.palette.push_back({b.at(p), b.at(p + 1), b.at(p + 2)});
    }
    while (true) {
        const int kind = b.at(p++);
        if (kind == 0x3B) return gif;
        if (kind == 0x21) {  // extension: label, then sub-blocks
            const int label = b.at(p++);
            if (label == 0xFF && b.at(p) == 11 &&
                std::string(b.begin() + std::ptrdiff_t(p + 1), b.begin() + std::ptrdiff_t(p + 12)) == "NETSCAPE2.0")
                gif.loops = true;
            if (label == 0xF9 && b.at(p) == 4) gif.delays.push_back(u16(p + 2));
            while (int n = b.at(p++)) p += std::size_t(n);
            continue;
        }
        if (kind != 0x2C) throw std::runtime_error("unexpected block");
        const int w = u16(p + 4), h = u16(p + 6);
        if (w != gif.width || h != gif.height || (b.at(p + 8) & 0x80)) throw std::runtime_error("unsupported image");
        p += 9;
        const int min_code = b.at(p++);
        std::vector<std::uint8_t> data;
        while (int n = b.at(p++)) {
            data.insert(data.end(), b.begin() + std::ptrdiff_t(p), b.begin() + std::ptrdiff_t(p) + n);
            p += std::size_t(n);
        }
        // LZW decoding.
        const int clear = 1 << min_code, end = clear + 1;
        std::vector<std::vector<std::uint8_t>> table;
        const auto reset = [&] {
            table.assign(std::size_t(end + 1), {});
            for (int i = 0; i < clear; ++i) table[std::size_t(i)] = {std::uint8_t(i)};
        };
        reset();
        int width = min_code + 1, previous = -1;
        std::size_t bit = 0;
        std::vector<std::uint8_t> pixels;
        while (bit + std::size_t(width) <= data.size() * 8) {
            int code = 0;
            for (int i = 0; i < width; ++i, ++bit) code |= ((data[bit / 8] >> (bit % 8)) & 1) << i;
            if (code == clear) {
                reset();
                width = min_code + 1;
                previous = -1;
                continue;
            }
            if (code == end) break;
            std::vector<std::uint8_t> entry;
            if (code < int(table.size())) entry = table[std::size_t(code)];
            else if (code == int(table.size()) && previous >= 0) {
                entry = table[std::size_t(previous)];
                entry.push_back(entry.front());
            } else {
                throw std::runtime_error("bad LZW code");
            }
            pixels.insert(pixels.end(), entry.begin(), entry.end());
            if (previous >= 0 && table.size() < 4096) {
                auto added = table[std::size_t(previous)];
                added.push_back(entry.front());
                table.push_back(added);
                if (int(table.size()) == (1 << width) && width < 12) ++width;
            }
            previous = code;
        }
        if (int(pixels.size()) != w * h) throw std::runtime_error("wrong pixel count");
        gif.frames.push_back(pixels);
    }
}

std::vector<std::uint8_t> read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

// The signs of cut j of a decomposition as a ±1 tensor.
Tensor engine_sign_tensor(const Decomposition& d, std::size_t j) {
    Tensor t(d.shape());
    d.add_cuts(t, j, j + 1, 1.0f / d.coeffs()[j]);
    return t;
}

}  // namespace

class TeachingTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void theTraceFindsTheEnginesNextCut() {
        for (const Shape& shape : {Shape{20, 30}, Shape{9, 8, 3}, Shape{7, 6, 5}}) {
            DecomposeOptions options;
            options.seed = 4;
            options.stop.width = 12;
            Decomposer engine(gaussian_tensor(shape, 5), options);
            for (int i = 0; i < 6; ++i) QVERIFY(engine.step());
            const CutTrace trace = trace_cut(engine.residual(), 6, options);
            QVERIFY(engine.step());
            const Decomposition& d = engine.decomposition();
            // The same rank-one sign tensor (s ⊗ t equals (−s) ⊗ (−t)), value, coefficient and sweeps.
            const Tensor expected = engine_sign_tensor(d, 6), traced = sign_tensor(trace.signs());
            for (std::size_t i = 0; i < expected.size(); ++i) QCOMPARE(traced[i], std::round(expected[i]));
            QVERIFY(std::abs(trace.value - engine.last_cut_value()) <= 1e-5 * trace.value);
            QVERIFY(std::abs(trace.coeff - d.coeffs()[6]) <= 1e-5f * std::abs(trace.coeff));
            QCOMPARE(trace.sweeps, engine.last_iterations());
            // ‖R‖ before and after agree with the engine's error curve.
            const double norm = std::sqrt(d.input_squared_norm());
            QVERIFY(std::abs(trace.residual_norm_before / norm - d.relative_error(6)) < 1e-5);
            QVERIFY(std::abs(trace.residual_norm_after / norm - d.relative_error(7)) < 1e-5);
            // Every step sets one mode and never lowers the value within a sweep's end.
            QCOMPARE(trace.steps.size(), std::size_t(trace.sweeps) * shape.size());
            for (std::size_t s = shape.size(); s < trace.steps.size(); s += shape.size())
                QVERIFY(trace.steps[s + shape.size() - 1].value >= trace.steps[s - 1].value - 1e-9);
        }
    }

    void widthSchedulesRunFromZeroToTheLastWidth() {
        const auto linear = width_schedule(100, 11, WidthSchedule::linear);
        QCOMPARE(linear, (std::vector<std::size_t>{0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100}));
        const auto log = width_schedule(1000, 30, WidthSchedule::logarithmic);
        QCOMPARE(log.front(), std::size_t(0));
        QCOMPARE(log.back(), std::size_t(1000));
        QVERIFY(std::is_sorted(log.begin(), log.end()) && std::adjacent_find(log.begin(), log.end()) == log.end());
        QVERIFY(log[log.size() / 2] < 100);  // half the frames on the first tenth of the widths
    }

    void aGifDecodesToTheFramesWritten() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("t.gif").toStdString();
        // Colours on the palette's grid come back exactly, whatever the dithering.
        const cv::Scalar colours[] = {{0, 0, 0}, {255, 255, 255}, {0, 0, 255}, {255, 0, 0}};
        {
            GifWriter gif(path, 37, 23, 7);
            for (const cv::Scalar& c : colours) {
                cv::Mat frame(23, 37, CV_8UC3, c);
                cv::rectangle(frame, cv::Rect(3, 4, 10, 6), cv::Scalar(255, 255, 255) - c, cv::FILLED);
                gif.add_frame(frame);
            }
            gif.commit();
        }
        const GifImage gif = decode_gif(read_all(path));
        QCOMPARE(gif.width, 37);
        QCOMPARE(gif.height, 23);
        QVERIFY(gif.loops);
        QCOMPARE(gif.frames.size(), std::size_t(4));
        for (std::size_t f = 0; f < 4; ++f) {
            const auto rgb = [&](int x, int y) { return gif.palette[gif.frames[f][std::size_t(y * 37 + x)]]; };
            const cv::Scalar c = colours[f];
            const std::array<std::uint8_t, 3> outside{std::uint8_t(c[2]), std::uint8_t(c[1]), std::uint8_t(c[0])};
            const std::array<std::uint8_t, 3> inside{std::uint8_t(255 - c[2]), std::uint8_t(255 - c[1]),
                                                     std::uint8_t(255 - c[0])};
            QCOMPARE(rgb(30, 20), outside);
            QCOMPARE(rgb(5, 6), inside);
        }
        // A large, busy frame exercises the code-width growth and table resets.
        {
            GifWriter busy(path, 640, 480, 5);
            cv::Mat noise(480, 640, CV_8UC3);
            cv::randu(noise, 0, 256);
            busy.add_frame(noise);
            busy.commit();
        }
        QCOMPARE(decode_gif(read_all(path)).frames.size(), std::size_t(1));
    }

    void animationsHoldEveryScheduledFrame() {
        QTemporaryDir dir;
        DecomposeOptions options;
        options.stop.width = 50;
        const Decomposition d = decompose(gaussian_tensor({24, 32}, 6), options);
        AnimationOptions animation;
        animation.frames = 12;
        animation.photo = false;
        animation.with_chart = true;
        const std::size_t frames = width_schedule(50, 12, animation.schedule).size();
        const std::string gif_path = dir.filePath("a.gif").toStdString(),
                          mp4_path = dir.filePath("a.mp4").toStdString();
        QCOMPARE(std::size_t(write_animation(gif_path, d, animation)), frames);
        const GifImage gif = decode_gif(read_all(gif_path));
        QCOMPARE(gif.frames.size(), frames);
        // 15 frames per second; the last frame held 2 s before the loop.
        QCOMPARE(gif.delays.front(), 7);
        QCOMPARE(gif.delays.back(), 200);
        QCOMPARE(std::size_t(write_animation(mp4_path, d, animation)), frames);
        cv::VideoCapture video(mp4_path);
        QVERIFY(video.isOpened());
        const auto fourcc = int(video.get(cv::CAP_PROP_FOURCC));
        const std::string codec = {char(fourcc & 255), char((fourcc >> 8) & 255), char((fourcc >> 16) & 255),
                                   char(fourcc >> 24)};
        QVERIFY2(codec == "avc1" || codec == "h264" || codec == "H264", codec.c_str());
        std::size_t read = 0;
        cv::Mat frame;
        while (video.read(frame)) {
            QCOMPARE(frame.cols % 2, 0);
            ++read;
        }
        QCOMPARE(read, frames + 29);  // the last frame repeated for 2 s at 15 per second
        QVERIFY_THROWS_EXCEPTION(FileError, write_animation(dir.filePath("a.avi").toStdString(), d, animation));
    }
};

QTEST_MAIN(TeachingTest)
#include "test_teaching.moc"
