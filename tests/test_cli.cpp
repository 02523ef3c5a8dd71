// signcut-cli end to end: decompose → .scd → info → reconstruct, JSON keys, and errors
// that exit non-zero without leaving an output file.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "cli_process.h"
#include "scd/decomposer.h"
#include "simd/kernels.h"
#include "tensor/random_tensor.h"
#include "test_support.h"

namespace {

QJsonObject json_of(const Run& run) { return QJsonDocument::fromJson(run.out).object(); }

const QString kCat = QString(SIGNCUT_RESOURCES) + "/chelsea.png";

}  // namespace

class CliTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void compareGivesTheSameResultsInTwoProcessesForOneSeed() {
        // Every randomised method draws from --seed only: two processes agree to the last digit,
        // another seed gives other errors. Rows: bits, error and bits above the i.i.d. floor.
        QTemporaryDir dir;
        const QString input = dir.filePath("g.npy");
        QVERIFY(cli({"gaussian", "96x80", "--out", input}).status == 0);
        bool every_row_has_its_floor_distance = true;
        const auto rows = [&](const char* seed) {
            const Run run = cli({"compare", input, "--bits", "2", "--methods", "dbf,kashin,rotq,tcq", "--seed", seed,
                                 "--dbf-iterations", "20", "--json"});
            QStringList out;
            for (const QJsonValue& value : QJsonDocument::fromJson(run.out).array()) {
                const QJsonObject row = value.toObject();
                if (row["method"].toString().startsWith("bound-")) continue;
                every_row_has_its_floor_distance &= row["bits_above_iid_floor"].isDouble();
                out << QString("%1 %2 %3")
                           .arg(row["method"].toString())
                           .arg(row["bits_per_entry"].toDouble(), 0, 'g', 17)
                           .arg(row["relative_error"].toDouble(), 0, 'g', 17);
            }
            return out;
        };
        const QStringList first = rows("3"), again = rows("3"), other = rows("4");
        QCOMPARE(first.size(), 4);
        QVERIFY(every_row_has_its_floor_distance);
        QCOMPARE(first, again);
        for (int i = 0; i < 4; ++i) QVERIFY2(first[i] != other[i], qPrintable(first[i]));
    }

    void compareGivesPsnrAndSsimOnPictures() {
        // psnr_db and ssim on every row of a picture: numbers for a lossy point, "inf" and 1 for
        // the exact PNG, null where the budget is not met and for the Gaussian floors.
        const Run run = cli({"compare", kCat, "--bits", "1,8", "--methods", "jpeg,png", "--json"});
        QVERIFY2(run.status == 0, run.err.constData());
        int checked = 0;
        for (const QJsonValue& value : QJsonDocument::fromJson(run.out).array()) {
            const QJsonObject row = value.toObject();
            const QString method = row["method"].toString();
            const double budget = row["budget"].toDouble();
            QVERIFY(row.contains("psnr_db") && row.contains("ssim"));
            if (method == "jpeg") {
                QVERIFY(row["bits_per_entry"].toDouble() <= budget);
                QVERIFY(row["psnr_db"].toDouble() > 30 && row["ssim"].toDouble() > 0.8 && row["ssim"].toDouble() < 1);
            } else if (method == "png" && budget == 8) {
                QCOMPARE(row["psnr_db"].toString(), QString("inf"));
                QCOMPARE(row["ssim"].toDouble(), 1.0);
                QCOMPARE(row["relative_error"].toDouble(), 0.0);
            } else {
                QVERIFY2(row["psnr_db"].isNull() && row["ssim"].isNull(), qPrintable(method));
            }
            ++checked;
        }
        QCOMPARE(checked, 2 * 2 + 3 * 2);
    }

    void decomposeReportsTheRequiredJsonKeys() {
        QTemporaryDir dir;
        const Run run = cli({"decompose", kCat, "--width", "40", "--json", "--out", dir.filePath("cat.scd"), "--recon",
                             dir.filePath("cat.png"), "--curve", dir.filePath("curve.csv")});
        QVERIFY2(run.status == 0, run.err.constData());
        const QJsonObject result = json_of(run);
        for (const char* key : {"shape", "width", "bytes", "bits_per_entry", "relative_error", "seconds"})
            QVERIFY2(result.contains(key), key);
        QCOMPARE(result["width"].toInt(), 40);
        QCOMPARE(result["shape"].toArray(), (QJsonArray{300, 451, 3}));
        QCOMPARE(qint64(QFileInfo(dir.filePath("cat.scd")).size()), qint64(result["bytes"].toDouble()));
        QVERIFY(result["relative_error"].toDouble() > 0 && result["relative_error"].toDouble() < 0.5);
        QVERIFY(QFileInfo(dir.filePath("cat.png")).size() > 0);
        QFile curve(dir.filePath("curve.csv"));
        QVERIFY(curve.open(QIODevice::ReadOnly));
        QCOMPARE(curve.readAll().count('\n'), 42);  // header + widths 0..40

        const Run info = cli({"info", dir.filePath("cat.scd"), "--json"});
        QVERIFY2(info.status == 0, info.err.constData());
        QCOMPARE(json_of(info)["width"].toInt(), 40);
        QVERIFY(std::abs(json_of(info)["relative_error"].toDouble() - result["relative_error"].toDouble()) < 1e-4);

        const Run rebuild =
            cli({"reconstruct", dir.filePath("cat.scd"), "--width", "10", "--out", dir.filePath("r.npy")});
        QVERIFY2(rebuild.status == 0, rebuild.err.constData());
        QVERIFY(QFileInfo(dir.filePath("r.npy")).size() == 128 + 300 * 451 * 3 * 4);
    }

    void bitsPerEntryAndTargetErrorStopRules() {
        QTemporaryDir dir;
        QVERIFY(cli({"gaussian", "64x64", "--out", dir.filePath("g.npy")}).status == 0);
        const QJsonObject bits = json_of(cli({"decompose", dir.filePath("g.npy"), "--bits-per-entry", "4", "--json"}));
        QVERIFY(bits["bits_per_entry"].toDouble() <= 4.0 && bits["bits_per_entry"].toDouble() > 3.9);
        const QJsonObject target =
            json_of(cli({"decompose", dir.filePath("g.npy"), "--target-error", "0.5", "--json"}));
        QVERIFY(target["relative_error"].toDouble() <= 0.5 + 1e-4);
        QCOMPARE(target["stop_reason"].toString(), QString("target_error"));
    }

    // A misspelt SIGNCUT_ISA stops every command with one line naming it, before any work.
    void aWrongIsaIsOneLineAndNoOutput() {
        QTemporaryDir dir;
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert("SIGNCUT_ISA", "avx-512");
        process.setProcessEnvironment(environment);
        process.start(SIGNCUT_CLI, {"gaussian", "4x3", "--out", dir.filePath("g.npy")});
        QVERIFY(process.waitForFinished(60000 * signcut::testing::time_scale()));
        QCOMPARE(process.exitCode(), 1);
        QCOMPARE(process.readAllStandardError(),
                 QByteArray("signcut-cli gaussian: error: SIGNCUT_ISA=avx-512: no such instruction set (scalar, avx2 "
                            "or avx512; unset: the best this CPU runs)\n"));
        QVERIFY(!QFileInfo::exists(dir.filePath("g.npy")));
    }

    void errorsExitNonZeroAndWriteNothing() {
        QTemporaryDir dir;
        const QString bad = dir.filePath("bad.npy");
        QFile file(bad);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("\x93NUMPY garbage");
        file.close();
        const Run run = cli({"decompose", bad, "--out", dir.filePath("x.scd")});
        QCOMPARE(run.status, 1);
        QVERIFY(run.err.contains("bad.npy"));
        QVERIFY(!QFileInfo::exists(dir.filePath("x.scd")));
        QCOMPARE(cli({"decompose"}).status, 2);
        QCOMPARE(cli({"frobnicate"}).status, 2);
        QCOMPARE(cli({"decompose", kCat, "--width", "many"}).status, 2);
        const Run missing = cli({"info", dir.filePath("none.scd")});
        QCOMPARE(missing.status, 1);
        QVERIFY(missing.err.contains("no such file"));
    }

    // On a tiny matrix: the timed engine run ends where a plain decomposition with the same seed
    // does, and every timing is there.
    void benchTimesTheEngineOnATinyMatrix() {
        const Run run = cli({"bench", "--size", "48x40", "--width", "12", "--seed", "3", "--json"});
        QCOMPARE(run.status, 0);
        const QJsonObject bench = json_of(run);
        QCOMPARE(bench["size"].toString(), QString("48x40"));
        QCOMPARE(bench["width"].toInt(), 12);
        QCOMPARE(bench["compare_width"].toInt(), 12);
        QCOMPARE(bench["kernels"].toString(), QString::fromUtf8(signcut::isa_name(signcut::active_kernels().isa)));
        signcut::DecomposeOptions options;
        options.stop.width = 12;
        options.seed = 3;
        const signcut::Decomposition d = signcut::decompose(signcut::gaussian_tensor({48, 40}, 3), options);
        QCOMPARE(bench["relative_error"].toDouble(), d.relative_error(12));
        QCOMPARE(bench["engine_relative_error_at_compare_width"].toDouble(), d.relative_error(12));
        for (const char* key : {"seconds_per_cut", "gemv_seconds", "speedup_vs_scalar", "reference_seconds_per_cut"})
            QVERIFY2(bench[key].toDouble() > 0, key);
    }

    // info on a .scdz reads its summary back from the file: the one compress-model printed.
    void infoOnACompressedCheckpointGivesTheSummaryOfItsRun() {
        QTemporaryDir dir;
        const QString checkpoint = dir.filePath("ck.safetensors"), out = dir.filePath("ck.scdz");
        QCOMPARE(
            cli({"synthetic-checkpoint", checkpoint, "--layers", "1", "--hidden", "64", "--intermediate", "96"}).status,
            0);
        const Run compress = cli({"compress-model", checkpoint, "--bits-per-entry", "4", "--out", out, "--json"});
        QCOMPARE(compress.status, 0);
        QJsonObject written = json_of(compress);
        QCOMPARE(written.take("resumed").toInt(), 0);
        QVERIFY(written["decomposed"].toInt() > 0 && written["kept"].toInt() > 0);
        const Run info = cli({"info", out, "--json"});
        QCOMPARE(info.status, 0);
        QJsonObject read = json_of(info);
        const QJsonArray tensors = read.take("tensors").toArray();  // info adds every tensor's row
        QCOMPARE(read, written);
        QCOMPARE(tensors.size(), written["decomposed"].toInt() + written["kept"].toInt());
        QCOMPARE(tensors[0].toObject()["method"].toString(), QString("scd"));
        const Run text = cli({"info", out});
        QCOMPARE(text.status, 0);
        QVERIFY(text.out.contains(QString("tensors         %1 decomposed, %2 kept as they were")
                                      .arg(written["decomposed"].toInt())
                                      .arg(written["kept"].toInt())
                                      .toUtf8()));
    }

    // compress-model killed (SIGKILL) after its first finished tensor: no output file appears,
    // and the same command then resumes, reusing what was finished.
    void aKilledCompressionLeavesNoOutputAndResumes() {
        QTemporaryDir dir;
        const QString checkpoint = dir.filePath("ck.safetensors"), out = dir.filePath("ck.scdz");
        QCOMPARE(cli({"synthetic-checkpoint", checkpoint, "--layers", "2", "--hidden", "384", "--intermediate", "768"})
                     .status,
                 0);
        const QStringList compress = {"compress-model", checkpoint, "--bits-per-entry", "8", "--out", out, "--json"};
        QVERIFY(kill_cli_when(compress, [&] {
            return QDir(out + ".parts").entryList({"*.json"}).size() > 1;  // job.json and a tensor
        }));
        QVERIFY(!QFileInfo::exists(out));
        const Run resumed = cli(compress);
        QCOMPARE(resumed.status, 0);
        QVERIFY(json_of(resumed)["resumed"].toInt() >= 1);
        QCOMPARE(json_of(resumed)["decomposed"].toInt(), 14);
        QVERIFY(QFileInfo::exists(out));
        QVERIFY(!QFileInfo::exists(out + ".parts"));
    }
};

QTEST_GUILESS_MAIN(CliTest)
#include "test_cli.moc"
