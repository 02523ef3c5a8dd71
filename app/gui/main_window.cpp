#include "main_window.h"

#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QScreen>
#include <QPushButton>
#include <QSettings>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "charts/chart_export.h"
#include "charts/error_chart.h"
#include "explorer_document.h"
#include "io/file_formats.h"
#include "methods/method.h"
#include "methods/image_quality.h"
#include "views/checkpoint_panel.h"
#include "views/colour_scale.h"
#include "views/image_view.h"
#include "tour_dialog.h"
#include "views/comparison_view.h"
#include "views/cut_gallery_view.h"
#include "views/cut_stepper_view.h"
#include "views/svd_comparison_view.h"
#include "views/width_scrubber.h"
#include "views/zoom_link.h"
#include "views/settings_panel.h"
#include "views/tensor_image.h"

namespace signcut::gui {
namespace {

// Why a run stopped, in words (the engine's names are identifiers: stop_reason_name).
QString stop_reason_text(const QString& reason) {
    static const std::map<QString, const char*> words = {
        {"width", QT_TRANSLATE_NOOP("MainWindow", "Reached the width asked for")},
        {"bits_per_entry", QT_TRANSLATE_NOOP("MainWindow", "Reached the bit budget")},
        {"target_error", QT_TRANSLATE_NOOP("MainWindow", "Reached the target error")},
        {"exhausted", QT_TRANSLATE_NOOP("MainWindow", "Fitted exactly (nothing left to cut)")},
        {"cancelled", QT_TRANSLATE_NOOP("MainWindow", "Cancelled")},
    };
    const auto found = words.find(reason);
    return found == words.end() ? reason : MainWindow::tr(found->second);
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(tr("signcut"));
    setAcceptDrops(true);

    document_ = new ExplorerDocument(this);
    original_view_ = new ImageView(tr("Original A"));
    reconstruction_view_ = new ImageView(tr("Reconstruction Â_w"));
    residual_view_ = new ImageView(tr("Residual A − Â_w"));
    auto* views = new QSplitter(Qt::Horizontal);
    for (ImageView* view : {original_view_, reconstruction_view_, residual_view_}) views->addWidget(view);
    chart_ = new ErrorChart;
    auto* vertical = new QSplitter(Qt::Vertical);
    vertical->addWidget(views);
    vertical->addWidget(chart_);
    vertical->setStretchFactor(0, 1);  // pictures are wide: the chart can have half the height
    vertical->setStretchFactor(1, 1);
    chart_->setMinimumHeight(200);
    auto* explore = new QWidget;
    auto* layout = new QVBoxLayout(explore);
    layout->setContentsMargins(6, 6, 6, 2);
    layout->addWidget(vertical, 1);
    scrubber_ = new WidthScrubber;
    connect(scrubber_, &WidthScrubber::width_chosen, this, &MainWindow::show_width);
    chart_->set_log_width(scrubber_->log_width());
    connect(scrubber_, &WidthScrubber::log_width_toggled, chart_, &ErrorChart::set_log_width);
    connect(chart_, &ErrorChart::width_clicked, this, [this](std::size_t width) {
        set_playing(false);
        show_width(width);
    });
    layout->addWidget(scrubber_);
    comparison_ = new ComparisonView;
    tabs_ = new QTabWidget;
    tabs_->setDocumentMode(true);
    tabs_->addTab(explore, tr("Explore"));
    tabs_->addTab(comparison_, tr("Compare methods"));
    tabs_->setTabToolTip(kCompareTab, tr("Every low-bit method on the loaded data at the same bit budgets, over the "
                                         "rate-distortion floors"));
    cut_view_ = new CutStepperView;
    gallery_ = new CutGalleryView;
    connect(cut_view_, &CutStepperView::cut_chosen, this, &MainWindow::refresh_teaching_tab);
    connect(gallery_, &CutGalleryView::cut_clicked, this, [this](std::size_t j) {
        if (!document_->snapshot()) return;
        cut_view_->set_computed(document_->snapshot()->width());
        cut_view_->choose_cut(j + 1);
        show_tab(kCutTab);
    });
    svd_view_ = new SvdComparisonView;
    tabs_->addTab(cut_view_, tr("Inside one cut"));
    tabs_->setTabToolTip(kCutTab, tr("The next cut at the width shown, found step by step"));
    tabs_->addTab(gallery_, tr("Cut gallery"));
    tabs_->setTabToolTip(kGalleryTab, tr("The first cuts as tiles: coarse structure first, detail later"));
    tabs_->addTab(svd_view_, tr("SVD vs cuts"));
    tabs_->setTabToolTip(kSvdTab, tr("Truncated SVD and signed cuts at the same memory"));
    setCentralWidget(tabs_);
    // One zoom for the pictures of a tab (Explore, Compare, SVD vs cuts): its panes zoom and pan
    // together, and one can be shown alone. Each tab keeps its own: Compare's magnified corner
    // does not follow into SVD vs cuts.
    const QList<ImageView*> compare_panes = comparison_->findChildren<ImageView*>();
    const QList<ImageView*> svd_panes = svd_view_->findChildren<ImageView*>();
    const std::pair<Tab, std::vector<ImageView*>> tab_panes[] = {
        {kExploreTab, {original_view_, reconstruction_view_, residual_view_}},
        {kCompareTab, std::vector<ImageView*>(compare_panes.begin(), compare_panes.end())},
        {kSvdTab, std::vector<ImageView*>(svd_panes.begin(), svd_panes.end())}};
    for (const auto& [tab, panes] : tab_panes) {
        auto* zoom = new ZoomLink(this);
        zooms_[tab] = zoom;
        for (ImageView* pane : panes) pane->set_zoom_link(zoom);
        make_enlargeable(panes);
    }

    settings_ = new SettingsPanel;
    connect(settings_, &SettingsPanel::restart_requested, this, &MainWindow::restart);
    numbers_ = new QLabel;
    numbers_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    numbers_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    // No minimum width: at 2× scaling on a 1920 × 1080 screen the whole window must fit.
    slice_ = new QSpinBox;
    slice_->setRange(-1, 0);
    slice_->setValue(-1);
    slice_->setSpecialValueText(tr("all, unfolded"));
    slice_->setToolTip(tr("A tensor of order > 2: all of it as one matrix (rows over its first modes, columns "
                          "over the rest, the squarest such split), or one 2-D slice through its first two modes"));
    connect(slice_, &QSpinBox::valueChanged, this, [this] { refresh_views(); });
    own_scales_ = new QCheckBox(tr("Own scale per pane"));
    own_scales_->setToolTip(tr("Off: the heat maps share one scale, the %1th percentile of |A|, so equal colours "
                               "are equal values; values beyond it are saturated. On: each pane is scaled to its own "
                               "%1th percentile (a faint residual then shows its structure).")
                                .arg(100.0 * kScaleQuantile));
    own_scales_->setChecked(QSettings().value("view/own-colour-scales", false).toBool());
    connect(own_scales_, &QCheckBox::toggled, this, [this](bool on) {
        QSettings().setValue("view/own-colour-scales", on);
        refresh_views();
    });
    mark_apart_ = new QCheckBox(tr("Ring entries apart"));
    mark_apart_->setToolTip(tr("Outliers apart: ring, on the original, the entries stored exactly instead of by cuts"));
    mark_apart_->setChecked(true);
    connect(mark_apart_, &QCheckBox::toggled, this, [this] { refresh_views(); });
    auto* panel = new QWidget;
    auto* panel_layout = new QVBoxLayout(panel);
    panel_layout->addWidget(settings_);
    auto* slice_row = new QHBoxLayout;
    slice_row->addWidget(new QLabel(tr("Slice shown")));
    slice_row->addWidget(slice_, 1);
    panel_layout->addLayout(slice_row);
    auto* view_row = new QHBoxLayout;  // one row: at 2× scaling the dock must fit a 1080-pixel screen
    view_row->addWidget(own_scales_);
    view_row->addWidget(mark_apart_);
    panel_layout->addLayout(view_row);
    panel_layout->addWidget(numbers_, 1);
    flat_curve_note_ = new QLabel(
        tr("<b>A flat curve?</b> Trained weights are much like noise: each cut takes a sliver. Entries far "
           "out in the tails flatten it more: <a href=\"#outliers\">Outliers apart</a>."));
    flat_curve_note_->setWordWrap(true);
    flat_curve_note_->hide();  // for matrices and tensors, not photos
    connect(flat_curve_note_, &QLabel::linkActivated, settings_, &SettingsPanel::focus_outliers);
    panel_layout->addWidget(flat_curve_note_);
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
        progress_->setVisible(index != kCompareTab);
        cancel_button_->setVisible(index != kCompareTab);
        if (index == kCompareTab) statusBar()->clearMessage();
        else statusBar()->showMessage(run_status_);
        refresh_teaching_tab();
    });

