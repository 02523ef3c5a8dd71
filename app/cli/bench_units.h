#pragma once
// The timing units shared by signcut-cli bench and bench --products.

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/partitioner.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <vector>

#include "simd/kernels.h"
#include "scd/sign_bits.h"
#include "tensor/tensor.h"

namespace signcut::cli {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Times one pass over the input, sampled between the engine's cuts: each sample runs the
// pass `runs` times after an untimed warm-up and keeps the fastest (the input as hot in
// cache as it gets: the strictest unit); the result is the median over the samples.
class PassTimer {
public:
    explicit PassTimer(std::function<void()> pass) : pass_(std::move(pass)) {}
    void sample(int runs) {
        double fastest = 1e30;
        for (int run = -1; run < runs; ++run) {
            const auto t0 = Clock::now();
            pass_();
            if (run >= 0) fastest = std::min(fastest, seconds_since(t0));
        }
        times_.push_back(fastest);
    }
    double median_seconds() {
        std::nth_element(times_.begin(), times_.begin() + std::ptrdiff_t(times_.size() / 2), times_.end());
        return times_[times_.size() / 2];
    }

private:
    std::function<void()> pass_;
    std::vector<double> times_;
};

// One read of the whole input on every core at the engine's instruction set: a STREAM-style
// sum of each row (the engine's signed_sum kernel with all signs +1), rows split in fixed
// blocks that an affinity_partitioner keeps on the same cores. The physical limit of a pass.
class StreamRead {
public:
    explicit StreamRead(const Tensor& tensor)
        : data_(tensor.data().data()),
          rows_(tensor.dim(0)),
          cols_(tensor.size() / tensor.dim(0)),
          plus_(words_for_bits(cols_), 0),
          sums_(rows_) {}
    void operator()() {
        const Kernels& kernels = active_kernels();
        tbb::parallel_for(
            tbb::blocked_range<std::size_t>(0, rows_, std::max<std::size_t>(1, (std::size_t(1) << 14) / cols_)),
            [&](const tbb::blocked_range<std::size_t>& block) {
                for (std::size_t i = block.begin(); i < block.end(); ++i)
                    sums_[i] += kernels.signed_sum(data_ + i * cols_, plus_.data(), cols_);
            },
            partitioner_);
    }

private:
    const float* data_;
    std::size_t rows_, cols_;
    std::vector<std::uint64_t> plus_;
    std::vector<float> sums_;
    tbb::affinity_partitioner partitioner_;
};

}  // namespace signcut::cli
