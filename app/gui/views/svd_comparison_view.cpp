#include "views/svd_comparison_view.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QSplitter>
#include <QStyle>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

#include "explorer_document.h"
#include "methods/method.h"
#include "views/colour_scale.h"
#include "views/image_view.h"
#include "views/tensor_image.h"

namespace signcut::gui {
namespace {

constexpr int kSliderSteps = 10;  // per bit per entry
constexpr double kMinBits = 1.0 / kSliderSteps, kMaxBits = 16.0;
constexpr double kSweepSeconds = 15.0;  // Play: 0.1 to 16 bits per entry, each doubling the same time

}  // namespace

SvdComparisonView::SvdComparisonView(const ExplorerDocument* document, QWidget* parent)
    : QWidget(parent), document_(document) {
    slider_ = new QSlider(Qt::Horizontal);
    slider_->setRange(int(kMinBits * kSliderSteps), int(kMaxBits * kSliderSteps));
    slider_->setValue(2 * kSliderSteps);
    slider_->setToolTip(tr("Memory for both, in bits per entry (everything stored)"));
    connect(slider_, &QSlider::valueChanged, this, &SvdComparisonView::refresh);
    play_button_ = new QToolButton;
    play_button_->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    play_button_->setToolTip(
        tr("Play: the memory of both grows from 0.1 to 16 bits per entry, each doubling the same time"));
    connect(play_button_, &QToolButton::clicked, this, [this] { set_playing(!is_playing()); });
    timer_ = new QTimer(this);
    timer_->setInterval(33);
    connect(timer_, &QTimer::timeout, this, &SvdComparisonView::tick);
    connect(slider_, &QSlider::sliderPressed, this, [this] { set_playing(false); });
    bits_label_ = new QLabel;
    bits_label_->setMinimumWidth(300);
    explanation_ = new QLabel(tr(
        "The classic demo compresses a photo by keeping the k largest singular values: rank k costs k·(m + n) "
        "numbers, here in bf16 (16 bits each). Signed cuts spend the same memory on many more, cheaper terms: "
        "each costs m + n (+ channels) bits and one coefficient. Move the slider: both use the same bits per entry."));
    explanation_->setWordWrap(true);
    original_view_ = new ImageView(tr("Original"));
    svd_view_ = new ImageView(tr("Truncated SVD"));
    cuts_view_ = new ImageView(tr("Signed cuts"));
    auto* row = new QHBoxLayout;
    row->addWidget(play_button_);
    row->addWidget(new QLabel(tr("Memory")));
    row->addWidget(slider_, 1);
    row->addWidget(bits_label_);
    auto* pictures = new QSplitter(Qt::Horizontal);
    pictures->addWidget(original_view_);
    pictures->addWidget(svd_view_);
    pictures->addWidget(cuts_view_);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(explanation_);
    layout->addLayout(row);
    layout->addWidget(pictures, 1);
    clear(tr("Open an image or a matrix to compare with the SVD"));
    connect(document_, &ExplorerDocument::input_changed, this, &SvdComparisonView::on_input_changed);
    connect(document_, &ExplorerDocument::snapshot_changed, this, [this](bool first) {
        if (first) cursor_.reset();  // another job's cuts
        if (isVisible()) refresh();
    });
}

void SvdComparisonView::on_input_changed() {
    if (!document_->input())
        return clear(tr("A decomposition file stores the cuts only: open the original data to compare with the SVD"));
    const bool photo = document_->is_photo();
    set_input(document_->input_tensor(), photo && looks_like_photo(document_->input()->tensor.shape()));
}

void SvdComparisonView::clear(const QString& why) {
    input_.reset();
    svds_.clear();
    set_playing(false);
    // Nothing of the old data stays: not its pictures, nor the numbers in their titles.
    original_view_->set_title(tr("Original"));
    svd_view_->set_title(tr("Truncated SVD"));
    cuts_view_->set_title(tr("Signed cuts"));
    for (ImageView* view : {original_view_, svd_view_, cuts_view_}) view->set_legend(-1);
    original_view_->set_placeholder("");
    svd_view_->set_placeholder(why);
    cuts_view_->set_placeholder("");
}

void SvdComparisonView::set_input(std::shared_ptr<const Tensor> input, bool photo) {
    input_ = std::move(input);
    photo_ = photo;
    scale_limit_ = photo ? 0.0f : abs_quantile(*input_);
    svds_.clear();
    cursor_.reset();
    if (isVisible()) refresh();
}

void SvdComparisonView::set_bits(double bits_per_entry) {
    slider_->setValue(int(std::lround(bits_per_entry * kSliderSteps)));
}

double SvdComparisonView::bits() const { return double(slider_->value()) / kSliderSteps; }

void SvdComparisonView::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    refresh();
}

