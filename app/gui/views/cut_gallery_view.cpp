#include "views/cut_gallery_view.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "views/image_view.h"
#include "views/tensor_image.h"

namespace signcut::gui {
namespace {

constexpr int kColumns = 6;
constexpr int kMaxTiles = 1000;

}  // namespace

CutGalleryView::CutGalleryView(QWidget* parent) : QWidget(parent) {
    count_ = new QSpinBox;
    count_->setRange(1, kMaxTiles);
    count_->setValue(24);
    count_->setKeyboardTracking(false);  // typing 200 is not first 2, then 20 tiles
    count_->setToolTip(tr("How many cuts to show (up to %1)").arg(kMaxTiles));
    order_ = new QComboBox;
    order_->addItems({tr("in the order found (j = 1, 2, …)"), tr("by |c_j|, largest first")});
    connect(count_, &QSpinBox::valueChanged, this, &CutGalleryView::rebuild);
    connect(order_, &QComboBox::currentIndexChanged, this, &CutGalleryView::rebuild);
    note_ = new QLabel;
    note_->setWordWrap(true);
    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Show the first")));
    controls->addWidget(count_);
    controls->addWidget(new QLabel(tr("cuts,")));
    controls->addWidget(order_);
    controls->addStretch(1);
    auto* host = new QWidget;
    grid_ = new QGridLayout(host);
    grid_->setSpacing(4);
    auto* scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setWidget(host);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(note_);
    layout->addWidget(scroll, 1);
    clear(tr("Decompose something to see its cuts"));
}

void CutGalleryView::set_count(int count) { count_->setValue(count); }

bool CutGalleryView::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::MouseButtonRelease && static_cast<QMouseEvent*>(event)->button() == Qt::LeftButton) {
        const auto tile = std::find(tiles_.begin(), tiles_.end(), watched);
        const auto index = std::size_t(tile - tiles_.begin());
        if (tile != tiles_.end() && index < shown_.size()) Q_EMIT cut_clicked(shown_[index]);
    }
    return QWidget::eventFilter(watched, event);
}

void CutGalleryView::clear(const QString& why) {
    decomposition_ = Decomposition();
    note_->setText(why);
    rebuild();
}

void CutGalleryView::set_decomposition(const Decomposition& decomposition, bool photo) {
    decomposition_ = decomposition;
    photo_ = photo;
    note_->setText(
        QString(photo ? "Each tile is one cut: the sign pattern s_j ⊗ t_j ⊗ u_j times sign(c_j), drawn per colour "
                        "channel (white: +1 in all three, black: −1 in all three, colours where u_j's "
                        "channel signs differ)."
                      : "Each tile is one cut: the sign pattern s_j t_jᵀ times sign(c_j), red where +1, blue "
                        "where −1.") +
        " The reconstruction adds c_j times each pattern: the first cuts carry the coarse picture, later ones "
        "ever finer detail with ever smaller |c_j|. Click a tile to watch that cut being found.");
    rebuild();
}

void CutGalleryView::rebuild() {
    const std::size_t available = decomposition_.width();
    std::vector<std::size_t> order(available);
    std::iota(order.begin(), order.end(), std::size_t(0));
    if (order_->currentIndex() == 1)
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            return std::fabs(decomposition_.coeffs()[a]) > std::fabs(decomposition_.coeffs()[b]);
        });
    order.resize(std::min<std::size_t>(available, std::size_t(count_->value())));
    shown_ = order;
    while (tiles_.size() < shown_.size()) {
        auto* tile = new ImageView("");
        tile->setToolTip(tr("Click to step through this cut in Inside one cut"));
        tile->setCursor(Qt::PointingHandCursor);
        tile->installEventFilter(this);
        grid_->addWidget(tile, int(tiles_.size()) / kColumns, int(tiles_.size()) % kColumns);
        tiles_.push_back(tile);
    }
    for (std::size_t i = 0; i < tiles_.size(); ++i) tiles_[i]->setVisible(i < shown_.size());
    for (std::size_t i = 0; i < shown_.size(); ++i) {
        const std::size_t j = shown_[i];
        const float c = decomposition_.coeffs()[j];
        Tensor pattern(decomposition_.shape());
        decomposition_.add_cuts(pattern, j, j + 1, c > 0 ? 1.0f / c : -1.0f / c);  // sign(c_j) · pattern
        ImageView* tile = tiles_[i];
        tile->set_title(tr("j = %1, c = %2").arg(j + 1).arg(double(c), 0, 'g', 3));
        if (photo_ && pattern.order() == 3) {
            for (float& x : pattern.data()) x = 0.5f + 0.5f * x;
            tile->set_image(photo_image(pattern));
        } else {
            tile->set_image(heat_map(unfolding(pattern), 1.0f));
        }
        tile->setMinimumHeight(150);
    }
}

}  // namespace signcut::gui
