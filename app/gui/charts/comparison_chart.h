#pragma once
// Every low-bit method on one chart against bits per entry (log₂): relative error (log) over the
// Gaussian rate–distortion floors, or on pictures PSNR or SSIM; one line with markers per method,
// filled in as points arrive. Hovering explains a curve or a point; clicking picks a point.

#include "charts/chart_view.h"

#include <map>
#include <optional>
#include <set>
#include <vector>

class QLineSeries;
class QAbstractSeries;
class QScatterSeries;
class QLogValueAxis;
class QValueAxis;

namespace signcut::gui {

struct ComparisonPoint;
struct ComparisonFloors;

// What the chart's y axis shows.
enum class ComparisonMeasure { relative_error, psnr, ssim };

class ComparisonChart : public ChartView {
    Q_OBJECT
public:
    explicit ComparisonChart(QWidget* parent = nullptr);

    // Removes every point and floor; the bits axis spans the budgets.
    void reset(const std::vector<double>& budgets);
    void set_floors(const ComparisonFloors& floors);
    void add_point(const ComparisonPoint& point);
    // Rings the picked point (or nothing for an empty method).
    void set_picked(const QString& method, double budget);
    // Redraws every point with this measure on the y axis (the floors only for the error).
    void set_measure(ComparisonMeasure measure);
    ComparisonMeasure measure() const { return measure_; }

    // The drawn points of a method: (bits per entry, the measure), by bits. A point whose
    // measure a log axis cannot show (error 0, PSNR ∞) is not among them: it is the
    // method's vertical "exact" line, at exact_bits().
    QList<QPointF> method_points(const QString& method) const;
    std::optional<double> exact_bits(const QString& method) const;
    QList<QPointF> floor_points(const QString& name) const;

    // A method or floor taken off the chart (and put back): what a click on its legend entry does.
    void set_hidden(const QString& name, bool hidden);
    bool is_hidden(const QString& name) const { return hidden_.count(name) > 0; }
    // The marker shape of a method's points: only signed cuts are circles, and methods of
    // similar colours differ in shape.
    int marker_shape(const QString& method) const;

    QSize sizeHint() const override { return {900, 420}; }

Q_SIGNALS:
    void point_picked(const QString& method, double budget);

private:
    struct Measured {
        double bits, budget;
        bool on_curve;
        double error;
        std::optional<double> psnr_db, ssim;
    };
    struct MethodSeries {
        QLineSeries* line = nullptr;
        QScatterSeries* between = nullptr;  // the curve's points between the budgets: small, in the method's shape
        QScatterSeries* markers = nullptr;  // the budgets asked for: large
        QLineSeries* exact = nullptr;             // vertical, at the fewest bits of an exact copy
        std::vector<Measured> points;             // every point, for redrawing in another measure
        std::map<double, double> budget_by_bits;  // bits used → the budget asked for
        std::vector<QXYSeries*> all() const;
    };
    MethodSeries& series_for(const QString& method);
    // The measure of a point on the y axis; nothing when it has none or it cannot be drawn.
    std::optional<double> y_of(const Measured& point) const;
    bool is_exact(const Measured& point) const;
    void redraw(MethodSeries& series);
    void update_y_range();
    QString point_tooltip(const QString& method, double bits) const;
    // A click on the legend entry of `series` hides (or shows again) the method or floor `name`.
    void toggle_on_legend_click(QAbstractSeries* series, const QString& name);
    void show_legend_entry(QAbstractSeries* series, bool shown, bool dimmed);

    QLogValueAxis* bits_axis_;
    QLogValueAxis* error_axis_;
    QValueAxis* value_axis_;  // PSNR or SSIM
    ComparisonMeasure measure_ = ComparisonMeasure::relative_error;
    std::map<QString, MethodSeries> methods_;
    std::map<QString, QLineSeries*> floors_;
    std::set<QString> hidden_;
    QScatterSeries* picked_;
    double smallest_floor_ = 1.0;  // of the floors up to the largest budget
    double largest_budget_ = 16.0;
};

// One sentence on what a method or floor is, for tooltips and the table.
QString comparison_description(const QString& name);
// The y axis title of a measure.
QString measure_title(ComparisonMeasure measure);

}  // namespace signcut::gui
