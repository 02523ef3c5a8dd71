#include "views/image_view.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QTextLayout>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

#include "views/tensor_image.h"
#include "views/zoom_link.h"

namespace signcut::gui {
namespace {

constexpr double kZoomStep = 1.25;  // per wheel notch or key press

}  // namespace

ImageView::ImageView(const QString& title, QWidget* parent) : QWidget(parent), title_(title) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setFocusPolicy(Qt::ClickFocus);
}

void ImageView::set_image(const QImage& image) {
    image_ = image;
    placeholder_.clear();
    update();
}

void ImageView::set_legend(double limit, const QString& note) {
    legend_limit_ = limit;
    legend_note_ = limit >= 0 ? note : QString();
    update();
}

void ImageView::set_title(const QString& title) {
    title_ = title;
    update();
}

void ImageView::set_placeholder(const QString& text) {
    image_ = QImage();
    placeholder_ = text;
    update();
}

void ImageView::set_zoom_link(ZoomLink* link) {
    if (zoom_) disconnect(zoom_, nullptr, this, nullptr);
    zoom_ = link;
    if (link) connect(link, &ZoomLink::changed, this, qOverload<>(&QWidget::update));
    setToolTip(link ? "Wheel or + − to zoom (all panes alike), drag to pan, 0 for the whole picture; "
                      "double-click or F to show this pane alone"
                    : "Double-click or F to show this pane alone");
    update();
}

QRectF ImageView::region() const { return zoom_ ? zoom_->region() : QRectF(0, 0, 1, 1); }

QRectF ImageView::source_rect() const {
    const QRectF r = region();
    return QRectF(r.x() * image_.width(), r.y() * image_.height(), r.width() * image_.width(),
                  r.height() * image_.height());
}

QFont ImageView::title_font() const {
    QFont bold = font();
    bold.setBold(true);
    return bold;
}

QStringList ImageView::title_lines() const {
    // The magnification stays whole; a long title wraps onto a second line, then gives way.
    const QString zoom = zoom_ && zoom_->is_zoomed() && !image_.isNull()
                             ? QString("  (×%1)").arg(1.0 / zoom_->region().width(), 0, 'g', 3)
                             : QString();
    const QFontMetrics metrics(title_font());
    const int room = width() - 4;
    if (metrics.horizontalAdvance(title_ + zoom) <= room) return {title_ + zoom};
    QTextLayout layout(title_, title_font());
    layout.beginLayout();
    QTextLine first = layout.createLine();
    first.setLineWidth(room);
    layout.endLayout();
    const QString head = title_.left(first.textLength()).trimmed(), rest = title_.mid(first.textLength()).trimmed();
    if (rest.isEmpty()) return {metrics.elidedText(head, Qt::ElideRight, room - metrics.horizontalAdvance(zoom)) + zoom};
    return {head, metrics.elidedText(rest, Qt::ElideRight, room - metrics.horizontalAdvance(zoom)) + zoom};
}

QRect ImageView::picture_area() const {
    const int line = fontMetrics().height();
    const int title_height = int(title_lines().size()) * QFontMetrics(title_font()).height();
    const int legend_height = legend_limit_ < 0 ? 0 : legend_note_.isEmpty() ? line + 16 : 2 * line + 16;
    return QRect(6, title_height + 8, width() - 12, height() - title_height - 14 - legend_height);
}

QRect ImageView::picture_rect() const {
    const QRect area = picture_area();
    QSizeF source = source_rect().size();
    if (legend_limit_ >= 0 && !source.isEmpty()) {  // a heat map: no thinner than 1 : kMaxHeatMapAspect
        const QSizeF whole = image_.size();
        const double aspect = whole.width() / whole.height();
        const double shown = std::clamp(aspect, 1.0 / kMaxHeatMapAspect, kMaxHeatMapAspect);
        source.setWidth(source.width() * shown / aspect);
    }
    const QSize fitted = source.scaled(QSizeF(area.size()), Qt::KeepAspectRatio).toSize();
    return QRect(area.x() + (area.width() - fitted.width()) / 2, area.y() + (area.height() - fitted.height()) / 2,
                 fitted.width(), fitted.height());
}

QPointF ImageView::fraction_at(QPointF position) const {
    const QRect target = picture_rect();
    const QRectF r = region();
    return {r.x() + (position.x() - target.x()) / std::max(1, target.width()) * r.width(),
            r.y() + (position.y() - target.y()) / std::max(1, target.height()) * r.height()};
}

void ImageView::set_markers(std::vector<QPoint> pixels) {
    markers_ = std::move(pixels);
    update();
}

void ImageView::draw_markers(QPainter& painter, const QRect& target, const QRectF& source) const {
    if (markers_.empty()) return;
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setBrush(Qt::NoBrush);
    const double sx = target.width() / source.width(), sy = target.height() / source.height();
    // Rings while they stay apart; beyond a few hundred they would merge into blobs: dots then.
    const bool rings = markers_.size() <= 300;
    const double radius = rings ? 3.5 : 1.0;
    for (const QPen& pen : {QPen(Qt::black, rings ? 3.0 : 2.5), QPen(QColor("#ffd400"), 1.5)}) {  // on any colour
        painter.setPen(pen);
        for (const QPoint& pixel : markers_) {
            const QPointF centre(target.x() + (pixel.x() + 0.5 - source.x()) * sx,
                                 target.y() + (pixel.y() + 0.5 - source.y()) * sy);
            if (target.contains(centre.toPoint())) painter.drawEllipse(centre, radius, radius);
        }
    }
    painter.restore();
}

