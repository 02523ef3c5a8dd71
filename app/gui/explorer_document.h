#pragma once
// The explorer's data and state, apart from any widget (as Tiled's Document): the loaded input,
// the open .scdz checkpoint, the decomposition job running on the worker thread, the snapshot
// of its cuts so far and the width on display with its reconstruction. Views observe its
// signals and keep no copy of this state.

#include <QObject>
#include <QString>

#include <memory>

#include "snapshot.h"
#include "decomposition_worker.h"
#include "io/load_input.h"
#include "io/scdz_file.h"
#include "worker_thread.h"

namespace signcut::gui {

class ExplorerDocument : public QObject {
    Q_OBJECT
public:
    explicit ExplorerDocument(QObject* parent = nullptr);
    ~ExplorerDocument() override;

    // A new input replaces the old one; the old decomposition goes first (cancelled, its late
    // results dropped), so nothing combines the old cuts with the new input.
    void set_input(std::shared_ptr<LoadedInput> input, const QString& path);
    // A saved decomposition on its own (no original to compare with).
    void set_decomposition(Decomposition decomposition, const QString& path);
    const LoadedInput* input() const { return input_.get(); }
    // The input tensor, shared with the views that compute on it (null without an input).
    std::shared_ptr<const Tensor> input_tensor() const;
    bool is_photo() const { return photo_; }  // drawn as a picture rather than a heat map
    const QString& path() const { return path_; }

    void set_checkpoint(std::shared_ptr<const ScdzReader> checkpoint) { checkpoint_ = std::move(checkpoint); }
    const ScdzReader* checkpoint() const { return checkpoint_.get(); }

    // Starts decomposing the input (nothing without one); a burst of starts runs only the last.
    void start(bool split_channels, const DecomposeOptions& options);
    // Stops the running job (its last cuts still arrive, as a cancelled result); false when
    // nothing was running.
    bool cancel();
    bool is_computing() const { return computing_; }
    // The job running or last run (null before the first and for a decomposition file).
    const Job* job() const { return job_.get(); }
    const Snapshot* snapshot() const { return snapshot_.get(); }
    std::shared_ptr<const Snapshot> shared_snapshot() const { return snapshot_; }
    // The same input decomposed by the plain algorithm (no entries kept apart), run in the
    // background after a job with entries apart finishes: the curve to compare with. Null
    // before, and for a job that keeps none apart.
    const Snapshot* plain_snapshot() const { return plain_snapshot_.get(); }
    bool plain_running() const { return plain_running_; }

    // The width on display, at most the snapshot's width.
    std::size_t width() const { return width_; }
    void set_width(std::size_t width);
    // The reconstruction at width() (the snapshot must exist); moved by differences.
    const Tensor& reconstruction() const;
    // The input minus its reconstruction, at width() or at another width (computed afresh);
    // needs an input and a snapshot of its shape.
    Tensor residual() const;
    Tensor residual(std::size_t width) const;

Q_SIGNALS:
    // A new input or decomposition file replaced the old data (no snapshot yet for an input).
    void input_changed();
    // A job was queued: its snapshot is empty until the first cuts arrive.
    void job_started(const signcut::gui::Job& job);
    // New cuts of the current job; `first`: the job's first snapshot.
    void snapshot_changed(bool first);
    // The current job is over (done, stopped by its rule or cancelled): snapshot()->finished.
    void job_finished();
    void width_changed(std::size_t width);
    void error_occurred(const QString& message);
    // More of plain_snapshot() is known.
    void plain_curve_changed();

private:
    void on_batch(std::shared_ptr<const CutBatch> batch);
    void on_plain_batch(std::shared_ptr<const CutBatch> batch);
    void on_failed(quint64 job, const QString& message);
    // Drops the current job's results: the next ones come from a new job or a file.
    void drop_results();

    std::shared_ptr<LoadedInput> input_;            // null when showing a decomposition file alone
    std::shared_ptr<const ScdzReader> checkpoint_;  // the open .scdz file, if any
    bool photo_ = false;
    QString path_;
    std::shared_ptr<const Job> job_;
    quint64 job_id_ = 0;
    bool computing_ = false;
    std::shared_ptr<std::vector<Decomposition>> decompositions_;  // the current job's, appended to
    std::shared_ptr<const Snapshot> snapshot_;
    std::size_t width_ = 0;
    mutable ReconstructionCursor cursor_;  // a cache of reconstruction()
    WorkerThread<DecompositionWorker> worker_;
    std::shared_ptr<std::vector<Decomposition>> plain_decompositions_;
    std::shared_ptr<const Snapshot> plain_snapshot_;
    bool plain_running_ = false;
    WorkerThread<DecompositionWorker> plain_worker_;
};

}  // namespace signcut::gui
