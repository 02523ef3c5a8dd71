#include "product_timing.h"

#include <algorithm>
#include <chrono>
#include <vector>

#include "scd/scd_product.h"
#include "tensor/dense_gemv.h"

namespace signcut::gui {
namespace {

constexpr int kRuns = 7;

template <typename Product>
double median_ms(const Product& product) {
    product();  // warm: caches, oneTBB's threads
    std::vector<double> ms;
    for (int run = 0; run < kRuns; ++run) {
        const auto start = std::chrono::steady_clock::now();
        product();
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    std::nth_element(ms.begin(), ms.begin() + kRuns / 2, ms.end());
    return ms[kRuns / 2];
}

}  // namespace

ProductTimer::ProductTimer() = default;
ProductTimer::~ProductTimer() = default;

ProductTiming ProductTimer::time(const Decomposition& d, std::size_t w) {
    const ScdProduct product(d, w);
    if (!gemv_ || rows_ != product.rows() || cols_ != product.cols()) {
        rows_ = product.rows(), cols_ = product.cols();
        gemv_ = std::make_unique<Bf16Gemv>(rows_, cols_, 1);
    }
    std::vector<float> x(cols_, 1.0f), y(rows_);
    ProductTiming timing;
    timing.ms_from_bits = median_ms([&] { product.apply(x, 1, y); });
    timing.ms_bf16_gemv = median_ms([&] { gemv_->apply(x, 1, y); });
    return timing;
}

}  // namespace signcut::gui
