#pragma once
// Lets a SIMD kernel take its row count as a template parameter (so that per-row signs and
// tables stay in registers): calls body(std::integral_constant<std::size_t, count>{}) for
// a run-time count in 1..kMax.

#include <cstddef>
#include <type_traits>
#include <utility>

namespace signcut::detail {

template <std::size_t kMax, typename Body>
void with_row_count(std::size_t count, const Body& body) {
    [&]<std::size_t... kIndex>(std::index_sequence<kIndex...>) {
        ((count == kIndex + 1 ? body(std::integral_constant<std::size_t, kIndex + 1>{}) : void()), ...);
    }
    (std::make_index_sequence<kMax>());
}

}  // namespace signcut::detail
