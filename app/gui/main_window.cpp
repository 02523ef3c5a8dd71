#include "main_window.h"

#include <QApplication>
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

#include "charts/error_chart.h"
#include "methods/image_quality.h"
#include "views/checkpoint_panel.h"
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

// 99th percentile of |x|: a legend limit that is not ruined by a few outliers.
float robust_limit(const Tensor& tensor) {
    std::vector<float> magnitudes(tensor.data().begin(), tensor.data().end());
    for (float& x : magnitudes) x = std::abs(x);
    if (magnitudes.empty()) return 0.0f;
    auto nth = magnitudes.begin() + std::ptrdiff_t(magnitudes.size() * 99 / 100);
    std::nth_element(magnitudes.begin(), nth, magnitudes.end());
    return *nth;
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle("signcut");
    setAcceptDrops(true);

    qRegisterMetaType<std::shared_ptr<const Job>>();
    qRegisterMetaType<std::shared_ptr<const Snapshot>>();
    worker_ = new DecompositionWorker;
    worker_->moveToThread(&worker_thread_);
    connect(&worker_thread_, &QThread::finished, worker_, &QObject::deleteLater);
    connect(worker_, &DecompositionWorker::progressed, this, &MainWindow::on_snapshot, Qt::QueuedConnection);
    connect(worker_, &DecompositionWorker::finished, this, &MainWindow::on_snapshot, Qt::QueuedConnection);
    connect(worker_, &DecompositionWorker::failed, this, &MainWindow::on_failed, Qt::QueuedConnection);
    worker_thread_.start();

    original_view_ = new ImageView("Original A");
    reconstruction_view_ = new ImageView("Reconstruction Â_w");
    residual_view_ = new ImageView("Residual A − Â_w");
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
    tabs_->addTab(explore, "Explore");
    tabs_->addTab(comparison_, "Compare methods");
    tabs_->setTabToolTip(kCompareTab,
                         "Every low-bit method on the loaded data at the same bit budgets, over the "
                         "rate-distortion floors");
    cut_view_ = new CutStepperView;
    gallery_ = new CutGalleryView;
    svd_view_ = new SvdComparisonView;
    tabs_->addTab(cut_view_, "Inside one cut");
    tabs_->setTabToolTip(kCutTab, "The next cut at the width shown, found step by step");
    tabs_->addTab(gallery_, "Cut gallery");
    tabs_->setTabToolTip(kGalleryTab, "The first cuts as tiles: coarse structure first, detail later");
    tabs_->addTab(svd_view_, "SVD vs cuts");
    tabs_->setTabToolTip(kSvdTab, "Truncated SVD and signed cuts at the same memory");
    setCentralWidget(tabs_);
    // One zoom for the pictures of the same data, in each tab's panes alike; in each tab, one
    // pane can be shown alone.
    zoom_ = new ZoomLink(this);
    const QList<ImageView*> compare_panes = comparison_->findChildren<ImageView*>();
    const QList<ImageView*> svd_panes = svd_view_->findChildren<ImageView*>();
    for (const std::vector<ImageView*>& panes :
         {std::vector<ImageView*>{original_view_, reconstruction_view_, residual_view_},
          std::vector<ImageView*>(compare_panes.begin(), compare_panes.end()),
          std::vector<ImageView*>(svd_panes.begin(), svd_panes.end())}) {
        for (ImageView* pane : panes) pane->set_zoom_link(zoom_);
        make_enlargeable(panes);
    }

    settings_ = new SettingsPanel;
    connect(settings_, &SettingsPanel::restart_requested, this, &MainWindow::restart);
    numbers_ = new QLabel;
    numbers_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    numbers_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    // No minimum width: at 2× scaling on a 1920 × 1080 screen the whole window must fit.
    slice_ = new QSpinBox;
    slice_->setToolTip("Which 2-D slice of a tensor of order > 2 to show");
    connect(slice_, &QSpinBox::valueChanged, this, [this] { refresh_views(); });
    auto* panel = new QWidget;
    auto* panel_layout = new QVBoxLayout(panel);
    panel_layout->addWidget(settings_);
    auto* slice_row = new QHBoxLayout;
    slice_row->addWidget(new QLabel("Slice shown"));
    slice_row->addWidget(slice_, 1);
    panel_layout->addLayout(slice_row);
    panel_layout->addWidget(numbers_, 1);
    run_dock_ = new QDockWidget("Run");
    run_dock_->setObjectName("run-dock");
    run_dock_->setWidget(panel);
    run_dock_->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::RightDockWidgetArea, run_dock_);
    checkpoint_panel_ = new CheckpointPanel;
    connect(checkpoint_panel_, &CheckpointPanel::tensor_picked, this, &MainWindow::show_checkpoint_tensor);
    checkpoint_dock_ = new QDockWidget("Checkpoint");
    checkpoint_dock_->setObjectName("checkpoint-dock");
    checkpoint_dock_->setWidget(checkpoint_panel_);
    addDockWidget(Qt::RightDockWidgetArea, checkpoint_dock_);
    tabifyDockWidget(run_dock_, checkpoint_dock_);
    checkpoint_dock_->hide();  // shown while a .scdz checkpoint is open
    // The Run dock belongs to the Explore tab; Compare has its own controls and needs the room.
    connect(tabs_, &QTabWidget::currentChanged, this, [this](int index) {
        run_dock_->setVisible(index == kExploreTab);
        refresh_teaching_tab();
    });

    progress_ = new QProgressBar;
    progress_->setMaximumWidth(240);
    progress_->setRange(0, 1000);
    cancel_button_ = new QPushButton("Cancel (Esc)");
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
    original_view_->set_placeholder("Open an image, .npy, .csv, .scd or .scdz file (Ctrl+O) or drop one here");
    // A first start gets the tour (not under tests or --screenshot, which turn dialogs off); the
    // animation waits at w = 0 until it closes.
    tour_pending_ = !QSettings().value("tour/shown", false).toBool();
    QTimer::singleShot(400, this, [this] {
        if (dialogs_enabled_ && tour_pending_) show_tour();
        tour_pending_ = false;
    });
}

