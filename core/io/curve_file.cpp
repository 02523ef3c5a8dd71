#include "io/curve_file.h"

#include <cstdio>
#include <string>
#include <vector>

#include "io/file_access.h"

namespace signcut {

void write_error_curve(const std::filesystem::path& path, const ErrorCurve& curve) {
    std::string text = "width,bytes,bits_per_entry,relative_error\n";
    char line[128];
    for (std::size_t w = 0; w <= curve.width; ++w) {
        const std::uint64_t bytes = curve.stored_bytes(w);
        std::snprintf(line, sizeof line, "%zu,%llu,%.6f,%.9g\n", w, static_cast<unsigned long long>(bytes),
                      8.0 * double(bytes) / double(curve.entries), curve.relative_error(w));
        text += line;
    }
    write_file_atomically(path, std::vector<char>(text.begin(), text.end()));
}

}  // namespace signcut
