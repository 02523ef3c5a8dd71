#include "views/image_view.h"

#include <QPainter>

#include "views/tensor_image.h"

namespace signcut::gui {

ImageView::ImageView(const QString& title, QWidget* parent) : QWidget(parent), title_(title) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void ImageView::set_image(const QImage& image) {
    image_ = image;
    placeholder_.clear();
    update();
}

void ImageView::set_legend(double limit) {
    legend_limit_ = limit;
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

void ImageView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().window());
    const QFontMetrics metrics = fontMetrics();
    const int line = metrics.height();
    QFont bold = font();
    bold.setBold(true);
    painter.setFont(bold);
    painter.drawText(QRect(0, 2, width(), line), Qt::AlignHCenter, title_);
    painter.setFont(font());

    const int legend_height = legend_limit_ >= 0 ? line + 16 : 0;
    QRect area(6, line + 8, width() - 12, height() - line - 14 - legend_height);
    if (image_.isNull()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(area, Qt::AlignCenter | Qt::TextWordWrap, placeholder_);
        return;
    }
    const QSize fitted = image_.size().scaled(area.size(), Qt::KeepAspectRatio);
    const QRect target(area.x() + (area.width() - fitted.width()) / 2, area.y() + (area.height() - fitted.height()) / 2,
                       fitted.width(), fitted.height());
    // Smooth when shrinking a photo; crisp cells when enlarging a small matrix.
    painter.setRenderHint(QPainter::SmoothPixmapTransform, fitted.width() < image_.width());
    painter.drawImage(target, image_);

    if (legend_limit_ < 0) return;
    const int label_width = metrics.horizontalAdvance("−0.000e-00") + 6;
    const QRect bar(target.x() + label_width, target.bottom() + 8, std::max(40, target.width() - 2 * label_width), 10);
    for (int x = 0; x < bar.width(); ++x) {
        painter.setPen(diverging_colour(float(2.0 * x / std::max(1, bar.width() - 1) - 1.0)));
        painter.drawLine(bar.x() + x, bar.y(), bar.x() + x, bar.bottom());
    }
    painter.setPen(palette().color(QPalette::WindowText));
    painter.drawRect(bar.adjusted(0, 0, -1, -1));
    const QString low = QString("−%1").arg(legend_limit_, 0, 'g', 3), high = QString("+%1").arg(legend_limit_, 0, 'g', 3);
    painter.drawText(QRect(bar.x() - label_width, bar.y() - 3, label_width - 4, line), Qt::AlignRight | Qt::AlignVCenter, low);
    painter.drawText(QRect(bar.right() + 4, bar.y() - 3, label_width, line), Qt::AlignLeft | Qt::AlignVCenter, high);
}

}  // namespace signcut::gui
