#include "io/npy_file.h"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cstring>
#include <numeric>
#include <optional>
#include <string_view>

#include "io/byte_codec.h"
#include "io/file_access.h"
#include "tensor/memory_guard.h"
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

// A reader of the header's Python dict literal as numpy writes it: {'key': value, …} with
// string, True/False and integer-tuple values, then padding. Bounds-checked: every read looks
// at `pos` < size first.
class HeaderText {
public:
    HeaderText(std::string_view text, const std::filesystem::path& source) : text_(text), source_(source) {}

    FileError error(const std::string& problem) const { return FileError(source_, problem); }
    FileError syntax_error(const std::string& expected) const {
        return error("unreadable .npy header: expected " + expected + " at byte " + std::to_string(pos_));
    }
    void skip_space() {
        while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n')) ++pos_;
    }
    bool accept(char c) {
        skip_space();
        if (pos_ >= text_.size() || text_[pos_] != c) return false;
        ++pos_;
        return true;
    }
    void expect(char c) {
        if (!accept(c)) throw syntax_error(std::string("'") + c + "'");
    }
    bool at_quote() {
        skip_space();
        return pos_ < text_.size() && (text_[pos_] == '\'' || text_[pos_] == '"');
    }
    // A quoted string without escapes ('…' or "…").
    std::string quoted() {
        if (!at_quote()) throw syntax_error("a quoted string");
        const char quote = text_[pos_++];
        const std::size_t end = text_.find(quote, pos_);
        if (end == std::string_view::npos) throw syntax_error("a closing quote");
        std::string value(text_.substr(pos_, end - pos_));
        pos_ = end + 1;
        return value;
    }
    // A bare word of letters (True, False).
    std::string word() {
        skip_space();
        const std::size_t begin = pos_;
        while (pos_ < text_.size() && std::isalpha(static_cast<unsigned char>(text_[pos_]))) ++pos_;
        return std::string(text_.substr(begin, pos_ - begin));
    }
    // The text between '(' and the next ')'.
    std::optional<std::string> parenthesised() {
        if (!accept('(')) return std::nullopt;
        const std::size_t end = text_.find(')', pos_);
        if (end == std::string_view::npos) return std::nullopt;
        std::string inside(text_.substr(pos_, end - pos_));
        pos_ = end + 1;
        return inside;
    }
    bool only_space_left() {
        skip_space();
        return pos_ == text_.size();
    }

private:
    std::string_view text_;
    const std::filesystem::path& source_;
    std::size_t pos_ = 0;
};

// The dimensions of a shape tuple's inside ("3, 4", "7,", ""): integers of at most 15 digits,
// separated by commas, one trailing comma allowed. nullopt if it is anything else.
std::optional<Shape> shape_dimensions(std::string_view dims) {
    Shape shape;
    std::size_t pos = 0;
    const auto skip_space = [&] {
        while (pos < dims.size() && (dims[pos] == ' ' || dims[pos] == '\t' || dims[pos] == '\n')) ++pos;
    };
    for (skip_space(); pos < dims.size(); skip_space()) {
        const std::size_t begin = pos;
        while (pos < dims.size() && pos - begin <= 15 && dims[pos] >= '0' && dims[pos] <= '9') ++pos;
        if (pos == begin || pos - begin > 15) return std::nullopt;
        std::size_t n = 0;
        for (std::size_t i = begin; i < pos; ++i) n = n * 10 + std::size_t(dims[i] - '0');
        shape.push_back(n);
        skip_space();
        if (pos == dims.size()) break;
        if (dims[pos] != ',') return std::nullopt;
        ++pos;
    }
    return shape;
}

