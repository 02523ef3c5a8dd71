#include "io/scd_file.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "io/byte_codec.h"
#include "io/file_access.h"
#include "scd/outliers.h"
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
        for (std::size_t i = 0; i < bits; ++i) append_bit(is_negative(words, i));
    }
    // The low `bits` bits of value, least significant first.
    void append_number(std::uint64_t value, std::size_t bits) {
        for (std::size_t i = 0; i < bits; ++i) append_bit((value >> i) & 1u);
    }
    void finish() {
        if (filled_) flush();
    }

private:
    void append_bit(bool set) {
        if (set) current_ |= std::uint8_t(1u << filled_);
        if (++filled_ == 8) flush();
    }
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

// Bit `bit` of a byte stream written by BitWriter.
bool bit_at(std::span<const char> bytes, std::uint64_t bit) {
    return (static_cast<unsigned char>(bytes[std::size_t(bit >> 3)]) >> (bit & 7)) & 1u;
}

// Version 2's section of entries kept apart, after the coefficients (docs/formats.md): count K,
// batch count B, B × (width, count), K packed indices, K values.
void put_outliers(ByteWriter& out, const Decomposition& d, std::size_t width) {
    const std::size_t count = d.outlier_count(width);
    const std::size_t batches = d.outlier_batches(width);
    out.put(std::uint64_t(count));
    out.put(std::uint64_t(batches));
    const std::span<const std::size_t> widths = d.outlier_widths().first(count);
    for (auto it = widths.begin(); it != widths.end();) {
        const auto end = std::upper_bound(it, widths.end(), *it);
        out.put(std::uint64_t(*it));
        out.put(std::uint64_t(end - it));
        it = end;
    }
    BitWriter bits(out.bytes());
    const std::size_t index_bits = outlier_index_bits(d.entries());
    for (std::size_t e = 0; e < count; ++e) bits.append_number(d.outlier_indices()[e], index_bits);
    bits.finish();
    for (std::size_t e = 0; e < count; ++e)
        put_coefficient(out, d.outlier_values()[e], outlier_value_precision(d.precision()));
}

// The entries kept apart as a version 2 file stores them, each with the width it joins at.
struct StoredOutliers {
    std::vector<std::uint64_t> indices;
    std::vector<float> values;
    std::vector<std::size_t> widths;
};

// Reads the section put_outliers wrote (its two counts already checked against the file's size).
template <typename Fail>
StoredOutliers read_outliers(ByteReader& in, const Fail& fail, std::uint64_t entries, std::size_t width,
                             std::size_t count, std::size_t batches, CoeffPrecision precision) {
    in.get_bytes(16);  // the counts
    StoredOutliers out;
    out.widths.reserve(count);
    std::uint64_t previous = 0;
    for (std::size_t b = 0; b < batches; ++b) {
        const auto at = in.get<std::uint64_t>(), size = in.get<std::uint64_t>();
        if (at > width || (b > 0 && at <= previous) || size == 0 || size > count - out.widths.size())
            throw fail("invalid batch " + std::to_string(b) + " of entries kept apart (width " + std::to_string(at) +
                       ", " + std::to_string(size) + " entries)");
        out.widths.insert(out.widths.end(), std::size_t(size), std::size_t(at));
        previous = at;
    }
    if (out.widths.size() != count) throw fail("the batches of entries kept apart do not add up to their count");
    const std::size_t index_bits = outlier_index_bits(entries);
    const std::span<const char> packed = in.get_bytes((count * index_bits + 7) / 8);
    for (std::size_t e = 0; e < count; ++e) {
        std::uint64_t index = 0;
        for (std::size_t b = 0; b < index_bits; ++b)
            index |= std::uint64_t(bit_at(packed, std::uint64_t(e) * index_bits + b)) << b;
        if (index >= entries) throw fail("an entry kept apart lies outside the tensor (index " + std::to_string(index) + ")");
        out.indices.push_back(index);
    }
    for (std::size_t e = 0; e < count; ++e) {
        const float value = get_coefficient(in, outlier_value_precision(precision));
        if (!std::isfinite(value)) throw fail("non-finite value of an entry kept apart");
        out.values.push_back(value);
    }
    return out;
}

}  // namespace

