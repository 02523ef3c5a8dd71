#include "run_status.h"

#include <QFileInfo>
#include <QProgressBar>
#include <QPushButton>
#include <QStatusBar>

#include <algorithm>

#include "explorer_document.h"

namespace signcut::gui {

RunStatus::RunStatus(const ExplorerDocument* document, QStatusBar* bar)
    : QObject(bar), document_(document), bar_(bar) {
    progress_ = new QProgressBar;
    progress_->setMaximumWidth(240);
    progress_->setRange(0, 1000);
    cancel_button_ = new QPushButton(tr("Cancel (Esc)"));
    cancel_button_->setEnabled(false);
    connect(cancel_button_, &QPushButton::clicked, this, &RunStatus::cancel_requested);
    bar_->addPermanentWidget(progress_);
    bar_->addPermanentWidget(cancel_button_);

    connect(document_, &ExplorerDocument::job_started, this, [this](const Job& job) {
        cancel_button_->setEnabled(true);
        progress_->setValue(0);
        show(tr("Decomposing %1 (%2)…")
                 .arg(QFileInfo(document_->path()).fileName(),
                      QString::fromStdString(shape_to_string(job.input.shape()))));
        progress_->setFormat("%p%");  // after a cancel it read "cancelled"
    });
    connect(document_, &ExplorerDocument::snapshot_changed, this, &RunStatus::on_snapshot);
    connect(document_, &ExplorerDocument::job_finished, this, &RunStatus::on_job_finished);
    connect(document_, &ExplorerDocument::error_occurred, this, [this] { cancel_button_->setEnabled(false); });
}

void RunStatus::show(const QString& text) {
    text_ = text;
    if (!compare_shown_) bar_->showMessage(text);
}

void RunStatus::show_loaded(const QString& text) {
    progress_->setValue(1000);
    show(text);
}

void RunStatus::set_compare_shown(bool shown) {
    compare_shown_ = shown;
    progress_->setVisible(!shown);
    cancel_button_->setVisible(!shown);
    if (shown) bar_->clearMessage();
    else bar_->showMessage(text_);
}

void RunStatus::on_snapshot() {
    const Snapshot& snapshot = *document_->snapshot();
    const std::size_t limit = document_->job()->max_width;
    const bool complete = snapshot.finished && snapshot.stop_reason != "cancelled";  // a cancel is not 100 %
    progress_->setValue(complete ? 1000
                                 : int(1000.0 * double(snapshot.width()) / double(std::max<std::size_t>(limit, 1))));
}

void RunStatus::on_job_finished() {
    const Snapshot& snapshot = *document_->snapshot();
    cancel_button_->setEnabled(false);
    show(tr("%1 at w = %2 after %3 s: %4 cuts/s")
             .arg(stop_reason_text(snapshot.stop_reason))
             .arg(snapshot.width())
             .arg(snapshot.seconds, 0, 'f', 2)
             .arg(snapshot.seconds > 0 ? double(snapshot.width()) / snapshot.seconds : 0.0, 0, 'f', 0));
    if (snapshot.stop_reason == "cancelled") {  // not left at the fraction it had reached
        progress_->setValue(0);
        progress_->setFormat(tr("cancelled"));
    }
}

}  // namespace signcut::gui
