#pragma once
// The playback clock of the explorer: which width to show as time passes. Two kinds of speed:
// linear (so many cuts per second) and logarithmic ("the whole run in N seconds", widths
// growing geometrically so that every doubling of w gets the same screen time — the early
// cuts, where the picture changes most, are not over in a blink).

#include <QString>

#include <cstddef>
#include <vector>

namespace signcut::gui {

struct PlaybackSpeed {
    enum Kind { logarithmic, linear } kind;
    double value;  // logarithmic: seconds for the whole run; linear: cuts per second
    QString label() const;
};

// The speeds offered, the default first among them.
const std::vector<PlaybackSpeed>& playback_speeds();
constexpr int kDefaultPlaybackSpeed = 1;

class PlaybackClock {
public:
    // Playing starts from the width shown (from 0 again once the end of a finished run is shown).
    void start_from(std::size_t width) { position_ = coordinate(width); }
    // Advances by `seconds` of screen time over a run of `available` cuts; returns the width to
    // show (never beyond `available`).
    std::size_t advance(double seconds, std::size_t available);
    void set_speed(PlaybackSpeed speed);
    const PlaybackSpeed& speed() const { return speed_; }

private:
    // Time runs uniformly in this coordinate: w itself, or log(1 + w).
    double coordinate(std::size_t width) const;
    std::size_t width_at(double coordinate) const;

    PlaybackSpeed speed_ = playback_speeds()[kDefaultPlaybackSpeed];
    double position_ = 0.0;
};

}  // namespace signcut::gui
