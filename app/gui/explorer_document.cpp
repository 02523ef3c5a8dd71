#include "explorer_document.h"

#include <algorithm>
#include <cstdint>

#include "views/tensor_image.h"

namespace signcut::gui {
namespace {

// Appends a batch to the decompositions it continues (made on its first batch) and returns the
// snapshot of all of them so far.
std::shared_ptr<const Snapshot> absorb(const CutBatch& batch, std::shared_ptr<std::vector<Decomposition>>& parts) {
    if (!parts) {
        parts = std::make_shared<std::vector<Decomposition>>();
        for (const NewCuts& part : batch.parts) parts->emplace_back(part.shape, part.precision, part.input_squared_norm);
    }
    std::size_t width = SIZE_MAX;
    for (std::size_t p = 0; p < batch.parts.size(); ++p) {
        append((*parts)[p], batch.parts[p]);
        width = std::min(width, (*parts)[p].width());
    }
    auto snapshot = std::make_shared<Snapshot>();
    snapshot->job = batch.job;
    snapshot->decompositions = parts;
    snapshot->cuts = width;
    snapshot->split_channels = batch.split_channels;
    snapshot->finished = batch.finished;
    snapshot->seconds = batch.seconds;
    snapshot->stop_reason = batch.stop_reason;
    return snapshot;
}

}  // namespace

ExplorerDocument::ExplorerDocument(QObject* parent) : QObject(parent) {
    qRegisterMetaType<std::shared_ptr<const Job>>();
    qRegisterMetaType<std::shared_ptr<const CutBatch>>();
    worker_.on(&DecompositionWorker::progressed, this, &ExplorerDocument::on_batch);
    worker_.on(&DecompositionWorker::finished, this, &ExplorerDocument::on_batch);
    worker_.on(&DecompositionWorker::failed, this, &ExplorerDocument::on_failed);
    plain_worker_.on(&DecompositionWorker::progressed, this, &ExplorerDocument::on_plain_batch);
    plain_worker_.on(&DecompositionWorker::finished, this, &ExplorerDocument::on_plain_batch);
}

ExplorerDocument::~ExplorerDocument() {
    worker_->cancel();
    plain_worker_->cancel();
}

std::shared_ptr<const Tensor> ExplorerDocument::input_tensor() const {
    return input_ ? std::shared_ptr<const Tensor>(input_, &input_->tensor) : nullptr;
}

void ExplorerDocument::drop_results() {
    ++job_id_;
    decompositions_.reset();
    snapshot_.reset();
    plain_worker_->supersede(job_id_);
    plain_decompositions_.reset();
    plain_snapshot_.reset();
    plain_running_ = false;
    cursor_.reset();
    width_ = 0;
}

void ExplorerDocument::set_input(std::shared_ptr<LoadedInput> input, const QString& path) {
    cancel();
    drop_results();
    input_ = std::move(input);
    photo_ = input_->kind == InputKind::image;
    path_ = path;
    Q_EMIT input_changed();
}

void ExplorerDocument::set_decomposition(Decomposition decomposition, const QString& path) {
    cancel();
    drop_results();
    computing_ = false;
    job_.reset();
    input_.reset();
    photo_ = looks_like_photo(decomposition.shape());
    path_ = path;
    snapshot_ = Snapshot::loaded(std::move(decomposition));
    Q_EMIT input_changed();
}

void ExplorerDocument::start(bool split_channels, const DecomposeOptions& options) {
    if (!input_) return;
    auto job = std::make_shared<Job>();
    drop_results();
    job->id = job_id_;
    worker_->supersede(job->id);  // a burst of restarts runs only the last job
    job->input = input_->tensor;
    job->split_channels = split_channels;
    job->options = options;
    Shape part_shape = job->input.shape();
    if (split_channels) part_shape.pop_back();
    job->max_width = width_limit(part_shape, options);  // once: the settings may change while it runs
    job_ = job;
    computing_ = true;
    Q_EMIT job_started(*job);
    worker_.run(std::shared_ptr<const Job>(job));
}

bool ExplorerDocument::cancel() {
    if (!computing_) return false;
    worker_->cancel();
    return true;
}

void ExplorerDocument::on_batch(std::shared_ptr<const CutBatch> batch) {
    if (batch->job != job_id_) return;  // a result of a run that was restarted
    const bool first = !snapshot_;
    snapshot_ = absorb(*batch, decompositions_);
    if (batch->finished) computing_ = false;
    Q_EMIT snapshot_changed(first);
    if (!batch->finished) return;
    // Then the plain algorithm on the same input, for the chart (it would slow the job beside it);
    // started first, so whoever hears job_finished knows it runs.
    const bool kept_apart = std::any_of(decompositions_->begin(), decompositions_->end(),
                                        [](const Decomposition& d) { return d.outlier_count() > 0; });
    if (kept_apart && job_ && job_->id == batch->job && snapshot_->stop_reason != "cancelled") {
        auto plain = std::make_shared<Job>(*job_);
        plain->options.outliers = {};
        plain->options.stop = StopRule{};
        plain->options.stop.width = snapshot_->width();  // the same widths as the curve beside it
        plain->max_width = snapshot_->width();
        plain_running_ = true;
        plain_worker_.run(std::shared_ptr<const Job>(plain));
    }
    Q_EMIT job_finished();
}

void ExplorerDocument::on_plain_batch(std::shared_ptr<const CutBatch> batch) {
    if (batch->job != job_id_) return;
    plain_snapshot_ = absorb(*batch, plain_decompositions_);
    if (batch->finished) plain_running_ = false;
    Q_EMIT plain_curve_changed();
}

void ExplorerDocument::on_failed(quint64 job, const QString& message) {
    if (job != job_id_) return;
    computing_ = false;
    Q_EMIT error_occurred(message);
}

void ExplorerDocument::set_width(std::size_t width) {
    if (!snapshot_) return;
    width_ = std::min(width, snapshot_->width());
    Q_EMIT width_changed(width_);
}

const Tensor& ExplorerDocument::reconstruction() const { return cursor_.at(*snapshot_, width_); }

namespace {
Tensor minus(const Tensor& a, const Tensor& b) {
    Tensor difference = a;
    for (std::size_t i = 0; i < difference.size(); ++i) difference[i] -= b[i];
    return difference;
}
}  // namespace

Tensor ExplorerDocument::residual() const { return minus(input_->tensor, reconstruction()); }

Tensor ExplorerDocument::residual(std::size_t width) const {
    ReconstructionCursor cursor;  // none kept: the width shown keeps its cursor
    return minus(input_->tensor, cursor.at(*snapshot_, width));
}

}  // namespace signcut::gui
