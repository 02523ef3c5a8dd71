#pragma once
// Checks of keyword arguments, with the CLI's wording for the same options.

#include <pybind11/pybind11.h>

#include <cstdint>
#include <stdexcept>
#include <string>

#include "scd/outliers.h"

namespace signcut::python {

// A count option (width, seed, threads, group_size, ...): a Python int ≥ 0, else ValueError.
inline std::uint64_t whole_number(const char* name, std::int64_t value) {
    if (value < 0)
        throw std::invalid_argument(std::string(name) + " needs a non-negative whole number, not '" +
                                    std::to_string(value) + "'");
    return std::uint64_t(value);
}

// outliers="auto" or a count (0: none), as signcut-cli's --outliers.
inline OutlierPolicy parse_outliers(const pybind11::object& outliers) {
    if (pybind11::isinstance<pybind11::str>(outliers)) return parse_outlier_policy(outliers.cast<std::string>());
    if (pybind11::isinstance<pybind11::int_>(outliers) && !pybind11::isinstance<pybind11::bool_>(outliers))
        return {.count = std::size_t(whole_number("outliers", outliers.cast<std::int64_t>()))};
    throw std::invalid_argument("outliers must be 'auto' or a count of entries (0: none)");
}

}  // namespace signcut::python
