#pragma once
// The small pictures beside the tour's pages, drawn in code (no image files): a signed cut's
// sign pattern, the cut value rising step by step, the bits of one cut, the error chart, and
// methods above a rate–distortion floor.

#include <QImage>

namespace signcut::gui {

constexpr int kTourPictures = 5;

// The picture of tour page `page` (0 … kTourPictures − 1), `size` × `size` pixels.
QImage tour_picture(int page, int size = 180);

}  // namespace signcut::gui
