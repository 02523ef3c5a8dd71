// Inputs: .npy (f16/f32/f64, C and Fortran order, any order, either byte order), .csv,
// and images of every supported kind through OpenCV; bad files give one readable error; the
// format registry names every extension the loader dispatches on.
#include <QTemporaryDir>
#include <QTest>

#include <opencv2/imgcodecs.hpp>

#include <cstring>
#include <fstream>

#include "io/byte_codec.h"
#include "io/csv_file.h"
#include "io/file_access.h"
#include "io/file_formats.h"
#include "io/image_file.h"
#include "io/load_input.h"
#include "io/npy_file.h"
#include "tensor/float16.h"
#include "tensor/random_tensor.h"

using namespace signcut;

namespace {

// A .npy file as numpy would write it, from raw little-endian items.
std::vector<char> npy_bytes(const std::string& descr, bool fortran, const Shape& shape, const std::vector<char>& data) {
    std::string dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': (";
    for (auto n : shape) dict += std::to_string(n) + ",";
    dict += "), }";
    while ((10 + dict.size() + 1) % 64) dict += ' ';
    dict += '\n';
    ByteWriter out;
    out.put_bytes("\x93NUMPY", 6);
    out.put(std::uint8_t(1));
    out.put(std::uint8_t(0));
    out.put(std::uint16_t(dict.size()));
    out.put_bytes(dict.data(), dict.size());
    out.put_bytes(data.data(), data.size());
    return std::move(out.bytes());
}

template <typename T>
std::vector<char> raw(const std::vector<T>& values, bool big_endian = false) {
    std::vector<char> bytes(values.size() * sizeof(T));
    std::memcpy(bytes.data(), values.data(), bytes.size());
    if (big_endian)
        for (std::size_t i = 0; i < values.size(); ++i)
            std::reverse(bytes.begin() + std::ptrdiff_t(i * sizeof(T)),
                         bytes.begin() + std::ptrdiff_t((i + 1) * sizeof(T)));
    return bytes;
}

QString npy_error(const std::vector<char>& bytes) {
    try {
        decode_npy(bytes, "bad.npy");
    } catch (const FileError& error) {
        return QString::fromUtf8(error.what());
    }
    return {};
}

// The message of the FileError `action` throws, empty if it throws none.
template <typename Action>
QString exception_text(Action action) {
    try {
        action();
    } catch (const FileError& error) {
        return QString::fromUtf8(error.what());
    }
    return {};
}

QString resource(const char* name) { return QString(SIGNCUT_RESOURCES) + "/" + name; }

}  // namespace

class InputTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void npyReadsEveryFloatTypeInCOrder() {
        const std::vector<double> values = {0.5, -1.25, 3.0, 4.5, -0.0625, 6.0};
        std::vector<float> f32(values.begin(), values.end());
        std::vector<std::uint16_t> f16;
        for (double v : values) f16.push_back(float_to_f16_bits(float(v)));
        for (const auto& [descr, data] :
             {std::pair{std::string("<f8"), raw(values)}, std::pair{std::string("<f4"), raw(f32)},
              std::pair{std::string("<f2"), raw(f16)}, std::pair{std::string(">f8"), raw(values, true)}}) {
            const Tensor t = decode_npy(npy_bytes(descr, false, {2, 3}, data));
            QCOMPARE(t.shape(), (Shape{2, 3}));
            for (std::size_t i = 0; i < 6; ++i) QCOMPARE(t[i], float(values[i]));
        }
    }

    void npyFortranOrderIsTransposedBack() {
        // Column-major 2x3 [[1,2,3],[4,5,6]] is stored as 1,4,2,5,3,6.
        const Tensor t = decode_npy(npy_bytes("<f4", true, {2, 3}, raw(std::vector<float>{1, 4, 2, 5, 3, 6})));
        for (std::size_t i = 0; i < 6; ++i) QCOMPARE(t[i], float(i + 1));
        // Order 3: entry (i,j,k) of a 2x3x4 Fortran array sits at i + 2j + 6k.
        std::vector<float> fortran(24);
        for (std::size_t i = 0; i < 2; ++i)
            for (std::size_t j = 0; j < 3; ++j)
                for (std::size_t k = 0; k < 4; ++k) fortran[i + 2 * j + 6 * k] = float(100 * i + 10 * j + k);
        const Tensor c = decode_npy(npy_bytes("<f4", true, {2, 3, 4}, raw(fortran)));
        QCOMPARE(c.shape(), (Shape{2, 3, 4}));
        QCOMPARE(c[1 * 12 + 2 * 4 + 3], 123.0f);
    }

    void npyRoundTripsEveryOrder() {
        QTemporaryDir dir;
        for (const Shape& shape : {Shape{7}, Shape{3, 5}, Shape{2, 3, 4}, Shape{2, 2, 3, 2}}) {
            const Tensor t = gaussian_tensor(shape, 1);
            const std::string path = dir.filePath("t.npy").toStdString();
            write_npy(path, t);
            const Tensor back = read_npy(path);
            QCOMPARE(back.shape(), shape);
            QVERIFY(std::equal(t.data().begin(), t.data().end(), back.data().begin()));
        }
    }

    void badNpyFilesGiveReadableErrors() {
        const auto good = npy_bytes("<f4", false, {2, 3}, raw(std::vector<float>(6, 1.0f)));
        auto truncated = good;
        truncated.resize(truncated.size() - 3);
        QVERIFY(npy_error(truncated).contains("truncated"));
        auto trailing = good;
        trailing.push_back(0);
        QVERIFY(npy_error(trailing).contains("unexpected bytes"));
        QVERIFY(npy_error(npy_bytes("<i4", false, {2, 3}, raw(std::vector<int>(6)))).contains("unsupported dtype"));
        QVERIFY(npy_error(std::vector<char>{'P', 'K', 3, 4, 0, 0, 0, 0, 0, 0, 0}).contains("not a .npy"));
        QVERIFY(npy_error(npy_bytes("<f4", false, {}, raw(std::vector<float>{1}))).contains("0-dimensional"));
        // A shape whose size overflows is refused before any allocation.
        QVERIFY(npy_error(npy_bytes("<f4", false, {std::size_t(1) << 30, std::size_t(1) << 30}, {}))
                    .contains("too many entries"));
        for (std::size_t size = 0; size < good.size(); size += 7)
            QVERIFY(!npy_error(std::vector<char>(good.begin(), good.begin() + std::ptrdiff_t(size))).isEmpty());
    }

    void npyHeaderIsReadStrictly() {
        const auto with_header = [](const std::string& dict) {
            std::string padded = dict;
            while ((10 + padded.size() + 1) % 64) padded += ' ';
            padded += '\n';
            // Magic, version 1.0, header length, header, 2 x 3 float32 zeros.
            const std::string bytes =
                std::string("\x93NUMPY\x01\x00", 8) + char(padded.size()) + '\0' + padded + std::string(24, '\0');
            return std::vector<char>(bytes.begin(), bytes.end());
        };
        // Any order of the keys, either quote, no trailing comma: read.
        QCOMPARE(decode_npy(with_header("{\"shape\": (2,3), \"fortran_order\": False, \"descr\": \"<f4\"}")).shape(),
                 (Shape{2, 3}));
        QVERIFY(npy_error(with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), 'x': 1}"))
                    .contains("unknown or repeated entry 'x'"));
        QVERIFY(npy_error(with_header("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)}"))
                    .contains("repeated"));
        QVERIFY(npy_error(with_header("{'fortran_order': False, 'shape': (2, 3)}")).contains("no readable 'descr'"));
        QVERIFY(npy_error(with_header("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2, 3)}"))
                    .contains("no readable 'descr'"));
        QVERIFY(npy_error(with_header("{'descr': '<f4', 'fortran_order': 0, 'shape': (2, 3)}"))
                    .contains("no 'fortran_order'"));
        QVERIFY(npy_error(with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -3)}"))
                    .contains("unreadable shape"));
        QVERIFY(npy_error(with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)} x"))
                    .contains("unreadable .npy header"));
        QVERIFY(npy_error(with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)"))
                    .contains("unreadable .npy header"));
        QVERIFY(npy_error(with_header("{'descr: '<f4'}")).contains("unreadable .npy header"));
    }

    void csvReadsSeparatorsAndSkipsAHeader() {
        const std::string text = "a,b,c\n1,2,3\n\n# comment\n4.5, -5e-1 ,+6\n";
        const Tensor t = decode_csv(std::vector<char>(text.begin(), text.end()));
        QCOMPARE(t.shape(), (Shape{2, 3}));
        QCOMPARE(t[3], 4.5f);
        QCOMPARE(t[4], -0.5f);
        const std::string spaces = "1 2\t3\r\n4 5 6\r\n";
        QCOMPARE(decode_csv(std::vector<char>(spaces.begin(), spaces.end())).shape(), (Shape{2, 3}));
        const std::string semicolons = "1;2\n3;4\n";
        QCOMPARE(decode_csv(std::vector<char>(semicolons.begin(), semicolons.end()))[3], 4.0f);
    }

    void badCsvNamesTheLine() {
        const auto error_of = [](const std::string& text) {
            try {
                decode_csv(std::vector<char>(text.begin(), text.end()), "bad.csv");
            } catch (const FileError& error) {
                return QString(error.what());
            }
            return QString();
        };
        QVERIFY(error_of("1,2\n3\n").contains("line 2 has 1 entries"));
        QVERIFY(error_of("1,2\n3,x\n").contains("line 2 is not a row of numbers"));
        QVERIFY(error_of("").contains("no numeric rows"));
    }

    void imagesOfEveryKindLoad() {
        QTemporaryDir dir;
        struct Case {
            const char* name;
            int type;
            Shape shape;
            bool alpha;
        };
        const std::vector<Case> cases = {
            {"gray8.png", CV_8UC1, {4, 5}, false},      {"rgb8.png", CV_8UC3, {4, 5, 3}, false},
            {"rgba8.png", CV_8UC4, {4, 5, 3}, true},    {"gray16.png", CV_16UC1, {4, 5}, false},
            {"rgb16.tiff", CV_16UC3, {4, 5, 3}, false}, {"rgb8.bmp", CV_8UC3, {4, 5, 3}, false},
            {"rgb8.jpg", CV_8UC3, {4, 5, 3}, false},    {"rgb8.tif", CV_8UC3, {4, 5, 3}, false},
        };
        for (const Case& c : cases) {
            const double full = CV_MAT_DEPTH(c.type) == CV_16U ? 65535.0 : 255.0;
            cv::Mat image(4, 5, c.type, cv::Scalar(0, 0, full, full));  // OpenCV order: blue, green, red, alpha
            const QString path = dir.filePath(c.name);
            QVERIFY(cv::imwrite(path.toStdString(), image));
            const LoadedInput loaded = load_input(path.toStdString());
            QCOMPARE(loaded.tensor.shape(), c.shape);
            QCOMPARE(loaded.kind, InputKind::image);
            QCOMPARE(!loaded.notes.empty(), c.alpha);
            if (c.shape.size() == 3) {  // pure red arrives as RGB (1, 0, 0)
                QVERIFY(std::abs(loaded.tensor[0] - 1.0f) < 0.02f);
                QVERIFY(std::abs(loaded.tensor[2]) < 0.02f);
            } else {
                QVERIFY(loaded.tensor[0] == 0.0f);
            }
        }
    }

    void bundledCatIsAnOrderThreeTensor() {
        const LoadedInput cat = load_input(resource("chelsea.png").toStdString());
        QCOMPARE(cat.tensor.shape(), (Shape{300, 451, 3}));
        for (float x : cat.tensor.data()) QVERIFY(x >= 0.0f && x <= 1.0f);
    }

    void corruptOrUnknownFilesGiveReadableErrors() {
        QTemporaryDir dir;
        const QString png = dir.filePath("corrupt.png");
        std::ofstream(png.toStdString()) << "definitely not a png";
        QVERIFY_THROWS_EXCEPTION(FileError, load_input(png.toStdString()));
        QVERIFY_THROWS_EXCEPTION(FileError, load_input(dir.filePath("missing.png").toStdString()));
        QVERIFY_THROWS_EXCEPTION(FileError, load_input(dir.filePath("x.xyz").toStdString()));
        QVERIFY_THROWS_EXCEPTION(FileError, load_input(dir.path().toStdString() + "/"));
    }

    void savedImagesRoundTrip() {
        QTemporaryDir dir;
        const Tensor cat = load_input(resource("chelsea.png").toStdString()).tensor;
        const std::string path = dir.filePath("cat.png").toStdString();
        save_output(path, cat);
        const Tensor back = load_input(path).tensor;
        QVERIFY(relative_error(cat, back) < 1e-6);
    }

    void everyRegisteredExtensionRoundTripsThroughTheLoader() {
        QTemporaryDir dir;
        // Multiples of 1/255 survive 8-bit images exactly. A .ppm holds colour only, so it
        // gets the matrix as three equal channels; WebP gives a gray matrix back as colour.
        Tensor gray({6, 8}), colour({6, 8, 3});
        for (std::size_t i = 0; i < gray.size(); ++i) gray[i] = float(i * 5 % 256) / 255.0f;
        for (std::size_t i = 0; i < colour.size(); ++i) colour[i] = gray[i / 3];
        for (const FileFormat& format : file_formats()) {
            for (std::string_view ext : format.extensions) {
                const std::string name = "x." + std::string(ext), path = dir.filePath(name.c_str()).toStdString();
                std::string upper = name;
                for (char& c : upper) c = char(std::toupper(static_cast<unsigned char>(c)));
                QCOMPARE(file_format_of(path), &format);
                QCOMPARE(file_format_of(upper), &format);
                const bool tensor = format.content == FileContent::image || format.content == FileContent::array;
                if (!tensor || !format.readable) {  // opened by their own readers, not load_input
                    QVERIFY(exception_text([&] { load_input(path); }).contains("unknown file type"));
                    if (!tensor) QVERIFY(exception_text([&] { save_output(path, gray); }).contains("unknown output"));
                    continue;
                }
                const Tensor& written = ext == "ppm" ? colour : gray;
                if (format.writable) {
                    const QString error = exception_text([&] { save_output(path, written); });
                    QVERIFY2(error.isEmpty(), qPrintable(error));
                } else {  // a text table, as the CSV writer writes one
                    QVERIFY(exception_text([&] { save_output(path, gray); }).contains("unknown output"));
                    write_csv(path + ".csv", gray);
                    std::filesystem::rename(path + ".csv", path);
                }
                const LoadedInput back = load_input(path);
                QCOMPARE(back.kind, format.content == FileContent::image ? InputKind::image : InputKind::array);
                const Tensor& expected = back.tensor.order() == 3 ? colour : gray;
                QVERIFY2(back.tensor.shape() == expected.shape(), name.c_str());
                const bool lossy = format.id == FileFormatId::jpeg || format.id == FileFormatId::webp;
                QVERIFY2(relative_error(expected, back.tensor) < (lossy ? 0.1 : 1e-6), name.c_str());
            }
        }
        QCOMPARE(file_format_of("model.safetensors.index.json")->id, FileFormatId::safetensors_index);
        QCOMPARE(file_format_of("config.json"), nullptr);
        QCOMPARE(file_format_of(".npy"), nullptr);
    }

    void dialogFiltersComeFromTheRegistry() {
        const std::string open = open_dialog_filter();
        for (const char* pattern : {"*.png", "*.jpg", "*.npy", "*.csv", "*.txt", "*.scd", "*.scdz"})
            QVERIFY2(open.find(pattern) != std::string::npos, pattern);
        QVERIFY(open.ends_with(";;All files (*)"));
        QCOMPARE(name_filters({FileFormatId::png, FileFormatId::npy}),
                 std::string("PNG image (*.png);;NumPy array (*.npy)"));
        QCOMPARE(name_filters({FileFormatId::jpeg}), std::string("JPEG image (*.jpg *.jpeg)"));
    }
};

QTEST_APPLESS_MAIN(InputTest)
#include "test_inputs.moc"
