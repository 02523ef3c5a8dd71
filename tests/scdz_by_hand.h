#pragma once
// A .scdz file written byte by byte, for the tests of older versions and malformed files:
// header, the payloads as given, the index of `tensors` (offsets counted from 16) and the footer.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <vector>

#include "io/byte_codec.h"
#include "io/file_access.h"

inline void write_scdz_by_hand(const std::filesystem::path& path, std::uint32_t version,
                               const std::vector<char>& payloads, const nlohmann::json& tensors) {
    signcut::ByteWriter out;
    out.put_bytes("SCDZ\r\n\x1a\n", 8);
    out.put(version);
    out.put(std::uint32_t(0));
    out.put_bytes(payloads.data(), payloads.size());
    const nlohmann::json index{
        {"format", "signcut scdz"}, {"version", version}, {"metadata", {{"format", "pt"}}}, {"tensors", tensors}};
    const std::string text = index.dump();
    const std::uint64_t offset = out.bytes().size();
    out.put_bytes(text.data(), text.size());
    out.put(offset);
    out.put(std::uint64_t(text.size()));
    out.put(signcut::crc32(text.data(), text.size()));
    out.put_bytes("SCDZ", 4);
    signcut::write_file_atomically(path, out.bytes());
}
