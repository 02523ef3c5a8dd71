#include "views/comparison_view.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMouseEvent>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>
#include <stdexcept>

#include "charts/comparison_chart.h"
#include "comparison_document.h"
#include "explorer_document.h"
#include "views/colour_scale.h"
#include "views/comparison_table_model.h"
#include "views/image_view.h"
#include "views/tensor_image.h"

namespace signcut::gui {
namespace {

const char* const kPickedTitle = "Pick a point on the chart or in the table";
const char* const kCutsTitle = "Signed cuts at the same budget";

const QString kCuts = "scd";
const char* kDefaultBudgets = "1,2,4,8,16";

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

ComparisonView::ComparisonView(QWidget* parent)
    : QWidget(parent), document_(new ComparisonDocument(this)), rows_(new ComparisonTableModel(document_, this)) {
    // The choices are remembered (QSettings "compare/…") when the user makes them.
    QSettings settings;
    budgets_ = new QLineEdit(settings.value("compare/budgets", kDefaultBudgets).toString());
    budgets_->setToolTip(tr("Bit budgets per entry, comma separated; every method gets the same budgets"));
    budgets_->setMaximumWidth(160);
    connect(budgets_, &QLineEdit::returnPressed, this, &ComparisonView::run);
    // The line edit, not the view, in the slot: it also finishes editing when it loses focus as
    // the window closes, after ~ComparisonView has run (UBSan's vptr check caught `this` there).
    connect(budgets_, &QLineEdit::editingFinished, budgets_,
            [edit = budgets_] { QSettings().setValue("compare/budgets", edit->text()); });
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
    measure_->setToolTip(comparison_measures_tip());
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
    table_ = new QTableView;
    table_->setModel(rows_);
    table_->verticalHeader()->setVisible(false);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setWordWrap(false);  // the full note is in each row's tooltip
    table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 6);
    connect(table_, &QTableView::clicked, this, [this](const QModelIndex& index) {
        const ComparisonPoint& point = rows_->point(index.row());
        pick(point.method, point.budget);
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

    connect(document_, &ComparisonDocument::input_changed, this, &ComparisonView::on_input_changed);
    connect(document_, &ComparisonDocument::run_started, this, &ComparisonView::on_run_started);
    connect(document_, &ComparisonDocument::floors_ready, chart_,
            [this](std::shared_ptr<const ComparisonFloors> floors) { chart_->set_floors(*floors); });
    connect(document_, &ComparisonDocument::point_added, this, &ComparisonView::on_point);
    connect(document_, &ComparisonDocument::universality_ready, this, [this](const QString& text) {
        universality_->setText(text);
        universality_->show();
    });
    connect(document_, &ComparisonDocument::cancelled, this, [this] {
        cancel_button_->setEnabled(false);
        set_status(tr("Cancelled after %1 of %2 points").arg(points().size()).arg(document_->expected_points()));
    });
    connect(document_, &ComparisonDocument::comparison_finished, this, [this] {
        cancel_button_->setEnabled(false);
        set_status(tr("Done: %1 points on %2").arg(points().size()).arg(document_->name()));
        Q_EMIT comparison_finished();
    });
    connect(document_, &ComparisonDocument::comparison_stopped, this, &ComparisonView::comparison_stopped);
    clear_input(tr("Open an image or a matrix to compare the methods on it"));
}

ComparisonView::~ComparisonView() = default;

bool ComparisonView::is_running() const { return document_->is_running(); }

const std::vector<std::shared_ptr<const ComparisonPoint>>& ComparisonView::points() const {
    return document_->points();
}

void ComparisonView::set_input(std::shared_ptr<const Tensor> input, bool photo, const QString& name) {
    document_->set_input(std::move(input), photo, name);
}

void ComparisonView::clear_input(const QString& why) {
    no_input_ = why;
    document_->clear_input();
}

void ComparisonView::follow(const ExplorerDocument& explorer) {
    connect(&explorer, &ExplorerDocument::input_changed, this, [this, &explorer] {
        if (explorer.input())
            set_input(explorer.input_tensor(), explorer.is_photo(), QFileInfo(explorer.path()).fileName());
        else clear_input(tr("A decomposition file stores the cuts only: open the original data to compare methods"));
    });
}

void ComparisonView::on_input_changed() {
    const Tensor* input = document_->input();
    scale_limit_ = input && !document_->is_photo() ? abs_quantile(*input) : 0.0f;
    universality_->hide();
    chart_->reset(parse_budgets(budgets_->text()));
    reset_previews(input ? tr("Nothing is computed until you press Run: every method chosen, at every budget")
                         : no_input_);
    run_button_->setEnabled(input != nullptr);
    set_status(input ? tr("Press Run (or Enter in the budgets) to compare the methods on %1").arg(document_->name())
                     : no_input_);
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
    if (!document_->input()) return;
    const std::vector<double> budgets = parse_budgets(budgets_->text());
    if (budgets.empty()) {
        set_status(tr("Budgets: give positive numbers of bits per entry, e.g. 1,2,4,8"));
        return;
    }
    document_->run(chosen_methods(), budgets, curves_->isChecked());
}

void ComparisonView::cancel() { document_->cancel(); }

void ComparisonView::on_run_started(const std::vector<double>& budgets) {
    universality_->hide();
    chart_->reset(budgets);
    picked_method_.clear();
    picked_view_->set_placeholder(tr("Computing…"));
    cuts_view_->set_placeholder("");
    cancel_button_->setEnabled(true);
    set_status(tr("Computing %1 points on %2…").arg(document_->expected_points()).arg(document_->name()));
}

void ComparisonView::on_point(std::shared_ptr<const ComparisonPoint> point) {
    chart_->add_point(*point);
    set_status(QString("%1 of %2 points on %3…")
                   .arg(points().size())
                   .arg(document_->expected_points())
                   .arg(document_->name()));
    if (picked_method_.isEmpty() && point->met_budget && point->method != kCuts) pick(point->method, point->budget);
    else if (point->method == kCuts && point->budget == picked_budget_) refresh_picked();
}

void ComparisonView::pick(const QString& method, double budget) {
    picked_method_ = method;
    picked_budget_ = budget;
    chart_->set_picked(method, budget);
    if (const int row = rows_->row_of(method, budget); row >= 0) table_->selectRow(row);
    refresh_picked();
}

void ComparisonView::refresh_picked() {
    if (picked_method_.isEmpty()) return;
    show_point(picked_view_, document_->find_point(picked_method_, picked_budget_), picked_method_, picked_budget_);
    show_point(cuts_view_, document_->find_point(kCuts, picked_budget_), kCuts, picked_budget_);
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
    if (document_->is_photo()) {
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
