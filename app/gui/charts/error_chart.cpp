#include "charts/error_chart.h"

#include <QMouseEvent>
#include <QtCharts/QLegendMarker>
#include <QtCharts/QLineSeries>
#include <QtCharts/QLogValueAxis>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QValueAxis>

#include <algorithm>
#include <cmath>

#include "snapshot.h"

namespace signcut::gui {
namespace {

constexpr std::size_t kMaxCurvePoints = 2000;

struct Marker {
    const char* name;
    double bits;
    QColor colour;
};
const Marker kMarkers[] = {
    {"int4 memory", 4, QColor(0x2c, 0xa0, 0x2c)},
    {"int8 memory", 8, QColor(0xff, 0x7f, 0x0e)},
    {"bf16 / f16 memory", 16, QColor(0x94, 0x67, 0xbd)},
    {"f32 memory", 32, QColor(0x7f, 0x7f, 0x7f)},
};

// The curve of a snapshot in about kMaxCurvePoints: every width of the first half of them (what
// a log width axis spreads out), then evenly spaced ones.
QList<QPointF> curve_of(const Snapshot& snapshot) {
    const std::size_t width = snapshot.width(), every = kMaxCurvePoints / 2;
    const std::size_t stride = std::max<std::size_t>(1, width / every);
    QList<QPointF> points;
    points.reserve(qsizetype(kMaxCurvePoints + 2));
    for (std::size_t w = 0; w <= width; w = w < every ? w + 1 : w + stride)
        points.append(QPointF(double(w), snapshot.relative_error(w)));
    if (points.back().x() != double(width)) points.append(QPointF(double(width), snapshot.relative_error(width)));
    return points;
}

}  // namespace

ErrorChart::ErrorChart(QWidget* parent) : ChartView(2, parent) {
    QChart* chart = this->chart();
    set_title(tr("Relative error ‖A − Â_w‖ / ‖A‖ against width w"));
    setMouseTracking(true);

    width_axis_ = new QValueAxis;
    width_axis_->setTitleText(tr("width w (cuts)"));
    set_round_ticks(width_axis_, 0, 1, 1.0);  // empty: 0 and 1, not 0.2 steps printed as integers
    log_width_axis_ = make_log_axis(10, QString(), "%g");
    log_width_axis_->setParent(this);  // ours while not on the chart (the chart owns the axes it shows)
    bits_axis_ = new QValueAxis;
    bits_axis_->setTitleText(tr("bits per entry"));
    set_round_ticks(bits_axis_, 0, 1);
    // Over log w the bits of the cuts alone, w · (bits per cut), line up with w; the header's do not.
    log_bits_axis_ = make_log_axis(10, tr("bits per entry in the cuts (without the header)"), "%g");
    log_bits_axis_->setParent(this);  // ours while not on the chart
    error_axis_ = make_log_axis(10, "relative error", "%.0e");
    chart->addAxis(width_axis_, Qt::AlignBottom);
    chart->addAxis(bits_axis_, Qt::AlignTop);
    chart->addAxis(error_axis_, Qt::AlignLeft);

    curve_ = new QLineSeries;
    curve_->setName(tr("signed cuts"));
    curve_->setPen(QPen(QColor(0x1f, 0x77, 0xb4), 2));
    chart->addSeries(curve_);
    curve_->attachAxis(width_axis_);
    curve_->attachAxis(error_axis_);

    reference_ = new QLineSeries;
    reference_->setName(tr("plain cuts (no outliers apart)"));
    reference_->setPen(QPen(QColor(0x55, 0x55, 0x55), 2, Qt::DashLine));
    reference_->setParent(this);  // on the chart only while it has a curve (set_reference_curve)

    for (const Marker& m : kMarkers) {
        auto* series = new QLineSeries;
        series->setName(m.name);
        QPen pen(m.colour, 1.5, Qt::DashLine);
        series->setPen(pen);
        chart->addSeries(series);
        series->attachAxis(width_axis_);
        series->attachAxis(error_axis_);
        markers_.push_back(series);
    }

    current_ = new QScatterSeries;
    current_->setName(tr("shown width"));
    current_->setMarkerSize(11);
    current_->setColor(QColor(0xd6, 0x27, 0x28));
    current_->setBorderColor(Qt::white);
    chart->addSeries(current_);
    current_->attachAxis(width_axis_);
    current_->attachAxis(error_axis_);
    error_axis_->setRange(1e-3, 1.0);
    set_reference_curve(nullptr);
}

QAbstractAxis* ErrorChart::shown_width_axis() const {
    return log_width_ ? static_cast<QAbstractAxis*>(log_width_axis_) : width_axis_;
}

void ErrorChart::set_frame(std::size_t max_width, const std::function<double(std::size_t)>& bits_per_entry) {
    bits_per_entry_ = bits_per_entry;
    max_width_ = std::max<std::size_t>(max_width, 1);
    set_round_ticks(width_axis_, 0, double(max_width_), 1.0);
    const double log_top = std::max(2.0, double(max_width_));
    log_width_axis_->setRange(1, log_top);
    set_round_ticks(bits_axis_, bits_per_entry(0), bits_per_entry(max_width_));
    const double bits_per_cut = std::max(1e-12, (bits_per_entry(max_width_) - bits_per_entry(0)) / double(max_width_));
    log_bits_axis_->setRange(bits_per_cut, bits_per_cut * log_top);
    marker_widths_.clear();
    for (std::size_t i = 0; i < markers_.size(); ++i) {
        // The widest width whose storage fits the copy's bits, found by bisection (monotone).
        std::size_t lo = 0, hi = max_width_ * 64 + 64;
        while (lo < hi) {
            const std::size_t mid = (lo + hi + 1) / 2;
            if (bits_per_entry(mid) <= kMarkers[i].bits) lo = mid;
            else hi = mid - 1;
        }
        marker_widths_.push_back(lo);
        const bool inside = lo <= max_width_ && lo >= 1;
        markers_[i]->setVisible(inside);
        auto* legend_marker = chart()->legend()->markers(markers_[i]).value(0);
        if (legend_marker) legend_marker->setVisible(inside);
    }
    update_y_range(smallest_error_);
}

void ErrorChart::set_width_title(const QString& title) {
    width_axis_->setTitleText(title);
    log_width_axis_->setTitleText(title + ", log scale");
}

void ErrorChart::set_log_width(bool on) {
    if (on == log_width_) return;
    QAbstractAxis* from = shown_width_axis();
    log_width_ = on;
    QAbstractAxis* to = shown_width_axis();
    chart()->removeAxis(from);  // detaches the series and gives the axis back: ours to keep, and delete
    from->setParent(this);
    chart()->addAxis(to, Qt::AlignBottom);
    for (QAbstractSeries* series : chart()->series()) series->attachAxis(to);
    QAbstractAxis* bits_from = on ? static_cast<QAbstractAxis*>(bits_axis_) : log_bits_axis_;
    QAbstractAxis* bits_to = on ? static_cast<QAbstractAxis*>(log_bits_axis_) : bits_axis_;
    chart()->removeAxis(bits_from);
    bits_from->setParent(this);
    chart()->addAxis(bits_to, Qt::AlignTop);
    fit_titles();
    show_points();
}

QList<QPointF> ErrorChart::curve_points() const { return curve_->points(); }

void ErrorChart::clear_curve() {
    points_.clear();
    set_reference_curve(nullptr);
    shown_.reset();
    smallest_error_ = 1.0;
    show_points();
    update_y_range(1.0);
}

void ErrorChart::set_reference_curve(const Snapshot* snapshot) {
    reference_points_ = snapshot ? curve_of(*snapshot) : QList<QPointF>{};
    for (QPointF& p : reference_points_) p.setY(std::max(p.y(), smallest_error_ * 0.5));
    const bool shown = chart()->series().contains(reference_);
    if (snapshot && !shown) {
        chart()->addSeries(reference_);
        reference_->attachAxis(shown_width_axis());
        reference_->attachAxis(error_axis_);
    } else if (!snapshot && shown) {
        chart()->removeSeries(reference_);  // gives it back: ours to keep
        reference_->setParent(this);
    }
    show_points();
}

void ErrorChart::set_curve(const Snapshot& snapshot) {
    QList<QPointF> points = curve_of(snapshot);
    double smallest = 1.0;
    for (const QPointF& p : points)
        if (p.y() > 0) smallest = std::min(smallest, p.y());
    // A log axis cannot show zero: an exact fit is drawn at the bottom of the axis.
    for (QPointF& p : points) p.setY(std::max(p.y(), smallest * 0.5));
    points_ = std::move(points);
    update_y_range(smallest);
    show_points();
}

void ErrorChart::set_current_width(std::size_t width, double relative_error) {
    shown_ = QPointF(double(width), std::max(relative_error, smallest_error_ * 0.5));
    show_points();
}

void ErrorChart::show_points() {
    // A log width axis starts at w = 1.
    QList<QPointF> points = points_, reference = reference_points_;
    if (log_width_) {
        points.removeIf([](const QPointF& p) { return p.x() < 1; });
        reference.removeIf([](const QPointF& p) { return p.x() < 1; });
    }
    curve_->replace(points);
    reference_->replace(reference);
    if (shown_ && (!log_width_ || shown_->x() >= 1)) current_->replace(QList<QPointF>{*shown_});
    else current_->clear();
}

void ErrorChart::update_y_range(double smallest) {
    smallest_error_ = smallest;
    const double bottom = std::pow(10.0, std::floor(std::log10(std::max(smallest * 0.5, 1e-12))));
    error_axis_->setRange(std::min(bottom, 1e-2), 1.5);
    for (std::size_t i = 0; i < markers_.size() && i < marker_widths_.size(); ++i)
        markers_[i]->replace(QList<QPointF>{QPointF(double(marker_widths_[i]), error_axis_->min()),
                                            QPointF(double(marker_widths_[i]), error_axis_->max())});
}

std::optional<std::size_t> ErrorChart::width_at(const QPoint& position) const {
    const QPointF in_chart = chart()->mapFromScene(mapToScene(position));
    if (points_.isEmpty() || !chart()->plotArea().contains(in_chart)) return std::nullopt;
    const double x = chart()->mapToValue(in_chart, curve_).x();
    const double last = points_.back().x();
    return std::size_t(std::clamp(std::round(x), 0.0, last));
}

void ErrorChart::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton)
        if (const auto w = width_at(event->pos())) return Q_EMIT width_clicked(*w);
    ChartView::mousePressEvent(event);
}

void ErrorChart::mouseMoveEvent(QMouseEvent* event) {
    ChartView::mouseMoveEvent(event);
    const auto w = width_at(event->pos());
    if (!w) return hide_tooltip();
    // The curve's point nearest to w (the curve is thinned to at most kMaxCurvePoints).
    const auto nearest = std::lower_bound(points_.begin(), points_.end(), double(*w),
                                          [](const QPointF& p, double x) { return p.x() < x; });
    const QPointF point = nearest == points_.end() ? points_.back() : *nearest;
    const auto width = std::size_t(point.x());
    show_tooltip(event->globalPosition().toPoint(),
                 tr("w = %1\n%2 bits per entry\nrelative error %3\n(click to show this width)")
                     .arg(width)
                     .arg(bits_per_entry_ ? bits_per_entry_(width) : 0.0, 0, 'f', 3)
                     .arg(point.y(), 0, 'g', 4));
}

void ErrorChart::leaveEvent(QEvent* event) {
    hide_tooltip();
    ChartView::leaveEvent(event);
}

}  // namespace signcut::gui
