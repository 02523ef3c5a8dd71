#include "views/comparison_view.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMouseEvent>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>
#include <stdexcept>

#include "charts/comparison_chart.h"
#include "views/colour_scale.h"
#include "views/image_view.h"
#include "views/tensor_image.h"

namespace signcut::gui {
namespace {

const char* const kPickedTitle = "Pick a point on the chart or in the table";
const char* const kCutsTitle = "Signed cuts at the same budget";

const QString kCuts = "scd";
const char* kDefaultBudgets = "1,2,4,8,16";
enum Column { kMethod, kBudget, kBits, kError, kPsnr, kSsim, kAboveFloor, kSeconds, kNote, kColumns };

const QString kMeasuresTip =
    "On pictures (values in [0, 1], or [0, 255]: the data range L): PSNR = 10·log₁₀(L² / MSE) over every "
    "entry, ∞ for an exact copy; SSIM (Wang et al. 2004) on the luminance 0.299 R + 0.587 G + 0.114 B, "
    "11×11 Gaussian window of σ = 1.5, K1 = 0.01, K2 = 0.03, averaged where the window fits; 1 for an exact copy. "
    "'-' on other data.";

// A menu of checkable entries that stays open while they are ticked: picking five methods is
// five clicks, not five menu openings.
class ChecklistMenu : public QMenu {
public:
    using QMenu::QMenu;

protected:
    void mouseReleaseEvent(QMouseEvent* event) override {
        QAction* action = actionAt(event->position().toPoint());
        if (action && action->isCheckable() && action->isEnabled()) return action->trigger();
        QMenu::mouseReleaseEvent(event);
    }
    void keyPressEvent(QKeyEvent* event) override {
        QAction* action = activeAction();
        const bool pick = event->key() == Qt::Key_Space || event->key() == Qt::Key_Return ||
                          event->key() == Qt::Key_Enter;
        if (pick && action && action->isCheckable() && action->isEnabled()) return action->trigger();
        QMenu::keyPressEvent(event);
    }
};

// The budgets typed, or none when the text is not a list of budgets (the status bar says so).
std::vector<double> parse_budgets(const QString& text) {
    try {
        return parse_budget_list(text.toStdString());
    } catch (const std::invalid_argument&) {
        return {};
    }
}

}  // namespace

ComparisonView::ComparisonView(QWidget* parent) : QWidget(parent) {
    qRegisterMetaType<std::shared_ptr<const ComparisonJob>>();
    qRegisterMetaType<std::shared_ptr<const ComparisonPoint>>();
    qRegisterMetaType<std::shared_ptr<const ComparisonFloors>>();
    worker_.on(&ComparisonWorker::floors_ready, this, &ComparisonView::on_floors);
    worker_.on(&ComparisonWorker::point_ready, this, &ComparisonView::on_point);
    worker_.on(&ComparisonWorker::finished, this, &ComparisonView::on_finished);
    worker_.on(&ComparisonWorker::universality_ready, this, [this](quint64 job, const QString& text) {
        if (job != job_id_ || !running_) return;
        universality_->setText(text);
        universality_->show();
    });

    // The choices are remembered (QSettings "compare/…") when the user makes them.
    QSettings settings;
    budgets_ = new QLineEdit(settings.value("compare/budgets", kDefaultBudgets).toString());
    budgets_->setToolTip(tr("Bit budgets per entry, comma separated; every method gets the same budgets"));
    budgets_->setMaximumWidth(160);
    connect(budgets_, &QLineEdit::returnPressed, this, &ComparisonView::run);
    connect(budgets_, &QLineEdit::editingFinished, this,
            [this] { QSettings().setValue("compare/budgets", budgets_->text()); });
    methods_button_ = new QToolButton;
    methods_button_->setText(tr("Methods"));
    methods_button_->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new ChecklistMenu(methods_button_);
    const auto remember_methods = [this] { QSettings().setValue("compare/methods", chosen_methods()); };
    for (const bool all : {true, false})
        menu->addAction(all ? tr("All methods") : tr("Signed cuts only"), this, [this, all, remember_methods] {
            for (QAction* action : methods_button_->menu()->actions())
                if (action->isCheckable() && action->isEnabled()) action->setChecked(all);
            remember_methods();
        });
    menu->addSeparator();
    QStringList every_method;
    for (const std::string& name : method_names()) every_method << QString::fromStdString(name);
    const QStringList remembered = settings.value("compare/methods", every_method).toStringList();
    for (const std::string& name : method_names()) {
        QAction* action = menu->addAction(QString::fromStdString(name));
        action->setCheckable(true);
        action->setChecked(action->text() == kCuts || remembered.contains(action->text()));
        action->setToolTip(comparison_description(action->text()));
        if (action->text() == kCuts) action->setEnabled(false);  // the reference every pick is shown beside
        connect(action, &QAction::triggered, this, remember_methods);
    }
    menu->setToolTipsVisible(true);
    methods_button_->setMenu(menu);
    curves_ = new QCheckBox(tr("Curves"));
    curves_->setChecked(settings.value("compare/curves", true).toBool());
    connect(curves_, &QCheckBox::clicked, this, [](bool on) { QSettings().setValue("compare/curves", on); });
    curves_->setToolTip(
        tr("Also run every method at 4 budgets per octave between the budgets, to draw its "
           "rate–distortion curve (the budgets asked for get the large markers)"));
    measure_ = new QComboBox;
    measure_->addItem(tr("relative error"), int(ComparisonMeasure::relative_error));
    measure_->addItem(tr("PSNR"), int(ComparisonMeasure::psnr));
    measure_->addItem(tr("SSIM"), int(ComparisonMeasure::ssim));
    measure_->setToolTip(kMeasuresTip);
    measure_->setCurrentIndex(std::clamp(settings.value("compare/measure", 0).toInt(), 0, measure_->count() - 1));
    connect(measure_, &QComboBox::activated, this, [](int index) { QSettings().setValue("compare/measure", index); });
    run_button_ = new QPushButton(tr("Run"));
    connect(run_button_, &QPushButton::clicked, this, &ComparisonView::run);
    cancel_button_ = new QPushButton(tr("Cancel"));
    cancel_button_->setEnabled(false);
    connect(cancel_button_, &QPushButton::clicked, this, &ComparisonView::cancel);
    status_ = new QLabel;
    status_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);  // a long status must not widen the window
    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Bits per entry")));
    controls->addWidget(budgets_);
    controls->addWidget(methods_button_);
    controls->addWidget(curves_);
    controls->addWidget(new QLabel(tr("y axis")));
    controls->addWidget(measure_);
    controls->addWidget(run_button_);
    controls->addWidget(cancel_button_);
    controls->addWidget(status_, 1);

