#include "comparison_worker.h"

#include <cmath>

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
            const std::array<double, 3> errors = floor_errors(waterfilling, bits);
            for (std::size_t f = 0; f < errors.size(); ++f) floors->errors[f].push_back(errors[f]);
        }
        Q_EMIT floors_ready(std::move(floors));
    } catch (const std::exception&) {
        // The floors are a guide only; the methods still run.
    }
    for (const PlannedPoint& planned : comparison_plan(*job)) {
        if (stale(job->id)) break;
        run_point(*job, planned);
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

ComparisonRequest comparison_request(const ComparisonJob& job) {
    ComparisonRequest request;
    for (const QString& method : job.methods) request.methods.push_back(method.toStdString());
    request.budgets = job.budgets;
    request.curves = job.curves;
    request.options.seed = job.seed;
    return request;
}

void ComparisonWorker::run_point(const ComparisonJob& job, const PlannedPoint& planned) {
    MeasuredPoint measured = measure_point(*job.input, planned, comparison_request(job).options);
    const ComparisonRow& row = measured.row;
    auto point = std::make_shared<ComparisonPoint>();
    point->job = job.id;
    point->method = QString::fromStdString(row.method);
    point->budget = row.budget;
    point->on_curve = row.on_curve;
    point->met_budget = measured.approximation.met_budget;
    point->note = QString::fromStdString(row.note);
    point->seconds = row.seconds;
    if (point->met_budget) {
        point->bits_per_entry = *row.bits_per_entry;
        point->relative_error = *row.relative_error;
        point->bits_above_iid_floor = bits_above_iid_floor(point->bits_per_entry, point->relative_error);
        if (row.quality) {
            point->psnr_db = row.quality->psnr_db;
            point->ssim = row.quality->ssim;
        }
        point->reconstruction = std::make_shared<const Tensor>(std::move(measured.approximation.reconstruction));
    }
    Q_EMIT point_ready(std::move(point));
}

}  // namespace signcut::gui
