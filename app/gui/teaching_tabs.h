#pragma once
// The teaching tabs (Inside one cut, Cut gallery) fed from the explorer's document: the gallery
// shows the run's cuts, the cut view steps through the cut chosen on the residual before it.
// Each is brought up to date only while shown: refresh() with the tab on display.

#include <QObject>

class QWidget;

namespace signcut::gui {

class CutGalleryView;
class CutStepperView;
class ExplorerDocument;
class SettingsPanel;

class TeachingTabs : public QObject {
    Q_OBJECT
public:
    TeachingTabs(const ExplorerDocument* document, const SettingsPanel* settings, CutStepperView* cut_view,
                 CutGalleryView* gallery, QObject* parent);
    // `shown`: the tab on display (nothing happens unless it is one of the two).
    void refresh(const QWidget* shown);

Q_SIGNALS:
    // A gallery tile was clicked: the cut view has that cut chosen and wants to be shown.
    void cut_view_wanted();

private:
    const ExplorerDocument* document_;
    const SettingsPanel* settings_;
    CutStepperView* cut_view_;
    CutGalleryView* gallery_;
};

}  // namespace signcut::gui