MainWindow::~MainWindow() {
    worker_->cancel();
    worker_thread_.quit();
    worker_thread_.wait();
}

void MainWindow::build_menus() {
    QMenu* file = menuBar()->addMenu("&File");
    file->addAction("&Open…", QKeySequence::Open, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, "Open", QFileInfo(input_path_).path(),
                                                          "Images, arrays and decompositions (*.png *.jpg *.jpeg *.bmp "
                                                          "*.tif *.tiff *.webp *.npy *.csv *.scd *.scdz);;"
                                                          "All files (*)");
        if (!path.isEmpty()) open_file(path);
    });
    recent_menu_ = file->addMenu("Open &Recent");
    rebuild_recent_menu();
    file->addSeparator();
    file->addAction("Export &reconstruction…", QKeySequence::Save, this, &MainWindow::export_reconstruction);
    file->addAction("Export &decomposition (.scd)…", QKeySequence("Ctrl+Shift+S"), this,
                    &MainWindow::export_decomposition);
    file->addAction("Export error &curve (.csv)…", QKeySequence("Ctrl+E"), this, &MainWindow::export_curve);
    file->addAction("Export c&hart (.png, .svg)…", QKeySequence("Ctrl+Shift+E"), this, &MainWindow::export_chart);
    file->addAction("Export &animation (.mp4, .gif)…", QKeySequence("Ctrl+Shift+A"), this,
                    &MainWindow::export_animation);
    file->addSeparator();
    file->addAction("&Quit", QKeySequence::Quit, this, &QWidget::close);

    QMenu* run = menuBar()->addMenu("&Run");
    run->addAction("&Restart", QKeySequence(Qt::Key_F5), this, &MainWindow::restart);
    run->addAction("&Cancel", QKeySequence(Qt::Key_Escape), this, &MainWindow::cancel);
    run->addAction("&Play / pause", QKeySequence(Qt::Key_Space), this, [this] { set_playing(!is_playing()); });
    // Home and End act while the focus is in the Explore tab: elsewhere a focused slider (SVD vs
    // cuts, Compare) keeps them for itself.
    QWidget* explore = tabs_->widget(kExploreTab);
    for (const bool last : {false, true}) {
        QAction* action = run->addAction(last ? "Show &last width" : "Show &first width", this, [this, last] {
            set_playing(false);
            show_width(last ? scrubber_->available() : 0);
        });
        action->setShortcut(last ? Qt::Key_End : Qt::Key_Home);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        explore->addAction(action);
    }

    QMenu* view = menuBar()->addMenu("&View");
    view->addAction("&Explore", QKeySequence("Ctrl+1"), this, [this] { show_tab(kExploreTab); });
    view->addAction("&Compare methods", QKeySequence("Ctrl+2"), this, [this] { show_tab(kCompareTab); });
    view->addAction("&Inside one cut", QKeySequence("Ctrl+3"), this, [this] { show_tab(kCutTab); });
    view->addAction("Cut &gallery", QKeySequence("Ctrl+4"), this, [this] { show_tab(kGalleryTab); });
    view->addAction("&SVD vs cuts", QKeySequence("Ctrl+5"), this, [this] { show_tab(kSvdTab); });

    QMenu* help = menuBar()->addMenu("&Help");
    help->addAction("&Tour", this, &MainWindow::show_tour);
    help->addAction("&About signcut", this, &MainWindow::show_about);
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
    if (first || was_playing) set_playing(true);
}

