#pragma once
// The Compare view: every low-bit method on the loaded data at the same bit budgets, computed
// in the background (ComparisonDocument) with points filling in as they finish, over the
// rate–distortion floors; picking a point (chart or table) shows that method's reconstruction
// beside the signed-cut one at the same budget. The view lays out the controls and observes
// the document; the table's rows are a ComparisonTableModel.

#include <QWidget>

#include <memory>
#include <vector>

#include "comparison_worker.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QToolButton;

namespace signcut::gui {

class ComparisonChart;
class ComparisonDocument;
class ExplorerDocument;
enum class ComparisonMeasure;
class ComparisonTableModel;
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
    // From now on compares the explorer's input: each input it loads (none for a .scd file alone).
    void follow(const ExplorerDocument& explorer);

    // Starts (again) with the budgets and methods chosen in the controls.
    void run();
    void cancel();
    bool is_running() const;
    void set_budgets(const QString& budgets);  // "1,2,4,8"
    void set_methods(const QStringList& methods);
    void set_curves(bool on);                     // each method's curve between the budgets, or the budgets alone
    void set_measure(ComparisonMeasure measure);  // the chart's y axis
    void pick(const QString& method, double budget);

    const ComparisonChart* chart() const { return chart_; }
    const std::vector<std::shared_ptr<const ComparisonPoint>>& points() const;
    const ComparisonDocument* document() const { return document_; }
    const ImageView* picked_view() const { return picked_view_; }
    const ImageView* cuts_view() const { return cuts_view_; }

Q_SIGNALS:
    void comparison_finished();
    // A cancelled run is over in the worker too: none of its results can arrive any more.
    void comparison_stopped();

private:
    void on_input_changed();
    void on_run_started(const std::vector<double>& budgets);
    void on_point(std::shared_ptr<const ComparisonPoint> point);
    void refresh_picked();
    // The previews back to their titles, no point picked.
    void reset_previews(const QString& placeholder);
    void show_point(ImageView* view, const ComparisonPoint* point, const QString& method, double budget);
    QStringList chosen_methods() const;
    void set_status(const QString& text);

    ComparisonDocument* document_;
    ComparisonTableModel* rows_;
    float scale_limit_ = 0.0f;  // the heat maps' colour scale, shared (colour_scale.h)
    QString no_input_;          // what the previews say without data
    QString picked_method_;
    double picked_budget_ = 0.0;

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
    QTableView* table_;
};

}  // namespace signcut::gui
