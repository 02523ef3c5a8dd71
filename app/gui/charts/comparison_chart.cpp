#include "charts/comparison_chart.h"

#include <QCoreApplication>
#include <QtCharts/QLegendMarker>
#include <QtCharts/QLineSeries>
#include <QtCharts/QLogValueAxis>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QValueAxis>

#include <algorithm>
#include <cmath>

#include "comparison_worker.h"
#include "methods/method.h"
#include "methods/rate_distortion.h"

namespace signcut::gui {
namespace {

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

// How each floor of floor_table() is drawn, in its order.
struct FloorStyle {
    Qt::PenStyle pen;
    QColor colour;
};
const FloorStyle kFloorStyles[] = {
    {Qt::DotLine, QColor(0x60, 0x60, 0x60)},
    {Qt::DashLine, QColor(0x20, 0x20, 0x20)},
    {Qt::DashDotLine, QColor(0x90, 0x90, 0x90)},
};
static_assert(std::size(kFloorStyles) == std::tuple_size_v<std::decay_t<decltype(floor_table())>>);

// The axis range [low, high] rounded outwards to multiples of `step`.
std::pair<double, double> rounded_range(double low, double high, double step) {
    return {std::floor(low / step) * step, std::ceil(high / step) * step};
}

}  // namespace

QString comparison_description(const QString& name) {
    if (const MethodInfo* info = registered(name)) return qstring(info->description);
    for (const FloorInfo& floor : floor_table())
        if (name == qstring(floor.name)) return qstring(floor.description);
    return name;
}

QString measure_title(ComparisonMeasure measure) {
    switch (measure) {
        case ComparisonMeasure::relative_error:
            return QCoreApplication::translate("ComparisonChart", "relative error");
        case ComparisonMeasure::psnr:
            return QCoreApplication::translate("ComparisonChart", "PSNR (dB)");
        case ComparisonMeasure::ssim:
            return QCoreApplication::translate("ComparisonChart", "SSIM (luminance)");
    }
    return {};
}

ComparisonChart::ComparisonChart(QWidget* parent) : ChartView(4, parent) {
    QChart* chart = this->chart();
    bits_axis_ = make_log_axis(2, "bits per entry (everything stored: signs, scales, headers)", "%g");
    error_axis_ = make_log_axis(10, measure_title(ComparisonMeasure::relative_error), "%.0e");
    value_axis_ = new QValueAxis;
    value_axis_->setVisible(false);
    chart->addAxis(bits_axis_, Qt::AlignBottom);
    chart->addAxis(error_axis_, Qt::AlignLeft);
    chart->addAxis(value_axis_, Qt::AlignLeft);

    for (std::size_t f = 0; f < floor_table().size(); ++f) {
        const FloorStyle& style = kFloorStyles[f];
        auto* series = new QLineSeries;
        series->setName(qstring(floor_table()[f].label));
        series->setPen(QPen(style.colour, 1.6, style.pen));
        chart->addSeries(series);
        series->attachAxis(bits_axis_);
        series->attachAxis(error_axis_);  // relative errors: shown with that measure only
        const QString name = qstring(floor_table()[f].name);
        tooltip_on_hover(series, [name](const QPointF& point) {
            return tr("<b>%1</b><br>%2 bits per entry: %3")
                       .arg(name, QString::number(point.x(), 'g', 3))
                       .arg(point.y(), 0, 'g', 3) +
                   "<br>" + comparison_description(name);
        });
        floors_[name] = series;
        toggle_on_legend_click(series, name);
    }

    picked_ = new QScatterSeries;
    picked_->setName(tr("picked"));
    picked_->setMarkerSize(20);
    picked_->setColor(Qt::transparent);
    picked_->setBorderColor(Qt::black);
    picked_->setPen(QPen(Qt::black, 2));
    chart->addSeries(picked_);
    picked_->attachAxis(bits_axis_);
    picked_->attachAxis(error_axis_);
    if (auto* marker = chart->legend()->markers(picked_).value(0)) marker->setVisible(false);
    set_measure(ComparisonMeasure::relative_error);
    reset({1, 2, 4, 8, 16});
}

std::vector<QXYSeries*> ComparisonChart::MethodSeries::all() const { return {line, between, markers, exact}; }

void ComparisonChart::reset(const std::vector<double>& budgets) {
    for (auto& [name, series] : methods_)
        for (QXYSeries* s : series.all()) {
            chart()->removeSeries(s);
            delete s;
        }
    methods_.clear();
    for (auto& [name, series] : floors_) series->clear();
    picked_->clear();
    const auto [lo, hi] = std::minmax_element(budgets.begin(), budgets.end());
    const double low = budgets.empty() ? 1.0 : *lo, high = budgets.empty() ? 16.0 : *hi;
    largest_budget_ = high;
    bits_axis_->setRange(std::pow(2.0, std::floor(std::log2(low * 0.7))),
                         std::pow(2.0, std::ceil(std::log2(high * 1.3))));
    smallest_floor_ = 1.0;
    update_y_range();
}

QString ComparisonChart::point_tooltip(const QString& method, double bits) const {
    const auto found = methods_.find(method);
    if (found == methods_.end()) return method;
    const auto point = std::min_element(
        found->second.points.begin(), found->second.points.end(),
        [bits](const Measured& p, const Measured& q) { return std::abs(p.bits - bits) < std::abs(q.bits - bits); });
    if (point == found->second.points.end()) return method;
    QString text = tr("<b>%1</b> at a budget of %2: %3 bits per entry, relative error %4")
                       .arg(method)
                       .arg(point->budget)
                       .arg(point->bits, 0, 'f', 3)
                       .arg(point->error, 0, 'g', 4);
    if (point->error > 0)
        text += tr("<br>%1 bits above the i.i.d. Gaussian floor (R + log₂ error)")
                    .arg(bits_above_iid_floor(point->bits, point->error), 0, 'f', 2);
    if (point->psnr_db)
        text += "<br>PSNR " + (std::isinf(*point->psnr_db) ? tr("∞ (an exact copy)")
                                                           : QString::number(*point->psnr_db, 'f', 2) + " dB");
    if (point->ssim) text += tr(", SSIM %1").arg(*point->ssim, 0, 'f', 4);
    return text + "<br>" + comparison_description(method);
}

ComparisonChart::MethodSeries& ComparisonChart::series_for(const QString& method) {
    auto found = methods_.find(method);
    if (found != methods_.end()) return found->second;
    MethodSeries& series = methods_[method];
    const QColor colour = method_colour(method);
    const auto shape = QScatterSeries::MarkerShape(marker_shape(method));
    series.line = new QLineSeries;  // the method's curve through every point, asked for or not
    series.line->setPen(QPen(colour, 1.8));
    series.between = new QScatterSeries;
    series.between->setColor(colour);
    series.between->setBorderColor(colour);
    series.between->setMarkerShape(shape);
    series.between->setMarkerSize(6);
    series.markers = new QScatterSeries;
    series.markers->setName(method);
    series.markers->setColor(colour);
    series.markers->setBorderColor(Qt::white);
    series.markers->setMarkerShape(shape);
    // Well above the curve's points; every other method a little smaller, so that one drawn over
    // another leaves its rim visible.
    series.markers->setMarkerSize(shape % 2 ? 13 : 15);
    series.exact = new QLineSeries;  // error 0 is off a log axis and PSNR ∞ off any: a vertical line instead
    series.exact->setName(method + ": exact");
    series.exact->setPen(QPen(colour, 2.0, Qt::DashLine));
    QAbstractAxis* y_axis =
        measure_ == ComparisonMeasure::relative_error ? static_cast<QAbstractAxis*>(error_axis_) : value_axis_;
    for (QXYSeries* s : series.all()) {
        chart()->addSeries(s);
        s->attachAxis(bits_axis_);
        s->attachAxis(y_axis);
    }
    for (QXYSeries* s : {static_cast<QXYSeries*>(series.line), static_cast<QXYSeries*>(series.between),
                         static_cast<QXYSeries*>(series.exact)})
        if (auto* marker = chart()->legend()->markers(s).value(0)) marker->setVisible(false);
    toggle_on_legend_click(series.markers, method);
    toggle_on_legend_click(series.exact, method);
    if (hidden_.count(method))
        for (QXYSeries* s : series.all()) s->setVisible(false);
    tooltip_on_hover(series.markers, [this, method](const QPointF& point) {
        return point_tooltip(method, point.x()) + "<br><i>click to see it</i>";
    });
    for (QXYSeries* s : {static_cast<QXYSeries*>(series.line), static_cast<QXYSeries*>(series.between)})
        tooltip_on_hover(s, [this, method](const QPointF& point) {
            return "On the curve near " + point_tooltip(method, point.x());
        });
    tooltip_on_hover(series.exact, [this, method](const QPointF& point) {
        return "Exact (error 0, PSNR ∞, SSIM 1) from here: " + point_tooltip(method, point.x());
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

bool ComparisonChart::is_exact(const Measured& point) const {
    return point.error == 0 && measure_ != ComparisonMeasure::ssim;
}

std::optional<double> ComparisonChart::y_of(const Measured& point) const {
    if (is_exact(point)) return std::nullopt;
    switch (measure_) {
        case ComparisonMeasure::relative_error:
            return point.error;
        case ComparisonMeasure::psnr:
            return point.psnr_db;
        case ComparisonMeasure::ssim:
            return point.ssim;
    }
    return std::nullopt;
}

void ComparisonChart::redraw(MethodSeries& series) {
    QList<QPointF> curve, between, markers;
    for (const Measured& p : series.points)  // kept sorted by bits
        if (const std::optional<double> y = y_of(p)) {
            curve.append(QPointF(p.bits, *y));
            (p.on_curve ? between : markers).append(QPointF(p.bits, *y));  // the budgets asked for: large
        }
    series.line->replace(curve);
    series.between->replace(between);
    series.markers->replace(markers);
    // A method with only exact copies (png) is named by its "exact" line alone.
    if (auto* marker = chart()->legend()->markers(series.markers).value(0)) marker->setVisible(!markers.isEmpty());
}

void ComparisonChart::add_point(const ComparisonPoint& point) {
    if (!point.met_budget) return;
    MethodSeries& series = series_for(point.method);
    const Measured measured{point.bits_per_entry, point.budget,  point.on_curve,
                            point.relative_error, point.psnr_db, point.ssim};
    series.points.insert(std::upper_bound(series.points.begin(), series.points.end(), measured,
                                          [](const Measured& p, const Measured& q) { return p.bits < q.bits; }),
                         measured);
    if (!point.on_curve) series.budget_by_bits[point.bits_per_entry] = point.budget;  // can be picked
    redraw(series);
    update_y_range();
}

void ComparisonChart::set_floors(const ComparisonFloors& floors) {
    for (std::size_t f = 0; f < floor_table().size(); ++f) {
        QList<QPointF> points;
        for (std::size_t i = 0; i < floors.bits.size(); ++i)
            if (floors.errors[f][i] > 0) points.append(QPointF(floors.bits[i], floors.errors[f][i]));
        floors_[qstring(floor_table()[f].name)]->replace(points);
        for (const QPointF& p : points)
            if (p.x() <= largest_budget_ * 1.01) smallest_floor_ = std::min(smallest_floor_, p.y());
    }
    update_y_range();
}

void ComparisonChart::set_picked(const QString& method, double budget) {
    picked_->clear();
    const auto found = methods_.find(method);
    if (found == methods_.end()) return;
    for (const Measured& p : found->second.points)
        if (!p.on_curve && p.budget == budget)
            if (const std::optional<double> y = y_of(p)) picked_->append(QPointF(p.bits, *y));
}

void ComparisonChart::set_measure(ComparisonMeasure measure) {
    const bool error = measure == ComparisonMeasure::relative_error;
    QAbstractAxis* from =
        measure_ == ComparisonMeasure::relative_error ? static_cast<QAbstractAxis*>(error_axis_) : value_axis_;
    QAbstractAxis* to = error ? static_cast<QAbstractAxis*>(error_axis_) : value_axis_;
    measure_ = measure;
    set_title(error ? "Relative error ‖A − Â‖ / ‖A‖ against bits per entry, every method on the same data"
                            : measure_title(measure) +
                                  " of the decoded picture against bits per entry, every method on the same picture");
    value_axis_->setTitleText(measure_title(measure));
    value_axis_->setLabelFormat(measure == ComparisonMeasure::psnr ? "%.0f" : "%.2f");
    if (from != to) {
        std::vector<QXYSeries*> moved = {picked_};
        for (auto& [name, series] : methods_)
            for (QXYSeries* s : series.all()) moved.push_back(s);
        for (QXYSeries* s : moved) {
            s->detachAxis(from);
            s->attachAxis(to);
        }
        error_axis_->setVisible(error);
        value_axis_->setVisible(!error);
    }
    for (auto& [name, series] : floors_) {
        series->setVisible(error && !hidden_.count(name));  // Gaussian floors of the relative error
        show_legend_entry(series, error, hidden_.count(name) > 0);
    }
    for (auto& [name, series] : methods_) redraw(series);
    update_y_range();
}

QList<QPointF> ComparisonChart::method_points(const QString& method) const {
    const auto found = methods_.find(method);
    return found == methods_.end() ? QList<QPointF>{} : found->second.markers->points();
}

std::optional<double> ComparisonChart::exact_bits(const QString& method) const {
    const auto found = methods_.find(method);
    if (found == methods_.end()) return std::nullopt;
    for (const Measured& p : found->second.points)
        if (is_exact(p)) return p.bits;  // sorted: the fewest bits
    return std::nullopt;
}

QList<QPointF> ComparisonChart::floor_points(const QString& name) const {
    const auto found = floors_.find(name);
    return found == floors_.end() ? QList<QPointF>{} : found->second->points();
}

void ComparisonChart::update_y_range() {
    double low = std::numeric_limits<double>::infinity(), high = -low;
    for (const auto& [name, series] : methods_)
        for (const QPointF& p : series.line->points()) low = std::min(low, p.y()), high = std::max(high, p.y());
    double bottom = 0, top = 1;
    switch (measure_) {
        case ComparisonMeasure::relative_error: {
            // The methods' points and the floors up to the largest budget are shown; beyond it the
            // floors fall on and are cut off at the bottom.
            const double smallest = std::min(std::min(low, 1.0), smallest_floor_);
            bottom = std::min(std::pow(10.0, std::floor(std::log10(smallest * 0.5))), 1e-2), top = 1.5;
            error_axis_->setRange(bottom, top);
            break;
        }
        case ComparisonMeasure::psnr:  // a tick every 5 dB
            std::tie(bottom, top) = low <= high ? rounded_range(low - 1, high + 1, 5) : std::pair(10.0, 50.0);
            value_axis_->setRange(bottom, top);
            value_axis_->setTickCount(int(std::lround((top - bottom) / 5)) + 1);
            break;
        case ComparisonMeasure::ssim:  // a tick every 0.1 (0.05 when close to 1)
            bottom = low <= high ? std::min(rounded_range(low - 0.02, 1, 0.1).first, 0.9) : 0.0;
            value_axis_->setRange(bottom, top);
            value_axis_->setTickCount(int(std::lround((top - bottom) / (bottom >= 0.7 ? 0.05 : 0.1))) + 1);
            break;
    }
    for (auto& [name, series] : methods_) {
        const std::optional<double> bits = exact_bits(name);
        series.exact->replace(bits ? QList<QPointF>{{*bits, bottom}, {*bits, top}} : QList<QPointF>{});
        if (auto* marker = chart()->legend()->markers(series.exact).value(0)) marker->setVisible(bits.has_value());
    }
}

int ComparisonChart::marker_shape(const QString& method) const {
    // Chosen, not cycled: signed cuts alone are circles, and neighbours in colour differ in shape
    // (scd-refit cyan / tcq magenta squares, dbf red / bf16 brown triangles, rtn orange / f16 pink /
    // webp teal pentagons, rotq green / jpeg mustard stars, kashin purple / svd olive diamonds).
    using S = QScatterSeries;
    static const std::map<QString, S::MarkerShape> shapes = {
        {"scd", S::MarkerShapeCircle},
        {"scd-refit", S::MarkerShapeRectangle},
        {"tcq", S::MarkerShapeRectangle},
        {"png", S::MarkerShapeRectangle},
        {"dbf", S::MarkerShapeTriangle},
        {"bf16", S::MarkerShapeTriangle},
        {"kashin", S::MarkerShapeRotatedRectangle},
        {"svd", S::MarkerShapeRotatedRectangle},
        {"rtn", S::MarkerShapePentagon},
        {"f16", S::MarkerShapePentagon},
        {"webp", S::MarkerShapePentagon},
        {"rotq", S::MarkerShapeStar},
        {"jpeg", S::MarkerShapeStar},
    };
    const auto found = shapes.find(method);
    return found == shapes.end() ? S::MarkerShapeRotatedRectangle : found->second;
}

void ComparisonChart::toggle_on_legend_click(QAbstractSeries* series, const QString& name) {
    if (auto* marker = chart()->legend()->markers(series).value(0)) {
        connect(marker, &QLegendMarker::clicked, this, [this, name] { set_hidden(name, !is_hidden(name)); });
        marker->setShape(QLegend::MarkerShapeFromSeries);
    }
}

void ComparisonChart::show_legend_entry(QAbstractSeries* series, bool shown, bool dimmed) {
    QLegendMarker* marker = chart()->legend()->markers(series).value(0);
    if (!marker) return;
    marker->setVisible(shown);  // hiding a series hides its entry: a hidden one stays, dimmed
    QColor text = palette().color(QPalette::WindowText);
    if (dimmed) text.setAlphaF(0.35);
    marker->setLabelBrush(text);
}

void ComparisonChart::set_hidden(const QString& name, bool hidden) {
    if (hidden) hidden_.insert(name);
    else hidden_.erase(name);
    if (const auto floor = floors_.find(name); floor != floors_.end()) {
        const bool error = measure_ == ComparisonMeasure::relative_error;
        floor->second->setVisible(error && !hidden);
        show_legend_entry(floor->second, error, hidden);
        return;
    }
    const auto found = methods_.find(name);
    if (found == methods_.end()) return;
    MethodSeries& series = found->second;
    for (QXYSeries* s : series.all()) s->setVisible(!hidden);
    show_legend_entry(series.line, false, hidden);
    show_legend_entry(series.between, false, hidden);
    show_legend_entry(series.markers, !series.markers->points().isEmpty(), hidden);
    show_legend_entry(series.exact, exact_bits(name).has_value(), hidden);
}

}  // namespace signcut::gui
