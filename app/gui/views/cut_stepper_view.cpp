#include "views/cut_stepper_view.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <QtCharts/QChartView>
#include <QtCharts/QLineSeries>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QValueAxis>

#include <cmath>

#include "charts/chart_view.h"
#include "views/colour_scale.h"
#include "views/image_view.h"
#include "views/sign_strip.h"
#include "views/tensor_image.h"

namespace signcut::gui {
namespace {

constexpr std::size_t kMaxStrips = 3;

// The chart of the cut value, with what the explorer's charts share (titles that give way when
// it is small, tooltips, export).
class StepValueChart : public ChartView {
public:
    StepValueChart() : ChartView(2) {}
    using ChartView::set_title;
};

// What a residual or sign pattern looks like: photos as their channel mean, others unfolded.
Tensor flat_view(const Tensor& t, bool photo) { return photo ? channel_mean(t) : unfolding(t); }

}  // namespace

CutStepperView::CutStepperView(QWidget* parent) : QWidget(parent) {
    heading_ = new QLabel;
    heading_->setWordWrap(true);
    step_label_ = new QLabel;
    step_label_->setWordWrap(true);
    first_ = new QPushButton(tr("« Start"));
    previous_ = new QPushButton(tr("◀ Previous step"));
    next_ = new QPushButton(tr("Next step ▶"));
    last_ = new QPushButton(tr("Cut found »"));
    connect(first_, &QPushButton::clicked, this, [this] { show_step(0); });
    connect(previous_, &QPushButton::clicked, this, [this] { show_step(step_ - 1); });
    connect(next_, &QPushButton::clicked, this, [this] { show_step(step_ + 1); });
    connect(last_, &QPushButton::clicked, this, [this] { show_step(step_count() - 1); });
    cut_box_ = new QSpinBox;
    cut_box_->setRange(1, 1);
    cut_box_->setToolTip(tr("Which cut to find: cut k is found on the residual of the first k − 1"));
    connect(cut_box_, &QSpinBox::valueChanged, this, &CutStepperView::cut_chosen);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(new QLabel(tr("Cut")));
    buttons->addWidget(cut_box_);
    for (QPushButton* b : {first_, previous_, next_, last_}) buttons->addWidget(b);
    buttons->addStretch(1);

    auto* strips = new QVBoxLayout;
    for (std::size_t i = 0; i < kMaxStrips; ++i) {
        strips_.push_back(new SignStrip);
        strips->addWidget(strips_.back());
    }
    pattern_view_ = new ImageView("Sign pattern of the cut");
    before_view_ = new ImageView("Residual before this cut");
    after_view_ = new ImageView("Residual after subtracting c · pattern");

    auto* value_chart = new StepValueChart;
    value_chart->set_title(tr("Cut value v = ⟨R, sign pattern⟩ after each step"));
    QChart* chart = value_chart->chart();
    chart->legend()->hide();
    values_ = new QLineSeries;
    values_->setPen(QPen(QColor(0x1f, 0x77, 0xb4), 2));
    values_->setPointsVisible(true);
    current_ = new QScatterSeries;
    current_->setColor(QColor(0xd6, 0x27, 0x28));
    current_->setMarkerSize(11);
    step_axis_ = new QValueAxis;
    step_axis_->setTitleText(tr("step (one mode's signs set)"));
    value_axis_ = new QValueAxis;
    value_axis_->setTitleText(tr("v"));
    chart->addAxis(step_axis_, Qt::AlignBottom);
    chart->addAxis(value_axis_, Qt::AlignLeft);
    for (QXYSeries* s : {static_cast<QXYSeries*>(values_), static_cast<QXYSeries*>(current_)}) {
        chart->addSeries(s);
        s->attachAxis(step_axis_);
        s->attachAxis(value_axis_);
    }
    value_chart_ = value_chart;
    numbers_ = new QLabel;
    numbers_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    numbers_->setWordWrap(true);

    auto* grid = new QGridLayout;
    grid->addWidget(pattern_view_, 0, 0);
    grid->addWidget(before_view_, 0, 1);
    grid->addWidget(after_view_, 0, 2);
    grid->addWidget(value_chart_, 1, 0, 1, 2);
    grid->addWidget(numbers_, 1, 2);
    grid->setRowStretch(0, 3);
    grid->setRowStretch(1, 2);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(heading_);
    layout->addLayout(buttons);
    layout->addWidget(step_label_);
    layout->addLayout(strips);
    layout->addLayout(grid, 1);
    clear(tr("Open an image or a matrix to step through a cut"));
}

void CutStepperView::set_computed(std::size_t computed) {
    const QSignalBlocker quiet(cut_box_);  // the caller traces the cut chosen next
    cut_box_->setMaximum(int(std::min<std::size_t>(computed + 1, std::size_t(INT32_MAX))));
}

std::size_t CutStepperView::chosen_width() const { return std::size_t(cut_box_->value() - 1); }

void CutStepperView::choose_cut(std::size_t cut) { cut_box_->setValue(int(cut)); }

void CutStepperView::clear(const QString& why) {
    valid_ = false;
    trace_ = {};
    heading_->setText(why);
    step_label_->clear();
    numbers_->clear();
    for (SignStrip* strip : strips_) strip->hide();
    for (ImageView* view : {pattern_view_, before_view_, after_view_}) view->set_placeholder("");
    values_->clear();
    current_->clear();
    set_round_ticks(step_axis_, 0, 1, 1.0);  // the old cut's axes must not stay beside a new input
    set_round_ticks(value_axis_, 0, 1);
    for (QPushButton* b : {first_, previous_, next_, last_}) b->setEnabled(false);
}

void CutStepperView::set_residual(Tensor residual, std::size_t width, const DecomposeOptions& options, bool photo,
                                  const QString& note) {
    residual_ = std::move(residual);
    width_ = width;
    photo_ = photo;
    trace_ = trace_cut(residual_, width, options);
    valid_ = true;
    heading_->setText(tr("<b>Finding cut %1</b> on the residual R<sub>%2</sub> = A − Â<sub>%2</sub> %3. Start from "
                         "seeded random signs; each step sets one mode's signs to the sign of R contracted with the "
                         "others, which can only raise v; a sweep that does not raise v ends the search. Then "
                         "c = v / (number of entries), and R loses c · pattern.")
                          .arg(width + 1)
                          .arg(width)
                          .arg(note));
    QList<QPointF> points;
    double low = trace_.steps.empty() ? 0.0 : trace_.steps.front().value, high = low;
    for (std::size_t i = 0; i < trace_.steps.size(); ++i) {
        points.append(QPointF(double(i + 1), trace_.steps[i].value));
        low = std::min(low, trace_.steps[i].value);
        high = std::max(high, trace_.steps[i].value);
    }
    values_->replace(points);
    // Step i's value at x = i, on integer ticks; v on round ones.
    set_round_ticks(step_axis_, 0.5, double(std::max<std::size_t>(trace_.steps.size(), 1)) + 0.5, 1.0);
    const double margin = std::max(0.1 * (high - low), 1e-6 * std::abs(high));
    set_round_ticks(value_axis_, std::max(0.0, low - margin), high + margin, 0.0, 2);  // a low chart: 3 labels
    for (std::size_t i = 0; i < strips_.size(); ++i) strips_[i]->setVisible(i < residual_.order());
    before_view_->set_title(tr("Residual R_%1 before the cut").arg(width));
    after_view_->set_title(tr("R_%1 = R_%2 − c · pattern").arg(width + 1).arg(width));
    show_step(step_count() - 1);
}

const std::vector<SignVector>& CutStepperView::signs_at(int step) const {
    return step <= 0 ? trace_.start : trace_.steps[std::size_t(step - 1)].signs;
}

QString CutStepperView::mode_name(std::size_t mode) const {
    if (residual_.order() == 2) return mode == 0 ? "s (one sign per row)" : "t (one sign per column)";
    if (photo_ && residual_.order() == 3)
        return mode == 0 ? "s (rows)" : mode == 1 ? "t (columns)" : "u (colour channels R, G, B)";
    return tr("x^(%1) (mode %1)").arg(mode + 1);
}

QString CutStepperView::step_text() const {
    if (!valid_) return {};
    if (step_ == 0)
        return tr("Step 0 of %1: the seeded random start (the first mode's signs are set by step 1).")
            .arg(step_count() - 1);
    const CutStep& s = trace_.steps[std::size_t(step_ - 1)];
    return QString(
               "Step %1 of %2: sweep %3 set %4 to the sign of R contracted with the other modes; the cut value is now "
               "v = %5.")
        .arg(step_)
        .arg(step_count() - 1)
        .arg(s.sweep)
        .arg(mode_name(s.mode))
        .arg(s.value, 0, 'g', 6);
}

void CutStepperView::show_step(int step) {
    if (!valid_) return;
    step_ = std::clamp(step, 0, step_count() - 1);
    first_->setEnabled(step_ > 0);
    previous_->setEnabled(step_ > 0);
    next_->setEnabled(step_ < step_count() - 1);
    last_->setEnabled(step_ < step_count() - 1);
    step_label_->setText(step_text());
    const std::vector<SignVector>& signs = signs_at(step_);
    const std::vector<SignVector>& before = signs_at(std::max(0, step_ - 1));
    for (std::size_t m = 0; m < strips_.size() && m < signs.size(); ++m)
        strips_[m]->set_signs(mode_name(m), signs[m], step_ > 0 ? before[m] : signs[m]);
    current_->replace(step_ > 0 ? QList<QPointF>{QPointF(double(step_), trace_.steps[std::size_t(step_ - 1)].value)}
                                : QList<QPointF>{});

    const Tensor pattern = sign_tensor(signs);
    if (photo_ && pattern.order() == 3) {
        Tensor shown = pattern;  // ±1 → 0 or 1 per channel: the colours of the pattern
        for (float& x : shown.data()) x = 0.5f + 0.5f * x;
        pattern_view_->set_image(photo_image(shown));
        pattern_view_->set_legend(-1);
    } else {
        pattern_view_->set_image(heat_map(unfolding(pattern), 1.0f));
        pattern_view_->set_legend(1.0);
    }
    QString colours = tr(" (red +1, blue −1)");
    if (photo_ && pattern.order() == 3) {
        // Each channel bright where its sign is +1: with u all + or all − that is white and black.
        const std::vector<SignVector>& u = signs;
        const bool uniform = std::all_of(u[2].begin(), u[2].end(), [&](auto x) { return x == u[2].front(); });
        colours = uniform ? tr(" (white: s·t = %1, black: %2)").arg(u[2].front() > 0 ? "+1" : "−1",
                                                                   u[2].front() > 0 ? "−1" : "+1")
                          : tr(" (each channel bright where its sign is +1)");
    }
    pattern_view_->set_title(
        (step_ == step_count() - 1 ? tr("Sign pattern of the cut found") : tr("Sign pattern at this step")) + colours);

    const Tensor before_shown = flat_view(residual_, photo_);
    Tensor after = residual_;
    const Tensor final_pattern = sign_tensor(trace_.signs());
    for (std::size_t i = 0; i < after.size(); ++i) after[i] -= trace_.coeff * final_pattern[i];
    // Before and after on one robust scale (colour_scale.h): trained weights' spikes would wash it out.
    const float limit = std::max(abs_quantile(before_shown), 1e-12f);
    const Tensor after_shown = flat_view(after, photo_);
    before_view_->set_image(heat_map(before_shown, limit));
    before_view_->set_legend(limit, scale_note(true, fraction_beyond(before_shown, limit)));
    after_view_->set_image(heat_map(after_shown, limit));
    after_view_->set_legend(limit, scale_note(true, fraction_beyond(after_shown, limit)));

    const double entries = double(residual_.size());
    const double drop =
        trace_.residual_norm_before > 0 ? 1.0 - trace_.residual_norm_after / trace_.residual_norm_before : 0.0;
    numbers_->setText(tr("<b>The cut</b> (after %1 sweeps)<br>v = %2<br>c = v / %3 entries = %4<br>"
                         "‖R<sub>%5</sub>‖ = %6<br>‖R<sub>%7</sub>‖ = %8<br>a drop of %9 %")
                          .arg(trace_.sweeps)
                          .arg(trace_.value, 0, 'g', 6)
                          .arg(entries, 0, 'f', 0)
                          .arg(double(trace_.coeff), 0, 'g', 6)
                          .arg(width_)
                          .arg(trace_.residual_norm_before, 0, 'g', 6)
                          .arg(width_ + 1)
                          .arg(trace_.residual_norm_after, 0, 'g', 6)
                          .arg(100.0 * drop, 0, 'g', 3));
}

}  // namespace signcut::gui
