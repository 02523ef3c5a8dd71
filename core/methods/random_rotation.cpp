#include "methods/random_rotation.h"

#include <Eigen/Dense>

#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "methods/kashin.h"

namespace signcut {
namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Rows per task: fixed by the length alone, so every row is computed the same way whatever the
// thread count; about 256 pieces a task, so that each pass over C_r serves many rows.
std::size_t row_block(std::size_t pieces) { return std::max<std::size_t>(1, 256 / pieces); }

}  // namespace

void hadamard_transform_pieces(float* x, std::size_t count, std::size_t piece_length) {
    // Pieces start … start + half − 1 are one contiguous run, as are their partners: one loop
    // over half · piece_length floats (vectorised, even for pieces of one entry).
    for (std::size_t half = 1; half < count; half *= 2)
        for (std::size_t start = 0; start < count; start += 2 * half) {
            float* a = x + start * piece_length;
            float* b = a + half * piece_length;
            for (std::size_t j = 0; j < half * piece_length; ++j) {
                const float u = a[j], v = b[j];
                a[j] = u + v;
                b[j] = u - v;
            }
        }
    const float scale = float(1.0 / std::sqrt(double(count)));
    for (std::size_t i = 0; i < count * piece_length; ++i) x[i] *= scale;
}

RandomRotation::RandomRotation(std::size_t n, std::uint64_t seed) : pieces_(1), piece_length_(n), signs_(n) {
    while (piece_length_ > 0 && piece_length_ % 2 == 0) {
        piece_length_ /= 2;
        pieces_ *= 2;
    }
    std::mt19937_64 rng(seed);
    for (float& s : signs_) s = (rng() & 1) ? -1.0f : 1.0f;
    if (n > 0) cosines_ = kashin_basis(piece_length_, seed ^ 0x9e3779b97f4a7c15ull);
}

namespace {

// Runs `body(rows, count, pieces)` on fixed blocks of rows in parallel: `rows` points at the
// first row of the block, `pieces` views its count · s pieces of r entries each.
template <typename Body>
void for_row_blocks(Tensor& matrix, std::size_t pieces_per_row, std::size_t r, const Body& body) {
    const std::size_t rows = matrix.dim(0), n = pieces_per_row * r, rows_per_task = row_block(pieces_per_row);
    oneapi::tbb::parallel_for(std::size_t(0), (rows + rows_per_task - 1) / rows_per_task, [&](std::size_t task) {
        const std::size_t first = task * rows_per_task, count = std::min(rows_per_task, rows - first);
        float* data = matrix.data().data() + first * n;
        body(data, count, Eigen::Map<RowMatrix>(data, Eigen::Index(count * pieces_per_row), Eigen::Index(r)));
    });
}

}  // namespace

void RandomRotation::flip_signs(float* rows, std::size_t count) const {
    const std::size_t n = length();
    for (std::size_t row = 0; row < count; ++row)
        for (std::size_t i = 0; i < n; ++i) rows[row * n + i] *= signs_[i];
}

void RandomRotation::rotate_rows(Tensor& matrix) const {
    const std::size_t n = length(), r = piece_length_;
    if (n == 0) return;
    const Eigen::Map<const RowMatrix> cosines(cosines_.data(), Eigen::Index(r), Eigen::Index(r));
    for_row_blocks(matrix, pieces_, r, [&](float* data, std::size_t count, Eigen::Map<RowMatrix> pieces) {
        flip_signs(data, count);
        if (r > 1) pieces = (pieces * cosines.transpose()).eval();  // every length-r piece times C_rᵀ
        for (std::size_t row = 0; row < count; ++row) hadamard_transform_pieces(data + row * n, pieces_, r);
    });
}

void RandomRotation::unrotate_rows(Tensor& matrix) const {
    const std::size_t n = length(), r = piece_length_;
    if (n == 0) return;
    const Eigen::Map<const RowMatrix> cosines(cosines_.data(), Eigen::Index(r), Eigen::Index(r));
    for_row_blocks(matrix, pieces_, r, [&](float* data, std::size_t count, Eigen::Map<RowMatrix> pieces) {
        for (std::size_t row = 0; row < count; ++row) hadamard_transform_pieces(data + row * n, pieces_, r);  // H = H⁻¹
        if (r > 1) pieces = (pieces * cosines).eval();
        flip_signs(data, count);
    });
}

}  // namespace signcut