    progress_ = new QProgressBar;
    progress_->setMaximumWidth(240);
    progress_->setRange(0, 1000);
    cancel_button_ = new QPushButton(tr("Cancel (Esc)"));
    cancel_button_->setEnabled(false);
    connect(cancel_button_, &QPushButton::clicked, this, &MainWindow::cancel);
    statusBar()->addPermanentWidget(progress_);
    statusBar()->addPermanentWidget(cancel_button_);

    build_menus();
    settings_->load_settings();
    QSettings settings;
    if (!restoreGeometry(settings.value("window/geometry").toByteArray())) {
        // 1280 × 800, or less on a small (or 2× scaled) screen.
        const QSize room = screen() ? screen()->availableGeometry().size() * 0.92 : QSize(1280, 800);
        resize(QSize(1280, 800).boundedTo(room));
    }
    restoreState(settings.value("window/state").toByteArray());
    original_view_->set_placeholder(tr("Open an image, .npy, .csv, .scd or .scdz file (Ctrl+O) or drop one here"));
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
    connect(document_, &ExplorerDocument::width_changed, this, &MainWindow::on_width_changed);
    connect(document_, &ExplorerDocument::plain_curve_changed, this,
            [this] {
                chart_->set_reference_curve(document_->plain_snapshot());
                if (!document_->plain_running()) Q_EMIT reference_curve_finished();
            });
    connect(document_, &ExplorerDocument::error_occurred, this, [this](const QString& message) {
        cancel_button_->setEnabled(false);
        report_error(message);
    });
}