    chart_ = new ComparisonChart;
    connect(chart_, &ComparisonChart::point_picked, this, &ComparisonView::pick);
    connect(measure_, &QComboBox::currentIndexChanged, this, [this] {
        chart_->set_measure(ComparisonMeasure(measure_->currentData().toInt()));
        chart_->set_picked(picked_method_, picked_budget_);
    });
    chart_->set_measure(ComparisonMeasure(measure_->currentData().toInt()));
    picked_view_ = new ImageView(kPickedTitle);
    cuts_view_ = new ImageView(kCutsTitle);
    table_ = new QTableWidget(0, kColumns);
    // Short headers (the table shares the row with two pictures), each explained in its tooltip.
    const std::pair<QString, QString> headers[kColumns] = {
        {tr("method"), tr("The method")},
        {tr("budget"), tr("The bits per entry asked for")},
        {tr("bits"), tr("Bits per entry used, everything stored (signs, scales, headers)")},
        {tr("error"), tr("Relative error ‖A − Â‖ / ‖A‖")},
        {tr("PSNR"), tr("Peak signal-to-noise ratio in dB, on pictures")},
        {tr("SSIM"), tr("Structural similarity of the luminance, on pictures")},
        {tr("+floor"), tr("Bits above the i.i.d. Gaussian floor: bits per entry + log₂(relative error)")},
        {tr("s"), tr("Seconds to compute")},
        {tr("note"), tr("What the method did at this budget")}};
    for (int column = 0; column < kColumns; ++column) {
        auto* header = new QTableWidgetItem(headers[column].first);
        header->setToolTip(headers[column].second);
        table_->setHorizontalHeaderItem(column, header);
    }
    table_->verticalHeader()->setVisible(false);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setWordWrap(false);  // the full note is in each row's tooltip
    table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 6);
    connect(table_, &QTableWidget::cellClicked, this, [this](int row, int) {
        pick(table_->item(row, kMethod)->text(), table_->item(row, kBudget)->data(Qt::UserRole).toDouble());
    });

    auto* pictures = new QSplitter(Qt::Horizontal);
    pictures->addWidget(picked_view_);
    pictures->addWidget(cuts_view_);
    pictures->addWidget(table_);
    pictures->setStretchFactor(0, 2);
    pictures->setStretchFactor(1, 2);
    pictures->setStretchFactor(2, 3);
    auto* vertical = new QSplitter(Qt::Vertical);
    vertical->addWidget(chart_);
    vertical->addWidget(pictures);
    vertical->setStretchFactor(0, 3);
    vertical->setStretchFactor(1, 2);
    universality_ = new QLabel;
    universality_->setWordWrap(true);
    universality_->setToolTip(
        tr("The same code (a random rotation, then one trellis) at the same budget on data of very different "
           "covariance. After the rotation every row looks Gaussian, so one code serves them all: Harbuzova, "
           "Ordentlich and Polyanskiy (2026) prove that a single codebook costs at most 0.11 bit per entry over "
           "reverse water-filling for every covariance, with random codebooks no one can build; tcq is a "
           "constructive stand-in. Below 0 is no contradiction: the i.i.d. floor assumes rows of equal energy, "
           "and tcq spends its bits where the energy is."));
    universality_->hide();
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(controls);
    layout->addWidget(universality_);
    layout->addWidget(vertical, 1);
    clear_input(tr("Open an image or a matrix to compare the methods on it"));
}

