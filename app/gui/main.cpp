// signcut: the explorer. With no argument it opens the bundled cat photo and starts at once.
//   signcut [INPUT] [--tab explore|compare|cut|gallery|svd] [--budgets 1,2,4] [--methods scd,dbf] [--bits B]
//           [--measure error|psnr|ssim]
//           [--screenshot FILE [--width W] [--size 1280x800]]
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QScreen>
#include <QTimer>

#include <cstdio>
#include <exception>
#include <map>

#include "charts/comparison_chart.h"
#include "main_window.h"
#include "simd/kernels.h"
#include "views/zoom_link.h"
#include "views/comparison_view.h"
#include "views/svd_comparison_view.h"

namespace {

// Compiled into the executable (resources/signcut.qrc).
QString bundled_cat() { return ":/signcut/chelsea.png"; }

}  // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName("signcut");
    QApplication::setOrganizationName("signcut");

    QCommandLineParser parser;
    parser.setApplicationDescription("Explore signed cut decompositions of images and matrices.");
    parser.addHelpOption();
    parser.addPositionalArgument("INPUT", "image, .npy, .csv or .scd file (default: the bundled cat photo)");
    parser.addOptions({
        {"screenshot", "Render the window once the decomposition reaches --width, save it as FILE and quit.", "FILE"},
        {"width", "Stop the decomposition at W cuts.", "W"},
        {"size", "Window size for --screenshot (default 1280x800).", "WxH", "1280x800"},
        {"tab",
         "Open on a tab: explore, compare, cut, gallery or svd (compare runs its comparison at once, and a "
         "screenshot of it waits for the end).",
         "TAB", "explore"},
        {"bits", "Memory of the SVD vs cuts tab, in bits per entry.", "B"},
        {"budgets", "Bit budgets of the comparison (default 1,2,4,8,16).", "LIST"},
        {"methods", "Methods of the comparison (default all).", "LIST"},
        {"at", "For --screenshot: show width W instead of the last one.", "W"},
        {"play", "For --screenshot: play from w = 0 and take the picture after S seconds.", "S"},
        {"zoom", "For --screenshot: magnify F times about the point X,Y of the picture (fractions).", "X,Y,F"},
        {"log-width", "Slider and error chart on a log width scale."},
        {"measure", "The comparison chart's y axis: error (relative error, the default), psnr or ssim.", "M", "error"},
    });
    parser.process(app);
    try {
        signcut::active_kernels();  // a wrong SIGNCUT_ISA: one line, and no window that cannot compute
    } catch (const std::exception& error) {
        std::fprintf(stderr, "signcut: %s\n", error.what());
        return 2;
    }

    signcut::gui::MainWindow window;
    const bool screenshot = parser.isSet("screenshot");
    window.set_dialogs_enabled(!screenshot);
    if (parser.isSet("log-width")) window.set_log_width(true);
    if (parser.isSet("width")) window.set_width_rule(parser.value("width").toULongLong());
    using signcut::gui::MainWindow;
    const std::map<QString, MainWindow::Tab> tabs = {{"explore", MainWindow::kExploreTab},
                                                     {"compare", MainWindow::kCompareTab},
                                                     {"cut", MainWindow::kCutTab},
                                                     {"gallery", MainWindow::kGalleryTab},
                                                     {"svd", MainWindow::kSvdTab}};
    if (!tabs.count(parser.value("tab"))) {
        std::fprintf(stderr, "--tab takes explore, compare, cut, gallery or svd\n");
        return 2;
    }
    const MainWindow::Tab tab = tabs.at(parser.value("tab"));
    const bool compare = tab == MainWindow::kCompareTab;
    signcut::gui::ComparisonView* comparison = window.comparison();
    if (parser.isSet("budgets")) comparison->set_budgets(parser.value("budgets"));
    if (parser.isSet("methods")) comparison->set_methods(parser.value("methods").split(','));
    using signcut::gui::ComparisonMeasure;
    const std::map<QString, ComparisonMeasure> measures = {{"error", ComparisonMeasure::relative_error},
                                                           {"psnr", ComparisonMeasure::psnr},
                                                           {"ssim", ComparisonMeasure::ssim}};
    if (!measures.count(parser.value("measure"))) {
        std::fprintf(stderr, "--measure takes error, psnr or ssim\n");
        return 2;
    }
    comparison->set_measure(measures.at(parser.value("measure")));
    if (parser.isSet("bits")) window.svd_comparison()->set_bits(parser.value("bits").toDouble());
    if (compare) window.show_tab(tab);
    if (screenshot) {
        const QStringList size = parser.value("size").split('x');
        window.resize(size.value(0).toInt(), size.value(1).toInt());
        const auto save = [&] {
            QTimer::singleShot(300, &window, [&] {
                const QString file = parser.value("screenshot");
                const bool saved = window.grab().save(file);
                std::fprintf(saved ? stdout : stderr, "%s %s\n", saved ? "saved" : "cannot save", qPrintable(file));
                app.exit(saved ? 0 : 1);
            });
        };
        const auto zoom = [&] {
            if (!parser.isSet("zoom")) return;
            const QStringList xyf = parser.value("zoom").split(',');
            window.zoom()->zoom(xyf.value(2).toDouble(), QPointF(xyf.value(0).toDouble(), xyf.value(1).toDouble()));
        };
        if (compare) {
            QObject::connect(comparison, &signcut::gui::ComparisonView::comparison_finished, &window, [zoom, save] {
                zoom();
                save();
            });
        } else {
            const auto take = [&, save, zoom, tab] {
                window.set_playing(false);
                window.show_width(parser.isSet("at") ? parser.value("at").toULongLong() : window.snapshot()->width());
                window.show_tab(tab);  // the teaching tabs show the finished run
                zoom();
                if (!parser.isSet("play")) return save();
                window.show_width(0);
                window.set_playing(true);
                QTimer::singleShot(int(1000 * parser.value("play").toDouble()), &window, [&, save] {
                    window.set_playing(false);
                    save();
                });
            };
            // With entries kept apart, the chart's plain curve follows in the background: wait for it.
            QObject::connect(&window, &signcut::gui::MainWindow::computation_finished, &window, [&window, take] {
                if (!window.reference_curve_running()) return take();
                QObject::connect(&window, &signcut::gui::MainWindow::reference_curve_finished, &window, take,
                                 Qt::SingleShotConnection);
            });
        }
    }
    window.show();
    const QString input = parser.positionalArguments().value(0, bundled_cat());
    if (!window.open_file(input) && screenshot) {
        std::fprintf(stderr, "%s\n", qPrintable(window.last_error()));
        return 1;
    }
    if (compare) comparison->run();  // asked for on the command line (the tab alone runs nothing)
    return app.exec();
}
