#include "views/explore_view.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSettings>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "snapshot.h"
#include "charts/error_chart.h"
#include "explorer_document.h"
#include "io/scd_file.h"
#include "methods/image_quality.h"
#include "views/colour_scale.h"
#include "views/image_view.h"
#include "views/tensor_image.h"
#include "views/width_scrubber.h"

namespace signcut::gui {

ExploreView::ExploreView(ExplorerDocument* document, QWidget* parent) : QWidget(parent), document_(document) {
    original_view_ = new ImageView(tr("Original A"));
    reconstruction_view_ = new ImageView(tr("Reconstruction Â_w"));
    residual_view_ = new ImageView(tr("Residual A − Â_w"));
    auto* views = new QSplitter(Qt::Horizontal);
    for (ImageView* view : {original_view_, reconstruction_view_, residual_view_}) views->addWidget(view);
    chart_ = new ErrorChart;
    auto* vertical = new QSplitter(Qt::Vertical);
    vertical->addWidget(views);
    vertical->addWidget(chart_);
    vertical->setStretchFactor(0, 1);  // pictures are wide: the chart can have half the height
    vertical->setStretchFactor(1, 1);
    chart_->setMinimumHeight(200);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 2);
    layout->addWidget(vertical, 1);
    scrubber_ = new WidthScrubber;
    connect(scrubber_, &WidthScrubber::width_chosen, document_, &ExplorerDocument::set_width);
    chart_->set_log_width(scrubber_->log_width());
    connect(scrubber_, &WidthScrubber::log_width_toggled, chart_, &ErrorChart::set_log_width);
    connect(chart_, &ErrorChart::width_clicked, this, [this](std::size_t width) {
        set_playing(false);
        document_->set_width(width);
    });
    layout->addWidget(scrubber_);
    side_panel_ = make_side_panel();
    connect(document_, &ExplorerDocument::width_changed, this, &ExploreView::on_width_changed);
    connect(document_, &ExplorerDocument::plain_curve_changed, this,
            [this] { chart_->set_reference_curve(document_->plain_snapshot()); });
}

ExploreView::~ExploreView() = default;

QWidget* ExploreView::make_side_panel() {
    auto* panel = new QWidget;
    numbers_ = new QLabel;
    numbers_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    numbers_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    // No minimum width: at 2× scaling on a 1920 × 1080 screen the whole window must fit.
    slice_ = new QSpinBox;
    slice_->setRange(-1, 0);
    slice_->setValue(-1);
    slice_->setSpecialValueText(tr("all, unfolded"));
    slice_->setToolTip(tr("A tensor of order > 2: all of it as one matrix (rows over its first modes, columns "
                          "over the rest, the squarest such split), or one 2-D slice through its first two modes"));
    connect(slice_, &QSpinBox::valueChanged, this, [this] { refresh_views(); });
    own_scales_ = new QCheckBox(tr("Own scale per pane"));
    own_scales_->setToolTip(tr("Off: the heat maps share one scale, the %1th percentile of |A|, so equal colours "
                               "are equal values; values beyond it are saturated. On: each pane is scaled to its own "
                               "%1th percentile (a faint residual then shows its structure).")
                                .arg(100.0 * kScaleQuantile));
    own_scales_->setChecked(QSettings().value("view/own-colour-scales", false).toBool());
    connect(own_scales_, &QCheckBox::toggled, this, [this](bool on) {
        QSettings().setValue("view/own-colour-scales", on);
        refresh_views();
    });
    mark_apart_ = new QCheckBox(tr("Ring entries apart"));
    mark_apart_->setToolTip(tr("Outliers apart: ring, on the original, the entries stored exactly instead of by cuts"));
    mark_apart_->setChecked(true);
    connect(mark_apart_, &QCheckBox::toggled, this, [this] { refresh_views(); });
    auto* panel_layout = new QVBoxLayout(panel);
    panel_layout->setContentsMargins(0, 0, 0, 0);
    auto* slice_row = new QHBoxLayout;
    slice_row->addWidget(new QLabel(tr("Slice shown")));
    slice_row->addWidget(slice_, 1);
    panel_layout->addLayout(slice_row);
    auto* view_row = new QHBoxLayout;  // one row: at 2× scaling the dock must fit a 1080-pixel screen
    view_row->addWidget(own_scales_);
    view_row->addWidget(mark_apart_);
    panel_layout->addLayout(view_row);
    panel_layout->addWidget(numbers_, 1);
    flat_curve_note_ = new QLabel(
        tr("<b>A flat curve?</b> Trained weights are much like noise: each cut takes a sliver. Entries far "
           "out in the tails flatten it more: <a href=\"#outliers\">Outliers apart</a>."));
    flat_curve_note_->setWordWrap(true);
    flat_curve_note_->hide();  // for matrices and tensors, not photos
    connect(flat_curve_note_, &QLabel::linkActivated, this, &ExploreView::outliers_asked);
    panel_layout->addWidget(flat_curve_note_);
    return panel;
}

