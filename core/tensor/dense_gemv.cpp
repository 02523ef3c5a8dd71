// The dense GEMV rivals of dense_gemv.h. The SIMD kernels carry target attributes so that this
// file builds for baseline x86-64 and picks its kernel at run time.
#include "tensor/dense_gemv.h"

#include <immintrin.h>
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <random>

#include "tensor/float16.h"

namespace signcut {
namespace {

constexpr std::size_t kRowsPerTask = 16, kRowsAtOnce = 4;

enum class Bf16Kernel { scalar, avx2, avx512bf16 };

Bf16Kernel best_bf16_kernel() {
    if (__builtin_cpu_supports("avx512bf16") && __builtin_cpu_supports("avx512bw")) return Bf16Kernel::avx512bf16;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return Bf16Kernel::avx2;
    return Bf16Kernel::scalar;
}

// y[r] = Σ_i w[r][i]·x[i] for kRows rows at once (one read of x serves them all).
template <std::size_t kRows>
__attribute__((target("avx512f,avx512bw,avx512bf16"))) void rows_avx512bf16(const std::uint16_t* w, std::size_t cols,
                                                                            const std::uint16_t* x, float* y) {
    __m512 acc[kRows];
    for (auto& a : acc) a = _mm512_setzero_ps();
    std::size_t i = 0;
    for (; i + 32 <= cols; i += 32) {
        const __m512bh xs = __m512bh(_mm512_loadu_si512(x + i));
        for (std::size_t r = 0; r < kRows; ++r)
            acc[r] = _mm512_dpbf16_ps(acc[r], __m512bh(_mm512_loadu_si512(w + r * cols + i)), xs);
    }
    for (std::size_t r = 0; r < kRows; ++r) {
        float lanes[16];  // (not _mm512_reduce_add_ps: GCC 12 warns inside it)
        _mm512_storeu_ps(lanes, acc[r]);
        float sum = 0;
        for (float lane : lanes) sum += lane;
        for (std::size_t t = i; t < cols; ++t) sum += bf16_bits_to_float(w[r * cols + t]) * bf16_bits_to_float(x[t]);
        y[r] = sum;
    }
}

template <std::size_t kRows>
__attribute__((target("avx2,fma"))) void rows_avx2(const std::uint16_t* w, std::size_t cols, const float* x, float* y) {
    __m256 acc[kRows];
    for (auto& a : acc) a = _mm256_setzero_ps();
    std::size_t i = 0;
    for (; i + 8 <= cols; i += 8) {
        const __m256 xs = _mm256_loadu_ps(x + i);
        for (std::size_t r = 0; r < kRows; ++r) {
            const __m256i bits =
                _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w + r * cols + i)));
            acc[r] = _mm256_fmadd_ps(_mm256_castsi256_ps(_mm256_slli_epi32(bits, 16)), xs, acc[r]);
        }
    }
    for (std::size_t r = 0; r < kRows; ++r) {
        __m128 s = _mm_add_ps(_mm256_castps256_ps128(acc[r]), _mm256_extractf128_ps(acc[r], 1));
        s = _mm_hadd_ps(s, s);
        s = _mm_hadd_ps(s, s);
        float sum = _mm_cvtss_f32(s);
        for (std::size_t t = i; t < cols; ++t) sum += bf16_bits_to_float(w[r * cols + t]) * x[t];
        y[r] = sum;
    }
}

void rows_scalar(const std::uint16_t* w, std::size_t rows, std::size_t cols, const float* x, float* y) {
    for (std::size_t r = 0; r < rows; ++r) {
        float sum = 0;
        for (std::size_t i = 0; i < cols; ++i) sum += bf16_bits_to_float(w[r * cols + i]) * x[i];
        y[r] = sum;
    }
}

}  // namespace

Bf16Gemv::Bf16Gemv(std::size_t rows, std::size_t cols, std::uint64_t seed)
    : rows_(rows), cols_(cols), weights_(rows * cols) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
    for (auto& w : weights_) w = float_to_bf16_bits(uniform(rng));
}

std::string Bf16Gemv::kernel_name() {
    switch (best_bf16_kernel()) {
        case Bf16Kernel::avx512bf16:
            return "avx512bf16";
        case Bf16Kernel::avx2:
            return "avx2";
        case Bf16Kernel::scalar:
            break;
    }
    return "scalar";
}

void Bf16Gemv::apply(std::span<const float> x, std::size_t batch, std::span<float> y) const {
    static const Bf16Kernel kernel = best_bf16_kernel();
    // Each vector contiguous (in bf16 for vdpbf16ps, which multiplies bf16 by bf16).
    std::vector<float> xf(cols_ * batch);
    std::vector<std::uint16_t> xb(kernel == Bf16Kernel::avx512bf16 ? cols_ * batch : 0);
    for (std::size_t i = 0; i < cols_; ++i)
        for (std::size_t v = 0; v < batch; ++v) xf[v * cols_ + i] = x[i * batch + v];
    for (std::size_t i = 0; i < xb.size(); ++i) xb[i] = float_to_bf16_bits(xf[i]);
    const std::size_t tasks = (rows_ + kRowsPerTask - 1) / kRowsPerTask;
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, tasks, 1), [&](const tbb::blocked_range<std::size_t>& range) {
        float out[kRowsAtOnce];
        for (std::size_t task = range.begin(); task != range.end(); ++task) {
            const std::size_t end = std::min(rows_, (task + 1) * kRowsPerTask);
            for (std::size_t r = task * kRowsPerTask; r < end;) {
                const std::size_t count = end - r >= kRowsAtOnce ? kRowsAtOnce : 1;
                const std::uint16_t* w = weights_.data() + r * cols_;
                for (std::size_t v = 0; v < batch; ++v) {  // the rows' weights stay in cache across the batch
                    if (kernel == Bf16Kernel::avx512bf16)
                        count == kRowsAtOnce ? rows_avx512bf16<kRowsAtOnce>(w, cols_, xb.data() + v * cols_, out)
                                             : rows_avx512bf16<1>(w, cols_, xb.data() + v * cols_, out);
                    else if (kernel == Bf16Kernel::avx2)
                        count == kRowsAtOnce ? rows_avx2<kRowsAtOnce>(w, cols_, xf.data() + v * cols_, out)
                                             : rows_avx2<1>(w, cols_, xf.data() + v * cols_, out);
                    else rows_scalar(w, count, cols_, xf.data() + v * cols_, out);
                    for (std::size_t k = 0; k < count; ++k) y[(r + k) * batch + v] = out[k];
                }
                r += count;
            }
        }
    });
}

F32Gemv::F32Gemv(std::size_t rows, std::size_t cols, std::uint64_t seed)
    : weights_(Eigen::Index(rows), Eigen::Index(cols)) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
    for (Eigen::Index i = 0; i < weights_.size(); ++i) weights_.data()[i] = uniform(rng);
}

void F32Gemv::apply(std::span<const float> x, std::size_t batch, std::span<float> y) const {
    const auto b = Eigen::Index(batch);
    const Eigen::Map<const RowMatrix> xs(x.data(), weights_.cols(), b);
    Eigen::Map<RowMatrix> ys(y.data(), weights_.rows(), b);
    const Eigen::Index rows_per_task = 64, tasks = (weights_.rows() + rows_per_task - 1) / rows_per_task;
    tbb::parallel_for(Eigen::Index(0), tasks, [&](Eigen::Index task) {
        const Eigen::Index first = task * rows_per_task, count = std::min(rows_per_task, weights_.rows() - first);
        ys.middleRows(first, count).noalias() = weights_.middleRows(first, count) * xs;
    });
}

}  // namespace signcut
