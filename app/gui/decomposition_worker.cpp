#include "decomposition_worker.h"

#include <QElapsedTimer>

namespace signcut::gui {
namespace {

constexpr qint64 kSnapshotIntervalMs = 33;  // ~30 Hz: the GUI is never flooded

}  // namespace

void DecompositionWorker::cancel() {
    cancelled_through_ = newest_job_.load();
    std::lock_guard lock(mutex_);
    for (Decomposer* decomposer : running_) decomposer->cancel();
}

void DecompositionWorker::supersede(quint64 job) {
    newest_job_ = job;
    std::lock_guard lock(mutex_);
    for (Decomposer* decomposer : running_) decomposer->cancel();  // all older than `job`
}

void DecompositionWorker::run(std::shared_ptr<const Job> job) {
    if (job->id < newest_job_) return;  // replaced before it started: nobody waits for it
    const auto stopped = [&] { return job->id <= cancelled_through_ || job->id < newest_job_; };
    std::vector<std::unique_ptr<Decomposer>> decomposers;
    try {
        if (job->split_channels) {
            for (const Tensor& channel : split_channels(job->input))
                decomposers.push_back(std::make_unique<Decomposer>(channel, job->options));
        } else {
            decomposers.push_back(std::make_unique<Decomposer>(job->input, job->options));
        }
    } catch (const std::exception& error) {
        Q_EMIT failed(job->id, QString::fromUtf8(error.what()));
        return;
    }
    {
        std::lock_guard lock(mutex_);
        for (auto& decomposer : decomposers) running_.push_back(decomposer.get());
    }
    QElapsedTimer clock, since_snapshot;
    clock.start();
    since_snapshot.start();
    const auto snapshot = [&](bool finished) {
        auto s = std::make_shared<Snapshot>();
        s->job = job->id;
        s->split_channels = job->split_channels;
        for (auto& decomposer : decomposers) s->parts.push_back(decomposer->decomposition());
        s->finished = finished;
        s->seconds = double(clock.nsecsElapsed()) * 1e-9;
        s->stop_reason = stopped() ? "cancelled" : stop_reason_name(decomposers.front()->stop_reason());
        return std::shared_ptr<const Snapshot>(std::move(s));
    };
    // Channels advance together so every width is available for all of them.
    bool running = !stopped();
    while (running) {
        for (auto& decomposer : decomposers) running = decomposer->step() && running;
        running = running && !stopped();  // also a cancel that came before the decomposers were registered
        if (running && since_snapshot.elapsed() >= kSnapshotIntervalMs) {
            since_snapshot.restart();
            Q_EMIT progressed(snapshot(false));
        }
    }
    {
        std::lock_guard lock(mutex_);
        running_.clear();
    }
    Q_EMIT finished(snapshot(true));
}

}  // namespace signcut::gui
