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

#include <algorithm>
#include <cmath>
#include <span>

#include "charts/chart_export.h"
#include "charts/error_chart.h"
#include "explorer_document.h"
#include "io/file_access.h"
#include "io/image_file.h"
#include "io/scd_file.h"
#include "io/scdz_file.h"
#include "main_window.h"
#include "views/width_scrubber.h"
#include "views/zoom_link.h"
#include "views/checkpoint_panel.h"
#include "views/colour_scale.h"
#include "views/comparison_view.h"
#include "views/image_view.h"
#include "views/explore_view.h"
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

void MainWindow::show_decomposition(Decomposition decomposition, const QString& path, const QString& title) {
    cancel();
    document_->set_decomposition(std::move(decomposition), path);
    reset_zooms();
    refresh_teaching_tab();
    const std::shared_ptr<const Snapshot> snapshot = document_->shared_snapshot();
    const Decomposition& d = snapshot->parts().front();
    explore_->show_loaded(snapshot);
    comparison_->clear_input(
        tr("A decomposition file stores the cuts only: open the original data to compare methods"));
    svd_view_->clear(tr("A decomposition file stores the cuts only: open the original data to compare with the SVD"));
    setWindowTitle(title + " — signcut");
    if (QFileInfo(path).suffix().toLower() == "scd") remember_recent(path);
    show_width(d.width());
    explore_->refresh_views();
    progress_->setValue(1000);
    show_run_status(tr("Loaded %1 cuts of %2").arg(d.width()).arg(title));
    Q_EMIT computation_finished();  // nothing to compute: the file holds the cuts
}

bool MainWindow::show_checkpoint_tensor(int index) {
    const ScdzReader* checkpoint = document_->checkpoint();
    if (!checkpoint || index < 0 || std::size_t(index) >= checkpoint->entries().size()) return false;
    const ScdzEntry& entry = checkpoint->entries()[std::size_t(index)];
    const QString name = QString::fromStdString(entry.name);
    if (!entry.decomposed) {
        statusBar()->showMessage(
            tr("%1 was kept as it was (%2), not decomposed").arg(name, QString::fromStdString(entry.dtype)), 5000);
        return false;
    }
    if (entry.method != "scd") {  // another method's payload: no cuts to step through
        statusBar()->showMessage(
            tr("%1 is stored by %2, not as signed cuts").arg(name, QString::fromStdString(entry.method)), 5000);
        return false;
    }
    try {
        show_decomposition(checkpoint->decomposition(entry), QString::fromStdString(checkpoint->path().string()),
                           name + " in " + QString::fromStdString(checkpoint->path().filename().string()));
        checkpoint_panel_->set_current(index);
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
            document_->set_checkpoint(checkpoint);
            checkpoint_panel_->set_reports(QFileInfo(path).fileName(), reports);
            checkpoint_dock_->show();
            checkpoint_dock_->raise();
            remember_recent(path);
            // Start on the worst tensor stored as signed cuts: the one a user checks first. A
            // checkpoint stored by other methods opens on its panel alone (each row names its method).
            int worst = -1;
            for (int i = 0; i < int(reports.size()); ++i)
                if (reports[std::size_t(i)].decomposed && reports[std::size_t(i)].method == "scd" &&
                    (worst < 0 || reports[std::size_t(i)].relative_error > reports[std::size_t(worst)].relative_error))
                    worst = i;
            if (worst >= 0) return show_checkpoint_tensor(worst);
            const bool any_stored =
                std::any_of(reports.begin(), reports.end(), [](const TensorReport& r) { return r.decomposed; });
            if (any_stored) return true;
            report_error(tr("%1: no decomposed tensor in this checkpoint").arg(path));
            return false;
        }
        auto input = std::make_shared<LoadedInput>(load_file_or_resource(path));
        if (!confirm_finite(*input, path) || !confirm_size(*input, path)) return false;
        checkpoint_dock_->hide();
        // The old results go first: until restart() computes new ones, nothing on screen may
        // combine the old decomposition with the new input (a slice range clamped below
        // refreshes the views at once).
        cancel();
        document_->set_input(input, path);
        reset_zooms();
    } catch (const std::exception& error) {
        report_error(QString::fromUtf8(error.what()));
        return false;
    }
    const LoadedInput& input = *document_->input();
    const Tensor& a = input.tensor;
    const bool photo = document_->is_photo();
    const bool colour = photo && looks_like_photo(a.shape());
    settings_->set_colour_choice_enabled(colour);
    explore_->set_input_shape(a.shape(), colour);
    setWindowTitle(QFileInfo(path).fileName() + " — signcut");
    remember_recent(path);
    comparison_->set_input(document_->input_tensor(), photo, QFileInfo(path).fileName());
    svd_view_->set_input(document_->input_tensor(), colour);
    if (!input.notes.empty()) statusBar()->showMessage(QString::fromStdString(input.notes.front()), 5000);
    restart();
    return true;
}

bool MainWindow::confirm_finite(LoadedInput& input, const QString& path) {
    const std::size_t count = count_non_finite(input.tensor);
    if (count == 0) return true;
    const QString problem =
        tr("%1 has %2 NaN or infinite entries, which cannot be decomposed.").arg(QFileInfo(path).fileName()).arg(count);
    if (!dialogs_enabled_ ||
        QMessageBox::question(this, tr("Non-finite values"), problem + tr("\n\nReplace them by 0 and go on?"),
                              QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel) != QMessageBox::Yes) {
        report_error(problem + tr(" Nothing was loaded."));
        return false;
    }
    replace_non_finite(input.tensor, 0.0f);
    input.notes.push_back(tr("%1 NaN or infinite entries replaced by 0").arg(count).toStdString());
    return true;
}

bool MainWindow::confirm_size(LoadedInput& input, const QString& path) {
    const std::size_t entries = input.tensor.size();
    if (entries <= kInteractiveEntries) return true;
    const QString size = tr("%1 (%2 entries, %3 MB as f32)")
                             .arg(QString::fromStdString(shape_to_string(input.tensor.shape())))
                             .arg(entries)
                             .arg(double(entries) * 4e-6, 0, 'f', 0);
    if (input.kind != InputKind::image || input.tensor.order() > 3) {
        report_error(tr("%1: %2 is too large for interactive exploring (limit %3 entries). "
                        "Use signcut-cli decompose for batch work.")
                         .arg(path, size)
                         .arg(kInteractiveEntries));
        return false;
    }
    // Pictures are spoken of as width × height, as image viewers do; tensors as rows x columns.
    const QString pixels = tr("%1 × %2 pixels").arg(input.tensor.dim(1)).arg(input.tensor.dim(0));
    const double scale = std::sqrt(double(kInteractiveEntries) / double(entries));
    const auto rows = std::size_t(double(input.tensor.dim(0)) * scale);
    const auto cols = std::size_t(double(input.tensor.dim(1)) * scale);
    if (dialogs_enabled_) {
        const auto answer =
            QMessageBox::question(this, tr("Large image"),
                                  tr("%1 is %2: %3.\nDecomposing it at full size would be slow and memory hungry.\n\n"
                                     "Downscale it to %4 × %5 pixels?")
                                      .arg(QFileInfo(path).fileName(), pixels, size)
                                      .arg(cols)
                                      .arg(rows),
                                  QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Yes);
        if (answer != QMessageBox::Yes) return false;
    }
    input.tensor = resize_image(input.tensor, rows, cols);
    input.notes.push_back(tr("downscaled to %1 x %2 pixels").arg(cols).arg(rows).toStdString());
    return true;
}

void MainWindow::remember_recent(const QString& path) {
    remember_folder(path);
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
