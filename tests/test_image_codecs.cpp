// The picture codecs as methods (JPEG, WebP, PNG) and the picture measures (PSNR, SSIM): budgets
// met with the whole file counted, errors measured on the decoded pixels, closed-form cases of
// the measures, and a clear refusal of data that is not a picture.
#include <QTest>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <limits>
#include <string>

#include "io/image_file.h"
#include "methods/image_codecs.h"
#include "methods/image_quality.h"
#include "methods/method.h"
#include "tensor/random_tensor.h"

using namespace signcut;

namespace {

// A 96 × 128 corner of the cat as signcut reads it: 8-bit values / 255.
Tensor cat_corner() {
    const Tensor cat = load_image(std::string(SIGNCUT_RESOURCES) + "/chelsea.png").tensor;
    const std::size_t rows = 96, cols = 128, cat_cols = cat.dim(1);
    Tensor corner({rows, cols, 3});
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t i = 0; i < cols * 3; ++i)
            corner[r * cols * 3 + i] = cat[(r + 100) * cat_cols * 3 + 150 * 3 + i];
    return corner;
}

Tensor constant_image(const Shape& shape, float value) {
    Tensor image(shape);
    std::fill(image.data().begin(), image.data().end(), value);
    return image;
}

// The quality a codec's note reports ("quality 73, 12345 bytes").
int quality_in(const std::string& note) {
    const auto at = note.find("quality ");
    return at == std::string::npos ? -1 : std::stoi(note.substr(at + 8));
}

// The file of the cat corner at one quality, as an independent encode through OpenCV.
std::vector<uchar> encoded(const Tensor& image, const char* extension, int quality) {
    cv::Mat pixels(int(image.dim(0)), int(image.dim(1)), CV_32FC3, const_cast<float*>(image.data().data()));
    pixels.convertTo(pixels, CV_8UC3, 255.0);
    cv::cvtColor(pixels, pixels, cv::COLOR_RGB2BGR);
    std::vector<uchar> file;
    const std::vector<int> parameters =
        std::string(extension) == ".jpeg"
            ? std::vector<int>{cv::IMWRITE_JPEG_QUALITY, quality, cv::IMWRITE_JPEG_OPTIMIZE, 1}
            : std::vector<int>{cv::IMWRITE_WEBP_QUALITY, quality};
    cv::imencode(extension, pixels, file, parameters);
    return file;
}

}  // namespace

class ImageCodecsTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void eachCodecMeetsItsBudgetWithTheLargestQualityThatFits() {
        const Tensor image = cat_corner();
        for (const char* codec : {"jpeg", "webp"})
            for (double budget : {0.5, 1.0, 1.5}) {
                const QString what = QString("%1 at %2").arg(codec).arg(budget);
                const Approximation result = approximate(codec, image, budget);
                QVERIFY2(result.met_budget, qPrintable(what + ": " + QString::fromStdString(result.note)));
                QVERIFY2(double(result.bits) <= budget * double(image.size()),
                         qPrintable(what));  // 8·bytes ≤ B·entries
                QCOMPARE(result.bits % 8, std::uint64_t(0));
                // The file at the quality chosen is the one counted, and one step more would not fit.
                const int quality = quality_in(result.note);
                QVERIFY2(quality >= 1 && quality <= 100, result.note.c_str());
                const std::string extension = std::string(".") + codec;
                const std::vector<uchar> file = encoded(image, extension.c_str(), quality);
                QCOMPARE(std::uint64_t(8 * file.size()), result.bits);
                if (quality < 100)
                    QVERIFY2(double(8 * encoded(image, extension.c_str(), quality + 1).size()) >
                                 budget * double(image.size()),
                             qPrintable(what));
                // The reconstruction is the decoded file: the same pixels as OpenCV's decoder gives.
                const Tensor decoded =
                    decode_image(std::span(reinterpret_cast<const char*>(file.data()), file.size())).tensor;
                QCOMPARE(decoded.shape(), image.shape());
                QCOMPARE(relative_error(decoded, result.reconstruction), 0.0);
                QVERIFY(relative_error(image, result.reconstruction) > 0);  // lossy
            }
    }

    void moreBitsNeverGiveACodecALargerError() {
        const Tensor image = cat_corner();
        for (const char* codec : {"jpeg", "webp"}) {
            const double low = relative_error(image, approximate(codec, image, 0.5).reconstruction);
            const double high = relative_error(image, approximate(codec, image, 2.0).reconstruction);
            QVERIFY2(high < low, codec);
        }
    }

    void pngIsExactAtItsOwnRateAndRefusedBelowIt() {
        const Tensor image = cat_corner();
        const Approximation at_eight = approximate("png", image, 8.0);
        QVERIFY2(at_eight.met_budget, at_eight.note.c_str());
        QCOMPARE(relative_error(image, at_eight.reconstruction), 0.0);
        const double rate = double(at_eight.bits) / double(image.size());
        QVERIFY(rate <= 8.0);
        const Approximation below = approximate("png", image, 0.99 * rate);
        QVERIFY(!below.met_budget);
        QVERIFY2(below.note.find("lossless PNG needs") != std::string::npos, below.note.c_str());
        QVERIFY(approximate("png", image, rate).met_budget);
    }

    void grayImagesAndTheZeroTo255RangeAreCodedToo() {
        const Tensor cat = cat_corner();
        Tensor gray({96, 128}), wide(cat.shape());
        for (std::size_t i = 0; i < gray.size(); ++i) gray[i] = cat[3 * i + 1];
        for (std::size_t i = 0; i < cat.size(); ++i) wide[i] = std::round(cat[i] * 255.0f);
        for (const char* codec : {"jpeg", "webp"}) {
            const Approximation g = approximate(codec, gray, 1.0);
            QVERIFY2(g.met_budget && g.reconstruction.shape() == gray.shape(), codec);
            QVERIFY(relative_error(gray, g.reconstruction) < 0.1);
            // The same picture stored as 0–255 numbers: the same file, the same relative error.
            const Approximation w = approximate(codec, wide, 1.0), unit = approximate(codec, cat, 1.0);
            QCOMPARE(w.bits, unit.bits);
            QVERIFY(std::abs(relative_error(wide, w.reconstruction) - relative_error(cat, unit.reconstruction)) < 1e-5);
        }
    }

    void codecsRefuseDataThatIsNotAPicture() {
        const Tensor gaussian = gaussian_tensor({40, 50}, 3);  // values below 0
        const Tensor two_channels = constant_image({16, 16, 2}, 0.5f), cube = constant_image({8, 8, 8, 3}, 0.5f);
        for (const MethodInfo& method : method_registry()) {
            if (!method.images_only) continue;
            for (const Tensor* data : {&gaussian, &two_channels, &cube}) {
                const Approximation result = approximate(method.name, *data, 8.0);
                QVERIFY(!result.met_budget && result.reconstruction.size() == 0);
                QVERIFY2(result.note.find("codes pictures only") != std::string::npos &&
                             result.note.find(shape_to_string(data->shape())) != std::string::npos,
                         result.note.c_str());
            }
        }
        QVERIFY(approximate("jpeg", gaussian, 8.0).note.find("with values in [") != std::string::npos);
    }

    void theDataRangeIsOneOr255() {
        QCOMPARE(image_data_range(constant_image({12, 12}, 1.0f)), std::optional<double>(1.0));
        QCOMPARE(image_data_range(constant_image({12, 12, 3}, 200.0f)), std::optional<double>(255.0));
        QCOMPARE(image_data_range(constant_image({12, 12, 1}, 0.0f)), std::optional<double>(1.0));
        QVERIFY(!image_data_range(constant_image({12, 12}, 256.0f)));
        QVERIFY(!image_data_range(constant_image({12, 12}, -0.1f)));
        QVERIFY(!image_data_range(constant_image({12, 12, 4}, 0.5f)));
        QVERIFY(!image_data_range(constant_image({12}, 0.5f)));
    }

    void identicalImagesHaveInfinitePsnrAndSsimOne() {
        const Tensor image = cat_corner();
        const std::optional<ImageQuality> same = image_quality(image, image);
        QVERIFY(same.has_value() && same->ssim.has_value());
        QVERIFY(std::isinf(same->psnr_db) && same->psnr_db > 0);
        QVERIFY(std::abs(*same->ssim - 1.0) < 1e-12);
        QCOMPARE(same->data_range, 1.0);
    }

    void aConstantShiftHasItsClosedForm() {
        // x = c everywhere, y = c + d: MSE = d², so PSNR = 10·log₁₀(1/d²); every window has
        // σx = σy = σxy = 0, so SSIM = (2·c·(c + d) + C1) / (c² + (c + d)² + C1), C1 = (0.01·1)².
        const float c = 0.375f, d = 0.125f;  // both exact in float
        const Tensor x = constant_image({32, 40}, c), y = constant_image({32, 40}, c + d);
        const std::optional<ImageQuality> q = image_quality(x, y);
        QVERIFY(q && q->ssim);
        QVERIFY(std::abs(q->psnr_db - 10.0 * std::log10(1.0 / (double(d) * d))) < 1e-9);
        const double c1 = 1e-4, expected = (2.0 * c * (c + d) + c1) / (double(c) * c + double(c + d) * (c + d) + c1);
        QVERIFY2(std::abs(*q->ssim - expected) < 1e-12, qPrintable(QString::number(*q->ssim, 'g', 17)));
        // The same on a 0–255 scale (L = 255, C1 = (0.01·255)²) gives the same numbers.
        const std::optional<ImageQuality> wide =
            image_quality(constant_image({32, 40}, 255 * c), constant_image({32, 40}, 255 * (c + d)));
        QCOMPARE(wide->data_range, 255.0);
        QVERIFY(std::abs(wide->psnr_db - q->psnr_db) < 1e-9 && std::abs(*wide->ssim - *q->ssim) < 1e-12);
    }

    void psnrAveragesEveryChannelAndSsimSeesLuminance() {
        // A shift of d in one channel of three: MSE = d²/3. A shift of the green channel by d moves
        // the luminance by 0.587·d: the SSIM of a gray image shifted by 0.587·d.
        const float c = 0.25f, d = 0.25f;
        const Tensor x = constant_image({24, 24, 3}, c);
        Tensor y = x;
        for (std::size_t i = 1; i < y.size(); i += 3) y[i] += d;
        const ImageQuality q = *image_quality(x, y);
        QVERIFY(std::abs(q.psnr_db - 10.0 * std::log10(3.0 / (double(d) * d))) < 1e-9);
        const double luminance = (0.299 + 0.587 + 0.114) * c, shift = 0.587 * d;
        const double expected = (2 * luminance * (luminance + shift) + 1e-4) /
                                (luminance * luminance + (luminance + shift) * (luminance + shift) + 1e-4);
        QVERIFY2(std::abs(*q.ssim - expected) < 1e-9, qPrintable(QString::number(*q.ssim, 'g', 17)));
    }

    void ssimIsSymmetricBelowOneForNoiseAndNeedsTheWholeWindow() {
        const Tensor image = cat_corner();
        Tensor noisy = image;
        const Tensor noise = gaussian_tensor(image.shape(), 5);
        for (std::size_t i = 0; i < noisy.size(); ++i) noisy[i] = std::clamp(noisy[i] + 0.05f * noise[i], 0.0f, 1.0f);
        const double forward = *structural_similarity(image, noisy, 1.0),
                     backward = *structural_similarity(noisy, image, 1.0);
        QVERIFY(std::abs(forward - backward) < 1e-12);
        QVERIFY(forward > 0.2 && forward < 0.95);
        QVERIFY(!structural_similarity(constant_image({10, 40}, 0.5f), constant_image({10, 40}, 0.5f), 1.0));
        QVERIFY(!image_quality(gaussian_tensor({20, 20}, 6), gaussian_tensor({20, 20}, 7)));  // not a picture
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, image_quality(image, constant_image({96, 128}, 0.5f)));
    }
};

QTEST_APPLESS_MAIN(ImageCodecsTest)
#include "test_image_codecs.moc"
