#include "io/csv_file.h"

#include <charconv>
#include <cstdio>
#include <string>

#include "io/file_access.h"

namespace signcut {
namespace {

constexpr std::uint64_t kMaxCsvBytes = std::uint64_t(1) << 30;

std::string_view trim(std::string_view field) {
    const std::size_t first = field.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) return {};
    return field.substr(first, field.find_last_not_of(" \t\r") - first + 1);
}

bool parse_number(std::string_view field, float& value) {
    if (!field.empty() && field.front() == '+') field.remove_prefix(1);  // from_chars rejects '+'
    const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
    return !field.empty() && end == field.data() + field.size() &&
           (error == std::errc() || error == std::errc::result_out_of_range);
}

// Splits on ',' or ';' when the line has one (every field must then be a number), else on
// blanks. False if some field is not a number.
bool parse_row(std::string_view line, std::vector<float>& row) {
    row.clear();
    const std::size_t delimiter_at = line.find_first_of(",;");
    const std::string_view delimiters =
        delimiter_at == std::string_view::npos ? " \t\r" : std::string_view(&line[delimiter_at], 1);
    const bool blanks = delimiter_at == std::string_view::npos;
    std::size_t start = 0;
    while (start <= line.size()) {
        std::size_t end = line.find_first_of(delimiters, start);
        if (end == std::string_view::npos) end = line.size();
        const std::string_view field = trim(line.substr(start, end - start));
        start = end + 1;
        if (field.empty() && blanks) continue;
        float value = 0.0f;
        if (!parse_number(field, value)) return false;
        row.push_back(value);
    }
    return true;
}

}  // namespace

Tensor decode_csv(std::span<const char> text, const std::filesystem::path& source) {
    const auto fail = [&](const std::string& problem) { return FileError(source, problem); };
    FloatBuffer values;
    std::vector<float> row;
    std::size_t columns = 0, rows = 0, line_number = 0;
    std::size_t start = 0;
    bool first_content_line = true;
    while (start < text.size()) {
        std::size_t end = start;
        while (end < text.size() && text[end] != '\n') ++end;
        const std::string_view line(text.data() + start, end - start);
        start = end + 1;
        ++line_number;
        if (line.find_first_not_of(" \t\r") == std::string_view::npos || line.front() == '#') continue;
        if (!parse_row(line, row)) {
            if (first_content_line) {  // a column header
                first_content_line = false;
                continue;
            }
            throw fail("line " + std::to_string(line_number) + " is not a row of numbers");
        }
        first_content_line = false;
        if (row.empty()) continue;
        if (columns == 0) columns = row.size();
        if (row.size() != columns)
            throw fail("line " + std::to_string(line_number) + " has " + std::to_string(row.size()) +
                       " entries, earlier rows have " + std::to_string(columns));
        values.insert(values.end(), row.begin(), row.end());
        ++rows;
    }
    if (rows == 0) throw fail("no numeric rows found");
    return Tensor({rows, columns}, std::move(values));
}

Tensor read_csv(const std::filesystem::path& path) { return decode_csv(read_file_bytes(path, kMaxCsvBytes), path); }

void write_csv(const std::filesystem::path& path, const Tensor& matrix) {
    if (matrix.order() != 2) throw FileError(path, "only matrices (order 2) can be written as CSV");
    std::vector<char> text;
    char buffer[32];
    for (std::size_t r = 0; r < matrix.dim(0); ++r)
        for (std::size_t c = 0; c < matrix.dim(1); ++c) {
            const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, matrix[r * matrix.dim(1) + c]);
            text.insert(text.end(), buffer, end);
            text.push_back(c + 1 == matrix.dim(1) ? '\n' : ',');
        }
    write_file_atomically(path, text);
}

}  // namespace signcut
