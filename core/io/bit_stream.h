#pragma once
// Bit streams for the stored forms of the methods: values of 1 … 64 bits, least significant bit
// first, zero-padded to a byte at the end. A stored form spends exactly the bits its method
// counts, so fields need not fall on byte boundaries.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace signcut {

class BitWriter {
public:
    // The low `bits` bits of value (1 ≤ bits ≤ 64).
    void put(std::uint64_t value, unsigned bits) {
        if (bits < 64) value &= (std::uint64_t(1) << bits) - 1;
        bits_written_ += bits;
        while (bits > 0) {
            const unsigned take = std::min(bits, 64 - filled_);
            pending_ |= take == 64 ? value : (value & ((std::uint64_t(1) << take) - 1)) << filled_;
            filled_ += take;
            value = take == 64 ? 0 : value >> take;
            bits -= take;
            if (filled_ == 64) flush_word();
        }
    }
    void put_f16(std::uint16_t bits) { put(bits, 16); }
    std::uint64_t bits_written() const { return bits_written_; }
    // The bytes, the last one zero-padded: ⌈bits_written / 8⌉ of them.
    std::vector<char> finish() {
        for (unsigned i = 0; i < filled_; i += 8) bytes_.push_back(char((pending_ >> i) & 0xFF));
        pending_ = 0;
        filled_ = 0;
        return std::move(bytes_);
    }
    // finish() for a stored form that must hold exactly `counted` bits (what its method counts
    // and budgets); std::logic_error naming `method` otherwise: a bug, never bad input.
    std::vector<char> finish_exactly(std::uint64_t counted, const std::string& method) {
        if (bits_written_ != counted)
            throw std::logic_error(method + ": the stored form differs from its bit count");
        return finish();
    }

private:
    void flush_word() {
        for (unsigned i = 0; i < 64; i += 8) bytes_.push_back(char((pending_ >> i) & 0xFF));
        pending_ = 0;
        filled_ = 0;
    }
    std::vector<char> bytes_;
    std::uint64_t pending_ = 0;
    unsigned filled_ = 0;
    std::uint64_t bits_written_ = 0;
};

// Reads what BitWriter wrote; `ok()` turns false (and reads yield 0) once a read would pass the end.
class BitReader {
public:
    explicit BitReader(std::span<const char> bytes) : bytes_(bytes) {}
    // Continues at bit `position` (a stream read in parallel pieces; ok() turns false past the end).
    void seek(std::uint64_t position) {
        pending_ = 0;
        filled_ = 0;
        consumed_ = std::min(position, 8 * std::uint64_t(bytes_.size()));
        next_byte_ = std::size_t(consumed_ / 8);
        ok_ = ok_ && position == consumed_;
        if (const auto skip = unsigned(consumed_ % 8); skip > 0) {
            consumed_ -= skip;
            get(skip);
        }
    }
    // The next `bits` bits (1 ≤ bits ≤ 57).
    std::uint64_t get(unsigned bits) {
        if (!ok_ || bits > remaining_bits()) {
            ok_ = false;
            return 0;
        }
        while (filled_ < bits) {
            pending_ |= std::uint64_t(static_cast<unsigned char>(bytes_[next_byte_++])) << filled_;
            filled_ += 8;
        }
        const std::uint64_t value = pending_ & ((std::uint64_t(1) << bits) - 1);
        pending_ >>= bits;
        filled_ -= bits;
        consumed_ += bits;
        return value;
    }
    std::uint64_t get_u64() { return get(32) | get(32) << 32; }
    std::uint64_t remaining_bits() const { return 8 * std::uint64_t(bytes_.size()) - consumed_; }
    std::uint64_t consumed_bits() const { return consumed_; }
    bool ok() const { return ok_; }

private:
    std::span<const char> bytes_;
    std::size_t next_byte_ = 0;
    std::uint64_t pending_ = 0, consumed_ = 0;
    unsigned filled_ = 0;
    bool ok_ = true;
};

}  // namespace signcut