ComparisonView::~ComparisonView() { worker_->supersede(job_id_ + 1); }

void ComparisonView::set_input(std::shared_ptr<const Tensor> input, bool photo, const QString& name) {
    cancel();
    input_ = std::move(input);
    photo_ = photo;
    name_ = name;
    scale_limit_ = photo ? 0.0f : abs_quantile(*input_);
    points_.clear();
    table_->setRowCount(0);
    universality_->hide();
    chart_->reset(parse_budgets(budgets_->text()));
    reset_previews(tr("Nothing is computed until you press Run: every method chosen, at every budget"));
    run_button_->setEnabled(true);
    set_status(tr("Press Run (or Enter in the budgets) to compare the methods on %1").arg(name_));
}

void ComparisonView::clear_input(const QString& why) {
    cancel();
    input_.reset();
    points_.clear();
    table_->setRowCount(0);
    universality_->hide();
    chart_->reset(parse_budgets(budgets_->text()));
    reset_previews(why);
    run_button_->setEnabled(false);
    set_status(why);
}

void ComparisonView::reset_previews(const QString& placeholder) {
    picked_method_.clear();
    picked_view_->set_title(kPickedTitle);
    picked_view_->set_placeholder(placeholder);
    cuts_view_->set_title(kCutsTitle);
    cuts_view_->set_placeholder("");
}

void ComparisonView::set_budgets(const QString& budgets) { budgets_->setText(budgets); }

void ComparisonView::set_curves(bool on) { curves_->setChecked(on); }

void ComparisonView::set_measure(ComparisonMeasure measure) {
    measure_->setCurrentIndex(measure_->findData(int(measure)));
}

void ComparisonView::set_methods(const QStringList& methods) {
    for (QAction* action : methods_button_->menu()->actions())
        action->setChecked(action->text() == kCuts || methods.contains(action->text()));
}

QStringList ComparisonView::chosen_methods() const {
    QStringList methods;
    for (QAction* action : methods_button_->menu()->actions())
        if (action->isChecked()) methods << action->text();
    return methods;
}

void ComparisonView::run() {
    if (!input_) return;
    const std::vector<double> budgets = parse_budgets(budgets_->text());
    if (budgets.empty()) {
        set_status(tr("Budgets: give positive numbers of bits per entry, e.g. 1,2,4,8"));
        return;
    }
    cancel();
    auto job = std::make_shared<ComparisonJob>();
    job->id = ++job_id_;
    job->input = input_;
    job->methods = chosen_methods();
    job->budgets = budgets;
    job->curves = curves_->isChecked();
    worker_->supersede(job->id);
    running_ = true;
    expected_points_ = comparison_plan(*job).size();
    points_.clear();
    table_->setRowCount(0);
    universality_->hide();
    chart_->reset(budgets);
    picked_method_.clear();
    picked_view_->set_placeholder(tr("Computing…"));
    cuts_view_->set_placeholder("");
    cancel_button_->setEnabled(true);
    set_status(tr("Computing %1 points on %2…").arg(expected_points_).arg(name_));
    worker_.run(std::shared_ptr<const ComparisonJob>(job));
}

void ComparisonView::cancel() {
    if (!running_) return;
    worker_->supersede(job_id_ + 1);  // the point in progress finishes; its result is dropped
    running_ = false;
    cancel_button_->setEnabled(false);
    set_status(tr("Cancelled after %1 of %2 points").arg(points_.size()).arg(expected_points_));
}

void ComparisonView::on_floors(std::shared_ptr<const ComparisonFloors> floors) {
    if (floors->job == job_id_ && running_) chart_->set_floors(*floors);
}

void ComparisonView::on_point(std::shared_ptr<const ComparisonPoint> point) {
    if (point->job != job_id_ || !running_) return;  // from a run that was cancelled or replaced
    points_.push_back(point);
    chart_->add_point(*point);
    if (!point->on_curve) add_table_row(*point);
    set_status(QString("%1 of %2 points on %3…").arg(points_.size()).arg(expected_points_).arg(name_));
    if (picked_method_.isEmpty() && point->met_budget && point->method != kCuts) pick(point->method, point->budget);
    else if (point->method == kCuts && point->budget == picked_budget_) refresh_picked();
}

