#include "io/file_access.h"

#include "tensor/memory_guard.h"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>

namespace signcut {

std::uint64_t checked_file_size(const std::filesystem::path& path, std::uint64_t max_bytes) {
    std::error_code error;
    const auto status = std::filesystem::status(path, error);
    if (error || !std::filesystem::exists(status)) throw FileError(path, "no such file");
    if (!std::filesystem::is_regular_file(status)) throw FileError(path, "not a regular file");
    const std::uint64_t size = std::filesystem::file_size(path, error);
    if (error) throw FileError(path, "cannot read its size: " + error.message());
    if (size > max_bytes)
        throw FileError(path, "file of " + std::to_string(size) + " bytes exceeds the limit of " +
                                  std::to_string(max_bytes) + " bytes");
    return size;
}

std::ifstream open_for_reading(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw FileError(path, std::string("cannot open: ") + std::strerror(errno));
    return in;
}

std::vector<char> read_file_bytes(const std::filesystem::path& path, std::uint64_t max_bytes) {
    const std::uint64_t size = checked_file_size(path, max_bytes);
    require_memory(2 * size, "reading " + path.string());  // its bytes and what they decode to
    std::ifstream in = open_for_reading(path);
    std::vector<char> bytes(size);
    in.read(bytes.data(), std::streamsize(size));
    if (std::uint64_t(in.gcount()) != size) throw FileError(path, "read fewer bytes than the file size");
    return bytes;
}

AtomicFileWriter::AtomicFileWriter(const std::filesystem::path& path) : path_(path) {
    folder_ = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    std::random_device entropy;
    std::string name = ".";  // built step by step: GCC 12 warns falsely on one long concatenation
    name += path.filename().string();
    name += ".tmp-" + std::to_string(entropy());
    temporary_ = folder_ / name;
    fd_ = ::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd_ < 0) throw FileError(path, std::string("cannot create a temporary file: ") + std::strerror(errno));
}

AtomicFileWriter::~AtomicFileWriter() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(temporary_.c_str());
}

void AtomicFileWriter::write(const void* data, std::size_t size) {
    const auto* bytes = static_cast<const char*>(data);
    std::size_t written = 0;
    while (written < size) {
        const ssize_t n = ::write(fd_, bytes + written, size - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw FileError(path_, std::string("write failed: ") + std::strerror(errno));
        written += std::size_t(n);
    }
    bytes_written_ += size;
}

void AtomicFileWriter::commit() {
    const int fd = fd_;
    fd_ = -1;
    if (::fsync(fd) != 0 || ::close(fd) != 0)
        throw FileError(path_, std::string("cannot flush to disk: ") + std::strerror(errno));
    if (::rename(temporary_.c_str(), path_.c_str()) != 0)
        throw FileError(path_, std::string("cannot move the finished file into place: ") + std::strerror(errno));
    committed_ = true;
    // Make the rename itself durable.
    if (const int dir = ::open(folder_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
}

bool create_file_exclusively(const std::filesystem::path& path, const std::vector<char>& bytes) {
    const std::filesystem::path staging = path.string() + ".new-" + std::to_string(std::random_device{}());
    write_file_atomically(staging, bytes);
    const int linked = ::link(staging.c_str(), path.c_str());
    const int error = errno;
    ::unlink(staging.c_str());
    if (linked == 0) return true;
    if (error == EEXIST) return false;
    throw FileError(path, std::string("cannot create: ") + std::strerror(error));
}

void write_file_atomically(const std::filesystem::path& path, const std::vector<char>& bytes) {
    AtomicFileWriter out(path);
    out.write(bytes.data(), bytes.size());
    out.commit();
}

std::uint32_t crc32(const void* data, std::size_t size, std::uint32_t crc) {
    return std::uint32_t(::crc32_z(crc, static_cast<const Bytef*>(data), size));
}

std::string lower_extension(const std::filesystem::path& path) {
    std::string ext = path.extension().string();
    if (!ext.empty()) ext.erase(0, 1);
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return ext;
}

}  // namespace signcut