QSlider* MainWindow::width_slider() const { return scrubber_->slider(); }

bool MainWindow::is_playing() const { return scrubber_->is_playing(); }

void MainWindow::set_log_width(bool on) { scrubber_->set_log_width(on); }

void MainWindow::refresh_teaching_tab() {
    const int tab = tabs_->currentIndex();
    if (tab == kGalleryTab) {
        if (snapshot_ && !snapshot_->parts.empty())
            gallery_->set_decomposition(snapshot_->parts.front(), photo_ && !snapshot_->split_channels);
        else gallery_->clear("Decompose something to see its cuts");
    }
    if (tab != kCutTab) return;
    if (!snapshot_ || !input_)
        return cut_view_->clear("Stepping through a cut needs the original data: open an image or a matrix");
    Tensor residual = input_->tensor;
    if (input_ && input_->tensor.shape() != snapshot_->shape()) return;  // a decomposition of other data
    const Tensor& approx = cursor_.at(*snapshot_, displayed_width_);
    for (std::size_t i = 0; i < residual.size(); ++i) residual[i] -= approx[i];
    QString note = QString("(the width shown in Explore; move its slider to step through another cut)");
    bool photo = photo_;
    if (snapshot_->split_channels) {  // each channel has its own cuts: show the red one's
        residual = split_channels(residual).front();
        photo = false;
        note = "of the red channel (the colour setting decomposes each channel on its own)";
    }
    cut_view_->set_residual(std::move(residual), displayed_width_, settings_->options(), photo, note);
}

void MainWindow::set_width_rule(std::size_t width) { settings_->set_width_rule(width); }

