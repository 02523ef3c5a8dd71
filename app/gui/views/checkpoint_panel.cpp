#include "views/checkpoint_panel.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSeries>
#include <QtCharts/QBarSet>
#include <QtCharts/QChartView>
#include <QtCharts/QValueAxis>

#include <cmath>

#include "model/model_summary.h"

namespace signcut::gui {
namespace {

enum Column { kName, kShape, kMethod, kBits, kError, kColumns };

QString percent(double fraction) { return QString::number(100.0 * fraction, 'g', 3) + "%"; }

}  // namespace

CheckpointPanel::CheckpointPanel(QWidget* parent) : QWidget(parent) {
    summary_ = new QLabel;
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    worst_ = new QLabel;
    worst_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    histogram_ = new QChartView;
    histogram_->setRenderHint(QPainter::Antialiasing);
    histogram_->setMinimumHeight(200);
    table_ = new QTableWidget(0, kColumns);
    table_->setHorizontalHeaderLabels({"tensor", "shape", "method", "bits/entry", "rel. error"});
    table_->verticalHeader()->setVisible(false);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setWordWrap(false);
    table_->setTextElideMode(Qt::ElideMiddle);  // "model.layers.…mlp.down_proj.weight": the ends tell tensors apart
    table_->setSortingEnabled(true);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setSectionResizeMode(kName, QHeaderView::Stretch);
    table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 6);
    table_->setToolTip(tr("Click a decomposed tensor to see it and its error curve"));
    connect(table_, &QTableWidget::cellClicked, this,
            [this](int row, int) { Q_EMIT tensor_picked(table_->item(row, kName)->data(Qt::UserRole).toInt()); });
    // Narrow enough that the dock does not widen the window (names are elided in the middle);
    // the dock can be dragged wider.
    setMinimumWidth(280);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(summary_);
    layout->addWidget(histogram_);
    layout->addWidget(worst_);
    layout->addWidget(table_, 1);
}

void CheckpointPanel::set_reports(const QString& file_name, const std::vector<TensorReport>& reports) {
    const ModelSummary s = summarize_model(reports);
    summary_->setText(tr("<b>%1</b><br>%2 tensors decomposed, %3 kept as they were<br>"
                         "%4 MB stored = %5 of a bf16 copy (%6 MB)<br>"
                         "%7 bits per entry on average; relative error median %8, max %9")
                          .arg(file_name.toHtmlEscaped())
                          .arg(s.decomposed)
                          .arg(s.kept)
                          .arg(double(s.stored_bytes) * 1e-6, 0, 'f', 1)
                          .arg(percent(s.bf16_bytes ? double(s.stored_bytes) / double(s.bf16_bytes) : 0.0))
                          .arg(double(s.bf16_bytes) * 1e-6, 0, 'f', 1)
                          .arg(s.mean_bits_per_entry, 0, 'f', 2)
                          .arg(percent(s.median_error))
                          .arg(percent(s.max_error)));
    QString worst = "<b>Worst ten</b> (sort the table by rel. error for all):";
    for (const TensorReport& r : s.worst)
        worst +=
            QString("<br>%1 &nbsp;%2").arg(percent(r.relative_error), QString::fromStdString(r.name).toHtmlEscaped());
    worst_->setText(worst);

    auto* chart = new QChart;
    chart->setTitle(tr("Tensors by relative error"));
    chart->legend()->hide();
    chart->setMargins(QMargins(2, 2, 2, 2));
    auto* set = new QBarSet("tensors");
    QStringList labels;
    for (std::size_t i = 0; i < s.bin_counts.size(); ++i) {
        *set << double(s.bin_counts[i]);
        // Short labels (the upper edge in %), so all fit under narrow bars.
        labels << (i + 1 < s.bin_edges.size() ? QString::number(100.0 * s.bin_edges[i + 1], 'g', 3)
                                              : QString::number(100.0 * s.bin_edges[i], 'g', 3) + "+");
    }
    auto* series = new QBarSeries;
    series->append(set);
    chart->addSeries(series);
    auto* categories = new QBarCategoryAxis;
    categories->append(labels);
    categories->setTitleText(tr("relative error, % (bins up to the value shown)"));
    auto* counts = new QValueAxis;
    counts->setLabelFormat("%d");
    counts->setTitleText(tr("tensors"));
    std::size_t most = 1;
    for (std::size_t c : s.bin_counts) most = std::max(most, c);
    counts->setRange(0, double(most));
    counts->applyNiceNumbers();  // whole-number ticks
    chart->addAxis(categories, Qt::AlignBottom);
    chart->addAxis(counts, Qt::AlignLeft);
    series->attachAxis(categories);
    series->attachAxis(counts);
    QChart* old = histogram_->chart();
    histogram_->setChart(chart);
    delete old;

    table_->setSortingEnabled(false);
    table_->setRowCount(int(reports.size()));
    for (int row = 0; row < int(reports.size()); ++row) {
        const TensorReport& r = reports[std::size_t(row)];
        const auto set_cell = [&](int column, const QVariant& value) {
            auto* item = new QTableWidgetItem;
            item->setData(Qt::DisplayRole, value);
            if (!r.decomposed) item->setForeground(palette().color(QPalette::Disabled, QPalette::Text));
            table_->setItem(row, column, item);
            return item;
        };
        auto* name = set_cell(kName, QString::fromStdString(r.name));
        name->setData(Qt::UserRole, row);
        name->setToolTip(QString::fromStdString(r.name) +
                         (r.decomposed ? "" : "\nkept as it was (" + QString::fromStdString(r.dtype) + ")"));
        set_cell(kShape, QString::fromStdString(shape_to_string(r.shape)));
        // Each tensor's method (and width, for signed cuts).
        const QString method = QString::fromStdString(r.method) +
                               (r.method == "scd" ? QString(", w = %1").arg(qulonglong(r.width)) : QString());
        set_cell(kMethod, r.decomposed ? method : QString("kept"));
        set_cell(kBits, QString::number(r.bits_per_entry, 'f', 2));
        set_cell(kError, r.decomposed ? QVariant(std::round(r.relative_error * 1e5) / 1e5) : QVariant("-"));
    }
    table_->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);  // the checkpoint's own order
    table_->setSortingEnabled(true);
}

int CheckpointPanel::tensor_count() const { return table_->rowCount(); }

void CheckpointPanel::set_current(int index) {
    for (int row = 0; row < table_->rowCount(); ++row)
        if (table_->item(row, kName)->data(Qt::UserRole).toInt() == index) {
            table_->selectRow(row);
            table_->scrollToItem(table_->item(row, kName));
            return;
        }
    table_->clearSelection();
}

int CheckpointPanel::current() const {
    const QList<QTableWidgetItem*> selected = table_->selectedItems();
    return selected.isEmpty() ? -1 : table_->item(selected.front()->row(), kName)->data(Qt::UserRole).toInt();
}

QString CheckpointPanel::summary_text() const { return summary_->text(); }

}  // namespace signcut::gui
