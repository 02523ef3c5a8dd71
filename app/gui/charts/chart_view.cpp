#include "charts/chart_view.h"

#include <QtCharts/QAbstractAxis>
#include <QtCharts/QLegend>
#include <QtCharts/QLogValueAxis>
#include <QtCharts/QValueAxis>

#include <algorithm>
#include <cmath>

#include "charts/chart_export.h"

namespace signcut::gui {

void set_round_ticks(QValueAxis* axis, double low, double high, double least_step, int intervals) {
    const double rough = std::max(high - low, 1e-12) / intervals;
    const double power = std::pow(10.0, std::floor(std::log10(rough)));
    const double step =
        std::max(least_step, rough >= 5 * power ? 5 * power : rough >= 2 * power ? 2 * power : power);
    // The interval before the range: a range of 10⁶ laid out at the old interval of 1 would
    // create a million tick items first.
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(0.0);
    axis->setTickInterval(step);
    const int decimals = std::max(0, int(-std::floor(std::log10(step) + 1e-9)));
    axis->setLabelFormat(QString("%.%1f").arg(decimals));
    axis->setRange(low, high);
}

ChartView::ChartView(int margin, QWidget* parent)
    : QChartView(new QChart, parent) {  // owns it; setChart() would leak the default one
    chart()->legend()->setAlignment(Qt::AlignRight);
    chart()->setMargins(QMargins(margin, margin, margin, margin));
    setRenderHint(QPainter::Antialiasing);
}

void ChartView::set_title(const QString& title) {
    title_ = title;
    fit_titles();
}

void ChartView::fit_titles() { show_titles(height() >= kCompactHeight); }

void ChartView::show_titles(bool shown) const {
    chart()->setTitle(shown ? title_ : QString());
    for (QAbstractAxis* axis : chart()->axes()) axis->setTitleVisible(shown);
}

void ChartView::resizeEvent(QResizeEvent* event) {
    fit_titles();
    QChartView::resizeEvent(event);
}

void ChartView::export_to(const QString& path, QSize size, double text_scale) const {
    show_titles(true);  // a slide has the room, whatever the chart's size on screen
    try {
        export_chart(*this, path, size, text_scale);
    } catch (...) {
        show_titles(height() >= kCompactHeight);
        throw;
    }
    show_titles(height() >= kCompactHeight);
}

QLogValueAxis* ChartView::make_log_axis(double base, const QString& title, const QString& label_format) {
    auto* axis = new QLogValueAxis;
    axis->setBase(base);
    axis->setTitleText(title);
    axis->setLabelFormat(label_format);
    axis->setMinorTickCount(-1);
    return axis;
}

void ChartView::tooltip_on_hover(QXYSeries* series, std::function<QString(const QPointF&)> text) {
    connect(series, &QXYSeries::hovered, this, [this, text = std::move(text)](const QPointF& point, bool on) {
        if (!on) return hide_tooltip();
        show_tooltip(QCursor::pos(), text(point));
    });
}

void ChartView::show_tooltip(const QPoint& global_position, const QString& text) {
    constexpr int kTooltipMs = 10 * 60 * 1000;  // as long as the mouse rests: the hover's end hides it
    QToolTip::showText(global_position, text, this, QRect(), kTooltipMs);
}

void ChartView::hide_tooltip() { QToolTip::hideText(); }

bool ChartView::viewportEvent(QEvent* event) {
    // About 0.7 s after the mouse comes to rest Qt sends a tooltip event; QGraphicsView hands it
    // to the scene, whose items have no tooltip of their own, and the scene then hides whatever
    // tooltip is up: ours, shown from the hover signals, vanished after a second. They are the
    // only tooltips of a chart, so the event has nothing else to do.
    if (event->type() == QEvent::ToolTip) return true;
    return QChartView::viewportEvent(event);
}

}  // namespace signcut::gui
