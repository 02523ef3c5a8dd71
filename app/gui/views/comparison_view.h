#pragma once
// The Compare view: every low-bit method on the loaded data at the same bit budgets, computed
// in the background with points filling in as they finish, over the rate–distortion floors;
// picking a point (chart or table) shows that method's reconstruction beside the signed-cut
// one at the same budget.

#include <QWidget>

#include <memory>
#include <vector>

#include "comparison_worker.h"
#include "worker_thread.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;
class QToolButton;

namespace signcut::gui {

class ComparisonChart;
enum class ComparisonMeasure;
class ImageView;

class ComparisonView : public QWidget {
    Q_OBJECT
public:
    explicit ComparisonView(QWidget* parent = nullptr);
    ~ComparisonView() override;

    // New data: the old results go; nothing is computed until run() (the Run button) asks.
    void set_input(std::shared_ptr<const Tensor> input, bool photo, const QString& name);
    // No data to compare (e.g. a .scd file alone): says why.
    void clear_input(const QString& why);

    // Starts (again) with the budgets and methods chosen in the controls.
    void run();
    void cancel();
    bool is_running() const { return running_; }
    void set_budgets(const QString& budgets);  // "1,2,4,8"
    void set_methods(const QStringList& methods);
    void set_curves(bool on);                     // each method's curve between the budgets, or the budgets alone
    void set_measure(ComparisonMeasure measure);  // the chart's y axis
    void pick(const QString& method, double budget);

    const ComparisonChart* chart() const { return chart_; }
    const std::vector<std::shared_ptr<const ComparisonPoint>>& points() const { return points_; }
    const ImageView* picked_view() const { return picked_view_; }
    const ImageView* cuts_view() const { return cuts_view_; }

Q_SIGNALS:
    void comparison_finished();
    // A cancelled run is over in the worker too: none of its results can arrive any more.
    void comparison_stopped();

private:
    void on_floors(std::shared_ptr<const ComparisonFloors> floors);
    void on_point(std::shared_ptr<const ComparisonPoint> point);
    void on_finished(quint64 job);
    void add_table_row(const ComparisonPoint& point);
    void refresh_picked();
    // The previews back to their titles, no point picked.
    void reset_previews(const QString& placeholder);
    void show_point(ImageView* view, const ComparisonPoint* point, const QString& method, double budget);
    const ComparisonPoint* find_point(const QString& method, double budget) const;
    QStringList chosen_methods() const;
    void set_status(const QString& text);

    std::shared_ptr<const Tensor> input_;
    bool photo_ = false;
    float scale_limit_ = 0.0f;  // the heat maps' colour scale, shared (colour_scale.h)
    QString name_;
    bool running_ = false;
    quint64 job_id_ = 0;
    std::size_t expected_points_ = 0;
    std::vector<std::shared_ptr<const ComparisonPoint>> points_;
    QString picked_method_;
    double picked_budget_ = 0.0;

    WorkerThread<ComparisonWorker> worker_;

    QLineEdit* budgets_;
    QToolButton* methods_button_;
    QCheckBox* curves_;
    QComboBox* measure_;  // the chart's y axis
    QPushButton* run_button_;
    QPushButton* cancel_button_;
    QLabel* status_;
    QLabel* universality_;  // "one code for all", when tcq is among the methods
    ComparisonChart* chart_;
    ImageView* picked_view_;
    ImageView* cuts_view_;
    QTableWidget* table_;
};

}  // namespace signcut::gui