MainWindow::~MainWindow() = default;

bool MainWindow::is_computing() const { return document_->is_computing(); }
bool MainWindow::reference_curve_running() const { return document_->plain_running(); }

const Snapshot* MainWindow::snapshot() const { return document_->snapshot(); }

std::size_t MainWindow::displayed_width() const { return document_->width(); }

void MainWindow::build_menus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open…"), QKeySequence::Open, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open"), working_folder(document_->path()),
                                                          QString::fromStdString(open_dialog_filter()));
        if (!path.isEmpty()) open_file(path);
    });
    recent_menu_ = file->addMenu(tr("Open &Recent"));
    rebuild_recent_menu();
    file->addSeparator();
    file->addAction(tr("Export &reconstruction…"), QKeySequence::Save, this, &MainWindow::export_reconstruction);
    file->addAction(tr("Export &decomposition (.scd)…"), QKeySequence("Ctrl+Shift+S"), this,
                    &MainWindow::export_decomposition);
    file->addAction(tr("Export error &curve (.csv)…"), QKeySequence("Ctrl+E"), this, &MainWindow::export_curve);
    file->addAction(tr("Export c&hart (.png, .svg)…"), QKeySequence("Ctrl+Shift+E"), this, &MainWindow::export_chart);
    file->addAction(tr("Export &animation (.mp4, .gif)…"), QKeySequence("Ctrl+Shift+A"), this,
                    &MainWindow::export_animation);
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
            show_width(last ? scrubber_->available() : 0);
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
    help->addAction(tr("&About signcut"), this, &MainWindow::show_about);
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

QSlider* MainWindow::width_slider() const { return scrubber_->slider(); }

bool MainWindow::is_playing() const { return scrubber_->is_playing(); }

void MainWindow::set_log_width(bool on) { scrubber_->set_log_width(on); }

