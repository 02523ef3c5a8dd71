#include "methods/image_quality.h"

#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <vector>

namespace signcut {
namespace {

constexpr int kWindow = 11;  // the Gaussian window's side
constexpr double kWindowSigma = 1.5;
constexpr double kK1 = 0.01, kK2 = 0.03;
constexpr std::size_t kRowsPerBlock = 32;  // output rows of SSIM per task

// The 1-D Gaussian of the separable window, normalised to sum 1 (so the 2-D one sums to 1 too).
std::array<double, kWindow> gaussian_taps() {
    std::array<double, kWindow> taps{};
    for (int k = 0; k < kWindow; ++k) {
        const int offset = k - kWindow / 2;  // from the centre tap
        const double d = offset;
        taps[std::size_t(k)] = std::exp(-d * d / (2 * kWindowSigma * kWindowSigma));
    }
    const double sum = std::accumulate(taps.begin(), taps.end(), 0.0);
    for (double& t : taps) t /= sum;
    return taps;
}

std::size_t channel_count(const Shape& shape) { return shape.size() == 3 ? shape[2] : 1; }

// Y = 0.299 R + 0.587 G + 0.114 B (BT.601), or the gray values themselves.
std::vector<double> luminance(const Tensor& image) {
    const std::size_t pixels = image.dim(0) * image.dim(1), channels = channel_count(image.shape());
    std::vector<double> y(pixels);
    for (std::size_t i = 0; i < pixels; ++i)
        y[i] = channels == 3 ? 0.299 * image[3 * i] + 0.587 * image[3 * i + 1] + 0.114 * image[3 * i + 2]
                             : double(image[i]);
    return y;
}

// The five window moments at one position: E[x], E[y], E[x²], E[y²], E[xy].
using Moments = std::array<double, 5>;

// Σ over the valid output rows [first, last) of the SSIM map.
double ssim_sum(const std::vector<double>& x, const std::vector<double>& y, std::size_t cols, std::size_t first,
                std::size_t last, double c1, double c2) {
    static const std::array<double, kWindow> taps = gaussian_taps();
    const std::size_t out_cols = cols - kWindow + 1;
    // The horizontally filtered moments of every input row the block's windows cover.
    const std::size_t rows = last - first + kWindow - 1;
    std::vector<Moments> across(rows * out_cols);
    for (std::size_t r = 0; r < rows; ++r) {
        const double* xr = x.data() + (first + r) * cols;
        const double* yr = y.data() + (first + r) * cols;
        for (std::size_t c = 0; c < out_cols; ++c) {
            Moments m{};
            for (int k = 0; k < kWindow; ++k) {
                const double a = xr[c + std::size_t(k)], b = yr[c + std::size_t(k)], t = taps[std::size_t(k)];
                m[0] += t * a, m[1] += t * b, m[2] += t * a * a, m[3] += t * b * b, m[4] += t * a * b;
            }
            across[r * out_cols + c] = m;
        }
    }
    double sum = 0;
    for (std::size_t r = 0; r + first < last; ++r)
        for (std::size_t c = 0; c < out_cols; ++c) {
            Moments m{};
            for (int k = 0; k < kWindow; ++k)
                for (std::size_t q = 0; q < 5; ++q)
                    m[q] += taps[std::size_t(k)] * across[(r + std::size_t(k)) * out_cols + c][q];
            const double mx = m[0], my = m[1];
            const double vx = m[2] - mx * mx, vy = m[3] - my * my, cxy = m[4] - mx * my;  // σx², σy², σxy
            sum += (2 * mx * my + c1) * (2 * cxy + c2) / ((mx * mx + my * my + c1) * (vx + vy + c2));
        }
    return sum;
}

void require_same_shape(const Tensor& a, const Tensor& b) {
    if (a.shape() != b.shape())
        throw std::invalid_argument("image measures need two images of one shape, not " + shape_to_string(a.shape()) +
                                    " and " + shape_to_string(b.shape()));
}

}  // namespace

std::optional<double> image_data_range(const Tensor& image) {
    if (!is_picture_shape(image.shape()) || image.size() == 0) return std::nullopt;
    const auto [lo, hi] = std::minmax_element(image.data().begin(), image.data().end());
    if (!(*lo >= 0.0f) || !(*hi <= 255.0f)) return std::nullopt;  // also refuses NaN
    return *hi <= 1.0f ? 1.0 : 255.0;
}

double psnr_db_from_mse(double mse, double data_range) {
    if (mse <= 0) return std::numeric_limits<double>::infinity();
    return 10.0 * std::log10(data_range * data_range / mse);
}

double psnr_db(const Tensor& reference, const Tensor& approximation, double data_range) {
    require_same_shape(reference, approximation);
    double squared = 0;
    for (std::size_t i = 0; i < reference.size(); ++i) {
        const double d = double(reference[i]) - double(approximation[i]);
        squared += d * d;
    }
    return psnr_db_from_mse(squared / double(reference.size()), data_range);
}

std::optional<double> structural_similarity(const Tensor& reference, const Tensor& approximation, double data_range) {
    require_same_shape(reference, approximation);
    if (!is_picture_shape(reference.shape()))
        throw std::invalid_argument("SSIM needs an image, not " + shape_to_string(reference.shape()));
    const std::size_t rows = reference.dim(0), cols = reference.dim(1);
    if (rows < std::size_t(kWindow) || cols < std::size_t(kWindow)) return std::nullopt;
    const std::vector<double> x = luminance(reference), y = luminance(approximation);
    const double c1 = (kK1 * data_range) * (kK1 * data_range), c2 = (kK2 * data_range) * (kK2 * data_range);
    const std::size_t out_rows = rows - kWindow + 1, out_cols = cols - kWindow + 1;
    // Blocks of output rows on oneTBB, their sums added in block order: the same result on any thread count.
    const std::size_t blocks = (out_rows + kRowsPerBlock - 1) / kRowsPerBlock;
    std::vector<double> sums(blocks);
    tbb::parallel_for(std::size_t(0), blocks, [&](std::size_t b) {
        sums[b] = ssim_sum(x, y, cols, b * kRowsPerBlock, std::min(out_rows, (b + 1) * kRowsPerBlock), c1, c2);
    });
    return std::accumulate(sums.begin(), sums.end(), 0.0) / double(out_rows * out_cols);
}

std::optional<ImageQuality> image_quality(const Tensor& reference, const Tensor& approximation) {
    require_same_shape(reference, approximation);
    const std::optional<double> range = image_data_range(reference);
    if (!range) return std::nullopt;
    return ImageQuality{psnr_db(reference, approximation, *range),
                        structural_similarity(reference, approximation, *range), *range};
}

}  // namespace signcut
