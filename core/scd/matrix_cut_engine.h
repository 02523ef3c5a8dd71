#pragma once
// Signed cuts of a matrix, or of an order-3 tensor m × n × c seen as a matrix whose entries
// are c-vectors (the colour channels of a photo), without a full pass over the residual
// per alternation. For c > 1 every image below has c channels: h[i,k] = ½ Σ_j R[i,j,k] t_j,
// s takes the sign of Σ_k u_k h[i,k], and the channel signs u those of z_k = Σ_i s_i h[i,k],
// which need no pass over R at all.
//
// It keeps the applied residual R row-major and, by default (EngineMemory::fast), transposed
// too (Rᵀ), so rows and columns both stream contiguously, and its half images h = (R t)/2 and
// g = (Rᵀ s)/2 of the current sign vectors. When signs flip, only the flipped rows or columns
// are read: flipping t_k changes R t by 2 t_k R[:,k]. New cuts are not applied to R at once: up
// to kPendingCuts of them wait and are applied together in one pass over R and one over Rᵀ
// (which also recomputes images exactly and sums ‖R‖²). With EngineMemory::low there is no Rᵀ:
// a column flip reads the flipped columns out of R's rows and g is summed down R's columns
// (column_sums.h), each entry by the same operations in the same order, so the cuts are the
// same bit for bit, in half the memory. The true residual is R − Σ_j c_j s_j t_jᵀ
// over the waiting cuts j; the images h, g are kept for the true residual: when columns K
// flip, h also moves by −Σ_j c_j (Σ_{k∈K} t_k t_j[k]) s_j, the sign agreement counts being
// popcounts. That sum depends on a row only through the waiting cuts' signs there, so it
// is looked up per row in tables of the sign patterns of four cuts. After a cut c·s tᵀ the
// images of the same s, t follow in O(m + n): R' t = R t − c·n·s and R'ᵀ s = Rᵀ s − c·m·t.
// The cuts start from a small pool of seeded t0 (cut_start.h). For each start the first
// kStartLevels half-steps of its last alternation (t0, the s it gave, the next t) are kept
// with their images, which follow every subtracted cut in O(m + n): R' x = R x − c ⟨t, x⟩ s.
// A half-step then starts from whichever kept state of its side is nearest to the new signs
// and flips only the lines that differ: the first s update, half a pass from random signs,
// flips about an eighth of the rows, since a few cuts change R t0 little.
// Every image entry and every row is computed by the same operations in the same order
// whichever thread does it (flipped lines are summed in fixed groups of kFlipGroup, each
// group into its own buffer), so results do not depend on the thread count.

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "scd/cut_engine.h"
#include "scd/spin_team.h"
#include "simd/kernels.h"
#include "tensor/tensor.h"

namespace signcut {

class MatrixCutEngine : public CutEngine {
public:
    // Cuts waiting to be applied to R. More waiting cuts mean fewer passes over R and Rᵀ
    // (4 floats per entry each time); their corrections to the images cost one table
    // lookup per entry and four waiting cuts, whatever the flip.
    static constexpr std::size_t kPendingCuts = 32;
    // Waiting cuts whose signs at an entry form one pattern (a table index, 2^4 entries).
    static constexpr std::size_t kCutsPerPattern = 4;
    static constexpr std::size_t kPatternGroups = kPendingCuts / kCutsPerPattern;
    static_assert(std::size_t(1) << kCutsPerPattern == kTableEntries);
    static_assert(kPatternGroups <= kMaxTables && kPatternGroups <= kMaxAccumulateRows, "one kernel call per line");
    // Flipped lines summed into one buffer: the unit of work of a large flip, whose
    // groups run in parallel, each streaming whole rows.
    static constexpr std::size_t kFlipGroup = 128;
    // Half-steps of each start's alternation kept between cuts: level 0 is the start t0,
    // level 1 the s it gave, level 2 the next t. Keeping more did not flip fewer lines.
    static constexpr std::size_t kStartLevels = 3;

