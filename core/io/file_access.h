#pragma once
// Whole-file reads with a size bound, atomic writes, and the error type every reader throws.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace signcut {

// A file could not be read or written; what() is one readable line naming the file.
class FileError : public std::runtime_error {
public:
    FileError(const std::filesystem::path& path, const std::string& problem)
        : std::runtime_error(path.string() + ": " + problem) {}
};

// Default bound on any file read whole into memory (4 GiB).
inline constexpr std::uint64_t kDefaultMaxFileBytes = std::uint64_t(4) << 30;

// The size of a regular file; throws FileError if it is missing, not a regular file or larger than max_bytes.
std::uint64_t checked_file_size(const std::filesystem::path& path, std::uint64_t max_bytes = kDefaultMaxFileBytes);
// The file opened for binary reading; throws FileError if it cannot be opened.
std::ifstream open_for_reading(const std::filesystem::path& path);

// Reads the whole file; throws FileError if it is missing, not a regular file or larger than max_bytes.
std::vector<char> read_file_bytes(const std::filesystem::path& path, std::uint64_t max_bytes = kDefaultMaxFileBytes);

// Writes `bytes` through a temporary file in the same folder, flushed to disk and renamed
// over `path`, so a reader sees either the old file or the complete new one.
void write_file_atomically(const std::filesystem::path& path, const std::vector<char>& bytes);

// Creates `path` with `bytes` only if it does not exist yet, atomically even between
// processes on different machines sharing a filesystem: the bytes go to a temporary file that
// is then hard-linked to `path` (link() fails if `path` exists, like O_EXCL, and the file
// appears complete). Returns false, writing nothing, when `path` already existed.
bool create_file_exclusively(const std::filesystem::path& path, const std::vector<char>& bytes);

// The same, streamed: bytes go to a temporary file beside `path`; commit() flushes it to
// disk and renames it into place. Destroyed without commit() (an error, an exception), the
// temporary file is removed and `path` is untouched.
class AtomicFileWriter {
public:
    explicit AtomicFileWriter(const std::filesystem::path& path);
    ~AtomicFileWriter();
    AtomicFileWriter(const AtomicFileWriter&) = delete;
    AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

    void write(const void* data, std::size_t size);
    std::uint64_t bytes_written() const { return bytes_written_; }
    void commit();

private:
    std::filesystem::path path_, folder_, temporary_;
    int fd_ = -1;
    std::uint64_t bytes_written_ = 0;
    bool committed_ = false;
};

// CRC-32 (IEEE 802.3) of a byte range, by zlib's crc32; `crc` continues an earlier range.
std::uint32_t crc32(const void* data, std::size_t size, std::uint32_t crc = 0);

// Lower-case extension without the dot ("png").
std::string lower_extension(const std::filesystem::path& path);

}  // namespace signcut
