#pragma once
// The explorer's "A·x from the bits" readout: y = Â_w·x straight from the stored bits
// (scd/scd_product.h) timed against a bf16 GEMV of the same shape on the same cores
// (tensor/dense_gemv.h), so a demo shows that the small form is also the fast one.

#include <cstddef>
#include <memory>
#include <optional>

#include "scd/decomposition.h"

namespace signcut {
class Bf16Gemv;
}

namespace signcut::gui {

struct ProductTiming {
    double ms_from_bits = 0.0;
    double ms_bf16_gemv = 0.0;
};

class ProductTimer {
public:
    ProductTimer();
    ~ProductTimer();
    // The median of a few products each at width w of `d` (order ≥ 2: its first mode against the
    // rest); the bf16 matrix is kept between calls of the same shape.
    ProductTiming time(const Decomposition& d, std::size_t w);

private:
    std::size_t rows_ = 0, cols_ = 0;
    std::unique_ptr<Bf16Gemv> gemv_;
};

}  // namespace signcut::gui
