// The .scd format: exact sizes, a bit-for-bit round trip, and a clear error for every
// malformed file, raised before anything large is allocated.
#include <QTemporaryDir>
#include <QTest>

#include "io/byte_codec.h"
#include "io/file_access.h"
#include "io/scd_file.h"
#include "scd/decomposer.h"
#include "tensor/random_tensor.h"

using namespace signcut;

namespace {

Decomposition sample(const Shape& shape, CoeffPrecision precision = CoeffPrecision::f32) {
    DecomposeOptions options;
    options.stop.width = 37;
    options.precision = precision;
    return decompose(gaussian_tensor(shape, 3), options);
}

// Recomputes the trailing checksum so a test can reach the checks behind it.
void reseal(std::vector<char>& bytes) {
    const std::uint32_t crc = crc32(bytes.data(), bytes.size() - 4);
    for (int i = 0; i < 4; ++i) bytes[bytes.size() - 4 + std::size_t(i)] = char((crc >> (8 * i)) & 0xFF);
}

QString decode_error(const std::vector<char>& bytes) {
    try {
        decode_scd(bytes, "bad.scd");
    } catch (const FileError& error) {
        return QString::fromUtf8(error.what());
    }
    return {};
}

}  // namespace

class ScdFileTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void sizeMatchesTheAccounting() {
        for (const Shape& shape : {Shape{13, 29}, Shape{7, 9, 3}}) {
            for (CoeffPrecision p : {CoeffPrecision::f32, CoeffPrecision::f16, CoeffPrecision::bf16}) {
                const Decomposition d = sample(shape, p);
                QCOMPARE(std::uint64_t(encode_scd(d, d.width()).size()), d.stored_bytes(d.width()));
                // header 36 + 8·order, then w·Σn bits rounded up to bytes, then the coefficients
                std::uint64_t bits = 0;
                for (auto n : shape) bits += n;
                QCOMPARE(d.stored_bytes(37), 36 + 8 * shape.size() + (37 * bits + 7) / 8 + 37 * coefficient_bytes(p));
            }
        }
    }

    void roundTripIsBitForBit() {
        QTemporaryDir dir;
        for (const Shape& shape : {Shape{100}, Shape{13, 29}, Shape{7, 9, 3}, Shape{3, 4, 5, 6}}) {
            const Decomposition d = sample(shape);
            const std::string path = dir.filePath("a.scd").toStdString();
            write_scd(path, d);
            const Decomposition back = read_scd(path);
            QCOMPARE(back.shape(), d.shape());
            QCOMPARE(back.width(), d.width());
            QVERIFY(std::memcmp(back.coeffs().data(), d.coeffs().data(), d.width() * sizeof(float)) == 0);
            for (std::size_t j = 0; j < d.width(); ++j)
                for (std::size_t m = 0; m < d.order(); ++m)
                    QVERIFY(std::equal(d.signs(j, m).begin(), d.signs(j, m).end(), back.signs(j, m).begin()));
            QVERIFY(encode_scd(back, back.width()) == encode_scd(d, d.width()));
            // The error curve read back agrees with the engine's.
            for (std::size_t w = 0; w <= d.width(); ++w)
                QVERIFY(std::abs(back.relative_error(w) - d.relative_error(w)) < 1e-4);
        }
    }

    void truncatedWidthWritesAPrefix() {
        const Decomposition d = sample({13, 29});
        const Decomposition prefix = decode_scd(encode_scd(d, 10));
        QCOMPARE(prefix.width(), std::size_t(10));
        QVERIFY(std::abs(prefix.relative_error(10) - d.relative_error(10)) < 1e-5);
    }

    void badMagicIsRejected() {
        auto bytes = encode_scd(sample({5, 6}), 37);
        bytes[0] = 'X';
        QVERIFY(decode_error(bytes).contains("not a .scd file"));
    }

    void unknownVersionIsRejected() {
        auto bytes = encode_scd(sample({5, 6}), 37);
        bytes[4] = 9;
        reseal(bytes);
        QVERIFY(decode_error(bytes).contains("unsupported .scd version 9"));
    }

    void unknownPrecisionIsRejected() {
        auto bytes = encode_scd(sample({5, 6}), 37);
        bytes[6] = 7;
        QVERIFY(decode_error(bytes).contains("precision"));
    }

    void everyTruncationIsRejected() {
        const auto bytes = encode_scd(sample({5, 6}), 37);
        for (std::size_t size = 0; size < bytes.size(); ++size) {
            const QString error = decode_error(std::vector<char>(bytes.begin(), bytes.begin() + std::ptrdiff_t(size)));
            QVERIFY2(!error.isEmpty(), qPrintable(QString("size %1 accepted").arg(size)));
        }
        QVERIFY(decode_error(std::vector<char>(bytes.begin(), bytes.end() - 1)).contains("truncated"));
    }

    void trailingBytesAreRejected() {
        auto bytes = encode_scd(sample({5, 6}), 37);
        bytes.push_back(0);
        QVERIFY(decode_error(bytes).contains("unexpected bytes"));
    }

    void checksumMismatchIsRejected() {
        auto bytes = encode_scd(sample({5, 6}), 37);
        bytes[bytes.size() / 2] ^= 0x10;
        QVERIFY(decode_error(bytes).contains("checksum"));
    }

    void sizesThatDoNotAddUpAreRejectedBeforeAllocating() {
        // A header claiming 2^60 cuts of a 2^40-entry tensor must fail on arithmetic alone.
        auto bytes = encode_scd(sample({5, 6}), 37);
        ByteWriter huge;
        huge.put(std::uint64_t(1) << 60);
        std::copy(huge.bytes().begin(), huge.bytes().end(), bytes.begin() + 8);
        QVERIFY(decode_error(bytes).contains("more than the file"));
        auto zero_dim = encode_scd(sample({5, 6}), 37);
        std::fill(zero_dim.begin() + 32, zero_dim.begin() + 40, 0);
        QVERIFY(decode_error(zero_dim).contains("invalid dimension 0"));
        auto no_order = encode_scd(sample({5, 6}), 37);
        no_order[7] = 0;
        QVERIFY(decode_error(no_order).contains("invalid tensor order"));
    }

    void missingFileGivesAReadableError() { QVERIFY_THROWS_EXCEPTION(FileError, read_scd("/nonexistent/x.scd")); }

    void writesLeaveNoTemporaryFilesAndReplaceAtomically() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("a.scd").toStdString();
        write_scd(path, sample({5, 6}));
        write_scd(path, sample({7, 8}));
        QCOMPARE(read_scd(path).shape(), (Shape{7, 8}));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);
        QVERIFY_THROWS_EXCEPTION(FileError, write_scd("/nonexistent/dir/a.scd", sample({5, 6})));
    }
};

QTEST_APPLESS_MAIN(ScdFileTest)
#include "test_scd_file.moc"
