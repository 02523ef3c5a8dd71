#pragma once
// A chart as a file for slides: PNG or SVG (by extension) at a chosen size in pixels, laid out
// at size / text_scale so that text and lines keep their proportions at slide resolution
// (a 1920 × 1080 export at text scale 2 reads like the 960 × 540 chart on screen).

#include <QSize>
#include <QString>

class QChartView;

namespace signcut::gui {

// Written whole, then renamed into place; throws std::runtime_error with a readable message.
void export_chart(const QChartView& view, const QString& path, QSize size, double text_scale);

// "cat-error-chart.png" beside the input (for the bundled photo, in the folder of the last file
// opened, else the home folder): a file name to suggest.
QString suggested_path(const QString& input_path, const QString& what, const QString& extension);
// Where File > Open starts: beside the data shown, else the last folder a file was opened from.
QString working_folder(const QString& input_path);
// Remembers the folder of a file opened (QSettings "files/folder").
void remember_folder(const QString& path);

}  // namespace signcut::gui
