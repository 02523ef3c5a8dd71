// Opening files: images and arrays (checked for non-finite values and size), saved .scd
// decompositions, .scdz checkpoints and their tensors; recent files and drag and drop.
#include <QCloseEvent>
#include <QDockWidget>
#include <QFile>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QSettings>
#include <QSlider>
#include <QSpinBox>
#include <QStatusBar>

#include <cmath>
#include <span>

#include "charts/error_chart.h"
#include "io/file_access.h"
#include "io/image_file.h"
#include "io/scd_file.h"
#include "io/scdz_file.h"
#include "main_window.h"
#include "views/width_scrubber.h"
#include "views/zoom_link.h"
#include "views/checkpoint_panel.h"
#include "views/comparison_view.h"
#include "views/image_view.h"
#include "views/settings_panel.h"
#include "views/svd_comparison_view.h"
#include "views/tensor_image.h"

namespace signcut::gui {
namespace {

// Inputs above this many entries get an offer to downscale (images) or are refused (arrays):
// beyond it the explorer stops being interactive on a laptop.
constexpr std::size_t kInteractiveEntries = std::size_t(4) << 20;
constexpr int kMaxRecent = 8;

// Images and arrays from files; Qt resources (":/signcut/chelsea.png", the bundled cat) read
// through QFile and decoded from memory.
LoadedInput load_file_or_resource(const QString& path) {
    if (!path.startsWith(":/")) return load_input(path.toStdString());
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) throw FileError(path.toStdString(), "no such resource");
    const QByteArray bytes = file.readAll();
    LoadedImage image =
        decode_image(std::span<const char>(bytes.constData(), std::size_t(bytes.size())), path.toStdString());
    return {std::move(image.tensor), InputKind::image, std::move(image.notes)};
}

}  // namespace

void MainWindow::replace_input(std::shared_ptr<LoadedInput> input, const QString& path) {
    // The old results go first: until restart() computes new ones, nothing on screen may
    // combine the old decomposition with the new input (a slice range clamped below refreshes
    // the views at once).
    cancel();
    ++job_id_;
    snapshot_.reset();
    cursor_.reset();
    displayed_width_ = 0;
    input_ = std::move(input);
    photo_ = input_->kind == InputKind::image;
    input_path_ = path;
    zoom_->reset();  // a region of the old picture means nothing in the new one
}

void MainWindow::show_decomposition(Decomposition decomposition, const QString& path, const QString& title) {
    auto snapshot = std::make_shared<Snapshot>();
    snapshot->parts.push_back(std::move(decomposition));
    snapshot->finished = true;
    snapshot->stop_reason = "loaded";
    cancel();
    ++job_id_;
    computing_ = false;
    input_.reset();
    photo_ = looks_like_photo(snapshot->parts.front().shape());
    input_path_ = path;
    snapshot_ = snapshot;
    cursor_.reset();
    zoom_->reset();
    refresh_teaching_tab();
    const Decomposition& d = snapshot->parts.front();
    chart_->clear_curve();
    chart_->set_width_title("width w (cuts)");
    chart_->set_frame(d.width(), [d](std::size_t w) { return d.bits_per_entry(w); });
    chart_->set_curve(*snapshot);
    scrubber_->set_available(d.width(), false);
    slice_->setRange(0, int(slice_count(Tensor(d.shape())) - 1));
    slice_->setEnabled(!photo_ && d.order() > 2);
    original_view_->set_placeholder("A decomposition file stores the cuts only, not the original");
    original_view_->set_legend(-1);
    comparison_->clear_input("A decomposition file stores the cuts only: open the original data to compare methods");
    svd_view_->clear("A decomposition file stores the cuts only: open the original data to compare with the SVD");
    residual_view_->set_title("Residual A − Â_w");
    residual_view_->set_placeholder("No original to compare with");
    residual_view_->set_legend(-1);
    setWindowTitle(title + " — signcut");
    if (QFileInfo(path).suffix().toLower() == "scd") remember_recent(path);
    show_width(d.width());
    progress_->setValue(1000);
    statusBar()->showMessage(QString("Loaded %1 cuts of %2").arg(d.width()).arg(title));
    Q_EMIT computation_finished();  // nothing to compute: the file holds the cuts
}

bool MainWindow::show_checkpoint_tensor(int index) {
    if (!checkpoint_ || index < 0 || std::size_t(index) >= checkpoint_->entries().size()) return false;
    const ScdzEntry& entry = checkpoint_->entries()[std::size_t(index)];
    const QString name = QString::fromStdString(entry.name);
    if (!entry.decomposed) {
        statusBar()->showMessage(
            name + " was kept as it was (" + QString::fromStdString(entry.dtype) + "), not decomposed", 5000);
        return false;
    }
    if (entry.method != "scd") {  // another method's payload: no cuts to step through
        statusBar()->showMessage(
            name + " is stored by " + QString::fromStdString(entry.method) + ", not as signed cuts", 5000);
        return false;
    }
    try {
        show_decomposition(checkpoint_->decomposition(entry), QString::fromStdString(checkpoint_->path().string()),
                           name + " in " + QString::fromStdString(checkpoint_->path().filename().string()));
    } catch (const std::exception& error) {
        report_error(QString::fromUtf8(error.what()));
        return false;
    }
    return true;
}

