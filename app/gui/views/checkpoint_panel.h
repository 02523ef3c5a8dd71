#pragma once
// A compressed checkpoint (.scdz) at a glance: its size against bf16, the histogram of the
// tensors' relative errors, the worst ten, and the list of every tensor to pick one from.

#include <QWidget>

#include <vector>

#include "model/model_compression.h"

class QLabel;
class QTableWidget;
class QChartView;

namespace signcut::gui {

class CheckpointPanel : public QWidget {
    Q_OBJECT
public:
    explicit CheckpointPanel(QWidget* parent = nullptr);

    void set_reports(const QString& file_name, const std::vector<TensorReport>& reports);
    int tensor_count() const;
    // Selects the row of the tensor shown (index into the reports), whatever the sorting.
    void set_current(int index);
    int current() const;
    QString summary_text() const;

Q_SIGNALS:
    // Index into the reports given to set_reports().
    void tensor_picked(int index);

private:
    QLabel* summary_;
    QLabel* worst_;
    QChartView* histogram_;
    QTableWidget* table_;
};

}  // namespace signcut::gui
