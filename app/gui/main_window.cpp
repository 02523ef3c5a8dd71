#include "main_window.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <map>
#include <utility>

#include "charts/chart_export.h"
#include "charts/comparison_chart.h"
#include "charts/error_chart.h"
#include "explorer_document.h"
#include "export_actions.h"
#include "file_actions.h"
#include "methods/method.h"
#include "views/checkpoint_panel.h"
#include "views/image_view.h"
#include "run_status.h"
#include "teaching_tabs.h"
#include "tour_dialog.h"
#include "views/comparison_view.h"
#include "views/cut_gallery_view.h"
#include "views/cut_stepper_view.h"
#include "views/svd_comparison_view.h"
#include "views/zoom_link.h"
#include "views/explore_view.h"
#include "views/settings_panel.h"
#include "views/tensor_image.h"

namespace signcut::gui {
MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(tr("signcut"));
    setAcceptDrops(true);

    document_ = new ExplorerDocument(this);
    files_ = new FileActions(this);
    connect(files_, &FileActions::open_requested, this, &MainWindow::open_file);
    connect(files_, &FileActions::failed, this, &MainWindow::report_error);
    exports_ = new ExportActions(document_, this);
    connect(exports_, &ExportActions::saved, this, [this](const QString& message) {
        statusBar()->showMessage(message, 5000);
    });
    connect(exports_, &ExportActions::failed, this, &MainWindow::report_error);
    explore_ = new ExploreView(document_);
    comparison_ = new ComparisonView;
    comparison_->follow(*document_);
    tabs_ = new QTabWidget;
    tabs_->setDocumentMode(true);
    tabs_->addTab(explore_, tr("Explore"));
    tabs_->addTab(comparison_, tr("Compare methods"));
    tabs_->setTabToolTip(kCompareTab, tr("Every low-bit method on the loaded data at the same bit budgets, over the "
                                         "rate-distortion floors"));
    cut_view_ = new CutStepperView;
    gallery_ = new CutGalleryView;
    connect(cut_view_, &CutStepperView::cut_chosen, this, &MainWindow::refresh_teaching_tab);
    svd_view_ = new SvdComparisonView(document_);
    tabs_->addTab(cut_view_, tr("Inside one cut"));
    tabs_->setTabToolTip(kCutTab, tr("One cut (the first, or any chosen), found step by step"));
    tabs_->addTab(gallery_, tr("Cut gallery"));
    tabs_->setTabToolTip(kGalleryTab, tr("The first cuts as tiles: coarse structure first, detail later"));
    tabs_->addTab(svd_view_, tr("SVD vs cuts"));
    tabs_->setTabToolTip(kSvdTab, tr("Truncated SVD and signed cuts at the same memory"));
    setCentralWidget(tabs_);
    // One zoom for the pictures of a tab (Explore, Compare, SVD vs cuts). Each tab keeps its own:
    // Compare's magnified corner does not follow into SVD vs cuts.
    zooms_ = {{kExploreTab, link_panes(explore_->panes(), this)},
              {kCompareTab, link_panes(panes_in(*comparison_), this)},
              {kSvdTab, link_panes(panes_in(*svd_view_), this)}};

