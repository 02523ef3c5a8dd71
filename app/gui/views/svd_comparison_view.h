#pragma once
// Signed cuts against the classic SVD image-compression demo at equal memory: one bits
// slider, the original, the truncated SVD (bf16 factors) and the signed cuts of the explorer's
// run (ExplorerDocument's, observed) at the same bits side by side, both errors. Play sweeps the memory from 0.1 to 16 bits
// per entry in log time (15 s, every doubling the same time, from the bottom unless resumed):
// the lesson in motion.

#include <QElapsedTimer>
#include <QWidget>

#include <memory>
#include <optional>
#include <vector>

#include "snapshot.h"
#include "methods/baselines.h"

class QLabel;
class QSlider;
class QTimer;
class QToolButton;

namespace signcut::gui {

class ExplorerDocument;
class ImageView;

class SvdComparisonView : public QWidget {
    Q_OBJECT
public:
    explicit SvdComparisonView(const ExplorerDocument* document, QWidget* parent = nullptr);

    void set_bits(double bits_per_entry);
    double bits() const;
    double svd_error() const { return svd_error_; }
    double cuts_error() const { return cuts_error_; }
    std::size_t cuts_width() const { return cuts_width_; }
    void set_playing(bool playing);
    bool is_playing() const;

protected:
    void showEvent(QShowEvent* event) override;

private:
    void on_input_changed();
    void set_input(std::shared_ptr<const Tensor> input, bool photo);
    void clear(const QString& why);
    void refresh();
    void tick();

    const ExplorerDocument* document_;
    std::shared_ptr<const Tensor> input_;
    bool photo_ = false;
    float scale_limit_ = 0.0f;  // the heat maps' colour scale, shared (colour_scale.h)
    std::vector<TruncatedSvd> svds_;  // one per matrix of as_matrices(input), computed when first needed
    ReconstructionCursor cursor_;
    double svd_error_ = 0.0, cuts_error_ = 0.0;
    std::size_t cuts_width_ = 0;

    std::optional<double> sweep_;  // Play's fraction of the way up in log(bits); none: not started
    int swept_value_ = 0;          // where the sweep last put the slider
    QElapsedTimer since_tick_;
    QTimer* timer_;
    QToolButton* play_button_;
    QSlider* slider_;
    QLabel* bits_label_;
    QLabel* explanation_;
    ImageView* original_view_;
    ImageView* svd_view_;
    ImageView* cuts_view_;
};

}  // namespace signcut::gui
