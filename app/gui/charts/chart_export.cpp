#include "charts/chart_export.h"

#include <QBuffer>
#include <QDir>
#include <QFileInfo>
#include <QGraphicsLayout>
#include <QImage>
#include <QPainter>
#include <QSaveFile>
#include <QSettings>
#include <QSvgGenerator>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>

#include <stdexcept>

namespace signcut::gui {
namespace {

// Draws the chart laid out at `layout` (logical pixels) onto `device`, then puts it back.
void render(const QChartView& view, QPaintDevice& device, QSizeF layout) {
    QChart* chart = view.chart();
    const QSizeF on_screen = chart->size();
    chart->resize(layout);
    chart->layout()->activate();
    QPainter painter(&device);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    chart->scene()->render(&painter, QRectF(QPointF(0, 0), layout),
                           chart->mapRectToScene(QRectF(QPointF(0, 0), layout)));
    painter.end();
    chart->resize(on_screen);
}

}  // namespace

void export_chart(const QChartView& view, const QString& path, QSize size, double text_scale) {
    if (size.width() < 16 || size.height() < 16 || size.width() > 16384 || size.height() > 16384 ||
        !(text_scale >= 0.25 && text_scale <= 8))
        throw std::runtime_error("chart sizes run from 16 to 16384 pixels a side and the text scale from 0.25 to 8");
    const QSizeF layout = QSizeF(size) / text_scale;
    const QString extension = QFileInfo(path).suffix().toLower();
    QByteArray bytes;
    if (extension == "svg") {
        QBuffer buffer(&bytes);
        QSvgGenerator svg;
        svg.setOutputDevice(&buffer);
        svg.setSize(layout.toSize());
        svg.setViewBox(QRectF(QPointF(0, 0), layout));
        svg.setTitle(view.chart()->title());
        render(view, svg, layout);
    } else if (extension == "png") {
        QImage image(size, QImage::Format_ARGB32_Premultiplied);
        image.setDevicePixelRatio(text_scale);
        image.fill(Qt::white);
        render(view, image, layout);
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        if (!image.save(&buffer, "PNG")) throw std::runtime_error("cannot encode the chart as PNG");
    } else {
        throw std::runtime_error((path + ": charts are exported as .png or .svg").toStdString());
    }
    QSaveFile file(path);  // written whole, then renamed into place
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        throw std::runtime_error((path + ": cannot write the chart").toStdString());
}

QString suggested_path(const QString& input_path, const QString& what, const QString& extension) {
    const QFileInfo input(input_path);
    const QString stem = input_path.isEmpty() ? QString("signcut") : input.completeBaseName();
    return QDir(working_folder(input_path)).filePath(stem + "-" + what + "." + extension);
}

QString working_folder(const QString& input_path) {
    if (!input_path.isEmpty() && !input_path.startsWith(":/")) return QFileInfo(input_path).absolutePath();
    return QSettings().value("files/folder", QDir::homePath()).toString();
}

void remember_folder(const QString& path) {
    if (!path.startsWith(":/")) QSettings().setValue("files/folder", QFileInfo(path).absolutePath());
}

}  // namespace signcut::gui
