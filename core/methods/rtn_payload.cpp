#include "methods/rtn_payload.h"

#include <cstring>
#include <stdexcept>
#include <string>

#include "io/byte_codec.h"
#include "tensor/float16.h"

namespace signcut {
namespace {

constexpr char kMagic[4] = {'R', 'T', 'N', '1'};
constexpr int kMaxWidth = 8;
constexpr std::uint64_t kMaxEntries = std::uint64_t(1) << 40;

std::size_t groups_of(std::size_t cols, std::size_t group) { return (cols + group - 1) / group; }

}  // namespace

Tensor decode_rtn_payload(std::span<const char> payload) {
    const auto fail = [](const std::string& problem) { throw std::invalid_argument("rtn payload: " + problem); };
    ByteReader in(payload);
    const std::span<const char> magic = in.get_bytes(4);
    if (!in.ok() || std::memcmp(magic.data(), kMagic, 4) != 0) fail("bad magic");
    const auto rows = in.get<std::uint64_t>(), cols = in.get<std::uint64_t>(), group = in.get<std::uint64_t>();
    if (!in.ok()) fail("truncated header");
    if (rows == 0 || cols == 0 || group == 0 || group > cols || rows > kMaxEntries || cols > kMaxEntries / rows)
        fail("bad sizes " + std::to_string(rows) + " x " + std::to_string(cols) + ", group " + std::to_string(group));
    if (in.remaining() < rows) fail("truncated widths");
    std::vector<int> widths(rows);
    std::uint64_t code_bits = 0, scale_count = 0;
    const std::uint64_t groups = groups_of(cols, group);
    for (std::size_t r = 0; r < rows; ++r) {
        widths[r] = in.get<std::uint8_t>();
        if (widths[r] > kMaxWidth) fail("width " + std::to_string(widths[r]) + " above 8");
        code_bits += std::uint64_t(widths[r]) * cols;
        scale_count += widths[r] > 0 ? 2 * groups : groups;
    }
    // The exact size, checked before the reconstruction is allocated.
    if (in.remaining() != 2 * scale_count + (code_bits + 7) / 8)
        fail("length " + std::to_string(payload.size()) + " does not match its widths and sizes");
    const std::span<const char> packed = payload.subspan(payload.size() - (code_bits + 7) / 8);
    std::uint64_t bit = 0;
    const auto next_code = [&](int b) {
        std::uint32_t value = 0;
        for (int i = 0; i < b; ++i, ++bit)
            value |= std::uint32_t((static_cast<unsigned char>(packed[bit / 8]) >> (bit % 8)) & 1u) << i;
        return value;
    };
    Tensor out({rows, cols});
    for (std::size_t r = 0; r < rows; ++r) {
        for (std::size_t start = 0; start < cols; start += group) {
            const std::size_t n = std::min<std::size_t>(group, cols - start);
            const float zero = f16_bits_to_float(in.get<std::uint16_t>());
            const float scale = widths[r] > 0 ? f16_bits_to_float(in.get<std::uint16_t>()) : 0.0f;
            float* row = &out.data()[r * cols + start];
            for (std::size_t i = 0; i < n; ++i)
                row[i] = widths[r] > 0 ? zero + float(next_code(widths[r])) * scale : zero;
        }
    }
    return out;
}

}  // namespace signcut
