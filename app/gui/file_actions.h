#pragma once
// Opening files, apart from what the window then shows: the Open dialog, the recent files (a
// menu kept in QSettings "recent"), and loading an image or array with the user's consent to
// replace NaN/Inf and to downscale what is too large to explore interactively.

#include <QObject>
#include <QString>

#include <memory>
#include <vector>

#include "io/load_input.h"
#include "io/tensor_report.h"

class QMenu;
class QWidget;

namespace signcut::gui {

class FileActions : public QObject {
    Q_OBJECT
public:
    // `window` parents the dialogs.
    explicit FileActions(QWidget* window);
    // Off (tests, --screenshot): no questions; non-finite data is refused, large images downscaled.
    void set_dialogs_enabled(bool enabled) { dialogs_enabled_ = enabled; }

    // The Open dialog, starting in the folder of `near`; empty when cancelled.
    QString ask_open_path(const QString& near) const;
    // `menu` lists the recent files from now on; picking one asks to open it.
    void set_recent_menu(QMenu* menu);
    void remember_recent(const QString& path);

    // An image or array (or a Qt resource such as ":/signcut/chelsea.png"), checked: null when
    // the user (or the rules, without dialogs) refused it, after failed() said why. Throws when
    // the file cannot be read.
    std::shared_ptr<LoadedInput> load_checked(const QString& path);

Q_SIGNALS:
    void open_requested(const QString& path);
    void failed(const QString& message);

private:
    void rebuild_recent_menu();
    bool confirm_size(LoadedInput& input, const QString& path);
    // NaN/Inf in the input: replaced by 0 if the user agrees, else nothing is loaded.
    bool confirm_finite(LoadedInput& input, const QString& path);

    QWidget* window_;
    QMenu* recent_menu_ = nullptr;
    bool dialogs_enabled_ = true;
};

// The tensor of a checkpoint to show first: the worst stored as signed cuts (the one a user
// checks first), or -1 when none is.
int first_tensor_to_show(const std::vector<TensorReport>& reports);

}  // namespace signcut::gui
