#include "charts/comparison_chart.h"

#include <QToolTip>
#include <QtCharts/QLegendMarker>
#include <QtCharts/QLineSeries>
#include <QtCharts/QLogValueAxis>
#include <QtCharts/QScatterSeries>

#include <algorithm>
#include <cmath>

#include "comparison_worker.h"

namespace signcut::gui {
namespace {

// A log axis cannot show zero: exact fits are drawn at this floor.
constexpr double kSmallestDrawn = 1e-7;

QColor method_colour(const QString& method) {
    static const std::map<QString, QColor> colours{
        {"scd", QColor(0x1f, 0x77, 0xb4)},   {"scd-refit", QColor(0x17, 0xbe, 0xcf)}, {"dbf", QColor(0xd6, 0x27, 0x28)},
        {"kashin", QColor(0x94, 0x67, 0xbd)}, {"rtn", QColor(0xff, 0x7f, 0x0e)},      {"rotq", QColor(0x2c, 0xa0, 0x2c)},
        {"bf16", QColor(0x8c, 0x56, 0x4b)},   {"f16", QColor(0xe3, 0x77, 0xc2)},      {"svd", QColor(0xbc, 0xbd, 0x22)},
    };
    const auto found = colours.find(method);
    return found == colours.end() ? QColor(Qt::darkGray) : found->second;
}

struct FloorStyle {
    const char* name;
    const char* label;
    Qt::PenStyle pen;
    QColor colour;
};
const FloorStyle kFloors[] = {
    {"bound-iid", "floor: i.i.d. Gaussian", Qt::DotLine, QColor(0x60, 0x60, 0x60)},
    {"bound-waterfilling", "floor: water-filling", Qt::DashLine, QColor(0x20, 0x20, 0x20)},
    {"bound-universal", "universal codebook (+0.11 bit)", Qt::DashDotLine, QColor(0x90, 0x90, 0x90)},
};

double drawn(double error) { return std::max(error, kSmallestDrawn); }

}  // namespace

QString comparison_description(const QString& name) {
    static const std::map<QString, QString> text{
        {"scd", "Signed cuts: Σ c_j s_j ⊗ t_j with ±1 vectors, found greedily; w·(m+n) bits + w coefficients."},
        {"scd-refit", "The same signed cuts with all coefficients refitted by least squares: same bits, lower error."},
        {"dbf", "Double binary factorisation diag(a)·S1·diag(m)·S2·diag(b): two ±1 matrices with k middle columns, "
                "f16 scales; per colour channel."},
        {"kashin", "Kashin quantisation: X = U + Q1ᵀVQ2 with small ∞-norms, U and V stored with a few k-means "
                   "centroids each."},
        {"rtn", "Round to nearest int-b with one f16 absmax scale per row (the largest b that fits)."},
        {"rotq", "Random Hadamard rotation per row, then the Lloyd–Max quantiser for a Gaussian at b bits."},
        {"bf16", "Round every entry to bfloat16: 16 bits per entry."},
        {"f16", "Round every entry to IEEE half precision: 16 bits per entry."},
        {"svd", "Truncated SVD with bf16 factors: 16·k·(m+n) bits for rank k."},
        {"bound-iid", "Rate–distortion floor for i.i.d. Gaussian entries of the same energy: error 2^(−R). "
                      "No code at R bits per entry does better on such data."},
        {"bound-waterfilling", "Rate–distortion floor for Gaussian rows with this data's column covariance "
                               "(reverse water-filling over its eigenvalues): the best any codebook could do."},
        {"bound-universal", "Guarantee of the universal codebook (Harbuzova, Ordentlich, Polyanskiy 2026): one "
                            "codebook that does, for every covariance, as well as water-filling at 0.11 bit per "
                            "entry more. Its proof uses random Gaussian codebooks and is not constructive."},
    };
    const auto found = text.find(name);
    return found == text.end() ? name : found->second;
}

ComparisonChart::ComparisonChart(QWidget* parent) : QChartView(new QChart, parent) {  // owns it; setChart() would leak the default one
    QChart* chart = this->chart();
    chart->setTitle("Relative error ‖A − Â‖ / ‖A‖ against bits per entry, every method on the same data");
    chart->legend()->setAlignment(Qt::AlignRight);
    chart->setMargins(QMargins(4, 4, 4, 4));
    setRenderHint(QPainter::Antialiasing);

    bits_axis_ = new QLogValueAxis;
    bits_axis_->setBase(2);
    bits_axis_->setTitleText("bits per entry (everything stored: signs, scales, headers)");
    bits_axis_->setLabelFormat("%g");
    bits_axis_->setMinorTickCount(-1);
    error_axis_ = new QLogValueAxis;
    error_axis_->setBase(10);
    error_axis_->setTitleText("relative error");
    error_axis_->setLabelFormat("%.0e");
    error_axis_->setMinorTickCount(-1);
    chart->addAxis(bits_axis_, Qt::AlignBottom);
    chart->addAxis(error_axis_, Qt::AlignLeft);

    for (const FloorStyle& style : kFloors) {
        auto* series = new QLineSeries;
        series->setName(style.label);
        series->setPen(QPen(style.colour, 1.6, style.pen));
        chart->addSeries(series);
        series->attachAxis(bits_axis_);
        series->attachAxis(error_axis_);
        const QString name = style.name;
        connect(series, &QLineSeries::hovered, this, [name](const QPointF& point, bool on) {
            if (!on) return QToolTip::hideText();
            QToolTip::showText(QCursor::pos(), QString("<b>%1</b><br>%2 bits per entry: %3")
                                                   .arg(name, QString::number(point.x(), 'g', 3))
                                                   .arg(point.y(), 0, 'g', 3) +
                                                   "<br>" + comparison_description(name));
        });
        floors_[name] = series;
    }

    picked_ = new QScatterSeries;
    picked_->setName("picked");
    picked_->setMarkerSize(20);
    picked_->setColor(Qt::transparent);
    picked_->setBorderColor(Qt::black);
    picked_->setPen(QPen(Qt::black, 2));
    chart->addSeries(picked_);
    picked_->attachAxis(bits_axis_);
    picked_->attachAxis(error_axis_);
    if (auto* marker = chart->legend()->markers(picked_).value(0)) marker->setVisible(false);
    reset({1, 2, 4, 8, 16});
}

void ComparisonChart::reset(const std::vector<double>& budgets) {
    for (auto& [name, series] : methods_) {
        chart()->removeSeries(series.line);
        chart()->removeSeries(series.markers);
        delete series.line;
        delete series.markers;
    }
    methods_.clear();
    for (auto& [name, series] : floors_) series->clear();
    picked_->clear();
    const auto [lo, hi] = std::minmax_element(budgets.begin(), budgets.end());
    const double low = budgets.empty() ? 1.0 : *lo, high = budgets.empty() ? 16.0 : *hi;
    largest_budget_ = high;
    bits_axis_->setRange(std::pow(2.0, std::floor(std::log2(low * 0.7))), std::pow(2.0, std::ceil(std::log2(high * 1.3))));
    smallest_error_ = smallest_floor_ = 1.0;
    update_error_range();
}

ComparisonChart::MethodSeries& ComparisonChart::series_for(const QString& method) {
    auto found = methods_.find(method);
    if (found != methods_.end()) return found->second;
    MethodSeries& series = methods_[method];
    const QColor colour = method_colour(method);
    series.line = new QLineSeries;
    series.line->setPen(QPen(colour, 1.8));
    series.markers = new QScatterSeries;
    series.markers->setName(method);
    series.markers->setColor(colour);
    series.markers->setBorderColor(Qt::white);
    series.markers->setMarkerSize(method == "scd" ? 12 : 10);
    if (method == "scd-refit") series.markers->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
    for (QXYSeries* s : {static_cast<QXYSeries*>(series.line), static_cast<QXYSeries*>(series.markers)}) {
        chart()->addSeries(s);
        s->attachAxis(bits_axis_);
        s->attachAxis(error_axis_);
    }
    if (auto* marker = chart()->legend()->markers(series.line).value(0)) marker->setVisible(false);
    connect(series.markers, &QScatterSeries::hovered, this, [this, method](const QPointF& point, bool on) {
        if (!on) return QToolTip::hideText();
        const MethodSeries& s = methods_[method];
        const auto budget = s.budget_by_bits.find(point.x());
        QToolTip::showText(QCursor::pos(), QString("<b>%1</b> at a budget of %2 bits per entry<br>"
                                                   "uses %3 bits per entry, relative error %4<br>%5<br><i>click to see it</i>")
                                               .arg(method)
                                               .arg(budget == s.budget_by_bits.end() ? 0.0 : budget->second)
                                               .arg(point.x(), 0, 'f', 3)
                                               .arg(point.y(), 0, 'g', 4)
                                               .arg(comparison_description(method)));
    });
    connect(series.markers, &QScatterSeries::clicked, this, [this, method](const QPointF& point) {
        const MethodSeries& s = methods_[method];
        // The click position is near, not on, a point: take the nearest in log-bits.
        auto best = s.budget_by_bits.end();
        double distance = 1e300;
        for (auto it = s.budget_by_bits.begin(); it != s.budget_by_bits.end(); ++it) {
            const double d = std::abs(std::log2(it->first) - std::log2(std::max(point.x(), 1e-9)));
            if (d < distance) distance = d, best = it;
        }
        if (best != s.budget_by_bits.end()) Q_EMIT point_picked(method, best->second);
    });
    return series;
}

void ComparisonChart::add_point(const ComparisonPoint& point) {
    if (!point.met_budget) return;
    MethodSeries& series = series_for(point.method);
    series.budget_by_bits[point.bits_per_entry] = point.budget;
    QList<QPointF> points = series.markers->points();
    points.append(QPointF(point.bits_per_entry, drawn(point.relative_error)));
    std::sort(points.begin(), points.end(), [](const QPointF& p, const QPointF& q) { return p.x() < q.x(); });
    series.markers->replace(points);
    series.line->replace(points);
    smallest_error_ = std::min(smallest_error_, drawn(point.relative_error));
    update_error_range();
}

void ComparisonChart::set_floors(const ComparisonFloors& floors) {
    const std::vector<double>* curves[] = {&floors.iid, &floors.waterfilling, &floors.universal};
    for (std::size_t f = 0; f < std::size(kFloors); ++f) {
        QList<QPointF> points;
        for (std::size_t i = 0; i < floors.bits.size(); ++i)
            if ((*curves[f])[i] > 0) points.append(QPointF(floors.bits[i], drawn((*curves[f])[i])));
        floors_[kFloors[f].name]->replace(points);
        for (const QPointF& p : points)
            if (p.x() <= largest_budget_ * 1.01) smallest_floor_ = std::min(smallest_floor_, p.y());
    }
    update_error_range();
}

void ComparisonChart::set_picked(const QString& method, double budget) {
    picked_->clear();
    const auto found = methods_.find(method);
    if (found == methods_.end()) return;
    for (const auto& [bits, asked] : found->second.budget_by_bits)
        if (asked == budget)
            for (const QPointF& p : found->second.markers->points())
                if (p.x() == bits) picked_->append(p);
}

QList<QPointF> ComparisonChart::method_points(const QString& method) const {
    const auto found = methods_.find(method);
    return found == methods_.end() ? QList<QPointF>{} : found->second.markers->points();
}

QList<QPointF> ComparisonChart::floor_points(const QString& name) const {
    const auto found = floors_.find(name);
    return found == floors_.end() ? QList<QPointF>{} : found->second->points();
}

void ComparisonChart::update_error_range() {
    // The methods' points and the floors up to the largest budget are shown; beyond it the
    // floors fall on and are cut off at the bottom.
    const double smallest = std::min(smallest_error_, smallest_floor_);
    const double bottom = std::pow(10.0, std::floor(std::log10(smallest * 0.5)));
    error_axis_->setRange(std::min(bottom, 1e-2), 1.5);
}

}  // namespace signcut::gui