void SvdComparisonView::refresh() {
    const double bits = this->bits();
    bits_label_->setText(
        QString("%1 bits per entry (%2 % of a bf16 copy)").arg(bits, 0, 'f', 1).arg(100.0 * bits / 16.0, 0, 'f', 0));
    if (!input_) return;
    const auto draw = [&](ImageView* view, const Tensor& t) {
        if (photo_) return view->set_image(photo_image(t));
        const Tensor shown = unfolding(t);
        view->set_image(heat_map(shown, scale_limit_));
        view->set_legend(scale_limit_, scale_note(true, fraction_beyond(shown, scale_limit_)));
    };
    draw(original_view_, *input_);
    // SVD: one per colour channel (or the matrix, or the first-mode unfolding).
    if (svds_.empty())
        for (const Tensor& m : as_matrices(*input_)) svds_.emplace_back(m);
    std::vector<Tensor> parts;
    std::uint64_t svd_bits = 0;
    std::size_t rank = 0;
    for (const TruncatedSvd& svd : svds_) {
        Approximation a = svd.at_bits(bits);
        if (!a.met_budget) break;
        svd_bits += a.bits;
        rank = svd.rank_for_bits(bits);
        parts.push_back(std::move(a.reconstruction));
    }
    if (parts.size() == svds_.size()) {
        const Tensor svd = from_matrices(parts, input_->shape());
        svd_error_ = relative_error(*input_, svd);
        draw(svd_view_, svd);
        svd_view_->set_title(tr("SVD rank %1%2: error %3, %4 bits/entry")
                                 .arg(rank)
                                 .arg(svds_.size() > 1 ? " per channel" : "")
                                 .arg(svd_error_, 0, 'g', 3)
                                 .arg(double(svd_bits) / double(input_->size()), 0, 'f', 2));
    } else {
        svd_error_ = 1.0;
        svd_view_->set_placeholder(tr("Rank 1 in bf16 needs more than %1 bits per entry").arg(bits, 0, 'f', 1));
    }
    // Signed cuts: the widest computed width within the same bits.
    const Snapshot* snapshot = document_->snapshot();
    if (!snapshot || snapshot->width() == 0)
        return cuts_view_->set_placeholder(tr("The explorer has not computed any cuts yet"));
    const double entries = double(snapshot->entries());
    std::size_t w = 0;
    while (w < snapshot->width() && 8.0 * double(snapshot->stored_bytes(w + 1)) / entries <= bits) ++w;
    cuts_width_ = w;
    cuts_error_ = snapshot->relative_error(w);
    draw(cuts_view_, cursor_.at(*snapshot, w));
    const double used = 8.0 * double(snapshot->stored_bytes(w)) / entries;
    const bool short_of_budget = w == snapshot->width() && used + 0.05 < bits;
    cuts_view_->set_title(tr("Cuts w = %1: error %2, %3 bits/entry%4")
                              .arg(w)
                              .arg(cuts_error_, 0, 'g', 3)
                              .arg(used, 0, 'f', 2)
                              .arg(short_of_budget ? " — all the explorer computed so far" : ""));
}

void SvdComparisonView::set_playing(bool playing) {
    play_button_->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    if (!playing) return timer_->stop();
    // A sweep paused and left alone goes on from there; otherwise Play sweeps from the bottom.
    if (!sweep_ || *sweep_ >= 1.0 || slider_->value() != swept_value_) sweep_ = 0.0;
    since_tick_.start();
    timer_->start();
}

bool SvdComparisonView::is_playing() const { return timer_->isActive(); }

void SvdComparisonView::tick() {
    // The sweep's fraction of log(bits): bits = 0.1 · 160^fraction, every doubling the same time.
    sweep_ = std::min(1.0, *sweep_ + double(since_tick_.restart()) / 1000.0 / kSweepSeconds);
    const int value = int(std::lround(kMinBits * std::pow(kMaxBits / kMinBits, *sweep_) * kSliderSteps));
    swept_value_ = value;
    slider_->setValue(value);
    if (*sweep_ >= 1.0) set_playing(false);
}

}  // namespace signcut::gui
