#include "charts/chart_view.h"

#include <QtCharts/QLegend>
#include <QtCharts/QLogValueAxis>

#include "charts/chart_export.h"

namespace signcut::gui {

ChartView::ChartView(int margin, QWidget* parent)
    : QChartView(new QChart, parent) {  // owns it; setChart() would leak the default one
    chart()->legend()->setAlignment(Qt::AlignRight);
    chart()->setMargins(QMargins(margin, margin, margin, margin));
    setRenderHint(QPainter::Antialiasing);
}

void ChartView::export_to(const QString& path, QSize size, double text_scale) const {
    export_chart(*this, path, size, text_scale);
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
    connect(series, &QXYSeries::hovered, this, [text = std::move(text)](const QPointF& point, bool on) {
        if (!on) return QToolTip::hideText();
        QToolTip::showText(QCursor::pos(), text(point));
    });
}

}  // namespace signcut::gui
