// The Compare view, offscreen: points fill in and equal what core computes, the floors are
// drawn, picking a point shows both reconstructions, and new data drops a running comparison.
#include <QSettings>
#include <QSignalSpy>
#include <QTest>
#include <QtCharts/QLegend>
#include <QtCharts/QLegendMarker>

#include "charts/comparison_chart.h"
#include "io/image_file.h"
#include "methods/image_quality.h"
#include "methods/method.h"
#include "tensor/random_tensor.h"
#include "views/comparison_view.h"
#include "views/image_view.h"
#include "test_support.h"

using namespace signcut;
using signcut::gui::ComparisonView;

namespace {

bool wait_until_finished(ComparisonView& view, int timeout_ms = 60000 * testing::time_scale()) {
    QSignalSpy finished(&view, &ComparisonView::comparison_finished);
    return !view.is_running() || finished.wait(timeout_ms);
}

std::shared_ptr<const Tensor> shared(Tensor t) { return std::make_shared<const Tensor>(std::move(t)); }

// The 8 budgets asked for ("1,2,4,8" or the default) and each method's curve between them (4 points
// per octave); every point that met its budget sits log2(error) + bits above the i.i.d. floor.
void verify_budgets_and_floor_distance(const ComparisonView& view) {
    const auto asked =
        std::count_if(view.points().begin(), view.points().end(), [](const auto& p) { return !p->on_curve; });
    QCOMPARE(asked, 8);
    QVERIFY(view.points().size() > 8);
    for (const auto& point : view.points())
        if (point->met_budget)
            QCOMPARE(point->bits_above_iid_floor, point->bits_per_entry + std::log2(point->relative_error));
}

}  // namespace

class ComparisonTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QCoreApplication::setOrganizationName("signcut-tests");  // keep the user's settings apart
        QCoreApplication::setApplicationName("comparison-test");
        QSettings().remove("compare");  // the view's defaults, not a former run's choices
    }

    void pointsFillInAndEqualTheCoreResults() {
        const auto a = shared(gaussian_tensor({24, 20}, 7));
        ComparisonView view;
        view.set_budgets("2,4");
        view.set_methods({"scd", "rtn", "svd", "dbf"});
        view.set_input(a, false, "gaussian");
        view.show();
        QCoreApplication::processEvents();
        QVERIFY(!view.is_running());  // nothing runs until asked, shown or not
        view.run();
        QVERIFY(view.is_running());
        QVERIFY(wait_until_finished(view));
        verify_budgets_and_floor_distance(view);
        if (QTest::currentTestFailed()) return;
        for (const auto& point : view.points()) {
            const Approximation expected = approximate(point->method.toStdString(), *a, point->budget);
            QCOMPARE(point->met_budget, expected.met_budget);
            if (!expected.met_budget) continue;
            QCOMPARE(point->relative_error, relative_error(*a, expected.reconstruction));
            QCOMPARE(point->bits_per_entry, double(expected.bits) / double(a->size()));
            QVERIFY(point->bits_per_entry <= point->budget);
        }
        QCOMPARE(view.chart()->method_points("scd").size(), 2);
        // On Gaussian data the water-filling floor lies below every method's point.
        const QList<QPointF> floor = view.chart()->floor_points("bound-waterfilling");
        QVERIFY(floor.size() > 10);
        for (const QString method : {"scd", "rtn", "svd", "dbf"})
            for (const QPointF& p : view.chart()->method_points(method)) {
                const auto below =
                    std::find_if(floor.rbegin(), floor.rend(), [&](const QPointF& f) { return f.x() <= p.x(); });
                QVERIFY(below != floor.rend());
                QVERIFY2(below->y() < p.y(), qPrintable(method));
            }
    }

    void pickingAPointShowsItBesideTheSignedCuts() {
        ComparisonView view;
        view.set_budgets("4");
        view.set_methods({"scd", "svd"});
        view.set_input(shared(gaussian_tensor({16, 18}, 8)), false, "gaussian");
        view.show();
        view.run();
        QVERIFY(wait_until_finished(view));
        view.pick("svd", 4);
        QVERIFY(!view.picked_view()->image().isNull());
        QVERIFY(!view.cuts_view()->image().isNull());
        QCOMPARE(view.picked_view()->image().size(), QSize(18, 16));
    }

    void aCodecPointShowsItsDecodedPictureAndItsPictureMeasures() {
        // A 60 × 80 corner of the cat: the codecs code it, picking one shows the decoded file
        // beside the signed cuts, and the chart's y axis can show PSNR or SSIM instead.
        const Tensor cat = load_image(QString(SIGNCUT_RESOURCES "/chelsea.png").toStdString()).tensor;
        Tensor corner({60, 80, 3});
        for (std::size_t r = 0; r < 60; ++r)
            for (std::size_t i = 0; i < 240; ++i) corner[r * 240 + i] = cat[(r + 100) * cat.dim(1) * 3 + 450 + i];
        const auto a = shared(corner);
        ComparisonView view;
        view.set_budgets("1,8");
        view.set_methods({"scd", "jpeg", "png"});
        view.set_curves(false);
        view.set_input(a, true, "corner");
        view.show();
        view.run();
        QVERIFY(wait_until_finished(view));
        view.pick("jpeg", 1);
        QCOMPARE(view.picked_view()->image().size(), QSize(80, 60));
        QVERIFY(!view.cuts_view()->image().isNull());
        for (const auto& point : view.points()) {
            const Approximation expected = approximate(point->method.toStdString(), *a, point->budget);
            QCOMPARE(point->met_budget, expected.met_budget);
            if (!point->met_budget) continue;
            const ImageQuality quality = *image_quality(*a, expected.reconstruction);
            QCOMPARE(*point->psnr_db, quality.psnr_db);
            QCOMPARE(*point->ssim, *quality.ssim);
        }
        // PNG is exact at 8 bits: no point on a log axis, a vertical line at its rate instead.
        const gui::ComparisonPoint* png = nullptr;
        for (const auto& point : view.points())
            if (point->method == "png" && point->met_budget) png = point.get();
        QVERIFY(png && png->relative_error == 0 && std::isinf(*png->psnr_db));
        QCOMPARE(view.chart()->exact_bits("png"), std::optional<double>(png->bits_per_entry));
        QVERIFY(view.chart()->method_points("png").isEmpty());
        view.set_measure(gui::ComparisonMeasure::ssim);
        QCOMPARE(view.chart()->method_points("png"), (QList<QPointF>{QPointF(png->bits_per_entry, 1.0)}));
        view.set_measure(gui::ComparisonMeasure::psnr);
        const QList<QPointF> jpeg = view.chart()->method_points("jpeg");
        QCOMPARE(jpeg.size(), 2);
        for (const auto& point : view.points())
            if (point->method == "jpeg") QVERIFY(jpeg.contains(QPointF(point->bits_per_entry, *point->psnr_db)));
    }

    void coincidentMethodsStayDistinguishableAndLegendClicksHideThem() {
        ComparisonView view;
        view.set_budgets("2");
        view.set_methods({"scd", "scd-refit", "rotq", "kashin"});
        view.set_input(shared(gaussian_tensor({20, 24}, 9)), false, "gaussian");
        view.show();
        view.run();
        QVERIFY(wait_until_finished(view));
        auto* chart = const_cast<gui::ComparisonChart*>(view.chart());
        // Neighbours in the registry (scd and scd-refit often coincide) differ in marker shape.
        const std::vector<MethodInfo>& registry = method_registry();
        for (std::size_t i = 1; i < registry.size(); ++i)
            QVERIFY(chart->marker_shape(QString::fromStdString(std::string(registry[i - 1].name))) !=
                    chart->marker_shape(QString::fromStdString(std::string(registry[i].name))));
        const auto legend_entry = [&](const QString& label) -> QLegendMarker* {
            for (QLegendMarker* marker : chart->chart()->legend()->markers())
                if (marker->label() == label) return marker;
            return nullptr;
        };
        const auto shown = [&](const QString& name) {
            for (QAbstractSeries* series : chart->chart()->series())
                if (series->name() == name) return series->isVisible();
            return false;
        };
        QLegendMarker* refit = legend_entry("scd-refit");
        QVERIFY(refit);
        QVERIFY(shown("scd-refit"));
        Q_EMIT refit->clicked();
        QVERIFY(chart->is_hidden("scd-refit") && !shown("scd-refit"));
        QVERIFY(refit->labelBrush().color().alphaF() < 0.5);  // its entry stays, dimmed, to bring it back
        Q_EMIT refit->clicked();
        QVERIFY(!chart->is_hidden("scd-refit") && shown("scd-refit"));
        // The Gaussian floors say that they are for Gaussian data.
        QLegendMarker* iid = legend_entry("Gaussian-only floor: i.i.d.");
        QVERIFY(iid);
        Q_EMIT iid->clicked();
        QVERIFY(chart->is_hidden("bound-iid"));
        QVERIFY(!shown("Gaussian-only floor: i.i.d."));
    }

    void newDataDropsTheRunningComparison() {
        const auto first = shared(gaussian_tensor({40, 30}, 9));
        const auto second = shared(gaussian_tensor({12, 10}, 10));
        ComparisonView view;
        view.set_budgets("1,2,4,8");
        view.set_methods({"scd", "rtn"});
        view.show();
        for (int i = 0; i < 20; ++i) {
            view.set_input(i % 2 ? second : first, false, "data");
            view.run();
        }
        view.set_input(second, false, "second");
        QVERIFY(!view.is_running());  // new data stops the run on the old
        view.run();
        QVERIFY(wait_until_finished(view));
        verify_budgets_and_floor_distance(view);
        if (QTest::currentTestFailed()) return;
        for (const auto& point : view.points()) {
            if (!point->met_budget) continue;
            const Approximation expected = approximate(point->method.toStdString(), *second, point->budget);
            QCOMPARE(point->relative_error, relative_error(*second, expected.reconstruction));
        }
    }

    void cancelledResultsNeverArrive() {
        ComparisonView view;
        view.set_budgets("1,2,4,8,16");
        view.set_methods({"scd", "scd-refit", "dbf"});
        view.set_input(shared(gaussian_tensor({96, 80}, 11)), false, "gaussian");
        view.show();
        view.run();
        QSignalSpy stopped(&view, &ComparisonView::comparison_stopped);
        view.cancel();
        QVERIFY(!view.is_running());
        // The worker finishes the point in progress, then lets go of the run; whatever it sent
        // before that arrived first and must have been dropped.
        QVERIFY(stopped.wait(60000 * testing::time_scale()));
        QCOMPARE(view.points().size(), std::size_t(0));
        QVERIFY(!view.is_running());
    }
};

QTEST_MAIN(ComparisonTest)
#include "test_comparison.moc"
