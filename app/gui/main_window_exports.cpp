// File > Export: the reconstruction, the decomposition, the error curve, the chart and the animation.
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QTabWidget>
#include <QFileDialog>
#include <QFormLayout>
#include <QSpinBox>
#include <QFileInfo>
#include <QSaveFile>
#include <QStatusBar>

#include "animation/reconstruction_animation.h"
#include "charts/chart_export.h"
#include "charts/comparison_chart.h"
#include "charts/error_chart.h"
#include "io/curve_file.h"
#include "io/file_formats.h"
#include "io/load_input.h"
#include "io/scd_file.h"
#include "main_window.h"
#include "views/comparison_view.h"

namespace signcut::gui {

void MainWindow::export_reconstruction() {
    if (!snapshot_) return;
    const bool photo = photo_;
    const QString path = QFileDialog::getSaveFileName(
        this, "Export reconstruction",
        suggested_path(input_path_, QString("w%1").arg(displayed_width_), photo ? "png" : "npy"),
        QString::fromStdString(photo ? name_filters({FileFormatId::png, FileFormatId::npy})
                                     : name_filters({FileFormatId::npy})));
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
    const QString path = QFileDialog::getSaveFileName(
        this, "Export decomposition", suggested_path(input_path_, QString("w%1").arg(displayed_width_), "scd"),
        QString::fromStdString(name_filters({FileFormatId::scd})));
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
    const QString path =
        QFileDialog::getSaveFileName(this, "Export error curve", suggested_path(input_path_, "error-curve", "csv"),
                                     QString::fromStdString(name_filters({FileFormatId::csv})));
    if (path.isEmpty()) return;
    const std::shared_ptr<const Snapshot> s = snapshot_;
    try {
        write_error_curve(path.toStdString(),
                          {s->width(), s->entries(), [s](std::size_t w) { return s->stored_bytes(w); },
                           [s](std::size_t w) { return s->relative_error(w); }});
        statusBar()->showMessage("Saved " + path, 5000);
    } catch (const std::exception& error) {
        report_error(error.what());
    }
}

void MainWindow::export_chart() {
    // The chart of the tab shown: Compare's, or the error curve's.
    const bool compare = tabs_->currentIndex() == kCompareTab;
    const QChartView* view = compare ? static_cast<const QChartView*>(comparison_->chart()) : chart_;
    const QString path = QFileDialog::getSaveFileName(
        this, "Export chart", suggested_path(input_path_, compare ? "compare-chart" : "error-chart", "png"),
        QString::fromStdString(name_filters({FileFormatId::png, FileFormatId::svg})));
    if (path.isEmpty()) return;
    QDialog dialog(this);
    dialog.setWindowTitle("Chart size");
    auto* width = new QSpinBox;
    width->setRange(16, 16384);
    width->setValue(1920);
    width->setSuffix(" px");
    auto* height = new QSpinBox;
    height->setRange(16, 16384);
    height->setValue(1080);
    height->setSuffix(" px");
    auto* scale = new QDoubleSpinBox;
    scale->setRange(0.25, 8);
    scale->setSingleStep(0.25);
    scale->setValue(2);
    scale->setToolTip(
        "Text and lines this many times their size on screen (2: a 1920 × 1080 slide reads like "
        "a 960 × 540 chart)");
    auto* form = new QFormLayout(&dialog);
    form->addRow("Width", width);
    form->addRow("Height", height);
    form->addRow("Text scale", scale);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    form->addRow(buttons);
    if (dialogs_enabled_ && dialog.exec() != QDialog::Accepted) return;
    try {
        gui::export_chart(*view, path, QSize(width->value(), height->value()), scale->value());
        statusBar()->showMessage(QString("Saved %1 (%2 × %3)").arg(path).arg(width->value()).arg(height->value()),
                                 5000);
    } catch (const std::exception& error) {
        report_error(QString::fromUtf8(error.what()));
    }
}

void MainWindow::export_animation() {
    if (!snapshot_ || snapshot_->width() == 0) return report_error("Nothing to animate yet: decompose something first");
    if (snapshot_->parts.size() != 1)
        return report_error("Animations are made of one decomposition: set Colour to one order-3 tensor and restart");
    const QString path =
        QFileDialog::getSaveFileName(this, "Export animation", suggested_path(input_path_, "animation", "mp4"),
                                     QString::fromStdString(name_filters({FileFormatId::mp4, FileFormatId::gif})));
    if (path.isEmpty()) return;
    QDialog dialog(this);
    dialog.setWindowTitle("Animation");
    auto* frames = new QSpinBox;
    frames->setRange(2, 2000);
    frames->setValue(60);
    auto* fps = new QSpinBox;
    fps->setRange(1, 60);
    fps->setValue(15);
    auto* schedule = new QComboBox;
    schedule->addItems({"logarithmic in w (early cuts change most)", "linear in w"});
    auto* chart = new QCheckBox("Draw the error curve under the picture");
    chart->setChecked(true);
    auto* side_by_side = new QCheckBox("Side by side: original | signed cuts | truncated SVD at the same bits");
    side_by_side->setEnabled(input_ != nullptr);
    auto* form = new QFormLayout(&dialog);
    form->addRow("Frames", frames);
    form->addRow("Frames per second", fps);
    form->addRow("Widths", schedule);
    form->addRow(chart);
    form->addRow(side_by_side);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    form->addRow(buttons);
    if (dialog.exec() != QDialog::Accepted) return;
    AnimationOptions options;
    options.frames = frames->value();
    options.frames_per_second = fps->value();
    options.schedule = schedule->currentIndex() == 0 ? WidthSchedule::logarithmic : WidthSchedule::linear;
    options.with_chart = chart->isChecked();
    options.photo = photo_;
    if (side_by_side->isChecked() && input_) options.original = &input_->tensor;
    QApplication::setOverrideCursor(Qt::WaitCursor);
    try {
        const int written = write_animation(path.toStdString(), snapshot_->parts.front(), options);
        QApplication::restoreOverrideCursor();
        statusBar()->showMessage(QString("Saved %1 frames to %2").arg(written).arg(path), 5000);
    } catch (const std::exception& error) {
        QApplication::restoreOverrideCursor();
        report_error(error.what());
    }
}

}  // namespace signcut::gui
