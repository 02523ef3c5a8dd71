#include "scd/matrix_cut_engine.h"

#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>

#include "scd/column_sums.h"
#include "scd/contraction.h"
#include "scd/cut_start.h"
#include "scd/outliers.h"
#include "scd/sign_bits.h"

namespace signcut {
namespace {

// Below this many floats of work a oneTBB wake-up costs more than it saves: waking a worker
// in these VMs takes tens of microseconds. On 1024² (first 3000 cuts, 2 threads) the engine
// took 0.41 ms per cut at 2^14 floats, 0.33 at 2^16 and 0.30 at 2^18.
constexpr std::size_t kParallelFloats = std::size_t(1) << 18;
// The same while a cut's SpinTeam serves (its threads are awake and take a piece within about
// a microsecond). Below it a flip stays on one thread: `decompose` of the cat on 2 threads took
// 1.41, 1.36, 1.33 and 1.34 s from 2^13, 2^14, 2^15 and 2^16 floats (docs/performance.md).
constexpr std::size_t kTeamFloats = std::size_t(1) << 15;

// Runs body(begin, end) over [0, length) on the team's threads when the work pays for it: in
// pieces of `piece` (the last one shorter), or in one piece per thread when only a serving team
// makes it worth splitting (fewer handoffs). Each entry (or row) is computed by the same
// operations whichever piece holds it, so the split changes only the speed.
template <typename Body>
void for_pieces(SpinTeam& team, std::size_t length, std::size_t piece, std::size_t floats_of_work, const Body& body) {
    if (floats_of_work < kParallelFloats) {
        if (!team.serving() || floats_of_work < kTeamFloats) return body(std::size_t(0), length);
        piece = std::max(piece, (length / team.threads() + 15) / 16 * 16);
    }
    if (length <= piece) return body(std::size_t(0), length);
    team.for_each_piece((length + piece - 1) / piece,
                        [&](std::size_t p) { body(p * piece, std::min(length, (p + 1) * piece)); });
}

// Image entries per piece: an eighth of the image, whole cache lines, at least 256.
std::size_t image_piece(std::size_t length) { return std::max<std::size_t>(256, (length / 8 + 15) / 16 * 16); }

// Rows whose image entries one add_columns call keeps side by side (independent chains).
constexpr std::size_t kFlipBlockRows = 16;
// Columns of a piece of column_images: about 256 floats of each row (the 16 lanes of two
// images, 32 KiB, stay in cache).
std::size_t column_piece(std::size_t channels) { return std::max<std::size_t>(16, 256 / channels); }

// Matrix rows per piece: about 64 Ki floats.
std::size_t row_piece(std::size_t length) { return std::max<std::size_t>(1, (std::size_t(1) << 16) / length); }

// to[c][r][k] = from[r][c][k] for rows × cols entries of `channels` floats each.
void transpose(const Tensor& from, Tensor& to, std::size_t rows, std::size_t cols, std::size_t channels) {
    constexpr std::size_t kTile = 64;
    const float* src = from.data().data();
    float* dst = to.data().data();
    tbb::parallel_for(std::size_t(0), (rows + kTile - 1) / kTile, [&](std::size_t tile_row) {
        const std::size_t r0 = tile_row * kTile, r1 = std::min(rows, r0 + kTile);
        for (std::size_t c0 = 0; c0 < cols; c0 += kTile) {
            const std::size_t c1 = std::min(cols, c0 + kTile);
            for (std::size_t r = r0; r < r1; ++r)
                for (std::size_t c = c0; c < c1; ++c)
                    std::copy_n(src + (r * cols + c) * channels, channels, dst + (c * rows + r) * channels);
        }
    });
}

// Σ x_i² in double, in four interleaved sums added at the end: a fixed order on every machine.
double squared_sum(const float* x, std::size_t n) {
    double sums[4] = {};
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4)
        for (std::size_t k = 0; k < 4; ++k) sums[k] += double(x[i + k]) * double(x[i + k]);
    for (; i < n; ++i) sums[0] += double(x[i]) * double(x[i]);
    return (sums[0] + sums[1]) + (sums[2] + sums[3]);
}

// Bits of a ⊗ b (a's index slowest), or a itself when b has one entry that is +1.
void outer_signs(const std::vector<std::uint64_t>& a, std::size_t a_length, const std::vector<std::uint64_t>& b,
                 std::size_t b_length, std::vector<std::uint64_t>& out) {
    if (b_length < 64) {  // a photo's channels: b's bits, or their complement, once per entry of a
        out.assign(words_for_bits(a_length * b_length), 0);
        const std::uint64_t pattern = b[0] & ((std::uint64_t(1) << b_length) - 1);
        const std::uint64_t complement = pattern ^ ((std::uint64_t(1) << b_length) - 1);
        for (std::size_t p = 0, bit = 0; p < a_length; ++p, bit += b_length) {
            const std::uint64_t piece = is_negative(a, p) ? complement : pattern;
            const std::size_t offset = bit % 64;
            out[bit / 64] |= piece << offset;
            if (offset + b_length > 64) out[bit / 64 + 1] |= piece >> (64 - offset);
        }
        return;
    }
    const std::uint64_t* parts[] = {a.data(), b.data()};
    const std::size_t dims[] = {a_length, b_length};
    kronecker_signs(parts, dims, out);
}

// tables[g][p] = Σ_b weights[kCutsPerPattern·g + b] · σ_b(p) over the waiting cuts of
// group g in order, σ_b(p) = −1 when bit b of p is set and +1 otherwise.
using PatternTables = float[MatrixCutEngine::kPatternGroups][kTableEntries];
void pattern_tables(const float* weights, std::size_t count, PatternTables& tables) {
    constexpr std::size_t per_group = MatrixCutEngine::kCutsPerPattern;
    for (std::size_t g = 0; g * per_group < count; ++g)
        for (std::size_t p = 0; p < kTableEntries; ++p) {
            float sum = 0.0f;
            for (std::size_t b = 0; b < per_group && g * per_group + b < count; ++b)
                sum += (p >> b) & 1u ? -weights[g * per_group + b] : weights[g * per_group + b];
            tables[g][p] = sum;
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

// images[v][k] = ½ Σ_j ±row[j · C + k] (− where bit j of signs[v] is set) for M sign vectors
// in one sweep of the row. Each sum adds the same floats in the same order (j ascending) as
// one vector at a time would, so the results are the same bit for bit; the C · M sums are
// independent chains, so the adds overlap instead of waiting on one another (with C = 3 and
// one vector at a time the adds' latency bounded the photo's apply pass).
template <std::size_t C, std::size_t M>
void channel_images(const float* row, const std::uint64_t* const* signs, std::size_t count, float* const* images) {
    float sums[M][C] = {};
    for (std::size_t j = 0; j < count; ++j)
        for (std::size_t v = 0; v < M; ++v) {
            // Multiplying by ±1 is exact: the same values as a branch on the sign, without a
            // mispredicted branch per entry of random signs.
            const float sign = (signs[v][j / 64] >> (j % 64)) & 1u ? -1.0f : 1.0f;
            for (std::size_t k = 0; k < C; ++k) sums[v][k] += sign * row[j * C + k];
        }
    for (std::size_t v = 0; v < M; ++v)
        for (std::size_t k = 0; k < C; ++k) images[v][k] = 0.5f * sums[v][k];
}

}  // namespace

std::size_t MatrixCutEngine::extra_floats(const Shape& shape, EngineMemory memory) {
    const std::size_t channels = shape.size() > 2 ? shape[2] : 1;
    const std::size_t longest = std::max(shape[0], shape[1]) * channels;
    const std::size_t groups = (std::max(shape[0], shape[1]) + kFlipGroup - 1) / kFlipGroup;
    return (memory != EngineMemory::low ? shape[0] * shape[1] * channels : 0) +
           (kPatternGroups * kTableEntries + groups - 1 + kStartPool * kStartLevels) * longest;
}

bool MatrixCutEngine::suits(const Shape& shape) {
    if (shape.size() != 2 && shape.size() != 3) return false;
    const std::size_t entries = shape[0] * shape[1] * (shape.size() > 2 ? shape[2] : 1);
    const std::size_t beside = extra_floats(shape) - entries;  // all but Rᵀ
    return beside <= std::max<std::size_t>(std::size_t(1) << 24, entries / 8);
}

MatrixCutEngine::MatrixCutEngine(Tensor tensor, const Kernels& kernels, std::uint64_t seed, EngineMemory memory)
    : kernels_(kernels),
      seed_(seed),
      rows_(tensor.dim(0)),
      cols_(tensor.dim(1)),
      channels_(tensor.order() > 2 ? tensor.dim(2) : 1),
      r_(std::move(tensor)),
      rt_(memory == EngineMemory::low ? Tensor()
                                      : Tensor(channels_ > 1 ? Shape{cols_, rows_, channels_} : Shape{cols_, rows_})),
      s_(words_for_bits(rows_), 0),
      t_(words_for_bits(cols_), 0),
      u_(words_for_bits(channels_), 0),
      h_(rows_ * channels_),
      g_(cols_ * channels_),
      pending_(kPendingCuts),
      row_patterns_(kPatternGroups * rows_),
      col_patterns_(kPatternGroups * cols_),
      row_entry_patterns_(channels_ > 1 ? kPatternGroups * rows_ * channels_ : 0),
      col_entry_patterns_(channels_ > 1 ? kPatternGroups * cols_ * channels_ : 0),
      next_s_(s_.size()),
      next_t_(t_.size()),
      changed_(std::max(s_.size(), t_.size())) {
    if (!suits(r_.shape()))
        throw std::invalid_argument("MatrixCutEngine: unsuitable shape " + shape_to_string(r_.shape()));
    if (channels_ > 1) combined_h_.resize(rows_), combined_g_.resize(cols_);
    for (Pending& slot : pending_) slot.s.resize(s_.size()), slot.t.resize(t_.size()), slot.u.resize(u_.size());
    const std::size_t longest = std::max(rows_, cols_) * channels_;
    flipped_.reserve(std::max(rows_, cols_));
    patterns_.resize(kPatternGroups * kTableEntries * longest);
    const std::size_t groups = (std::max(rows_, cols_) + kFlipGroup - 1) / kFlipGroup;
    group_sums_.resize((groups - 1) * longest);
    row_norms_.resize(rows_);
    every_row_.assign(s_.size(), ~std::uint64_t(0));
    every_col_.assign(t_.size(), ~std::uint64_t(0));
    clear_tail_bits(every_row_, rows_);
    clear_tail_bits(every_col_, cols_);
    kept_.resize(kStartPool * kStartLevels);
    for (std::size_t pool = 0; pool < kStartPool; ++pool) {
        const std::vector<std::vector<std::uint64_t>> start = seeded_cut_start(r_.shape(), seed, pool);
        kept(pool, 0).signs = start.at(1);
        kept(pool, 0).image.resize(h_.size());
    }
    if (keeps_transpose()) transpose(r_, rt_, rows_, cols_, channels_);
    refresh_images();
}

void MatrixCutEngine::line_images(const float* row, const std::vector<std::uint64_t>& signs, std::size_t count,
                                  float* image) const {
    if (channels_ == 1) {  // one signed sum (halving is exact)
        *image = 0.5f * kernels_.signed_sum(row, signs.data(), count);
        return;
    }
    // c channels interleaved: a plain loop, the same on every instruction set.
    const std::uint64_t* bits[] = {signs.data()};
    float* images[] = {image};
    if (channels_ == 3) return channel_images<3, 1>(row, bits, count, images);
    // Multiplying by ±1 is exact, so this adds the same values as a branch on the sign would,
    // without a mispredicted branch per entry of random signs.
    std::fill(image, image + channels_, 0.0f);
    for (std::size_t j = 0; j < count; ++j) {
        const float sign = is_negative(signs, j) ? -1.0f : 1.0f;
        for (std::size_t k = 0; k < channels_; ++k) image[k] += sign * row[j * channels_ + k];
    }
    for (std::size_t k = 0; k < channels_; ++k) image[k] *= 0.5f;
}

void MatrixCutEngine::refresh_images() {
    const std::size_t line = cols_ * channels_, column = rows_ * channels_;
    floats_streamed_ += 2 * rows_ * line;
    // h and g of the +1 signs and every start's (R t0)/2, from scratch; the other kept levels
    // begin as the +1 state.
    for_pieces(team_, rows_, row_piece(line), rows_ * line, [&](std::size_t i0, std::size_t i1) {
        for (std::size_t i = i0; i < i1; ++i) {
            line_images(&r_[i * line], t_, cols_, &h_[i * channels_]);
            for (std::size_t pool = 0; pool < kStartPool; ++pool)
                line_images(&r_[i * line], kept(pool, 0).signs, cols_, &kept(pool, 0).image[i * channels_]);
        }
    });
    if (!keeps_transpose()) column_images_from_rows(std::nullopt);
    else
        for_pieces(team_, cols_, row_piece(column), rows_ * line, [&](std::size_t k0, std::size_t k1) {
            for (std::size_t k = k0; k < k1; ++k) line_images(&rt_[k * column], s_, rows_, &g_[k * channels_]);
        });
    for (std::size_t pool = 0; pool < kStartPool; ++pool)
        for (std::size_t level = 1; level < kStartLevels; ++level)
            kept(pool, level) = level % 2 ? Level{s_, g_} : Level{t_, h_};
}

void MatrixCutEngine::line_images_kept(const float* line, bool row_of_r, std::size_t index, std::size_t pool) {
    const std::size_t count = row_of_r ? cols_ : rows_;
    static_assert(kStartLevels == 3, "a row of R has the current and two kept t-side images, of Rᵀ one and one");
    if (channels_ == 3) {  // a photo's: all of the line's images in one sweep
        float* current = &(row_of_r ? h_ : g_)[index * channels_];
        if (row_of_r) {
            const std::uint64_t* bits[] = {t_.data(), kept(pool, 0).signs.data(), kept(pool, 2).signs.data()};
            float* images[] = {current, &kept(pool, 0).image[index * channels_], &kept(pool, 2).image[index * channels_]};
            return channel_images<3, 3>(line, bits, count, images);
        }
        const std::uint64_t* bits[] = {s_.data(), kept(pool, 1).signs.data()};
        float* images[] = {current, &kept(pool, 1).image[index * channels_]};
        return channel_images<3, 2>(line, bits, count, images);
    }
    line_images(line, row_of_r ? t_ : s_, count, &(row_of_r ? h_ : g_)[index * channels_]);
    for (std::size_t level = row_of_r ? 0 : 1; level < kStartLevels; level += 2)
        line_images(line, kept(pool, level).signs, count, &kept(pool, level).image[index * channels_]);
}

void MatrixCutEngine::combined_signs(const std::vector<float>& image, std::vector<float>& combined,
                                     std::vector<std::uint64_t>& out) {
    if (channels_ == 1) return kernels_.sign_bits(image.data(), image.size(), out.data());
    // ±1 per channel, once (multiplying by it is exact: the same sums as negating by a branch).
    channel_signs_.resize(channels_);
    for (std::size_t k = 0; k < channels_; ++k) channel_signs_[k] = is_negative(u_, k) ? -1.0f : 1.0f;
    if (channels_ == 3) {
        const float u0 = channel_signs_[0], u1 = channel_signs_[1], u2 = channel_signs_[2];
        for (std::size_t i = 0; i < combined.size(); ++i)
            combined[i] = ((0.0f + u0 * image[3 * i]) + u1 * image[3 * i + 1]) + u2 * image[3 * i + 2];
    } else {
        for (std::size_t i = 0; i < combined.size(); ++i) {
            float sum = 0.0f;
            for (std::size_t k = 0; k < channels_; ++k) sum += channel_signs_[k] * image[i * channels_ + k];
            combined[i] = sum;
        }
    }
    kernels_.sign_bits(combined.data(), combined.size(), out.data());
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
    const bool from_rows = !rows && !keeps_transpose();  // a column flip without Rᵀ
    if (!from_rows) floats_streamed_ += flipped_.size() * length;

    // R_true = R − Σ_j c_j s_j t_jᵀ, so the image also moves by −c_j · overlap_j · (the
    // cut's other sign vector), overlap_j = Σ over flipped entries of new sign · cut sign;
    // per image entry that is one table lookup per kCutsPerPattern waiting cuts.
    const std::uint64_t* cut_signs[kPendingCuts];
    std::int64_t overlaps[kPendingCuts];
    float weights[kPendingCuts];
    for (std::size_t j = 0; j < pending_count_; ++j) cut_signs[j] = rows ? pending_[j].s.data() : pending_[j].t.data();
    kernels_.changed_overlaps(changed_.data(), new_signs.data(), cut_signs, pending_count_, words, overlaps);
    for (std::size_t j = 0; j < pending_count_; ++j) weights[j] = -pending_[j].coeff * float(overlaps[j]);
    PatternTables tables;
    pattern_tables(weights, pending_count_, tables);
    const std::size_t table_count = pattern_groups();
    const std::vector<std::uint8_t>& other_patterns = rows ? col_entries() : row_entries();
    const auto add_corrections = [&](std::size_t i0, std::size_t i1) {
        const std::uint8_t* indices[kPatternGroups];
        const float* table_rows[kPatternGroups];
        for (std::size_t g = 0; g < table_count; ++g)
            indices[g] = &other_patterns[g * length + i0], table_rows[g] = tables[g];
        kernels_.add_table_lookups(image.data() + i0, indices, table_rows, table_count, i1 - i0);
    };
    if (from_rows) {
        flip_columns_from_rows(new_signs, add_corrections);
        std::copy(new_signs.begin(), new_signs.end(), signs.begin());
        return;
    }

    const std::size_t groups = flip_groups();
    if (groups == 1) {  // the common case late in a cut: one pass, the image in cache
        for_pieces(team_, length, image_piece(length), (flipped_.size() + table_count) * length,
                   [&](std::size_t i0, std::size_t i1) {
                       add_flipped(kernels_, image.data(), lines, length, flip_group(0), new_signs, i0, i1);
                       add_corrections(i0, i1);
                   });
    } else {
        // Group 0 goes straight into the image, group g > 0 into its own zeroed buffer;
        // the groups run in parallel, then the buffers are added in group order.
        team_.for_each_piece(groups, [&](std::size_t g) {
            float* target = g == 0 ? image.data() : &group_sums_[(g - 1) * length];
            if (g > 0) std::fill(target, target + length, 0.0f);
            add_flipped(kernels_, target, lines, length, flip_group(g), new_signs, 0, length);
        });
        for_pieces(team_, length, image_piece(length), (groups + table_count) * length, [&](std::size_t i0, std::size_t i1) {
            const float* sums[kMaxAccumulateRows];
            const bool keep[kMaxAccumulateRows] = {};
            for (std::size_t first = 1; first < groups; first += kMaxAccumulateRows) {
                const std::size_t count = std::min(kMaxAccumulateRows, groups - first);
                for (std::size_t r = 0; r < count; ++r) sums[r] = &group_sums_[(first + r - 1) * length] + i0;
                kernels_.accumulate_rows(image.data() + i0, sums, keep, count, i1 - i0);
            }
            add_corrections(i0, i1);
        });
    }
    std::copy(new_signs.begin(), new_signs.end(), signs.begin());
}

void MatrixCutEngine::flip_columns_from_rows(const std::vector<std::uint64_t>& new_signs,
                                             const std::function<void(std::size_t, std::size_t)>& add_corrections) {
    // Each image entry adds its flipped columns as flip does from Rᵀ: group 0 straight into h,
    // group g > 0 into a sum from +0 that is then added to h, the groups in order; then the
    // waiting cuts' corrections. The columns of one row are scattered, so whole cache lines of
    // R are read for them: count those as streamed.
    std::size_t blocks = 0;  // distinct 16-float blocks of a row holding flipped entries
    for (std::size_t f = 0, last = ~std::size_t(0); f < flipped_.size(); ++f) {
        const std::size_t first = flipped_[f] * channels_ / 16, end = (flipped_[f] * channels_ + channels_ - 1) / 16;
        blocks += end - first + 1 - (first == last);
        last = end;
    }
    floats_streamed_ += rows_ * std::min(blocks * 16, cols_ * channels_);
    const std::size_t groups = flip_groups();
    const float* r = r_.data().data();
    const std::size_t line = cols_ * channels_;
    for_pieces(team_, rows_, image_piece(rows_), (flipped_.size() + pattern_groups()) * h_.size(),
               [&](std::size_t i0, std::size_t i1) {
                   std::vector<float> group_sum;
                   for (std::size_t b0 = i0; b0 < i1; b0 += kFlipBlockRows) {
                       const std::size_t b1 = std::min(i1, b0 + kFlipBlockRows), n = (b1 - b0) * channels_;
                       float* block = &h_[b0 * channels_];
                       for (std::size_t g = 0; g < groups; ++g) {
                           if (g == 0) {
                               add_columns(r, line, channels_, b0, b1, flip_group(0), new_signs.data(), block);
                               continue;
                           }
                           group_sum.assign(n, 0.0f);
                           add_columns(r, line, channels_, b0, b1, flip_group(g), new_signs.data(), group_sum.data());
                           kernels_.accumulate(block, group_sum.data(), false, n);
                       }
                   }
                   add_corrections(i0 * channels_, i1 * channels_);
               });
}

void MatrixCutEngine::column_images_from_rows(std::optional<std::size_t> pool) {
    const std::uint64_t* signs[kMaxColumnImages] = {s_.data()};
    const std::size_t count = pool ? 2 : 1;
    static_assert(kStartLevels == 3 && kMaxColumnImages >= 2, "one s-side kept level beside g");
    if (pool) signs[1] = kept(*pool, 1).signs.data();
    const std::size_t line = cols_ * channels_;
    for_pieces(team_, cols_, column_piece(channels_), rows_ * line, [&](std::size_t k0, std::size_t k1) {
        float* images[kMaxColumnImages];
        images[0] = &g_[k0 * channels_];
        if (pool) images[1] = &kept(*pool, 1).image[k0 * channels_];
        column_images(r_.data().data(), rows_, line, channels_, k0, k1, signs, count, images);
    });
}

void MatrixCutEngine::gather_states(bool rows, const std::vector<std::uint64_t>& x) {
    states_.clear();
    state_signs_.clear();
    for (std::size_t pool = 0; pool < kStartPool; ++pool)
        for (std::size_t l = rows ? 1 : 0; l < kStartLevels; l += 2)
            states_.push_back({&kept(pool, l).signs, &kept(pool, l).image});
    states_.push_back({rows ? &s_ : &t_, rows ? &g_ : &h_});  // the current state, last
    for (const State& state : states_) state_signs_.push_back(state.signs->data());
    agreements_.resize(states_.size());
    kernels_.changed_overlaps((rows ? every_row_ : every_col_).data(), x.data(), state_signs_.data(), states_.size(),
                              x.size(), agreements_.data());
}

void MatrixCutEngine::half_step(bool rows, std::size_t level, const std::vector<std::uint64_t>& next) {
    if (level >= kStartLevels) return flip(rows, next);  // late in a cut the current state is nearest
    // Start from the state of this side nearest to `next`, the fewest lines to flip: the
    // current one or a kept level of any start, as it is or negated (−x has the image −R x
    // exactly). ⟨next, x⟩ = length − 2 · (lines to flip).
    gather_states(rows, next);
    const std::size_t current = states_.size() - 1;
    std::size_t best = current;  // preferred on a tie
    for (std::size_t c = 0; c < current; ++c)
        if (std::abs(agreements_[c]) > std::abs(agreements_[best])) best = c;
    std::vector<std::uint64_t>& signs = *states_[current].signs;
    std::vector<float>& image = *states_[current].image;
    if (best != current) signs = *states_[best].signs, image = *states_[best].image;
    if (agreements_[best] < 0) {
        for (std::uint64_t& word : signs) word = ~word;
        clear_tail_bits(signs, rows ? rows_ : cols_);
        for (float& entry : image) entry = -entry;
    }
    flip(rows, next);
    Level& keep = kept(cuts_ % kStartPool, level);
    keep.signs = signs, keep.image = image;
}

FoundCut MatrixCutEngine::find_cut(int max_iterations, const std::function<bool()>& cancelled) {
    FoundCut cut;
    team_.serve_during([&] { cut = alternate(max_iterations, cancelled); });
    return cut;
}

FoundCut MatrixCutEngine::alternate(int max_iterations, const std::function<bool()>& cancelled) {
    FoundCut cut;
    const std::size_t pool = cuts_ % kStartPool;
    if (channels_ > 1) u_ = seeded_channel_start(r_.shape(), seed_, cuts_);
    double value = -1.0;
    std::size_t level = 1;
    const std::vector<float>* t_image = &kept(pool, 0).image;  // t0's: the first s needs no pass at all
    while (cut.iterations < max_iterations) {
        ++cut.iterations;
        if (cancelled()) return cut.cancelled = true, cut;
        combined_signs(*t_image, combined_h_, next_s_);  // s ← sign(R t (u))
        half_step(true, level++, next_s_);
        if (cancelled()) return cut.cancelled = true, cut;
        combined_signs(g_, combined_g_, next_t_);  // t ← sign(Rᵀ s (u))
        double swept = 0.0;
        if (channels_ == 1)  // sᵀ R t_new = ‖Rᵀ s‖₁ = 2 Σ_k sign(g_k) g_k
            swept = 2.0 * double(kernels_.signed_sum(g_.data(), next_t_.data(), cols_));
        half_step(false, level++, next_t_);
        t_image = &h_;
        if (channels_ > 1) {  // u ← sign(z), z_k = Σ_i s_i h[i,k] = ½ ⟨R, s ⊗ t ⊗ e_k⟩; the value is 2‖z‖₁
            // Row after row with a sum per channel: each z_k adds the same terms in the same order
            // as a channel at a time would, its chain independent of the others'.
            channel_sums_.assign(channels_, 0.0);
            if (channels_ == 3) {  // a photo's, in registers
                double z0 = 0.0, z1 = 0.0, z2 = 0.0;
                for (std::size_t i = 0; i < rows_; ++i) {
                    const double s_i = sign_value<double>(s_.data(), i);
                    z0 += s_i * double(h_[3 * i]), z1 += s_i * double(h_[3 * i + 1]), z2 += s_i * double(h_[3 * i + 2]);
                }
                channel_sums_ = {z0, z1, z2};
            } else {
                for (std::size_t i = 0; i < rows_; ++i) {
                    const double s_i = sign_value<double>(s_.data(), i);
                    for (std::size_t k = 0; k < channels_; ++k)
                        channel_sums_[k] += s_i * double(h_[i * channels_ + k]);
                }
            }
            for (std::size_t k = 0; k < channels_; ++k) {
                set_negative(u_, k, channel_sums_[k] < 0.0);
                swept += 2.0 * std::fabs(channel_sums_[k]);
            }
        }
        const bool grew = swept > value;
        value = swept;
        if (!grew) break;
    }
    cut.signs = {s_, t_};
    if (channels_ > 1) cut.signs.push_back(u_);
    cut.value = value;
    return cut;
}

void MatrixCutEngine::subtract(const FoundCut& cut, float coeff) {
    const std::vector<std::uint64_t>& s = cut.signs.at(0);
    const std::vector<std::uint64_t>& t = cut.signs.at(1);
    const std::vector<std::uint64_t>& u = channels_ > 1 ? cut.signs.at(2) : u_;  // u_ stays +1 for a matrix
    const std::size_t j = pending_count_++;
    Pending& slot = pending_[j];
    slot.coeff = coeff;
    std::copy(s.begin(), s.end(), slot.s.begin());
    std::copy(t.begin(), t.end(), slot.t.begin());
    std::copy(u.begin(), u.end(), slot.u.begin());
    outer_signs(s, rows_, u, channels_, su_);
    outer_signs(t, cols_, u, channels_, tu_);
    // Bit b of group g's pattern bytes; the group's first cut starts them afresh.
    const std::size_t g = j / kCutsPerPattern, b = j % kCutsPerPattern;
    const auto mark = [&](std::vector<std::uint8_t>& patterns, const std::vector<std::uint64_t>& signs,
                          std::size_t length) {
        std::uint8_t* group = &patterns[g * length];
        for (std::size_t i = 0; i < length; ++i)
            group[i] = std::uint8_t((b ? group[i] : 0u) | unsigned(is_negative(signs, i)) << b);
    };
    mark(row_patterns_, s, rows_);
    mark(col_patterns_, t, cols_);
    if (channels_ > 1) {
        mark(row_entry_patterns_, su_, rows_ * channels_);
        mark(col_entry_patterns_, tu_, cols_ * channels_);
    }
    // The current and the kept images on R' = R − c s ⊗ t (⊗ u), halved: R' x = R x − c ⟨t, x⟩ s (⊗ u)
    // for a t-side x, R'ᵀ y = Rᵀ y − c ⟨s, y⟩ t (⊗ u) for an s-side y.
    for (const bool rows : {false, true}) {
        gather_states(rows, rows ? s : t);
        for (std::size_t c = 0; c < states_.size(); ++c)
            kernels_.add_signed_constant(states_[c].image->data(), (rows ? tu_ : su_).data(),
                                         float(-0.5 * double(coeff) * double(agreements_[c])),
                                         states_[c].image->size());
    }
    ++cuts_;
    norm_is_current_ = false;
    if (pending_count_ == kPendingCuts) apply_pending();
}

void MatrixCutEngine::apply_pending() {
    if (pending_count_ == 0) return;
    // R and Rᵀ, each read and written once; without Rᵀ, R read again for the column images.
    floats_streamed_ += (keeps_transpose() ? 4 : 3) * r_.size();
    // Row i of R −= Σ_j c_j s_j[i] · t_j. That sum depends on i only through the signs
    // s_j[i], so it is built once per sign pattern of each group of kCutsPerPattern cuts,
    // and each row adds one pattern vector per group. An entry k of the vector for
    // pattern p is −Σ_b c_b σ_b(p) σ_b(q) with q the pattern of t at k: a lookup in a table
    // per p, symmetric in p and q, so Rᵀ uses the same tables. The kept images are recomputed
    // while each row is in cache (exact again, so rounding never accumulates for long).
    const std::size_t groups = pattern_groups();
    // The kept images of one start are recomputed exactly each time, the starts in turn.
    const std::size_t exact_pool = applies_++ % kStartPool;
    PatternTables by_pattern[kTableEntries];  // [p][g][q]
    for (std::size_t p = 0; p < kTableEntries; ++p) {
        float weights[kPendingCuts];
        for (std::size_t j = 0; j < pending_count_; ++j)
            weights[j] = (p >> (j % kCutsPerPattern)) & 1u ? pending_[j].coeff : -pending_[j].coeff;
        pattern_tables(weights, pending_count_, by_pattern[p]);
    }
    const auto apply = [&](Tensor& matrix, bool by_rows) {
        const std::size_t lines = by_rows ? rows_ : cols_, line_count = by_rows ? cols_ : rows_;
        const std::size_t length = line_count * channels_;
        const std::uint8_t* line_patterns = by_rows ? row_patterns_.data() : col_patterns_.data();
        const std::uint8_t* entry_patterns = by_rows ? col_entries().data() : row_entries().data();
        // patterns_[(g · 16 + p) · length …]: the vector of group g for pattern p.
        team_.for_each_piece(groups * kTableEntries, [&](std::size_t index) {
            const std::size_t g = index / kTableEntries, p = index % kTableEntries;
            const std::size_t count = std::min(kCutsPerPattern, pending_count_ - g * kCutsPerPattern);
            if (p >> count) return;  // a pattern of cuts this group does not have
            float* out = &patterns_[index * length];
            std::fill(out, out + length, 0.0f);
            const std::uint8_t* indices[] = {&entry_patterns[g * length]};
            const float* table[] = {by_pattern[p][g]};
            kernels_.add_table_lookups(out, indices, table, 1, length);
        });
        for_pieces(team_, lines, row_piece(length), lines * length, [&](std::size_t r0, std::size_t r1) {
            const float* vectors[kPatternGroups];
            const bool keep[kPatternGroups] = {};
            for (std::size_t r = r0; r < r1; ++r) {
                for (std::size_t g = 0; g < groups; ++g)
                    vectors[g] = &patterns_[(g * kTableEntries + line_patterns[g * lines + r]) * length];
                float* row = &matrix[r * length];
                kernels_.accumulate_rows(row, vectors, keep, groups, length);
                line_images_kept(row, by_rows, r, exact_pool);
                if (by_rows) row_norms_[r] = squared_sum(row, length);
            }
        });
    };
    apply(r_, true);
    if (keeps_transpose()) apply(rt_, false);
    else column_images_from_rows(exact_pool);
    pending_count_ = 0;
    // ‖R‖² from the rows just written, while they were in cache: no pass of its own.
    squared_norm_ = 0.0;
    for (double row : row_norms_) squared_norm_ += row;
    norm_is_current_ = true;
}

double MatrixCutEngine::squared_norm() {
    apply_pending();
    if (!norm_is_current_) {
        floats_streamed_ += r_.size();
        squared_norm_ = signcut::squared_norm(r_.data());
        norm_is_current_ = true;
    }
    return squared_norm_;
}

void MatrixCutEngine::entries_above(double squared_threshold, std::vector<std::uint64_t>& indices,
                                    std::vector<float>& values) {
    apply_pending();
    floats_streamed_ += r_.size();
    find_entries_above(r_.data(), squared_threshold, indices, values);  // R is in the input's order
}

void MatrixCutEngine::subtract_entries(std::span<const std::uint64_t> indices, std::span<const float> values) {
    apply_pending();
    // Entry (i, j, k) of R moves the row image (R t)/2 at (i, k) by −½ v t_j and the column image
    // (Rᵀ s)/2 at (j, k) by −½ v s_i, for the current signs and every kept level alike.
    const auto sign = [](const std::vector<std::uint64_t>& signs, std::size_t i) {
        return is_negative(signs, i) ? -1.0f : 1.0f;
    };
    for (std::size_t e = 0; e < indices.size(); ++e) {
        const std::size_t index = std::size_t(indices[e]), line = cols_ * channels_;
        const std::size_t i = index / line, j = index % line / channels_, k = index % channels_;
        const float v = values[e];
        r_[index] -= v;
        if (keeps_transpose()) rt_[(j * rows_ + i) * channels_ + k] -= v;
        h_[i * channels_ + k] -= 0.5f * v * sign(t_, j);
        g_[j * channels_ + k] -= 0.5f * v * sign(s_, i);
        for (std::size_t pool = 0; pool < kStartPool; ++pool)
            for (std::size_t level = 0; level < kStartLevels; ++level) {
                Level& state = kept(pool, level);  // even levels: a t and its row image
                if (level % 2 == 0) state.image[i * channels_ + k] -= 0.5f * v * sign(state.signs, j);
                else state.image[j * channels_ + k] -= 0.5f * v * sign(state.signs, i);
            }
    }
    norm_is_current_ = false;
}

Tensor MatrixCutEngine::residual() const {
    Tensor out = r_;
    const std::size_t line = cols_ * channels_;
    std::vector<std::uint64_t> tu;
    for (std::size_t j = 0; j < pending_count_; ++j) {
        const Pending& cut = pending_[j];
        outer_signs(cut.t, cols_, cut.u, channels_, tu);
        for (std::size_t i = 0; i < rows_; ++i)
            kernels_.add_signed_constant(&out[i * line], tu.data(), is_negative(cut.s, i) ? cut.coeff : -cut.coeff,
                                         line);
    }
    return out;
}

}  // namespace signcut
