#pragma once
// Checks of keyword arguments, with the CLI's wording for the same options.

#include <cstdint>
#include <stdexcept>
#include <string>

namespace signcut::python {

// A count option (width, seed, threads, group_size, ...): a Python int ≥ 0, else ValueError.
inline std::uint64_t whole_number(const char* name, std::int64_t value) {
    if (value < 0)
        throw std::invalid_argument(std::string(name) + " needs a non-negative whole number, not '" +
                                    std::to_string(value) + "'");
    return std::uint64_t(value);
}

}  // namespace signcut::python
