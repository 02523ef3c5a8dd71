#pragma once
// Driving the explorer window in a test: the bundled cat, a window prepared as the tests want
// it, and waiting for its decomposition.
#include <QSignalSpy>
#include <QString>

#include "main_window.h"
#include "test_support.h"

namespace signcut::testing {

inline const QString kCat = QString(SIGNCUT_RESOURCES) + "/chelsea.png";

inline bool wait_until_finished(gui::MainWindow& window, int timeout_ms = 60000 * time_scale()) {
    QSignalSpy finished(&window, &gui::MainWindow::computation_finished);
    return !window.is_computing() || finished.wait(timeout_ms);
}

// A window as the tests drive it: dialogs off (offers accepted, errors only kept in
// last_error()), decomposing up to `width` cuts, on screen unless `shown` is false, with a
// linear width slider.
inline void prepare(gui::MainWindow& window, std::size_t width, bool shown = true) {
    window.set_dialogs_enabled(false);
    window.set_width_rule(width);
    window.set_log_width(false);  // the slider's value is the width
    if (shown) window.show();
}

// Opens a file and waits until its decomposition is done.
inline bool open_and_wait(gui::MainWindow& window, const QString& path = kCat) {
    return window.open_file(path) && wait_until_finished(window);
}

}  // namespace signcut::testing
