#include "decomposition_worker.h"

#include <QElapsedTimer>

#include <optional>

namespace signcut::gui {
namespace {

constexpr qint64 kSnapshotIntervalMs = 33;  // ~30 Hz: the GUI is never flooded

}  // namespace

void DecompositionWorker::cancel() {
    cancelled_through_ = newest_job_.load();
    std::lock_guard lock(mutex_);
    if (running_) running_->cancel();
}

void DecompositionWorker::supersede(quint64 job) {
    newest_job_ = job;
    std::lock_guard lock(mutex_);
    if (running_) running_->cancel();  // older than `job`
}

void DecompositionWorker::run(std::shared_ptr<const Job> job) {
    if (job->id < newest_job_) return;  // replaced before it started: nobody waits for it
    const auto stopped = [&] { return job->id <= cancelled_through_ || job->id < newest_job_; };
    std::optional<PerChannelDecomposer> decomposer;
    try {
        decomposer.emplace(job->input, job->split_channels, job->options);
    } catch (const std::exception& error) {
        Q_EMIT failed(job->id, QString::fromUtf8(error.what()));
        return;
    }
    {
        std::lock_guard lock(mutex_);
        running_ = &*decomposer;
    }
    QElapsedTimer clock, since_batch;
    clock.start();
    since_batch.start();
    std::vector<std::size_t> sent(decomposer->parts(), 0);  // cuts of each part already handed over
    const auto batch = [&](bool finished) {
        auto b = std::make_shared<CutBatch>();
        b->job = job->id;
        b->split_channels = job->split_channels;
        for (std::size_t p = 0; p < decomposer->parts(); ++p) {
            b->parts.push_back(new_cuts(decomposer->decomposition(p), sent[p]));
            sent[p] = decomposer->decomposition(p).width();
        }
        b->finished = finished;
        b->seconds = double(clock.nsecsElapsed()) * 1e-9;
        b->stop_reason = stopped() ? "cancelled" : stop_reason_name(decomposer->stop_reason());
        return std::shared_ptr<const CutBatch>(std::move(b));
    };
    // Channels advance together so every width is available for all of them.
    bool running = !stopped();
    while (running) {
        running = decomposer->step();
        running = running && !stopped();  // also a cancel that came before the decomposer was registered
        if (running && since_batch.elapsed() >= kSnapshotIntervalMs) {
            since_batch.restart();
            Q_EMIT progressed(batch(false));
        }
    }
    {
        std::lock_guard lock(mutex_);
        running_ = nullptr;
    }
    Q_EMIT finished(batch(true));
}

}  // namespace signcut::gui