std::vector<char> encode_scd(const Decomposition& d, std::size_t width) {
    width = std::min(width, d.width());
    const bool with_outliers = d.outlier_count(width) > 0;  // else version 1, as before outliers existed
    ByteWriter out;
    out.put_bytes(kMagic, 4);
    out.put(with_outliers ? kScdVersion : std::uint16_t(1));
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
    if (with_outliers) put_outliers(out, d, width);
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
    if (version < 1 || version > kScdVersion)
        throw fail("unsupported .scd version " + std::to_string(version) + " (this build reads versions 1 to " +
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
    // Version 2: the section of entries kept apart sits after the coefficients, its counts first.
    const std::uint64_t entries = element_count(shape);
    std::uint64_t outliers = 0, batches = 0;
    const std::uint64_t before_section = scd_file_bytes(shape, std::size_t(width), precision) - 4;
    if (version >= 2) {
        if (bytes.size() < before_section + 16) throw fail("truncated: the section of entries kept apart is missing");
        ByteReader counts(bytes.subspan(std::size_t(before_section), 16));
        outliers = counts.get<std::uint64_t>();
        batches = counts.get<std::uint64_t>();
        if (outliers == 0 || outliers > entries || batches == 0 || batches > outliers ||
            outliers > std::uint64_t(bytes.size()) || batches > std::uint64_t(bytes.size()) / 16)
            throw fail("invalid section of entries kept apart: " + std::to_string(outliers) + " entries in " +
                       std::to_string(batches) + " batches");
    }
    const std::uint64_t expected =
        scd_file_bytes(shape, std::size_t(width), precision, std::size_t(outliers), std::size_t(batches));
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
    const StoredOutliers apart = version >= 2 ? read_outliers(in, fail, entries, std::size_t(width), std::size_t(outliers),
                                                              std::size_t(batches), precision)
                                              : StoredOutliers{};
    // The error curve, summed backwards from the stored final residual: before width j's entries
    // were kept apart and cut j − 1 subtracted, ‖R‖² was larger by their Σ v² and by N·c².
    std::vector<double> apart_energy(width + 1, 0.0);
    for (std::size_t e = 0; e < apart.values.size(); ++e)
        apart_energy[apart.widths[e]] += double(apart.values[e]) * double(apart.values[e]);
    std::vector<double> residuals(width + 1);
    residuals[width] = final_squared_norm;
    for (std::size_t j = width; j-- > 0;)
        residuals[j] = residuals[j + 1] + apart_energy[j + 1] +
                       double(element_count(shape)) * double(coeffs[j]) * double(coeffs[j]);

    Decomposition d(shape, precision, input_squared_norm);
    std::size_t next_apart = 0;
    const auto add_apart_at = [&](std::size_t w) {  // the batch that joins at width w, if any
        std::size_t end = next_apart;
        while (end < apart.widths.size() && apart.widths[end] == w) ++end;
        if (end == next_apart) return;
        d.add_outliers(std::span(apart.indices).subspan(next_apart, end - next_apart),
                       std::span(apart.values).subspan(next_apart, end - next_apart),
                       w == width ? final_squared_norm : std::min(residuals[w], input_squared_norm));
        next_apart = end;
    };
    add_apart_at(0);
    std::vector<std::uint64_t> words(d.words_per_cut());
    std::uint64_t bit = 0;
    for (std::size_t j = 0; j < width; ++j) {
        std::fill(words.begin(), words.end(), 0);
        std::size_t offset = 0;
        for (std::size_t n : shape) {
            for (std::size_t i = 0; i < n; ++i, ++bit)
                if (bit_at(sign_bytes, bit))
                    words[offset + (i >> 6)] |= std::uint64_t(1) << (i & 63);
            offset += words_for_bits(n);
        }
        d.append(coeffs[j], words,
                 j + 1 == width ? final_squared_norm : std::min(residuals[j + 1], input_squared_norm));
        add_apart_at(j + 1);
    }
    return d;
}

void write_scd(const std::filesystem::path& path, const Decomposition& decomposition, std::size_t width) {
    write_file_atomically(path, encode_scd(decomposition, width));
}

Decomposition read_scd(const std::filesystem::path& path) { return decode_scd(read_file_bytes(path), path); }

}  // namespace signcut