void ImageView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().window());
    const QFontMetrics metrics = fontMetrics();
    const int line = metrics.height();
    painter.setFont(title_font());
    const int title_line = QFontMetrics(title_font()).height();
    int y = 2;
    for (const QString& text : title_lines()) {
        painter.drawText(QRect(0, y, width(), title_line), Qt::AlignHCenter, text);
        y += title_line;
    }
    painter.setFont(font());

    if (image_.isNull()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(picture_area(), Qt::AlignCenter | Qt::TextWordWrap, placeholder_);
        return;
    }
    const QRect target = picture_rect();
    const QRectF source = source_rect();
    // Smooth when shrinking a photo; crisp squares when magnifying pixels.
    painter.setRenderHint(QPainter::SmoothPixmapTransform, target.width() < source.width());
    painter.drawImage(QRectF(target), image_, source);
    draw_markers(painter, target, source);

    if (legend_limit_ < 0) return;
    // The bar under the picture, narrowed so that both labels fit inside the pane whole.
    const QString low = QString("−%1").arg(legend_limit_, 0, 'g', 3), high = QString("+%1").arg(legend_limit_, 0, 'g', 3);
    const int low_width = metrics.horizontalAdvance(low) + 6, high_width = metrics.horizontalAdvance(high) + 6;
    int left = std::max(target.x(), low_width + 2), right = std::min(target.right(), width() - high_width - 2);
    if (right - left < 40) left = low_width + 2, right = width() - high_width - 2;
    const QRect bar(left, target.bottom() + 8, std::max(10, right - left), 10);
    for (int x = 0; x < bar.width(); ++x) {
        painter.setPen(diverging_colour(float(2.0 * x / std::max(1, bar.width() - 1) - 1.0)));
        painter.drawLine(bar.x() + x, bar.y(), bar.x() + x, bar.bottom());
    }
    painter.setPen(palette().color(QPalette::WindowText));
    painter.drawRect(bar.adjusted(0, 0, -1, -1));
    painter.drawText(QRect(bar.x() - low_width, bar.y() - 3, low_width - 2, line), Qt::AlignRight | Qt::AlignVCenter,
                     low);
    painter.drawText(QRect(bar.right() + 4, bar.y() - 3, high_width, line), Qt::AlignLeft | Qt::AlignVCenter, high);
    if (legend_note_.isEmpty()) return;
    painter.drawText(QRect(2, bar.bottom() + 3, width() - 4, line), Qt::AlignHCenter | Qt::AlignVCenter,
                     metrics.elidedText(legend_note_, Qt::ElideRight, width() - 4));
}

void ImageView::wheelEvent(QWheelEvent* event) {
    if (!zoom_ || image_.isNull()) return QWidget::wheelEvent(event);
    const double notches = event->angleDelta().y() / 120.0;
    zoom_->zoom(std::pow(kZoomStep, notches), fraction_at(event->position()));
    event->accept();
}

void ImageView::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton && zoom_) {
        drag_from_ = event->position();
        setCursor(Qt::ClosedHandCursor);
    }
    QWidget::mousePressEvent(event);
}

void ImageView::mouseMoveEvent(QMouseEvent* event) {
    if (!drag_from_ || !zoom_) return QWidget::mouseMoveEvent(event);
    // The picture follows the mouse: a drag to the right shows what lies to the left.
    const QPointF moved = fraction_at(*drag_from_) - fraction_at(event->position());
    drag_from_ = event->position();
    zoom_->pan(moved);
}

void ImageView::mouseReleaseEvent(QMouseEvent* event) {
    drag_from_.reset();
    unsetCursor();
    QWidget::mouseReleaseEvent(event);
}

void ImageView::mouseDoubleClickEvent(QMouseEvent*) { Q_EMIT enlarge_requested(); }

void ImageView::keyPressEvent(QKeyEvent* event) {
    const QPointF centre = region().center();
    switch (event->key()) {
        case Qt::Key_F:
            return Q_EMIT enlarge_requested();
        case Qt::Key_Plus:
        case Qt::Key_Equal:
            if (zoom_) zoom_->zoom(kZoomStep, centre);
            return;
        case Qt::Key_Minus:
            if (zoom_) zoom_->zoom(1.0 / kZoomStep, centre);
            return;
        case Qt::Key_0:
            if (zoom_) zoom_->reset();
            return;
        default:
            QWidget::keyPressEvent(event);
    }
}

void make_enlargeable(const std::vector<ImageView*>& panes) {
    for (ImageView* pane : panes)
        QObject::connect(pane, &ImageView::enlarge_requested, pane, [pane, panes] {
            bool others_shown = false;
            for (ImageView* other : panes) others_shown |= other != pane && other->isVisible();
            for (ImageView* other : panes)
                if (other != pane) other->setVisible(!others_shown);
        });
}

ZoomLink* link_panes(const std::vector<ImageView*>& panes, QObject* parent) {
    auto* zoom = new ZoomLink(parent);
    for (ImageView* pane : panes) pane->set_zoom_link(zoom);
    make_enlargeable(panes);
    return zoom;
}

std::vector<ImageView*> panes_in(const QWidget& widget) {
    const QList<ImageView*> panes = widget.findChildren<ImageView*>();
    return {panes.begin(), panes.end()};
}

}  // namespace signcut::gui