void MainWindow::restart() {
    if (!input_) return;
    auto job = std::make_shared<Job>();
    job->id = ++job_id_;
    worker_->supersede(job->id);  // a burst of restarts runs only the last job
    job->input = input_->tensor;
    job->split_channels = settings_->split_channels();
    job->options = settings_->options();

    Shape part_shape = job->input.shape();
    if (job->split_channels) part_shape.pop_back();
    const std::size_t max_width = width_limit(part_shape, job->options);
    const std::size_t parts = job->split_channels ? job->input.dim(2) : 1;
    const double entries = double(job->input.size());
    const CoeffPrecision precision = job->options.precision;
    chart_->clear_curve();
    chart_->set_width_title(job->split_channels ? "width w (cuts per colour channel)" : "width w (cuts)");
    chart_->set_frame(max_width, [=](std::size_t w) {
        return 8.0 * double(parts * scd_file_bytes(part_shape, w, precision)) / entries;
    });
    snapshot_.reset();
    cursor_.reset();
    scrubber_->set_available(0, true);
    computing_ = true;
    cancel_button_->setEnabled(true);
    progress_->setValue(0);
    displayed_width_ = 0;
    scrubber_->show_width(0);
    original_view_->set_image(
        photo_ ? photo_image(input_->tensor)
               : heat_map(matrix_slice(input_->tensor, std::size_t(slice_->value())), max_abs(input_->tensor)));
    original_view_->set_legend(photo_ ? -1.0 : double(max_abs(input_->tensor)));
    // Colour photos show the residual's mean over their channels; anything else a slice of it.
    const bool channels = photo_ && input_->tensor.order() == 3 && input_->tensor.dim(2) > 1;
    residual_view_->set_title(channels ? "Residual A − Â_w (mean over channels)" : "Residual A − Â_w");
    reconstruction_view_->set_placeholder("Computing the first cuts…");
    residual_view_->set_placeholder("");
    statusBar()->showMessage(
        QString("Decomposing %1 (%2)…")
            .arg(QFileInfo(input_path_).fileName(), QString::fromStdString(shape_to_string(input_->tensor.shape()))));
    QMetaObject::invokeMethod(
        worker_, [worker = worker_, job] { worker->run(job); }, Qt::QueuedConnection);
    set_playing(!(tour_pending_ && dialogs_enabled_));
}

void MainWindow::cancel() {
    if (!computing_) return;
    worker_->cancel();
    statusBar()->showMessage("Cancelling…");
}

void MainWindow::on_snapshot(std::shared_ptr<const Snapshot> snapshot) {
    if (snapshot->job != job_id_) return;  // a result of a run that was restarted
    const bool first = !snapshot_;
    snapshot_ = snapshot;
    svd_view_->set_snapshot(snapshot);
    const std::size_t width = snapshot->width();
    scrubber_->set_available(width, !snapshot->finished);
    chart_->set_curve(*snapshot);
    const std::size_t limit = width_limit(snapshot->parts.front().shape(), settings_->options());
    const bool complete = snapshot->finished && snapshot->stop_reason != "cancelled";  // a cancel is not 100 %
    progress_->setValue(complete ? 1000 : int(1000.0 * double(width) / double(std::max<std::size_t>(limit, 1))));
    if (first && (is_playing() || tour_pending_)) show_width(0);  // playback starts from the empty picture
    else if (!is_playing() && displayed_width_ == 0 && !tour_pending_) show_width(width);
    if (!snapshot->finished) return;
    computing_ = false;
    cancel_button_->setEnabled(false);
    statusBar()->showMessage(QString("Stopped (%1) at w = %2 after %3 s: %4 cuts/s")
                                 .arg(snapshot->stop_reason)
                                 .arg(width)
                                 .arg(snapshot->seconds, 0, 'f', 2)
                                 .arg(snapshot->seconds > 0 ? double(width) / snapshot->seconds : 0.0, 0, 'f', 0));
    refresh_numbers();
    if (tabs_->currentIndex() == kGalleryTab) refresh_teaching_tab();
    Q_EMIT computation_finished();
}

void MainWindow::on_failed(quint64 job, const QString& message) {
    if (job != job_id_) return;
    computing_ = false;
    cancel_button_->setEnabled(false);
    report_error(message);
}

void MainWindow::set_playing(bool playing) { scrubber_->set_playing(playing); }

void MainWindow::show_width(std::size_t width) {
    if (!snapshot_) return;
    displayed_width_ = std::min(width, snapshot_->width());
    scrubber_->show_width(displayed_width_);
    chart_->set_current_width(displayed_width_, snapshot_->relative_error(displayed_width_));
    refresh_views();
    refresh_numbers();
}

