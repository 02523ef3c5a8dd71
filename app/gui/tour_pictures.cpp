#include "tour_pictures.h"

#include <QPainter>
#include <QPainterPath>

#include <cmath>
#include <random>

#include "views/tensor_image.h"

namespace signcut::gui {
namespace {

const QColor kBlue(0x1f, 0x77, 0xb4), kRed(0xd6, 0x27, 0x28), kGrey(0x80, 0x80, 0x80);

// s tᵀ for seeded random signs: +1 red, −1 blue, as the explorer's heat maps.
void sign_pattern(QPainter& p, int size) {
    constexpr int rows = 12, cols = 16;
    std::mt19937 random(7);
    int s[rows], t[cols];
    for (int& x : s) x = random() & 1 ? 1 : -1;
    for (int& x : t) x = random() & 1 ? 1 : -1;
    const double cell = double(size - 20) / cols;
    for (int i = 0; i < rows; ++i)
        for (int j = 0; j < cols; ++j)
            p.fillRect(QRectF(10 + j * cell, 10 + (size - 20 - rows * cell) / 2 + i * cell, cell, cell),
                       diverging_colour(0.8f * float(s[i] * t[j])));
}

// The cut value after each step: rising, then a sweep that changes nothing.
void rising_value(QPainter& p, int size) {
    const double values[] = {0.35, 0.62, 0.78, 0.86, 0.89, 0.90, 0.90};
    QPainterPath path;
    for (int k = 0; k < 7; ++k) {
        const QPointF point(20 + k * (size - 40) / 6.0, size - 20 - values[k] * (size - 40));
        k ? path.lineTo(point) : path.moveTo(point);
        p.setBrush(k < 5 ? kBlue : kGrey);
        p.drawEllipse(point, 4, 4);
    }
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(kBlue, 2));
    p.drawPath(path);
    p.setPen(Qt::black);
    p.drawText(QRectF(0, size - 18, size, 16), Qt::AlignCenter, "step →");
}

// One cut's storage: a bit per row, a bit per column, one coefficient.
void cut_bits(QPainter& p, int size) {
    const struct {
        const char* label;
        double share;
        QColor colour;
    } parts[] = {
        {"m bits", 0.40, kBlue}, {"n bits", 0.52, QColor(0x2c, 0xa0, 0x2c)}, {"c", 0.08, QColor(0xff, 0x7f, 0x0e)}};
    double x = 10;
    for (const auto& part : parts) {
        const QRectF box(x, size / 2.0 - 18, part.share * (size - 20), 36);
        p.fillRect(box, part.colour);
        p.setPen(Qt::white);
        p.drawText(box, Qt::AlignCenter, part.label);
        x += box.width();
    }
    p.setPen(Qt::black);
    p.drawText(QRectF(0, size / 2.0 + 24, size, 20), Qt::AlignCenter, "one signed cut");
}

// log error against w: a straight fall, a memory marker and the width shown.
void error_chart(QPainter& p, int size) {
    p.setPen(kGrey);
    p.drawRect(QRectF(20, 10, size - 30, size - 30));
    p.setPen(QPen(QColor(0x94, 0x67, 0xbd), 1.5, Qt::DashLine));
    p.drawLine(QPointF(size * 0.72, 10), QPointF(size * 0.72, size - 20));
    p.setPen(QPen(kBlue, 2));
    QPainterPath path(QPointF(20, 18));
    for (int k = 1; k <= 20; ++k) {
        const double x = 20 + k * (size - 30) / 20.0;
        path.lineTo(x, 18 + (size - 45) * (1 - std::exp(-k / 6.0)) * 1.05);
    }
    p.drawPath(path);
    p.setBrush(kRed);
    p.setPen(Qt::white);
    p.drawEllipse(path.pointAtPercent(0.45), 5, 5);
}

// Methods' points above a floor curve.
void methods_above_floor(QPainter& p, int size) {
    p.setPen(QPen(Qt::black, 1.5, Qt::DashLine));
    QPainterPath floor(QPointF(15, 30));
    floor.cubicTo(QPointF(size * 0.4, size * 0.55), QPointF(size * 0.7, size * 0.75), QPointF(size - 10, size - 20));
    p.drawPath(floor);
    const QColor colours[] = {kBlue, QColor(0xe3, 0x77, 0xc2), QColor(0x2c, 0xa0, 0x2c), QColor(0xff, 0x7f, 0x0e)};
    for (int m = 0; m < 4; ++m)
        for (int k = 0; k < 3; ++k) {
            const QPointF on_floor = floor.pointAtPercent(0.2 + 0.3 * k);
            p.setBrush(colours[m]);
            p.setPen(Qt::white);
            p.drawEllipse(on_floor - QPointF(0, 10 + 12 * m), 5, 5);
        }
}

}  // namespace

QImage tour_picture(int page, int size) {
    QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    switch (page) {
        case 0:
            sign_pattern(painter, size);
            break;
        case 1:
            rising_value(painter, size);
            break;
        case 2:
            cut_bits(painter, size);
            break;
        case 3:
            error_chart(painter, size);
            break;
        default:
            methods_above_floor(painter, size);
            break;
    }
    return image;
}

}  // namespace signcut::gui
