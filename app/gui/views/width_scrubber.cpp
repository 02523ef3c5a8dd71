#include "views/width_scrubber.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QSettings>
#include <QSlider>
#include <QStyle>
#include <QTimer>
#include <QToolButton>

#include <algorithm>
#include <cmath>

namespace signcut::gui {
namespace {

constexpr int kFrameMs = 33;
constexpr int kLogSliderSteps = 1000;  // slider positions of the log-w scale

}  // namespace

WidthScrubber::WidthScrubber(QWidget* parent) : QWidget(parent) {
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    play_button_ = new QToolButton;
    play_button_->setToolTip(tr("Play / pause the reconstruction as w grows, from the width shown (Space)"));
    play_button_->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    connect(play_button_, &QToolButton::clicked, this, [this] { set_playing(!playing_); });
    slider_ = new QSlider(Qt::Horizontal);
    slider_->setToolTip(tr("Width w shown; any width already computed (Home, End, arrows when focused)"));
    connect(slider_, &QSlider::valueChanged, this, [this](int value) {
        set_playing(false);
        shown_ = width_at_slider(value);
        width_label_->setText(tr("w = %1").arg(shown_));
        Q_EMIT width_chosen(shown_);
    });
    width_label_ = new QLabel(tr("w = 0"));
    width_label_->setMinimumWidth(width_label_->fontMetrics().horizontalAdvance("w = 000000") + 8);
    log_width_ = new QCheckBox(tr("log w"));
    log_width_->setToolTip(
        tr("Slider and error chart on a logarithmic width scale: every doubling of w gets the same room"));
    connect(log_width_, &QCheckBox::toggled, this, [this](bool on) {
        QSettings().setValue("playback/log-width", on);
        sync_slider();
        Q_EMIT log_width_toggled(on);
    });
    speed_ = new QComboBox;
    for (const PlaybackSpeed& speed : playback_speeds()) speed_->addItem(speed.label());
    speed_->setToolTip(
        tr("Playback speed: the whole run in so many seconds with widths growing geometrically "
           "(every doubling of w the same time), or so many cuts per second"));
    const int remembered = QSettings().value("playback/speed", kDefaultPlaybackSpeed).toInt();
    speed_->setCurrentIndex(remembered >= 0 && remembered < speed_->count() ? remembered : kDefaultPlaybackSpeed);
    clock_.set_speed(playback_speeds()[std::size_t(speed_->currentIndex())]);
    connect(speed_, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index < 0) return;
        clock_.set_speed(playback_speeds()[std::size_t(index)]);
        QSettings().setValue("playback/speed", index);
    });
    // Time and axes agree: a speed picked brings the slider and chart onto its scale (log time,
    // log w), so the dot moves steadily; log w can still be set apart afterwards.
    connect(speed_, &QComboBox::activated, this, [this](int index) {
        if (index >= 0) set_log_width(playback_speeds()[std::size_t(index)].kind == PlaybackSpeed::logarithmic);
    });
    row->addWidget(play_button_);
    row->addWidget(slider_, 1);
    row->addWidget(width_label_);
    row->addWidget(log_width_);
    row->addWidget(speed_);

    timer_ = new QTimer(this);
    timer_->setInterval(kFrameMs);
    connect(timer_, &QTimer::timeout, this, &WidthScrubber::tick);
    set_log_width(QSettings().value("playback/log-width", clock_.speed().kind == PlaybackSpeed::logarithmic).toBool());
    slider_->installEventFilter(this);
}

bool WidthScrubber::eventFilter(QObject* watched, QEvent* event) {
    if (watched != slider_ || event->type() != QEvent::KeyPress || !log_width()) return QWidget::eventFilter(watched, event);
    // On the log scale one slider step is less than one cut near w = 0: arrows and pages move
    // by a slider step, or by at least 1 (arrows) or 10 (pages) cuts.
    const int key = static_cast<QKeyEvent*>(event)->key();
    const int direction = key == Qt::Key_Right || key == Qt::Key_Up || key == Qt::Key_PageUp ? 1
                          : key == Qt::Key_Left || key == Qt::Key_Down || key == Qt::Key_PageDown ? -1
                                                                                                   : 0;
    if (direction == 0) return QWidget::eventFilter(watched, event);
    const bool page = key == Qt::Key_PageUp || key == Qt::Key_PageDown;
    const std::size_t least = page ? 10 : 1;
    const std::size_t by_slider =
        width_at_slider(slider_at_width(shown_) + direction * (page ? slider_->pageStep() : slider_->singleStep()));
    std::size_t width = direction > 0 ? std::max(by_slider, shown_ + least)
                                      : std::min(by_slider, shown_ - std::min(shown_, least));
    width = std::min(width, available_);
    set_playing(false);
    show_width(width);
    Q_EMIT width_chosen(shown_);
    return true;
}

bool WidthScrubber::log_width() const { return log_width_->isChecked(); }

void WidthScrubber::set_log_width(bool on) { log_width_->setChecked(on); }

void WidthScrubber::set_available(std::size_t width, bool growing) {
    available_ = width;
    growing_ = growing;
    shown_ = std::min(shown_, width);
    sync_slider();
}

void WidthScrubber::show_width(std::size_t width) {
    shown_ = std::min(width, available_);
    sync_slider();
}

void WidthScrubber::sync_slider() {
    const QSignalBlocker block(slider_);
    slider_->setMaximum(log_width() ? (available_ > 0 ? kLogSliderSteps : 0) : int(available_));
    slider_->setValue(slider_at_width(shown_));
    width_label_->setText(tr("w = %1").arg(shown_));
}

std::size_t WidthScrubber::width_at_slider(int value) const {
    if (!log_width()) return std::size_t(std::max(0, value));
    // value / steps of the way along log(1 + w).
    const double w = std::expm1(double(value) / kLogSliderSteps * std::log1p(double(available_)));
    return std::min(available_, std::size_t(std::llround(w)));
}

int WidthScrubber::slider_at_width(std::size_t width) const {
    if (!log_width()) return int(width);
    if (available_ == 0) return 0;
    return int(std::lround(kLogSliderSteps * std::log1p(double(width)) / std::log1p(double(available_))));
}

void WidthScrubber::set_playing(bool playing) {
    if (playing && !growing_ && shown_ >= available_ && available_ > 0) {  // at the end of a finished run: replay
        show_width(0);
        Q_EMIT width_chosen(0);
    }
    playing_ = playing;
    play_button_->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    if (!playing) return timer_->stop();
    clock_.start_from(shown_);
    since_tick_.start();
    timer_->start();
}

void WidthScrubber::tick() {
    const double seconds = double(since_tick_.restart()) / 1000.0;
    const std::size_t width = clock_.advance(seconds, available_);
    if (width != shown_) {
        show_width(width);
        Q_EMIT width_chosen(width);
    }
    if (width >= available_ && !growing_) set_playing(false);
}

}  // namespace signcut::gui
