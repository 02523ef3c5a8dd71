#include "scd/matrix_cut_engine.h"

#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <bit>
#include <cmath>

#include "scd/contraction.h"
#include "scd/sign_bits.h"

namespace signcut {
namespace {

// Image entries per task when updating images: depends on the length only, never on
// the thread count, so every entry is always summed in the same order.
std::size_t chunk_for(std::size_t length) {
    return std::max<std::size_t>(4096, (length / 8 + 15) / 16 * 16);
}

// Below this many floats of work a task switch costs more than it saves.
constexpr std::size_t kParallelFloats = 1 << 15;

template <typename Body>
void for_chunks(std::size_t length, const Body& body, std::size_t floats_of_work = kParallelFloats) {
    const std::size_t chunk = chunk_for(length);
    if (floats_of_work < kParallelFloats) {  // same chunks, same order: the same results
        for (std::size_t begin = 0; begin < length; begin += chunk) body(begin, std::min(length, begin + chunk));
        return;
    }
    tbb::parallel_for(std::size_t(0), (length + chunk - 1) / chunk, [&](std::size_t task) {
        const std::size_t begin = task * chunk;
        body(begin, std::min(length, begin + chunk));
    });
}

void transpose(const Tensor& from, Tensor& to) {
    const std::size_t rows = from.dim(0), cols = from.dim(1);
    constexpr std::size_t kTile = 64;
    const float* src = from.data().data();
    float* dst = to.data().data();
    tbb::parallel_for(std::size_t(0), (rows + kTile - 1) / kTile, [&](std::size_t tile_row) {
        const std::size_t r0 = tile_row * kTile, r1 = std::min(rows, r0 + kTile);
        for (std::size_t c0 = 0; c0 < cols; c0 += kTile) {
            const std::size_t c1 = std::min(cols, c0 + kTile);
            for (std::size_t r = r0; r < r1; ++r)
                for (std::size_t c = c0; c < c1; ++c) dst[c * rows + r] = src[r * cols + c];
        }
    });
}

// image[i0, i1) += Σ_k ±source[k][i0, i1) over the flipped k, in groups that keep the
// image in registers; the order per entry is the order of `flipped`.
void add_flipped(const Kernels& kernels, float* image, const float* source, std::size_t stride,
                 const std::vector<std::size_t>& flipped, const std::vector<std::uint64_t>& new_signs, std::size_t i0,
                 std::size_t i1) {
    const float* rows[kMaxAccumulateRows];
    bool negate[kMaxAccumulateRows];
    for (std::size_t first = 0; first < flipped.size(); first += kMaxAccumulateRows) {
        const std::size_t count = std::min(kMaxAccumulateRows, flipped.size() - first);
        for (std::size_t r = 0; r < count; ++r) {
            rows[r] = source + flipped[first + r] * stride + i0;
            negate[r] = is_negative(new_signs, flipped[first + r]);
        }
        kernels.accumulate_rows(image + i0, rows, negate, count, i1 - i0);
    }
}

}  // namespace

MatrixCutEngine::MatrixCutEngine(Tensor matrix, const Kernels& kernels)
    : kernels_(kernels), rows_(matrix.dim(0)), cols_(matrix.dim(1)), r_(std::move(matrix)), rt_(Shape{cols_, rows_}),
      s_(words_for_bits(rows_), 0), t_(words_for_bits(cols_), 0), h_(rows_), g_(cols_) {
    transpose(r_, rt_);
    refresh_images();
}

void MatrixCutEngine::refresh_images() {
    floats_streamed_ += 2 * rows_ * cols_;
    // h = (R t)/2 and g = (Rᵀ s)/2 from scratch, one signed sum per entry (halving is exact).
    for_chunks(rows_, [&](std::size_t i0, std::size_t i1) {
        for (std::size_t i = i0; i < i1; ++i) h_[i] = 0.5f * kernels_.signed_sum(&r_[i * cols_], t_.data(), cols_);
    });
    for_chunks(cols_, [&](std::size_t k0, std::size_t k1) {
        for (std::size_t k = k0; k < k1; ++k) g_[k] = 0.5f * kernels_.signed_sum(&rt_[k * rows_], s_.data(), rows_);
    });
}

void MatrixCutEngine::correct_for_pending(std::vector<float>& image, const std::vector<std::uint64_t>& old_signs,
                                          const std::vector<std::uint64_t>& new_signs, bool rows_flipped) {
    // R_true = R − Σ_j c_j s_j t_jᵀ, so the image also moves by −c_j · overlap_j · (the cut's
    // other sign vector), where overlap_j = Σ over flipped entries of new sign · cut sign,
    // = agreements − disagreements = 2·agree − flipped, counted with popcounts.
    const float* rows[kPendingCuts];
    float scales[kPendingCuts];
    std::size_t count = 0;
    for (const Pending& cut : pending_) {
        const std::vector<std::uint64_t>& cut_signs = rows_flipped ? cut.s : cut.t;
        long flipped = 0, agree = 0;
        for (std::size_t w = 0; w < new_signs.size(); ++w) {
            const std::uint64_t mask = old_signs[w] ^ new_signs[w];
            flipped += std::popcount(mask);
            agree += std::popcount(mask & ~(new_signs[w] ^ cut_signs[w]));
        }
        rows[count] = rows_flipped ? cut.t_values.data() : cut.s_values.data();
        scales[count++] = -cut.coeff * float(2 * agree - flipped);
    }
    if (count) kernels_.add_scaled_rows(image.data(), rows, scales, count, image.size());
}

std::vector<std::uint64_t> MatrixCutEngine::signs_of(const std::vector<float>& image) const {
    std::vector<std::uint64_t> bits(words_for_bits(image.size()));
    kernels_.sign_bits(image.data(), image.size(), bits.data());
    return bits;
}

void MatrixCutEngine::flip(bool rows, const std::vector<std::uint64_t>& new_signs) {
    // Flipping t_k moves (R t)/2 by t_new_k · R[:, k], a row of Rᵀ; flipping s_i moves
    // (Rᵀ s)/2 by s_new_i · R[i, :], a row of R.
    std::vector<std::uint64_t>& signs = rows ? s_ : t_;
    std::vector<float>& image = rows ? g_ : h_;
    const float* lines = rows ? r_.data().data() : rt_.data().data();
    const std::size_t count = rows ? rows_ : cols_, length = image.size();
    flipped_.clear();
    for (std::size_t i = 0; i < count; ++i)
        if (is_negative(signs, i) != is_negative(new_signs, i)) flipped_.push_back(i);
    if (flipped_.empty()) return;
    floats_streamed_ += flipped_.size() * length;
    for_chunks(
        length,
        [&](std::size_t i0, std::size_t i1) {
            add_flipped(kernels_, image.data(), lines, length, flipped_, new_signs, i0, i1);
        },
        flipped_.size() * length);
    correct_for_pending(image, signs, new_signs, rows);
    signs = new_signs;
}

MatrixCutEngine::Cut MatrixCutEngine::find_cut(std::span<const std::uint64_t> start_t, int max_iterations,
                                               const std::atomic<bool>& cancel) {
    Cut cut;
    std::vector<std::uint64_t> t(start_t.begin(), start_t.end());
    long distance = 0;
    for (std::size_t w = 0; w < t.size(); ++w) distance += std::popcount(t[w] ^ t_[w]);
    if (std::size_t(distance) > cols_ / 2) {  // −t gives the same cut with fewer flips
        for (std::uint64_t& word : t) word = ~word;
        clear_tail_bits(t, cols_);
    }
    flip(false, t);
    double value = -1.0;
    while (cut.iterations < max_iterations) {
        ++cut.iterations;
        if (cancel.load(std::memory_order_relaxed)) return cut.cancelled = true, cut;
        flip(true, signs_of(h_));  // s ← sign(R t)
        if (cancel.load(std::memory_order_relaxed)) return cut.cancelled = true, cut;
        const std::vector<std::uint64_t> new_t = signs_of(g_);  // t ← sign(Rᵀ s)
        double swept = 0.0;
        for (float x : g_) swept += std::fabs(double(x));
        swept *= 2.0;  // sᵀ R t_new = ‖Rᵀ s‖₁
        flip(false, new_t);
        const bool grew = swept > value;
        value = swept;
        if (!grew) break;
    }
    cut.s = s_;
    cut.t = t_;
    cut.value = value;
    return cut;
}

void MatrixCutEngine::subtract(const Cut& cut, float coeff) {
    const auto values = [](const std::vector<std::uint64_t>& bits, std::size_t length) {
        std::vector<float> out(length);
        for (std::size_t i = 0; i < length; ++i) out[i] = is_negative(bits, i) ? -1.0f : 1.0f;
        return out;
    };
    pending_.push_back({coeff, cut.s, cut.t, values(cut.s, rows_), values(cut.t, cols_)});
    // The same s, t on R' = R − c s tᵀ: R' t = R t − c·n·s and R'ᵀ s = Rᵀ s − c·m·t (halved).
    kernels_.add_signed_constant(h_.data(), s_.data(), float(-0.5 * double(coeff) * double(cols_)), rows_);
    kernels_.add_signed_constant(g_.data(), t_.data(), float(-0.5 * double(coeff) * double(rows_)), cols_);
    if (pending_.size() == kPendingCuts) {
        apply_pending();
        refresh_images();  // exact again, so rounding never accumulates past one block
    }
}

void MatrixCutEngine::apply_pending() {
    if (pending_.empty()) return;
    floats_streamed_ += 4 * rows_ * cols_;  // R and Rᵀ, each read and written
    // Row i of R −= Σ_j c_j s_j[i] · t_j, and row k of Rᵀ −= Σ_j c_j t_j[k] · s_j.
    const auto apply = [&](Tensor& matrix, std::size_t length, bool by_rows) {
        for_chunks(matrix.dim(0), [&](std::size_t r0, std::size_t r1) {
            const float* signs[kPendingCuts];
            float scales[kPendingCuts];
            for (std::size_t r = r0; r < r1; ++r) {
                for (std::size_t j = 0; j < pending_.size(); ++j) {
                    const Pending& cut = pending_[j];
                    signs[j] = by_rows ? cut.t_values.data() : cut.s_values.data();
                    scales[j] = is_negative(by_rows ? cut.s : cut.t, r) ? cut.coeff : -cut.coeff;
                }
                kernels_.add_scaled_rows(&matrix[r * length], signs, scales, pending_.size(), length);
            }
        });
    };
    apply(r_, cols_, true);
    apply(rt_, rows_, false);
    pending_.clear();
}

double MatrixCutEngine::squared_norm() {
    if (!pending_.empty()) {
        apply_pending();
        refresh_images();
    }
    floats_streamed_ += rows_ * cols_;
    return signcut::squared_norm(r_.data());
}

Tensor MatrixCutEngine::residual() const {
    Tensor out = r_;
    for (std::size_t i = 0; i < rows_; ++i)
        for (const Pending& cut : pending_)
            kernels_.add_signed_constant(&out[i * cols_], cut.t.data(), is_negative(cut.s, i) ? cut.coeff : -cut.coeff, cols_);
    return out;
}

}  // namespace signcut
