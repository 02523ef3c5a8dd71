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
class QValueAxis;

namespace signcut::gui {

// Ticks at round values (1, 2 or 5 times a power of ten), about `intervals` over [low, high],
// labelled with just the decimals they need; at least `least_step` apart (1 for counts).
void set_round_ticks(QValueAxis* axis, double low, double high, double least_step = 0.0, int intervals = 5);

class ChartView : public QChartView {
    Q_OBJECT
public:
    // Writes the chart at `size` pixels, laid out at size / text_scale (chart_export.h).
    void export_to(const QString& path, QSize size, double text_scale) const;

protected:
    explicit ChartView(int margin, QWidget* parent = nullptr);

    // The chart's title, dropped (with the axis titles) while the chart is small.
    void set_title(const QString& title);
    // A chart lower than kCompactHeight gives its title's and its axis titles' room to the tick
    // labels, which QtCharts would otherwise cut to "…" (at the smallest window, or at 2× scaling).
    // Called on resize, and by the subclasses after they swap an axis in.
    void fit_titles();
    void resizeEvent(QResizeEvent* event) override;
    static constexpr int kCompactHeight = 240;

    // A log axis with ticks at the powers of `base` and no minor ticks.
    static QLogValueAxis* make_log_axis(double base, const QString& title, const QString& label_format);
    // While the mouse rests on `series`, a tooltip of text(the point under it).
    void tooltip_on_hover(QXYSeries* series, std::function<QString(const QPointF&)> text);
    // Shows a tooltip that stays until the mouse leaves what it describes (hide_tooltip).
    void show_tooltip(const QPoint& global_position, const QString& text);
    void hide_tooltip();
    // Keeps QGraphicsView from hiding the tooltips shown here (see the definition).
    bool viewportEvent(QEvent* event) override;

private:
    void show_titles(bool shown) const;

    QString title_;
};

}  // namespace signcut::gui