void ExploreView::start_job(const Job& job) {
    const Tensor& input = job.input;
    Shape part_shape = input.shape();
    if (job.split_channels) part_shape.pop_back();
    const std::size_t parts = job.split_channels ? input.dim(2) : 1;
    const double entries = double(input.size());
    const CoeffPrecision precision = job.options.precision;
    chart_->clear_curve();
    chart_->set_width_title(job.split_channels ? tr("width w (cuts per colour channel)") : tr("width w (cuts)"));
    chart_->set_frame(job.max_width, [=](std::size_t w) {
        return 8.0 * double(parts * scd_file_bytes(part_shape, w, precision)) / entries;
    });
    scrubber_->set_available(0, true);
    scrubber_->show_width(0);
    const bool photo = document_->is_photo();
    shared_limit_ = photo ? 0.0f : abs_quantile(input);
    flat_curve_note_->setVisible(!photo);
    if (photo) {
        original_view_->set_image(photo_image(input));
        original_view_->set_legend(-1.0);
    } else {
        show_heat_map(original_view_, matrix_shown(input));
    }
    // Colour photos show the residual's mean over their channels; anything else a slice of it.
    const bool channels = photo && input.order() == 3 && input.dim(2) > 1;
    residual_view_->set_title(channels ? tr("Residual A − Â_w (mean over channels)") : tr("Residual A − Â_w"));
    reconstruction_view_->set_placeholder(tr("Computing the first cuts…"));
    residual_view_->set_placeholder("");
}

void ExploreView::show_snapshot(const Snapshot& snapshot) {
    scrubber_->set_available(snapshot.width(), !snapshot.finished);
    chart_->set_curve(snapshot);
}

void ExploreView::show_loaded(std::shared_ptr<const Snapshot> snapshot) {
    const Decomposition& d = snapshot->parts().front();
    chart_->clear_curve();
    chart_->set_width_title(tr("width w (cuts)"));
    chart_->set_frame(d.width(), [snapshot](std::size_t w) { return snapshot->parts().front().bits_per_entry(w); });
    chart_->set_curve(*snapshot);
    scrubber_->set_available(d.width(), false);
    set_input_shape(d.shape(), document_->is_photo());
    original_view_->set_placeholder(tr("A decomposition file stores the cuts only, not the original"));
    original_view_->set_legend(-1);
    residual_view_->set_title(tr("Residual A − Â_w"));
    residual_view_->set_placeholder(tr("No original to compare with"));
    residual_view_->set_legend(-1);
    // No original: the shared colour scale is that of the whole reconstruction.
    shared_limit_ = document_->is_photo() ? 0.0f : abs_quantile(d.reconstruct(d.width()));
    flat_curve_note_->setVisible(!document_->is_photo());
}

void ExploreView::set_input_shape(const Shape& shape, bool picture) {
    slice_->setRange(-1, int(slice_count(shape) - 1));
    slice_->setValue(-1);  // all of it
    slice_->setEnabled(!picture && shape.size() > 2);
}

void ExploreView::set_placeholder(const QString& text) { original_view_->set_placeholder(text); }

void ExploreView::on_width_changed(std::size_t width) {
    scrubber_->show_width(width);
    chart_->set_current_width(width, document_->snapshot()->relative_error(width));
    refresh_views();
    refresh_numbers();
}

void ExploreView::set_playing(bool playing) { scrubber_->set_playing(playing); }

bool ExploreView::is_playing() const { return scrubber_->is_playing(); }

void ExploreView::set_log_width(bool on) { scrubber_->set_log_width(on); }

std::size_t ExploreView::available_width() const { return scrubber_->available(); }

QSlider* ExploreView::width_slider() const { return scrubber_->slider(); }

void ExploreView::set_own_colour_scales(bool on) { own_scales_->setChecked(on); }

Tensor ExploreView::matrix_shown(const Tensor& tensor) const {
    return slice_->value() < 0 ? unfolding(tensor) : matrix_slice(tensor, std::size_t(slice_->value()));
}

void ExploreView::show_heat_map(ImageView* view, const Tensor& shown) const {
    const bool own = own_scales_->isChecked() || shared_limit_ <= 0;
    const float limit = own ? abs_quantile(shown) : shared_limit_;
    view->set_image(heat_map(shown, limit));
    view->set_legend(limit, scale_note(!own, fraction_beyond(shown, limit)));
}