void MainWindow::refresh_teaching_tab() {
    const int tab = tabs_->currentIndex();
    const Snapshot* snapshot = document_->snapshot();
    const LoadedInput* input = document_->input();
    if (tab == kGalleryTab) {
        if (snapshot && !snapshot->parts().empty())
            gallery_->set_decomposition(snapshot->parts().front(), document_->is_photo() && !snapshot->split_channels);
        else gallery_->clear(tr("Decompose something to see its cuts"));
    }
    if (tab != kCutTab) return;
    if (!snapshot || !input)
        return cut_view_->clear(tr("Stepping through a cut needs the original data: open an image or a matrix"));
    Tensor residual = input->tensor;
    if (input->tensor.shape() != snapshot->shape()) return;  // a decomposition of other data
    cut_view_->set_computed(snapshot->width());
    const std::size_t width = std::min(cut_view_->chosen_width(), snapshot->width());
    ReconstructionCursor cursor;  // none kept: the next call may be about another run
    const Tensor& approx = cursor.at(*snapshot, width);
    for (std::size_t i = 0; i < residual.size(); ++i) residual[i] -= approx[i];
    QString note = tr("(choose another cut above)");
    bool photo = document_->is_photo();
    if (snapshot->split_channels) {  // each channel has its own cuts: show the red one's
        residual = as_matrices(residual).front();
        photo = false;
        note = tr("of the red channel (the colour setting decomposes each channel on its own)");
    }
    cut_view_->set_residual(std::move(residual), width, settings_->options(), photo, note);
}

void MainWindow::set_width_rule(std::size_t width) { settings_->set_width_rule(width); }

void MainWindow::restart() {
    // On a first start the run waits for the tour: the audience sees it grow, not its end.
    if (tour_pending_ && dialogs_enabled_) {
        start_after_tour_ = true;
        return show_run_status(tr("The decomposition starts when the tour closes"));
    }
    document_->start(settings_->split_channels(), settings_->options());
}

void MainWindow::on_job_started(const Job& job) {
    const Tensor& input = job.input;
    Shape part_shape = input.shape();
    if (job.split_channels) part_shape.pop_back();
    const std::size_t parts = job.split_channels ? input.dim(2) : 1;
    const double entries = double(input.size());
    const CoeffPrecision precision = job.options.precision;
    chart_->clear_curve();
    chart_->set_width_title(job.split_channels ? tr("width w (cuts per colour channel)") : tr("width w (cuts)"));
    chart_->set_frame(job.max_width, [=](std::size_t w) {
        return 8.0 * double(parts * scd_file_bytes(part_shape, w, precision)) / entries;
    });
    scrubber_->set_available(0, true);
    cancel_button_->setEnabled(true);
    progress_->setValue(0);
    scrubber_->show_width(0);
    const bool photo = document_->is_photo();
    shared_limit_ = photo ? 0.0f : abs_quantile(input);
    flat_curve_note_->setVisible(!photo);
    if (photo) {
        original_view_->set_image(photo_image(input));
        original_view_->set_legend(-1.0);
    } else {
        show_heat_map(original_view_, matrix_shown(input));
    }
    // Colour photos show the residual's mean over their channels; anything else a slice of it.
    const bool channels = photo && input.order() == 3 && input.dim(2) > 1;
    residual_view_->set_title(channels ? tr("Residual A − Â_w (mean over channels)") : tr("Residual A − Â_w"));
    reconstruction_view_->set_placeholder(tr("Computing the first cuts…"));
    residual_view_->set_placeholder("");
    show_run_status(
        tr("Decomposing %1 (%2)…")
            .arg(QFileInfo(document_->path()).fileName(), QString::fromStdString(shape_to_string(input.shape()))));
    progress_->setFormat("%p%");  // after a cancel it read "cancelled"
    set_playing(!(tour_pending_ && dialogs_enabled_));
}

void MainWindow::cancel() {
    // Esc stops what the tab shown is computing: Compare's run there, else the decomposition.
    if (tabs_->currentIndex() == kCompareTab && comparison_->is_running()) return comparison_->cancel();
    if (document_->cancel()) show_run_status(tr("Cancelling…"));
}

