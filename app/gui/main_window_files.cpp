// Showing what is opened (FileActions loads it): images and arrays, saved .scd decompositions,
// .scdz checkpoints and their tensors; drag and drop.
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QMimeData>
#include <QStatusBar>
#include <QUrl>

#include <algorithm>

#include "explorer_document.h"
#include "file_actions.h"
#include "io/scd_file.h"
#include "io/scdz_file.h"
#include "main_window.h"
#include "run_status.h"
#include "views/checkpoint_panel.h"
#include "views/comparison_view.h"
#include "views/explore_view.h"
#include "views/settings_panel.h"
#include "views/svd_comparison_view.h"
#include "views/tensor_image.h"

namespace signcut::gui {

void MainWindow::show_decomposition(Decomposition decomposition, const QString& path, const QString& title) {
    cancel();
    document_->set_decomposition(std::move(decomposition), path);
    reset_zooms();
    refresh_teaching_tab();
    const std::shared_ptr<const Snapshot> snapshot = document_->shared_snapshot();
    const Decomposition& d = snapshot->parts().front();
    explore_->show_loaded(snapshot);
    setWindowTitle(title + " — signcut");
    if (QFileInfo(path).suffix().toLower() == "scd") files_->remember_recent(path);
    show_width(d.width());
    explore_->refresh_views();
    run_status_->show_loaded(tr("Loaded %1 cuts of %2").arg(d.width()).arg(title));
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
            files_->remember_recent(path);
            // A checkpoint stored by other methods opens on its panel alone (each row names its method).
            if (const int worst = first_tensor_to_show(reports); worst >= 0) return show_checkpoint_tensor(worst);
            const bool any_stored =
                std::any_of(reports.begin(), reports.end(), [](const TensorReport& r) { return r.decomposed; });
            if (any_stored) return true;
            report_error(tr("%1: no decomposed tensor in this checkpoint").arg(path));
            return false;
        }
        const std::shared_ptr<LoadedInput> input = files_->load_checked(path);
        if (!input) return false;
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
    files_->remember_recent(path);
    if (!input.notes.empty()) statusBar()->showMessage(QString::fromStdString(input.notes.front()), 5000);
    restart();
    return true;
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const QList<QUrl> urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.front().isLocalFile()) open_file(urls.front().toLocalFile());
}

}  // namespace signcut::gui
