// The explorer in front of a room (issue 29), offscreen: trained weights readable on one shared,
// robust colour scale; whole tensors unfolded; chart tooltips that stay while the mouse rests;
// Compare idle until asked, remembering its choices, cancelled by Esc; no stale or internal text
// after switching inputs or cancelling; small widths reachable by the arrow keys on a log scale.
#include <QComboBox>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QLineEdit>
#include <QMenu>
#include <QProgressBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QToolTip>
#include <QtCharts/QChartView>
#include <QtCharts/QLogValueAxis>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QValueAxis>

#include <fstream>

#include "animation/reconstruction_animation.h"
#include "charts/comparison_chart.h"
#include "charts/error_chart.h"
#include "comparison_worker.h"
#include "explorer_document.h"
#include "io/npy_file.h"
#include "io/scd_file.h"
#include "main_window.h"
#include "scd/decomposer.h"
#include "tensor/random_tensor.h"
#include "explorer_test_support.h"
#include "test_support.h"
#include "views/colour_scale.h"
#include "views/comparison_view.h"
#include "views/cut_gallery_view.h"
#include "views/cut_stepper_view.h"
#include "views/image_view.h"
#include "views/svd_comparison_view.h"
#include "views/tensor_image.h"
#include "views/width_scrubber.h"
#include "views/zoom_link.h"

using namespace signcut;
using signcut::gui::MainWindow;
using namespace signcut::testing;

namespace {

// Prepared as the other explorer tests, at the window size of a projector.
void prepare_at_projector_size(MainWindow& window, std::size_t width) {
    prepare(window, width, false);
    window.resize(1280, 720);
    window.show();
}

// A weight-like matrix: Gaussian entries and a few spikes 30 times larger, as trained layers have.
QString write_spiky(const QTemporaryDir& dir, const Shape& shape, const QString& name = "spiky.npy") {
    const QString path = dir.filePath(name);
    write_npy(path.toStdString(), spiky_gaussian_tensor(shape, 0.002, 30.0, 3));
    return path;
}

float largest_magnitude(const Tensor& t) {
    float m = 0;
    for (float x : t.data()) m = std::max(m, std::abs(x));
    return m;
}

}  // namespace

class PresentingTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QCoreApplication::setOrganizationName("signcut-tests");  // keep the user's settings apart
        QCoreApplication::setApplicationName("presenting-test");
        QSettings().clear();
    }

    void theScaleIsAHighQuantileOfTheMagnitudes() {
        std::vector<float> values(1000);
        for (std::size_t i = 0; i < values.size(); ++i) values[i] = float(i) * (i % 2 ? -1.0f : 1.0f);
        const Tensor t({10, 100}, values);
        QCOMPARE(gui::abs_quantile(t, 0.995), 994.0f);  // rank ⌊0.995 · 999⌋ of |x| = 0 … 999
        QCOMPARE(gui::abs_quantile(t, 1.0), 999.0f);
        QCOMPARE(gui::fraction_beyond(t, 994.0f), 0.005);
        QVERIFY(gui::scale_note(true, 0.005).startsWith("0.5 % saturated"));
        QVERIFY(gui::scale_note(true, 0.005).contains("shared"));
        QVERIFY(gui::scale_note(false, 0.0).contains("none saturated"));
    }

    void wholeTensorsUnfoldIntoTheSquarestMatrix() {
        using Pair = std::pair<std::size_t, std::size_t>;
        QCOMPARE(gui::unfolded_shape({3, 3, 32, 64}), Pair(288, 64));  // conv kernel (h, w, in, out)
        QCOMPARE(gui::unfolded_shape({64, 32, 3, 3}), Pair(64, 288));  // (out, in, h, w)
        QCOMPARE(gui::unfolded_shape({128, 1152}), Pair(128, 1152));
        QCOMPARE(gui::unfolded_shape({7}), Pair(1, 7));
        QCOMPARE(gui::unfolded_shape({64, 64, 5}), Pair(64, 320));
        const Tensor t = gaussian_tensor({2, 3, 4}, 1);
        const Tensor u = gui::unfolding(t);
        QCOMPARE(u.shape(), (Shape{6, 4}));  // squarer than 2 × 12
        QVERIFY(std::equal(u.data().begin(), u.data().end(), t.data().begin()));
    }

    // Weights with spikes: Original, Â and the residual share one scale well inside max|A|, the
    // legend says it is shared and what it saturates; the toggle gives each pane its own.
    void theThreePanesShareOneRobustScale() {
        QTemporaryDir dir;
        const QString path = write_spiky(dir, {120, 100});
        const Tensor a = read_npy(path.toStdString());
        MainWindow window;
        prepare_at_projector_size(window, 60);
        window.set_own_colour_scales(false);
        QVERIFY(open_and_wait(window, path));
        window.show_width(20);
        const float shared = gui::abs_quantile(a);
        QVERIFY(shared < largest_magnitude(a) / 5);  // not ruined by the spikes
        for (const gui::ImageView* pane : window.explore_panes()) {
            QCOMPARE(pane->legend_limit(), double(shared));
            QVERIFY2(pane->legend_note().contains("shared"), qPrintable(pane->legend_note()));
        }
        QVERIFY(window.explore_panes()[0]->legend_note().startsWith("0.5 % saturated"));
        // The residual at w = 20 is fainter than A: on the shared scale its colours say so.
        const QImage residual = window.explore_panes()[2]->image();
        const QImage original = window.explore_panes()[0]->image();
        const auto saturation = [](const QImage& image) {
            double sum = 0;
            for (int y = 0; y < image.height(); ++y)
                for (int x = 0; x < image.width(); ++x) sum += QColor(image.pixel(x, y)).hsvSaturationF();
            return sum / (image.width() * image.height());
        };
        QVERIFY(saturation(residual) < saturation(original));

        window.set_own_colour_scales(true);
        const gui::ImageView* residual_pane = window.explore_panes()[2];
        QVERIFY(residual_pane->legend_note().contains("own"));
        QVERIFY(residual_pane->legend_limit() < shared);
        window.set_own_colour_scales(false);
        QCOMPARE(residual_pane->legend_limit(), double(shared));
    }

    // An order-4 tensor is shown whole, as its 288 × 64 unfolding, with its entries kept apart
    // ringed where they are in it; a slice can still be picked.
    void anOrderFourTensorShowsWholeWithItsEntriesApart() {
        QTemporaryDir dir;
        const QString path = write_spiky(dir, {3, 3, 32, 64}, "kernel.npy");
        MainWindow window;
        prepare_at_projector_size(window, 40);
        QVERIFY(open_and_wait(window, path));
        window.show_width(40);
        const gui::ImageView* original = window.explore_panes()[0];
        QCOMPARE(original->image().size(), QSize(64, 288));
        QCOMPARE(window.slice_box()->value(), -1);
        const Decomposition& d = window.snapshot()->parts().front();
        QVERIFY(d.outlier_count(40) > 0);
        QCOMPARE(original->markers().size(), d.outlier_count(40));
        const std::uint64_t first = d.outlier_indices()[0];
        QCOMPARE(original->markers()[0], QPoint(int(first % 64), int(first / 64)));
        window.slice_box()->setValue(0);
        QCOMPARE(original->image().size(), QSize(3, 3));
        // Only the entries of that slice are ringed.
        for (const QPoint& p : original->markers()) QVERIFY(p.x() < 3 && p.y() < 3);
    }

    // A thin matrix is drawn no thinner than 1 : 2, not as a strip.
    void aThinMatrixIsDrawnWithASensibleAspect() {
        QTemporaryDir dir;
        const QString path = write_spiky(dir, {32, 288}, "thin.npy");
        MainWindow window;
        prepare_at_projector_size(window, 10);
        QVERIFY(open_and_wait(window, path));
        const QRect drawn = window.explore_panes()[0]->picture_rect();
        const double aspect = double(drawn.width()) / drawn.height();
        QVERIFY2(aspect <= gui::kMaxHeatMapAspect * 1.05 && aspect >= gui::kMaxHeatMapAspect * 0.9,
                 qPrintable(QString::number(aspect)));
    }

    // QGraphicsView hid the tooltips shown from the hover signals about 0.7 s after the mouse
    // stopped, when it handed Qt's tooltip event to the scene: they must stay.
    void chartTooltipsStayWhileTheMouseRests() {
        MainWindow window;
        prepare_at_projector_size(window, 60);
        QVERIFY(open_and_wait(window, kCat));
        auto* chart = const_cast<gui::ErrorChart*>(window.chart());
        const QList<QPointF> curve = chart->curve_points();
        const QPoint at = chart->mapFromScene(
            chart->chart()->mapToScene(chart->chart()->mapToPosition(curve[30], chart->chart()->series().front())));
        QMouseEvent move(QEvent::MouseMove, at, chart->viewport()->mapToGlobal(at), Qt::NoButton, Qt::NoButton,
                         Qt::NoModifier);
        QCoreApplication::sendEvent(chart->viewport(), &move);
        // (Offscreen, the tip label is not reported visible; it exists while its text does.)
        const QString text = QToolTip::text();
        QVERIFY(text.contains("w = 30"));
        QHelpEvent rest(QEvent::ToolTip, at, chart->viewport()->mapToGlobal(at));
        QCoreApplication::sendEvent(chart->viewport(), &rest);
        QTest::qWait(800);  // QToolTip deletes its label 300 ms after being asked to hide it
        QCOMPARE(QToolTip::text(), text);

        // Compare's point tooltips, shown from the series' hover signal, stay alike.
        gui::ComparisonChart compare;
        compare.resize(800, 500);
        compare.show();
        QVERIFY(QTest::qWaitForWindowActive(&compare));  // activation would hide any tooltip
        gui::ComparisonPoint point;
        point.method = "rtn";
        point.budget = 2;
        point.met_budget = true;
        point.bits_per_entry = 2.01;
        point.relative_error = 0.2;
        compare.add_point(point);
        QScatterSeries* markers = nullptr;
        for (QAbstractSeries* series : compare.chart()->series())
            if (series->name() == "rtn") markers = qobject_cast<QScatterSeries*>(series);
        QVERIFY(markers);
        Q_EMIT markers->hovered(QPointF(2.01, 0.2), true);
        const QString point_text = QToolTip::text();
        QVERIFY(point_text.contains("rtn"));
        QHelpEvent rest_on_compare(QEvent::ToolTip, QPoint(100, 100), compare.viewport()->mapToGlobal(QPoint(100, 100)));
        QCoreApplication::sendEvent(compare.viewport(), &rest_on_compare);
        QTest::qWait(800);
        QCOMPARE(QToolTip::text(), point_text);
        Q_EMIT markers->hovered(QPointF(2.01, 0.2), false);  // the mouse leaves the point
        QTRY_VERIFY(QToolTip::text().isEmpty());
    }

    void compareIsIdleWhenOpenedAndEscCancelsIt() {
        QTemporaryDir dir;
        const QString path = write_spiky(dir, {64, 48});
        MainWindow window;
        prepare_at_projector_size(window, 20);
        QVERIFY(open_and_wait(window, path));
        window.show_tab(MainWindow::kCompareTab);
        QCoreApplication::processEvents();
        gui::ComparisonView* compare = window.comparison();
        QVERIFY(!compare->is_running());  // opening the tab runs nothing
        compare->set_budgets("1,2,4,8,16");
        compare->set_methods({"scd", "scd-refit", "dbf", "rtn"});
        compare->run();
        QVERIFY(compare->is_running());
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QTest::keyClick(&window, Qt::Key_Escape);
        QVERIFY(!compare->is_running());
        QVERIFY(window.statusBar()->currentMessage().isEmpty());  // not Explore's status
    }

    // Budgets, methods, curves and the y axis chosen by the user are there after a restart; the
    // methods list stays open while methods are ticked.
    void compareRemembersItsChoices() {
        QSettings().remove("compare");
        {
            gui::ComparisonView view;
            view.show();
            auto* budgets = view.findChild<QLineEdit*>();
            budgets->setFocus();
            budgets->selectAll();
            QTest::keyClicks(budgets, "0.5,3");
            QTest::keyClick(budgets, Qt::Key_Return);  // editing finished
            QMenu* menu = view.findChild<QToolButton*>()->menu();
            menu->popup(view.mapToGlobal(QPoint(0, 0)));
            QVERIFY(QTest::qWaitForWindowExposed(menu));
            QAction* dbf = nullptr;
            for (QAction* action : menu->actions())
                if (action->text() == "dbf") dbf = action;
            QVERIFY(dbf && dbf->isChecked());
            QTest::mouseClick(menu, Qt::LeftButton, {}, menu->actionGeometry(dbf).center());
            QVERIFY(!dbf->isChecked());
            QVERIFY(menu->isVisible());  // still open for the next one
            menu->close();
        }
        gui::ComparisonView again;
        QCOMPARE(again.findChild<QLineEdit*>()->text(), QString("0.5,3"));
        for (QAction* action : again.findChild<QToolButton*>()->menu()->actions())
            if (action->isCheckable()) QCOMPARE(action->isChecked(), action->text() != "dbf");
        QSettings().remove("compare");
    }

    // After a .scd (no original), SVD vs cuts keeps none of the old input's numbers; the status
    // says why a run stopped in words; a cancelled run's progress does not stay at its fraction;
    // an empty picture file says it is empty; each tab keeps its own zoom.
    void nothingStaleOrInternalIsShown() {
        QTemporaryDir dir;
        const QString saved = dir.filePath("small.scd");
        DecomposeOptions options;
        options.stop.width = 5;
        write_scd(saved.toStdString(), decompose(gaussian_tensor({20, 16}, 4), options));
        MainWindow window;
        prepare_at_projector_size(window, 30);
        QVERIFY(open_and_wait(window, kCat));
        QVERIFY2(window.statusBar()->currentMessage().startsWith("Reached the width asked for"),
                 qPrintable(window.statusBar()->currentMessage()));
        window.show_tab(MainWindow::kSvdTab);
        const QList<gui::ImageView*> svd_panes = window.svd_comparison()->findChildren<gui::ImageView*>();
        QVERIFY(std::any_of(svd_panes.begin(), svd_panes.end(), [](auto* p) { return p->title().contains("w ="); }));
        QVERIFY(window.open_file(saved));
        for (const gui::ImageView* pane : svd_panes) {
            QVERIFY2(!pane->title().contains("w =") && !pane->title().contains("rank"), qPrintable(pane->title()));
            QVERIFY(!pane->has_legend());
        }

        // Cancel: the progress bar says so instead of staying at its fraction.
        window.show_tab(MainWindow::kExploreTab);
        window.set_width_rule(1000000);
        QVERIFY(window.open_file(kCat));
        QTRY_VERIFY_WITH_TIMEOUT(window.snapshot() && window.snapshot()->width() > 0, 60000 * testing::time_scale());
        window.cancel();
        QVERIFY(wait_until_finished(window));
        const auto* progress = window.findChild<QProgressBar*>();
        QCOMPARE(progress->value(), 0);
        QCOMPARE(progress->text(), QString("cancelled"));
        QVERIFY(window.statusBar()->currentMessage().startsWith("Cancelled at w ="));

        const QString empty = dir.filePath("empty.png");
        std::ofstream(empty.toStdString()).close();
        QVERIFY(!window.open_file(empty));
        QVERIFY2(window.last_error().contains("empty") && !window.last_error().contains("buf"),
                 qPrintable(window.last_error()));

        window.zoom()->zoom(4.0, QPointF(0.5, 0.5));  // Explore's
        window.show_tab(MainWindow::kSvdTab);
        QVERIFY(!window.zoom()->is_zoomed());
        window.show_tab(MainWindow::kExploreTab);
        QVERIFY(window.zoom()->is_zoomed());
    }

    // On the log width scale a slider step is less than a cut near w = 0: the arrows still
    // move by one cut there; the curve starts at w = 1 and the top axis still counts bits.
    void theArrowsStepSmallWidthsOnTheLogScale() {
        gui::WidthScrubber scrubber;
        scrubber.set_log_width(true);
        scrubber.set_available(8261, false);
        scrubber.show_width(0);
        QSignalSpy chosen(&scrubber, &gui::WidthScrubber::width_chosen);
        for (int i = 0; i < 43; ++i) QTest::keyClick(scrubber.slider(), Qt::Key_Right);
        QCOMPARE(chosen.count(), 43);
        QCOMPARE(chosen.last().at(0).value<std::size_t>(), std::size_t(43));
        QTest::keyClick(scrubber.slider(), Qt::Key_Left);
        QCOMPARE(chosen.last().at(0).value<std::size_t>(), std::size_t(42));
        scrubber.show_width(5000);
        QTest::keyClick(scrubber.slider(), Qt::Key_Right);  // far out a slider step is many cuts
        QVERIFY(chosen.last().at(0).value<std::size_t>() > 5001);

        // Over 4100 cuts the curve is thinned; the small widths a log axis spreads out stay on it.
        QTemporaryDir dir;
        const QString path = dir.filePath("small.npy");
        write_npy(path.toStdString(), gaussian_tensor({64, 48}, 8));
        MainWindow window;
        prepare_at_projector_size(window, 4100);
        QVERIFY(open_and_wait(window, path));
        window.set_log_width(true);
        const QList<QPointF> curve = window.chart()->curve_points();
        for (int i = 0; i < 10; ++i) QCOMPARE(curve[i].x(), double(i + 1));
        const QList<QAbstractAxis*> top = window.chart()->chart()->axes(Qt::Horizontal);
        QCOMPARE(top.size(), 2);
        QVERIFY(std::all_of(top.begin(), top.end(), [](QAbstractAxis* axis) { return axis->isVisible(); }));
        QVERIFY(std::all_of(top.begin(), top.end(), [](QAbstractAxis* axis) { return qobject_cast<QLogValueAxis*>(axis); }));
        window.set_log_width(false);
    }

    // A speed in log time brings the slider onto the log scale, one in cuts per second back.
    void theScaleFollowsTheKindOfSpeed() {
        gui::WidthScrubber scrubber;
        auto* speed = scrubber.findChild<QComboBox*>();
        for (std::size_t i = 0; i < gui::playback_speeds().size(); ++i) {
            speed->setCurrentIndex(int(i));
            Q_EMIT speed->activated(int(i));  // as a pick by the user
            QCOMPARE(scrubber.log_width(), gui::playback_speeds()[i].kind == gui::PlaybackSpeed::logarithmic);
        }
    }

    void svdVersusCutsPlaysFromTheBottom() {
        MainWindow window;
        prepare_at_projector_size(window, 100);
        QVERIFY(open_and_wait(window, kCat));
        window.show_tab(MainWindow::kSvdTab);
        gui::SvdComparisonView* svd = window.svd_comparison();
        svd->set_bits(4.0);
        svd->set_playing(true);
        QTRY_VERIFY(svd->bits() < 1.0);  // a sweep from 0.1 bits, not from the slider's 4
        svd->set_playing(false);
    }

    // Inside one cut has its own cut number; a gallery tile jumps there; the gallery takes 200.
    void galleryTilesOpenTheirCutInsideOneCut() {
        MainWindow window;
        prepare_at_projector_size(window, 40);
        QVERIFY(open_and_wait(window, kCat));
        window.show_tab(MainWindow::kGalleryTab);
        auto* gallery = window.findChild<gui::CutGalleryView*>();
        auto* count = gallery->findChild<QSpinBox*>();
        count->setFocus();
        count->selectAll();
        QTest::keyClicks(count, "200");
        QTest::keyClick(count, Qt::Key_Return);
        QCOMPARE(count->value(), 200);
        QCOMPARE(gallery->shown_cuts().size(), std::size_t(40));  // all there are
        const QList<gui::ImageView*> tiles = gallery->findChildren<gui::ImageView*>();
        gui::ImageView* seventh = nullptr;
        for (gui::ImageView* tile : tiles)
            if (tile->title().startsWith("j = 7,")) seventh = tile;
        QVERIFY(seventh);
        QTest::mouseClick(seventh, Qt::LeftButton);
        QCOMPARE(window.findChild<QTabWidget*>()->currentIndex(), int(MainWindow::kCutTab));
        QCOMPARE(window.cut_stepper()->chosen_width(), std::size_t(6));
        // Its value chart counts steps on whole ticks.
        const auto axes = window.cut_stepper()->findChild<QChartView*>()->chart()->axes(Qt::Horizontal);
        auto* steps = qobject_cast<QValueAxis*>(axes.front());
        QVERIFY(steps->tickInterval() >= 1.0);
        QCOMPARE(steps->labelFormat(), QString("%.0f"));
    }

    // A frame size asked for is the video's; the caption of a long run stays inside a narrow frame.
    void animationFramesTakeTheSizeAskedFor() {
        DecomposeOptions options;
        options.stop.width = 60;
        const Decomposition d = decompose(gaussian_tensor({40, 226}, 6), options);
        AnimationOptions animation;
        animation.photo = false;
        animation.heat_limit = 2.0f;
        animation.frame_width = 1920;
        animation.frame_height = 1080;
        animation.with_chart = true;
        const Tensor reconstruction = d.reconstruct(60);
        QCOMPARE(animation_frame(d, reconstruction, 60, animation).size(), cv::Size(1920, 1080));
        // The smallest frame: the caption is made smaller, not cut off at the right edge.
        animation.frame_width = kMinFrameWidth;
        animation.frame_height = kMinFrameHeight;
        animation.with_chart = false;
        const cv::Mat frame = animation_frame(d, reconstruction, 60, animation);
        QCOMPARE(frame.size(), cv::Size(kMinFrameWidth, kMinFrameHeight));
        for (int y = frame.rows - 30; y < frame.rows; ++y)
            for (int x = frame.cols - 6; x < frame.cols; ++x)
                QCOMPARE(frame.at<cv::Vec3b>(y, x), cv::Vec3b(255, 255, 255));
        animation.frame_width = 1921;  // odd: no video codec takes it
        animation.frame_height = 1080;
        QTemporaryDir dir;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 write_animation(dir.filePath("a.gif").toStdString(), d, animation));
    }
};

QTEST_MAIN(PresentingTest)
#include "test_presenting.moc"
