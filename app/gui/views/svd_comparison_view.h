#pragma once
// Signed cuts against the classic SVD image-compression demo at equal memory: one bits
// slider, the truncated SVD (bf16 factors) on one side, the signed cuts of the explorer's run
// at the same bits on the other, both errors.

#include <QWidget>

#include <memory>
#include <vector>

#include "approximation.h"
#include "methods/baselines.h"

class QLabel;
class QSlider;

namespace signcut::gui {

class ImageView;

class SvdComparisonView : public QWidget {
    Q_OBJECT
public:
    explicit SvdComparisonView(QWidget* parent = nullptr);

    void set_input(std::shared_ptr<const Tensor> input, bool photo);
    void set_snapshot(std::shared_ptr<const Snapshot> snapshot);
    void clear(const QString& why);
    void set_bits(double bits_per_entry);
    double bits() const;
    double svd_error() const { return svd_error_; }
    double cuts_error() const { return cuts_error_; }
    std::size_t cuts_width() const { return cuts_width_; }

protected:
    void showEvent(QShowEvent* event) override;

private:
    void refresh();

    std::shared_ptr<const Tensor> input_;
    std::shared_ptr<const Snapshot> snapshot_;
    bool photo_ = false;
    std::vector<TruncatedSvd> svds_;  // one per matrix of as_matrices(input), computed when first needed
    ReconstructionCursor cursor_;
    double svd_error_ = 0.0, cuts_error_ = 0.0;
    std::size_t cuts_width_ = 0;

    QSlider* slider_;
    QLabel* bits_label_;
    QLabel* explanation_;
    ImageView* svd_view_;
    ImageView* cuts_view_;
};

}  // namespace signcut::gui
