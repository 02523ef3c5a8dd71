#pragma once
// What the fuzzers do with one input, per reader, shared by the libFuzzer targets (fuzz_*.cpp)
// and the regression test that replays every input kept in fuzz/regressions/. Every reader may
// throw a std::exception for bad input (that is its job); anything else (a crash, a sanitizer
// report, a hang, an allocation beyond the file's size) is a finding.

#include <unistd.h>

#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <new>
#include <span>
#include <string>

#include "io/csv_file.h"
#include "io/image_file.h"
#include "io/npy_file.h"
#include "io/safetensors_file.h"
#include "io/scd_file.h"
#include "io/scdz_file.h"
#include "model/stored_tensor.h"

namespace signcut::fuzz {

// Entries a fuzzed file may make us allocate for its contents: beyond this, only headers are checked.
inline constexpr std::size_t kMaxFuzzEntries = std::size_t(1) << 20;

inline std::span<const char> chars(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// Readers that map files get the input through a temporary file (in /dev/shm when there is one).
inline std::filesystem::path temporary_file(const std::uint8_t* data, std::size_t size, const std::string& extension) {
    const std::filesystem::path folder =
        std::filesystem::exists("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path();
    const std::filesystem::path path = folder / ("signcut-fuzz-" + std::to_string(::getpid()) + "." + extension);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), std::streamsize(size));
    return path;
}

// Clean errors are caught; std::bad_alloc is let through: a reader must refuse an input whose
// sizes it cannot hold with a clear error before it allocates, not fail the allocation.
template <typename Body>
void expecting_exceptions(const Body& body) {
    try {
        body();
    } catch (const std::bad_alloc&) {
        throw;
    } catch (const std::exception&) {
    }
}

inline void exercise_scd(const std::uint8_t* data, std::size_t size) {
    expecting_exceptions([&] {
        const Decomposition d = decode_scd(chars(data, size));
        if (d.entries() <= kMaxFuzzEntries) (void)d.reconstruct(d.width());
        (void)d.relative_error(d.width());
    });
}

inline void exercise_npy(const std::uint8_t* data, std::size_t size) {
    expecting_exceptions([&] { (void)decode_npy(chars(data, size)); });
}

inline void exercise_csv(const std::uint8_t* data, std::size_t size) {
    expecting_exceptions([&] { (void)decode_csv(chars(data, size)); });
}

inline void exercise_image(const std::uint8_t* data, std::size_t size) {
    expecting_exceptions([&] { (void)decode_image(chars(data, size), "<fuzz>", std::size_t(1) << 22); });
}

inline void exercise_safetensors(const std::uint8_t* data, std::size_t size) {
    const auto path = temporary_file(data, size, "safetensors");
    expecting_exceptions([&] {
        const SafetensorsReader reader(path);
        for (const SafetensorsEntry& entry : reader.tensors()) {
            (void)reader.raw(entry);
            if (is_float_dtype(entry.dtype) && entry.elements() <= kMaxFuzzEntries)
                expecting_exceptions([&] { (void)reader.to_tensor(entry); });
        }
    });
    std::filesystem::remove(path);
}

inline void exercise_scdz(const std::uint8_t* data, std::size_t size) {
    const auto path = temporary_file(data, size, "scdz");
    expecting_exceptions([&] {
        const ScdzReader reader(path);
        for (const ScdzEntry& entry : reader.entries()) {
            std::uint64_t entries = 1;
            for (std::size_t n : entry.shape) entries *= n;
            expecting_exceptions([&] {
                if (entries <= kMaxFuzzEntries) (void)load_tensor(reader, entry);
                else (void)reader.payload(entry);
            });
        }
    });
    std::filesystem::remove(path);
}

}  // namespace signcut::fuzz