void ComparisonView::on_finished(quint64 job) {
    if (job != job_id_) return;
    if (!running_) {  // the run was cancelled; its results so far arrived before this and were dropped
        Q_EMIT comparison_stopped();
        return;
    }
    running_ = false;
    cancel_button_->setEnabled(false);
    set_status(tr("Done: %1 points on %2").arg(points_.size()).arg(name_));
    Q_EMIT comparison_finished();
}

void ComparisonView::add_table_row(const ComparisonPoint& point) {
    const int row = table_->rowCount();
    table_->insertRow(row);
    const auto cell = [&](int column, const QString& text) {
        auto* item = new QTableWidgetItem(text);
        item->setToolTip(point.note.isEmpty() ? comparison_description(point.method) : point.note);
        if (column != kMethod && column != kNote) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        table_->setItem(row, column, item);
        return item;
    };
    cell(kMethod, point.method);
    cell(kBudget, QString::number(point.budget))->setData(Qt::UserRole, point.budget);
    cell(kBits, point.met_budget ? QString::number(point.bits_per_entry, 'f', 3) : "-");
    cell(kError, point.met_budget ? QString::number(point.relative_error, 'g', 4) : "-");
    cell(kAboveFloor,
         point.met_budget && point.relative_error > 0 ? QString::number(point.bits_above_iid_floor, 'f', 2) : "-")
        ->setToolTip(tr("bits per entry + log₂(relative error): the bits spent beyond what the i.i.d. Gaussian "
                        "floor needs for the same error (below 0 on data with structure the floor ignores)"));
    const QString exact = point.met_budget && point.relative_error == 0 ? " (an exact copy)" : "";
    cell(kPsnr, !point.psnr_db               ? "-"
                : std::isinf(*point.psnr_db) ? "∞"
                                             : QString::number(*point.psnr_db, 'f', 2))
        ->setToolTip(kMeasuresTip + exact);
    cell(kSsim, point.ssim ? QString::number(*point.ssim, 'f', 4) : "-")->setToolTip(kMeasuresTip + exact);
    cell(kSeconds, QString::number(point.seconds, 'f', 2));
    cell(kNote, point.note);
}

const ComparisonPoint* ComparisonView::find_point(const QString& method, double budget) const {
    for (const auto& point : points_)
        if (point->method == method && point->budget == budget) return point.get();
    return nullptr;
}

void ComparisonView::pick(const QString& method, double budget) {
    picked_method_ = method;
    picked_budget_ = budget;
    chart_->set_picked(method, budget);
    for (int row = 0; row < table_->rowCount(); ++row)
        if (table_->item(row, kMethod)->text() == method &&
            table_->item(row, kBudget)->data(Qt::UserRole).toDouble() == budget)
            table_->selectRow(row);
    refresh_picked();
}

void ComparisonView::refresh_picked() {
    if (picked_method_.isEmpty()) return;
    show_point(picked_view_, find_point(picked_method_, picked_budget_), picked_method_, picked_budget_);
    show_point(cuts_view_, find_point(kCuts, picked_budget_), kCuts, picked_budget_);
}

void ComparisonView::show_point(ImageView* view, const ComparisonPoint* point, const QString& method, double budget) {
    const QString at = QString("%1, budget %2 bit%3 per entry").arg(method).arg(budget).arg(budget == 1 ? "" : "s");
    if (!point) return view->set_placeholder(at + ": not computed yet");
    if (!point->met_budget || !point->reconstruction) return view->set_placeholder(at + ": " + point->note);
    QString measures;
    if (point->psnr_db)
        measures = std::isinf(*point->psnr_db) ? tr(", exact") : tr(", %1 dB").arg(*point->psnr_db, 0, 'f', 1);
    if (point->ssim) measures += tr(", SSIM %1").arg(*point->ssim, 0, 'f', 3);
    view->set_title(QString("%1 at %2 %3: error %4%5 (%6 used)")
                        .arg(method)
                        .arg(budget)
                        .arg(budget == 1 ? "bit" : "bits")
                        .arg(point->relative_error, 0, 'g', 3)
                        .arg(measures)
                        .arg(point->bits_per_entry, 0, 'f', 2));
    const Tensor& r = *point->reconstruction;
    if (photo_) {
        view->set_image(photo_image(r));
        view->set_legend(-1);
    } else {
        const Tensor shown = unfolding(r);
        view->set_image(heat_map(shown, scale_limit_));
        view->set_legend(scale_limit_, scale_note(true, fraction_beyond(shown, scale_limit_)));
    }
}

void ComparisonView::set_status(const QString& text) { status_->setText(text); }

}  // namespace signcut::gui
