#include "tour_dialog.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPixmap>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <iterator>

#include "tour_pictures.h"

namespace signcut::gui {
namespace {

// The pages, translated where they are shown (tr() in TourDialog).
const char* const kPages[] = {
    QT_TRANSLATE_NOOP(
        "signcut::gui::TourDialog",
        "<h2>What signcut does</h2>"
        "<p>It approximates a picture or a matrix <i>A</i> by a sum of very simple pieces:</p>"
        "<p style='font-size:large'>A ≈ c<sub>1</sub>·s<sub>1</sub>t<sub>1</sub><sup>T</sup> + "
        "c<sub>2</sub>·s<sub>2</sub>t<sub>2</sub><sup>T</sup> + … "
        "+ c<sub>w</sub>·s<sub>w</sub>t<sub>w</sub><sup>T</sup></p>"
        "<p>Each piece, a <b>signed cut</b>, is one number c<sub>j</sub> times a pattern made of two lists of signs: "
        "s<sub>j</sub> "
        "has one +1 or −1 per row, t<sub>j</sub> one per column, and the pattern is +1 where the row and column signs "
        "agree, "
        "−1 where they differ. A colour photo adds a third list u<sub>j</sub> with one sign per colour channel.</p>"
        "<p>The number of pieces <i>w</i> is the <b>width</b>. The more pieces, the closer the picture.</p>"),

    QT_TRANSLATE_NOOP(
        "signcut::gui::TourDialog",
        "<h2>How each piece is found</h2>"
        "<p>Greedily: the next cut is the pattern that best matches what is still missing, the <b>residual</b> "
        "R = A − (the sum so far). signcut starts from random signs and then repeatedly sets the row signs to the "
        "signs of "
        "R·t and the column signs to the signs of R<sup>T</sup>·s. Each step can only increase how well the pattern "
        "matches "
        "(the cut value v); when a round no longer does, the cut is found, with c = v / (number of entries).</p>"
        "<p>The <b>Inside one cut</b> tab shows these steps one at a time; the <b>Cut gallery</b> shows the first "
        "cuts: "
        "the coarse shapes come first, finer detail later.</p>"),

    QT_TRANSLATE_NOOP(
        "signcut::gui::TourDialog",
        "<h2>What it costs</h2>"
        "<p>A cut stores its signs as single bits and its coefficient as one number: for an m × n matrix that is "
        "<b>m + n bits + one float</b>. Width w costs <b>w·(m + n) bits + w floats</b>.</p>"
        "<p>The cat photo is 300 × 451 pixels × 3 colours, so one cut costs 300 + 451 + 3 = 754 bits plus a 32-bit "
        "coefficient: 786 bits for 405 900 numbers. About 8 260 cuts take as much memory as storing every number in "
        "16 bits (a bf16 copy); a few hundred already give a recognisable cat.</p>"
        "<p>Bits per entry = (everything stored) / (number of entries): the top axis of the chart.</p>"),

    QT_TRANSLATE_NOOP(
        "signcut::gui::TourDialog",
        "<h2>Reading the chart</h2>"
        "<p>The curve is the relative error ‖A − Â<sub>w</sub>‖ / ‖A‖ against the width w, on a <b>logarithmic</b> "
        "axis: "
        "an error that falls exponentially draws a straight line.</p>"
        "<p>The dashed vertical lines mark where signed cuts use as much memory as the data stored as int4, int8, "
        "bf16/f16 "
        "or f32 numbers. The red dot is the width shown above the chart; drag the slider or press Space to play.</p>"
        "<p>Original, reconstruction and residual sit side by side; in the residual, red is too dark in the "
        "reconstruction, "
        "blue too bright (mean over the colour channels).</p>"),

    QT_TRANSLATE_NOOP(
        "signcut::gui::TourDialog",
        "<h2>Comparing with other methods</h2>"
        "<p><b>Compare methods</b> runs the rival low-bit methods on the same data with the same memory: double binary "
        "factorisation, Kashin quantisation, rounding to int-b, a rotated Gaussian quantiser, truncated SVD, and "
        "bf16/f16. "
        "The grey curves are rate–distortion floors: no code of that many bits does better on Gaussian data.</p>"
        "<p><b>SVD vs cuts</b> is the classic image-compression demo side by side with signed cuts at the same "
        "memory.</p>"
        "<p>File › Export animation writes the reconstruction as w grows to an MP4 or GIF for your slides.</p>"),
};

}  // namespace

TourDialog::TourDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("A tour of signcut"));
    pages_ = new QStackedWidget;
    static_assert(std::size(kPages) == kTourPictures, "a picture for every page");
    for (int page = 0; page < kTourPictures; ++page) {
        auto* label = new QLabel(tr(kPages[page]));
        label->setWordWrap(true);
        label->setAlignment(Qt::AlignTop | Qt::AlignLeft);
        label->setMargin(12);
        auto* picture = new QLabel;
        picture->setPixmap(QPixmap::fromImage(tour_picture(page)));
        picture->setAlignment(Qt::AlignTop);
        picture->setContentsMargins(0, 16, 8, 0);
        auto* content = new QWidget;
        auto* row = new QHBoxLayout(content);
        row->setContentsMargins(0, 0, 0, 0);
        row->addWidget(label, 1);
        row->addWidget(picture);
        pages_->addWidget(content);
    }
    position_ = new QLabel;
    back_ = new QPushButton(tr("◀ Back"));
    next_ = new QPushButton(tr("Next ▶"));
    auto* close = new QPushButton(tr("Close"));
    connect(back_, &QPushButton::clicked, this, [this] { show_page(pages_->currentIndex() - 1); });
    connect(next_, &QPushButton::clicked, this, [this] { show_page(pages_->currentIndex() + 1); });
    connect(close, &QPushButton::clicked, this, &QDialog::accept);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(position_);
    buttons->addStretch(1);
    buttons->addWidget(back_);
    buttons->addWidget(next_);
    buttons->addWidget(close);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(pages_, 1);
    layout->addLayout(buttons);
    resize(760, 460);
    show_page(0);
}

int TourDialog::page_count() const { return pages_->count(); }

void TourDialog::show_page(int page) {
    page = std::clamp(page, 0, pages_->count() - 1);
    pages_->setCurrentIndex(page);
    position_->setText(QString("%1 of %2").arg(page + 1).arg(pages_->count()));
    back_->setEnabled(page > 0);
    next_->setEnabled(page + 1 < pages_->count());
}

void show_about(QWidget* parent) {
    QMessageBox::about(
        parent, QObject::tr("About signcut"),
        QObject::tr("<h3>signcut</h3>"
                    "<p>Signed cut decompositions: A ≈ Σ<sub>j≤w</sub> c<sub>j</sub> · x<sub>j</sub> ⊗ y<sub>j</sub> (⊗ …) "
                    "with every x, y a vector of ±1, found greedily by alternating sign maximisation (a modification of "
                    "Frieze–Kannan cut decompositions). Width w costs w·(Σ n<sub>i</sub>) bits plus w coefficients.</p>"
                    "<p>Bundled photo: <i>Chelsea the cat</i> by Stefan van der Walt, CC0 (no copyright restrictions), "
                    "from the scikit-image sample data.</p>"));
}

}  // namespace signcut::gui
