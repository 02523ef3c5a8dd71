#pragma once
// Runs a comparison (core's methods/comparison.h) off the GUI thread and hands each point to
// the GUI as soon as it is ready, so the Compare chart fills in point by point.

#include <QObject>
#include <QString>
#include <QStringList>

#include <array>
#include <atomic>
#include <memory>
#include <optional>
#include <vector>

#include "methods/comparison.h"
#include "tensor/tensor.h"

namespace signcut::gui {

struct ComparisonJob {
    quint64 id = 0;
    std::shared_ptr<const Tensor> input;
    QStringList methods;          // names from method_names()
    std::vector<double> budgets;  // bits per entry
    bool curves = true;           // also each method's curve over the budgets' range (curve_budgets)
    std::uint64_t seed = 1;
};
ComparisonRequest comparison_request(const ComparisonJob& job);

// One method at one budget: a row of `signcut-cli compare` (measure_point's), plus the picture.
struct ComparisonPoint {
    quint64 job = 0;
    QString method;
    double budget = 0.0;
    bool on_curve = false;  // a point of the method's curve, not one of the budgets asked for
    bool met_budget = false;
    double bits_per_entry = 0.0;  // actually used, headers included
    double relative_error = 0.0;
    double bits_above_iid_floor = 0.0;  // bits_per_entry + log₂(relative_error)
    // On pictures (methods/image_quality.h): PSNR in dB (+∞ for an exact copy) and SSIM.
    std::optional<double> psnr_db, ssim;
    double seconds = 0.0;
    QString note;
    std::shared_ptr<const Tensor> reconstruction;  // null when the budget was not met
};

// The Gaussian rate–distortion floors of the input, sampled over a range of rates.
struct ComparisonFloors {
    quint64 job = 0;
    std::vector<double> bits;
    std::array<std::vector<double>, 3> errors;  // relative errors at `bits`, in floor_table() order
};

// The (method, budget) points of a job, in the order the worker computes them.
inline std::vector<PlannedPoint> comparison_plan(const ComparisonJob& job) {
    return comparison_plan(comparison_request(job), job.input->shape());
}

class ComparisonWorker : public QObject {
    Q_OBJECT
public:
    // Thread-safe: results of jobs older than `job` are dropped, and their remaining points
    // are not computed (a point already running finishes first).
    void supersede(quint64 job) { newest_job_ = job; }

public Q_SLOTS:
    void run(std::shared_ptr<const signcut::gui::ComparisonJob> job);

Q_SIGNALS:
    void floors_ready(std::shared_ptr<const signcut::gui::ComparisonFloors> floors);
    void point_ready(std::shared_ptr<const signcut::gui::ComparisonPoint> point);
    // "One code for all" (methods/universality.h), as a sentence for the view.
    void universality_ready(quint64 job, const QString& text);
    // The worker is done with `job`: every point computed, or the rest dropped when superseded.
    // Nothing of that job follows it.
    void finished(quint64 job);

private:
    void run_point(const ComparisonJob& job, const PlannedPoint& planned);
    bool stale(quint64 job) const { return job < newest_job_; }
    std::atomic<quint64> newest_job_{0};
};

// Rates at which the floors are drawn: 1/4 to 32 bits per entry, evenly on a log scale.
std::vector<double> floor_sample_bits();

}  // namespace signcut::gui

Q_DECLARE_METATYPE(std::shared_ptr<const signcut::gui::ComparisonJob>)
Q_DECLARE_METATYPE(std::shared_ptr<const signcut::gui::ComparisonPoint>)
Q_DECLARE_METATYPE(std::shared_ptr<const signcut::gui::ComparisonFloors>)
