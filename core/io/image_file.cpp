#include "io/image_file.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdlib>

#include "io/file_access.h"

namespace signcut {
namespace {

constexpr std::uint64_t kMaxImageFileBytes = std::uint64_t(1) << 30;

}  // namespace

LoadedImage decode_image(std::span<const char> bytes, const std::filesystem::path& source, std::size_t max_pixels) {
    const auto fail = [&](const std::string& problem) { return FileError(source, problem); };
    // OpenCV refuses images above this pixel count before allocating them; it reads the
    // variable once, so set it before the first decode.
    static const bool limit_set = [max_pixels] {
        return ::setenv("OPENCV_IO_MAX_IMAGE_PIXELS", std::to_string(max_pixels).c_str(), 0) == 0;
    }();
    (void)limit_set;
    if (bytes.empty()) throw fail("the file is empty (0 bytes)");  // OpenCV would say "!buf.empty()"
    cv::Mat image;
    try {
        const cv::Mat buffer(1, int(bytes.size()), CV_8U, const_cast<char*>(bytes.data()));
        image = cv::imdecode(buffer, cv::IMREAD_UNCHANGED);
    } catch (const cv::Exception& error) {
        throw fail(std::string("cannot decode the image: ") + error.err);
    }
    if (image.empty()) throw fail("not an image format OpenCV can decode, or the file is corrupt");
    if (std::size_t(image.rows) * std::size_t(image.cols) > max_pixels)
        throw fail("image of " + std::to_string(image.cols) + "x" + std::to_string(image.rows) +
                   " pixels exceeds the limit of " + std::to_string(max_pixels) + " pixels");

    LoadedImage loaded;
    double scale = 1.0;
    switch (image.depth()) {
        case CV_8U:
            scale = 1.0 / 255.0;
            loaded.bit_depth = 8;
            break;
        case CV_16U:
            scale = 1.0 / 65535.0;
            loaded.bit_depth = 16;
            break;
        case CV_32F:
            loaded.bit_depth = 32;
            break;
        default:
            throw fail("unsupported pixel type (signcut reads 8-bit, 16-bit and float images)");
    }
    switch (image.channels()) {
        case 1:
            break;
        case 2:
            cv::extractChannel(image, image, 0);
            loaded.notes.push_back("alpha channel dropped");
            break;
        case 3:
            cv::cvtColor(image, image, cv::COLOR_BGR2RGB);
            break;
        case 4:
            cv::cvtColor(image, image, cv::COLOR_BGRA2RGB);
            loaded.notes.push_back("alpha channel dropped");
            break;
        default:
            throw fail("unsupported channel count " + std::to_string(image.channels()));
    }
    cv::Mat values;
    image.convertTo(values, CV_MAKETYPE(CV_32F, image.channels()), scale);
    const std::size_t rows = std::size_t(values.rows), cols = std::size_t(values.cols);
    const std::size_t channels = std::size_t(values.channels());
    Shape shape = channels == 1 ? Shape{rows, cols} : Shape{rows, cols, channels};
    FloatBuffer data(rows * cols * channels);
    for (std::size_t r = 0; r < rows; ++r) {
        const float* row = values.ptr<float>(int(r));
        std::copy(row, row + cols * channels, data.begin() + std::ptrdiff_t(r * cols * channels));
    }
    loaded.tensor = Tensor(std::move(shape), std::move(data));
    return loaded;
}

LoadedImage load_image(const std::filesystem::path& path, std::size_t max_pixels) {
    return decode_image(read_file_bytes(path, kMaxImageFileBytes), path, max_pixels);
}

Tensor resize_image(const Tensor& image, std::size_t rows, std::size_t cols) {
    const int channels = image.order() == 3 ? int(image.dim(2)) : 1;
    if (image.order() < 2 || image.order() > 3 || channels > 4)
        throw std::invalid_argument("resize_image needs a height x width (x channels) tensor");
    const cv::Mat source(int(image.dim(0)), int(image.dim(1)), CV_MAKETYPE(CV_32F, channels),
                         const_cast<float*>(image.data().data()));
    cv::Mat resized;
    cv::resize(source, resized, cv::Size(int(cols), int(rows)), 0, 0, cv::INTER_AREA);
    Shape shape = image.order() == 3 ? Shape{rows, cols, std::size_t(channels)} : Shape{rows, cols};
    const float* data = resized.ptr<float>(0);  // a fresh cv::Mat is continuous
    return Tensor(std::move(shape), std::vector<float>(data, data + rows * cols * std::size_t(channels)));
}

void save_image(const std::filesystem::path& path, const Tensor& image) {
    const bool gray = image.order() == 2 || (image.order() == 3 && image.dim(2) == 1);
    if (!gray && !(image.order() == 3 && image.dim(2) == 3))
        throw FileError(path, "only height x width (x 1 or 3) tensors can be saved as images, not " +
                                  shape_to_string(image.shape()));
    const int rows = int(image.dim(0)), cols = int(image.dim(1));
    cv::Mat values(rows, cols, gray ? CV_32FC1 : CV_32FC3, const_cast<float*>(image.data().data()));
    cv::Mat pixels;
    values.convertTo(pixels, gray ? CV_8UC1 : CV_8UC3, 255.0);  // saturates outside [0, 1]
    if (!gray) cv::cvtColor(pixels, pixels, cv::COLOR_RGB2BGR);
    std::vector<uchar> encoded;
    try {
        if (!cv::imencode(path.extension().string(), pixels, encoded)) throw FileError(path, "cannot encode the image");
    } catch (const cv::Exception& error) {
        throw FileError(path, std::string("cannot encode the image: ") + error.err);
    }
    write_file_atomically(path, std::vector<char>(encoded.begin(), encoded.end()));
}

}  // namespace signcut