bool MainWindow::open_file(const QString& path) {
    try {
        const QString suffix = QFileInfo(path).suffix().toLower();
        if (suffix == "scd") {
            checkpoint_dock_->hide();
            show_decomposition(read_scd(path.toStdString()), path, QFileInfo(path).fileName());
            return true;
        }
        if (suffix == "scdz") {
            auto checkpoint = std::make_shared<ScdzReader>(path.toStdString());
            const std::vector<TensorReport> reports = scdz_reports(*checkpoint);
            checkpoint_ = checkpoint;
            checkpoint_panel_->set_reports(QFileInfo(path).fileName(), reports);
            checkpoint_dock_->show();
            checkpoint_dock_->raise();
            remember_recent(path);
            // Start on the worst decomposed tensor: the one a user checks first.
            int worst = -1;
            for (int i = 0; i < int(reports.size()); ++i)
                if (reports[std::size_t(i)].decomposed &&
                    (worst < 0 || reports[std::size_t(i)].relative_error > reports[std::size_t(worst)].relative_error))
                    worst = i;
            if (worst >= 0) return show_checkpoint_tensor(worst);
            report_error(path + ": no decomposed tensor in this checkpoint");
            return false;
        }
        auto input = std::make_shared<LoadedInput>(load_file_or_resource(path));
        if (!confirm_finite(*input, path) || !confirm_size(*input, path)) return false;
        checkpoint_dock_->hide();
        replace_input(input, path);
    } catch (const std::exception& error) {
        report_error(QString::fromUtf8(error.what()));
        return false;
    }
    const Tensor& a = input_->tensor;
    const bool colour = photo_ && looks_like_photo(a.shape());
    settings_->set_colour_choice_enabled(colour);
    slice_->setRange(0, int(slice_count(a) - 1));
    slice_->setEnabled(!colour && a.order() > 2);
    setWindowTitle(QFileInfo(path).fileName() + " — signcut");
    remember_recent(path);
    comparison_->set_input(std::shared_ptr<const Tensor>(input_, &input_->tensor), photo_, QFileInfo(path).fileName());
    svd_view_->set_input(std::shared_ptr<const Tensor>(input_, &input_->tensor), photo_ && looks_like_photo(a.shape()));
    if (!input_->notes.empty()) statusBar()->showMessage(QString::fromStdString(input_->notes.front()), 5000);
    restart();
    return true;
}

bool MainWindow::confirm_finite(LoadedInput& input, const QString& path) {
    const std::size_t count = count_non_finite(input.tensor);
    if (count == 0) return true;
    const QString problem = QString("%1 has %2 NaN or infinite entries, which cannot be decomposed.")
                                .arg(QFileInfo(path).fileName())
                                .arg(count);
    if (!dialogs_enabled_ ||
        QMessageBox::question(this, "Non-finite values", problem + "\n\nReplace them by 0 and go on?",
                              QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel) != QMessageBox::Yes) {
        report_error(problem + " Nothing was loaded.");
        return false;
    }
    replace_non_finite(input.tensor, 0.0f);
    input.notes.push_back(QString("%1 NaN or infinite entries replaced by 0").arg(count).toStdString());
    return true;
}

bool MainWindow::confirm_size(LoadedInput& input, const QString& path) {
    const std::size_t entries = input.tensor.size();
    if (entries <= kInteractiveEntries) return true;
    const QString size = QString("%1 (%2 entries, %3 MB as f32)")
                             .arg(QString::fromStdString(shape_to_string(input.tensor.shape())))
                             .arg(entries)
                             .arg(double(entries) * 4e-6, 0, 'f', 0);
    if (input.kind != InputKind::image || input.tensor.order() > 3) {
        report_error(QString("%1: %2 is too large for interactive exploring (limit %3 entries). "
                             "Use signcut-cli decompose for batch work.")
                         .arg(path, size)
                         .arg(kInteractiveEntries));
        return false;
    }
    // Pictures are spoken of as width × height, as image viewers do; tensors as rows x columns.
    const QString pixels = QString("%1 × %2 pixels").arg(input.tensor.dim(1)).arg(input.tensor.dim(0));
    const double scale = std::sqrt(double(kInteractiveEntries) / double(entries));
    const auto rows = std::size_t(double(input.tensor.dim(0)) * scale);
    const auto cols = std::size_t(double(input.tensor.dim(1)) * scale);
    if (dialogs_enabled_) {
        const auto answer = QMessageBox::question(
            this, "Large image",
            QString("%1 is %2: %3.\nDecomposing it at full size would be slow and memory hungry.\n\n"
                    "Downscale it to %4 × %5 pixels?")
                .arg(QFileInfo(path).fileName(), pixels, size)
                .arg(cols)
                .arg(rows),
            QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Yes);
        if (answer != QMessageBox::Yes) return false;
    }
    input.tensor = resize_image(input.tensor, rows, cols);
    input.notes.push_back(QString("downscaled to %1 x %2 pixels").arg(cols).arg(rows).toStdString());
    return true;
}

void MainWindow::remember_recent(const QString& path) {
    QSettings settings;
    QStringList recent = settings.value("recent").toStringList();
    recent.removeAll(QFileInfo(path).absoluteFilePath());
    recent.prepend(QFileInfo(path).absoluteFilePath());
    while (recent.size() > kMaxRecent) recent.removeLast();
    settings.setValue("recent", recent);
    rebuild_recent_menu();
}

void MainWindow::rebuild_recent_menu() {
    recent_menu_->clear();
    const QStringList recent = QSettings().value("recent").toStringList();
    for (const QString& path : recent)
        recent_menu_->addAction(QFileInfo(path).fileName(), this, [this, path] { open_file(path); })->setToolTip(path);
    recent_menu_->setEnabled(!recent.isEmpty());
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const QList<QUrl> urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.front().isLocalFile()) open_file(urls.front().toLocalFile());
}

}  // namespace signcut::gui
