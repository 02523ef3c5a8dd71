#pragma once
// One interface for every low-bit approximation signcut compares: approximate A at a budget
// of B bits per entry, return the reconstruction and the exact number of bits the stored
// form needs (headers and scales included).

#include <cstdint>
#include <string>
#include <vector>

#include "tensor/tensor.h"

namespace signcut {

struct Approximation {
    Tensor reconstruction;
    std::uint64_t bits = 0;  // of the stored form, everything included
    std::string note;        // e.g. why a budget could not be met
    bool met_budget = true;  // false: no stored form fits the budget (reconstruction empty)
};

// A budget no stored form of the method fits, with the reason.
inline Approximation unmet(std::string why) {
    Approximation none;
    none.met_budget = false;
    none.note = std::move(why);
    return none;
}

// The methods by name: scd, scd-refit, dbf, kashin, rtn (int-b, per-row absmax), rotq, bf16, f16, svd.
std::vector<std::string> method_names();
// Throws std::invalid_argument for an unknown name.
Approximation approximate(const std::string& method, const Tensor& a, double bits_per_entry, std::uint64_t seed = 1);

// The matrices a method sees: a matrix as it is, an image (height × width × c) one per
// channel, a vector as 1 × n, higher orders unfolded as n_0 × (the rest).
std::vector<Tensor> as_matrices(const Tensor& a);
Tensor from_matrices(const std::vector<Tensor>& matrices, const Shape& shape);

}  // namespace signcut
