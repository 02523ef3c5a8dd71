#include "comparison_worker.h"

#include <QElapsedTimer>

#include <algorithm>
#include <cmath>

#include "methods/image_quality.h"
#include "methods/rate_distortion.h"
#include "methods/universality.h"

namespace signcut::gui {

std::vector<double> floor_sample_bits() {
    std::vector<double> bits;
    for (int i = -16; i <= 40; ++i) bits.push_back(std::pow(2.0, i / 8.0));  // 2^-2 … 2^5
    return bits;
}

void ComparisonWorker::run(std::shared_ptr<const ComparisonJob> job) {
    if (stale(job->id)) {
        Q_EMIT finished(job->id);
        return;
    }
    const Tensor& a = *job->input;
    try {
        auto floors = std::make_shared<ComparisonFloors>();
        floors->job = job->id;
        floors->bits = floor_sample_bits();
        const WaterFillingFloor waterfilling(a);
        for (double bits : floors->bits) {
            floors->iid.push_back(iid_gaussian_floor(bits));
            floors->waterfilling.push_back(waterfilling.relative_error(bits));
            floors->universal.push_back(waterfilling.universal_guarantee(bits));
        }
        Q_EMIT floors_ready(std::move(floors));
    } catch (const std::exception&) {
        // The floors are a guide only; the methods still run.
    }
    for (const PlannedPoint& planned : comparison_plan(*job)) {
        if (stale(job->id)) break;
        run_point(*job, planned.method, planned.budget, planned.on_curve);
    }
    if (job->methods.contains("tcq") && !stale(job->id)) {
        try {
            QStringList parts;
            for (const UniversalityCase& c : one_code_for_all(a, "tcq", 2.0, job->seed))
                parts << QString("%1: %2 (%3%4 bit)")
                             .arg(QString::fromStdString(c.data))
                             .arg(c.relative_error, 0, 'f', 3)
                             .arg(c.bits_above_iid_floor >= 0 ? "+" : "")
                             .arg(c.bits_above_iid_floor, 0, 'f', 2);
            Q_EMIT universality_ready(job->id,
                                      "<b>One code for all</b> — tcq at 2 bits per entry, error "
                                      "(bits above the i.i.d. Gaussian floor): " +
                                          parts.join(" · "));
        } catch (const std::exception&) {
            // A guide only, like the floors.
        }
    }
    Q_EMIT finished(job->id);
}

std::vector<PlannedPoint> comparison_plan(const ComparisonJob& job) {
    // Budgets outermost: the cheap low-bit points of every method arrive first; then the curves
    // between them, method by method.
    std::vector<PlannedPoint> plan;
    for (double budget : job.budgets)
        for (const QString& method : job.methods) plan.push_back({method, budget, false});
    if (!job.curves || job.budgets.empty()) return plan;
    const auto [lowest, highest] = std::minmax_element(job.budgets.begin(), job.budgets.end());
    for (const QString& method : job.methods) {
        const double minimum = find_method(method.toStdString()).minimum_bits_per_entry(job.input->shape());
        for (double budget : curve_budgets(std::max(*lowest, minimum), *highest))
            if (std::find(job.budgets.begin(), job.budgets.end(), budget) == job.budgets.end())
                plan.push_back({method, budget, true});
    }
    return plan;
}

void ComparisonWorker::run_point(const ComparisonJob& job, const QString& method, double budget, bool on_curve) {
    const Tensor& a = *job.input;
    auto point = std::make_shared<ComparisonPoint>();
    point->job = job.id;
    point->method = method;
    point->budget = budget;
    point->on_curve = on_curve;
    QElapsedTimer timer;
    timer.start();
    try {
        Approximation result = approximate(method.toStdString(), a, budget, job.seed);
        point->met_budget = result.met_budget;
        point->note = QString::fromStdString(result.note);
        if (result.met_budget) {
            point->bits_per_entry = double(result.bits) / double(a.size());
            point->relative_error = relative_error(a, result.reconstruction);
            point->bits_above_iid_floor = bits_above_iid_floor(point->bits_per_entry, point->relative_error);
            if (const std::optional<ImageQuality> quality = image_quality(a, result.reconstruction)) {
                point->psnr_db = quality->psnr_db;
                point->ssim = quality->ssim;
            }
            point->reconstruction = std::make_shared<const Tensor>(std::move(result.reconstruction));
        }
    } catch (const std::exception& error) {
        point->met_budget = false;
        point->note = QString::fromUtf8(error.what());
    }
    point->seconds = double(timer.nsecsElapsed()) * 1e-9;
    Q_EMIT point_ready(std::move(point));
}

}  // namespace signcut::gui