void MainWindow::show_run_status(const QString& text) {
    run_status_ = text;
    if (tabs_->currentIndex() != kCompareTab) statusBar()->showMessage(text);
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
    svd_view_->set_snapshot(snapshot);
    const std::size_t width = snapshot->width();
    scrubber_->set_available(width, !snapshot->finished);
    chart_->set_curve(*snapshot);
    const std::size_t limit = document_->job()->max_width;
    const bool complete = snapshot->finished && snapshot->stop_reason != "cancelled";  // a cancel is not 100 %
    progress_->setValue(complete ? 1000 : int(1000.0 * double(width) / double(std::max<std::size_t>(limit, 1))));
    if (first && (is_playing() || tour_pending_)) show_width(0);  // playback starts from the empty picture
    else if (!is_playing() && document_->width() == 0 && !tour_pending_) show_width(width);
}

void MainWindow::on_job_finished() {
    const Snapshot& snapshot = *document_->snapshot();
    cancel_button_->setEnabled(false);
    show_run_status(tr("%1 at w = %2 after %3 s: %4 cuts/s")
                        .arg(stop_reason_text(snapshot.stop_reason))
                        .arg(snapshot.width())
                        .arg(snapshot.seconds, 0, 'f', 2)
                        .arg(snapshot.seconds > 0 ? double(snapshot.width()) / snapshot.seconds : 0.0, 0, 'f', 0));
    if (snapshot.stop_reason == "cancelled") {  // not left at the fraction it had reached
        progress_->setValue(0);
        progress_->setFormat(tr("cancelled"));
    }
    refresh_numbers();
    if (tabs_->currentIndex() == kGalleryTab) refresh_teaching_tab();
    Q_EMIT computation_finished();
}

void MainWindow::set_playing(bool playing) { scrubber_->set_playing(playing); }

void MainWindow::show_width(std::size_t width) { document_->set_width(width); }

void MainWindow::on_width_changed(std::size_t width) {
    scrubber_->show_width(width);
    chart_->set_current_width(width, document_->snapshot()->relative_error(width));
    refresh_views();
    refresh_numbers();
}

void MainWindow::set_own_colour_scales(bool on) { own_scales_->setChecked(on); }

Tensor MainWindow::matrix_shown(const Tensor& tensor) const {
    return slice_->value() < 0 ? unfolding(tensor) : matrix_slice(tensor, std::size_t(slice_->value()));
}

void MainWindow::show_heat_map(ImageView* view, const Tensor& shown) const {
    const bool own = own_scales_->isChecked() || shared_limit_ <= 0;
    const float limit = own ? abs_quantile(shown) : shared_limit_;
    view->set_image(heat_map(shown, limit));
    view->set_legend(limit, scale_note(!own, fraction_beyond(shown, limit)));
}

void MainWindow::refresh_views() {
    const Snapshot* snapshot = document_->snapshot();
    if (!snapshot || snapshot->parts().empty()) return;
    const Tensor& approx = document_->reconstruction();
    const LoadedInput* input = document_->input();
    const bool photo = document_->is_photo();
    if (photo) {
        reconstruction_view_->set_image(photo_image(approx));
        reconstruction_view_->set_legend(-1);  // a heat map's legend must not stay under a photo
    } else {
        show_heat_map(reconstruction_view_, matrix_shown(approx));
        if (input) show_heat_map(original_view_, matrix_shown(input->tensor));
    }
    original_view_->set_markers(kept_apart_pixels(*snapshot, document_->width()));
    if (!input) return;
    Tensor residual = input->tensor;
    for (std::size_t i = 0; i < residual.size(); ++i) residual[i] -= approx[i];
    // A colour photo's residual: its mean over the channels, on its own scale (nothing to share with).
    show_heat_map(residual_view_, photo && residual.order() == 3 ? channel_mean(residual) : matrix_shown(residual));
}

std::vector<QPoint> MainWindow::kept_apart_pixels(const Snapshot& snapshot, std::size_t w) const {
    std::vector<QPoint> pixels;
    if (!mark_apart_->isChecked()) return pixels;
    const int slice = slice_->value();
    for (const Decomposition& part : snapshot.parts()) {
        // A flat index as (column, row) of the picture shown: a photo's pixel, an entry of the
        // unfolding, or of the slice shown (entries of other slices are not on screen).
        const Shape& shape = part.shape();
        const bool picture = shape.size() == 3 && document_->is_photo();
        const std::size_t channels = picture ? shape[2] : 1;
        const std::size_t slices = !picture && slice >= 0 ? slice_count(shape) : 1;
        const std::size_t cols = picture || slices > 1 ? shape[1] : unfolded_shape(shape).second;
        for (std::size_t e = 0; e < part.outlier_count(w); ++e) {
            std::uint64_t index = part.outlier_indices()[e];
            if (index % slices != std::size_t(std::max(slice, 0))) continue;
            index = index / slices / channels;
            pixels.emplace_back(int(index % cols), int(index / cols));
        }
    }
    return pixels;
}

