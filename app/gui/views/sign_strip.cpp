#include "views/sign_strip.h"

#include <QPainter>

#include "views/tensor_image.h"

namespace signcut::gui {

SignStrip::SignStrip(QWidget* parent) : QWidget(parent) { setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed); }

void SignStrip::set_signs(const QString& label, const std::vector<std::int8_t>& signs,
                          const std::vector<std::int8_t>& previous) {
    label_ = label;
    signs_ = signs;
    previous_ = previous;
    update();
}

void SignStrip::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    const int text = fontMetrics().height();
    int flips = 0;
    for (std::size_t i = 0; i < signs_.size() && i < previous_.size(); ++i) flips += signs_[i] != previous_[i];
    int negatives = 0;
    for (std::int8_t s : signs_) negatives += s < 0;
    painter.drawText(QRect(0, 0, width(), text), Qt::AlignLeft | Qt::AlignVCenter,
                     tr("%1: %2 entries (red +1, blue −1), %3 negative, %4 changed in this step")
                         .arg(label_)
                         .arg(signs_.size())
                         .arg(negatives)
                         .arg(flips));
    if (signs_.empty()) return;
    const QRectF bar(0, text + 6, width(), height() - text - 8);
    const double cell = bar.width() / double(signs_.size());
    for (std::size_t i = 0; i < signs_.size(); ++i) {
        const QRectF r(bar.left() + cell * double(i), bar.top(), std::max(cell, 1.0), bar.height());
        painter.fillRect(r, diverging_colour(signs_[i] > 0 ? 0.8f : -0.8f));
        if (i < previous_.size() && previous_[i] != signs_[i])
            painter.fillRect(QRectF(r.left(), bar.top() - 5, std::max(cell, 1.0), 4), Qt::black);
    }
}

}  // namespace signcut::gui
