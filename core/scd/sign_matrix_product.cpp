// The table-lookup product of sign_matrix_product.h: tables once per product, then fixed
// blocks of 64 rows on oneTBB, each through the dispatched kernel.
#include "scd/sign_matrix_product.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

namespace signcut {
namespace {

constexpr std::size_t kTableEntries16 = 16;
constexpr std::size_t kRowsPerTask = SignMatrix::kBlockRows * kMaxTileBlocks;
constexpr std::size_t kVectorsPerTask = 6;  // a multiple of every SIMD twin's kLookupVectors (1, 3)
// Groups whose tables (for the vectors of one task) one pass over a task's rows takes: 256 KiB,
// well inside a core's L2 (2 MiB here) beside the tiles; measured best among 64 KiB … 2 MiB at
// batch 16 (best of 40 runs on a shared machine: 0.94 ms per vector against 1.17 at 2 MiB on
// 4096 × 14336 at 2 bits per entry).
constexpr std::size_t kTableBytesPerPass = std::size_t(1) << 18;

// tables[(v·groups + g)·16 + e] = (s0·x0 + s1·x1) + (s2·x2 + s3·x3) for vector v, group g, with
// x_k = x[(4g + k)·batch + v] (0 past the end) and s_k = −1 where bit k of e is set.
std::vector<float> lookup_tables(std::span<const float> x, std::size_t cols, std::size_t batch, std::size_t groups) {
    std::vector<float> tables(batch * groups * kTableEntries16);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, groups, 256), [&](const tbb::blocked_range<std::size_t>& r) {
        for (std::size_t g = r.begin(); g != r.end(); ++g)
            for (std::size_t v = 0; v < batch; ++v) {
                float xs[4] = {};
                for (std::size_t k = 0; k < 4 && 4 * g + k < cols; ++k) xs[k] = x[(4 * g + k) * batch + v];
                const float low[4] = {xs[0] + xs[1], -xs[0] + xs[1], xs[0] + -xs[1], -xs[0] + -xs[1]};
                const float high[4] = {xs[2] + xs[3], -xs[2] + xs[3], xs[2] + -xs[3], -xs[2] + -xs[3]};
                float* table = tables.data() + (v * groups + g) * kTableEntries16;
                for (std::size_t e = 0; e < kTableEntries16; ++e) table[e] = low[e & 3] + high[e >> 2];
            }
    });
    return tables;
}

}  // namespace

void sign_matrix_product(const SignMatrix& m, std::span<const float> x, std::size_t batch, std::span<float> y,
                         const Kernels& kernels) {
    if (batch == 0 || batch > kMaxProductBatch)
        throw std::invalid_argument("sign matrix product: the batch must hold 1 to " +
                                    std::to_string(kMaxProductBatch) + " vectors, not " + std::to_string(batch));
    if (x.size() != m.cols() * batch || y.size() != m.rows() * batch)
        throw std::invalid_argument("sign matrix product: x must hold " + std::to_string(m.cols()) + " × " +
                                    std::to_string(batch) + " and y " + std::to_string(m.rows()) + " × " +
                                    std::to_string(batch) + " floats");
    const std::size_t groups = m.groups();
    const std::vector<float> tables = lookup_tables(x, m.cols(), batch, groups);
    const std::size_t groups_per_pass =
        std::max<std::size_t>(16, kTableBytesPerPass / (std::min(batch, kVectorsPerTask) * 64));
    // Tasks: 128 rows × up to kVectorsPerTask vectors, so that a batch gives oneTBB as many
    // tasks as one vector times the slices (a preempted worker then holds up less of the product).
    const std::size_t row_tasks = (m.rows() + kRowsPerTask - 1) / kRowsPerTask;
    const std::size_t slices = (batch + kVectorsPerTask - 1) / kVectorsPerTask;
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, row_tasks * slices, 1), [&](const tbb::blocked_range<std::size_t>& r) {
            std::vector<float> acc(kVectorsPerTask * kRowsPerTask);  // acc[v·128 + row in the task]
            for (std::size_t task = r.begin(); task != r.end(); ++task) {
                const std::size_t first_block = task / slices * kMaxTileBlocks, v0 = task % slices * kVectorsPerTask;
                const std::size_t blocks = std::min(kMaxTileBlocks, m.row_blocks() - first_block);
                const std::size_t vectors = std::min(kVectorsPerTask, batch - v0);
                std::fill(acc.begin(), acc.end(), 0.0f);
                // Pass after pass over the groups: every row still adds its groups in order.
                for (std::size_t g0 = 0; g0 < groups; g0 += groups_per_pass) {
                    const std::size_t count = std::min(groups_per_pass, groups - g0);
                    kernels.add_sign_tile_lookups(acc.data(), kRowsPerTask, m.block_tiles(first_block) + g0, groups,
                                                  blocks, tables.data() + (v0 * groups + g0) * kTableEntries16,
                                                  groups * kTableEntries16, vectors, count);
                }
                const std::size_t first_row = first_block * SignMatrix::kBlockRows;
                const std::size_t rows = std::min(kRowsPerTask, m.rows() - first_row);
                for (std::size_t i = 0; i < rows; ++i)
                    for (std::size_t v = 0; v < vectors; ++v)
                        y[(first_row + i) * batch + v0 + v] = acc[v * kRowsPerTask + i];
            }
        });
}

void product_in_batches(std::size_t x_rows, std::size_t y_rows, std::span<const float> x, std::size_t batch,
                        std::span<float> y,
                        const std::function<void(std::span<const float>, std::size_t, std::span<float>)>& product) {
    if (batch <= kMaxProductBatch) return product(x, batch, y);
    std::vector<float> x_slice, y_slice;
    for (std::size_t v0 = 0; v0 < batch; v0 += kMaxProductBatch) {
        const std::size_t b = std::min(kMaxProductBatch, batch - v0);
        x_slice.resize(x_rows * b);
        y_slice.resize(y_rows * b);
        for (std::size_t i = 0; i < x_rows; ++i)
            std::copy_n(x.begin() + std::ptrdiff_t(i * batch + v0), b, x_slice.begin() + std::ptrdiff_t(i * b));
        product(x_slice, b, y_slice);
        for (std::size_t i = 0; i < y_rows; ++i)
            std::copy_n(y_slice.begin() + std::ptrdiff_t(i * b), b, y.begin() + std::ptrdiff_t(i * batch + v0));
    }
}

}  // namespace signcut
