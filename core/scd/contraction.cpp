#include "scd/contraction.h"

#include <oneapi/tbb/parallel_for.h>

#include <algorithm>

#include "scd/sign_bits.h"

namespace signcut {
namespace {

// Work per task, in floats: large enough to amortise scheduling, small enough to share out.
constexpr std::size_t kTaskFloats = 1 << 16;
// At most this many partial sums per output entry (bounds the scratch to 32·n floats).
constexpr std::size_t kMaxPreBlocks = 32;

std::size_t ceil_div(std::size_t a, std::size_t b) { return (a + b - 1) / b; }

}  // namespace

ModeView mode_view(const Shape& shape, std::size_t mode) {
    ModeView view;
    for (std::size_t m = 0; m < shape.size(); ++m) {
        if (m < mode) view.pre *= shape[m];
        else if (m == mode) view.n = shape[m];
        else view.post *= shape[m];
    }
    return view;
}

void kronecker_signs(std::span<const std::uint64_t* const> signs, std::span<const std::size_t> dims,
                     std::vector<std::uint64_t>& out) {
    std::size_t total = 1;
    for (std::size_t n : dims) total *= n;
    out.assign(words_for_bits(total), 0);
    std::size_t length = 1;
    for (std::size_t m = 0; m < dims.size(); ++m) {
        const std::size_t n = dims[m];
        // Expand in place from the back: position p·n + j ≥ p is never read again.
        for (std::size_t p = length; p-- > 0;) {
            const bool prefix = is_negative(out, p);
            for (std::size_t j = n; j-- > 0;)
                set_negative(out, p * n + j, prefix != bool((signs[m][j >> 6] >> (j & 63)) & 1u));
        }
        length *= n;
    }
}

void contract_mode(std::span<const float> tensor, const ModeView& view, const std::uint64_t* pre_signs,
                   const std::uint64_t* post_signs, std::span<float> out, std::vector<float>& partials,
                   const Kernels& kernels) {
    const std::size_t pre = view.pre, n = view.n, post = view.post;  // plain names: clang 14 cannot capture bindings
    // Tasks tile (pre blocks) × (n blocks); each writes its own slice of `partials`.
    const std::size_t pre_blocks = std::min(pre, kMaxPreBlocks);
    const std::size_t pre_per_block = ceil_div(pre, pre_blocks);
    const std::size_t n_per_block = std::max<std::size_t>(16, kTaskFloats / (pre_per_block * post));
    const std::size_t n_blocks = ceil_div(n, n_per_block);
    partials.assign(pre_blocks * n, 0.0f);

    tbb::parallel_for(std::size_t(0), pre_blocks * n_blocks, [&](std::size_t task) {
        const std::size_t pb = task / n_blocks, jb = task % n_blocks;
        const std::size_t p0 = pb * pre_per_block, p1 = std::min(pre, p0 + pre_per_block);
        const std::size_t j0 = jb * n_per_block, j1 = std::min(n, j0 + n_per_block);
        float* partial = partials.data() + pb * n;
        for (std::size_t p = p0; p < p1; ++p) {
            const bool flip = (pre_signs[p >> 6] >> (p & 63)) & 1u;
            const float* slab = tensor.data() + p * n * post;
            if (post == 1) {
                kernels.accumulate(partial + j0, slab + j0, flip, j1 - j0);
            } else {
                for (std::size_t j = j0; j < j1; ++j) {
                    const float sum = kernels.signed_sum(slab + j * post, post_signs, post);
                    partial[j] += flip ? -sum : sum;
                }
            }
        }
    });
    // Sum the partials in block order (fixed, whatever the thread count).
    std::copy_n(partials.begin(), n, out.begin());
    for (std::size_t pb = 1; pb < pre_blocks; ++pb) kernels.accumulate(out.data(), partials.data() + pb * n, false, n);
}

void add_sign_tensor(std::span<float> tensor, std::size_t row_length, const std::uint64_t* row_signs,
                     const std::uint64_t* last_signs, float c, const Kernels& kernels) {
    const std::size_t rows = tensor.size() / row_length;
    const std::size_t rows_per_task = std::max<std::size_t>(1, kTaskFloats / row_length);
    tbb::parallel_for(std::size_t(0), ceil_div(rows, rows_per_task), [&](std::size_t task) {
        const std::size_t r1 = std::min(rows, (task + 1) * rows_per_task);
        for (std::size_t r = task * rows_per_task; r < r1; ++r) {
            const bool flip = (row_signs[r >> 6] >> (r & 63)) & 1u;
            kernels.add_signed_constant(tensor.data() + r * row_length, last_signs, flip ? -c : c, row_length);
        }
    });
}

double squared_norm(std::span<const float> tensor) {
    const std::size_t blocks = ceil_div(tensor.size(), kTaskFloats);
    std::vector<double> sums(blocks, 0.0);
    tbb::parallel_for(std::size_t(0), blocks, [&](std::size_t b) {
        const std::size_t end = std::min(tensor.size(), (b + 1) * kTaskFloats);
        // Eight independent sums so the additions overlap instead of waiting on each other.
        double lane[8] = {};
        std::size_t i = b * kTaskFloats;
        for (; i + 8 <= end; i += 8)
            for (std::size_t l = 0; l < 8; ++l) lane[l] += double(tensor[i + l]) * double(tensor[i + l]);
        for (; i < end; ++i) lane[0] += double(tensor[i]) * double(tensor[i]);
        double sum = 0.0;
        for (double partial : lane) sum += partial;
        sums[b] = sum;
    });
    double total = 0.0;
    for (double s : sums) total += s;
    return total;
}

}  // namespace signcut