    settings_ = new SettingsPanel;
    teaching_ = new TeachingTabs(document_, settings_, cut_view_, gallery_, this);
    connect(teaching_, &TeachingTabs::cut_view_wanted, this, [this] { show_tab(kCutTab); });
    connect(settings_, &SettingsPanel::restart_requested, this, &MainWindow::restart);
    auto* panel = new QWidget;
    auto* panel_layout = new QVBoxLayout(panel);
    panel_layout->addWidget(settings_);
    panel_layout->addWidget(explore_->side_panel(), 1);
    connect(explore_, &ExploreView::outliers_asked, settings_, &SettingsPanel::focus_outliers);
    run_dock_ = new QDockWidget(tr("Run"));
    run_dock_->setObjectName("run-dock");
    run_dock_->setWidget(panel);
    run_dock_->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::RightDockWidgetArea, run_dock_);
    checkpoint_panel_ = new CheckpointPanel;
    connect(checkpoint_panel_, &CheckpointPanel::tensor_picked, this, &MainWindow::show_checkpoint_tensor);
    checkpoint_dock_ = new QDockWidget(tr("Checkpoint"));
    checkpoint_dock_->setObjectName("checkpoint-dock");
    checkpoint_dock_->setWidget(checkpoint_panel_);
    addDockWidget(Qt::RightDockWidgetArea, checkpoint_dock_);
    tabifyDockWidget(run_dock_, checkpoint_dock_);
    checkpoint_dock_->hide();  // shown while a .scdz checkpoint is open
    // The Run dock belongs to the Explore tab; Compare has its own controls and needs the room.
    // Compare has its own status line, progress and Cancel: the bar's are the decomposition's.
    connect(tabs_, &QTabWidget::currentChanged, this, [this](int index) {
        run_dock_->setVisible(index == kExploreTab);
        run_status_->set_compare_shown(index == kCompareTab);
        refresh_teaching_tab();
    });
    run_status_ = new RunStatus(document_, statusBar());
    connect(run_status_, &RunStatus::cancel_requested, this, &MainWindow::cancel);

    build_menus();
    settings_->load_settings();
    QSettings settings;
    if (!restoreGeometry(settings.value("window/geometry").toByteArray())) {
        // 1280 × 800, or less on a small (or 2× scaled) screen.
        const QSize room = screen() ? screen()->availableGeometry().size() * 0.92 : QSize(1280, 800);
        resize(QSize(1280, 800).boundedTo(room));
    }
    restoreState(settings.value("window/state").toByteArray());
    explore_->set_placeholder(tr("Open an image, .npy, .csv, .scd or .scdz file (Ctrl+O) or drop one here"));
    // A first start gets the tour (not under tests or --screenshot, which turn dialogs off); the
    // animation waits at w = 0 until it closes.
    tour_pending_ = !QSettings().value("tour/shown", false).toBool();
    QTimer::singleShot(400, this, [this] {
        if (dialogs_enabled_ && tour_pending_) show_tour();
        tour_pending_ = false;
    });

    connect(document_, &ExplorerDocument::job_started, this, &MainWindow::on_job_started);
    connect(document_, &ExplorerDocument::snapshot_changed, this, &MainWindow::on_snapshot);
    connect(document_, &ExplorerDocument::job_finished, this, &MainWindow::on_job_finished);
    connect(document_, &ExplorerDocument::plain_curve_changed, this,
            [this] {
                if (!document_->plain_running()) Q_EMIT reference_curve_finished();
            });
    connect(document_, &ExplorerDocument::error_occurred, this, &MainWindow::report_error);
}

MainWindow::~MainWindow() = default;

bool MainWindow::is_computing() const { return document_->is_computing(); }
bool MainWindow::reference_curve_running() const { return document_->plain_running(); }

const Snapshot* MainWindow::snapshot() const { return document_->snapshot(); }

std::size_t MainWindow::displayed_width() const { return document_->width(); }

void MainWindow::build_menus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open…"), QKeySequence::Open, this, [this] {
        const QString path = files_->ask_open_path(document_->path());
        if (!path.isEmpty()) open_file(path);
    });
    files_->set_recent_menu(file->addMenu(tr("Open &Recent")));
    file->addSeparator();
    file->addAction(tr("Export &reconstruction…"), QKeySequence::Save, exports_, &ExportActions::export_reconstruction);
    file->addAction(tr("Export &decomposition (.scd)…"), QKeySequence("Ctrl+Shift+S"), exports_,
                    &ExportActions::export_decomposition);
    file->addAction(tr("Export error &curve (.csv)…"), QKeySequence("Ctrl+E"), exports_, &ExportActions::export_curve);
    file->addAction(tr("Export c&hart (.png, .svg)…"), QKeySequence("Ctrl+Shift+E"), this, [this] {
        // The chart of the tab shown: Compare's, or the error curve's.
        if (tabs_->currentIndex() == kCompareTab) exports_->export_chart(*comparison_->chart(), "compare-chart");
        else exports_->export_chart(*explore_->chart(), "error-chart");
    });
    file->addAction(tr("Export &animation (.mp4, .gif)…"), QKeySequence("Ctrl+Shift+A"), exports_,
                    &ExportActions::export_animation);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* run = menuBar()->addMenu(tr("&Run"));
    run->addAction(tr("&Restart"), QKeySequence(Qt::Key_F5), this, &MainWindow::restart);
    run->addAction(tr("&Cancel"), QKeySequence(Qt::Key_Escape), this, &MainWindow::cancel);
    run->addAction(tr("&Play / pause"), QKeySequence(Qt::Key_Space), this, [this] { set_playing(!is_playing()); });
    // Home and End act while the focus is in the Explore tab: elsewhere a focused slider (SVD vs
    // cuts, Compare) keeps them for itself.
    QWidget* explore = tabs_->widget(kExploreTab);
    for (const bool last : {false, true}) {
        QAction* action = run->addAction(last ? tr("Show &last width") : tr("Show &first width"), this, [this, last] {
            set_playing(false);
            show_width(last ? explore_->available_width() : 0);
        });
        action->setShortcut(last ? Qt::Key_End : Qt::Key_Home);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        explore->addAction(action);
    }

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("&Explore"), QKeySequence("Ctrl+1"), this, [this] { show_tab(kExploreTab); });
    view->addAction(tr("&Compare methods"), QKeySequence("Ctrl+2"), this, [this] { show_tab(kCompareTab); });
    view->addAction(tr("&Inside one cut"), QKeySequence("Ctrl+3"), this, [this] { show_tab(kCutTab); });
    view->addAction(tr("Cut &gallery"), QKeySequence("Ctrl+4"), this, [this] { show_tab(kGalleryTab); });
    view->addAction(tr("&SVD vs cuts"), QKeySequence("Ctrl+5"), this, [this] { show_tab(kSvdTab); });

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Tour"), this, &MainWindow::show_tour);
    help->addAction(tr("&About signcut"), this, [this] { show_about(this); });
}

