#include "views/zoom_link.h"

#include <algorithm>

namespace signcut::gui {
namespace {

constexpr double kMaxMagnification = 64.0;

}  // namespace

void ZoomLink::zoom(double factor, QPointF anchor) {
    const double size = std::clamp(region_.width() / factor, 1.0 / kMaxMagnification, 1.0);
    const double kept = size / region_.width();  // the anchor keeps its place in the pane
    set_region(QRectF(anchor.x() - (anchor.x() - region_.x()) * kept, anchor.y() - (anchor.y() - region_.y()) * kept,
                      size, size));
}

void ZoomLink::pan(QPointF delta) { set_region(region_.translated(delta)); }

void ZoomLink::set_region(QRectF region) {
    region.moveLeft(std::clamp(region.x(), 0.0, 1.0 - region.width()));
    region.moveTop(std::clamp(region.y(), 0.0, 1.0 - region.height()));
    if (region == region_) return;
    region_ = region;
    Q_EMIT changed();
}

}  // namespace signcut::gui
