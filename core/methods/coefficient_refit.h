#pragma once
// Least-squares coefficients for the sign tensors a greedy run chose: the same bits, a lower
// error. Solves G c = r with G_ij = Π_modes ⟨x_i, x_j⟩ (popcounts) and r_j = ⟨A − S, X_j⟩ (S: the
// entries kept apart, scd/outliers.h).

#include <optional>
#include <vector>

#include "scd/decomposition.h"

namespace signcut {

// Widths above max_width are not refitted (the w×w solve grows as w³): nullopt then.
std::optional<std::vector<float>> refit_coefficients(const Tensor& a, const Decomposition& d,
                                                     std::size_t max_width = 4096);

}  // namespace signcut
