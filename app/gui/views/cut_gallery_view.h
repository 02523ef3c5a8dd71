#pragma once
// The first N cuts as small tiles, each the pattern sign(c_j) · s_j ⊗ t_j (⊗ u_j) with its
// coefficient, in greedy order or sorted by |c_j|: coarse structure comes first, fine detail later.

#include <QWidget>

#include "scd/decomposition.h"

class QComboBox;
class QGridLayout;
class QLabel;
class QSpinBox;

namespace signcut::gui {

class ImageView;

class CutGalleryView : public QWidget {
    Q_OBJECT
public:
    explicit CutGalleryView(QWidget* parent = nullptr);

    void set_decomposition(const Decomposition& decomposition, bool photo);
    void clear(const QString& why);
    // Tiles shown, in their order: the cut index j of each.
    const std::vector<std::size_t>& shown_cuts() const { return shown_; }
    void set_count(int count);

Q_SIGNALS:
    // A click on a tile: cut j (0-based) of the decomposition.
    void cut_clicked(std::size_t j);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void rebuild();

    Decomposition decomposition_;
    bool photo_ = false;
    std::vector<std::size_t> shown_;
    QSpinBox* count_;
    QComboBox* order_;
    QLabel* note_;
    QGridLayout* grid_;
    std::vector<ImageView*> tiles_;
};

}  // namespace signcut::gui
