#pragma once
// The row under the explorer's pictures: play/pause, a slider over the widths computed so far
// (linear in w, or logarithmic to give the first cuts room), the width shown and the playback
// speed. Playback runs on a PlaybackClock; the chosen speed and scale are remembered, and the
// scale follows the kind of speed picked (log time, log w) unless set apart.

#include <QElapsedTimer>
#include <QWidget>

#include <cstddef>

#include "playback.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QSlider;
class QTimer;
class QToolButton;

namespace signcut::gui {

class WidthScrubber : public QWidget {
    Q_OBJECT
public:
    explicit WidthScrubber(QWidget* parent = nullptr);

    // The cuts computed so far, and whether more are coming.
    void set_available(std::size_t width, bool growing);
    std::size_t available() const { return available_; }
    // Moves the slider and label to `width` without emitting width_chosen.
    void show_width(std::size_t width);
    void set_playing(bool playing);
    bool is_playing() const { return playing_; }
    void set_log_width(bool on);
    bool log_width() const;
    QSlider* slider() const { return slider_; }
    PlaybackClock& clock() { return clock_; }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

Q_SIGNALS:
    // A width to show: picked by the user (playback then pauses) or reached by playback.
    void width_chosen(std::size_t width);
    void log_width_toggled(bool on);

private:
    void tick();
    void sync_slider();
    std::size_t width_at_slider(int value) const;
    int slider_at_width(std::size_t width) const;

    PlaybackClock clock_;
    QElapsedTimer since_tick_;
    std::size_t available_ = 0, shown_ = 0;
    bool growing_ = false, playing_ = false;

    QToolButton* play_button_;
    QSlider* slider_;
    QLabel* width_label_;
    QCheckBox* log_width_;
    QComboBox* speed_;
    QTimer* timer_;
};

}  // namespace signcut::gui