void MainWindow::show_tab(Tab tab) { tabs_->setCurrentIndex(tab); }

void MainWindow::show_tour() {
    QSettings().setValue("tour/shown", true);
    const bool first = tour_pending_;
    const bool was_playing = is_playing();
    set_playing(false);  // the tour must not run over the animation
    TourDialog tour(this);
    tour.exec();
    tour_pending_ = false;
    if (std::exchange(start_after_tour_, false)) restart();  // playback follows from w = 0
    else if (first || was_playing) set_playing(true);
}

QSlider* MainWindow::width_slider() const { return explore_->width_slider(); }

bool MainWindow::is_playing() const { return explore_->is_playing(); }

void MainWindow::set_log_width(bool on) { explore_->set_log_width(on); }

void MainWindow::refresh_teaching_tab() { teaching_->refresh(tabs_->currentWidget()); }

void MainWindow::set_dialogs_enabled(bool enabled) {
    dialogs_enabled_ = enabled;
    files_->set_dialogs_enabled(enabled);
    exports_->set_dialogs_enabled(enabled);
}

void MainWindow::set_width_rule(std::size_t width) { settings_->set_width_rule(width); }

void MainWindow::restart() {
    // On a first start the run waits for the tour: the audience sees it grow, not its end.
    if (tour_pending_ && dialogs_enabled_) {
        start_after_tour_ = true;
        return run_status_->show(tr("The decomposition starts when the tour closes"));
    }
    document_->start(settings_->split_channels(), settings_->options());
}

void MainWindow::on_job_started(const Job& job) {
    explore_->start_job(job);
    set_playing(!(tour_pending_ && dialogs_enabled_));
}

void MainWindow::cancel() {
    // Esc stops what the tab shown is computing: Compare's run there, else the decomposition.
    if (tabs_->currentIndex() == kCompareTab && comparison_->is_running()) return comparison_->cancel();
    if (document_->cancel()) run_status_->show(tr("Cancelling…"));
}

ZoomLink* MainWindow::zoom() const {
    const auto found = zooms_.find(Tab(tabs_->currentIndex()));
    return found != zooms_.end() ? found->second : zooms_.at(kExploreTab);
}

void MainWindow::reset_zooms() {
    for (const auto& [tab, zoom] : zooms_) zoom->reset();  // a region of the old picture means nothing in a new one
}

void MainWindow::on_snapshot(bool first) {
    const std::shared_ptr<const Snapshot> snapshot = document_->shared_snapshot();
    const std::size_t width = snapshot->width();
    explore_->show_snapshot(*snapshot);
    if (first && (is_playing() || tour_pending_)) show_width(0);  // playback starts from the empty picture
    else if (!is_playing() && document_->width() == 0 && !tour_pending_) show_width(width);
}

void MainWindow::on_job_finished() {
    explore_->refresh_numbers();
    if (tabs_->currentIndex() == kGalleryTab) refresh_teaching_tab();
    Q_EMIT computation_finished();
}

void MainWindow::set_playing(bool playing) { explore_->set_playing(playing); }

void MainWindow::show_width(std::size_t width) { document_->set_width(width); }

void MainWindow::set_own_colour_scales(bool on) { explore_->set_own_colour_scales(on); }

QSpinBox* MainWindow::slice_box() const { return explore_->slice_box(); }

const ErrorChart* MainWindow::chart() const { return explore_->chart(); }

const ImageView* MainWindow::original_view() const { return explore_->panes().front(); }

std::vector<const ImageView*> MainWindow::explore_panes() const {
    const std::vector<ImageView*> panes = explore_->panes();
    return {panes.begin(), panes.end()};
}

QString MainWindow::numbers_text() const { return explore_->numbers_text(); }

std::vector<QPoint> MainWindow::kept_apart_pixels(const Snapshot& snapshot, std::size_t w) const {
    return explore_->kept_apart_pixels(snapshot, w);
}

void MainWindow::report_error(const QString& message) {
    last_error_ = message;
    statusBar()->showMessage(message, 10000);
    if (dialogs_enabled_) QMessageBox::warning(this, "signcut", message);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    settings.setValue("window/state", saveState());
    settings_->save_settings();
    document_->cancel();
    event->accept();
}

}  // namespace signcut::gui