    // Floats the engine keeps beside the input: Rᵀ (EngineMemory::fast), the waiting cuts'
    // pattern vectors and the partial images of large flips.
    static std::size_t extra_floats(const Shape& shape, EngineMemory memory = EngineMemory::fast);
    // Whether the engine takes this shape: a matrix or an order-3 tensor whose pattern
    // vectors and partial images stay small beside it (at most 16 Mi floats or an eighth
    // of the input; a very long, thin shape goes to the general path instead).
    static bool suits(const Shape& shape);

    // A matrix, or an order-3 tensor (its last mode the channels); see suits(). Cut j starts
    // from the seeded start j of cut_start.h: t0 from the pool and, for c > 1, channel signs u0.
    MatrixCutEngine(Tensor tensor, const Kernels& kernels, std::uint64_t seed,
                    EngineMemory memory = EngineMemory::fast);

    std::size_t rows() const { return rows_; }
    std::size_t cols() const { return cols_; }
    std::size_t channels() const { return channels_; }

    // Alternating maximisation from t0 (and u0): each sweep updates s, t, then u (c > 1).
    // The cut's signs are {s, t} or {s, t, u}.
    FoundCut find_cut(int max_iterations, const std::function<bool()>& cancelled) override;
    // R ← R − c · s ⊗ t (⊗ u): the cut waits (kPendingCuts), the kept images follow at once.
    void subtract(const FoundCut& cut, float coeff) override;
    // ‖R‖²; applies the waiting cuts first (at a kPendingCuts boundary this changes nothing in
    // the results), which sums it over the rows as it writes them.
    double squared_norm() override;
    void entries_above(double squared_threshold, std::vector<std::uint64_t>& indices,
                       std::vector<float>& values) override;
    // R and Rᵀ, and every image kept, follow the changed entries.
    void subtract_entries(std::span<const std::uint64_t> indices, std::span<const float> values) override;
    // The current residual (a copy; the waiting cuts applied to it).
    Tensor residual() const override;
    // Floats of R or Rᵀ read or written so far (the memory traffic that bounds the speed);
    // without Rᵀ a column flip counts the whole 16-float lines of R it touches.
    std::uint64_t floats_streamed() const override { return floats_streamed_; }

private:
    // find_cut's alternation, while the team serves its flips.
    FoundCut alternate(int max_iterations, const std::function<bool()>& cancelled);
    // Moves s (rows) or t to new signs, updating the other side's image by the flipped
    // lines and, for the waiting cuts, by their sign agreement counts.
    void flip(bool rows, const std::vector<std::uint64_t>& new_signs);
    // Moves s (rows) or t to `next` from the nearest state of that side (the current one or
    // a kept level, maybe negated), and keeps the result as half-step `level` if it is kept.
    void half_step(bool rows, std::size_t level, const std::vector<std::uint64_t>& next);
    // Lists in states_ the kept states of side s (rows) or t and the current one (last), and
    // their agreements ⟨x, state⟩ with `x` in agreements_ (one POPCNT kernel call).
    void gather_states(bool rows, const std::vector<std::uint64_t>& x);
    // Whether Rᵀ is kept (EngineMemory::fast).
    bool keeps_transpose() const { return rt_.size() > 0; }
    // The flipped lines of one flip in its fixed groups of kFlipGroup: how many, and group g.
    std::size_t flip_groups() const { return (flipped_.size() + kFlipGroup - 1) / kFlipGroup; }
    std::span<const std::size_t> flip_group(std::size_t g) const {
        return std::span(flipped_).subspan(g * kFlipGroup, std::min(kFlipGroup, flipped_.size() - g * kFlipGroup));
    }
    // A column flip without Rᵀ: each block of rows sums its flipped columns out of R.
    void flip_columns_from_rows(const std::vector<std::uint64_t>& new_signs,
                                const std::function<void(std::size_t, std::size_t)>& add_corrections);
    // g, and the s-side kept image of start `pool` if given, summed down R's columns (no Rᵀ).
    void column_images_from_rows(std::optional<std::size_t> pool);
    // Applies the waiting cuts to R and Rᵀ and recomputes the current images and one start's
    // kept ones from the new rows.
    void apply_pending();
    void refresh_images();
    // The current image and those kept for start `pool` on one line: row `index` of R (h and
    // the t-side levels) or of Rᵀ (g and the s-side levels).
    void line_images_kept(const float* line, bool row_of_r, std::size_t index, std::size_t pool);
    // image[line · c + k] = ½ Σ_j signs_j · row[j · c + k]: the images of one line.
    void line_images(const float* row, const std::vector<std::uint64_t>& signs, std::size_t count, float* image) const;
    // Σ_k u_k image[· , k] into `combined` (c > 1), then its signs into `out`.
    void combined_signs(const std::vector<float>& image, std::vector<float>& combined, std::vector<std::uint64_t>& out);
    std::size_t pattern_groups() const { return (pending_count_ + kCutsPerPattern - 1) / kCutsPerPattern; }

