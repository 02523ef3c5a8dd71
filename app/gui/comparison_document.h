#pragma once
// The Compare tab's data and state, apart from any widget (as ExplorerDocument is the Explore
// tab's): the data compared, the comparison running on the worker thread with its job ids, and
// the points measured so far. The Compare view and its table observe its signals.

#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

#include "comparison_worker.h"
#include "worker_thread.h"

namespace signcut::gui {

class ComparisonDocument : public QObject {
    Q_OBJECT
public:
    explicit ComparisonDocument(QObject* parent = nullptr);
    ~ComparisonDocument() override;

    // New data (or none): the run on the old data stops, its points go; nothing is computed
    // until run() asks.
    void set_input(std::shared_ptr<const Tensor> input, bool photo, const QString& name);
    void clear_input();
    const Tensor* input() const { return input_.get(); }  // null without data
    bool is_photo() const { return photo_; }              // drawn as a picture rather than a heat map
    const QString& name() const { return name_; }

    // Starts (again) comparing `methods` at `budgets` (not empty); the run before is cancelled.
    void run(const QStringList& methods, const std::vector<double>& budgets, bool curves);
    // Stops the run: the point in progress finishes, its result is dropped.
    void cancel();
    bool is_running() const { return running_; }
    std::size_t expected_points() const { return expected_points_; }
    const std::vector<std::shared_ptr<const ComparisonPoint>>& points() const { return points_; }
    const ComparisonPoint* find_point(const QString& method, double budget) const;

Q_SIGNALS:
    // New data or none replaced the old; no points.
    void input_changed();
    // A run was queued at these budgets; no points yet.
    void run_started(const std::vector<double>& budgets);
    void floors_ready(std::shared_ptr<const signcut::gui::ComparisonFloors> floors);
    // A point of the current run, appended to points().
    void point_added(std::shared_ptr<const signcut::gui::ComparisonPoint> point);
    // "One code for all", when tcq is among the methods.
    void universality_ready(const QString& text);
    void cancelled();
    // The current run computed every point.
    void comparison_finished();
    // A cancelled run is over in the worker too: none of its results can arrive any more.
    void comparison_stopped();

private:
    void on_finished(quint64 job);
    bool current(quint64 job) const { return job == job_id_ && running_; }

    std::shared_ptr<const Tensor> input_;
    bool photo_ = false;
    QString name_;
    bool running_ = false;
    quint64 job_id_ = 0;
    std::size_t expected_points_ = 0;
    std::vector<std::shared_ptr<const ComparisonPoint>> points_;
    WorkerThread<ComparisonWorker> worker_;
};

}  // namespace signcut::gui
