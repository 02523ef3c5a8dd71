#include "comparison_document.h"

namespace signcut::gui {

ComparisonDocument::ComparisonDocument(QObject* parent) : QObject(parent) {
    qRegisterMetaType<std::shared_ptr<const ComparisonJob>>();
    qRegisterMetaType<std::shared_ptr<const ComparisonPoint>>();
    qRegisterMetaType<std::shared_ptr<const ComparisonFloors>>();
    worker_.on(&ComparisonWorker::floors_ready, this, [this](std::shared_ptr<const ComparisonFloors> floors) {
        if (current(floors->job)) Q_EMIT floors_ready(floors);
    });
    worker_.on(&ComparisonWorker::point_ready, this, [this](std::shared_ptr<const ComparisonPoint> point) {
        if (!current(point->job)) return;  // from a run that was cancelled or replaced
        points_.push_back(point);
        Q_EMIT point_added(point);
    });
    worker_.on(&ComparisonWorker::universality_ready, this, [this](quint64 job, const QString& text) {
        if (current(job)) Q_EMIT universality_ready(text);
    });
    worker_.on(&ComparisonWorker::finished, this, &ComparisonDocument::on_finished);
}

ComparisonDocument::~ComparisonDocument() { worker_->supersede(job_id_ + 1); }

void ComparisonDocument::set_input(std::shared_ptr<const Tensor> input, bool photo, const QString& name) {
    cancel();
    input_ = std::move(input);
    photo_ = photo;
    name_ = name;
    points_.clear();
    Q_EMIT input_changed();
}

void ComparisonDocument::clear_input() {
    cancel();
    input_.reset();
    points_.clear();
    Q_EMIT input_changed();
}

void ComparisonDocument::run(const QStringList& methods, const std::vector<double>& budgets, bool curves) {
    if (!input_) return;
    cancel();
    auto job = std::make_shared<ComparisonJob>();
    job->id = ++job_id_;
    job->input = input_;
    job->methods = methods;
    job->budgets = budgets;
    job->curves = curves;
    worker_->supersede(job->id);
    running_ = true;
    expected_points_ = comparison_plan(*job).size();
    points_.clear();
    Q_EMIT run_started(budgets);
    worker_.run(std::shared_ptr<const ComparisonJob>(job));
}

void ComparisonDocument::cancel() {
    if (!running_) return;
    worker_->supersede(job_id_ + 1);  // the point in progress finishes; its result is dropped
    running_ = false;
    Q_EMIT cancelled();
}

void ComparisonDocument::on_finished(quint64 job) {
    if (job != job_id_) return;
    if (!running_) {  // the run was cancelled; its results so far arrived before this and were dropped
        Q_EMIT comparison_stopped();
        return;
    }
    running_ = false;
    Q_EMIT comparison_finished();
}

const ComparisonPoint* ComparisonDocument::find_point(const QString& method, double budget) const {
    for (const auto& point : points_)
        if (point->method == method && point->budget == budget) return point.get();
    return nullptr;
}

}  // namespace signcut::gui
