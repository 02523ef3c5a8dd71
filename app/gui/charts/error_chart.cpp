#include "charts/error_chart.h"

#include <QToolTip>
#include <QtCharts/QLegendMarker>
#include <QtCharts/QLineSeries>
#include <QtCharts/QLogValueAxis>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QValueAxis>

#include <algorithm>
#include <cmath>

#include "approximation.h"

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

}  // namespace

ErrorChart::ErrorChart(QWidget* parent) : QChartView(new QChart, parent) {  // owns it; setChart() would leak the default one
    QChart* chart = this->chart();
    chart->setTitle("Relative error ‖A − Â_w‖ / ‖A‖ against width w");
    chart->legend()->setAlignment(Qt::AlignRight);
    chart->setMargins(QMargins(4, 4, 4, 4));
    setRenderHint(QPainter::Antialiasing);

    width_axis_ = new QValueAxis;
    width_axis_->setTitleText("width w (cuts)");
    width_axis_->setLabelFormat("%d");
    bits_axis_ = new QValueAxis;
    bits_axis_->setTitleText("bits per entry");
    bits_axis_->setLabelFormat("%.1f");
    error_axis_ = new QLogValueAxis;
    error_axis_->setTitleText("relative error");
    error_axis_->setBase(10);
    error_axis_->setLabelFormat("%.0e");
    error_axis_->setMinorTickCount(-1);
    chart->addAxis(width_axis_, Qt::AlignBottom);
    chart->addAxis(bits_axis_, Qt::AlignTop);
    chart->addAxis(error_axis_, Qt::AlignLeft);

    curve_ = new QLineSeries;
    curve_->setName("signed cuts");
    curve_->setPen(QPen(QColor(0x1f, 0x77, 0xb4), 2));
    chart->addSeries(curve_);
    curve_->attachAxis(width_axis_);
    curve_->attachAxis(error_axis_);
    connect(curve_, &QLineSeries::hovered, this, [this](const QPointF& point, bool on) {
        if (!on) return QToolTip::hideText();
        const auto w = std::size_t(std::max(0.0, std::round(point.x())));
        QToolTip::showText(QCursor::pos(), QString("w = %1\n%2 bits per entry\nrelative error %3")
                                               .arg(w)
                                               .arg(bits_per_entry_ ? bits_per_entry_(w) : 0.0, 0, 'f', 3)
                                               .arg(point.y(), 0, 'g', 4));
    });

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
    current_->setName("shown width");
    current_->setMarkerSize(11);
    current_->setColor(QColor(0xd6, 0x27, 0x28));
    current_->setBorderColor(Qt::white);
    chart->addSeries(current_);
    current_->attachAxis(width_axis_);
    current_->attachAxis(error_axis_);
    error_axis_->setRange(1e-3, 1.0);
}

void ErrorChart::set_frame(std::size_t max_width, const std::function<double(std::size_t)>& bits_per_entry) {
    bits_per_entry_ = bits_per_entry;
    max_width = std::max<std::size_t>(max_width, 1);
    width_axis_->setRange(0, double(max_width));
    // Ticks at round widths: 1, 2 or 5 times a power of ten, about five of them.
    const double rough = double(max_width) / 5.0;
    const double power = std::pow(10.0, std::floor(std::log10(std::max(rough, 1.0))));
    const double step = rough >= 5 * power ? 5 * power : rough >= 2 * power ? 2 * power : power;
    width_axis_->setTickType(QValueAxis::TicksDynamic);
    width_axis_->setTickAnchor(0.0);
    width_axis_->setTickInterval(std::max(1.0, step));
    bits_axis_->setRange(bits_per_entry(0), bits_per_entry(max_width));
    marker_widths_.clear();
    for (std::size_t i = 0; i < markers_.size(); ++i) {
        // The widest width whose storage fits the copy's bits, found by bisection (monotone).
        std::size_t lo = 0, hi = max_width * 64 + 64;
        while (lo < hi) {
            const std::size_t mid = (lo + hi + 1) / 2;
            if (bits_per_entry(mid) <= kMarkers[i].bits) lo = mid;
            else hi = mid - 1;
        }
        marker_widths_.push_back(lo);
        markers_[i]->setVisible(lo <= max_width);
        auto* legend_marker = chart()->legend()->markers(markers_[i]).value(0);
        if (legend_marker) legend_marker->setVisible(lo <= max_width);
    }
    update_y_range(smallest_error_);
}

void ErrorChart::set_width_title(const QString& title) { width_axis_->setTitleText(title); }

QList<QPointF> ErrorChart::curve_points() const { return curve_->points(); }

void ErrorChart::clear_curve() {
    curve_->clear();
    current_->clear();
    smallest_error_ = 1.0;
    update_y_range(1.0);
}

void ErrorChart::set_curve(const Snapshot& snapshot) {
    const std::size_t width = snapshot.width();
    const std::size_t stride = std::max<std::size_t>(1, width / kMaxCurvePoints);
    QList<QPointF> points;
    points.reserve(qsizetype(width / stride + 2));
    for (std::size_t w = 0; w <= width; w += stride) points.append(QPointF(double(w), snapshot.relative_error(w)));
    if (width % stride) points.append(QPointF(double(width), snapshot.relative_error(width)));
    double smallest = 1.0;
    for (const QPointF& p : points)
        if (p.y() > 0) smallest = std::min(smallest, p.y());
    // A log axis cannot show zero: an exact fit is drawn at the bottom of the axis.
    for (QPointF& p : points) p.setY(std::max(p.y(), smallest * 0.5));
    curve_->replace(points);
    update_y_range(smallest);
}

void ErrorChart::set_current_width(std::size_t width, double relative_error) {
    current_->replace(QList<QPointF>{QPointF(double(width), std::max(relative_error, smallest_error_ * 0.5))});
}

void ErrorChart::update_y_range(double smallest) {
    smallest_error_ = smallest;
    const double bottom = std::pow(10.0, std::floor(std::log10(std::max(smallest * 0.5, 1e-12))));
    error_axis_->setRange(std::min(bottom, 1e-2), 1.5);
    for (std::size_t i = 0; i < markers_.size() && i < marker_widths_.size(); ++i)
        markers_[i]->replace(QList<QPointF>{QPointF(double(marker_widths_[i]), error_axis_->min()),
                                            QPointF(double(marker_widths_[i]), error_axis_->max())});
}

}  // namespace signcut::gui
