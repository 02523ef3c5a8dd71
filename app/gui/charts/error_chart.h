#pragma once
// Relative error ‖R_w‖ / ‖A‖ against width on a log scale, bits per entry on the top axis,
// vertical markers at the widths whose memory equals int4, int8, bf16/f16 and f32 copies,
// and the width on display highlighted.

#include "charts/chart_view.h"

#include <functional>
#include <optional>

class QLineSeries;
class QScatterSeries;
class QValueAxis;
class QLogValueAxis;
class QAbstractAxis;

namespace signcut::gui {

struct Snapshot;

class ErrorChart : public ChartView {
    Q_OBJECT
public:
    explicit ErrorChart(QWidget* parent = nullptr);

    // Fixes the x range to 0..max_width and places the memory markers; bits_per_entry maps a
    // width to its storage cost.
    void set_frame(std::size_t max_width, const std::function<double(std::size_t)>& bits_per_entry);
    void set_curve(const Snapshot& snapshot);
    // A second curve beside the first, dashed: the plain algorithm's (no entries kept apart) on
    // the same input, so the plateau the entries apart remove shows. Null hides it.
    void set_reference_curve(const Snapshot* snapshot);
    void set_current_width(std::size_t width, double relative_error);
    void clear_curve();
    void set_width_title(const QString& title);

    // The width axis on a log scale (w ≥ 1; the top axis then counts the cuts' bits alone, which
    // are proportional to w; the tooltip has the bits with the header).
    void set_log_width(bool on);
    bool log_width() const { return log_width_; }

    // The drawn curve, for tests: (w, ‖R_w‖/‖A‖) points.
    QList<QPointF> curve_points() const;
    QList<QPointF> reference_curve_points() const { return reference_points_; }
    // The width under a point of the widget, if it is over the plot.
    std::optional<std::size_t> width_at(const QPoint& position) const;

Q_SIGNALS:
    // A click on the plot: show this width.
    void width_clicked(std::size_t width);

protected:
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;

    QSize sizeHint() const override { return {900, 300}; }

private:
    void update_y_range(double smallest);
    void show_points();
    QAbstractAxis* shown_width_axis() const;

    QLineSeries* curve_;
    QLineSeries* reference_;
    QScatterSeries* current_;
    QValueAxis* width_axis_;
    QLogValueAxis* log_width_axis_;
    QValueAxis* bits_axis_;
    QLogValueAxis* log_bits_axis_;
    QLogValueAxis* error_axis_;
    std::vector<QLineSeries*> markers_;
    std::vector<std::size_t> marker_widths_;
    std::function<double(std::size_t)> bits_per_entry_;
    double smallest_error_ = 1.0;
    bool log_width_ = false;
    QList<QPointF> points_;  // the whole curve, w = 0 included (a log axis leaves it out)
    QList<QPointF> reference_points_;
    std::size_t max_width_ = 1;
    std::optional<QPointF> shown_;  // the width on display
};

}  // namespace signcut::gui
