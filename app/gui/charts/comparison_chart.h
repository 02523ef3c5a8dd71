#pragma once
// Every low-bit method on one chart: relative error (log) against bits per entry (log₂),
// one line with markers per method, filled in as points arrive, above the Gaussian
// rate–distortion floors. Hovering explains a curve or a point; clicking picks a point.

#include <QtCharts/QChartView>

#include <map>

class QLineSeries;
class QScatterSeries;
class QLogValueAxis;

namespace signcut::gui {

struct ComparisonPoint;
struct ComparisonFloors;

class ComparisonChart : public QChartView {
    Q_OBJECT
public:
    explicit ComparisonChart(QWidget* parent = nullptr);

    // Removes every point and floor; the bits axis spans the budgets.
    void reset(const std::vector<double>& budgets);
    void set_floors(const ComparisonFloors& floors);
    void add_point(const ComparisonPoint& point);
    // Rings the picked point (or nothing for an empty method).
    void set_picked(const QString& method, double budget);

    // The drawn points of a method: (bits per entry, relative error), by bits.
    QList<QPointF> method_points(const QString& method) const;
    QList<QPointF> floor_points(const QString& name) const;

    QSize sizeHint() const override { return {900, 420}; }

Q_SIGNALS:
    void point_picked(const QString& method, double budget);

private:
    struct MethodSeries {
        QLineSeries* line = nullptr;
        QScatterSeries* markers = nullptr;
        std::map<double, double> budget_by_bits;  // bits used → the budget asked for
    };
    MethodSeries& series_for(const QString& method);
    void update_error_range();

    QLogValueAxis* bits_axis_;
    QLogValueAxis* error_axis_;
    std::map<QString, MethodSeries> methods_;
    std::map<QString, QLineSeries*> floors_;
    QScatterSeries* picked_;
    double smallest_error_ = 1.0;  // of the methods' points
    double smallest_floor_ = 1.0;  // of the floors up to the largest budget
    double largest_budget_ = 16.0;
};

// One sentence on what a method or floor is, for tooltips and the table.
QString comparison_description(const QString& name);

}  // namespace signcut::gui
