#pragma once
// Runs decompositions off the GUI thread (the engine itself uses oneTBB's threads) and
// hands results to the GUI as batches of new cuts through queued signals, at most ~30 a second.

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

#include "snapshot.h"
#include "scd/per_channel.h"

namespace signcut::gui {

struct Job {
    quint64 id = 0;
    Tensor input;
    bool split_channels = false;  // one matrix per colour channel instead of one order-3 tensor
    DecomposeOptions options;
    std::size_t max_width = 0;  // of each part: width_limit(part shape, options), set once when the job is made
};

class DecompositionWorker : public QObject {
    Q_OBJECT
public:
    // Thread-safe: stops the running job, and any queued before now, within one pass over its
    // residual; a job stopped before it started still reports a (cancelled, empty) result.
    void cancel();
    // Thread-safe: jobs older than `job` are stopped or skipped without a result, so a burst of
    // restarts runs only the last one.
    void supersede(quint64 job);

public Q_SLOTS:
    void run(std::shared_ptr<const signcut::gui::Job> job);

Q_SIGNALS:
    void progressed(std::shared_ptr<const signcut::gui::CutBatch> batch);
    void finished(std::shared_ptr<const signcut::gui::CutBatch> batch);
    void failed(quint64 job, QString message);

private:
    std::mutex mutex_;
    PerChannelDecomposer* running_ = nullptr;  // guarded by mutex_
    std::atomic<quint64> newest_job_{0};
    std::atomic<quint64> cancelled_through_{0};  // jobs with ids up to this one are cancelled
};

}  // namespace signcut::gui

Q_DECLARE_METATYPE(std::shared_ptr<const signcut::gui::Job>)
Q_DECLARE_METATYPE(std::shared_ptr<const signcut::gui::CutBatch>)
