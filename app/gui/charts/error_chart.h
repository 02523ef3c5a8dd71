#pragma once
// Relative error ‖R_w‖ / ‖A‖ against width on a log scale, bits per entry on the top axis,
// vertical markers at the widths whose memory equals int4, int8, bf16/f16 and f32 copies,
// and the width on display highlighted.

#include <QtCharts/QChartView>

#include <functional>

class QLineSeries;
class QScatterSeries;
class QValueAxis;
class QLogValueAxis;

namespace signcut::gui {

struct Snapshot;

class ErrorChart : public QChartView {
    Q_OBJECT
public:
    explicit ErrorChart(QWidget* parent = nullptr);

    // Fixes the x range to 0..max_width and places the memory markers; bits_per_entry maps a
    // width to its storage cost.
    void set_frame(std::size_t max_width, const std::function<double(std::size_t)>& bits_per_entry);
    void set_curve(const Snapshot& snapshot);
    void set_current_width(std::size_t width, double relative_error);
    void clear_curve();
    void set_width_title(const QString& title);

    // The drawn curve, for tests: (w, ‖R_w‖/‖A‖) points.
    QList<QPointF> curve_points() const;

    QSize sizeHint() const override { return {900, 300}; }

private:
    void update_y_range(double smallest);

    QLineSeries* curve_;
    QScatterSeries* current_;
    QValueAxis* width_axis_;
    QValueAxis* bits_axis_;
    QLogValueAxis* error_axis_;
    std::vector<QLineSeries*> markers_;
    std::vector<std::size_t> marker_widths_;
    std::function<double(std::size_t)> bits_per_entry_;
    double smallest_error_ = 1.0;
};

}  // namespace signcut::gui
