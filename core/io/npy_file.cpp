#include "io/npy_file.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <numeric>
#include <regex>

#include "io/byte_codec.h"
#include "io/file_access.h"
#include "tensor/float16.h"

namespace signcut {
namespace {

constexpr char kMagic[6] = {'\x93', 'N', 'U', 'M', 'P', 'Y'};
constexpr std::size_t kMaxHeaderBytes = 4096;  // real headers are ~100 bytes

struct NpyHeader {
    char byte_order = '<';  // '<' little, '>' big
    std::size_t item_bytes = 4;
    bool fortran_order = false;
    Shape shape;
};

NpyHeader parse_header(const std::string& text, const std::filesystem::path& source) {
    const auto fail = [&](const std::string& problem) { return FileError(source, problem); };
    NpyHeader header;
    std::smatch match;
    if (!std::regex_search(text, match, std::regex(R"('descr'\s*:\s*'([<>|=])([a-zA-Z])(\d+)')")))
        throw fail("the .npy header has no readable 'descr' entry");
    const std::string kind = match[2].str(), size = match[3].str();
    if (kind != "f" || (size != "2" && size != "4" && size != "8"))
        throw fail("unsupported dtype '" + match[1].str() + kind + size + "' (signcut reads f2, f4 and f8 arrays)");
    header.item_bytes = std::size_t(std::stoul(size));
    header.byte_order = match[1].str()[0] == '>' ? '>' : '<';
    if (!std::regex_search(text, match, std::regex(R"('fortran_order'\s*:\s*(True|False))")))
        throw fail("the .npy header has no 'fortran_order' entry");
    header.fortran_order = match[1].str() == "True";
    if (!std::regex_search(text, match, std::regex(R"('shape'\s*:\s*\(([^)]*)\))")))
        throw fail("the .npy header has no 'shape' entry");
    const std::string dims = match[1].str();
    if (!std::regex_match(dims, std::regex(R"(\s*(\d{1,15}\s*,\s*)*(\d{1,15})?\s*)")))
        throw fail("unreadable shape (" + dims + ") in the .npy header");
    const std::regex number(R"((\d+))");
    for (auto it = std::sregex_iterator(dims.begin(), dims.end(), number); it != std::sregex_iterator(); ++it)
        header.shape.push_back(std::size_t(std::stoull((*it)[1].str())));
    if (header.shape.empty()) throw fail("0-dimensional arrays (scalars) cannot be decomposed");
    try {
        element_count(header.shape);
    } catch (const std::invalid_argument& error) {
        throw fail(error.what());
    }
    return header;
}

float decode_item(const char* p, const NpyHeader& header) {
    unsigned char b[8];
    std::memcpy(b, p, header.item_bytes);
    if (header.byte_order == '>') std::reverse(b, b + header.item_bytes);
    switch (header.item_bytes) {
        case 2:
            return f16_bits_to_float(std::uint16_t(b[0] | (b[1] << 8)));
        case 4: {
            std::uint32_t bits;
            std::memcpy(&bits, b, 4);
            return std::bit_cast<float>(bits);
        }
        default: {
            double value;
            std::memcpy(&value, b, 8);
            return float(value);
        }
    }
}

}  // namespace

Tensor decode_npy(std::span<const char> bytes, const std::filesystem::path& source) {
    static_assert(std::endian::native == std::endian::little, "signcut assumes a little-endian machine");
    const auto fail = [&](const std::string& problem) { return FileError(source, problem); };
    if (bytes.size() < 10 || !std::equal(kMagic, kMagic + 6, bytes.begin()))
        throw fail("not a .npy file (bad magic bytes)");
    ByteReader in(bytes.subspan(6));
    const auto major = in.get<std::uint8_t>();
    in.get<std::uint8_t>();  // minor version
    if (major < 1 || major > 3) throw fail("unsupported .npy format version " + std::to_string(major));
    const std::size_t header_bytes = major == 1 ? in.get<std::uint16_t>() : in.get<std::uint32_t>();
    if (!in.ok() || header_bytes > kMaxHeaderBytes || header_bytes > in.remaining())
        throw fail("truncated or oversized .npy header");
    const std::span<const char> header_text = in.get_bytes(header_bytes);
    const NpyHeader header = parse_header(std::string(header_text.begin(), header_text.end()), source);

    const std::size_t count = element_count(header.shape);
    const std::uint64_t data_bytes = std::uint64_t(count) * header.item_bytes;
    if (in.remaining() < data_bytes)
        throw fail("truncated: shape " + shape_to_string(header.shape) + " needs " + std::to_string(data_bytes) +
                   " data bytes, found " + std::to_string(in.remaining()));
    if (in.remaining() > data_bytes)
        throw fail(std::to_string(in.remaining() - data_bytes) + " unexpected bytes after the array data");
    const char* data = in.get_bytes(std::size_t(data_bytes)).data();

    FloatBuffer values(count);
    for (std::size_t i = 0; i < count; ++i) values[i] = decode_item(data + i * header.item_bytes, header);
    if (!header.fortran_order) return Tensor(header.shape, std::move(values));
    // Fortran order is the C order of the reversed shape; reverse the modes back.
    Shape reversed(header.shape.rbegin(), header.shape.rend());
    std::vector<std::size_t> order(reversed.size());
    std::iota(order.rbegin(), order.rend(), std::size_t(0));
    return Tensor(std::move(reversed), std::move(values)).permuted(order);
}

Tensor read_npy(const std::filesystem::path& path) { return decode_npy(read_file_bytes(path), path); }

std::vector<char> encode_npy(const Tensor& tensor) {
    std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (";
    for (std::size_t n : tensor.shape()) dict += std::to_string(n) + ", ";
    if (tensor.order() > 1) dict.resize(dict.size() - 1);  // (n,) keeps its comma
    dict += "), }";
    // Pad with spaces so the data starts on a 64-byte boundary; the header ends in '\n'.
    const std::size_t unpadded = 10 + dict.size() + 1;
    dict.append((64 - unpadded % 64) % 64, ' ');
    dict += '\n';
    ByteWriter out;
    out.put_bytes(kMagic, 6);
    out.put(std::uint8_t(1));
    out.put(std::uint8_t(0));
    out.put(std::uint16_t(dict.size()));
    out.put_bytes(dict.data(), dict.size());
    out.put_bytes(tensor.data().data(), tensor.size() * sizeof(float));
    return std::move(out.bytes());
}

void write_npy(const std::filesystem::path& path, const Tensor& tensor) {
    write_file_atomically(path, encode_npy(tensor));
}

}  // namespace signcut