QString MainWindow::numbers_text() const {
    const Snapshot* s = document_->snapshot();
    if (!s) return {};
    const std::size_t w = document_->width();
    const double entries = double(s->entries());
    const double bytes = double(s->stored_bytes(w));
    const double error = s->relative_error(w);
    QString text = tr("width w          %1 of %2\n").arg(w).arg(s->width());
    text += tr("stored           %1 bytes\n").arg(qint64(bytes));
    text += tr("bits per entry   %1\n").arg(8.0 * bytes / entries, 0, 'f', 3);
    if (w > 0) {  // at w = 0 only the header is stored: a ratio would say nothing
        text += tr("vs f32 copy      %1× smaller\n").arg(4.0 * entries / bytes, 0, 'f', 2);
        text += tr("vs bf16 copy     %1× smaller\n").arg(2.0 * entries / bytes, 0, 'f', 2);
    }
    text += tr("relative error   %1\n").arg(error, 0, 'g', 4);
    text += tr("outliers apart   %1\n").arg(QString::fromStdString(describe_outliers(s->parts(), w)));
    if (document_->is_photo()) {
        // PSNR with peak 1 (photos are read into [0, 1]): MSE = error² · ‖A‖² / N.
        double input_energy = 0;
        for (const Decomposition& part : s->parts()) input_energy += part.input_squared_norm();
        const double psnr = psnr_db_from_mse(error * error * input_energy / entries, 1.0);
        text += std::isinf(psnr) ? tr("PSNR             ∞\n") : tr("PSNR             %1 dB\n").arg(psnr, 0, 'f', 2);
    }
    // Timed only where the picture stands still: a finished run (or a file) and no playback.
    if (s->finished && !is_playing() && s->parts().size() == 1 && s->parts().front().order() >= 2 && w > 0) {
        const Decomposition& d = s->parts().front();
        if (!product_timing_ || std::get<0>(*product_timing_) != &d || std::get<1>(*product_timing_) != w)
            product_timing_.emplace(&d, w, product_timer_.time(d, w));
        const ProductTiming& t = std::get<2>(*product_timing_);
        text += tr("A·x from bits    %1 ms\n").arg(t.ms_from_bits, 0, 'g', 2);  // two lines: the dock is narrow
        text += tr("A·x bf16 GEMV    %1 ms\n").arg(t.ms_bf16_gemv, 0, 'g', 2);
    }
    if (s->seconds > 0) text += tr("engine           %1 cuts/s\n").arg(double(s->width()) / s->seconds, 0, 'f', 0);
    return text;
}

void MainWindow::refresh_numbers() {
    QFont mono("Monospace");
    mono.setStyleHint(QFont::TypeWriter);
    numbers_->setFont(mono);
    numbers_->setText(numbers_text());
}

void MainWindow::report_error(const QString& message) {
    last_error_ = message;
    statusBar()->showMessage(message, 10000);
    if (dialogs_enabled_) QMessageBox::warning(this, "signcut", message);
}

void MainWindow::show_about() {
    QMessageBox::about(
        this, tr("About signcut"),
        tr("<h3>signcut</h3>"
           "<p>Signed cut decompositions: A ≈ Σ<sub>j≤w</sub> c<sub>j</sub> · x<sub>j</sub> ⊗ y<sub>j</sub> (⊗ …) "
           "with every x, y a vector of ±1, found greedily by alternating sign maximisation (a modification of "
           "Frieze–Kannan cut decompositions). Width w costs w·(Σ n<sub>i</sub>) bits plus w coefficients.</p>"
           "<p>Bundled photo: <i>Chelsea the cat</i> by Stefan van der Walt, CC0 (no copyright restrictions), "
           "from the scikit-image sample data.</p>"));
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
