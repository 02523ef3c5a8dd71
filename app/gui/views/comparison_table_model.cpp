#include "views/comparison_table_model.h"

#include <cmath>

#include "charts/comparison_chart.h"
#include "comparison_document.h"

namespace signcut::gui {

QString comparison_measures_tip() {
    return "On pictures (values in [0, 1], or [0, 255]: the data range L): PSNR = 10·log₁₀(L² / MSE) over every "
           "entry, ∞ for an exact copy; SSIM (Wang et al. 2004) on the luminance 0.299 R + 0.587 G + 0.114 B, "
           "11×11 Gaussian window of σ = 1.5, K1 = 0.01, K2 = 0.03, averaged where the window fits; 1 for an exact "
           "copy. '-' on other data.";
}

ComparisonTableModel::ComparisonTableModel(const ComparisonDocument* document, QObject* parent)
    : QAbstractTableModel(parent) {
    connect(document, &ComparisonDocument::input_changed, this, &ComparisonTableModel::clear);
    connect(document, &ComparisonDocument::run_started, this, &ComparisonTableModel::clear);
    connect(document, &ComparisonDocument::point_added, this, &ComparisonTableModel::add);
}

void ComparisonTableModel::clear() {
    if (rows_.empty()) return;
    beginResetModel();
    rows_.clear();
    endResetModel();
}

void ComparisonTableModel::add(std::shared_ptr<const ComparisonPoint> point) {
    if (point->on_curve) return;
    const int row = rowCount();
    beginInsertRows({}, row, row);
    rows_.push_back(std::move(point));
    endInsertRows();
    // As a QTableWidget's cells filled in: the header, sized to its contents, measures them again.
    Q_EMIT dataChanged(index(row, 0), index(row, kColumns - 1));
}

int ComparisonTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(rows_.size());
}

int ComparisonTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : kColumns; }

int ComparisonTableModel::row_of(const QString& method, double budget) const {
    for (std::size_t row = 0; row < rows_.size(); ++row)
        if (rows_[row]->method == method && rows_[row]->budget == budget) return int(row);
    return -1;
}

QVariant ComparisonTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= kColumns) return {};
    // Short headers (the table shares the row with two pictures), each explained in its tooltip.
    static const std::pair<const char*, const char*> headers[kColumns] = {
        {"method", "The method"},
        {"budget", "The bits per entry asked for"},
        {"bits", "Bits per entry used, everything stored (signs, scales, headers)"},
        {"error", "Relative error ‖A − Â‖ / ‖A‖"},
        {"PSNR", "Peak signal-to-noise ratio in dB, on pictures"},
        {"SSIM", "Structural similarity of the luminance, on pictures"},
        {"+floor", "Bits above the i.i.d. Gaussian floor: bits per entry + log₂(relative error)"},
        {"s", "Seconds to compute"},
        {"note", "What the method did at this budget"}};
    if (role == Qt::DisplayRole) return tr(headers[section].first);
    if (role == Qt::ToolTipRole) return tr(headers[section].second);
    return {};
}

QVariant ComparisonTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) return {};
    const ComparisonPoint& point = *rows_[std::size_t(index.row())];
    const int column = index.column();
    if (role == Qt::TextAlignmentRole)
        return column == kMethod || column == kNote ? QVariant() : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    const bool measured = point.met_budget;
    if (role == Qt::ToolTipRole) {
        const QString exact = measured && point.relative_error == 0 ? " (an exact copy)" : "";
        if (column == kAboveFloor)
            return tr("bits per entry + log₂(relative error): the bits spent beyond what the i.i.d. Gaussian "
                      "floor needs for the same error (below 0 on data with structure the floor ignores)");
        if (column == kPsnr || column == kSsim) return comparison_measures_tip() + exact;
        return point.note.isEmpty() ? comparison_description(point.method) : point.note;
    }
    if (role != Qt::DisplayRole) return {};
    switch (column) {
    case kMethod: return point.method;
    case kBudget: return QString::number(point.budget);
    case kBits: return measured ? QString::number(point.bits_per_entry, 'f', 3) : "-";
    case kError: return measured ? QString::number(point.relative_error, 'g', 4) : "-";
    case kPsnr:
        return !point.psnr_db ? "-" : std::isinf(*point.psnr_db) ? "∞" : QString::number(*point.psnr_db, 'f', 2);
    case kSsim: return point.ssim ? QString::number(*point.ssim, 'f', 4) : "-";
    case kAboveFloor:
        return measured && point.relative_error > 0 ? QString::number(point.bits_above_iid_floor, 'f', 2) : "-";
    case kSeconds: return QString::number(point.seconds, 'f', 2);
    case kNote: return point.note;
    default: return {};
    }
}

}  // namespace signcut::gui