NpyHeader parse_header(std::string_view text, const std::filesystem::path& source) {
    HeaderText in(text, source);
    std::optional<std::string> descr, fortran_order, dims;
    in.expect('{');
    while (!in.accept('}')) {
        const std::string key = in.quoted();
        in.expect(':');
        if (key == "descr" && !descr) {
            if (!in.at_quote()) throw in.error("the .npy header has no readable 'descr' entry");
            descr = in.quoted();
        } else if (key == "fortran_order" && !fortran_order) {
            fortran_order = in.word();
            if (*fortran_order != "True" && *fortran_order != "False")
                throw in.error("the .npy header has no 'fortran_order' entry");
        } else if (key == "shape" && !dims) {
            dims = in.parenthesised();
            if (!dims) throw in.error("the .npy header has no 'shape' entry");
        } else {
            throw in.error("the .npy header has an unknown or repeated entry '" + key + "'");
        }
        if (!in.accept(',')) {
            in.expect('}');
            break;
        }
    }
    if (!in.only_space_left()) throw in.syntax_error("only padding after the dictionary");

    NpyHeader header;
    // descr: byte order ('<', '>', '|' or '='), kind letter, item size in bytes.
    const bool descr_form = descr && descr->size() >= 3 && descr->size() <= 20 &&
                            std::string_view("<>|=").find((*descr)[0]) != std::string_view::npos &&
                            std::isalpha(static_cast<unsigned char>((*descr)[1])) &&
                            std::all_of(descr->begin() + 2, descr->end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!descr_form) throw in.error("the .npy header has no readable 'descr' entry");
    const std::string kind = descr->substr(1, 1), size = descr->substr(2);
    if (kind != "f" || (size != "2" && size != "4" && size != "8"))
        throw in.error("unsupported dtype '" + *descr + "' (signcut reads f2, f4 and f8 arrays)");
    header.item_bytes = std::size_t(size[0] - '0');
    header.byte_order = (*descr)[0] == '>' ? '>' : '<';
    if (!fortran_order) throw in.error("the .npy header has no 'fortran_order' entry");
    header.fortran_order = *fortran_order == "True";
    if (!dims) throw in.error("the .npy header has no 'shape' entry");
    const std::optional<Shape> shape = shape_dimensions(*dims);
    if (!shape) throw in.error("unreadable shape (" + *dims + ") in the .npy header");
    header.shape = *shape;
    if (header.shape.empty()) throw in.error("0-dimensional arrays (scalars) cannot be decomposed");
    try {
        element_count(header.shape);
    } catch (const std::invalid_argument& error) {
        throw in.error(error.what());
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

// The header of a .npy file of `total_bytes` bytes whose first bytes are `prefix` (the whole
// header at least, when the file has one), checked against the file's size.
struct NpyLayout {
    NpyHeader header;
    std::size_t data_offset = 0, count = 0;
};
NpyLayout read_layout(std::span<const char> prefix, std::uint64_t total_bytes, const std::filesystem::path& source) {
    static_assert(std::endian::native == std::endian::little, "signcut assumes a little-endian machine");
    const auto fail = [&](const std::string& problem) { return FileError(source, problem); };
    if (prefix.size() < 10 || !std::equal(kMagic, kMagic + 6, prefix.begin()))
        throw fail("not a .npy file (bad magic bytes)");
    ByteReader in(prefix.subspan(6));
    const auto major = in.get<std::uint8_t>();
    in.get<std::uint8_t>();  // minor version
    if (major < 1 || major > 3) throw fail("unsupported .npy format version " + std::to_string(major));
    const std::size_t header_bytes = major == 1 ? in.get<std::uint16_t>() : in.get<std::uint32_t>();
    if (!in.ok() || header_bytes > kMaxHeaderBytes || header_bytes > in.remaining())
        throw fail("truncated or oversized .npy header");
    const std::span<const char> header_text = in.get_bytes(header_bytes);
    NpyLayout layout;
    layout.header = parse_header(std::string_view(header_text.data(), header_text.size()), source);
    layout.data_offset = (major == 1 ? 10 : 12) + header_bytes;
    layout.count = element_count(layout.header.shape);
    const std::uint64_t data_bytes = std::uint64_t(layout.count) * layout.header.item_bytes;
    const std::uint64_t remaining = total_bytes - layout.data_offset;
    if (remaining < data_bytes)
        throw fail("truncated: shape " + shape_to_string(layout.header.shape) + " needs " + std::to_string(data_bytes) +
                   " data bytes, found " + std::to_string(remaining));
    if (remaining > data_bytes)
        throw fail(std::to_string(remaining - data_bytes) + " unexpected bytes after the array data");
    return layout;
}

// The tensor of decoded values in the file's order.
Tensor arrange(const NpyHeader& header, FloatBuffer values) {
    if (!header.fortran_order) return Tensor(header.shape, std::move(values));
    // Fortran order is the C order of the reversed shape; reverse the modes back.
    Shape reversed(header.shape.rbegin(), header.shape.rend());
    std::vector<std::size_t> order(reversed.size());
    std::iota(order.rbegin(), order.rend(), std::size_t(0));
    return Tensor(std::move(reversed), std::move(values)).permuted(order);
}

}  // namespace

Tensor decode_npy(std::span<const char> bytes, const std::filesystem::path& source) {
    const NpyLayout layout = read_layout(bytes, bytes.size(), source);
    const char* data = bytes.data() + layout.data_offset;
    FloatBuffer values(layout.count);
    for (std::size_t i = 0; i < layout.count; ++i)
        values[i] = decode_item(data + i * layout.header.item_bytes, layout.header);
    return arrange(layout.header, std::move(values));
}

// The data is read in chunks straight into the values, so reading never holds the file's bytes
// and their floats at once (a 64 MiB matrix peaked at twice its size before).
Tensor read_npy(const std::filesystem::path& path) {
    const std::uint64_t size = checked_file_size(path);
    std::ifstream in = open_for_reading(path);
    std::vector<char> chunk(std::size_t(std::min<std::uint64_t>(size, 12 + kMaxHeaderBytes)));
    in.read(chunk.data(), std::streamsize(chunk.size()));
    if (std::size_t(in.gcount()) != chunk.size()) throw FileError(path, "read fewer bytes than the file size");
    const NpyLayout layout = read_layout(chunk, size, path);
    const std::size_t item_bytes = layout.header.item_bytes;
    require_memory(std::uint64_t(layout.count) * sizeof(float), "reading " + path.string());
    FloatBuffer values(layout.count);
    in.seekg(std::streamoff(layout.data_offset));
    constexpr std::size_t kChunkItems = std::size_t(1) << 18;
    chunk.resize(kChunkItems * item_bytes);
    for (std::size_t first = 0; first < layout.count; first += kChunkItems) {
        const std::size_t items = std::min(kChunkItems, layout.count - first);
        in.read(chunk.data(), std::streamsize(items * item_bytes));
        if (std::size_t(in.gcount()) != items * item_bytes)
            throw FileError(path, "read fewer bytes than the file size");
        for (std::size_t i = 0; i < items; ++i) values[first + i] = decode_item(&chunk[i * item_bytes], layout.header);
    }
    return arrange(layout.header, std::move(values));
}

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
