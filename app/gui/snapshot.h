#pragma once
// What the explorer shows at a width w: one decomposition of the whole tensor, or one per
// colour channel ("separate channels"), with the error, size and reconstruction at any w.
// The worker hands over only the cuts found since its last batch (NewCuts); the document
// appends them to storage that every snapshot of the job shares, so a snapshot costs the new
// cuts, not all of them.

#include <QString>

#include <memory>
#include <vector>

#include "scd/decomposition.h"
#include "tensor/tensor.h"

namespace signcut::gui {

struct Snapshot {
    quint64 job = 0;
    // One, or one per channel of a height × width × c tensor: shared by the job's snapshots and
    // only appended to (on the GUI thread), so a later snapshot may hold more cuts than this one.
    std::shared_ptr<const std::vector<Decomposition>> decompositions;
    std::size_t cuts = 0;  // widths 0..cuts are available for every part
    bool split_channels = false;
    bool finished = false;
    double seconds = 0.0;
    QString stop_reason;

    // A finished snapshot of a decomposition read from a file.
    static std::shared_ptr<const Snapshot> loaded(Decomposition decomposition);

    const std::vector<Decomposition>& parts() const { return *decompositions; }
    std::size_t width() const { return cuts; }
    double relative_error(std::size_t w) const;
    std::uint64_t stored_bytes(std::size_t w) const;
    std::size_t entries() const;
    Shape shape() const;  // of the whole tensor
};

// Cuts first.. of one decomposition, copied out of the worker's decomposer.
struct NewCuts {
    Shape shape;
    CoeffPrecision precision = CoeffPrecision::f32;
    double input_squared_norm = 0.0;
    std::size_t first = 0;
    std::vector<float> coeffs;
    std::vector<std::uint64_t> sign_words;       // words_per_cut() a cut
    std::vector<double> residual_squared_norms;  // ‖R‖² after each new cut
    // The entries kept apart (scd/outliers.h) that the receiver does not have yet: those added
    // at widths first.. (at width 0 too when first is 0), and ‖R‖² at width first.
    std::vector<std::uint64_t> outlier_indices;
    std::vector<float> outlier_values;
    std::vector<std::size_t> outlier_widths;
    double residual_at_first = 0.0;
};
// Cuts first..d.width() of `d`: O(new cuts).
NewCuts new_cuts(const Decomposition& d, std::size_t first);
// Appends `cuts` to `d` (of the same shape, holding exactly cuts.first cuts).
void append(Decomposition& d, const NewCuts& cuts);

// What the worker sends about a job: the cuts of every part found since its last batch.
struct CutBatch {
    quint64 job = 0;
    bool split_channels = false;
    std::vector<NewCuts> parts;
    bool finished = false;
    double seconds = 0.0;
    QString stop_reason;
};

// Keeps the reconstruction at the displayed width and moves it by differences.
class ReconstructionCursor {
public:
    void reset() { width_ = 0, valid_ = false; }
    // The reconstruction at width w of `snapshot` (w ≤ snapshot.width()).
    const Tensor& at(const Snapshot& snapshot, std::size_t w);

private:
    Tensor image_;
    std::size_t width_ = 0;
    bool valid_ = false;
};

// Why a run stopped (Snapshot::stop_reason, an engine identifier: stop_reason_name), in words.
QString stop_reason_text(const QString& reason);

}  // namespace signcut::gui
