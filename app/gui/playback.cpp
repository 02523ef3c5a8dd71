#include "playback.h"

#include <algorithm>
#include <cmath>

namespace signcut::gui {

QString PlaybackSpeed::label() const {
    return kind == logarithmic ? QString("whole run in %1 s").arg(value) : QString("%1 cuts/s").arg(value);
}

const std::vector<PlaybackSpeed>& playback_speeds() {
    static const std::vector<PlaybackSpeed> speeds = {
        {PlaybackSpeed::logarithmic, 5}, {PlaybackSpeed::logarithmic, 15}, {PlaybackSpeed::logarithmic, 40},
        {PlaybackSpeed::linear, 10},     {PlaybackSpeed::linear, 30},      {PlaybackSpeed::linear, 100},
        {PlaybackSpeed::linear, 300},    {PlaybackSpeed::linear, 1000},    {PlaybackSpeed::linear, 10000},
    };
    return speeds;
}

void PlaybackClock::set_speed(PlaybackSpeed speed) {
    const std::size_t shown = width_at(position_);
    speed_ = speed;
    position_ = coordinate(shown);  // the width shown stays where it is
}

double PlaybackClock::coordinate(std::size_t width) const {
    return speed_.kind == PlaybackSpeed::logarithmic ? std::log1p(double(width)) : double(width);
}

std::size_t PlaybackClock::width_at(double coordinate) const {
    const double width = speed_.kind == PlaybackSpeed::logarithmic ? std::expm1(coordinate) : coordinate;
    // A hair above the integer, so that a width started from is not shown as the one below.
    return std::size_t(std::max(0.0, std::floor(width + 1e-9)));
}

std::size_t PlaybackClock::advance(double seconds, std::size_t available) {
    // Logarithmic: log(1 + available) is crossed in the chosen seconds.
    const double rate =
        speed_.kind == PlaybackSpeed::logarithmic ? std::log1p(double(available)) / speed_.value : speed_.value;
    position_ = std::min(position_ + rate * seconds, coordinate(available));
    return std::min(available, width_at(position_));
}

}  // namespace signcut::gui
