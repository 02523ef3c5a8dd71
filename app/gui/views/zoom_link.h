#pragma once
// The region of the picture that linked image panes show, as a fraction of the picture
// ((0, 0, 1, 1) is all of it), so that zooming into the original zooms the reconstruction,
// the residual and the previews of other methods alike.

#include <QObject>
#include <QRectF>

namespace signcut::gui {

class ZoomLink : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    const QRectF& region() const { return region_; }
    // Magnifies by `factor` (> 1 zooms in) keeping `anchor` (a point of the picture, as a
    // fraction) where it is; never out beyond the whole picture.
    void zoom(double factor, QPointF anchor);
    // Moves the region by a fraction of the picture, within the picture.
    void pan(QPointF delta);
    void reset() { set_region(QRectF(0, 0, 1, 1)); }
    bool is_zoomed() const { return region_.width() < 1.0; }

Q_SIGNALS:
    void changed();

private:
    void set_region(QRectF region);

    QRectF region_{0, 0, 1, 1};
};

}  // namespace signcut::gui
