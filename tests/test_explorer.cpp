// The explorer window, offscreen: it opens the cat and computes, its slider, numbers and
// chart agree with the engine, cancel stops promptly, a corrupt file keeps the old data.
#include <QElapsedTimer>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QTemporaryDir>
#include <QTest>

#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QSpinBox>
#include <QWheelEvent>

#include <opencv2/imgcodecs.hpp>

#include <fstream>
#include <set>

#include "charts/chart_export.h"
#include "charts/error_chart.h"
#include "io/load_input.h"
#include "io/npy_file.h"
#include "io/safetensors_file.h"
#include "io/scd_file.h"
#include "io/scdz_file.h"
#include "explorer_document.h"
#include "main_window.h"
#include "methods/method.h"
#include "playback.h"
#include "model/model_compression.h"
#include "scd/cut_trace.h"
#include "scd/decomposer.h"
#include "tensor/random_tensor.h"
#include "explorer_test_support.h"
#include "test_support.h"
#include "tour_dialog.h"
#include "views/image_view.h"
#include "views/checkpoint_panel.h"
#include "views/cut_gallery_view.h"
#include "views/cut_stepper_view.h"
#include "views/image_view.h"
#include "views/svd_comparison_view.h"
#include "views/width_scrubber.h"
#include "views/zoom_link.h"

using namespace signcut;
using signcut::gui::MainWindow;
using namespace signcut::testing;

namespace {

// The widest width playback can show after `timer`'s time, started from `from` at the speed the
// window's scrubber plays at: the bound a test may check without assuming how long a wait lasts.
std::size_t reachable_width(MainWindow& window, std::size_t from, const QElapsedTimer& timer, std::size_t available) {
    gui::PlaybackClock clock;
    clock.set_speed(window.findChild<gui::WidthScrubber*>()->clock().speed());
    clock.start_from(from);
    return clock.advance(double(timer.elapsed()) / 1000.0, available);
}

}  // namespace

class ExplorerTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QCoreApplication::setOrganizationName("signcut-tests");  // keep the user's settings apart
        QCoreApplication::setApplicationName("explorer-test");
        QSettings().clear();  // the defaults, not what a former run left
    }

    void opensTheCatAndAgreesWithTheEngine() {
        MainWindow window;
        prepare(window, 40);
        QVERIFY(open_and_wait(window));
        const gui::Snapshot* snapshot = window.snapshot();
        QVERIFY(snapshot);
        QCOMPARE(snapshot->width(), std::size_t(40));
        QCOMPARE(window.width_slider()->maximum(), 40);

        // The same run straight through the engine gives the same numbers, bit for bit.
        DecomposeOptions options;
        options.stop.width = 40;
        const Decomposition engine = decompose(load_input(kCat.toStdString()).tensor, options);
        for (std::size_t w = 0; w <= 40; ++w) QCOMPARE(snapshot->relative_error(w), engine.relative_error(w));

        window.width_slider()->setValue(17);
        QCOMPARE(window.displayed_width(), std::size_t(17));
        QVERIFY(window.numbers_text().contains(QString::number(engine.relative_error(17), 'g', 4)));
        QVERIFY(window.numbers_text().contains(QString("%1 bytes").arg(engine.stored_bytes(17))));
        const QList<QPointF> curve = window.chart()->curve_points();
        QCOMPARE(curve.size(), 41);
        for (const QPointF& p : curve) QCOMPARE(p.y(), engine.relative_error(std::size_t(p.x())));
    }

    void cancelStopsWithinAFractionOfASecond() {
        MainWindow window;
        prepare(window, 1000000, false);
        QVERIFY(window.open_file(kCat));
        // Cancel once cuts have arrived (however long the first ones take in a sanitizer build).
        QTRY_VERIFY_WITH_TIMEOUT(window.snapshot() && window.snapshot()->width() > 0, 60000 * testing::time_scale());
        QVERIFY(window.is_computing());
        QSignalSpy finished(&window, &MainWindow::computation_finished);
        QElapsedTimer timer;
        timer.start();
        window.cancel();
        const qint64 bound = 500 * testing::time_scale();
        QVERIFY(finished.wait(int(std::max<qint64>(5000, 2 * bound))));
        QVERIFY2(timer.elapsed() < bound, qPrintable(QString("%1 ms").arg(timer.elapsed())));
        QCOMPARE(window.snapshot()->stop_reason, QString("cancelled"));
        QVERIFY(window.snapshot()->width() > 0);
    }

    // Every snapshot of a run shares one store of cuts, so handing one to the views costs the
    // new cuts only; the last one holds the engine's decomposition.
    void snapshotsOfARunShareOneStoreOfCuts() {
        MainWindow window;
        prepare(window, 300, false);
        std::set<const std::vector<Decomposition>*> stores;
        std::size_t snapshots = 0;
        QObject::connect(window.document(), &gui::ExplorerDocument::snapshot_changed, [&] {
            stores.insert(window.snapshot()->decompositions.get());
            ++snapshots;
        });
        QVERIFY(open_and_wait(window));
        QVERIFY(snapshots >= 1);
        QCOMPARE(stores.size(), std::size_t(1));
        DecomposeOptions options;
        options.stop.width = 300;
        options.outliers = {.automatic = true};  // the Run panel's default
        const Decomposition engine = decompose(load_input(kCat.toStdString()).tensor, options);
        const Decomposition& shown = window.snapshot()->parts().front();
        QCOMPARE(shown.width(), engine.width());
        QVERIFY(std::equal(shown.coeffs().begin(), shown.coeffs().end(), engine.coeffs().begin()));
        // The entries kept apart travel with the cuts, each joining at its width.
        QCOMPARE(shown.outlier_count(), engine.outlier_count());
        QVERIFY(std::ranges::equal(shown.outlier_indices(), engine.outlier_indices()));
        QVERIFY(std::ranges::equal(shown.outlier_values(), engine.outlier_values()));
        QVERIFY(std::ranges::equal(shown.outlier_widths(), engine.outlier_widths()));
        for (std::size_t w : {std::size_t(0), std::size_t(64), std::size_t(300)})
            QCOMPARE(shown.residual_squared_norms()[w], engine.residual_squared_norms()[w]);
        for (std::size_t j : {std::size_t(0), std::size_t(150), std::size_t(299)})
            for (std::size_t mode = 0; mode < 3; ++mode) {
                const auto a = shown.signs(j, mode), b = engine.signs(j, mode);
                QVERIFY(std::equal(a.begin(), a.end(), b.begin(), b.end()));
            }
    }

    // "Three channel matrices": each channel is decomposed on its own, as the engine does it.
    void separateChannelsAgreeWithTheEnginePerChannel() {
        MainWindow window;
        prepare(window, 20, false);
        QComboBox* colour = nullptr;
        for (QComboBox* box : window.findChildren<QComboBox*>())
            if (box->count() == 2 && box->itemText(1) == "three channel matrices") colour = box;
        QVERIFY(colour);
        QVERIFY(open_and_wait(window));
        colour->setCurrentIndex(1);
        window.restart();
        QVERIFY(wait_until_finished(window));
        const gui::Snapshot* snapshot = window.snapshot();
        QVERIFY(snapshot->split_channels);
        QCOMPARE(snapshot->parts().size(), std::size_t(3));
        QCOMPARE(snapshot->shape(), load_input(kCat.toStdString()).tensor.shape());
        DecomposeOptions options;
        options.stop.width = 20;
        const std::vector<Tensor> channels = as_matrices(load_input(kCat.toStdString()).tensor);
        for (std::size_t c = 0; c < 3; ++c) {
            const Decomposition engine = decompose(channels[c], options);
            for (std::size_t w = 0; w <= 20; ++w)
                QCOMPARE(snapshot->parts()[c].relative_error(w), engine.relative_error(w));
        }
        // The reconstruction is the channels' reconstructions side by side.
        window.set_playing(false);
        window.show_width(20);
        const Tensor& shown = window.document()->reconstruction();
        const Tensor red = snapshot->parts()[0].reconstruct(20);
        for (std::size_t i = 0; i < red.size(); i += 97) QVERIFY(std::abs(shown[i * 3] - red[i]) <= 1e-4f);
        colour->setCurrentIndex(0);  // the settings are kept for the next test's window
    }

    // Outliers apart on a matrix with a few large entries: counted in the readout, ringed on the
    // original, and the plain algorithm's curve drawn beside once the run is done.
    void aSpikyMatrixShowsItsEntriesApartAndThePlainCurve() {
        QTemporaryDir dir;
        const QString path = dir.filePath("spiky.npy");
        write_npy(path.toStdString(), spiky_gaussian_tensor({96, 80}, 0.005, 30.0, 2));
        MainWindow window;
        prepare(window, 400, false);
        QSignalSpy plain_done(&window, &MainWindow::reference_curve_finished);
        QVERIFY(open_and_wait(window, path));
        const Decomposition& d = window.snapshot()->parts().front();
        QVERIFY(d.outlier_count() > 0);
        window.width_slider()->setValue(400);
        QVERIFY2(window.numbers_text().contains(QString("outliers apart   %1 (").arg(d.outlier_count())),
                 qPrintable(window.numbers_text()));
        QCOMPARE(window.original_view()->markers().size(), d.outlier_count());
        const std::uint64_t first = d.outlier_indices()[0];
        QCOMPARE(window.original_view()->markers()[0], QPoint(int(first % 80), int(first / 80)));
        QVERIFY(window.reference_curve_running() || plain_done.count() > 0);
        QVERIFY(plain_done.count() > 0 || plain_done.wait(60000));
        const QList<QPointF> plain = window.chart()->reference_curve_points(), shown = window.chart()->curve_points();
        QCOMPARE(plain.size(), shown.size());
        QVERIFY(plain.back().y() > 3 * shown.back().y());  // the plateau the entries apart remove
        window.width_slider()->setValue(0);  // none are apart before the first cut
        QVERIFY(window.original_view()->markers().empty());
    }

    void corruptFileShowsAnErrorAndKeepsThePreviousData() {
        QTemporaryDir dir;
        const QString corrupt = dir.filePath("broken.png");
        std::ofstream(corrupt.toStdString()) << "\x89PNG but not really";
        MainWindow window;
        prepare(window, 20, false);
        QVERIFY(open_and_wait(window));
        const gui::Snapshot* before = window.snapshot();
        const QString title = window.windowTitle();
        QVERIFY(!window.open_file(corrupt));
        QVERIFY(window.last_error().contains("broken.png"));
        QCOMPARE(window.snapshot(), before);
        QCOMPARE(window.windowTitle(), title);
        QVERIFY(!window.open_file(dir.filePath("missing.npy")));
        QCOMPARE(window.snapshot(), before);
    }

    void restartsInQuickSuccessionKeepOnlyTheLastRun() {
        MainWindow window;
        prepare(window, 30, false);
        QVERIFY(window.open_file(kCat));
        for (int i = 0; i < 20; ++i) window.restart();
        QVERIFY(wait_until_finished(window));
        QCOMPARE(window.snapshot()->width(), std::size_t(30));
        QVERIFY(!window.is_computing());
    }

    // Hundreds of starts, cancels and file switches mid-run: no deadlock, and only the last
    // run's results reach the window (they equal the engine's on that file).
    void startCancelAndSwitchStormsLeaveOnlyTheLastRun() {
        QTemporaryDir dir;
        const QString matrix = dir.filePath("m.npy");
        save_output(matrix.toStdString(), gaussian_tensor({40, 30}, 3));
        MainWindow window;
        prepare(window, 25);
        for (int i = 0; i < 300; ++i) {
            switch (i % 4) {
                case 0:
                    QVERIFY(window.open_file(i % 8 ? matrix : kCat));
                    break;
                case 1:
                    window.restart();
                    break;
                case 2:
                    window.cancel();
                    break;
                case 3:
                    QCoreApplication::processEvents();
                    break;  // lets some stale results arrive
            }
            if (i % 50 == 0) window.show_tab(MainWindow::Tab(i / 50 % 5));
        }
        window.show_tab(MainWindow::kExploreTab);
        QVERIFY(window.open_file(matrix));
        // The worker runs its jobs one after the other and every result it sends arrives in
        // order, so results of older runs, if any still came, came before this one's finish.
        QVERIFY(wait_until_finished(window));
        DecomposeOptions options;
        options.stop.width = 25;
        const Decomposition engine = decompose(gaussian_tensor({40, 30}, 3), options);
        QCOMPARE(window.snapshot()->width(), std::size_t(25));
        for (std::size_t w = 0; w <= 25; ++w) QCOMPARE(window.snapshot()->relative_error(w), engine.relative_error(w));
    }

    void savedDecompositionOpensWithItsCurve() {
        QTemporaryDir dir;
        DecomposeOptions options;
        options.stop.width = 25;
        const Decomposition d = decompose(load_input(kCat.toStdString()).tensor, options);
        const QString path = dir.filePath("cat.scd");
        write_scd(path.toStdString(), d);
        MainWindow window;
        window.set_dialogs_enabled(false);
        QVERIFY(window.open_file(path));
        QCOMPARE(window.snapshot()->width(), std::size_t(25));
        QCOMPARE(window.displayed_width(), std::size_t(25));
    }

    void opensACompressedCheckpointAndItsTensors() {
        QTemporaryDir dir;
        const std::string in = dir.filePath("m.safetensors").toStdString(), out = dir.filePath("m.scdz").toStdString();
        {
            SafetensorsWriter writer(
                in, {{"a.weight", "F32", {30, 20}}, {"a.bias", "F32", {20}}, {"b.weight", "BF16", {16, 24}}});
            writer.write_next(gaussian_tensor({30, 20}, 1));
            writer.write_next(gaussian_tensor({20}, 2));
            writer.write_next(gaussian_tensor({16, 24}, 3));
            writer.commit();
        }
        ModelCompressionOptions options;
        options.bits_per_entry = 4;
        compress_model(in, out, options);
        const ScdzReader reader(out);

        MainWindow window;
        window.set_dialogs_enabled(false);
        window.show();
        QVERIFY(window.open_file(QString::fromStdString(out)));
        QCOMPARE(window.checkpoint_panel()->tensor_count(), 3);
        QVERIFY(window.checkpoint_panel()->summary_text().contains("2 tensors decomposed, 1 kept"));
        // Each decomposed tensor shows with its own curve; the kept bias does not replace it.
        for (int i : {0, 2}) {
            QVERIFY(window.show_checkpoint_tensor(i));
            const ScdzEntry& entry = reader.entries()[std::size_t(i)];
            QCOMPARE(window.snapshot()->width(), entry.width);
            QCOMPARE(window.snapshot()->relative_error(entry.width),
                     reader.decomposition(entry).relative_error(entry.width));
        }
        QVERIFY(!window.show_checkpoint_tensor(1));
        QCOMPARE(window.snapshot()->width(), reader.entries()[2].width);
    }

    void teachingTabsFollowTheExplorer() {
        MainWindow window;
        prepare(window, 40);
        QVERIFY(open_and_wait(window));
        window.set_playing(false);
        window.show_width(40);

        // Inside one cut: its own cut (the first, whatever width Explore shows), and cut 41 when
        // asked: the next cut on R_40, the engine's own cut 41.
        window.show_tab(MainWindow::kCutTab);
        QCOMPARE(window.cut_stepper()->chosen_width(), std::size_t(0));
        QCOMPARE(window.cut_stepper()->trace().signs().size(), std::size_t(3));
        window.findChild<gui::CutStepperView*>()->choose_cut(41);
        const CutTrace& shown = window.cut_stepper()->trace();
        DecomposeOptions options;
        options.stop.width = 41;
        Decomposer engine(load_input(kCat.toStdString()).tensor, options);
        for (int i = 0; i < 40; ++i) QVERIFY(engine.step());
        const CutTrace expected = trace_cut(engine.residual(), 40, options);
        QVERIFY(engine.step());
        QCOMPARE(shown.sweeps, expected.sweeps);
        QCOMPARE(shown.signs(), expected.signs());
        QVERIFY(std::abs(shown.coeff - engine.decomposition().coeffs()[40]) <= 1e-4f * shown.coeff);
        QCOMPARE(window.cut_stepper()->step_count(), int(shown.steps.size()) + 1);
        window.findChild<gui::CutStepperView*>()->show_step(1);
        QVERIFY(window.cut_stepper()->step_text().contains("sweep 1"));

        // The gallery: the first 24 of the 40 cuts, in order.
        window.show_tab(MainWindow::kGalleryTab);
        QCOMPARE(window.cut_gallery()->shown_cuts().size(), std::size_t(24));
        QCOMPARE(window.cut_gallery()->shown_cuts()[5], std::size_t(5));

        // SVD vs cuts at 0.1 bits per entry: the cuts shown fit the same memory.
        window.show_tab(MainWindow::kSvdTab);
        gui::SvdComparisonView* svd = window.svd_comparison();
        svd->set_bits(0.1);
        const gui::Snapshot* snapshot = window.snapshot();
        QVERIFY(8.0 * double(snapshot->stored_bytes(svd->cuts_width())) / double(snapshot->entries()) <= 0.1);
        QVERIFY(svd->cuts_width() > 0);
        QCOMPARE(svd->cuts_error(), snapshot->relative_error(svd->cuts_width()));
        svd->set_bits(2.0);
        QVERIFY(svd->svd_error() > 0 && svd->svd_error() < 0.2);
    }

    void aNewInputNeverMeetsTheOldDecomposition() {
        // The crash of issue 21: a 64×64×5 array shown at slice 4, then a photo too large for
        // exploring, downscaled: the slice range shrinks while the new input is in place, and
        // the views were refreshed with the old reconstruction against the new input.
        QTemporaryDir dir;
        const QString array = dir.filePath("cube.npy"), photo = dir.filePath("large.png");
        write_npy(array.toStdString(), gaussian_tensor({64, 64, 5}, 3));
        cv::Mat large(1800, 2400, CV_8UC3);
        for (int y = 0; y < large.rows; ++y)
            for (int x = 0; x < large.cols; ++x)
                large.at<cv::Vec3b>(y, x) = cv::Vec3b(uchar(x / 10), uchar(y / 8), uchar((x + y) / 20));
        QVERIFY(cv::imwrite(photo.toStdString(), large));
        MainWindow window;
        prepare(window, 20);  // accepts the offer to downscale
        QVERIFY(open_and_wait(window, array));
        window.slice_box()->setValue(4);
        QCOMPARE(window.slice_box()->value(), 4);
        QVERIFY(open_and_wait(window, photo));
        QCOMPARE(window.snapshot()->shape().size(), std::size_t(3));
        QVERIFY(window.snapshot()->shape()[0] < 1800);  // downscaled
        window.show_width(10);
        // And back to a smaller input, which once read garbage instead of crashing.
        QVERIFY(open_and_wait(window, array));
        QCOMPARE(window.snapshot()->shape(), (Shape{64, 64, 5}));
    }

    void logarithmicPlaybackGivesEveryDoublingTheSameTime() {
        gui::PlaybackClock clock;
        clock.set_speed({gui::PlaybackSpeed::logarithmic, 10.0});
        clock.start_from(0);
        // Over 1023 cuts, log2(1 + w) grows by 10 in 10 s: one doubling of 1 + w per second.
        std::vector<std::size_t> seen;
        for (int second = 1; second <= 10; ++second) seen.push_back(clock.advance(1.0, 1023));
        QCOMPARE(seen, (std::vector<std::size_t>{1, 3, 7, 15, 31, 63, 127, 255, 511, 1023}));
        QCOMPARE(clock.advance(5.0, 1023), std::size_t(1023));  // and stays at the end
        clock.start_from(31);
        QCOMPARE(clock.advance(1.0, 1023), std::size_t(63));
        clock.set_speed({gui::PlaybackSpeed::linear, 100.0});
        clock.start_from(31);
        QCOMPARE(clock.advance(0.5, 1023), std::size_t(81));
    }

    void playStartsFromTheWidthShown() {
        MainWindow window;
        prepare(window, 300);
        QVERIFY(open_and_wait(window));
        window.set_playing(false);
        // Rewind: Home (the slider at 0), then Play: the first widths, not a jump to the end.
        window.width_slider()->setValue(0);
        QCOMPARE(window.displayed_width(), std::size_t(0));
        // Each wait is timed: the bounds are what the playback speed allows in the time that
        // really passed (a loaded machine or a sanitizer build may stretch a 400 ms wait).
        QElapsedTimer timer;
        timer.start();
        window.set_playing(true);
        QTest::qWait(400);
        std::size_t shown = window.displayed_width();
        QVERIFY2(shown <= reachable_width(window, 0, timer, 300), qPrintable(QString::number(shown)));
        // From a width dragged to, playback goes on from there.
        window.width_slider()->setValue(31);
        QVERIFY(!window.is_playing());
        timer.start();
        window.set_playing(true);
        QTest::qWait(400);
        shown = window.displayed_width();
        const std::size_t reach = reachable_width(window, 31, timer, 300);
        QVERIFY2(shown >= 31 && shown <= reach, qPrintable(QString("%1, at most %2").arg(shown).arg(reach)));
        QVERIFY(window.is_playing() || reach >= 300);
        // Play at the end of a finished run replays from the start.
        window.set_playing(false);
        window.show_width(300);
        timer.start();
        window.set_playing(true);
        QTest::qWait(200);
        shown = window.displayed_width();
        QVERIFY2(shown <= reachable_width(window, 0, timer, 300), qPrintable(QString::number(shown)));
    }

    void homeAndEndBelongToTheFocusedSlider() {
        MainWindow window;
        prepare(window, 60);
        QVERIFY(open_and_wait(window));
        window.set_playing(false);
        window.show_width(20);
        window.show_tab(MainWindow::kSvdTab);
        QSlider* svd_slider = window.svd_comparison()->findChild<QSlider*>();
        QVERIFY(svd_slider);
        svd_slider->setFocus();
        QTest::keyClick(svd_slider, Qt::Key_End);
        QCOMPARE(window.displayed_width(), std::size_t(20));  // the hidden Explore slider did not move
        QCOMPARE(svd_slider->value(), svd_slider->maximum());
        window.show_tab(MainWindow::kExploreTab);
        window.width_slider()->setFocus();
        QTest::keyClick(window.width_slider(), Qt::Key_End);
        QCOMPARE(window.displayed_width(), std::size_t(60));
        QTest::keyClick(window.width_slider(), Qt::Key_Home);
        QCOMPARE(window.displayed_width(), std::size_t(0));
        QVERIFY(!window.numbers_text().contains("smaller"));  // no ratio to a header alone
    }

    void aClickOnTheChartShowsThatWidth() {
        MainWindow window;
        window.resize(1280, 800);
        prepare(window, 100);
        QVERIFY(open_and_wait(window));
        window.set_playing(false);
        auto* chart = const_cast<gui::ErrorChart*>(window.chart());
        for (const bool log_width : {false, true}) {
            window.set_log_width(log_width);
            QCoreApplication::processEvents();
            const QList<QPointF> curve = chart->curve_points();
            const QPointF at_40 =
                *std::find_if(curve.begin(), curve.end(), [](const QPointF& p) { return p.x() == 40; });
            const QPoint position = chart->mapFromScene(
                chart->chart()->mapToScene(chart->chart()->mapToPosition(at_40, chart->chart()->series().front())));
            QCOMPARE(chart->width_at(position), std::optional<std::size_t>(40));
            QTest::mouseClick(chart->viewport(), Qt::LeftButton, {}, position);
            QCOMPARE(window.displayed_width(), std::size_t(40));
            window.show_width(0);
        }
        window.set_log_width(false);
    }

    void panesZoomTogetherAndOneCanBeShownAlone() {
        MainWindow window;
        window.resize(1280, 800);
        prepare(window, 20);
        QVERIFY(open_and_wait(window));
        const std::vector<const gui::ImageView*> panes = window.explore_panes();
        auto* original = const_cast<gui::ImageView*>(panes[0]);
        const QRectF whole = original->source_rect();
        QCOMPARE(whole, QRectF(QPointF(0, 0), QSizeF(original->image().size())));
        // Two notches of the wheel over the centre of the original.
        const QPointF centre = QRectF(original->picture_rect()).center();
        QWheelEvent wheel(centre, original->mapToGlobal(centre), QPoint(), QPoint(0, 240), Qt::NoButton, Qt::NoModifier,
                          Qt::NoScrollPhase, false);
        QCoreApplication::sendEvent(original, &wheel);
        const QRectF zoomed = original->source_rect();
        QVERIFY(zoomed.width() < whole.width() / 1.5);
        QVERIFY(std::abs(zoomed.center().x() - whole.center().x()) < 2.0);  // about the cursor
        for (const gui::ImageView* pane : panes) QCOMPARE(pane->source_rect(), zoomed);
        // A drag to the right shows what lies to the left.
        QTest::mousePress(original, Qt::LeftButton, {}, centre.toPoint());
        QTest::mouseMove(original, centre.toPoint() + QPoint(40, 0));
        QTest::mouseRelease(original, Qt::LeftButton, {}, centre.toPoint() + QPoint(40, 0));
        QVERIFY(original->source_rect().x() < zoomed.x());
        QCOMPARE(panes[2]->source_rect(), original->source_rect());
        // One pane alone, then all again.
        QTest::mouseDClick(const_cast<gui::ImageView*>(panes[1]), Qt::LeftButton);
        QVERIFY(!panes[0]->isVisible() && panes[1]->isVisible() && !panes[2]->isVisible());
        QTest::mouseDClick(const_cast<gui::ImageView*>(panes[1]), Qt::LeftButton);
        QVERIFY(panes[0]->isVisible() && panes[2]->isVisible());
        // A new input shows all of itself.
        QVERIFY(window.open_file(kCat));
        QVERIFY(!window.zoom()->is_zoomed());
        QCOMPARE(original->source_rect(), whole);
    }

    void nothingStaleAfterSwitchingInputs() {
        QTemporaryDir dir;
        const QString matrix = dir.filePath("matrix.npy");
        write_npy(matrix.toStdString(), gaussian_tensor({48, 40}, 5));
        MainWindow window;
        prepare(window, 20);
        QVERIFY(open_and_wait(window));
        const std::vector<const gui::ImageView*> panes = window.explore_panes();
        QVERIFY(panes[2]->title().contains("mean over channels"));
        QVERIFY(open_and_wait(window, matrix));
        QVERIFY(!panes[2]->title().contains("channels"));
        QVERIFY(panes[1]->has_legend());
        QVERIFY(open_and_wait(window));
        window.show_width(10);
        QVERIFY(!panes[1]->has_legend());  // a heat map's legend does not stay under the photo
        QVERIFY(!panes[0]->has_legend());
    }

    void chartsExportAtSlideResolution() {
        MainWindow window;
        prepare(window, 100);
        QVERIFY(open_and_wait(window));
        QTemporaryDir dir;
        dir.setAutoRemove(qEnvironmentVariableIsEmpty("SIGNCUT_KEEP_TEST_FILES"));  // to look at them
        const QString png = dir.filePath("chart.png"), svg = dir.filePath("chart.svg");
        const QSize on_screen = window.chart()->size();
        // 960 × 540 at text scale 1.5 (laid out at 640 × 360): small enough to stay quick under
        // ThreadSanitizer, whose PNG encoding and pixel loops are many times slower.
        gui::export_chart(*window.chart(), png, QSize(960, 540), 1.5);
        gui::export_chart(*window.chart(), svg, QSize(960, 540), 1.5);
        QCOMPARE(window.chart()->size(), on_screen);  // the window's chart is left as it was
        const QImage image = QImage(png).convertToFormat(QImage::Format_RGB32);
        QCOMPARE(image.size(), QSize(960, 540));
        // Drawn, not blank: the curve's blue is there.
        const QRgb curve_blue = qRgb(0x1f, 0x77, 0xb4);
        bool blue = false;
        for (int y = 0; y < image.height() && !blue; ++y) {
            const auto* row = reinterpret_cast<const QRgb*>(image.constScanLine(y));
            blue = std::find(row, row + image.width(), curve_blue) != row + image.width();
        }
        QVERIFY(blue);
        QFile drawing(svg);
        QVERIFY(drawing.open(QIODevice::ReadOnly));
        const QByteArray text = drawing.readAll();
        QVERIFY(text.contains("<svg") && text.contains("640") && text.contains("360"));
        QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                                 gui::export_chart(*window.chart(), dir.filePath("chart.bmp"), QSize(800, 600), 1));
        QVERIFY(!QFileInfo::exists(dir.filePath("chart.bmp")));
        if (!dir.autoRemove()) qInfo("kept %s", qPrintable(dir.path()));
    }

    void svdVersusCutsPlaysTheMemoryUpInLogTime() {
        MainWindow window;
        prepare(window, 200);
        QVERIFY(open_and_wait(window));
        window.show_tab(MainWindow::kSvdTab);
        gui::SvdComparisonView* svd = window.svd_comparison();
        svd->set_bits(0.1);
        QElapsedTimer clock;
        clock.start();
        svd->set_playing(true);
        QTRY_VERIFY_WITH_TIMEOUT(svd->bits() > 0.1, 3000 * testing::time_scale());
        QTest::qWait(1000);
        // 15 s for 0.1 … 16 bits, every doubling the same time: bits = 0.1 · 160^(t / 15 s) after t
        // seconds (a linear sweep would be at 0.1 + 15.9 t / 15 s, ten times that after one second).
        // The bound is taken from the time that really passed, so a slow (sanitizer) build holds.
        const double seconds = double(clock.elapsed()) / 1000.0;
        const double log_time_bits = 0.1 * std::pow(160.0, seconds / 15.0);
        QVERIFY2(svd->bits() <= 1.25 * log_time_bits,
                 qPrintable(QString("%1 bits after %2 s").arg(svd->bits()).arg(seconds)));
        QVERIFY(svd->is_playing() || seconds >= 15.0);
        svd->set_playing(false);
        const auto panes = svd->findChildren<gui::ImageView*>();
        QCOMPARE(panes.size(), 3);  // original | truncated SVD | signed cuts
        for (const gui::ImageView* pane : panes) QVERIFY(!pane->image().isNull());
    }

    void theTourHasItsPages() {
        gui::TourDialog tour;
        QCOMPARE(tour.page_count(), 5);
        // Each page has its picture, and the pictures differ.
        std::vector<QImage> pictures;
        for (const QLabel* label : tour.findChildren<QLabel*>())
            if (!label->pixmap().isNull()) pictures.push_back(label->pixmap().toImage());
        QCOMPARE(pictures.size(), std::size_t(5));
        for (std::size_t i = 1; i < pictures.size(); ++i) QVERIFY(pictures[i] != pictures[i - 1]);
        if (!qEnvironmentVariableIsEmpty("SIGNCUT_KEEP_TEST_FILES")) {  // to look at it
            tour.show();
            QTest::qWait(100);
            tour.grab().save(QDir::temp().filePath("signcut-tour.png"));
        }
    }
};

QTEST_MAIN(ExplorerTest)
#include "test_explorer.moc"
