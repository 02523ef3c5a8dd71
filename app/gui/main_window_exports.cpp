// File > Export: the reconstruction, the decomposition, the error curve and the chart.
#include <QFileDialog>
#include <QFileInfo>
#include <QSaveFile>
#include <QStatusBar>

#include "charts/error_chart.h"
#include "io/curve_file.h"
#include "io/load_input.h"
#include "io/scd_file.h"
#include "main_window.h"

namespace signcut::gui {

void MainWindow::export_reconstruction() {
    if (!snapshot_) return;
    const bool photo = photo_;
    const QString path = QFileDialog::getSaveFileName(this, "Export reconstruction", {},
                                                      photo ? "PNG image (*.png);;NumPy array (*.npy)" : "NumPy array (*.npy)");
    if (path.isEmpty()) return;
    try {
        save_output(path.toStdString(), cursor_.at(*snapshot_, displayed_width_));
        statusBar()->showMessage("Saved " + path, 5000);
    } catch (const std::exception& error) {
        report_error(error.what());
    }
}

void MainWindow::export_decomposition() {
    if (!snapshot_) return;
    const QString path = QFileDialog::getSaveFileName(this, "Export decomposition", {}, "Signed cuts (*.scd)");
    if (path.isEmpty()) return;
    try {
        if (snapshot_->parts.size() == 1) {
            write_scd(path.toStdString(), snapshot_->parts.front(), displayed_width_);
        } else {  // one file per colour channel
            const QFileInfo info(path);
            const char* names[] = {"r", "g", "b", "a"};
            for (std::size_t c = 0; c < snapshot_->parts.size() && c < 4; ++c)
                write_scd((info.path() + "/" + info.completeBaseName() + "." + names[c] + ".scd").toStdString(),
                          snapshot_->parts[c], displayed_width_);
        }
        statusBar()->showMessage("Saved " + path, 5000);
    } catch (const std::exception& error) {
        report_error(error.what());
    }
}

void MainWindow::export_curve() {
    if (!snapshot_) return;
    const QString path = QFileDialog::getSaveFileName(this, "Export error curve", {}, "CSV (*.csv)");
    if (path.isEmpty()) return;
    const std::shared_ptr<const Snapshot> s = snapshot_;
    try {
        write_error_curve(path.toStdString(), {s->width(), s->entries(), [s](std::size_t w) { return s->stored_bytes(w); },
                                               [s](std::size_t w) { return s->relative_error(w); }});
        statusBar()->showMessage("Saved " + path, 5000);
    } catch (const std::exception& error) {
        report_error(error.what());
    }
}

void MainWindow::export_chart() {
    const QString path = QFileDialog::getSaveFileName(this, "Export chart", {}, "PNG image (*.png)");
    if (path.isEmpty()) return;
    QSaveFile file(path);  // written whole, then renamed into place
    if (!file.open(QIODevice::WriteOnly) || !chart_->grab().save(&file, "PNG") || !file.commit())
        report_error(path + ": cannot write the chart");
}

}  // namespace signcut::gui
