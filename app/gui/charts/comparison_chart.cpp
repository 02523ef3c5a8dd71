#include "charts/comparison_chart.h"

#include <QToolTip>
#include <QtCharts/QLegendMarker>
#include <QtCharts/QLineSeries>
#include <QtCharts/QLogValueAxis>
#include <QtCharts/QScatterSeries>

#include <algorithm>
#include <cmath>

#include "comparison_worker.h"
#include "methods/method.h"

namespace signcut::gui {
namespace {

// A log axis cannot show zero: exact fits are drawn at this floor.
constexpr double kSmallestDrawn = 1e-7;

QString qstring(std::string_view text) { return QString::fromUtf8(text.data(), qsizetype(text.size())); }

// The registry's entry for a method, or null for a floor or an unknown name.
const MethodInfo* registered(const QString& name) {
    for (const MethodInfo& info : method_registry())
        if (qstring(info.name) == name) return &info;
    return nullptr;
}

QColor method_colour(const QString& method) {
    const MethodInfo* info = registered(method);
    return info ? QColor(qstring(info->colour)) : QColor(Qt::darkGray);
}

// The tooltip of one point: what it used, its error and how far it is above the i.i.d. floor.
QString point_tooltip(const QString& method, const QPointF& point) {
    return QString("<b>%1</b>: %2 bits per entry, relative error %3<br>%4 bits above the i.i.d. Gaussian floor "
                   "(R + log₂ error)<br>%5")
        .arg(method)
        .arg(point.x(), 0, 'f', 3)
        .arg(point.y(), 0, 'g', 4)
        .arg(bits_above_iid_floor(point.x(), point.y()), 0, 'f', 2)
        .arg(comparison_description(method));
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
    if (const MethodInfo* info = registered(name)) return qstring(info->description);
    static const std::map<QString, QString> text{
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
    series.line = new QLineSeries;  // the method's curve: every point, asked for or not
    series.line->setPen(QPen(colour, 1.8));
    series.line->setPointsVisible(true);
    series.line->setMarkerSize(5);
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
        QToolTip::showText(QCursor::pos(), QString("At a budget of %1 bits per entry: ")
                                                   .arg(budget == s.budget_by_bits.end() ? 0.0 : budget->second) +
                                               point_tooltip(method, point) + "<br><i>click to see it</i>");
    });
    connect(series.line, &QLineSeries::hovered, this, [method](const QPointF& point, bool on) {
        if (!on) return QToolTip::hideText();
        QToolTip::showText(QCursor::pos(), "On the curve near " + point_tooltip(method, point));
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
    const QPointF drawn_point(point.bits_per_entry, drawn(point.relative_error));
    const auto by_bits = [](const QPointF& p, const QPointF& q) { return p.x() < q.x(); };
    QList<QPointF> curve = series.line->points();
    curve.insert(std::upper_bound(curve.begin(), curve.end(), drawn_point, by_bits), drawn_point);
    series.line->replace(curve);
    if (!point.on_curve) {  // the budgets asked for get the large markers (and can be picked)
        series.budget_by_bits[point.bits_per_entry] = point.budget;
        QList<QPointF> points = series.markers->points();
        points.insert(std::upper_bound(points.begin(), points.end(), drawn_point, by_bits), drawn_point);
        series.markers->replace(points);
    }
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
