#pragma once
// What the explorer's charts share: a chart the view owns, the legend on the right, thin
// margins, antialiasing, log axes set up alike, tooltips on hovered series, and export as a
// PNG or SVG file for slides.

#include <QCursor>
#include <QToolTip>
#include <QtCharts/QChartView>
#include <QtCharts/QXYSeries>

#include <functional>

class QLogValueAxis;

namespace signcut::gui {

class ChartView : public QChartView {
    Q_OBJECT
public:
    // Writes the chart at `size` pixels, laid out at size / text_scale (chart_export.h).
    void export_to(const QString& path, QSize size, double text_scale) const;

protected:
    explicit ChartView(int margin, QWidget* parent = nullptr);

    // A log axis with ticks at the powers of `base` and no minor ticks.
    static QLogValueAxis* make_log_axis(double base, const QString& title, const QString& label_format);
    // While the mouse rests on `series`, a tooltip of text(the point under it).
    void tooltip_on_hover(QXYSeries* series, std::function<QString(const QPointF&)> text);
};

}  // namespace signcut::gui
