#include "scd/matrix_cut_engine.h"

#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <bit>

#include "scd/contraction.h"
#include "scd/sign_bits.h"

namespace signcut {
namespace {

// Below this many floats of work a task switch costs more than it saves: waking a oneTBB
// worker in this VM takes tens of microseconds. On 1024² (first 3000 cuts, 2 threads) the
// engine took 0.41 ms per cut at 2^14 floats, 0.33 at 2^16 and 0.30 at 2^18.
constexpr std::size_t kParallelFloats = std::size_t(1) << 18;

// Runs body(begin, end) over [0, length) in pieces of `piece` (the last one shorter).
// Each entry (or row) is computed by the same operations whichever piece holds it, so
// the split changes only the speed.
template <typename Body>
void for_pieces(std::size_t length, std::size_t piece, std::size_t floats_of_work, const Body& body) {
    if (floats_of_work < kParallelFloats || length <= piece) return body(std::size_t(0), length);
    tbb::parallel_for(std::size_t(0), (length + piece - 1) / piece, [&](std::size_t p) {
        body(p * piece, std::min(length, (p + 1) * piece));
    });
}

// Image entries per piece: an eighth of the image, whole cache lines, at least 256.
std::size_t image_piece(std::size_t length) { return std::max<std::size_t>(256, (length / 8 + 15) / 16 * 16); }

// Matrix rows per piece: about 64 Ki floats.
std::size_t row_piece(std::size_t length) { return std::max<std::size_t>(1, (std::size_t(1) << 16) / length); }

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

// out[i0, i1) += Σ_r scales[r] · rows[r][i0, i1), kMaxAccumulateRows rows per kernel call.
void add_scaled(const Kernels& kernels, float* out, const float* const* rows, const float* scales, std::size_t count,
                std::size_t i0, std::size_t i1) {
    const float* shifted[kMaxAccumulateRows];
    for (std::size_t first = 0; first < count; first += kMaxAccumulateRows) {
        const std::size_t n = std::min(kMaxAccumulateRows, count - first);
        for (std::size_t r = 0; r < n; ++r) shifted[r] = rows[first + r] + i0;
        kernels.add_scaled_rows(out + i0, shifted, scales + first, n, i1 - i0);
    }
}

// image[i0, i1) += Σ_k ±source[k][i0, i1) over the flipped k, in groups that keep the
// image in registers; the order per entry is the order of `flipped`.
void add_flipped(const Kernels& kernels, float* image, const float* source, std::size_t stride,
                 std::span<const std::size_t> flipped, const std::vector<std::uint64_t>& new_signs, std::size_t i0,
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
      s_(words_for_bits(rows_), 0), t_(words_for_bits(cols_), 0), h_(rows_), g_(cols_), pending_(kPendingCuts),
      next_s_(s_.size()), next_t_(t_.size()), changed_(std::max(s_.size(), t_.size())) {
    for (Pending& slot : pending_) {
        slot.s.resize(s_.size()), slot.t.resize(t_.size());
        slot.s_values.resize(rows_), slot.t_values.resize(cols_);
    }
    flipped_.reserve(std::max(rows_, cols_));
    const std::size_t pattern_groups = (kPendingCuts + kCutsPerPattern - 1) / kCutsPerPattern;
    patterns_.resize((pattern_groups << kCutsPerPattern) * std::max(rows_, cols_));
    const std::size_t groups = (std::max(rows_, cols_) + kFlipGroup - 1) / kFlipGroup;
    group_sums_.resize((groups - 1) * std::max(rows_, cols_));
    transpose(r_, rt_);
    refresh_images();
}

void MatrixCutEngine::refresh_images() {
    floats_streamed_ += 2 * rows_ * cols_;
    // h = (R t)/2 and g = (Rᵀ s)/2 from scratch, one signed sum per entry (halving is exact).
    for_pieces(rows_, row_piece(cols_), rows_ * cols_, [&](std::size_t i0, std::size_t i1) {
        for (std::size_t i = i0; i < i1; ++i) h_[i] = 0.5f * kernels_.signed_sum(&r_[i * cols_], t_.data(), cols_);
    });
    for_pieces(cols_, row_piece(rows_), rows_ * cols_, [&](std::size_t k0, std::size_t k1) {
        for (std::size_t k = k0; k < k1; ++k) g_[k] = 0.5f * kernels_.signed_sum(&rt_[k * rows_], s_.data(), rows_);
    });
}

void MatrixCutEngine::flip(bool rows, const std::vector<std::uint64_t>& new_signs) {
    // Flipping t_k moves (R t)/2 by t_new_k · R[:, k], a row of Rᵀ; flipping s_i moves
    // (Rᵀ s)/2 by s_new_i · R[i, :], a row of R.
    std::vector<std::uint64_t>& signs = rows ? s_ : t_;
    std::vector<float>& image = rows ? g_ : h_;
    const float* lines = rows ? r_.data().data() : rt_.data().data();
    const std::size_t length = image.size(), words = signs.size();
    flipped_.clear();
    for (std::size_t w = 0; w < words; ++w) {
        changed_[w] = signs[w] ^ new_signs[w];
        for (std::uint64_t bits = changed_[w]; bits; bits &= bits - 1)
            flipped_.push_back(w * 64 + std::size_t(std::countr_zero(bits)));
    }
    if (flipped_.empty()) return;
    floats_streamed_ += flipped_.size() * length;

    // R_true = R − Σ_j c_j s_j t_jᵀ, so the image also moves by −c_j · overlap_j · (the
    // cut's other sign vector), overlap_j = Σ over flipped entries of new sign · cut sign.
    const std::uint64_t* cut_signs[kPendingCuts];
    const float* other_side[kPendingCuts];
    std::int64_t overlaps[kPendingCuts];
    float scales[kPendingCuts];
    for (std::size_t j = 0; j < pending_count_; ++j) {
        cut_signs[j] = rows ? pending_[j].s.data() : pending_[j].t.data();
        other_side[j] = rows ? pending_[j].t_values.data() : pending_[j].s_values.data();
    }
    kernels_.changed_overlaps(changed_.data(), new_signs.data(), cut_signs, pending_count_, words, overlaps);
    for (std::size_t j = 0; j < pending_count_; ++j) scales[j] = -pending_[j].coeff * float(overlaps[j]);

    const std::size_t groups = (flipped_.size() + kFlipGroup - 1) / kFlipGroup;
    const auto group = [&](std::size_t g) {
        return std::span(flipped_).subspan(g * kFlipGroup, std::min(kFlipGroup, flipped_.size() - g * kFlipGroup));
    };
    if (groups == 1) {  // the common case late in a cut: one pass, the image in cache
        for_pieces(length, image_piece(length), (flipped_.size() + pending_count_) * length,
                   [&](std::size_t i0, std::size_t i1) {
                       add_flipped(kernels_, image.data(), lines, length, group(0), new_signs, i0, i1);
                       add_scaled(kernels_, image.data(), other_side, scales, pending_count_, i0, i1);
                   });
    } else {
        // Group 0 goes straight into the image, group g > 0 into its own zeroed buffer;
        // the groups run in parallel, then the buffers are added in group order.
        tbb::parallel_for(std::size_t(0), groups, [&](std::size_t g) {
            float* target = g == 0 ? image.data() : &group_sums_[(g - 1) * length];
            if (g > 0) std::fill(target, target + length, 0.0f);
            add_flipped(kernels_, target, lines, length, group(g), new_signs, 0, length);
        });
        for_pieces(length, image_piece(length), (groups + pending_count_) * length, [&](std::size_t i0, std::size_t i1) {
            const float* sums[kMaxAccumulateRows];
            const bool keep[kMaxAccumulateRows] = {};
            for (std::size_t first = 1; first < groups; first += kMaxAccumulateRows) {
                const std::size_t count = std::min(kMaxAccumulateRows, groups - first);
                for (std::size_t r = 0; r < count; ++r) sums[r] = &group_sums_[(first + r - 1) * length] + i0;
                kernels_.accumulate_rows(image.data() + i0, sums, keep, count, i1 - i0);
            }
            add_scaled(kernels_, image.data(), other_side, scales, pending_count_, i0, i1);
        });
    }
    std::copy(new_signs.begin(), new_signs.end(), signs.begin());
}

MatrixCutEngine::Cut MatrixCutEngine::find_cut(std::span<const std::uint64_t> start_t, int max_iterations,
                                               const std::atomic<bool>& cancel) {
    Cut cut;
    std::copy(start_t.begin(), start_t.end(), next_t_.begin());
    long distance = 0;
    for (std::size_t w = 0; w < t_.size(); ++w) distance += std::popcount(next_t_[w] ^ t_[w]);
    if (std::size_t(distance) > cols_ / 2) {  // −t gives the same cut with fewer flips
        for (std::uint64_t& word : next_t_) word = ~word;
        clear_tail_bits(next_t_, cols_);
    }
    flip(false, next_t_);
    double value = -1.0;
    while (cut.iterations < max_iterations) {
        ++cut.iterations;
        if (cancel.load(std::memory_order_relaxed)) return cut.cancelled = true, cut;
        kernels_.sign_bits(h_.data(), rows_, next_s_.data());  // s ← sign(R t)
        flip(true, next_s_);
        if (cancel.load(std::memory_order_relaxed)) return cut.cancelled = true, cut;
        kernels_.sign_bits(g_.data(), cols_, next_t_.data());  // t ← sign(Rᵀ s)
        // sᵀ R t_new = ‖Rᵀ s‖₁ = 2 Σ_k sign(g_k) g_k
        const double swept = 2.0 * double(kernels_.signed_sum(g_.data(), next_t_.data(), cols_));
        flip(false, next_t_);
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
    Pending& slot = pending_[pending_count_++];
    slot.coeff = coeff;
    std::copy(cut.s.begin(), cut.s.end(), slot.s.begin());
    std::copy(cut.t.begin(), cut.t.end(), slot.t.begin());
    for (std::size_t i = 0; i < rows_; ++i) slot.s_values[i] = is_negative(cut.s, i) ? -1.0f : 1.0f;
    for (std::size_t k = 0; k < cols_; ++k) slot.t_values[k] = is_negative(cut.t, k) ? -1.0f : 1.0f;
    // The same s, t on R' = R − c s tᵀ: R' t = R t − c·n·s and R'ᵀ s = Rᵀ s − c·m·t (halved).
    kernels_.add_signed_constant(h_.data(), s_.data(), float(-0.5 * double(coeff) * double(cols_)), rows_);
    kernels_.add_signed_constant(g_.data(), t_.data(), float(-0.5 * double(coeff) * double(rows_)), cols_);
    if (pending_count_ == kPendingCuts) apply_pending();
}

void MatrixCutEngine::apply_pending() {
    if (pending_count_ == 0) return;
    floats_streamed_ += 4 * rows_ * cols_;  // R and Rᵀ, each read and written once
    // Row i of R −= Σ_j c_j s_j[i] · t_j. That sum depends on i only through the signs
    // s_j[i], so it is built once per sign pattern, kCutsPerPattern cuts at a time, and each
    // row adds one pattern vector per group instead of one vector per cut. Every
    // kRefreshBlocks blocks, h_i = (row i · t)/2 is recomputed while the row is in cache
    // (exact again, so rounding never accumulates for long). The same for Rᵀ and g.
    const bool refresh = ++applied_blocks_ % kRefreshBlocks == 0;
    const std::size_t groups = (pending_count_ + kCutsPerPattern - 1) / kCutsPerPattern;
    const auto apply = [&](Tensor& matrix, bool by_rows) {
        const std::size_t lines = matrix.dim(0), length = matrix.dim(1);
        const auto line_signs = [&](const Pending& cut) -> const std::vector<std::uint64_t>& { return by_rows ? cut.s : cut.t; };
        // patterns_[(g · 2^k + p) · length …]: −Σ_{j in group g} c_j σ_j(p) v_j, where σ_j is
        // −1 when bit j of p is set and v_j is the cut's sign vector along the rows.
        const std::size_t patterns = std::size_t(1) << kCutsPerPattern;
        tbb::parallel_for(std::size_t(0), groups * patterns, [&](std::size_t index) {
            const std::size_t g = index / patterns, p = index % patterns;
            const std::size_t first = g * kCutsPerPattern, count = std::min(kCutsPerPattern, pending_count_ - first);
            if (p >> count) return;  // a pattern of cuts this group does not have
            const float* values[kCutsPerPattern];
            float scales[kCutsPerPattern];
            for (std::size_t j = 0; j < count; ++j) {
                const Pending& cut = pending_[first + j];
                values[j] = by_rows ? cut.t_values.data() : cut.s_values.data();
                scales[j] = (p >> j) & 1u ? cut.coeff : -cut.coeff;
            }
            float* out = &patterns_[index * length];
            std::fill(out, out + length, 0.0f);
            add_scaled(kernels_, out, values, scales, count, 0, length);
        });
        std::vector<float>& image = by_rows ? h_ : g_;
        const std::vector<std::uint64_t>& image_signs = by_rows ? t_ : s_;
        for_pieces(lines, row_piece(length), lines * length, [&](std::size_t r0, std::size_t r1) {
            const float* vectors[kPendingCuts];
            const bool keep[kPendingCuts] = {};
            for (std::size_t r = r0; r < r1; ++r) {
                for (std::size_t g = 0; g < groups; ++g) {
                    std::size_t p = 0;
                    for (std::size_t j = g * kCutsPerPattern; j < std::min(pending_count_, (g + 1) * kCutsPerPattern); ++j)
                        p |= std::size_t(is_negative(line_signs(pending_[j]), r)) << (j - g * kCutsPerPattern);
                    vectors[g] = &patterns_[(g * patterns + p) * length];
                }
                float* row = &matrix[r * length];
                kernels_.accumulate_rows(row, vectors, keep, groups, length);
                if (refresh) image[r] = 0.5f * kernels_.signed_sum(row, image_signs.data(), length);
            }
        });
    };
    apply(r_, true);
    apply(rt_, false);
    pending_count_ = 0;
}

double MatrixCutEngine::squared_norm() {
    apply_pending();
    floats_streamed_ += rows_ * cols_;
    return signcut::squared_norm(r_.data());
}

Tensor MatrixCutEngine::residual() const {
    Tensor out = r_;
    for (std::size_t i = 0; i < rows_; ++i)
        for (std::size_t j = 0; j < pending_count_; ++j) {
            const Pending& cut = pending_[j];
            kernels_.add_signed_constant(&out[i * cols_], cut.t.data(), is_negative(cut.s, i) ? cut.coeff : -cut.coeff, cols_);
        }
    return out;
}

}  // namespace signcut
