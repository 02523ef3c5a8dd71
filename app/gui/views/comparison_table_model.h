#pragma once
// The Compare tab's table: one row per point at a budget asked for (curve points are drawn on
// the chart only), in the order they were measured; rows follow a ComparisonDocument.

#include <QAbstractTableModel>

#include <memory>
#include <vector>

#include "comparison_worker.h"

namespace signcut::gui {

class ComparisonDocument;

class ComparisonTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { kMethod, kBudget, kBits, kError, kPsnr, kSsim, kAboveFloor, kSeconds, kNote, kColumns };

    explicit ComparisonTableModel(const ComparisonDocument* document, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    const ComparisonPoint& point(int row) const { return *rows_[std::size_t(row)]; }
    // The row of (method, budget), or -1.
    int row_of(const QString& method, double budget) const;

private:
    void clear();
    void add(std::shared_ptr<const ComparisonPoint> point);

    std::vector<std::shared_ptr<const ComparisonPoint>> rows_;
};

// How PSNR and SSIM are measured, for tooltips.
QString comparison_measures_tip();

}  // namespace signcut::gui
