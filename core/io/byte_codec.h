#pragma once
// Little-endian encoding into a byte buffer and bounds-checked decoding out of one.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

namespace signcut {

class ByteWriter {
public:
    template <typename T>
    void put(T value) {  // unsigned integers; floats go through their bits
        for (std::size_t i = 0; i < sizeof(T); ++i) bytes_.push_back(char((std::uint64_t(value) >> (8 * i)) & 0xFF));
    }
    void put_f64(double value) {
        std::uint64_t bits;
        std::memcpy(&bits, &value, 8);
        put(bits);
    }
    void put_bytes(const void* data, std::size_t size) {
        bytes_.insert(bytes_.end(), static_cast<const char*>(data), static_cast<const char*>(data) + size);
    }
    std::vector<char>& bytes() { return bytes_; }

private:
    std::vector<char> bytes_;
};

// Reads from a span; `ok()` turns false (and reads yield 0) once a read would pass the end.
class ByteReader {
public:
    explicit ByteReader(std::span<const char> bytes) : bytes_(bytes) {}
    template <typename T>
    T get() {
        if (!take(sizeof(T))) return T(0);
        std::uint64_t value = 0;
        for (std::size_t i = 0; i < sizeof(T); ++i)
            value |= std::uint64_t(static_cast<unsigned char>(bytes_[position_ - sizeof(T) + i])) << (8 * i);
        return T(value);
    }
    double get_f64() {
        const std::uint64_t bits = get<std::uint64_t>();
        double value;
        std::memcpy(&value, &bits, 8);
        return value;
    }
    std::span<const char> get_bytes(std::size_t size) {
        if (!take(size)) return {};
        return bytes_.subspan(position_ - size, size);
    }
    bool ok() const { return ok_; }
    std::size_t position() const { return position_; }
    std::size_t remaining() const { return bytes_.size() - position_; }

private:
    bool take(std::size_t size) {
        if (!ok_ || size > remaining()) return ok_ = false;
        position_ += size;
        return true;
    }
    std::span<const char> bytes_;
    std::size_t position_ = 0;
    bool ok_ = true;
};

}  // namespace signcut
