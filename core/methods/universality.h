#pragma once
// "One code for all": the same method at the same budget on data of very different
// covariance (the data at hand, i.i.d. Gaussian, Gaussian rows of unequal energy), each
// error beside the i.i.d. Gaussian floor. After a random rotation every row looks Gaussian,
// so one trellis code serves them all (Harbuzova, Ordentlich, Polyanskiy 2026: a single
// codebook costs at most 0.11 bit per dimension over reverse water-filling for every
// covariance; tcq is a constructive stand-in for their random codebooks).

#include <string>
#include <vector>

#include "methods/method.h"

namespace signcut {

struct UniversalityCase {
    std::string data;
    double bits_per_entry = 0;
    double relative_error = 0;
    double bits_above_iid_floor = 0;
};

// `method` at `bits_per_entry` on `a` (when given: non-empty), on N(0, 1) 256 × 256 and on the
// same with rows scaled log-uniformly in [0.3, 3]. Cases whose budget cannot be met are left out.
std::vector<UniversalityCase> one_code_for_all(const Tensor& a, const std::string& method = "tcq",
                                               double bits_per_entry = 2.0, std::uint64_t seed = 1);

}  // namespace signcut
