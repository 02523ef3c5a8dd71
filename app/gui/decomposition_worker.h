#pragma once
// Runs decompositions off the GUI thread (the engine itself uses oneTBB's threads) and
// hands results to the GUI as snapshots through queued signals, at most ~30 a second.

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

#include "approximation.h"
#include "scd/decomposer.h"

namespace signcut::gui {

struct Job {
    quint64 id = 0;
    Tensor input;
    bool split_channels = false;  // one matrix per colour channel instead of one order-3 tensor
    DecomposeOptions options;
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
    void progressed(std::shared_ptr<const signcut::gui::Snapshot> snapshot);
    void finished(std::shared_ptr<const signcut::gui::Snapshot> snapshot);
    void failed(quint64 job, QString message);

private:
    std::mutex mutex_;
    std::vector<Decomposer*> running_;  // guarded by mutex_
    std::atomic<quint64> newest_job_{0};
    std::atomic<quint64> cancelled_through_{0};  // jobs with ids up to this one are cancelled
};

}  // namespace signcut::gui

Q_DECLARE_METATYPE(std::shared_ptr<const signcut::gui::Job>)
Q_DECLARE_METATYPE(std::shared_ptr<const signcut::gui::Snapshot>)