    const Kernels& kernels_;
    std::uint64_t seed_;
    SpinTeam team_;                     // the arena's threads, together over each cut's flips
    std::vector<float> channel_signs_;  // u as ±1, for combined_signs
    std::vector<double> channel_sums_;  // z, for find_cut
    std::size_t rows_, cols_, channels_;
    Tensor r_, rt_;  // R (rows × cols × c) and Rᵀ (cols × rows × c; empty with EngineMemory::low)
    std::vector<std::uint64_t> s_, t_, u_;  // current sign vectors
    std::vector<float> h_, g_;              // (R t)/2 and (Rᵀ s)/2 of the true residual, c channels each
    // The kept half-steps of every start: even levels a t and its h, odd levels an s and its
    // g, each image of the true residual.
    struct Level {
        std::vector<std::uint64_t> signs;
        std::vector<float> image;
    };
    std::vector<Level> kept_;  // kStartPool × kStartLevels
    Level& kept(std::size_t pool, std::size_t level) { return kept_[pool * kStartLevels + level]; }
    std::size_t cuts_ = 0;     // cuts subtracted: the next one starts from start cuts_ mod kStartPool
    std::size_t applies_ = 0;  // apply_pending calls
    // ‖R‖², summed by apply_pending over the rows it wrote; current until the next subtract.
    std::vector<double> row_norms_;
    double squared_norm_ = 0.0;
    bool norm_is_current_ = false;
    std::vector<float> combined_h_, combined_g_;  // Σ_k u_k h[·,k] and Σ_k u_k g[·,k] (c > 1)
    struct Pending {
        float coeff;
        std::vector<std::uint64_t> s, t, u;
    };
    std::vector<Pending> pending_;  // kPendingCuts slots, allocated once
    std::size_t pending_count_ = 0;
    // The waiting cuts' signs, kCutsPerPattern cuts to a byte: bit b of
    // row_patterns_[g · rows + i] is set when s of waiting cut kCutsPerPattern·g + b is −1 at
    // row i; the same for t in col_patterns_. The entry patterns do the same for s ⊗ u at
    // (i, k) and t ⊗ u at (j, k): the signs along a line of Rᵀ and of R. A matrix (u = +1)
    // has no entry patterns of its own: they are the line patterns.
    std::vector<std::uint8_t> row_patterns_, col_patterns_, row_entry_patterns_, col_entry_patterns_;
    const std::vector<std::uint8_t>& row_entries() const { return channels_ > 1 ? row_entry_patterns_ : row_patterns_; }
    const std::vector<std::uint8_t>& col_entries() const { return channels_ > 1 ? col_entry_patterns_ : col_patterns_; }
    // Scratch, sized once so the alternation allocates nothing (but for EngineMemory::low: a
    // piece's partial sums, up to 32 KB, per flip of more than 128 columns and per apply pass).
    std::vector<std::uint64_t> next_s_, next_t_, changed_, su_, tu_;
    std::vector<std::size_t> flipped_;
    std::vector<std::uint64_t> every_row_, every_col_;  // all bits set: the mask of a whole side
    // gather_states: every kept state of one side and the current one, and their agreements.
    struct State {
        std::vector<std::uint64_t>* signs;
        std::vector<float>* image;
    };
    std::vector<State> states_;
    std::vector<const std::uint64_t*> state_signs_;
    std::vector<std::int64_t> agreements_;
    std::vector<float> group_sums_;  // groups 2, 3, … of a large flip, one image each
    std::vector<float> patterns_;    // the waiting cuts' sums per sign pattern (apply_pending)
    std::uint64_t floats_streamed_ = 0;
};

}  // namespace signcut
