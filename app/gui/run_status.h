#pragma once
// The decomposition's part of the status bar, following the explorer's document: a status line,
// a progress bar and Cancel. Compare has its own: while its tab is shown they are hidden, and
// the line waits to be shown again.

#include <QObject>
#include <QString>

class QProgressBar;
class QPushButton;
class QStatusBar;

namespace signcut::gui {

class ExplorerDocument;

class RunStatus : public QObject {
    Q_OBJECT
public:
    RunStatus(const ExplorerDocument* document, QStatusBar* bar);
    // The decomposition's status line (kept while Compare is shown).
    void show(const QString& text);
    // A decomposition loaded from a file: complete, nothing to cancel.
    void show_loaded(const QString& text);
    void set_compare_shown(bool shown);

Q_SIGNALS:
    void cancel_requested();

private:
    void on_snapshot();
    void on_job_finished();

    const ExplorerDocument* document_;
    QStatusBar* bar_;
    QString text_;
    bool compare_shown_ = false;
    QProgressBar* progress_;
    QPushButton* cancel_button_;
};

}  // namespace signcut::gui
