#include "io/scd_file.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "io/byte_codec.h"
#include "io/file_access.h"
#include "scd/sign_bits.h"
#include "tensor/float16.h"

namespace signcut {
namespace {

constexpr char kMagic[4] = {'S', 'C', 'D', '\x1a'};
constexpr std::size_t kMaxOrder = 32;
constexpr std::size_t kFixedHeaderBytes = 32;  // magic, version, precision, order, width, ‖A‖², ‖R_w‖²

// Appends bit runs to a byte stream, least significant bit first.
class BitWriter {
public:
    explicit BitWriter(std::vector<char>& out) : out_(out) {}
    void append(std::span<const std::uint64_t> words, std::size_t bits) {
        for (std::size_t i = 0; i < bits; ++i) {
            if (is_negative(words, i)) current_ |= std::uint8_t(1u << filled_);
            if (++filled_ == 8) flush();
        }
    }
    void finish() {
        if (filled_) flush();
    }

private:
    void flush() {
        out_.push_back(char(current_));
        current_ = 0;
        filled_ = 0;
    }
    std::vector<char>& out_;
    std::uint8_t current_ = 0;
    unsigned filled_ = 0;
};

void put_coefficient(ByteWriter& out, float c, CoeffPrecision precision) {
    switch (precision) {
        case CoeffPrecision::f32:
            out.put(std::bit_cast<std::uint32_t>(c));
            break;
        case CoeffPrecision::f16:
            out.put(float_to_f16_bits(c));
            break;
        case CoeffPrecision::bf16:
            out.put(float_to_bf16_bits(c));
            break;
    }
}

float get_coefficient(ByteReader& in, CoeffPrecision precision) {
    switch (precision) {
        case CoeffPrecision::f16:
            return f16_bits_to_float(in.get<std::uint16_t>());
        case CoeffPrecision::bf16:
            return bf16_bits_to_float(in.get<std::uint16_t>());
        case CoeffPrecision::f32:
            break;
    }
    return std::bit_cast<float>(in.get<std::uint32_t>());
}

}  // namespace

std::vector<char> encode_scd(const Decomposition& d, std::size_t width) {
    width = std::min(width, d.width());
    ByteWriter out;
    out.put_bytes(kMagic, 4);
    out.put(kScdVersion);
    out.put(std::uint8_t(d.precision()));
    out.put(std::uint8_t(d.order()));
    out.put(std::uint64_t(width));
    out.put_f64(d.input_squared_norm());
    out.put_f64(d.residual_squared_norms()[width]);
    for (std::size_t n : d.shape()) out.put(std::uint64_t(n));
    BitWriter bits(out.bytes());
    for (std::size_t j = 0; j < width; ++j)
        for (std::size_t mode = 0; mode < d.order(); ++mode) bits.append(d.signs(j, mode), d.shape()[mode]);
    bits.finish();
    for (std::size_t j = 0; j < width; ++j) put_coefficient(out, d.coeffs()[j], d.precision());
    out.put(crc32(out.bytes().data(), out.bytes().size()));
    return std::move(out.bytes());
}

Decomposition decode_scd(std::span<const char> bytes, const std::filesystem::path& source) {
    const auto fail = [&](const std::string& problem) { return FileError(source, problem); };
    if (bytes.size() < kFixedHeaderBytes)
        throw fail("too short to be a .scd file (" + std::to_string(bytes.size()) + " bytes)");
    if (!std::equal(kMagic, kMagic + 4, bytes.begin())) throw fail("not a .scd file (bad magic bytes)");
    ByteReader in(bytes.subspan(4));
    const auto version = in.get<std::uint16_t>();
    if (version != kScdVersion)
        throw fail("unsupported .scd version " + std::to_string(version) + " (this build reads version " +
                   std::to_string(kScdVersion) + ")");
    const auto precision_code = in.get<std::uint8_t>();
    if (precision_code > 2) throw fail("unknown coefficient precision code " + std::to_string(precision_code));
    const auto precision = CoeffPrecision(precision_code);
    const auto order = in.get<std::uint8_t>();
    if (order == 0 || order > kMaxOrder) throw fail("invalid tensor order " + std::to_string(order));
    const auto width = in.get<std::uint64_t>();
    const double input_squared_norm = in.get_f64();
    const double final_squared_norm = in.get_f64();
    if (!std::isfinite(input_squared_norm) || input_squared_norm < 0 || !std::isfinite(final_squared_norm) ||
        final_squared_norm < 0)
        throw fail("invalid norms in the header");
    if (in.remaining() < 8 * std::size_t(order))
        throw fail("truncated header: the shape needs " + std::to_string(8 * order) + " bytes");
    Shape shape(order);
    for (std::size_t& n : shape) {
        const auto dim = in.get<std::uint64_t>();
        if (dim == 0 || dim > (std::uint64_t(1) << 40)) throw fail("invalid dimension " + std::to_string(dim));
        n = std::size_t(dim);
    }
    try {
        element_count(shape);
    } catch (const std::invalid_argument& error) {
        throw fail(error.what());
    }
    // Sizes must add up before anything is allocated: no width can exceed the file's bits.
    const std::uint64_t bits_per_cut = std::accumulate(shape.begin(), shape.end(), std::uint64_t(0));
    if (width > std::uint64_t(bytes.size()) * 8 / bits_per_cut)
        throw fail("header declares " + std::to_string(width) + " cuts of " + shape_to_string(shape) +
                   ", more than the file's " + std::to_string(bytes.size()) + " bytes can hold (truncated?)");
    const std::uint64_t expected = scd_file_bytes(shape, std::size_t(width), precision);
    if (bytes.size() < expected)
        throw fail("truncated: expected " + std::to_string(expected) + " bytes, found " + std::to_string(bytes.size()));
    if (bytes.size() > expected)
        throw fail(std::to_string(bytes.size() - expected) + " unexpected bytes after the data");
    const std::uint32_t stored_crc = ByteReader(bytes.subspan(bytes.size() - 4)).get<std::uint32_t>();
    if (crc32(bytes.data(), bytes.size() - 4) != stored_crc) throw fail("checksum mismatch: the file is corrupted");

    const std::span<const char> sign_bytes = in.get_bytes(std::size_t((width * bits_per_cut + 7) / 8));
    std::vector<float> coeffs(width);
    for (float& c : coeffs) {
        c = get_coefficient(in, precision);
        if (!std::isfinite(c)) throw fail("non-finite coefficient");
    }
    // The error curve, summed backwards from the stored final residual:
    // ‖R_{j−1}‖² = ‖R_j‖² + N·c_j² (the energy identity with c = v / N). Each ‖R_j‖² is
    // then a sum of the terms below it, so it keeps its relative precision however small.
    std::vector<double> residuals(width + 1);
    residuals[width] = final_squared_norm;
    for (std::size_t j = width; j-- > 0;)
        residuals[j] = residuals[j + 1] + double(element_count(shape)) * double(coeffs[j]) * double(coeffs[j]);

    Decomposition d(shape, precision, input_squared_norm);
    std::vector<std::uint64_t> words(d.words_per_cut());
    std::uint64_t bit = 0;
    for (std::size_t j = 0; j < width; ++j) {
        std::fill(words.begin(), words.end(), 0);
        std::size_t offset = 0;
        for (std::size_t n : shape) {
            for (std::size_t i = 0; i < n; ++i, ++bit)
                if ((static_cast<unsigned char>(sign_bytes[bit >> 3]) >> (bit & 7)) & 1u)
                    words[offset + (i >> 6)] |= std::uint64_t(1) << (i & 63);
            offset += words_for_bits(n);
        }
        d.append(coeffs[j], words,
                 j + 1 == width ? final_squared_norm : std::min(residuals[j + 1], input_squared_norm));
    }
    return d;
}

void write_scd(const std::filesystem::path& path, const Decomposition& decomposition, std::size_t width) {
    write_file_atomically(path, encode_scd(decomposition, width));
}

Decomposition read_scd(const std::filesystem::path& path) { return decode_scd(read_file_bytes(path), path); }

}  // namespace signcut
