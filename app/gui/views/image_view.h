#pragma once
// One titled picture, scaled to fit with its aspect ratio kept, with an optional colour
// legend for heat maps. A heat map (a picture with a legend) of a long, thin matrix is drawn
// no thinner than 1 : kMaxHeatMapAspect (its cells stretched), so a 128 × 1152 matrix is not
// a strip. Panes sharing a ZoomLink zoom and pan together: mouse wheel (or + and −) zooms
// about the cursor, a drag pans, 0 shows the whole picture; magnified pixels are drawn as
// crisp squares. A double-click (or F) asks for this pane alone, large. A title too long for
// the pane wraps onto a second line.

#include <QImage>
#include <QPoint>
#include <QPointer>
#include <QRect>
#include <QWidget>

#include <optional>
#include <vector>

class QPainter;

namespace signcut::gui {

class ZoomLink;

constexpr double kMaxHeatMapAspect = 2.0;

class ImageView : public QWidget {
    Q_OBJECT
public:
    explicit ImageView(const QString& title, QWidget* parent = nullptr);

    void set_image(const QImage& image);
    // Shows a diverging colour bar labelled from −limit to +limit, with a line of `note` under
    // it (what the scale is, what it clips); a negative limit hides it.
    void set_legend(double limit, const QString& note = {});
    double legend_limit() const { return legend_limit_; }
    const QString& legend_note() const { return legend_note_; }
    void set_title(const QString& title);
    // Pixels (x = column, y = row of the image) drawn as small rings over the picture, at any
    // zoom: the entries a decomposition keeps apart from its cuts.
    void set_markers(std::vector<QPoint> pixels);
    const std::vector<QPoint>& markers() const { return markers_; }
    void set_placeholder(const QString& text);
    const QImage& image() const { return image_; }
    const QString& title() const { return title_; }
    bool has_legend() const { return legend_limit_ >= 0; }
    void set_zoom_link(ZoomLink* link);

    // Where the picture is drawn in the widget and which part of it (in image pixels).
    QRect picture_rect() const;
    QRectF source_rect() const;

    QSize sizeHint() const override { return {420, 360}; }
    QSize minimumSizeHint() const override { return {120, 120}; }

Q_SIGNALS:
    void enlarge_requested();

protected:
    void paintEvent(QPaintEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    QFont title_font() const;
    // The title as drawn: one line, or two when it is too long for the pane (then elided).
    QStringList title_lines() const;
    QRect picture_area() const;
    QRectF region() const;  // the part shown, as a fraction of the picture
    // A point of the widget as a fraction of the picture.
    QPointF fraction_at(QPointF position) const;
    void draw_markers(QPainter& painter, const QRect& target, const QRectF& source) const;

    QString title_, placeholder_, legend_note_;
    QImage image_;
    double legend_limit_ = -1.0;
    std::vector<QPoint> markers_;
    QPointer<ZoomLink> zoom_;
    std::optional<QPointF> drag_from_;
};

// Panes of which one at a time can be shown alone: its enlarge request hides the others, the
// next one shows them all again.
void make_enlargeable(const std::vector<ImageView*>& panes);
// One zoom for the pictures of a tab: they zoom and pan together, and one can be shown alone.
ZoomLink* link_panes(const std::vector<ImageView*>& panes, QObject* parent);
// The pictures inside `widget`.
std::vector<ImageView*> panes_in(const QWidget& widget);

}  // namespace signcut::gui
