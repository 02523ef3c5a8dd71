#pragma once
// "Inside one cut": the alternating sign maximisation of one cut, step by step: every mode's
// sign vector, the rank-one sign pattern, the cut value after each step, the coefficient c and
// the residual before and after. The cut is chosen here (the first by default), apart from the
// width Explore shows: after a long run that one would be a cut of pure noise.

#include <QWidget>

#include "scd/cut_trace.h"

class QLabel;
class QPushButton;
class QSpinBox;
class QLineSeries;
class QScatterSeries;
class QChartView;
class QValueAxis;

namespace signcut::gui {

class ImageView;
class SignStrip;

class CutStepperView : public QWidget {
    Q_OBJECT
public:
    explicit CutStepperView(QWidget* parent = nullptr);

    // The residual R_w (w cuts made) and the options the engine runs with; traces cut w + 1.
    void set_residual(Tensor residual, std::size_t width, const DecomposeOptions& options, bool photo,
                      const QString& note);
    // The cuts that can be chosen: 1 … computed + 1 (the next one after the run).
    void set_computed(std::size_t computed);
    // The width w whose next cut (w + 1) is traced, as chosen in the view.
    std::size_t chosen_width() const;
    void choose_cut(std::size_t cut);
    void clear(const QString& why);
    // Step 0 is the seeded start; step i ≥ 1 is after the i-th mode update.
    void show_step(int step);
    int step() const { return step_; }
    int step_count() const { return int(trace_.steps.size()) + 1; }
    const CutTrace& trace() const { return trace_; }
    QString step_text() const;

Q_SIGNALS:
    // Another cut was chosen: set_residual() with R at chosen_width() is the answer.
    void cut_chosen();

private:
    const std::vector<SignVector>& signs_at(int step) const;
    QString mode_name(std::size_t mode) const;

    CutTrace trace_;
    Tensor residual_;
    std::size_t width_ = 0;
    bool photo_ = false;
    bool valid_ = false;
    int step_ = 0;

    QLabel* heading_;
    QSpinBox* cut_box_;
    QLabel* step_label_;
    QLabel* numbers_;
    QPushButton* first_;
    QPushButton* previous_;
    QPushButton* next_;
    QPushButton* last_;
    std::vector<SignStrip*> strips_;
    ImageView* pattern_view_;
    ImageView* before_view_;
    ImageView* after_view_;
    QChartView* value_chart_;
    QLineSeries* values_;
    QScatterSeries* current_;
    QValueAxis* step_axis_;
    QValueAxis* value_axis_;
};

}  // namespace signcut::gui
