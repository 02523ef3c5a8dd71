#include "explorer_document.h"

#include <algorithm>
#include <cstdint>

#include "views/tensor_image.h"

namespace signcut::gui {

ExplorerDocument::ExplorerDocument(QObject* parent) : QObject(parent) {
    qRegisterMetaType<std::shared_ptr<const Job>>();
    qRegisterMetaType<std::shared_ptr<const CutBatch>>();
    worker_.on(&DecompositionWorker::progressed, this, &ExplorerDocument::on_batch);
    worker_.on(&DecompositionWorker::finished, this, &ExplorerDocument::on_batch);
    worker_.on(&DecompositionWorker::failed, this, &ExplorerDocument::on_failed);
}

ExplorerDocument::~ExplorerDocument() { worker_->cancel(); }

std::shared_ptr<const Tensor> ExplorerDocument::input_tensor() const {
    return input_ ? std::shared_ptr<const Tensor>(input_, &input_->tensor) : nullptr;
}

void ExplorerDocument::drop_results() {
    ++job_id_;
    decompositions_.reset();
    snapshot_.reset();
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
    if (!decompositions_) {
        decompositions_ = std::make_shared<std::vector<Decomposition>>();
        for (const NewCuts& part : batch->parts)
            decompositions_->emplace_back(part.shape, part.precision, part.input_squared_norm);
    }
    std::size_t width = SIZE_MAX;
    for (std::size_t p = 0; p < batch->parts.size(); ++p) {
        append((*decompositions_)[p], batch->parts[p]);
        width = std::min(width, (*decompositions_)[p].width());
    }
    auto snapshot = std::make_shared<Snapshot>();
    snapshot->job = batch->job;
    snapshot->decompositions = decompositions_;
    snapshot->cuts = width;
    snapshot->split_channels = batch->split_channels;
    snapshot->finished = batch->finished;
    snapshot->seconds = batch->seconds;
    snapshot->stop_reason = batch->stop_reason;
    snapshot_ = std::move(snapshot);
    if (batch->finished) computing_ = false;
    Q_EMIT snapshot_changed(first);
    if (batch->finished) Q_EMIT job_finished();
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

}  // namespace signcut::gui
