#pragma once
// File > Export: the reconstruction, the decomposition, the error curve, a chart and the
// animation of the explorer's document, each through a save dialog. The window shows what they
// report (saved: a status line; failed: an error).

#include <QObject>
#include <QString>

class QWidget;

namespace signcut::gui {

class ChartView;
class ExplorerDocument;

class ExportActions : public QObject {
    Q_OBJECT
public:
    // `window` parents the dialogs.
    ExportActions(const ExplorerDocument* document, QWidget* window);
    // Off (tests, --screenshot): the chart's size dialog is skipped, its defaults used.
    void set_dialogs_enabled(bool enabled) { dialogs_enabled_ = enabled; }

    void export_reconstruction();
    void export_decomposition();
    void export_curve();
    // `chart`, the one of the tab shown; `stem` names the file suggested ("error-chart").
    void export_chart(const ChartView& chart, const QString& stem);
    void export_animation();

Q_SIGNALS:
    void saved(const QString& message);
    void failed(const QString& message);

private:
    const ExplorerDocument* document_;
    QWidget* window_;
    bool dialogs_enabled_ = true;
};

}  // namespace signcut::gui
