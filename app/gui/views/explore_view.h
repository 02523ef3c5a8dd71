#pragma once
// The Explore tab: original, reconstruction and residual side by side (heat maps on one colour
// scale shared by the three, colour_scale.h), the error chart and the width scrubber below, and
// its side panel for the Run dock (slice shown, scale toggles, the numbers of the width shown).
// It draws what the ExplorerDocument holds and keeps no copy of it; the window tells it when a
// job starts, new cuts arrive or a decomposition file is shown.

#include <QPoint>
#include <QWidget>

#include <memory>
#include <optional>
#include <tuple>
#include <vector>

#include "product_timing.h"
#include "tensor/tensor.h"

class QCheckBox;
class QLabel;
class QSlider;
class QSpinBox;

namespace signcut::gui {

class ErrorChart;
class ExplorerDocument;
class ImageView;
struct Job;
struct Snapshot;
class WidthScrubber;

class ExploreView : public QWidget {
    Q_OBJECT
public:
    explicit ExploreView(ExplorerDocument* document, QWidget* parent = nullptr);
    ~ExploreView() override;

    // What the Run dock shows under the run settings: slice, scale toggles, numbers.
    QWidget* side_panel() const { return side_panel_; }

    // A job was queued on `input` (the panes show the original, the chart its frame).
    void start_job(const Job& job);
    // New cuts of the running job.
    void show_snapshot(const Snapshot& snapshot);
    // A decomposition file (no original) is shown whole.
    void show_loaded(std::shared_ptr<const Snapshot> snapshot);
    // New data of this shape: the slices it has (none for a picture).
    void set_input_shape(const Shape& shape, bool picture);
    void set_placeholder(const QString& text);
    void refresh_views();
    void refresh_numbers();

    void set_playing(bool playing);
    bool is_playing() const;
    void set_log_width(bool on);
    // The widest width computed so far.
    std::size_t available_width() const;
    void set_own_colour_scales(bool on);

    QSlider* width_slider() const;
    QSpinBox* slice_box() const { return slice_; }
    const ErrorChart* chart() const { return chart_; }
    ErrorChart* chart() { return chart_; }
    std::vector<ImageView*> panes() const { return {original_view_, reconstruction_view_, residual_view_}; }
    QString numbers_text() const;
    // Where the original shows the entries kept apart at width w (ImageView::set_markers).
    std::vector<QPoint> kept_apart_pixels(const Snapshot& snapshot, std::size_t w) const;

Q_SIGNALS:
    // The link of the flat-curve note: show the "Outliers apart" setting.
    void outliers_asked();

private:
    void on_width_changed(std::size_t width);
    // The 2-D view of a tensor: its whole unfolding, or the slice chosen.
    Tensor matrix_shown(const Tensor& tensor) const;
    // A heat map on the scale shared by the three panes, or on its own (the toggle, or a photo's residual).
    void show_heat_map(ImageView* view, const Tensor& shown) const;
    QWidget* make_side_panel();

    ExplorerDocument* document_;
    float shared_limit_ = 0.0f;  // the heat maps' shared scale; 0: each its own

    ImageView* original_view_;
    ImageView* reconstruction_view_;
    ImageView* residual_view_;
    ErrorChart* chart_;
    WidthScrubber* scrubber_;
    QWidget* side_panel_;
    QSpinBox* slice_;  // −1: the whole tensor unfolded
    QCheckBox* own_scales_;
    QCheckBox* mark_apart_;
    QLabel* numbers_;
    QLabel* flat_curve_note_;  // why a weight matrix's curve flattens, with a link to Outliers apart

    // "A·x from the bits" in the readout, measured once per data and width shown.
    mutable ProductTimer product_timer_;
    mutable std::optional<std::tuple<const void*, std::size_t, ProductTiming>> product_timing_;
};

}  // namespace signcut::gui
