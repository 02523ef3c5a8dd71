#include "comparison_worker.h"

#include <QElapsedTimer>

#include <cmath>

#include "methods/rate_distortion.h"

namespace signcut::gui {

std::vector<double> floor_sample_bits() {
    std::vector<double> bits;
    for (int i = -16; i <= 40; ++i) bits.push_back(std::pow(2.0, i / 8.0));  // 2^-2 … 2^5
    return bits;
}

void ComparisonWorker::run(std::shared_ptr<const ComparisonJob> job) {
    if (stale(job->id)) return;
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
    // Budgets outermost: the cheap low-bit points of every method arrive first.
    for (double budget : job->budgets) {
        for (const QString& method : job->methods) {
            if (stale(job->id)) return;
            auto point = std::make_shared<ComparisonPoint>();
            point->job = job->id;
            point->method = method;
            point->budget = budget;
            QElapsedTimer timer;
            timer.start();
            try {
                Approximation result = approximate(method.toStdString(), a, budget, job->seed);
                point->met_budget = result.met_budget;
                point->note = QString::fromStdString(result.note);
                if (result.met_budget) {
                    point->bits_per_entry = double(result.bits) / double(a.size());
                    point->relative_error = relative_error(a, result.reconstruction);
                    point->reconstruction = std::make_shared<const Tensor>(std::move(result.reconstruction));
                }
            } catch (const std::exception& error) {
                point->met_budget = false;
                point->note = QString::fromUtf8(error.what());
            }
            point->seconds = double(timer.nsecsElapsed()) * 1e-9;
            Q_EMIT point_ready(std::move(point));
        }
    }
    Q_EMIT finished(job->id);
}

}  // namespace signcut::gui
