#include "export_actions.h"

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

#include "animation/reconstruction_animation.h"
#include "charts/chart_export.h"
#include "charts/chart_view.h"
#include "explorer_document.h"
#include "io/curve_file.h"
#include "io/file_formats.h"
#include "io/load_input.h"
#include "io/scd_file.h"

namespace signcut::gui {

ExportActions::ExportActions(const ExplorerDocument* document, QWidget* window)
    : QObject(window), document_(document), window_(window) {}

void ExportActions::export_reconstruction() {
    if (!document_->snapshot()) return;
    const bool photo = document_->is_photo();
    const QString path = QFileDialog::getSaveFileName(
        window_, tr("Export reconstruction"),
        suggested_path(document_->path(), QString("w%1").arg(document_->width()), photo ? "png" : "npy"),
        QString::fromStdString(photo ? name_filters({FileFormatId::png, FileFormatId::npy})
                                     : name_filters({FileFormatId::npy})));
    if (path.isEmpty()) return;
    try {
        save_output(path.toStdString(), document_->reconstruction());
        Q_EMIT saved(tr("Saved %1").arg(path));
    } catch (const std::exception& error) {
        Q_EMIT failed(QString::fromUtf8(error.what()));
    }
}

void ExportActions::export_decomposition() {
    const Snapshot* snapshot = document_->snapshot();
    if (!snapshot) return;
    const std::vector<Decomposition>& parts = snapshot->parts();
    const std::size_t width = document_->width();
    const QString path =
        QFileDialog::getSaveFileName(window_, tr("Export decomposition"),
                                     suggested_path(document_->path(), QString("w%1").arg(document_->width()), "scd"),
                                     QString::fromStdString(name_filters({FileFormatId::scd})));
    if (path.isEmpty()) return;
    try {
        if (parts.size() == 1) {
            write_scd(path.toStdString(), parts.front(), width);
        } else {  // one file per colour channel
            const QFileInfo info(path);
            const char* names[] = {"r", "g", "b", "a"};
            for (std::size_t c = 0; c < parts.size() && c < 4; ++c)
                write_scd((info.path() + "/" + info.completeBaseName() + "." + names[c] + ".scd").toStdString(),
                          parts[c], width);
        }
        Q_EMIT saved(tr("Saved %1").arg(path));
    } catch (const std::exception& error) {
        Q_EMIT failed(QString::fromUtf8(error.what()));
    }
}

void ExportActions::export_curve() {
    if (!document_->snapshot()) return;
    const QString path = QFileDialog::getSaveFileName(window_, tr("Export error curve"),
                                                      suggested_path(document_->path(), "error-curve", "csv"),
                                                      QString::fromStdString(name_filters({FileFormatId::csv})));
    if (path.isEmpty()) return;
    const std::shared_ptr<const Snapshot> s = document_->shared_snapshot();
    try {
        write_error_curve(path.toStdString(),
                          {s->width(), s->entries(), [s](std::size_t w) { return s->stored_bytes(w); },
                           [s](std::size_t w) { return s->relative_error(w); }});
        Q_EMIT saved(tr("Saved %1").arg(path));
    } catch (const std::exception& error) {
        Q_EMIT failed(QString::fromUtf8(error.what()));
    }
}

void ExportActions::export_chart(const ChartView& chart, const QString& stem) {
    const QString path = QFileDialog::getSaveFileName(
        window_, tr("Export chart"), suggested_path(document_->path(), stem, "png"),
        QString::fromStdString(name_filters({FileFormatId::png, FileFormatId::svg})));
    if (path.isEmpty()) return;
    QDialog dialog(window_);
    dialog.setWindowTitle(tr("Chart size"));
    auto* width = new QSpinBox;
    width->setRange(16, 16384);
    width->setValue(1920);
    width->setSuffix(tr(" px"));
    auto* height = new QSpinBox;
    height->setRange(16, 16384);
    height->setValue(1080);
    height->setSuffix(tr(" px"));
    auto* scale = new QDoubleSpinBox;
    scale->setRange(0.25, 8);
    scale->setSingleStep(0.25);
    scale->setValue(2);
    scale->setToolTip(
        tr("Text and lines this many times their size on screen (2: a 1920 × 1080 slide reads like "
           "a 960 × 540 chart)"));
    auto* form = new QFormLayout(&dialog);
    form->addRow(tr("Width"), width);
    form->addRow(tr("Height"), height);
    form->addRow(tr("Text scale"), scale);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    form->addRow(buttons);
    if (dialogs_enabled_ && dialog.exec() != QDialog::Accepted) return;
    try {
        chart.export_to(path, QSize(width->value(), height->value()), scale->value());
        Q_EMIT saved(tr("Saved %1 (%2 × %3)").arg(path).arg(width->value()).arg(height->value()));
    } catch (const std::exception& error) {
        Q_EMIT failed(QString::fromUtf8(error.what()));
    }
}

void ExportActions::export_animation() {
    const Snapshot* snapshot = document_->snapshot();
    if (!snapshot || snapshot->width() == 0)
        return Q_EMIT failed(tr("Nothing to animate yet: decompose something first"));
    if (snapshot->parts().size() != 1)
        return Q_EMIT failed(
            tr("Animations are made of one decomposition: set Colour to one order-3 tensor and restart"));
    const QString path = QFileDialog::getSaveFileName(
        window_, tr("Export animation"), suggested_path(document_->path(), "animation", "mp4"),
        QString::fromStdString(name_filters({FileFormatId::mp4, FileFormatId::gif})));
    if (path.isEmpty()) return;
    QDialog dialog(window_);
    dialog.setWindowTitle(tr("Animation"));
    auto* frames = new QSpinBox;
    frames->setRange(2, 2000);
    frames->setValue(60);
    auto* fps = new QSpinBox;
    fps->setRange(1, 60);
    fps->setValue(15);
    auto* schedule = new QComboBox;
    schedule->addItems({tr("logarithmic in w (early cuts change most)"), tr("linear in w")});
    auto* size = new QComboBox;
    size->addItem(tr("as the data (at least 240 px tall)"), QSize(0, 0));
    size->addItem(tr("1280 × 720 (slides, HD)"), QSize(1280, 720));
    size->addItem(tr("1920 × 1080 (slides, full HD)"), QSize(1920, 1080));
    size->setToolTip(tr("The frame size; the picture is scaled to fill it and the text grows with it"));
    auto* chart = new QCheckBox(tr("Draw the error curve under the picture"));
    chart->setChecked(true);
    auto* side_by_side = new QCheckBox(tr("Side by side: original | signed cuts | truncated SVD at the same bits"));
    const LoadedInput* input = document_->input();
    side_by_side->setEnabled(input != nullptr);
    auto* form = new QFormLayout(&dialog);
    form->addRow(tr("Frames"), frames);
    form->addRow(tr("Frames per second"), fps);
    form->addRow(tr("Widths"), schedule);
    form->addRow(tr("Frame size"), size);
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
    options.frame_width = size->currentData().toSize().width();
    options.frame_height = size->currentData().toSize().height();
    options.photo = document_->is_photo();
    if (side_by_side->isChecked() && input) options.original = &input->tensor;
    QApplication::setOverrideCursor(Qt::WaitCursor);
    try {
        const int written = write_animation(path.toStdString(), snapshot->parts().front(), options);
        QApplication::restoreOverrideCursor();
        Q_EMIT saved(tr("Saved %1 frames to %2").arg(written).arg(path));
    } catch (const std::exception& error) {
        QApplication::restoreOverrideCursor();
        Q_EMIT failed(QString::fromUtf8(error.what()));
    }
}

}  // namespace signcut::gui