void ExploreView::refresh_views() {
    const Snapshot* snapshot = document_->snapshot();
    if (!snapshot || snapshot->parts().empty()) return;
    const Tensor& approx = document_->reconstruction();
    const LoadedInput* input = document_->input();
    const bool photo = document_->is_photo();
    if (photo) {
        reconstruction_view_->set_image(photo_image(approx));
        reconstruction_view_->set_legend(-1);  // a heat map's legend must not stay under a photo
    } else {
        show_heat_map(reconstruction_view_, matrix_shown(approx));
        if (input) show_heat_map(original_view_, matrix_shown(input->tensor));
    }
    original_view_->set_markers(kept_apart_pixels(*snapshot, document_->width()));
    if (!input) return;
    const Tensor residual = document_->residual();
    // A colour photo's residual: its mean over the channels, on its own scale (nothing to share with).
    show_heat_map(residual_view_, photo && residual.order() == 3 ? channel_mean(residual) : matrix_shown(residual));
}

std::vector<QPoint> ExploreView::kept_apart_pixels(const Snapshot& snapshot, std::size_t w) const {
    std::vector<QPoint> pixels;
    if (!mark_apart_->isChecked()) return pixels;
    const int slice = slice_->value();
    for (const Decomposition& part : snapshot.parts()) {
        // A flat index as (column, row) of the picture shown: a photo's pixel, an entry of the
        // unfolding, or of the slice shown (entries of other slices are not on screen).
        const Shape& shape = part.shape();
        const bool picture = shape.size() == 3 && document_->is_photo();
        const std::size_t channels = picture ? shape[2] : 1;
        const std::size_t slices = !picture && slice >= 0 ? slice_count(shape) : 1;
        const std::size_t cols = picture || slices > 1 ? shape[1] : unfolded_shape(shape).second;
        for (std::size_t e = 0; e < part.outlier_count(w); ++e) {
            std::uint64_t index = part.outlier_indices()[e];
            if (index % slices != std::size_t(std::max(slice, 0))) continue;
            index = index / slices / channels;
            pixels.emplace_back(int(index % cols), int(index / cols));
        }
    }
    return pixels;
}

QString ExploreView::numbers_text() const {
    const Snapshot* s = document_->snapshot();
    if (!s) return {};
    const std::size_t w = document_->width();
    const double entries = double(s->entries());
    const double bytes = double(s->stored_bytes(w));
    const double error = s->relative_error(w);
    QString text = tr("width w          %1 of %2\n").arg(w).arg(s->width());
    text += tr("stored           %1 bytes\n").arg(qint64(bytes));
    text += tr("bits per entry   %1\n").arg(8.0 * bytes / entries, 0, 'f', 3);
    if (w > 0) {  // at w = 0 only the header is stored: a ratio would say nothing
        text += tr("vs f32 copy      %1× smaller\n").arg(4.0 * entries / bytes, 0, 'f', 2);
        text += tr("vs bf16 copy     %1× smaller\n").arg(2.0 * entries / bytes, 0, 'f', 2);
    }
    text += tr("relative error   %1\n").arg(error, 0, 'g', 4);
    text += tr("outliers apart   %1\n").arg(QString::fromStdString(describe_outliers(s->parts(), w)));
    if (document_->is_photo()) {
        // PSNR with peak 1 (photos are read into [0, 1]): MSE = error² · ‖A‖² / N.
        double input_energy = 0;
        for (const Decomposition& part : s->parts()) input_energy += part.input_squared_norm();
        const double psnr = psnr_db_from_mse(error * error * input_energy / entries, 1.0);
        text += std::isinf(psnr) ? tr("PSNR             ∞\n") : tr("PSNR             %1 dB\n").arg(psnr, 0, 'f', 2);
    }
    // Timed only where the picture stands still: a finished run (or a file) and no playback.
    if (s->finished && !is_playing() && s->parts().size() == 1 && s->parts().front().order() >= 2 && w > 0) {
        const Decomposition& d = s->parts().front();
        if (!product_timing_ || std::get<0>(*product_timing_) != &d || std::get<1>(*product_timing_) != w)
            product_timing_.emplace(&d, w, product_timer_.time(d, w));
        const ProductTiming& t = std::get<2>(*product_timing_);
        text += tr("A·x from bits    %1 ms\n").arg(t.ms_from_bits, 0, 'g', 2);  // two lines: the dock is narrow
        text += tr("A·x bf16 GEMV    %1 ms\n").arg(t.ms_bf16_gemv, 0, 'g', 2);
    }
    if (s->seconds > 0) text += tr("engine           %1 cuts/s\n").arg(double(s->width()) / s->seconds, 0, 'f', 0);
    return text;
}

void ExploreView::refresh_numbers() {
    QFont mono("Monospace");
    mono.setStyleHint(QFont::TypeWriter);
    numbers_->setFont(mono);
    numbers_->setText(numbers_text());
}

}  // namespace signcut::gui
