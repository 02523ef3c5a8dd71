#include "teaching_tabs.h"

#include <algorithm>

#include "explorer_document.h"
#include "tensor/matrix_views.h"
#include "views/cut_gallery_view.h"
#include "views/cut_stepper_view.h"
#include "views/settings_panel.h"

namespace signcut::gui {

TeachingTabs::TeachingTabs(const ExplorerDocument* document, const SettingsPanel* settings, CutStepperView* cut_view,
                           CutGalleryView* gallery, QObject* parent)
    : QObject(parent), document_(document), settings_(settings), cut_view_(cut_view), gallery_(gallery) {
    connect(gallery_, &CutGalleryView::cut_clicked, this, [this](std::size_t j) {
        if (!document_->snapshot()) return;
        cut_view_->set_computed(document_->snapshot()->width());
        cut_view_->choose_cut(j + 1);
        Q_EMIT cut_view_wanted();
    });
}

void TeachingTabs::refresh(const QWidget* shown) {
    const Snapshot* snapshot = document_->snapshot();
    const LoadedInput* input = document_->input();
    if (shown == gallery_) {
        if (snapshot && !snapshot->parts().empty())
            gallery_->set_decomposition(snapshot->parts().front(), document_->is_photo() && !snapshot->split_channels);
        else gallery_->clear(tr("Decompose something to see its cuts"));
    }
    if (shown != cut_view_) return;
    if (!snapshot || !input)
        return cut_view_->clear(tr("Stepping through a cut needs the original data: open an image or a matrix"));
    if (input->tensor.shape() != snapshot->shape()) return;  // a decomposition of other data
    cut_view_->set_computed(snapshot->width());
    const std::size_t width = std::min(cut_view_->chosen_width(), snapshot->width());
    Tensor residual = document_->residual(width);
    QString note = tr("(choose another cut above)");
    bool photo = document_->is_photo();
    if (snapshot->split_channels) {  // each channel has its own cuts: show the red one's
        residual = as_matrices(residual).front();
        photo = false;
        note = tr("of the red channel (the colour setting decomposes each channel on its own)");
    }
    cut_view_->set_residual(std::move(residual), width, settings_->options(), photo, note);
}

}  // namespace signcut::gui