void MainWindow::refresh_views() {
    if (!snapshot_ || snapshot_->parts.empty()) return;
    const Tensor& approx = cursor_.at(*snapshot_, displayed_width_);
    const std::size_t slice = std::size_t(slice_->value());
    if (photo_) {
        reconstruction_view_->set_image(photo_image(approx));
        reconstruction_view_->set_legend(-1);  // a heat map's legend must not stay under a photo
    } else {
        const float limit = input_ ? max_abs(input_->tensor) : max_abs(approx);
        reconstruction_view_->set_image(heat_map(matrix_slice(approx, slice), limit));
        reconstruction_view_->set_legend(limit);
        if (input_) original_view_->set_image(heat_map(matrix_slice(input_->tensor, slice), limit));
    }
    if (!input_) return;
    Tensor residual = input_->tensor;
    for (std::size_t i = 0; i < residual.size(); ++i) residual[i] -= approx[i];
    const Tensor shown = photo_ && residual.order() == 3 ? channel_mean(residual) : matrix_slice(residual, slice);
    const float limit = robust_limit(shown);
    residual_view_->set_image(heat_map(shown, limit));
    residual_view_->set_legend(limit);
}

QString MainWindow::numbers_text() const {
    if (!snapshot_) return {};
    const std::size_t w = displayed_width_;
    const double entries = double(snapshot_->entries());
    const double bytes = double(snapshot_->stored_bytes(w));
    const double error = snapshot_->relative_error(w);
    QString text = QString("width w          %1 of %2\n").arg(w).arg(snapshot_->width());
    text += QString("stored           %1 bytes\n").arg(qint64(bytes));
    text += QString("bits per entry   %1\n").arg(8.0 * bytes / entries, 0, 'f', 3);
    if (w > 0) {  // at w = 0 only the header is stored: a ratio would say nothing
        text += QString("vs f32 copy      %1× smaller\n").arg(4.0 * entries / bytes, 0, 'f', 2);
        text += QString("vs bf16 copy     %1× smaller\n").arg(2.0 * entries / bytes, 0, 'f', 2);
    }
    text += QString("relative error   %1\n").arg(error, 0, 'g', 4);
    if (photo_) {
        // PSNR with peak 1 (photos are read into [0, 1]): MSE = error² · ‖A‖² / N.
        double input_energy = 0;
        for (const Decomposition& part : snapshot_->parts) input_energy += part.input_squared_norm();
        const double psnr = psnr_db_from_mse(error * error * input_energy / entries, 1.0);
        text += std::isinf(psnr) ? QString("PSNR             ∞\n")
                                 : QString("PSNR             %1 dB\n").arg(psnr, 0, 'f', 2);
    }
    if (snapshot_->seconds > 0)
        text += QString("engine           %1 cuts/s\n").arg(double(snapshot_->width()) / snapshot_->seconds, 0, 'f', 0);
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
        this, "About signcut",
        "<h3>signcut</h3>"
        "<p>Signed cut decompositions: A ≈ Σ<sub>j≤w</sub> c<sub>j</sub> · x<sub>j</sub> ⊗ y<sub>j</sub> (⊗ …) "
        "with every x, y a vector of ±1, found greedily by alternating sign maximisation (a modification of "
        "Frieze–Kannan cut decompositions). Width w costs w·(Σ n<sub>i</sub>) bits plus w coefficients.</p>"
        "<p>Bundled photo: <i>Chelsea the cat</i> by Stefan van der Walt, CC0 (no copyright restrictions), "
        "from the scikit-image sample data.</p>");
}

void MainWindow::closeEvent(QCloseEvent* event) {
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    settings.setValue("window/state", saveState());
    settings_->save_settings();
    worker_->cancel();
    event->accept();
}

}  // namespace signcut::gui
