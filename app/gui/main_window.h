#pragma once
// The explorer window, a shell around the document and its views: the tabs (Explore, Compare
// methods, Inside one cut, Cut gallery, SVD vs cuts), the Run and Checkpoint docks, menus and
// the status bar (RunStatus); what is opened is shown here (FileActions opens it, ExportActions
// exports).

#include <QMainWindow>
#include <QPoint>

#include <map>
#include <memory>
#include <vector>

#include "snapshot.h"
#include "io/load_input.h"

class QSlider;
class QSpinBox;
class QMenu;
class QTabWidget;
class QDockWidget;

namespace signcut::gui {

class CheckpointPanel;
class CutGalleryView;
class CutStepperView;
class SvdComparisonView;
class ComparisonView;
class ErrorChart;
class ExplorerDocument;
class ExportActions;
class FileActions;
class ExploreView;
struct Job;
class ImageView;
class RunStatus;
class SettingsPanel;
class TeachingTabs;
class ZoomLink;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Loads an image, array or .scd file and starts decomposing it. On failure the current
    // data stays; the error is shown (or only kept in last_error() when dialogs are off).
    bool open_file(const QString& path);
    void set_dialogs_enabled(bool enabled);
    void set_width_rule(std::size_t width);

    void restart();
    void cancel();
    bool is_computing() const;
    // The plain algorithm's curve for the chart is still being computed (after the run itself).
    bool reference_curve_running() const;
    const Snapshot* snapshot() const;
    std::size_t displayed_width() const;
    // The data and state the views show.
    const ExplorerDocument* document() const { return document_; }
    void show_width(std::size_t width);
    void set_playing(bool playing);
    QString last_error() const { return last_error_; }
    QSlider* width_slider() const;
    bool is_playing() const;
    void set_log_width(bool on);
    QSpinBox* slice_box() const;
    // Each pane on its own colour scale instead of the one they share.
    void set_own_colour_scales(bool on);
    const ErrorChart* chart() const;
    const ImageView* original_view() const;
    QString numbers_text() const;
    // Where the original shows the entries kept apart at width w (ImageView::set_markers).
    std::vector<QPoint> kept_apart_pixels(const Snapshot& snapshot, std::size_t w) const;
    // The tabs: Explore, Compare methods, Inside one cut, Cut gallery, SVD vs cuts.
    enum Tab { kExploreTab, kCompareTab, kCutTab, kGalleryTab, kSvdTab };
    void show_tab(Tab tab);
    ComparisonView* comparison() const { return comparison_; }
    const CutStepperView* cut_stepper() const { return cut_view_; }
    const CutGalleryView* cut_gallery() const { return gallery_; }
    SvdComparisonView* svd_comparison() const { return svd_view_; }
    void show_tour();
    // A tensor of the open .scdz checkpoint (index into its entries); false if it was kept as is.
    bool show_checkpoint_tensor(int index);
    const CheckpointPanel* checkpoint_panel() const { return checkpoint_panel_; }
    // The region that the pictures of the tab shown (Explore, Compare or SVD vs cuts) show;
    // Explore's on a tab without pictures.
    ZoomLink* zoom() const;
    std::vector<const ImageView*> explore_panes() const;

Q_SIGNALS:
    void computation_finished();
    // The plain algorithm's curve beside the chart's (ExplorerDocument::plain_snapshot) is complete.
    void reference_curve_finished();

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void build_menus();
    // Shows a saved decomposition (no original to compare with).
    void show_decomposition(Decomposition decomposition, const QString& path, const QString& title);
    // The views' answers to the document's signals.
    void on_job_started(const Job& job);
    void on_snapshot(bool first);
    void on_job_finished();
    void report_error(const QString& message);
    void reset_zooms();
    // Brings the teaching tab on display up to date with the data and width shown.
    void refresh_teaching_tab();

    ExplorerDocument* document_;
    FileActions* files_;
    TeachingTabs* teaching_;
    ExportActions* exports_;
    bool tour_pending_ = false;     // a first start: play once the tour closes
    bool start_after_tour_ = false;  // a run asked for while the tour was pending
    bool dialogs_enabled_ = true;
    QString last_error_;

    // Widgets
    ExploreView* explore_;
    ComparisonView* comparison_;
    CutStepperView* cut_view_;
    CutGalleryView* gallery_;
    SvdComparisonView* svd_view_;
    QTabWidget* tabs_;
    QDockWidget* run_dock_;
    QDockWidget* checkpoint_dock_;
    CheckpointPanel* checkpoint_panel_;
    SettingsPanel* settings_;
    std::map<Tab, ZoomLink*> zooms_;
    RunStatus* run_status_;
};

}  // namespace signcut::gui
