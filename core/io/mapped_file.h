#pragma once
// A read-only memory map of a whole file, so multi-GB checkpoints are paged in on demand
// instead of being read into RAM.

#include <cstddef>
#include <filesystem>
#include <span>

namespace signcut {

class MappedFile {
public:
    // Throws FileError if the file is missing, not a regular file or cannot be mapped.
    explicit MappedFile(const std::filesystem::path& path);
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    std::span<const char> bytes() const { return {data_, size_}; }
    std::size_t size() const { return size_; }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
    const char* data_ = nullptr;
    std::size_t size_ = 0;
};

}  // namespace signcut
